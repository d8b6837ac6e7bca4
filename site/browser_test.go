package site

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestBrowser drives headless Chromium through the portal as a reader and
// a region's finance office would use it, and screenshots the main pages.
func TestBrowser(t *testing.T) {
	browser := newBrowser(t)
	p := newBrowserPortal(t)
	t.Run("home", func(t *testing.T) { testBrowserHome(t, newTab(t, browser), p) })
	t.Run("search", func(t *testing.T) { testBrowserSearch(t, newTab(t, browser), p) })
	t.Run("facet", func(t *testing.T) { testBrowserFacet(t, newTab(t, browser), p) })
	t.Run("record", func(t *testing.T) { testBrowserRecord(t, newTab(t, browser), p) })
	t.Run("csv_download", func(t *testing.T) { testBrowserCSV(t, newTab(t, browser), p) })
	t.Run("region_profile", func(t *testing.T) { testBrowserRegion(t, newTab(t, browser), p) })
	t.Run("follow_the_money", func(t *testing.T) { testBrowserFollowTheMoney(t, newTab(t, browser), p) })
	t.Run("language", func(t *testing.T) { testBrowserLanguage(t, newTab(t, browser), p) })
	t.Run("filters_on_phone", func(t *testing.T) { testBrowserFiltersOnPhone(t, newTab(t, browser), p) })
	// Every page at 320, 360, 414 and 1280 px: width, chart labels,
	// header, axe-core; screenshots kept in artifacts/screenshots.
	t.Run("screenshots", func(t *testing.T) { testBrowserPages(t, browser, p) })
	// Last: the upload replaces Kota Bandung's 2024 budget in the live
	// release, which the flows above read.
	t.Run("upload", func(t *testing.T) { testBrowserUpload(t, newTab(t, browser), p) })
}

func testBrowserHome(t *testing.T, tab context.Context, p *browserPortal) {
	open(t, tab, p.url+"/")
	if got := eval[string](t, tab, `document.documentElement.lang`); got != "id" {
		t.Errorf(`<html lang=%q>, want "id"`, got)
	}
	if !eval[bool](t, tab, `!!document.querySelector('label[for="q"]') && !!document.querySelector('input#q[name="q"]')`) {
		t.Error("home page has no search box labelled for q")
	}
	if !exists(t, tab, pickerLink) {
		t.Error("home page has no link to the region picker /wilayah")
	}
}

func testBrowserSearch(t *testing.T, tab context.Context, p *browserPortal) {
	open(t, tab, p.url+"/")
	do(t, tab, chromedp.WaitVisible(chromedp.CSS("input#q")), chromedp.SendKeys(chromedp.CSS("input#q"), "jalan"))
	follow(t, tab, chromedp.CSS(`form.searchbox button[type="submit"]`))
	if u := location(t, tab); u.Path != "/search" || u.Query().Get("q") != "jalan" {
		t.Errorf("search submitted to %s, want /search?q=jalan", u)
	}
	if n := total(t, tab); n <= 0 {
		t.Errorf("search for jalan found %d results", n)
	}
	if n := eval[int](t, tab, `document.querySelectorAll('ol.hits li.hit h2 a').length`); n == 0 {
		t.Error("search for jalan lists no hits")
	}
}

func testBrowserFacet(t *testing.T, tab context.Context, p *browserPortal) {
	open(t, tab, p.url+"/search?q=jalan")
	all := total(t, tab)
	facet := `//section[@data-facet="dataset"]//a[starts-with(normalize-space(.), "Pengadaan")]`
	if !exists(t, tab, facet) {
		t.Fatal(`no "Pengadaan" link in the dataset facet`)
	}
	follow(t, tab, chromedp.Search(facet))
	if got := location(t, tab).Query().Get("dataset"); got != "procurement" {
		t.Errorf("after the facet click dataset=%q, want procurement", got)
	}
	filtered := total(t, tab)
	if filtered <= 0 || filtered >= all {
		t.Errorf("procurement facet: %d results of %d, want fewer but some", filtered, all)
	}
	if !exists(t, tab, `//section[@data-facet="dataset"]//li[@class="selected"]/a[@aria-current="true"]`) {
		t.Error("the selected facet value is not marked")
	}
	clear := `//aside[contains(@class, "facets")]//a[normalize-space(.)="Hapus semua filter"]`
	if !exists(t, tab, clear) {
		t.Fatal(`no "Hapus semua filter" link once a filter is set`)
	}
	follow(t, tab, chromedp.Search(clear))
	if q := location(t, tab).Query(); q.Has("dataset") || q.Get("q") != "jalan" {
		t.Errorf("after clearing the filters the query is %v, want q=jalan alone", q)
	}
	if got := total(t, tab); got != all {
		t.Errorf("after clearing the filters %d results, want %d", got, all)
	}
}

// supplierPathRE matches the address of a supplier's page.
var supplierPathRE = regexp.MustCompile(`^/penyedia/[0-9]{15}$`)

// recordPathRE matches the address of a record's page.
var recordPathRE = regexp.MustCompile(`^/data/(budget|procurement|revenue)/[0-9]{2}\.[0-9]{2}/[0-9]{4}/[^/]+$`)

// openFirstHit searches for jalan and clicks the first hit's title.
func openFirstHit(t *testing.T, tab context.Context, p *browserPortal) {
	t.Helper()
	open(t, tab, p.url+"/search?q=jalan")
	follow(t, tab, chromedp.CSS("ol.hits li.hit h2 a"))
	if u := location(t, tab); !recordPathRE.MatchString(u.Path) {
		t.Fatalf("the first hit led to %s, want /data/{dataset}/{region}/{year}/{id}", u)
	}
}

func testBrowserRecord(t *testing.T, tab context.Context, p *browserPortal) {
	// On a phone, the record's money is on the first screen, not row 17
	// of its field table.
	do(t, tab, chromedp.EmulateViewport(360, 800))
	openFirstHit(t, tab, p)
	if top := eval[float64](t, tab, `document.querySelector('dl.amounts dd')?.getBoundingClientRect().top ?? 1e9`); top > 800 {
		t.Errorf("at 360 px the record's first amount is %v px down, below the first screen", top)
	}
	if n := eval[int](t, tab, `document.querySelectorAll('table.record tbody tr th[scope="row"] + td').length`); n < 5 {
		t.Errorf("record page shows %d fields, want a table of them", n)
	}
	if got := eval[string](t, tab, `document.querySelector('section.provenance h2')?.textContent.trim() ?? ""`); got != "Asal data" {
		t.Errorf("provenance heading %q, want %q", got, "Asal data")
	}
	for _, prefix := range []string{"/releases/", "/feeds/"} {
		if !eval[bool](t, tab, `[...document.querySelectorAll('section.provenance a')].some(a => a.getAttribute('href').startsWith(`+strconv.Quote(prefix)+`))`) {
			t.Errorf("provenance has no link to %s…", prefix)
		}
	}
}

// csvPathRE matches the address of a partition's CSV download.
var csvPathRE = regexp.MustCompile(`^/downloads/[^/]+/[a-z]+/[0-9]{2}\.[0-9]{2}/[0-9]{4}\.csv$`)

func testBrowserCSV(t *testing.T, tab context.Context, p *browserPortal) {
	openFirstHit(t, tab, p)
	href := eval[string](t, tab, `[...document.querySelectorAll('section.provenance a')].map(a => a.getAttribute('href')).find(h => /\/[0-9]{4}\.csv$/.test(h)) ?? ""`)
	if !csvPathRE.MatchString(href) {
		t.Fatalf("provenance CSV link %q, want /downloads/{release}/{dataset}/{region}/{year}.csv", href)
	}
	// Fetched by the page, so through the browser's own HTTP stack.
	type fetched struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Head   string `json:"head"`
	}
	got := eval[fetched](t, tab, `fetch(`+strconv.Quote(href)+`).then(async r => ({status: r.status, type: r.headers.get('content-type') ?? '', head: (await r.text()).slice(0, 300)}))`, chromedp.EvalAwaitPromise)
	if got.Status != 200 || !strings.HasPrefix(got.Type, "text/csv") {
		t.Fatalf("GET %s = %d %q", href, got.Status, got.Type)
	}
	if header, _, _ := strings.Cut(got.Head, "\n"); !strings.HasPrefix(header, "id,") {
		t.Errorf("CSV header %q does not start with id,", header)
	}
}

// pickerLink is a link to the region picker.
const pickerLink = `//a[@href="/wilayah" or starts-with(@href, "/wilayah?")]`

func testBrowserRegion(t *testing.T, tab context.Context, p *browserPortal) {
	open(t, tab, p.url+"/")
	clicks := 0
	if exists(t, tab, pickerLink) {
		follow(t, tab, chromedp.Search(pickerLink))
		clicks++
	} else {
		t.Error("home page has no link to the region picker /wilayah; going there by address")
		open(t, tab, p.url+"/wilayah")
	}
	for _, name := range []string{"Jawa Barat", "Kota Bandung"} {
		link := `//main//a[normalize-space(.)="` + name + `"]`
		if !exists(t, tab, link) {
			t.Fatalf("%s has no link to %s", location(t, tab).Path, name)
		}
		follow(t, tab, chromedp.Search(link))
		clicks++
	}
	if clicks > 3 {
		t.Errorf("Kota Bandung's profile is %d clicks from the home page, want at most 3", clicks)
	}
	if h1 := eval[string](t, tab, `document.querySelector('h1')?.textContent ?? ""`); !strings.Contains(h1, "Kota Bandung") {
		t.Errorf("region page heading %q lacks Kota Bandung (at %s)", h1, location(t, tab))
	}
	if !exists(t, tab, `//table[@data-table="jenis"]/tbody/tr/th[contains(., "Belanja Barang dan Jasa")]`) {
		t.Error(`budget table (table[data-table=jenis]) has no row "Belanja Barang dan Jasa"`)
	}
	if n := eval[int](t, tab, `document.querySelectorAll('table[data-table="largest"] tbody tr').length`); n == 0 {
		t.Error("no largest-contracts table (table[data-table=largest]) with rows")
	}
}

func testBrowserLanguage(t *testing.T, tab context.Context, p *browserPortal) {
	open(t, tab, p.url+"/")
	if got := eval[string](t, tab, `document.documentElement.lang`); got != "id" {
		t.Fatalf(`<html lang=%q> before the switch, want "id"`, got)
	}
	follow(t, tab, chromedp.CSS("header nav.langs a"))
	u := location(t, tab)
	if u.Path != "/" || u.Query().Get("lang") != "en" {
		t.Errorf("language switch led to %s, want /?lang=en", u)
	}
	checkEnglish(t, tab)
	if !exists(t, tab, `//form[contains(@class, "searchbox")]//button[normalize-space(.)="Search"]`) {
		t.Error(`the English home page has no "Search" button`)
	}
	cookies, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasCookie(cookies.Cookies, "lang", "en") {
		t.Errorf("no lang=en cookie after the switch: %v", cookies.Cookies)
	}
	// The next page, reached by a link without ?lang, stays English.
	follow(t, tab, chromedp.Search(pickerLink))
	if u := location(t, tab); u.Query().Has("lang") {
		t.Fatalf("the link to %s carries lang itself: the cookie is not what is tested", u)
	}
	checkEnglish(t, tab)
}

// checkEnglish checks that the page is in English: its lang, the layout's
// skip link and, where the page has one, the search button.
func checkEnglish(t *testing.T, tab context.Context) {
	t.Helper()
	at := location(t, tab)
	if got := eval[string](t, tab, `document.documentElement.lang`); got != "en" {
		t.Errorf(`<html lang=%q> at %s, want "en"`, got, at)
	}
	if got := eval[string](t, tab, `document.querySelector('a.skip')?.textContent.trim() ?? ""`); got != "Skip to content" {
		t.Errorf("skip link says %q at %s, want Skip to content", got, at)
	}
	if got := eval[*string](t, tab, `document.querySelector('form.searchbox button[type="submit"]')?.textContent.trim() ?? null`); got != nil && *got != "Search" {
		t.Errorf("search button says %q at %s, want Search", *got, at)
	}
}

func hasCookie(cookies []*network.Cookie, name, value string) bool {
	for _, c := range cookies {
		if c.Name == name && c.Value == value {
			return true
		}
	}
	return false
}

// uploadBudget is a valid 2024 budget feed of Kota Bandung, as the upload
// form takes it.
var uploadBudget = fixtureFeeds[0].csv

func testBrowserUpload(t *testing.T, tab context.Context, p *browserPortal) {
	file := filepath.Join(t.TempDir(), "apbd_kota_bandung_2024.csv")
	if err := os.WriteFile(file, []byte(uploadBudget), 0o644); err != nil {
		t.Fatal(err)
	}
	resp := open(t, tab, p.url+"/kirim")
	if resp.Status == 404 {
		t.Fatal("/kirim answers 404: the upload form is missing")
	}
	for _, want := range []string{`input[name="token"][type="password"]`, `select[name="dataset"]`, `input[name="year"]`, `input[name="file"][type="file"]`} {
		if !eval[bool](t, tab, `!!document.querySelector(`+strconv.Quote(want)+`)`) {
			t.Errorf("upload form lacks %s", want)
		}
	}
	if got := eval[string](t, tab, `document.querySelector('input[type="hidden"][name="csrf"]')?.value ?? ""`); got == "" {
		t.Error("upload form has no csrf token")
	}
	// Two lines over Bandung's published APBD of hundreds: refused as a
	// likely mistake, then sent again with the form's confirmation.
	send := func(confirm bool) string {
		if confirm {
			open(t, tab, p.url+"/kirim")
		}
		do(t, tab,
			chromedp.SendKeys(chromedp.CSS(`input[name="token"]`), p.bandung),
			chromedp.SetValue(chromedp.CSS(`select[name="dataset"]`), "budget"),
			chromedp.SetValue(chromedp.CSS(`input[name="year"]`), "2024"),
			chromedp.SetUploadFiles(chromedp.CSS(`input[name="file"]`), []string{file}),
		)
		if confirm {
			do(t, tab, chromedp.Click(chromedp.CSS(`input[name="confirm_shrink"]`)))
		}
		follow(t, tab, chromedp.CSS(`form:has(input[name="file"]) [type="submit"]`))
		if u := location(t, tab); !strings.HasPrefix(u.Path, "/feeds/") {
			t.Fatalf("the upload led to %s, want its report at /feeds/{id}", u)
		}
		return eval[string](t, tab, `document.querySelector('p.status')?.textContent.trim() ?? ""`)
	}
	if status := send(false); !strings.Contains(status, "Ditolak") ||
		!strings.Contains(eval[string](t, tab, `document.body.textContent`), "centang") {
		t.Errorf("a feed removing most of the published rows: status %q, want Ditolak with how to confirm", status)
	}
	if status := send(true); !strings.Contains(status, "Diterbitkan") {
		t.Errorf("feed report status %q, want Diterbitkan (published)", status)
	}
	if summary := eval[string](t, tab, `document.querySelector('dl.summary')?.textContent ?? ""`); !strings.Contains(summary, "Kota Bandung (32.73)") {
		t.Errorf("feed report summary does not name Kota Bandung (32.73): %q", summary)
	}
}

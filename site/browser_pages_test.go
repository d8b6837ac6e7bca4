package site

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/mux"
)

// This file checks every page of the portal as phones and a laptop show
// it: no page wider than the screen, chart labels a phone can read, a
// header on one row at 1280 px, search filters before the results on a
// phone, and no serious or critical accessibility violation by axe-core.
// It keeps a screenshot of each page at each width.

// pageWidths are the viewport widths every page is checked at: small,
// common and large phones, a tablet and a laptop.
var pageWidths = []int64{320, 360, 414, 768, 1280}

// minChartText is the smallest size, in CSS pixels, a chart label may be
// drawn at on any screen.
const minChartText = 12

// portalPage is a page of the portal to check.
type portalPage struct {
	name, path string
	status     int
}

// portalPages lists one page of each kind the portal serves, finding the
// addresses of records, a supplier, a release and a submission's report as
// a reader would, through the API.
func portalPages(t *testing.T, p *browserPortal) []portalPage {
	t.Helper()
	pages := []portalPage{
		{"home", "/", 200},
		{"search", "/search?q=jalan", 200},
		{"search_filtered", "/search?q=jalan&dataset=procurement&year=2024", 200},
		{"search_none", "/search?q=zzzyyyxxx", 200},
		{"region_picker", "/wilayah", 200},
		{"region", "/wilayah/32.73", 200},
		{"province", "/wilayah/32", 200},
		{"peers", "/wilayah/banding?tahun=2024", 200},
		{"datasets", "/datasets", 200},
		{"releases", "/releases", 200},
		{"upload", "/kirim", 200},
		{"token_help", "/kirim/token", 200},
		{"api", "/api", 200},
		{"method", "/metodologi", 200},
		{"flag_method", "/metodologi/tanda-risiko", 200},
		{"glossary", "/glosarium", 200},
		{"not_found", "/wilayah/99.99", 404},
		// English words run longer: the pages readers land on most, in
		// English too.
		{"home_en", "/?lang=en", 200},
		{"search_en", "/search?q=jalan&lang=en", 200},
		{"region_en", "/wilayah/32.73?lang=en", 200},
		{"upload_en", "/kirim?lang=en", 200},
	}
	for _, sc := range []string{"budget", "procurement", "procurement_bids", "revenue"} {
		pages = append(pages, portalPage{"dataset_" + sc, "/datasets/" + sc, 200})
	}
	for _, ds := range []string{"budget", "procurement", "revenue"} {
		var res struct {
			Results []struct {
				ID string `json:"id"`
			} `json:"results"`
		}
		getPortalJSON(t, p, "/api/v1/search?dataset="+ds+"&region=32.73&size=1", &res)
		if len(res.Results) == 0 {
			t.Fatalf("the demo has no %s record of Kota Bandung", ds)
		}
		var rec struct {
			URL string `json:"url"`
		}
		getPortalJSON(t, p, "/api/v1/records/"+url.PathEscape(res.Results[0].ID), &rec)
		u, err := url.Parse(rec.URL)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, portalPage{"record_" + ds, u.Path, 200})
	}
	pkg, line, _ := findFundedPackage(t, p)
	pages = append(pages, portalPage{"record_funded_line", line, 200})
	var pkgRec struct {
		Record map[string]any `json:"record"`
	}
	getPortalJSON(t, p, "/api/v1/records/"+url.PathEscape(pkg[strings.LastIndex(pkg, "/")+1:]), &pkgRec)
	npwp, _ := pkgRec.Record["supplier_tax_id"].(string)
	supplier := supplierURL(langID, npwp)
	if supplier == "" {
		t.Fatalf("package %s names no company NPWP (%q)", pkg, npwp)
	}
	pages = append(pages, portalPage{"supplier", supplier, 200})
	var list struct {
		Releases []struct {
			ID string `json:"id"`
		} `json:"releases"`
	}
	getPortalJSON(t, p, "/releases.json", &list)
	if len(list.Releases) == 0 {
		t.Fatal("/releases.json lists no release")
	}
	pages = append(pages, portalPage{"release", "/releases/" + list.Releases[0].ID, 200})
	pages = append(pages, portalPage{"feed_report", rejectedFeedReport(t, p), 200})
	return pages
}

// rejectedFeedReport pushes a Kota Bandung budget with errors, long values
// among them, and returns its report's address. Nothing is published.
func rejectedFeedReport(t *testing.T, p *browserPortal) string {
	t.Helper()
	body := "stage,agency_code,agency_name,program_code,program_name,account_code,account_name,amount,description\n" +
		"murni,1.03.01,Dinas Pekerjaan Umum dan Penataan Ruang,1.03.10,Program Penyelenggaraan Jalan,5.2.04.01.01.0001,Belanja Modal Jalan,Rp 25.000.000.000 (dua puluh lima miliar rupiah) menurut DPA,Jalan lingkar\n" +
		"murni,1.01.01,Dinas Pendidikan,1.01.02,Program Pengelolaan Pendidikan,5.1.2.02.01.0003.0001.0002.0003.0004,Belanja ATK,150000000,ATK sekolah\n"
	req, err := http.NewRequest(http.MethodPost, p.url+"/api/v1/feeds?dataset=budget&year=2024", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+p.bandung)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("pushing a budget with errors answered %d, want 422", resp.StatusCode)
	}
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/api/v1/feeds/")
	if id == "" {
		t.Fatal("the rejected push names no report")
	}
	return "/feeds/" + id
}

// getPortalJSON decodes the JSON the portal answers at path.
func getPortalJSON(t *testing.T, p *browserPortal, path string, v any) {
	t.Helper()
	resp, err := http.Get(p.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// axeSource is axe-core's script: $TERBUKA_AXE (make test sets it), else
// the copy `make axe` installs under .tools. Without it the test skips, or
// fails when TERBUKA_REQUIRE_BROWSER=1.
func axeSource(t *testing.T) string {
	t.Helper()
	file := os.Getenv("TERBUKA_AXE")
	if file == "" {
		found, _ := filepath.Glob(filepath.Join("..", ".tools", "axe-*", "node_modules", "axe-core", "axe.min.js"))
		if len(found) > 0 {
			file = found[len(found)-1]
		}
	}
	b, err := os.ReadFile(file)
	if err != nil || file == "" {
		if os.Getenv("TERBUKA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("TERBUKA_REQUIRE_BROWSER=1 but axe-core is missing (%q): run `make axe`", file)
		}
		t.Skipf("axe-core is missing (`make axe` installs it); skipping the page checks")
	}
	return string(b)
}

// axeViolation is one rule a page breaks, as axe-core reports it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// runAxe checks the page with axe-core (loaded once per page) and returns
// its violations of the WCAG 2.1 A and AA rules and best practices.
const runAxe = `(async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 120))}));
})()`

// smallChartText lists the chart labels drawn smaller than minChartText
// CSS pixels: an SVG text's font size in its own units times the scale its
// SVG is drawn at.
var smallChartText = fmt.Sprintf(`[...document.querySelectorAll('svg text')].filter(t => t.getClientRects().length > 0).map(t => {
  const m = t.getScreenCTM();
  const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  return {text: t.textContent.trim().slice(0, 40), px: Math.round(px * 10) / 10};
}).filter(l => l.px < %d)`, minChartText)

// cardsAmountNotFirst lists the rows of tables stacked as cards (under
// 600 px) that are not cards, or whose amount is not the first thing
// after the row's title.
const cardsAmountNotFirst = `[...document.querySelectorAll('table.stack tbody tr')].filter(tr => tr.getClientRects().length > 0).flatMap(tr => {
  const what = (tr.closest('table').dataset.table || tr.closest('table').className) + ' "' + tr.textContent.trim().replace(/\s+/g, ' ').slice(0, 30) + '"';
  if (getComputedStyle(tr).display === 'table-row') return [what + ' is still a table row'];
  const amount = tr.querySelector('td.amount');
  if (!amount) return [];
  const top = amount.getBoundingClientRect().top;
  const before = [...tr.querySelectorAll('td')].filter(td => td !== amount && td.getClientRects().length > 0 && td.getBoundingClientRect().top < top - 1);
  return before.length ? [what + ': ' + before.length + ' cells before its amount'] : [];
})`

// headerRows counts the rows the header's items are laid out in.
const headerRows = `(() => {
  const tops = [];
  for (const el of document.querySelectorAll('header.top > *, header.top nav a')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (!tops.some(t => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
  }
  return tops.length;
})()`

// notPages are the GET routes that answer data, not pages: files, JSON,
// feeds and metrics.
var notPages = regexp.MustCompile(`^/(api/v1/|api/3/|downloads/|healthz|metrics)|\.(json|csv|atom|jsonld)$|/template\.`)

// uncheckedPages lists the page routes of the portal's router that no page
// of pages answers: a new page must be added to portalPages.
func uncheckedPages(t *testing.T, p *browserPortal, pages []portalPage) []string {
	t.Helper()
	var missing []string
	err := p.srv.router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tmpl, err := route.GetPathTemplate()
		if err != nil {
			return nil
		}
		methods, _ := route.GetMethods()
		if !slices.Contains(methods, http.MethodGet) || notPages.MatchString(tmpl) {
			return nil
		}
		for _, pg := range pages {
			req := httptest.NewRequest(http.MethodGet, pg.path, nil)
			var m mux.RouteMatch
			if route.Match(req, &m) && m.Route == route {
				return nil
			}
		}
		missing = append(missing, tmpl)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return missing
}

func testBrowserPages(t *testing.T, browser context.Context, p *browserPortal) {
	axe := axeSource(t)
	dir := artifactsDir(t)
	pages := portalPages(t, p)
	for _, tmpl := range uncheckedPages(t, p, pages) {
		t.Errorf("page route %s is not among the pages checked: add one to portalPages", tmpl)
	}
	var overflowing, inaccessible, unreadable, cards []string
	var moderate []string
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			tab := newTab(t, browser)
			for _, width := range pageWidths {
				do(t, tab, chromedp.EmulateViewport(width, 800))
				resp := open(t, tab, p.url+pg.path)
				if resp.Status != int64(pg.status) {
					t.Errorf("%s at %d px answered %d, want %d", pg.path, width, resp.Status, pg.status)
					continue
				}
				// Measured before the screenshot, which resizes the page
				// to its content for a moment.
				m := eval[overflow](t, tab, measureOverflow)
				if m.InnerWidth != int(width) {
					t.Errorf("window is %d px wide, want %d", m.InnerWidth, width)
				}
				if m.ScrollWidth > m.InnerWidth {
					overflowing = append(overflowing, fmt.Sprintf("%s (%s) at %d px: document %d px wide; sticking out: %s",
						pg.name, pg.path, width, m.ScrollWidth, strings.Join(m.Culprits, "; ")))
				}
				type label struct {
					Text string  `json:"text"`
					PX   float64 `json:"px"`
				}
				for _, l := range eval[[]label](t, tab, smallChartText) {
					unreadable = append(unreadable, fmt.Sprintf("%s at %d px: chart label %q drawn at %.1f px", pg.name, width, l.Text, l.PX))
				}
				if width < 600 {
					for _, c := range eval[[]string](t, tab, cardsAmountNotFirst) {
						cards = append(cards, fmt.Sprintf("%s at %d px: %s", pg.name, width, c))
					}
				}
				if width == 1280 {
					if rows := eval[int](t, tab, headerRows); rows != 1 {
						t.Errorf("%s at 1280 px: the header takes %d rows, want 1", pg.name, rows)
					}
				}
				if !eval[bool](t, tab, `typeof axe !== 'undefined'`) {
					do(t, tab, chromedp.Evaluate[chromedp.Void](axe))
				}
				for _, v := range eval[[]axeViolation](t, tab, runAxe, chromedp.EvalAwaitPromise) {
					line := fmt.Sprintf("%s (%s) at %d px: %s [%s] %s: %s", pg.name, pg.path, width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, " | "))
					if v.Impact == "serious" || v.Impact == "critical" {
						inaccessible = append(inaccessible, line)
					} else {
						moderate = append(moderate, line)
					}
				}
				png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatalf("screenshot %s: %v", pg.path, err)
				}
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", pg.name, width)), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	// Moderate and minor findings are kept beside the screenshots, for
	// whoever improves the pages next; they do not fail the test.
	slices.Sort(moderate)
	if err := os.WriteFile(filepath.Join(dir, "axe-moderate.txt"), []byte(strings.Join(slices.Compact(moderate), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots of %d pages at %v px in %s", len(pages), pageWidths, dir)
	for _, o := range overflowing {
		t.Errorf("horizontal overflow: %s", o)
	}
	for _, v := range inaccessible {
		t.Errorf("axe-core: %s", v)
	}
	for _, u := range unreadable {
		t.Errorf("unreadable: %s", u)
	}
	for _, c := range cards {
		t.Errorf("stacked card: %s", c)
	}
}

// testBrowserFiltersOnPhone: on a 360 px phone the search filters are
// reached from the top of the results, not after them.
func testBrowserFiltersOnPhone(t *testing.T, tab context.Context, p *browserPortal) {
	do(t, tab, chromedp.EmulateViewport(360, 800))
	open(t, tab, p.url+"/search?q=jalan")
	type box struct {
		Found       bool    `json:"found"`
		ButtonTop   float64 `json:"buttonTop"`
		FirstHitTop float64 `json:"firstHitTop"`
		Height      float64 `json:"height"`
	}
	b := eval[box](t, tab, `(() => {
  const button = document.querySelector('details.filters > summary');
  const hit = document.querySelector('ol.hits li.hit');
  if (!button || !hit) return {found: false};
  return {found: true, buttonTop: button.getBoundingClientRect().top + scrollY, firstHitTop: hit.getBoundingClientRect().top + scrollY, height: innerHeight};
})()`)
	if !b.Found {
		t.Fatal("no filter button (details.filters > summary) or no hit on /search?q=jalan")
	}
	if b.ButtonTop >= b.FirstHitTop || b.ButtonTop >= b.Height {
		t.Errorf("the filter button is %v px down, the first result %v px, the screen %v px: want the button on the first screen, above the results", b.ButtonTop, b.FirstHitTop, b.Height)
	}
	facet := `//section[@data-facet="dataset"]//a[starts-with(normalize-space(.), "Pengadaan")]`
	if eval[bool](t, tab, `(() => { const a = document.evaluate(`+jsString(facet)+`, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue; return !!a && a.getClientRects().length > 0; })()`) {
		t.Error("the facets are open before the filter button is pressed: on a phone they push the results down")
	}
	do(t, tab, chromedp.Click(chromedp.CSS("details.filters > summary"), chromedp.NodeVisible))
	follow(t, tab, chromedp.Search(facet))
	if got := location(t, tab).Query().Get("dataset"); got != "procurement" {
		t.Errorf("after choosing Pengadaan in the filters dataset=%q, want procurement", got)
	}
}

// jsString quotes s as a JavaScript string.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

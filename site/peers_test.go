package site

import (
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// peersEnv is the demo published with more regencies and cities of Jawa
// Barat, so that Kota Bandung has neighbours to be ranked among, and the
// province's own government (32).
type peersEnv struct {
	ts      *httptest.Server
	st      store.Store
	release *publisher.Manifest
	regions *dataset.Regions
}

// Extra Jawa Barat governments: two publish their budget, one only its
// procurement (it has a profile, but no figure to compare).
var peersExtra = []struct{ dataset, region string }{
	{"budget", "32.04"}, {"budget", "32.77"}, {"procurement", "32.01"},
}

func newPeersEnv(t *testing.T) *peersEnv {
	t.Helper()
	years := []int{2023, 2024}
	d := publishDemo(t, demo.Options{Regions: 6, Provinces: 1, Years: years, Seed: 5, Scale: 0.3, AccountRegions: 1})
	regions := dataset.LoadRegions()
	dir := t.TempDir()
	var files []pipeline.FeedFile
	for _, x := range peersExtra {
		for _, y := range years {
			path := filepath.Join(dir, fmt.Sprintf("%s_%s_%d.csv", x.dataset, x.region, y))
			var b strings.Builder
			if _, err := demo.WriteFeed(&b, demo.Spec{Dataset: x.dataset, Region: regions.Lookup(x.region), Year: y, Open: y == 2024, Seed: 5, Scale: 0.3}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, pipeline.FeedFile{Path: path, Meta: intake.Meta{Dataset: x.dataset, Region: x.region, Year: y, File: filepath.Base(path)}})
		}
	}
	out, err := d.in.Run(t.Context(), d.pub, files, nil)
	if err != nil || !out.Published || len(out.Rejected()) > 0 {
		t.Fatalf("publish extra feeds: %v", err)
	}
	ix, err := search.Empty()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	srv, err := New(Config{Index: ix, Publisher: d.pub, Regions: regions, Log: quiet, Store: d.st, Reports: d.in})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &peersEnv{ts: ts, st: d.st, release: out.Release, regions: regions}
}

// peerFigs are a government's figures in a year as this test computes
// them, in the order belanja_per_kapita, pendapatan_per_kapita, realisasi.
type peerFigs struct {
	has [3]bool
	val [3]float64
}

// expectedPeers computes every government's figures from the published
// Parquet files with DESIGN.md's definitions, sharing no code with the
// portal: its own budget only (never its regencies'); the agency-level
// lines when it published any, else the deepest accounts of its budget by
// account; the latest plan (perubahan, else pergeseran, else murni);
// per-resident figures divided by its own population, in whole rupiah;
// realisation is belanja realised over belanja planned.
func expectedPeers(t *testing.T, st store.Store, m *publisher.Manifest, regions *dataset.Regions) map[string]map[int]peerFigs {
	t.Helper()
	type key struct {
		region string
		year   int
	}
	lines, accounts := map[key][]budgetRow{}, map[key][]accountRow{}
	for _, p := range m.Partitions {
		if p.Dataset != "budget" && p.Dataset != "budget_accounts" {
			continue
		}
		b, err := store.ReadAll(t.Context(), st, p.Path, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		k := key{p.Region, p.Year}
		if p.Dataset == "budget" {
			lines[k] = append(lines[k], readRows[budgetRow](t, b)...)
		} else {
			accounts[k] = append(accounts[k], readRows[accountRow](t, b)...)
		}
	}
	out := map[string]map[int]peerFigs{}
	keys := map[key]bool{}
	for k := range lines {
		keys[k] = true
	}
	for k := range accounts {
		keys[k] = true
	}
	for k := range keys {
		sums := map[string]map[string]int64{} // stage → group → sen
		add := func(stage, group string, v int64) {
			if sums[stage] == nil {
				sums[stage] = map[string]int64{}
			}
			sums[stage][group] += v
		}
		if len(lines[k]) > 0 {
			for _, r := range lines[k] {
				g := ""
				if r.Group != nil {
					g = *r.Group
				}
				add(r.Stage, g, r.Amount)
			}
		} else {
			// An account is summed only when no account of its stage
			// lies below it.
			for _, r := range accounts[k] {
				leaf := true
				for _, o := range accounts[k] {
					if o.Stage == r.Stage && strings.HasPrefix(o.Account, r.Account+".") {
						leaf = false
						break
					}
				}
				if leaf {
					add(r.Stage, map[byte]string{'4': "pendapatan", '5': "belanja", '6': "pembiayaan"}[r.Account[0]], r.Amount)
				}
			}
		}
		plan := ""
		for _, s := range []string{"perubahan", "pergeseran", "murni"} {
			if _, ok := sums[s]; ok {
				plan = s
				break
			}
		}
		var f peerFigs
		pop := regions.Lookup(k.region).Population
		if plan != "" && pop > 0 {
			for i, g := range []string{"belanja", "pendapatan"} {
				if v, ok := sums[plan][g]; ok {
					f.has[i], f.val[i] = true, float64(v/pop/100*100)
				}
			}
		}
		if real, ok := sums["realisasi"]["belanja"]; ok && plan != "" && sums[plan]["belanja"] > 0 {
			f.has[2], f.val[2] = true, float64(real)/float64(sums[plan]["belanja"])
		}
		if out[k.region] == nil {
			out[k.region] = map[int]peerFigs{}
		}
		out[k.region][k.year] = f
	}
	return out
}

// rankAndMedian places v among the published values of figure f of the
// governments in group.
func rankAndMedian(want map[string]map[int]peerFigs, group []string, year, f int, v float64, has bool) (rank, n int, med float64) {
	var vals []float64
	for _, c := range group {
		if g := want[c][year]; g.has[f] {
			vals = append(vals, g.val[f])
		}
	}
	slices.Sort(vals)
	n = len(vals)
	if n > 0 {
		med = vals[n/2]
		if n%2 == 0 {
			med = (vals[n/2-1] + vals[n/2]) / 2
		}
	}
	if has {
		rank = 1
		for _, x := range vals {
			if x > v {
				rank++
			}
		}
	}
	return rank, n, med
}

var (
	peerFigureTok = regexp.MustCompile(`data-peer-figure="([^"]+)"(?: data-own="([^"]+)")?|data-peer-scope="([^"]+)" data-rank="(\d+)" data-published="(\d+)" data-total="(\d+)"(?: data-median="([^"]+)")?`)
	peerRowTok    = regexp.MustCompile(`data-peer-row="([^"]+)" data-rank="(\d+)"|data-figure="([^"]+)"(?: data-raw="([^"]+)")?`)
	sortLinkTok   = regexp.MustCompile(`<a href="([^"]+)" data-sort-link="([^"]+)"`)
)

// peerSection reads a profile's comparison as figure/scope → rank,
// published, total, median, and figure → own value.
func peerSection(body string) (groups map[string][4]string, own map[string]string) {
	groups, own = map[string][4]string{}, map[string]string{}
	fig := ""
	for _, m := range peerFigureTok.FindAllStringSubmatch(body, -1) {
		if m[1] != "" {
			fig = m[1]
			own[fig] = m[2]
			continue
		}
		groups[fig+"/"+m[3]] = [4]string{m[4], m[5], m[6], m[7]}
	}
	return groups, own
}

type tableRow struct {
	code string
	rank int
	raw  map[string]string
}

// peerRows reads the comparison table's rows in order.
func peerRows(body string) []tableRow {
	var rows []tableRow
	for _, m := range peerRowTok.FindAllStringSubmatch(body, -1) {
		if m[1] != "" {
			rank, _ := strconv.Atoi(m[2])
			rows = append(rows, tableRow{code: m[1], rank: rank, raw: map[string]string{}})
			continue
		}
		if len(rows) > 0 && m[4] != "" {
			rows[len(rows)-1].raw[m[3]] = m[4]
		}
	}
	return rows
}

func codesOf(rows []tableRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.code)
	}
	return out
}

func raw(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

var peerFigureKeys = []string{"belanja_per_kapita", "pendapatan_per_kapita", "realisasi"}

// TestPeers publishes the demo once and checks the comparisons on it.
func TestPeers(t *testing.T) {
	env := newPeersEnv(t)
	t.Run("EqualParquet", func(t *testing.T) { testPeersEqualParquet(t, env) })
	t.Run("SortLinks", func(t *testing.T) { testPeersSortLinks(t, env) })
	t.Run("BadParameters", func(t *testing.T) { testPeersBadParameters(t, env) })
	t.Run("ProvinceApart", func(t *testing.T) { testPeersProvinceApart(t, env) })
	t.Run("PagesInBothLanguages", func(t *testing.T) { testPeersPagesInBothLanguages(t, env) })
}

// testPeersEqualParquet checks the ranks, medians and counts of each
// profile's comparison, and the comparison table's figures and ranks,
// against figures computed here from the Parquet files.
func testPeersEqualParquet(t *testing.T, env *peersEnv) {
	want := expectedPeers(t, env.st, env.release, env.regions)
	kabkota, provinces := 0, 0
	for _, r := range env.regions.All() {
		if r.IsProvince() {
			provinces++
		} else {
			kabkota++
		}
	}
	codes := slices.Sorted(maps.Keys(want))
	isProvince := func(c string) bool { return env.regions.Lookup(c).IsProvince() }
	checked := 0
	for _, year := range []int{2023, 2024} {
		var published []string // governments with a budget this year
		for _, c := range codes {
			if _, ok := want[c][year]; ok {
				published = append(published, c)
			}
		}
		for _, code := range append(slices.Clone(published), "32.01") {
			reg := env.regions.Lookup(code)
			resp, body := get(t, fmt.Sprintf("%s/wilayah/%s?tahun=%d", env.ts.URL, code, year))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s %d = %d", code, year, resp.StatusCode)
			}
			groups, own := peerSection(body)
			var level, inProvince []string
			for _, c := range published {
				if isProvince(c) == reg.IsProvince() {
					level = append(level, c)
					if !reg.IsProvince() && env.regions.Lookup(c).ProvinceCode == reg.ProvinceCode {
						inProvince = append(inProvince, c)
					}
				}
			}
			type scope struct {
				name  string
				group []string
				total int
			}
			scopes := []scope{{"tingkat", level, kabkota}}
			if reg.IsProvince() {
				scopes[0].total = provinces
			} else {
				scopes = append([]scope{{"provinsi", inProvince, len(env.regions.Children(reg.ProvinceCode))}}, scopes...)
			}
			if len(groups) != len(scopes)*3 {
				t.Errorf("%s %d: %d comparison rows, want %d: %v", code, year, len(groups), len(scopes)*3, groups)
			}
			mine := want[code][year]
			for f, key := range peerFigureKeys {
				wantOwn := ""
				if mine.has[f] {
					wantOwn = raw(mine.val[f])
				}
				if own[key] != wantOwn {
					t.Errorf("%s %d %s: own figure %q, want %q", code, year, key, own[key], wantOwn)
				}
				for _, sc := range scopes {
					rank, n, med := rankAndMedian(want, sc.group, year, f, mine.val[f], mine.has[f])
					w := [4]string{strconv.Itoa(rank), strconv.Itoa(n), strconv.Itoa(sc.total), ""}
					if n > 0 {
						w[3] = raw(med)
					}
					if got := groups[key+"/"+sc.name]; got != w {
						t.Errorf("%s %d %s among %s: rank, published, total, median = %v, want %v", code, year, key, sc.name, got, w)
					}
					checked++
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d comparisons checked", checked)
	}

	// The tables: every government of the level with a budget, ranked by
	// the figure sorted by, with the figures computed here.
	for _, level := range []string{"kabkota", "provinsi"} {
		for _, year := range []int{2023, 2024} {
			resp, body := get(t, fmt.Sprintf("%s/wilayah/banding?tahun=%d&tingkat=%s", env.ts.URL, year, level))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s %d = %d", level, year, resp.StatusCode)
			}
			var group []string
			for _, c := range codes {
				if _, ok := want[c][year]; ok && isProvince(c) == (level == "provinsi") {
					group = append(group, c)
				}
			}
			rows := peerRows(body)
			var got []string
			for _, r := range rows {
				got = append(got, r.code)
				f := want[r.code][year]
				rank, _, _ := rankAndMedian(want, group, year, 0, f.val[0], f.has[0])
				if r.rank != rank {
					t.Errorf("%s %d %s: rank %d, want %d", level, year, r.code, r.rank, rank)
				}
				for i, key := range peerFigureKeys {
					w := ""
					if f.has[i] {
						w = raw(f.val[i])
					}
					if r.raw[key] != w {
						t.Errorf("%s %d %s %s = %q, want %q", level, year, r.code, key, r.raw[key], w)
					}
				}
			}
			if !slices.Equal(slices.Sorted(slices.Values(got)), group) {
				t.Errorf("%s %d: table lists %v, want %v", level, year, got, group)
			}
		}
	}
}

// testPeersSortLinks follows the column headings' links and checks each
// reorders the table as its column says, governments without the figure
// last both ways.
func testPeersSortLinks(t *testing.T, env *peersEnv) {
	want := expectedPeers(t, env.st, env.release, env.regions)
	const year = 2023
	resp, body := get(t, fmt.Sprintf("%s/wilayah/banding?tahun=%d", env.ts.URL, year))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("default table = %d", resp.StatusCode)
	}
	// ordered reports whether rows run by figure f in the direction
	// desc, with those without it last.
	ordered := func(rows []tableRow, f int, desc bool) bool {
		for i := 1; i < len(rows); i++ {
			a, b := want[rows[i-1].code][year], want[rows[i].code][year]
			switch {
			case !a.has[f] && b.has[f]:
				return false
			case !a.has[f] || !b.has[f]:
				continue
			case desc && a.val[f] < b.val[f], !desc && a.val[f] > b.val[f]:
				return false
			}
		}
		return true
	}
	rows := peerRows(body)
	if len(rows) < 6 || !ordered(rows, 0, true) {
		t.Fatalf("default order is not spending per resident, largest first: %v", rows)
	}
	links := map[string]string{}
	for _, m := range sortLinkTok.FindAllStringSubmatch(body, -1) {
		links[m[2]] = html.UnescapeString(m[1])
	}
	if len(links) != 6 {
		t.Fatalf("sort links %v, want 6", links)
	}
	follow := func(link string) []tableRow {
		resp, body := get(t, env.ts.URL+link)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s = %d", link, resp.StatusCode)
		}
		return peerRows(body)
	}
	// The sorted column's link turns it round.
	if !strings.Contains(links["belanja_per_kapita"], "sort=belanja_per_kapita") {
		t.Errorf("sorted column's link %q does not reverse it", links["belanja_per_kapita"])
	} else if r := follow(links["belanja_per_kapita"]); !ordered(r, 0, false) || slices.Equal(codesOf(r), codesOf(rows)) {
		t.Errorf("ascending spending: %v", r)
	}
	for f, key := range peerFigureKeys[1:] {
		r := follow(links[key])
		if !ordered(r, f+1, true) {
			t.Errorf("%s, largest first: %v", key, r)
		}
		// and its rank column follows the figure sorted by
		for _, row := range r {
			fig := want[row.code][year]
			var group []string
			for c := range want {
				if _, ok := want[c][year]; ok && !env.regions.Lookup(c).IsProvince() {
					group = append(group, c)
				}
			}
			if rank, _, _ := rankAndMedian(want, group, year, f+1, fig.val[f+1], fig.has[f+1]); rank != row.rank {
				t.Errorf("%s: %s ranked %d, want %d", key, row.code, row.rank, rank)
			}
		}
	}
	byName := follow(links["nama"])
	names := func(rows []tableRow) []string {
		var out []string
		for _, r := range rows {
			out = append(out, env.regions.Lookup(r.code).Name)
		}
		return out
	}
	if n := names(byName); !slices.IsSorted(n) {
		t.Errorf("by name: %v", n)
	}
	byPop := follow(links["penduduk"])
	for i := 1; i < len(byPop); i++ {
		if env.regions.Lookup(byPop[i-1].code).Population < env.regions.Lookup(byPop[i].code).Population {
			t.Errorf("by population, largest first: %v", names(byPop))
			break
		}
	}
}

// testPeersBadParameters: a value the page cannot read is a 400 that says
// what it takes, in both languages.
func testPeersBadParameters(t *testing.T, env *peersEnv) {
	for _, tt := range []struct{ query, says string }{
		{"tingkat=desa", "tingkat harus kabkota atau provinsi"},
		{"sort=terbesar", "sort harus salah satu dari"},
		{"sort=--realisasi", "sort harus salah satu dari"},
		{"tahun=dua-ribu", "tahun harus bilangan bulat"},
		{"tahun=-2024", "tahun harus bilangan bulat"},
		{"tingkat=desa&lang=en", "tingkat must be kabkota or provinsi"},
	} {
		resp, body := get(t, env.ts.URL+"/wilayah/banding?"+tt.query)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s = %d, want 400", tt.query, resp.StatusCode)
		}
		if !strings.Contains(html.UnescapeString(body), tt.says) {
			t.Errorf("%s: the page does not say %q", tt.query, tt.says)
		}
	}
	// A year nobody published is an empty table, not an error.
	if resp, body := get(t, env.ts.URL+"/wilayah/banding?tahun=1999"); resp.StatusCode != http.StatusOK || len(peerRows(body)) != 0 {
		t.Errorf("1999 = %d with %d rows", resp.StatusCode, len(peerRows(body)))
	}
}

// testPeersProvinceApart: a province is compared with provinces only, on
// its own government's figures; it is never in the regencies' table or
// their counts, and its figures never include its regencies'.
func testPeersProvinceApart(t *testing.T, env *peersEnv) {
	want := expectedPeers(t, env.st, env.release, env.regions)
	for _, year := range []int{2023, 2024} {
		_, body := get(t, fmt.Sprintf("%s/wilayah/32?tahun=%d", env.ts.URL, year))
		groups, own := peerSection(body)
		for key := range groups {
			if !strings.HasSuffix(key, "/tingkat") {
				t.Errorf("%d: the province is compared in %s", year, key)
			}
		}
		if g := groups["belanja_per_kapita/tingkat"]; g[1] != "1" || g[2] != "38" {
			t.Errorf("%d: province compared with %s of %s, want 1 of 38 provinces", year, g[1], g[2])
		}
		if own["belanja_per_kapita"] != raw(want["32"][year].val[0]) {
			t.Errorf("%d: province's spending per resident %s, want its own %s", year, own["belanja_per_kapita"], raw(want["32"][year].val[0]))
		}
		// Its own figure is not what adding its regencies would give,
		// so the comparison above tells them apart.
		stages := map[string]map[string]int64{} // stage → province's own, with members
		for _, p := range env.release.Partitions {
			if p.Dataset == "budget" && p.Year == year && (p.Region == "32" || strings.HasPrefix(p.Region, "32.")) {
				b, err := store.ReadAll(t.Context(), env.st, p.Path, 1<<30)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range readRows[budgetRow](t, b) {
					if r.Group != nil && *r.Group == "belanja" {
						if p.Region == "32" {
							add2(stages, r.Stage, "own", r.Amount)
						}
						add2(stages, r.Stage, "all", r.Amount)
					}
				}
			}
		}
		for _, st := range []string{"perubahan", "pergeseran", "murni"} {
			if sums, ok := stages[st]; ok && sums["own"] > 0 {
				pop := env.regions.Lookup("32").Population
				if float64(sums["all"]/pop/100*100) == want["32"][year].val[0] || float64(sums["own"]/pop/100*100) != want["32"][year].val[0] {
					t.Errorf("%d: the province's own spending per resident cannot be told from the sum with its regencies", year)
				}
				break
			}
		}

		_, body = get(t, fmt.Sprintf("%s/wilayah/banding?tahun=%d&tingkat=kabkota", env.ts.URL, year))
		for _, r := range peerRows(body) {
			if env.regions.Lookup(r.code).IsProvince() {
				t.Errorf("%d: province %s in the regencies' table", year, r.code)
			}
		}
		_, body = get(t, fmt.Sprintf("%s/wilayah/banding?tahun=%d&tingkat=provinsi", env.ts.URL, year))
		rows := peerRows(body)
		if len(rows) != 1 || rows[0].code != "32" || rows[0].rank != 1 {
			t.Errorf("%d: provinces' table %v, want Jawa Barat alone", year, rows)
		}
		if strings.Count(body, "data-tile=") != 38 || !strings.Contains(body, `aria-label="Jawa Barat – JB: `+rupiah(langID, int64(want["32"][year].val[0]))+`"`) {
			t.Errorf("%d: the map has no tile of Jawa Barat with its own figure", year)
		}
		_, body = get(t, fmt.Sprintf("%s/wilayah/32.73?tahun=%d", env.ts.URL, year))
		groups, _ = peerSection(body)
		if g := groups["belanja_per_kapita/provinsi"]; g[2] != strconv.Itoa(len(env.regions.Children("32"))) {
			t.Errorf("%d: Kota Bandung's province group counts %s governments, want Jawa Barat's %d regencies and cities", year, g[2], len(env.regions.Children("32")))
		}
	}
}

// testPeersPagesInBothLanguages renders the section and the table in
// both languages with no raw message key showing.
func testPeersPagesInBothLanguages(t *testing.T, env *peersEnv) {
	rawKey := regexp.MustCompile(`peers\.[a-z_.]+`)
	for _, path := range []string{"/wilayah/32.73?tahun=2023", "/wilayah/32?tahun=2023", "/wilayah/banding", "/wilayah/banding?tingkat=provinsi&sort=realisasi", "/wilayah/banding?sort=-pendapatan_per_kapita&tahun=2023"} {
		for _, lang := range []string{"id", "en"} {
			resp, body := get(t, env.ts.URL+path+map[bool]string{true: "&", false: "?"}[strings.Contains(path, "?")]+"lang="+lang)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s (%s) = %d", path, lang, resp.StatusCode)
				continue
			}
			if m := rawKey.FindString(body); m != "" {
				t.Errorf("%s (%s) shows the raw key %s", path, lang, m)
			}
			if lang == "en" && strings.Contains(body, `href="/wilayah/banding?`) && !strings.Contains(body, "lang=en") {
				t.Errorf("%s (en): links drop the language", path)
			}
		}
	}
}

// TestPeersStatistics pins rank and median on small cases: ties share a
// rank, an even count's median is the mean of the middle two.
func TestPeersStatistics(t *testing.T) {
	vals := []float64{5, 1, 3, 3}
	for _, tt := range []struct {
		v    float64
		rank int
	}{{5, 1}, {3, 2}, {1, 4}, {4, 2}} {
		if got := rankOf(vals, tt.v); got != tt.rank {
			t.Errorf("rank of %g = %d, want %d", tt.v, got, tt.rank)
		}
	}
	if m := median(vals); m != 3 {
		t.Errorf("median %v = %g", vals, m)
	}
	if m := median([]float64{4, 1, 2}); m != 2 {
		t.Errorf("odd median = %g", m)
	}
	if m := median([]float64{100, 300}); m != 200 {
		t.Errorf("even median = %g", m)
	}
	sorted := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	var bins []int
	for _, v := range sorted {
		bins = append(bins, binOf(sorted, v))
	}
	if !slices.Equal(bins, []int{0, 0, 1, 1, 2, 2, 3, 3, 4, 4}) {
		t.Errorf("bins %v", bins)
	}
}

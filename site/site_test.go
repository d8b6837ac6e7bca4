package site

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store/storetest"
)

var assetHash = regexp.MustCompile(`/static/([a-z]+)\.[0-9a-f]{8}\.([a-z]+)`)

// maskAssets hides the content hashes in asset names: a stylesheet edit is
// not a change of the pages.
func maskAssets(page string) string { return assetHash.ReplaceAllString(page, "$1.HASH.$2") }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixtureFeed is a feed of a test portal: what it is, and its CSV.
type fixtureFeed struct {
	meta intake.Meta
	csv  string
}

// fixtureFeeds are small feeds in the canonical CSV form.
var fixtureFeeds = []fixtureFeed{
	{intake.Meta{Dataset: "budget", Region: "32.73", Year: 2024}, "stage,agency_code,agency_name,program_code,program_name,account_code,account_name,amount,description\n" +
		"murni,1.03.01,Dinas Pekerjaan Umum dan Penataan Ruang,1.03.10,Program Penyelenggaraan Jalan,5.2.04.01.01.0001,Belanja Modal Jalan Kabupaten/Kota,25000000000,Pembangunan jalan lingkar\n" +
		"murni,1.01.01,Dinas Pendidikan,1.01.02,Program Pengelolaan Pendidikan,5.1.02.01.01.0024,Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor,150000000.50,ATK sekolah\n"},
	{intake.Meta{Dataset: "procurement", Region: "32.73", Year: 2024}, "package_id,tender_id,title,agency_name,method,category,budget_ceiling,contract_value,supplier_name,supplier_tax_id\n" +
		"51554309,4528194,Pembangunan Jalan Desa Cibiru,Dinas Pekerjaan Umum dan Penataan Ruang,tender,pekerjaan konstruksi,2309880000,2029932492,PT Karya Jalan Nusantara,01.572.337.2-014.000\n" +
		"51554310,,Pengadaan Laptop untuk Dinas Pendidikan,Dinas Pendidikan,e-purchasing,barang,450000000,438000000,CV Sinar Komputer,02.411.369.8-013.000\n"},
	{intake.Meta{Dataset: "revenue", Region: "32.04", Year: 2024}, "period,kind,type_code,type_name,account_code,target,realized\n" +
		"0,pajak,PBB-P2,Pajak Bumi dan Bangunan Perdesaan dan Perkotaan,4.1.01.15,120000000000,\n" +
		"8,pajak,PBB-P2,Pajak Bumi dan Bangunan Perdesaan dan Perkotaan,4.1.01.15,,30500000000\n"},
}

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	return newTestServerOn(t, todays[0])
}

// newTestServerOn is newTestServer with its clock reading today.
func newTestServerOn(t *testing.T, today time.Time) *httptest.Server {
	t.Helper()
	return newTestServerWith(t, today, fixtureFeeds)
}

// newTestServerWith is a portal searching the given feeds.
func newTestServerWith(t *testing.T, today time.Time, feeds []fixtureFeed) *httptest.Server {
	t.Helper()
	ctx := t.Context()
	ix, err := search.Open(search.Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for _, f := range feeds {
		var recs []dataset.Record
		rep := &intake.Report{}
		err := intake.Validate(ctx, strings.NewReader(f.csv), f.meta, dataset.LoadRegions(), rep, func(r dataset.Record) error {
			recs = append(recs, append(dataset.Record(nil), r...))
			return nil
		})
		if err != nil || !rep.OK() {
			t.Fatalf("fixture %s: %v %+v", f.meta.Dataset, err, rep.Errors)
		}
		seq := func(yield func(dataset.Record, error) bool) {
			for _, r := range recs {
				if !yield(r, nil) {
					return
				}
			}
		}
		p := search.Partition{Dataset: f.meta.Dataset, Region: f.meta.Region, Year: f.meta.Year, SHA256: "fixture"}
		if err := ix.Replace(ctx, p, seq); err != nil {
			t.Fatal(err)
		}
	}
	// Golden files hold the hits' order, which follows their scores, which
	// follow the index's segments until they are merged: merge them now,
	// not at scorch's leisure.
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Index: ix, Publisher: publisher.New(storetest.Dir(t), quiet), Regions: dataset.LoadRegions(), Log: quiet, Now: clockAt(today)})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetReady()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

var (
	tookMS = regexp.MustCompile(`"took_ms": [0-9.e-]+`)
	// hitScore is a hit's score as the API writes it: a field of a hit,
	// not of its fields (indented deeper) or of the response.
	hitScore = regexp.MustCompile(`(?m)^      "score": (\S+),$`)
)

// maskIncidentals checks the incidental numbers of a search API answer,
// the hits' BM25 scores and the time taken, and replaces them: a score
// follows Bleve's version and the index's layout, and ranking is covered
// by the judged relevance set, so a golden file holding one would test
// nothing but need rewriting after every upgrade. A scored search (words,
// ordered by relevance) must give finite positive scores in non-increasing
// order, shown as "…"; an unscored one gives 0, which stays.
func maskIncidentals(t *testing.T, body string, scored bool) string {
	t.Helper()
	var res apiResponse
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatalf("decode the answer: %v\n%s", err, body)
	}
	for i, h := range res.Results {
		switch {
		case !scored && h.Score != 0:
			t.Errorf("hit %d (%s) has score %v; an unscored search gives 0", i, h.ID, h.Score)
		case scored && !(h.Score > 0 && !math.IsInf(h.Score, 0)):
			t.Errorf("hit %d (%s) has score %v, want a finite positive number", i, h.ID, h.Score)
		case scored && i > 0 && h.Score > res.Results[i-1].Score:
			t.Errorf("hit %d (%s) scores %v, above hit %d's %v: not in relevance order", i, h.ID, h.Score, i-1, res.Results[i-1].Score)
		}
	}
	if !(res.TookMS >= 0) || math.IsInf(res.TookMS, 0) {
		t.Errorf("took_ms = %v, want a finite number ≥ 0", res.TookMS)
	}
	n := 0
	body = hitScore.ReplaceAllStringFunc(body, func(line string) string {
		if v, err := strconv.ParseFloat(hitScore.FindStringSubmatch(line)[1], 64); err != nil || n >= len(res.Results) || v != res.Results[n].Score {
			t.Fatalf("score line %q is not hit %d's score", line, n)
		}
		n++
		if !scored {
			return line
		}
		return `      "score": "…",`
	})
	if n != len(res.Results) {
		t.Fatalf("%d score lines for %d hits", n, len(res.Results))
	}
	return tookMS.ReplaceAllString(body, `"took_ms": 0`)
}

func TestAPISearchGolden(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, query string
		scored      bool
	}{
		{"jalan", "q=jalan", true},
		{"jalan_procurement", "q=jalan&dataset=procurement", true},
		{"all_2024_region", "region=32.73&year=2024", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, ts.URL+"/api/v1/search?"+tt.query)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d, content type %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			testfiles.Golden(t, filepath.Join("testdata", "api_search_"+tt.name+".json"), maskIncidentals(t, body, tt.scored))
		})
	}
}

func TestAPISearchJalanHitsBudgetAndProcurement(t *testing.T) {
	ts := newTestServer(t)
	_, body := get(t, ts.URL+"/api/v1/search?q=jalan")
	var res apiResponse
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	var datasets []string
	for _, f := range res.Facets["dataset"] {
		datasets = append(datasets, f.Value)
	}
	if res.Total != 2 || len(res.Results) != 2 {
		t.Errorf("total = %d, results = %d; want the budget line and the procurement package", res.Total, len(res.Results))
	}
	if diff := cmp.Diff(datasets, []string{"budget", "procurement"}); diff != "" {
		t.Errorf("dataset facet (-got +want):\n%s", diff)
	}
}

func TestSearchPage(t *testing.T) {
	ts := newTestServer(t)
	resp, body := get(t, ts.URL+"/search?q=laptop")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{`<html lang="id">`, `<span class="total">1</span>`, "Pengadaan <mark>Laptop</mark> untuk Dinas Pendidikan", "Rp\u00a0450.000.000", "Kota Bandung", `data-facet="dataset"`, "Pengadaan barang/jasa"} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	_, en := get(t, ts.URL+"/search?q=laptop&lang=en")
	if !strings.Contains(en, `<html lang="en">`) || !strings.Contains(en, "Public procurement") {
		t.Error("?lang=en does not switch the page to English")
	}
}

// TestSearchPageWhenWordsAreMissing covers what a citizen sees when not
// every word is found: the records holding most words, each labelled; a
// "did you mean" for a misspelt word; and a way out of filters that leave
// nothing.
func TestSearchPageWhenWordsAreMissing(t *testing.T) {
	ts := newTestServer(t)
	_, body := get(t, ts.URL+"/search?q=laptop+kapal")
	for _, want := range []string{`<li class="hit partial"`, `<span class="badge partial">memuat sebagian kata</span>`,
		`<p class="partial-note"><strong>0</strong> hasil memuat semua kata`, "Pengadaan <mark>Laptop</mark> untuk Dinas Pendidikan"} {
		if !strings.Contains(body, want) {
			t.Errorf("laptop kapal: page lacks %q", want)
		}
	}
	// Two edits from laptop: too far for typo tolerance, near enough to
	// suggest.
	_, body = get(t, ts.URL+"/search?q=laptoopp&lang=en")
	if want := `Did you mean: <a href="/search?lang=en&amp;q=laptop">laptop</a>?`; !strings.Contains(body, want) {
		t.Errorf("laptoopp: page lacks %q", want)
	}
	_, body = get(t, ts.URL+"/search?q=laptop&dataset=revenue")
	if want := `<a href="/search?q=laptop">Cari tanpa filter</a>`; !strings.Contains(body, want) {
		t.Errorf("laptop among levies: page lacks %q", want)
	}
	var res apiResponse
	_, body = get(t, ts.URL+"/api/v1/search?q=laptop+kapal")
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.TotalAllWords != 0 || len(res.Results) != 1 || res.Results[0].Match != "partial" {
		t.Errorf("laptop kapal: total %d, all words %d, results %+v", res.Total, res.TotalAllWords, res.Results)
	}
}

func TestHomePage(t *testing.T) {
	ts := newTestServer(t)
	resp, body := get(t, ts.URL+"/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{`<form class="searchbox" action="/search"`, `name="q"`, "APBD (anggaran dan realisasi)"} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
}

func TestBadInputIs4xx(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{
		"/api/v1/search?size=-1",
		"/api/v1/search?size=abc",
		"/api/v1/search?from=20000",
		"/api/v1/search?dataset=nope",
		"/api/v1/search?q=" + strings.Repeat("a", 600),
		"/api/v1/search?q=*",
		"/api/v1/search?q=%2F.*%2F",
		"/api/v1/search?q=a*",
		"/api/v1/search?q=" + strings.Repeat("jalan+", 2000),
		"/api/v1/search?size=1000000",
		"/api/v1/search?from=1000000",
		"/search?q=%22unclosed",
		"/search?year=20x4",
		"/nope",
	} {
		t.Run(path[:min(len(path), 40)], func(t *testing.T) {
			resp, body := get(t, ts.URL+path)
			if resp.StatusCode < 400 || resp.StatusCode >= 500 {
				t.Errorf("status %d, want 4xx: %.200s", resp.StatusCode, body)
			}
		})
	}
}

func TestQueryErrorIsExplained(t *testing.T) {
	ts := newTestServer(t)
	resp, body := get(t, ts.URL+"/api/v1/search?q=jal*")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"message": "wildcard (* atau ?) tidak didukung`) || !strings.Contains(body, `"code": "bad_request"`) {
		t.Errorf("API: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, ts.URL+"/search?q=jal*")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "wildcard (* atau ?) tidak didukung") {
		t.Errorf("page: %d, want the Indonesian explanation:\n%.500s", resp.StatusCode, body)
	}
}

func TestAPISortRangeAndCursor(t *testing.T) {
	ts := newTestServer(t)
	var res apiResponse
	_, body := get(t, ts.URL+"/api/v1/search?sort=-amount&min=Rp+150.000.000,50&size=2")
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total != 5 || len(res.Results) != 2 || res.Results[0].Amount != "30500000000.00" || res.Next == "" {
		t.Fatalf("first page = total %d, %+v, next %q", res.Total, res.Results, res.Next)
	}
	seen := map[string]bool{res.Results[0].ID: true, res.Results[1].ID: true}
	for next := res.Next; next != ""; {
		var page apiResponse
		_, body := get(t, ts.URL+"/api/v1/search?sort=-amount&min=Rp+150.000.000,50&size=2&after="+next)
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Results {
			if seen[r.ID] {
				t.Fatalf("cursor page repeats %s", r.ID)
			}
			seen[r.ID] = true
		}
		next = page.Next
	}
	if len(seen) != 5 {
		t.Errorf("cursor pages gave %d records, want 5", len(seen))
	}
	for _, bad := range []string{"min=12,5,0", "max=abc", "date_from=31/02/2024", "sort=besar", "after=xyz"} {
		resp, body := get(t, ts.URL+"/api/v1/search?"+bad)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400: %.200s", bad, resp.StatusCode, body)
		}
	}
}

// TestOpenAPIGolden pins the API description and checks that every
// parameter it documents is one the API reads.
func TestOpenAPIGolden(t *testing.T) {
	ts := newTestServer(t)
	_, body := get(t, ts.URL+"/api/v1/openapi.json")
	testfiles.Golden(t, filepath.Join("testdata", "openapi.json"), body)
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name string }
		}
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range doc.Paths["/api/v1/search"]["get"].Parameters {
		resp, body := get(t, ts.URL+"/api/v1/search?"+p.Name+"=zz-unlikely")
		// A parameter the API ignored would answer 200 with every record;
		// a read one filters to nothing or refuses the value.
		if resp.StatusCode == http.StatusOK && !strings.Contains(body, `"total": 0`) && p.Name != "q" {
			t.Errorf("documented parameter %s seems ignored: %.200s", p.Name, body)
		}
	}
}

func TestHealth(t *testing.T) {
	ts := newTestServer(t)
	resp, body := get(t, ts.URL+"/healthz")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"documents": 6`) {
		t.Errorf("healthz = %d %s", resp.StatusCode, body)
	}
}

// swappingSearcher is a replica's index at the moment its downloaded
// generation goes live: the count is of the empty index it searched until
// then, and the swap (and the portal's readiness) lands while the health
// check is still running.
type swappingSearcher struct {
	Searcher
	swapped func()
}

func (s *swappingSearcher) DocCount() (uint64, error) {
	s.swapped()
	return 0, nil
}

// TestHealthNeverReadyOfAnEmptyIndex: /healthz says index_ready only of
// the index it counted. A replica's start is timed by it.
func TestHealthNeverReadyOfAnEmptyIndex(t *testing.T) {
	ix, err := search.Empty()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	sw := &swappingSearcher{Searcher: ix}
	e := newPushEnv(t, Config{Index: sw})
	sw.swapped = e.srv.SetReady
	_, body := get(t, e.ts.URL+"/healthz")
	var h struct {
		Documents uint64 `json:"documents"`
		Ready     bool   `json:"index_ready"`
	}
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		t.Fatal(err)
	}
	if h.Ready && h.Documents == 0 {
		t.Errorf("healthz says ready of an empty index: %s", body)
	}
}

// TestPagesGolden pins the rendered HTML of the pages, so a template change
// shows up as a reviewable diff (go test ./site -update rewrites them).
//
// The pages are rendered on two days, against the same golden files: the
// pages must not depend on the date they are served.
func TestPagesGolden(t *testing.T) {
	tests := []struct{ name, path string }{
		{"home", "/"},
		{"search_jalan", "/search?q=jalan"},
		{"search_filtered_en", "/search?q=jalan&dataset=procurement&lang=en"},
		{"not_found", "/tidak-ada"},
	}
	for _, today := range todays {
		t.Run(today.Format("2006-01-02"), func(t *testing.T) {
			ts := newTestServerOn(t, today)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, body := get(t, ts.URL+tt.path)
					testfiles.Golden(t, filepath.Join("testdata", "page_"+tt.name+".html"), maskAssets(body))
				})
			}
		})
	}
}

// TestUnknownAddressesByAudience: under /api/ a client gets JSON, with the
// error shape every API error has; elsewhere a person gets a page. A known
// address asked with a method it does not take answers 405 with Allow.
func TestUnknownAddressesByAudience(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		method, path string
		status       int
		json         bool
		code, allow  string
	}{
		{http.MethodGet, "/api/v1/tidak-ada", http.StatusNotFound, true, "not_found", ""},
		{http.MethodGet, "/api/v9/search", http.StatusNotFound, true, "not_found", ""},
		{http.MethodPost, "/api/v1/search", http.StatusMethodNotAllowed, true, "method_not_allowed", "GET, HEAD"},
		{http.MethodDelete, "/api/v1/feeds", http.StatusMethodNotAllowed, true, "method_not_allowed", "POST"},
		{http.MethodGet, "/tidak-ada", http.StatusNotFound, false, "", ""},
		{http.MethodPost, "/search", http.StatusMethodNotAllowed, false, "", "GET, HEAD"},
		// /api itself is the documentation page.
		{http.MethodGet, "/api", http.StatusOK, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tt.method, ts.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			ct := resp.Header.Get("Content-Type")
			if !tt.json {
				if !strings.HasPrefix(ct, "text/html") {
					t.Errorf("content type %q, want a page", ct)
				}
				return
			}
			var e apiError
			if !strings.HasPrefix(ct, "application/json") || json.Unmarshal(body, &e) != nil {
				t.Fatalf("content type %q, body %s: want a JSON error", ct, body)
			}
			if e.Error.Code != tt.code || e.Error.Message == "" || e.Error.MessageEN == "" {
				t.Errorf("error %+v, want code %q with messages in both languages", e.Error, tt.code)
			}
		})
	}
}

// TestRecordAPI finds a record by the id search gives, with the fields of
// the downloads, and answers an unknown id with a JSON 404.
func TestRecordAPI(t *testing.T) {
	env := newCacheEnv(t)
	ts := env.ts
	var res apiResponse
	_, body := get(t, ts.URL+"/api/v1/search?q=laptop")
	if err := json.Unmarshal([]byte(body), &res); err != nil || len(res.Results) != 1 {
		t.Fatalf("search laptop: %v %s", err, body)
	}
	hit := res.Results[0]
	resp, body := get(t, ts.URL+"/api/v1/records/"+hit.ID)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var got struct {
		recordJSON
		Record map[string]any `json:"record"`
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.ID != hit.ID || got.Dataset != "procurement" || got.Region != "32.73" || got.Year != hit.Year || got.Release == "" {
		t.Errorf("record %+v, want procurement 32.73 %d with a release", got.recordJSON, hit.Year)
	}
	// Rp 450.000.000, the fixture's ceiling, as an exact JSON number.
	if got.Record["title"] != hit.Title || got.Record["budget_ceiling"] != json.Number("450000000.00") || got.Record["id"] != hit.ID {
		t.Errorf("record fields %v", got.Record)
	}
	if !strings.HasSuffix(got.URL, "/data/procurement/32.73/"+strconv.Itoa(hit.Year)+"/"+hit.ID) || !strings.HasSuffix(got.Download, ".ndjson.gz") {
		t.Errorf("url %s, download %s", got.URL, got.Download)
	}
	resp, body = get(t, ts.URL+"/api/v1/records/tidak-ada")
	var e apiError
	if resp.StatusCode != http.StatusNotFound || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != "not_found" {
		t.Errorf("unknown id: status %d, body %s", resp.StatusCode, body)
	}
}

package site

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/search"
)

// countingSearcher counts the searches that reach the index.
type countingSearcher struct {
	Searcher
	searches atomic.Int64
}

func (c *countingSearcher) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	c.searches.Add(1)
	return c.Searcher.Search(ctx, q)
}

// cacheEnv is a portal with a published release whose index is synced
// and reported as a serving portal's follower does it, counting the
// searches that reach the index.
type cacheEnv struct {
	*pushEnv
	ix      *search.Index
	counted *countingSearcher
}

func newCacheEnv(t *testing.T) *cacheEnv {
	t.Helper()
	return newCacheEnvWith(t, Config{})
}

// newCacheEnvWith is newCacheEnv with cfg's settings besides its index.
func newCacheEnvWith(t *testing.T, cfg Config) *cacheEnv {
	t.Helper()
	ix, err := search.Open(search.Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	counted := &countingSearcher{Searcher: ix}
	cfg.Index = counted
	e := &cacheEnv{pushEnv: newPushEnv(t, cfg), ix: ix, counted: counted}
	for _, f := range fixtureFeeds[:2] {
		if status, rep, _ := e.push(t, "dataset="+f.meta.Dataset+"&year=2024", e.bandung, "text/csv", []byte(f.csv)); status != http.StatusCreated {
			t.Fatalf("push %s = %d %v", f.meta.Dataset, status, rep)
		}
	}
	e.follow(t)
	return e
}

// follow syncs the index with the live release and reports it, as
// indexer.Follower's Run does; it returns the release.
func (e *cacheEnv) follow(t *testing.T) string {
	t.Helper()
	m, err := e.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	sy := &indexer.Syncer{Store: e.st, Index: e.ix, Log: quiet, TempDir: t.TempDir()}
	if err := sy.Sync(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	e.srv.SetReady()
	e.srv.Followed(m.ID, m.ID)
	return m.ID
}

// publishAmendment pushes Kota Bandung's amended budget: a new release.
func (e *cacheEnv) publishAmendment(t *testing.T) string {
	t.Helper()
	csv := "agency_name,account_code,account_name,amount\nDinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1200000000\n"
	status, rep, _ := e.push(t, "dataset=budget&year=2024&stage=perubahan", e.bandung, "text/csv", []byte(csv))
	if status != http.StatusCreated {
		t.Fatalf("push perubahan = %d %v", status, rep)
	}
	return rep["release"].(string)
}

// firstHit is the record page of the first hit of q, from the search API.
func (e *cacheEnv) firstHit(t *testing.T, q string) string {
	t.Helper()
	_, body := get(t, e.ts.URL+"/api/v1/search?q="+q)
	var res struct {
		Results []struct {
			ID, Dataset string
			Region      string `json:"region_code"`
			Year        int    `json:"fiscal_year"`
		}
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || len(res.Results) == 0 {
		t.Fatalf("search %s: %v %s", q, err, body)
	}
	h := res.Results[0]
	return fmt.Sprintf("/data/%s/%s/%d/%s", h.Dataset, h.Region, h.Year, h.ID)
}

// answer is what a test checks of an answer's caching headers.
type answer struct {
	status       int
	etag         string
	cacheControl string
	vary         string
	setCookie    bool
	body         []byte
}

func fetchAnswer(t *testing.T, c *http.Client, method, url string, header map[string]string) answer {
	t.Helper()
	resp, body := fetch(t, c, method, url, header)
	return answer{status: resp.StatusCode, etag: resp.Header.Get("ETag"), cacheControl: resp.Header.Get("Cache-Control"),
		vary: strings.Join(resp.Header.Values("Vary"), ", "), setCookie: len(resp.Header.Values("Set-Cookie")) > 0, body: body}
}

// TestHTTPCacheHeadersByRoute: each kind of route says what a cache in
// front may do with its answer, and the same request gets the same ETag.
func TestHTTPCacheHeadersByRoute(t *testing.T) {
	e := newCacheEnv(t)
	release, err := e.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c := rawClient(t)
	record := e.firstHit(t, "jalan")
	const (
		shared    = "public, max-age=60, stale-while-revalidate=60"
		private   = "private, max-age=60, stale-while-revalidate=60"
		immutable = "public, max-age=31536000, immutable"
	)
	tests := []struct {
		name, path   string
		header       map[string]string
		status       int
		cacheControl string
		etag         bool
		varyLang     bool
	}{
		{"search page", "/search?q=jalan", nil, 200, shared, true, true},
		{"search API", "/api/v1/search?q=jalan", nil, 200, shared, true, false},
		{"search CSV", "/search.csv?q=jalan", nil, 200, shared, true, false},
		{"CKAN search", "/api/3/action/package_search?q=budget", nil, 200, shared, true, false},
		{"home", "/", nil, 200, shared, true, true},
		{"region profile", "/wilayah/32.73", nil, 200, shared, true, true},
		{"region API", "/api/v1/regions/32.73", nil, 200, shared, true, false},
		{"record page", record, nil, 200, shared, true, true},
		{"datasets", "/datasets/budget", nil, 200, shared, true, true},
		{"releases page", "/releases", nil, 200, shared, true, true},
		// It says whether the release is the live one.
		{"release page", "/releases/" + release.ID, nil, 200, shared, true, true},
		{"releases JSON", "/releases.json", nil, 200, shared, true, false},
		{"catalog", "/catalog.jsonld", nil, 200, shared, true, false},
		{"API docs", "/api", nil, 200, shared, true, true},
		{"OpenAPI", "/api/v1/openapi.json", nil, 200, shared, true, false},
		{"language chosen: the cookie is the reader's", "/search?q=jalan&lang=en", nil, 200, private, true, true},
		{"language chosen before", "/search?q=jalan&lang=en", map[string]string{"Cookie": "lang=en"}, 200, shared, true, true},
		{"bad search", "/search?size=abc", nil, 400, "no-cache", false, true},
		{"bad search API", "/api/v1/search?size=abc", nil, 400, "no-cache", false, false},
		{"unknown region", "/wilayah/99.99", nil, 404, "no-cache", false, true},
		{"release JSON", "/releases/" + release.ID + ".json", nil, 200, immutable, false, false},
		{"data package", "/releases/" + release.ID + "/datapackage.json", nil, 200, immutable, false, false},
		{"record changes", "/releases/" + release.ID + "/changes.csv", nil, 200, immutable, false, false},
		{"download", "/downloads/" + release.ID + "/budget/32.73/2024.parquet", nil, 200, immutable, true, false},
		{"latest download", "/downloads/latest/budget/32.73/2024.parquet", nil, 302, "no-store", false, false},
		// The upload form carries the reader's CSRF token.
		{"upload form", "/kirim", nil, 200, "no-store", false, true},
		{"health", "/healthz", nil, 200, "no-cache", false, false},
		{"feed status", "/api/v1/feeds/nonesuch", nil, 404, "no-cache", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := map[string]string{"Accept-Encoding": "gzip"}
			for k, v := range tt.header {
				header[k] = v
			}
			a := fetchAnswer(t, c, http.MethodGet, e.ts.URL+tt.path, header)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", a.status, tt.status, a.body)
			}
			if a.cacheControl != tt.cacheControl {
				t.Errorf("Cache-Control %q, want %q", a.cacheControl, tt.cacheControl)
			}
			if (a.etag != "") != tt.etag {
				t.Errorf("ETag %q, want one: %v", a.etag, tt.etag)
			}
			if langVaried := strings.Contains(a.vary, "Accept-Language") && strings.Contains(a.vary, "Cookie"); langVaried != tt.varyLang {
				t.Errorf("Vary %q, want Accept-Language and Cookie: %v", a.vary, tt.varyLang)
			}
			if strings.HasPrefix(a.cacheControl, "public") && a.setCookie {
				t.Error("an answer that sets a cookie may be kept by a shared cache")
			}
			if tt.etag {
				if again := fetchAnswer(t, c, http.MethodGet, e.ts.URL+tt.path, header); again.etag != a.etag {
					t.Errorf("ETag %s, then %s for the same request", a.etag, again.etag)
				}
			}
		})
	}
}

// TestHTTPCacheETagFollowsState: an ETag changes with what the answer is
// made of (the request, its language, the release, the program), and
// while the index is not in sync with the live release nothing is cached.
func TestHTTPCacheETagFollowsState(t *testing.T) {
	e := newCacheEnv(t)
	c := rawClient(t)
	tag := func(path string, header map[string]string) (etag, cacheControl string) {
		t.Helper()
		a := fetchAnswer(t, c, http.MethodGet, e.ts.URL+path, header)
		if a.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, a.status)
		}
		return a.etag, a.cacheControl
	}
	search, _ := tag("/search?q=jalan", nil)
	home, _ := tag("/", nil)
	docs, _ := tag("/api", nil)
	spec, _ := tag("/api/v1/openapi.json", nil)
	distinct := map[string]string{search: "search", home: "home", docs: "docs"}
	for _, v := range []struct {
		name, path string
		header     map[string]string
	}{
		{"other words", "/search?q=pendidikan", nil},
		{"words as typed", "/search?q=Jalan", nil},
		{"in English", "/search?q=jalan", map[string]string{"Accept-Language": "en"}},
		{"the API", "/api/v1/search?q=jalan", nil},
	} {
		got, _ := tag(v.path, v.header)
		if other, seen := distinct[got]; seen {
			t.Errorf("%s has the ETag of %s", v.name, other)
		}
		distinct[got] = v.name
	}
	// The same page, however its language was chosen, is one
	// representation: caches tell the requests apart by Vary.
	english, _ := tag("/search?q=jalan", map[string]string{"Accept-Language": "en"})
	if got, _ := tag("/search?q=jalan", map[string]string{"Cookie": "lang=en"}); got != english {
		t.Errorf("English by cookie %s, by Accept-Language %s", got, english)
	}
	// The API's answer is the same in every language.
	if a, b := fetchAnswer(t, c, "GET", e.ts.URL+"/api/v1/search?q=jalan", nil), fetchAnswer(t, c, "GET", e.ts.URL+"/api/v1/search?q=jalan",
		map[string]string{"Accept-Language": "en"}); a.etag != b.etag {
		t.Errorf("API ETag %s in Indonesian, %s in English", a.etag, b.etag)
	}

	// A new release is published; the follower has not seen it yet. The
	// index still answers for the previous release, so searches keep
	// their ETag; the pages of the live release are not cached.
	e.publishAmendment(t)
	if got, _ := tag("/search?q=jalan", nil); got != search {
		t.Errorf("search ETag %s before the index changed, want %s", got, search)
	}
	if got, cc := tag("/", nil); got != "" || cc != "no-cache" {
		t.Errorf("home while the index lags: ETag %q, Cache-Control %q", got, cc)
	}
	// The index syncing, and reported in sync: new ETags.
	latest := e.follow(t)
	newSearch, cc := tag("/search?q=jalan", nil)
	if newSearch == "" || newSearch == search || cc != "public, max-age=60, stale-while-revalidate=60" {
		t.Errorf("search after release %s: ETag %q (was %q), Cache-Control %q", latest, newSearch, search, cc)
	}
	if got, _ := tag("/", nil); got == "" || got == home {
		t.Errorf("home after release %s: ETag %q (was %q)", latest, got, home)
	}
	// A page of the program alone names the live release in its footer:
	// its ETag follows the release. The OpenAPI document does not.
	if got, _ := tag("/api", nil); got == "" || got == docs {
		t.Errorf("API docs page after release %s: ETag %q (was %q), want a new one: its footer names the release", latest, got, docs)
	}
	if got, _ := tag("/api/v1/openapi.json", nil); got != spec {
		t.Errorf("OpenAPI ETag %s after a release, want %s: it is the program's", got, spec)
	}

	// The index written to after the report (the next release being
	// indexed): not in sync until the follower says so again.
	if err := e.ix.Remove(t.Context(), "procurement/32.73/2024"); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/search?q=jalan", "/"} {
		if got, cc := tag(path, nil); got != "" || cc != "no-cache" {
			t.Errorf("%s while the index changes: ETag %q, Cache-Control %q", path, got, cc)
		}
	}
	// The follower reports the index behind the live release.
	e.srv.Followed(latest, "000001")
	if got, cc := tag("/search?q=jalan", nil); got != "" || cc != "no-cache" {
		t.Errorf("search while the index lags: ETag %q, Cache-Control %q", got, cc)
	}
	if got, cc := tag("/api", nil); got != "" || cc != "no-cache" {
		t.Errorf("API docs page while the index lags (it says so): ETag %q, Cache-Control %q", got, cc)
	}
	if got, _ := tag("/api/v1/openapi.json", nil); got != spec {
		t.Errorf("OpenAPI while the index lags: ETag %q, want %s", got, spec)
	}
	e.follow(t)

	// A deploy: every ETag changes.
	e.srv.build = func() string { return "another build" }
	if got, _ := tag("/api", nil); got == docs {
		t.Error("API docs kept their ETag across builds")
	}
}

// TestHTTPCacheNotModified: If-None-Match with the current ETag, plain or
// as gzhttp suffixed it for a gzipped body, is answered 304 without a body
// and without searching; a stale one gets the page.
func TestHTTPCacheNotModified(t *testing.T) {
	e := newCacheEnv(t)
	c := rawClient(t)
	gz := map[string]string{"Accept-Encoding": "gzip"}
	for _, path := range []string{"/search?q=jalan", "/api/v1/search?q=belanja", "/search.csv"} {
		plain := fetchAnswer(t, c, http.MethodGet, e.ts.URL+path, nil)
		zipped := fetchAnswer(t, c, http.MethodGet, e.ts.URL+path, gz)
		if plain.etag == "" || zipped.etag != strings.TrimSuffix(plain.etag, `"`)+`-gzip"` {
			t.Fatalf("%s: ETag %q plain, %q gzipped", path, plain.etag, zipped.etag)
		}
		tests := []struct {
			name        string
			header      map[string]string
			method      string
			status      int
			wantETag    string
			searchesRun int64
		}{
			{"plain", map[string]string{"If-None-Match": plain.etag}, "GET", 304, plain.etag, 0},
			{"HEAD", map[string]string{"If-None-Match": plain.etag}, "HEAD", 304, plain.etag, 0},
			{"weak", map[string]string{"If-None-Match": "W/" + plain.etag}, "GET", 304, plain.etag, 0},
			{"among others", map[string]string{"If-None-Match": `"old", ` + plain.etag}, "GET", 304, plain.etag, 0},
			{"any", map[string]string{"If-None-Match": "*"}, "GET", 304, plain.etag, 0},
			{"gzip", map[string]string{"If-None-Match": zipped.etag, "Accept-Encoding": "gzip"}, "GET", 304, zipped.etag, 0},
			{"gzip weak", map[string]string{"If-None-Match": "W/" + zipped.etag, "Accept-Encoding": "gzip"}, "GET", 304, zipped.etag, 0},
			{"a cache holding both, asking for gzip", map[string]string{"If-None-Match": plain.etag + ", " + zipped.etag, "Accept-Encoding": "gzip"}, "GET", 304, zipped.etag, 0},
			{"stale", map[string]string{"If-None-Match": `"stale"`}, "GET", 200, plain.etag, 1},
			{"stale gzip", map[string]string{"If-None-Match": `"stale-gzip"`, "Accept-Encoding": "gzip"}, "GET", 200, zipped.etag, 1},
		}
		for _, tt := range tests {
			t.Run(path+" "+tt.name, func(t *testing.T) {
				before := e.counted.searches.Load()
				a := fetchAnswer(t, c, tt.method, e.ts.URL+path, tt.header)
				if a.status != tt.status || a.etag != tt.wantETag {
					t.Errorf("status %d ETag %s, want %d %s", a.status, a.etag, tt.status, tt.wantETag)
				}
				if ran := e.counted.searches.Load() - before; ran != tt.searchesRun && !(tt.status == 200 && ran > 0) {
					t.Errorf("%d searches ran, want %d", ran, tt.searchesRun)
				}
				if tt.status == 304 {
					if len(a.body) != 0 {
						t.Errorf("304 with a body of %d bytes", len(a.body))
					}
					if a.cacheControl != "public, max-age=60, stale-while-revalidate=60" || !strings.Contains(a.vary, "Accept-Encoding") {
						t.Errorf("304 without the 200's headers: Cache-Control %q, Vary %q", a.cacheControl, a.vary)
					}
				}
			})
		}
	}
	// The page's 304 varies as its 200 does.
	if a := fetchAnswer(t, c, "GET", e.ts.URL+"/search?q=jalan", nil); a.etag != "" {
		nm := fetchAnswer(t, c, "GET", e.ts.URL+"/search?q=jalan", map[string]string{"If-None-Match": a.etag})
		if nm.status != 304 || !strings.Contains(nm.vary, "Accept-Language") || !strings.Contains(nm.vary, "Cookie") {
			t.Errorf("page 304: status %d, Vary %q", nm.status, nm.vary)
		}
	}
	// An answer that is not cached has no ETag to match.
	if a := fetchAnswer(t, c, "GET", e.ts.URL+"/kirim", map[string]string{"If-None-Match": "*"}); a.status != 200 || a.etag != "" || a.cacheControl != "no-store" {
		t.Errorf("upload form with If-None-Match *: status %d, ETag %q, Cache-Control %q", a.status, a.etag, a.cacheControl)
	}
}

// TestStaticGzipRevalidation: a static file fetched gzipped revalidates
// with the ETag it came with (it used to be answered 200 every time).
func TestStaticGzipRevalidation(t *testing.T) {
	ts := newTestServer(t)
	c := rawClient(t)
	gz := map[string]string{"Accept-Encoding": "gzip"}
	for _, path := range []string{styleURL(t), "/static/style.css"} {
		first := fetchAnswer(t, c, "GET", ts.URL+path, gz)
		if !strings.HasSuffix(first.etag, `-gzip"`) {
			t.Fatalf("%s: ETag %q, want a gzip one", path, first.etag)
		}
		again := fetchAnswer(t, c, "GET", ts.URL+path, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": first.etag})
		if again.status != http.StatusNotModified || again.etag != first.etag || len(again.body) != 0 {
			t.Errorf("%s revalidated: status %d, ETag %q, %d bytes", path, again.status, again.etag, len(again.body))
		}
	}
}

// recordingSearcher searches through a search.Cache, as terbuka serve
// does, and keeps a copy of every result it hands out, as it was then.
type recordingSearcher struct {
	Searcher
	mu     sync.Mutex
	copies map[*search.Result]*search.Result
}

func (r *recordingSearcher) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	res, err := r.Searcher.Search(ctx, q)
	if err != nil {
		return res, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.copies[res]; !ok {
		b, err := json.Marshal(res)
		var c search.Result
		if err == nil {
			err = json.Unmarshal(b, &c)
		}
		if err != nil {
			panic(err)
		}
		r.copies[res] = &c
	}
	return res, nil
}

// TestHTTPCacheSharedResultsUnchanged: the handlers only read the results
// a search.Cache shares between requests, so a page served from the cache
// is the page served from the index.
func TestHTTPCacheSharedResultsUnchanged(t *testing.T) {
	e := newCacheEnv(t)
	rec := &recordingSearcher{Searcher: search.NewCache(e.ix, 1<<20), copies: map[*search.Result]*search.Result{}}
	srv, err := New(Config{Index: rec, Publisher: e.pub, Regions: e.srv.cfg.Regions, Log: quiet, Store: e.st, PublicURL: e.srv.cfg.PublicURL, Now: e.srv.cfg.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetReady()
	paths := []string{"/search?q=jalan", "/search?q=jalan&lang=en", "/search?q=Jalan&dataset=procurement&method=tender", "/search?sort=-amount&size=1&page=2",
		"/api/v1/search?q=jalan", "/api/v1/search?size=1", "/search.csv", "/search.csv?q=pendidikan", e.firstHit(t, "jalan"), e.firstHit(t, "laptop"),
		"/api/3/action/package_search?q=jalan"}
	first := map[string]string{}
	for round := range 2 {
		for _, path := range paths {
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			if w.Code != http.StatusOK {
				t.Fatalf("%s: status %d", path, w.Code)
			}
			if round == 0 {
				first[path] = w.Body.String()
			} else if w.Body.String() != first[path] {
				t.Errorf("%s from the cache differs from its first rendering", path)
			}
		}
	}
	if len(rec.copies) < len(paths)-2 {
		t.Fatalf("only %d results recorded", len(rec.copies))
	}
	for res, was := range rec.copies {
		if diff := cmp.Diff(res, was); diff != "" {
			t.Errorf("a shared result was changed (-now +as handed out):\n%s", diff)
		}
	}
}

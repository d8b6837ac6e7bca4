package benchmark

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// logData is the data of bench-smoke's size the query log tests read,
// generated once for the package's tests.
var logData = sync.OnceValues(func() (*logFixture, error) {
	dir, err := os.MkdirTemp("", "terbuka-querylog-test-")
	if err != nil {
		return nil, err
	}
	d, err := generate(context.Background(), dir, 10_000, 1)
	if err != nil {
		return nil, err
	}
	v, err := readVocabulary(d.Feeds, 1)
	if err != nil {
		return nil, err
	}
	return &logFixture{dir: dir, data: d, vocab: v}, nil
})

type logFixture struct {
	dir   string
	data  *Data
	vocab *vocabulary
}

func fixture(t *testing.T) *logFixture {
	t.Helper()
	f, err := logData()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestMain(m *testing.M) {
	code := m.Run()
	if f, err := logData(); err == nil {
		os.RemoveAll(f.dir)
	}
	os.Exit(code)
}

// testLog is the log of the fixture's data at the run's sizes.
func testLog(t *testing.T, seed int64) *queryLog {
	t.Helper()
	ql, err := newQueryLog(fixture(t).vocab, seed, queryLogSize, queryLogDraws, zipfExponent)
	if err != nil {
		t.Fatal(err)
	}
	return ql
}

func TestQueryLogDistinct(t *testing.T) {
	ql := testLog(t, 1)
	seen := map[string]bool{}
	for _, q := range ql.queries {
		if seen[q.path] {
			t.Errorf("%s is in the log twice", q.path)
		}
		seen[q.path] = true
	}
	if len(seen) < 2_000 {
		t.Errorf("%d distinct queries, want at least 2,000", len(seen))
	}
	if len(ql.draws) != queryLogDraws {
		t.Errorf("%d draws, want %d", len(ql.draws), queryLogDraws)
	}
}

// TestQueryLogZipf fits the exponent on the drawn requests, independently
// of the generator's own fit: the rank-frequency of the draws, by how
// often each query was drawn, on a log-log scale.
func TestQueryLogZipf(t *testing.T) {
	ql := testLog(t, 1)
	byQuery := map[int32]int{}
	for _, r := range ql.draws {
		byQuery[r]++
	}
	var counts []int
	for _, n := range byQuery {
		counts = append(counts, n)
	}
	slices.Sort(counts)
	slices.Reverse(counts)
	// Ranks drawn at least 20 times: below, sampling noise flattens
	// the tail.
	var xs, ys []float64
	for i, n := range counts {
		if n < 20 {
			break
		}
		xs, ys = append(xs, math.Log(float64(i+1))), append(ys, math.Log(float64(n)))
	}
	if len(xs) < 100 {
		t.Fatalf("only %d ranks drawn 20 times or more", len(xs))
	}
	mx, my := mean(xs), mean(ys)
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	s := -sxy / sxx
	if math.Abs(s-zipfExponent) > 0.05 {
		t.Errorf("fitted exponent %.3f over %d ranks, want %.2f ± 0.05", s, len(xs), zipfExponent)
	}
	if reported := ql.summary(1, zipfExponent, fixture(t).vocab).Fitted; math.Abs(reported-s) > 1e-9 {
		t.Errorf("the log reports a fitted exponent of %.4f, the draws fit %.4f", reported, s)
	}
	// The most popular query is asked about 1/H(n) of the time.
	var h float64
	for r := 1; r <= len(ql.queries); r++ {
		h += 1 / float64(r)
	}
	if got, want := float64(counts[0])/float64(len(ql.draws)), 1/h; math.Abs(got-want) > 0.01 {
		t.Errorf("the most asked query takes %.3f of requests, want %.3f", got, want)
	}
	var sum float64
	for i, q := range ql.queries {
		sum += q.weight
		if i > 0 && q.weight > ql.queries[i-1].weight {
			t.Fatalf("rank %d weighs more than rank %d", i+1, i)
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("weights sum to %v", sum)
	}
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// portalParams are the parameters the portal's search page reads
// (site/handlers.go, queryFromURL) besides the facet fields'.
var portalParams = []string{"q", "dataset", "province", "region", "year", "size", "from", "page", "sort", "after", "min", "max", "date_from", "date_to", "lang"}

// parsedQuery is a logged path read back as the portal reads it.
type parsedQuery struct {
	kind    string
	filters int
	sort    string
	page    int
	query   search.Query
}

var codeText = regexp.MustCompile(`^[0-9]+(\.[0-9]+)+$`)

// parsePath reads path as the portal would, failing on anything it would
// refuse or the log should not hold.
func parsePath(t *testing.T, path string, years []int, regions []string) parsedQuery {
	t.Helper()
	u, err := url.Parse(path)
	if err != nil || u.Path != "/search" {
		t.Fatalf("%s: not a search page (%v)", path, err)
	}
	v, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	p := parsedQuery{page: 1, query: search.Query{Text: v.Get("q"), Dataset: v.Get("dataset"), Province: v.Get("province"), Region: v.Get("region"),
		Sort: v.Get("sort"), Size: 20, Filters: map[string]string{}}}
	groups := map[string]bool{}
	for name, vals := range v {
		if len(vals) != 1 {
			t.Errorf("%s: %s given %d times", path, name, len(vals))
		}
		f := dataset.FindField(name)
		facet := f != nil && f.Facet && name != dataset.FieldRegionCode && name != dataset.FieldProvinceCode && name != dataset.FieldFiscalYear
		switch {
		case facet:
			scope := datasets
			if ds := v.Get("dataset"); ds != "" {
				scope = []string{ds}
			}
			if !slices.ContainsFunc(scope, func(ds string) bool { s, err := dataset.Lookup(ds); return err == nil && s.Field(name) != nil }) {
				t.Errorf("%s: filter %s, which no dataset in scope has", path, name)
			}
			p.query.Filters[name] = vals[0]
		case !slices.Contains(portalParams, name):
			t.Errorf("%s: the portal does not read %q", path, name)
		}
		switch name {
		case "q", "sort", "page":
		case "min", "max":
			groups["amount"] = true
		case "date_from", "date_to":
			groups["date"] = true
		default:
			groups[name] = true
		}
	}
	p.filters = len(groups)
	switch text := p.query.Text; {
	case text == "":
		p.kind = "browse"
	case strings.HasPrefix(text, `"`):
		p.kind = "phrase"
		if !strings.HasSuffix(text, `"`) || strings.Count(text, `"`) != 2 {
			t.Errorf("%s: phrase %s", path, text)
		}
	case codeText.MatchString(text):
		p.kind = "code"
	default:
		p.kind = map[int]string{1: "word", 2: "words2", 3: "words3"}[len(strings.Fields(text))]
	}
	if strings.ContainsAny(p.query.Text, ":*?~^-") {
		t.Errorf("%s: the text holds query syntax", path)
	}
	if ds := p.query.Dataset; ds != "" && !slices.Contains(datasets, ds) {
		t.Errorf("%s: dataset %s is not in the data", path, ds)
	}
	if y := v.Get("year"); y != "" {
		if p.query.Year, err = strconv.Atoi(y); err != nil || !slices.Contains(years, p.query.Year) {
			t.Errorf("%s: year %s is not in the data", path, y)
		}
	}
	if r := p.query.Region; r != "" && !slices.Contains(regions, r) {
		t.Errorf("%s: region %s is not in the data", path, r)
	}
	if pr := p.query.Province; pr != "" && !slices.ContainsFunc(regions, func(r string) bool { return strings.HasPrefix(r, pr+".") }) {
		t.Errorf("%s: province %s has no region in the data", path, pr)
	}
	for name, dst := range map[string]**int64{"min": &p.query.MinAmount, "max": &p.query.MaxAmount} {
		if s := v.Get(name); s != "" {
			sen, ferr := dataset.ParseMoney(s)
			if ferr != nil {
				t.Errorf("%s: %s %q: %v", path, name, s, ferr.Msg.EN)
			}
			*dst = &sen
		}
	}
	for name, dst := range map[string]*time.Time{"date_from": &p.query.DateFrom, "date_to": &p.query.DateTo} {
		if s := v.Get(name); s != "" {
			days, ferr := dataset.ParseDate(s)
			if ferr != nil {
				t.Errorf("%s: %s %q: %v", path, name, s, ferr.Msg.EN)
			}
			*dst = time.Unix(days*86400, 0).UTC()
		}
	}
	if !slices.Contains([]string{"", "amount", "-amount", "date", "-date"}, p.query.Sort) {
		t.Errorf("%s: sort %q", path, p.query.Sort)
	}
	p.sort = p.query.Sort
	if s := v.Get("page"); s != "" {
		if p.page, err = strconv.Atoi(s); err != nil || p.page < 2 || p.page > 50 {
			t.Errorf("%s: page %q, want 2 to 50", path, s)
		}
		p.query.From = (p.page - 1) * p.query.Size
	}
	return p
}

// TestQueryLogShapes reads every query back as the portal would and
// counts its shape from the address alone: the shares are the promised
// ones, exactly to rounding, and each query's recorded shape is its own.
func TestQueryLogShapes(t *testing.T) {
	ql, data := testLog(t, 1), fixture(t).data
	var regions []string
	for _, f := range data.Feeds {
		regions = append(regions, f.Region)
	}
	got := map[string]int{}
	for _, q := range ql.queries {
		p := parsePath(t, q.path, data.Years, regions)
		if p.kind != q.kind || p.filters != q.filters || p.sort != q.sort || p.page != q.page {
			t.Errorf("%s reads as %s, %d filters, sort %q, page %d; the log says %s, %d, %q, %d", q.path, p.kind, p.filters, p.sort, p.page, q.kind, q.filters, q.sort, q.page)
		}
		got[p.kind]++
		if p.kind == "browse" {
			got["browse filters "+strconv.Itoa(p.filters)]++
		} else {
			got["text filters "+strconv.Itoa(p.filters)]++
		}
		got["sort "+p.sort]++
		switch {
		case p.page > 5:
			got["page 6-50"]++
		case p.page > 1:
			got["page 2-5"]++
		}
	}
	n := float64(len(ql.queries))
	browse := float64(got["browse"])
	want := map[string]float64{
		"word": 0.35 * n, "words2": 0.20 * n, "words3": 0.08 * n, "phrase": 0.15 * n, "code": 0.08 * n, "browse": 0.14 * n,
		"text filters 1": 0.15 * (n - browse), "text filters 2": 0.10 * (n - browse), "text filters 3": 0.05 * (n - browse),
		"browse filters 1": 0.50 * browse, "browse filters 2": 0.35 * browse, "browse filters 3": 0.15 * browse,
		"sort -amount": 0.11 * n, "sort amount": 0.04 * n, "sort -date": 0.05 * n, "sort date": 0.02 * n,
		"page 2-5": 0.10 * n, "page 6-50": 0.03 * n,
	}
	for k, w := range want {
		if math.Abs(float64(got[k])-w) > 1 {
			t.Errorf("%s: %d queries, want %.0f", k, got[k], w)
		}
	}
}

// TestQueryLogAnswers builds a real index of the data and runs queries of
// the log on it as the portal's search page would: none may be refused,
// and most find something. It runs the hundred most asked and every third
// of the others, every shape among them, in a third of the time all would
// take (half a minute under the race detector).
func TestQueryLogAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index")
	}
	f := fixture(t)
	ix := buildIndex(t, f)
	var regions []string
	for _, feed := range f.data.Feeds {
		regions = append(regions, feed.Region)
	}
	ql := testLog(t, 1)
	empty, ran := 0, 0
	for i, q := range ql.queries {
		if i >= 100 && i%3 != 0 {
			continue
		}
		ran++
		p := parsePath(t, q.path, f.data.Years, regions)
		res, err := ix.Search(t.Context(), p.query)
		if err != nil {
			t.Errorf("%s: %v", q.path, err)
			continue
		}
		if res.Total == 0 {
			empty++
		}
	}
	t.Logf("%d of %d queries find nothing", empty, ran)
	if empty > ran/4 {
		t.Errorf("%d of %d queries find nothing, want at most a quarter", empty, ran)
	}
}

// buildIndex ingests the fixture's feeds and builds their index, as the
// harness's phases do.
func buildIndex(t *testing.T, f *logFixture) *search.Index {
	t.Helper()
	dir := t.TempDir()
	st, err := store.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	feeds := filepath.Join(dir, "feeds.json")
	if err := writeJSON(feeds, f.data.Feeds); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	if _, err := childIngest(t.Context(), st, dir, feeds, log); err != nil {
		t.Fatal(err)
	}
	if _, err := childIndex(t.Context(), st, dir, log); err != nil {
		t.Fatal(err)
	}
	idx := search.Dir(filepath.Join(dir, ".index"))
	gen, err := idx.Current()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := idx.Open(gen, search.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func TestQueryLogSeeded(t *testing.T) {
	a, b, c := testLog(t, 1), testLog(t, 1), testLog(t, 2)
	if !slices.EqualFunc(a.queries, b.queries, func(x, y loggedQuery) bool { return x == y }) || !slices.Equal(a.draws, b.draws) {
		t.Error("the same seed made two logs")
	}
	if slices.EqualFunc(a.queries, c.queries, func(x, y loggedQuery) bool { return x.path == y.path }) {
		t.Error("seeds 1 and 2 made the same queries")
	}
	// The vocabulary, read again, is the same.
	v, err := readVocabulary(fixture(t).data.Feeds, 1)
	if err != nil {
		t.Fatal(err)
	}
	d, err := newQueryLog(v, 1, queryLogSize, queryLogDraws, zipfExponent)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(a.queries, d.queries, func(x, y loggedQuery) bool { return x == y }) {
		t.Error("the same data and seed made two logs")
	}
}

// TestQueryLogVocabulary: the words come from the data, not a list of the
// harness's: a word of a generated title is in, a stop word is not.
func TestQueryLogVocabulary(t *testing.T) {
	v := fixture(t).vocab
	for _, w := range []string{"jalan", "belanja", "pengadaan"} {
		if v.df[w] == 0 {
			t.Errorf("%q is not in the vocabulary", w)
		}
	}
	for _, w := range []string{"dan", "iii", "2024"} {
		if v.df[w] != 0 {
			t.Errorf("%q is in the vocabulary", w)
		}
	}
	if len(v.filters["budget"]["stage"]) == 0 || len(v.filters["procurement"]["method"]) == 0 || len(v.filters["budget"][dataset.FieldAccountGroup]) == 0 {
		t.Errorf("filters %v lack stages, methods or account groups", v.filters)
	}
}

// requireWrk skips the test when wrk is not installed, unless
// TERBUKA_REQUIRE_S3=1 (make test, whose bench-tools installs it) makes
// that a failure.
func requireWrk(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("wrk"); err != nil {
		if os.Getenv("TERBUKA_REQUIRE_S3") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// TestWrkReplay runs wrk with the log's script against a server that
// records what each connection asked: each of the two threads (one
// connection each) asks the drawn requests in order, from its own place
// in the log, after the requests the earlier runs made.
func TestWrkReplay(t *testing.T) {
	requireWrk(t)
	ql := &queryLog{}
	for i := range 50 {
		ql.queries = append(ql.queries, loggedQuery{path: fmt.Sprintf("/search?q=w%d", i)})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10_000 {
		ql.draws = append(ql.draws, int32(rng.IntN(len(ql.queries))))
	}
	var mu sync.Mutex
	asked := map[string][]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.RemoteAddr] = append(asked[r.RemoteAddr], r.URL.RequestURI())
		mu.Unlock()
	}))
	defer srv.Close()
	script := filepath.Join(t.TempDir(), "replay.lua")
	if err := ql.writeWrkScript(script, 2); err != nil {
		t.Fatal(err)
	}
	const done = 1000
	l, err := runWrk(t.Context(), srv.URL+"/", script, 2, 2, time.Second, strconv.Itoa(done))
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if len(asked) != 2 || l.Requests == 0 {
		t.Fatalf("%d connections made %d requests, want 2 connections", len(asked), l.Requests)
	}
	var threads []int
	for _, seq := range asked {
		// Where this connection started: the thread's place, after half
		// the requests done; the first thread's may be one further, as
		// wrk calls its request function once to check the script.
		place := slices.IndexFunc([]int{0, 1, len(ql.draws) / 2}, func(from int) bool {
			for i, p := range seq {
				if ql.queries[ql.draws[(from+done/2+i)%len(ql.draws)]].path != p {
					return false
				}
			}
			return true
		})
		if place < 0 {
			t.Errorf("a connection asked %d requests not in the log's order from either thread's place: %v…", len(seq), seq[:min(5, len(seq))])
			continue
		}
		threads = append(threads, []int{0, 0, 1}[place])
	}
	if slices.Sort(threads); !slices.Equal(threads, []int{0, 1}) {
		t.Errorf("the connections asked as threads %v, want one each", threads)
	}
}

package benchmark

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/benchmark/anchor"
	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/internal/testfiles"
)

const wrkOut = `Running 2s test @ http://127.0.0.1:40000/search?q=belanja
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.41ms   10.11ms  74.99ms   71.13%
    Req/Sec   283.18     30.10   340.00     70.00%
  Latency Distribution
     50%   12.80ms
     75%   19.41ms
     90%   28.55ms
     99%   58.40ms
  1131 requests in 2.00s, 31.07MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    565.21
Transfer/sec:     15.51MB
`

func TestParseWrk(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    Load
		wantErr string
	}{
		{"full", wrkOut, Load{RPS: 565.21, P50: 12.8, P99: 58.4, Requests: 1131, Non2xx: 4, Errors: 3}, ""},
		{"microseconds and seconds", "  Latency Distribution\n     50%  912.00us\n     99%    1.20s\nRequests/sec:  10.5\n", Load{RPS: 10.5, P50: 0.912, P99: 1200}, ""},
		{"no latency", "Requests/sec:  10.5\n", Load{}, "--latency"},
		{"not wrk", "unable to connect to 127.0.0.1:1 Connection refused\n", Load{}, "Requests/sec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseWrk(tt.out)
			checkParsed(t, got, err, tt.want, tt.wantErr)
		})
	}
}

// checkParsed checks a parser's answer: an error naming wantErr when it
// is set, else want.
func checkParsed[T any](t *testing.T, got T, err error, want T, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("err = %v, want one naming %q", err, wantErr)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("(-got +want):\n%s", diff)
	}
}

func FuzzParseWrk(f *testing.F) {
	f.Add(wrkOut)
	f.Add("Requests/sec: 1\n 50% 1us\n 99% 2s\n")
	f.Fuzz(func(t *testing.T, out string) {
		l, err := parseWrk(out)
		if err == nil && (l.RPS < 0 || l.P50 < 0 || l.P99 < 0) {
			t.Errorf("negative figures from %q: %+v", out, l)
		}
	})
}

func TestAgreement(t *testing.T) {
	words, money := anchor.Query{Words: "belanja"}, anchor.Query{Sort: "-amount"}
	tests := []struct {
		q           anchor.Query
		terbuka, pg int64
		want        string
	}{
		{words, 10, 10, "equal"},
		{words, 12, 10, "Terbuka +2"},
		{words, 9, 10, "unexplained"},
		{money, 12, 10, "unexplained"},
	}
	for _, tt := range tests {
		if got := agreement(tt.q, tt.terbuka, tt.pg); !strings.Contains(got, tt.want) {
			t.Errorf("agreement(%+v, %d, %d) = %q, want it to say %q", tt.q, tt.terbuka, tt.pg, got, tt.want)
		}
	}
}

// TestTableFollowsHeader: the anchors parse columns by position, so the
// table must list them in the file's order with the schema's types.
func TestTableFollowsHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "procurement_32.73_2024.csv")
	os.WriteFile(path, []byte("title,region_code,fiscal_year,package_id,budget_ceiling,method\n"), 0o644)
	s, _ := dataset.Lookup("procurement")
	tab, err := tableOf(s, []string{path})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range tab.Columns {
		got = append(got, c.Name+":"+c.Type)
	}
	want := "title:text region_code:code fiscal_year:integer package_id:code budget_ceiling:money method:enum"
	if strings.Join(got, " ") != want {
		t.Errorf("columns %v, want %s", got, want)
	}
	if tab.Text[0] != "title" || tab.Amount != "budget_ceiling" {
		t.Errorf("text %v amount %s: the title must lead, the amount be the schema's", tab.Text, tab.Amount)
	}
	os.WriteFile(path, []byte("title,nik\n"), 0o644)
	if _, err := tableOf(s, []string{path}); err == nil || !strings.Contains(err.Error(), `"nik"`) {
		t.Errorf("an unknown column: err = %v, want one naming it", err)
	}
}

// TestMixIsValid runs every kind through the portal's own query checks by
// building its search address and search.Query; a kind the portal would
// refuse measures nothing.
func TestMixIsValid(t *testing.T) {
	for _, q := range Mix() {
		sq := searchQuery(q)
		if sq.From+sq.Size > 10_000 {
			t.Errorf("%s: from+size %d is past the portal's window", q.Kind, sq.From+sq.Size)
		}
		n := 0
		for _, s := range []string{q.Words, q.Phrase, q.Code} {
			if s != "" {
				n++
			}
		}
		if n > 1 {
			t.Errorf("%s sets more than one of words, phrase and code", q.Kind)
		}
		if !strings.HasPrefix(pagePath(q), "/search?") {
			t.Errorf("%s: path %s", q.Kind, pagePath(q))
		}
	}
}

// TestRender compares the report of a recorded run with its golden file.
// testdata/results.json is a real 1M-row run, but for its Sphinx figures,
// which are made up (round numbers, hit counts equal to PostgreSQL's) to
// render Sphinx's rows until a 1M-row run with Sphinx replaces the file;
// results-large.json is made up from it, to render the memory-scaling
// section.
func TestRender(t *testing.T) {
	var r, large Results
	if err := readJSON("testdata/results.json", &r); err != nil {
		t.Fatal(err)
	}
	if err := readJSON("testdata/results-large.json", &large); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	Render(&buf, &r, &large)
	testfiles.Golden(t, "testdata/RESULTS.golden.md", buf.String())
	for _, s := range []string{"| CSV → Parquet rows/s |", "| peak RSS at 10M vs 1M rows |", "| hits deep-page | yes |",
		"| index build rows/s | Sphinx `indexer` |", "| Sphinx: `indexer`", "| sphinx hits deep-page | yes |", "Sphinx 2.2.11"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("report lacks %q", s)
		}
	}
	// A run from before Sphinx was an anchor renders as it did.
	delete(r.Index, "sphinx")
	for i := range r.Queries {
		r.Queries[i].Sphinx = nil
	}
	buf.Reset()
	Render(&buf, &r, &large)
	if strings.Contains(buf.String(), "Sphinx hits") || !strings.Contains(buf.String(), "| selective-word | 2152 | 2152 | 1.99 / 5.94 / 7.92 | 3.40 / 3.83 / 4.86 | 1.63× | equal |\n") {
		t.Errorf("a run without Sphinx: the query table has Sphinx columns or lacks PostgreSQL's:\n%s", buf.String())
	}
	if s := buf.String(); strings.Contains(s, "PostgreSQL lines") || strings.Contains(s, "Budget lines.") || strings.Contains(s, "documents, one per") {
		t.Errorf("a run from before Terbuka searched budget lines renders line counts:\n%s", s)
	}
}

// TestRenderLines: in a run since Terbuka searches budget lines (testdata/
// results-lines.json, a real make bench-smoke run of 10,000 rows), its
// hits stand beside PostgreSQL's rows and lines, and the index beside
// its rows has documents.
func TestRenderLines(t *testing.T) {
	var r Results
	if err := readJSON("testdata/results-lines.json", &r); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	Render(&buf, &r, nil)
	testfiles.Golden(t, "testdata/RESULTS-lines.golden.md", buf.String())
	for _, s := range []string{"| kind | Terbuka hits | PostgreSQL rows | PostgreSQL lines |", "| phrase | 477 | 804 | 477 |", "hit counts, Sphinx vs PostgreSQL rows |",
		"(`terbuka reindex`): 5,833 documents", "| index documents | yes |", "| postgresql lines budget | yes |", "- **Budget lines.** "} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("report lacks %q", s)
		}
	}
}

// TestRenderQueryLog: in a run since the serving phase replays the query
// log (testdata/results-querylog.json, a real make bench-smoke run of
// 10,000 rows, by a terbuka serve without a result cache), the log is
// described, its series has non-2xx answers apart from errors, and the
// targets hold the query log's req/s and the uncached p50.
func TestRenderQueryLog(t *testing.T) {
	var r Results
	if err := readJSON("testdata/results-querylog.json", &r); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	Render(&buf, &r, nil)
	testfiles.Golden(t, "testdata/RESULTS-querylog.golden.md", buf.String())
	for _, s := range []string{"| search req/s at p99 < 100 ms, query log | — | ≥ 1,000 req/s (query log, p99 < 100 ms) | best ",
		"| `/search?q=jalan` p50, uncached | — | — (for reference) | p50 ", "**query-log** `2,500 distinct search pages, Zipf s = 1.00`",
		"`querylog.tsv`: 2,500 distinct search pages", "| connections | req/s | p50 ms | p99 ms | non-2xx | errors |",
		"it has no search result cache", "on the same portal, which has no search result cache", "| serving query log answers | yes |"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("report lacks %q", s)
		}
	}
	// With a result cache, the log runs with it on and the typical
	// search runs uncached on a second portal.
	for _, name := range []string{"search", "query-log"} {
		r.Serving[name].SearchCache = "on"
	}
	r.Serving["search-uncached"].SearchCache = "off"
	buf.Reset()
	Render(&buf, &r, nil)
	for _, s := range []string{"its search result cache on", "Zipf s = 1.00, result cache on)", "one connection, result cache off |",
		"on a second portal started with `--search-cache-mb 0`"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("report with a result cache lacks %q", s)
		}
	}
}

func TestMemoryScaling(t *testing.T) {
	small := &Results{Ingest: map[string]*SystemResult{"terbuka": {PeakRSS: 100}}, Index: map[string]*SystemResult{"terbuka": {PeakRSS: 400}}}
	big := &Results{Ingest: map[string]*SystemResult{"terbuka": {PeakRSS: 110}}, Index: map[string]*SystemResult{"terbuka": {PeakRSS: 600}}}
	ratio, peak, ok := memoryScaling(small, big)
	if !ok || ratio != 1.5 || peak != 600 {
		t.Errorf("memoryScaling = %v, %d, %v; want the worse phase (index 1.5×) and peak 600", ratio, peak, ok)
	}
	if _, _, ok := memoryScaling(small, nil); ok {
		t.Error("no large run must mean not measured")
	}
}

// TestRenderReplica: a run with the replica phase (testdata/
// results-replica.json, made up with round figures) has its section and
// its target, judged only at the 1M rows the target is set at.
func TestRenderReplica(t *testing.T) {
	var r Results
	if err := readJSON("testdata/results-replica.json", &r); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	Render(&buf, &r, nil)
	testfiles.Golden(t, "testdata/RESULTS-replica.golden.md", buf.String())
	tests := []struct {
		name  string
		rows  int64
		ready float64
		want  string
	}{
		{"met", 1_000_000, 4, "| replica on an empty disk serves full search | — | ≤ 60 s (1M rows, MinIO) | 4.0 s (snapshot of 450.0 MB downloaded and opened in 3.0 s) | yes |"},
		{"missed", 1_000_000, 61, "| 61.0 s (snapshot of 450.0 MB downloaded and opened in 3.0 s) | **no** |"},
		{"fewer rows", 9833, 4, "| 4.0 s (snapshot of 450.0 MB downloaded and opened in 3.0 s) at 9,833 rows | — |"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.Data.Rows, r.Replica.ReadySeconds = tt.rows, tt.ready
			buf.Reset()
			Render(&buf, &r, nil)
			if !strings.Contains(buf.String(), tt.want+"\n") {
				t.Errorf("report lacks %q:\n%s", tt.want, buf.String())
			}
		})
	}
	// A run from before the replica phase has neither.
	r.Replica = nil
	buf.Reset()
	Render(&buf, &r, nil)
	if s := buf.String(); strings.Contains(s, "Replica start") || strings.Contains(s, "replica on an empty disk") {
		t.Errorf("a run without the replica phase renders it:\n%s", s)
	}
}

package search_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/search"
)

// queryMix is the fixed set of query kinds latency is reported for.
var queryMix = []struct {
	kind string
	q    search.Query
}{
	{"selective-word", search.Query{Text: "chromebook"}},
	{"broad-word", search.Query{Text: "belanja"}},
	{"phrase", search.Query{Text: `"alat tulis kantor"`}},
	{"facets-3-filters", search.Query{Text: "jalan", Year: 2024, Dataset: "budget", Filters: map[string]string{"stage": "murni"}}},
	{"money-range-amount-sort", search.Query{MinAmount: ptr(int64(200_000_000_00)), MaxAmount: ptr(int64(1_000_000_000_00)), Sort: "-amount"}},
	{"code-prefix", search.Query{Text: "5.1.02.01"}},
	{"typo", search.Query{Text: "pendidkan"}},
}

func ptr[T any](v T) *T { return &v }

// BenchmarkSearchMix builds an index of TERBUKA_BENCH_RECORDS demo records
// (default 100,000; the figure is 1,000,000) through the real
// validation path, reporting the build rate and index size, then runs each
// query kind 200 times and reports its p50 and p99 latency in ms.
func BenchmarkSearchMix(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("TERBUKA_BENCH_RECORDS")); err == nil && v > 0 {
		n = v
	}
	runs := 200
	if v, err := strconv.Atoi(os.Getenv("TERBUKA_BENCH_RUNS")); err == nil && v > 0 {
		runs = v
	}
	// TERBUKA_BENCH_DIR keeps the built index between runs, so query
	// changes can be measured without rebuilding; by default it is temporary.
	dir := os.Getenv("TERBUKA_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	ix, docs, took := benchIndex(b, dir, n)
	defer ix.Close()
	for b.Loop() {
		for _, m := range queryMix {
			// TERBUKA_BENCH_KINDS=phrase,typo runs only those kinds.
			if k := os.Getenv("TERBUKA_BENCH_KINDS"); k != "" && !slices.Contains(strings.Split(k, ","), m.kind) {
				continue
			}
			var lat []time.Duration
			for range runs {
				t0 := time.Now()
				if _, err := ix.Search(b.Context(), m.q); err != nil {
					b.Fatalf("%s: %v", m.kind, err)
				}
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(ms(lat[len(lat)/2]), m.kind+"-p50-ms")
			b.ReportMetric(ms(lat[len(lat)*99/100]), m.kind+"-p99-ms")
		}
	}
	b.ReportMetric(float64(docs), "docs")
	if took > 0 {
		b.ReportMetric(float64(docs)/took.Seconds(), "build-docs/s")
	}
	b.ReportMetric(float64(dirSize(filepath.Join(dir, "index")))/1e6, "index-MB")
}

// benchIndex opens the index in dir, building it from n demo records when
// it does not exist yet; took is zero when it was reused.
func benchIndex(b *testing.B, dir string, n int) (*search.Index, int, time.Duration) {
	path := filepath.Join(dir, "index")
	_, statErr := os.Stat(path)
	ix, err := search.Open(search.Config{Path: path})
	if err != nil {
		b.Fatal(err)
	}
	if statErr == nil {
		docs, _ := ix.DocCount()
		return ix, int(docs), 0
	}
	// About 1,875 records per region-year at scale 1.
	regions := min(max(n/3750, 1), 500)
	feeds, err := demo.Generate(b.Context(), filepath.Join(dir, "feeds"), demo.Options{Regions: regions, Years: []int{2023, 2024}, Seed: 1, Scale: float64(n) / float64(regions*3750), AccountRegions: -1})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	docs := 0
	for _, f := range feeds {
		docs += indexFeed(b, ix, f)
	}
	// Compact as terbuka reindex does after a bulk build.
	if err := ix.Compact(b.Context()); err != nil {
		b.Fatal(err)
	}
	return ix, docs, time.Since(start)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func indexFeed(b *testing.B, ix *search.Index, f demo.Feed) int {
	var recs []dataset.Record
	fh, err := os.Open(f.Path)
	if err != nil {
		b.Fatal(err)
	}
	defer fh.Close()
	rep := &intake.Report{}
	err = intake.Validate(b.Context(), fh, intake.Meta{Dataset: f.Dataset, Region: f.Region, Year: f.Year}, dataset.LoadRegions(), rep, func(r dataset.Record) error {
		recs = append(recs, append(dataset.Record(nil), r...))
		return nil
	})
	if err != nil || !rep.OK() {
		b.Fatalf("feed %s: %v", f.Path, err)
	}
	p := search.Partition{Dataset: f.Dataset, Region: f.Region, Year: f.Year, SHA256: fmt.Sprint(len(recs))}
	err = ix.Replace(b.Context(), p, func(yield func(dataset.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	return len(recs)
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

package site

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// BenchmarkPages measures the server time of the main pages on the demo
// data `make run` serves (30 regions, 2023 and 2024), in process, without
// the network. Summaries are warm after the first request, as they are on
// a running portal; the first request of a release is reported apart.
func BenchmarkPages(b *testing.B) {
	d := publishDemo(b, demo.Options{Regions: 30, Years: []int{2023, 2024}, Seed: 1})
	st, pub, in, out, regions := d.st, d.pub, d.in, d.release, dataset.LoadRegions()
	ix, err := search.Empty()
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	part, _ := out.Partition("procurement/32.73/2024")
	var record string
	sc, _ := dataset.Lookup("procurement")
	for r, err := range partition.Read(store.ReaderAt(b.Context(), st, part.Path), part.Bytes, sc) {
		if err != nil {
			b.Fatal(err)
		}
		record = "/data/procurement/32.73/2024/" + r[0].Str
		break
	}
	for _, path := range []string{"/", "/wilayah/32.73", "/wilayah/32", "/datasets/budget", "/releases/" + out.ID, record} {
		b.Run(path, func(b *testing.B) {
			srv, err := New(Config{Index: ix, Publisher: pub, Regions: regions, Log: quiet, Store: st, Reports: in})
			if err != nil {
				b.Fatal(err)
			}
			first := serveOnce(b, srv, path)
			b.ResetTimer()
			for b.Loop() {
				serveOnce(b, srv, path)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
			b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
		})
	}
}

func serveOnce(b *testing.B, srv http.Handler, path string) time.Duration {
	start := time.Now()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		b.Fatalf("%s = %d", path, rec.Code)
	}
	return time.Since(start)
}

// BenchmarkSearchPageCache measures the search page of a common word
// ("belanja", in most budget lines) on demo data (10 regions, 2024):
// searched each time, answered from the cache of results (rendering
// still runs), and revalidated by a proxy holding the page (304).
func BenchmarkSearchPageCache(b *testing.B) {
	d := publishDemo(b, demo.Options{Regions: 10, Years: []int{2024}, Seed: 1})
	ix, err := search.Open(search.Config{Path: filepath.Join(b.TempDir(), "index")})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	sy := &indexer.Syncer{Store: d.st, Index: ix, Log: quiet, TempDir: b.TempDir()}
	if err := sy.Sync(b.Context(), d.release); err != nil {
		b.Fatal(err)
	}
	if err := ix.Compact(b.Context()); err != nil {
		b.Fatal(err)
	}
	docs, _ := ix.DocCount()
	res, err := ix.Search(b.Context(), search.Query{Text: "belanja"})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d documents, %d match", docs, res.Total)
	const path = "/search?q=belanja"
	for _, bc := range []struct {
		name        string
		index       Searcher
		revalidated bool
	}{
		{"uncached", ix, false},
		{"cached", search.NewCache(ix, 64<<20), false},
		{"revalidated", ix, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			srv, err := New(Config{Index: bc.index, Publisher: d.pub, Regions: dataset.LoadRegions(), Log: quiet, SearchRate: -1})
			if err != nil {
				b.Fatal(err)
			}
			srv.SetReady()
			srv.Followed(d.release.ID, d.release.ID)
			req := httptest.NewRequest(http.MethodGet, path, nil)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || rec.Header().Get("ETag") == "" {
				b.Fatalf("%s = %d, ETag %q", path, rec.Code, rec.Header().Get("ETag"))
			}
			want := http.StatusOK
			if bc.revalidated {
				req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
				want = http.StatusNotModified
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != want {
					b.Fatalf("%s = %d, want %d", path, rec.Code, want)
				}
			}
		})
	}
}

package site

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
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

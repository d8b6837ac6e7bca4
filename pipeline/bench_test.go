package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/store"
)

// BenchmarkIngest measures CSV → validated Parquet on the directory store
// at two feed sizes. peak-heap-MB must stay flat as rows grow ten-fold:
// ingest streams, holding one row group and the key set, not the feed.
func BenchmarkIngest(b *testing.B) {
	for _, scale := range []float64{150, 1500} {
		path, rows := benchFeed(b, scale)
		info, _ := os.Stat(path)
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			st, err := store.OpenDir(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			in := &Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: b.TempDir()}
			peak := sampleHeap()
			b.ResetTimer()
			for b.Loop() {
				f, _ := os.Open(path)
				rep, _, err := in.Ingest(b.Context(), f, intake.Meta{Dataset: "procurement", Region: "32.73", Year: 2024})
				f.Close()
				if err != nil || !rep.OK() {
					b.Fatalf("ingest: %v %+v", err, rep)
				}
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(rows)/sec, "rows/s")
			b.ReportMetric(float64(info.Size())/sec/1e6, "MB/s")
			b.ReportMetric(float64(peak())/1e6, "peak-heap-MB")
		})
	}
}

// benchFeed writes a procurement feed of Kota Bandung at scale once.
func benchFeed(b *testing.B, scale float64) (string, int) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "feed.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := demo.WriteFeed(f, demo.Spec{Dataset: "procurement", Region: dataset.LoadRegions().Lookup("32.73"), Year: 2024, Seed: 1, Scale: scale})
	if err != nil {
		b.Fatal(err)
	}
	return path, rows
}

// sampleHeap records the largest live heap until the returned function is
// called, which stops sampling and returns it.
func sampleHeap() func() uint64 {
	runtime.GC()
	var mu sync.Mutex
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				mu.Lock()
				peak = max(peak, ms.HeapInuse)
				mu.Unlock()
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak
	}
}

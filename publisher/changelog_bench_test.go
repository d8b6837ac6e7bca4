package publisher

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// BenchmarkChangelog builds the changelog of a release that changed one
// budget partition of n rows, every 100th amount of it. It reports rows
// per second and the largest heap seen while building (sampled every
// 5 ms): both partitions are merged in id order, never held, so the heap
// must not grow with n.
func BenchmarkChangelog(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ctx := b.Context()
			st := storetest.Dir(b)
			p := New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
			p.TempDir = b.TempDir()
			var m *Manifest
			for version := range 2 {
				part := writeBenchPartition(b, st, n, version)
				var err error
				if m, _, err = p.Publish(ctx, Replacing(part)); err != nil {
					b.Fatal(err)
				}
			}
			var peak uint64
			b.ResetTimer()
			for range b.N {
				for _, key := range []string{ChangelogKey(m.ID), RecordChangesKey(m.ID)} {
					st.Delete(ctx, key)
				}
				runtime.GC() // what the setup left is not the build's
				stop := sampleHeap(&peak)
				if err := p.BuildChangelog(ctx, m); err != nil {
					b.Fatal(err)
				}
				stop()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// writeBenchPartition stores a budget partition of n rows; version 1
// differs from version 0 in every 100th amount.
func writeBenchPartition(b *testing.B, st store.Store, n, version int) Partition {
	b.Helper()
	s, _ := dataset.Lookup("budget")
	path := filepath.Join(b.TempDir(), "part.parquet")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := partition.NewWriter(f, s)
	rec := make(dataset.Record, len(s.Fields))
	for i := range n {
		for j, fld := range s.Fields {
			switch fld.Type {
			case dataset.Integer:
				rec[j] = dataset.IntValue(2024)
			case dataset.Date, dataset.Timestamp:
				rec[j] = dataset.IntValue(19800)
			case dataset.Money:
				amount := int64(100_000 + i)
				if version == 1 && i%100 == 0 {
					amount += 5_000
				}
				rec[j] = dataset.IntValue(amount)
			default:
				rec[j] = dataset.StringValue(fmt.Sprintf("v%d", i%50))
			}
		}
		rec[s.Index(dataset.FieldID)] = dataset.StringValue(fmt.Sprintf("%016x", i))
		rec[s.Index("stage")] = dataset.StringValue("murni")
		if err := w.Write(rec); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	info, _ := f.Stat()
	sum := fmt.Sprintf("%064d", version)
	key := DataPath("budget", "32.73", 2024, sum)
	if _, err := st.PutFile(b.Context(), key, path, store.PutOptions{}); err != nil {
		b.Fatal(err)
	}
	return Partition{Dataset: "budget", Region: "32.73", Year: 2024, Path: key, Rows: int64(n), SHA256: sum, Bytes: info.Size()}
}

// sampleHeap records the largest HeapInuse until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

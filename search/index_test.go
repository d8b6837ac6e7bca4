package search

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

// fixtureIndexed is what Indexed reports after openFixture.
func fixtureIndexed() map[string]string {
	out := map[string]string{}
	for _, p := range []Partition{bdgBudget, bdgProcurement, bdgRevenue, kabBudget} {
		out[p.Key()] = p.SHA256
	}
	return out
}

func docCount(t *testing.T, ix *Index) uint64 {
	t.Helper()
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func indexed(t *testing.T, ix *Index) map[string]string {
	t.Helper()
	got, err := ix.Indexed()
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// seq yields recs without error.
func seq(recs ...dataset.Record) iter.Seq2[dataset.Record, error] {
	return func(yield func(dataset.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func TestPartitionKey(t *testing.T) {
	if got, want := bdgBudget.Key(), "budget/32.73/2024"; got != want {
		t.Errorf("Key() = %q, want %q", got, want)
	}
}

func TestOpenNewIndex(t *testing.T) {
	ix, err := Open(Config{Path: filepath.Join(t.TempDir(), "a", "b")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n := docCount(t, ix); n != 0 {
		t.Errorf("new index has %d documents", n)
	}
	if diff := cmp.Diff(indexed(t, ix), map[string]string{}); diff != "" {
		t.Errorf("Indexed() of a new index (-got +want):\n%s", diff)
	}
	// An existing empty directory, such as a freshly mounted volume.
	ix2, err := Open(Config{Path: t.TempDir()})
	if err != nil {
		t.Fatalf("open empty directory: %v", err)
	}
	ix2.Close()
}

// TestReplace runs with one batch per partition (the atomic swap) and with
// batches of one document (the bounded-memory path for large partitions):
// both must end with exactly the new records.
// TestReplace replaces a partition in one batch, in batches of one, and in
// batches of one applied two at a time (a Rows hint larger than a batch).
func TestReplace(t *testing.T) {
	for _, c := range []struct{ batch, rows int }{{0, 0}, {1, 0}, {1, 2}} {
		t.Run(fmt.Sprintf("batch=%d,rows=%d", c.batch, c.rows), func(t *testing.T) { testReplace(t, c.batch, int64(c.rows)) })
	}
}

func testReplace(t *testing.T, batchDocs int, rowsHint int64) {
	ix, fx, _ := openFixtureBatch(t, batchDocs)
	if n := docCount(t, ix); n != 11 {
		t.Fatalf("fixture index has %d documents, want 11", n)
	}
	if diff := cmp.Diff(indexed(t, ix), fixtureIndexed()); diff != "" {
		t.Fatalf("Indexed() (-got +want):\n%s", diff)
	}

	// The new feed amends B1's amount, drops B2–B4 and adds B5.
	s, _ := dataset.Lookup("budget")
	b1 := maps.Clone(rows[0].raw)
	b1["amount"] = "1.900.000.000,01"
	b5 := map[string]string{"region_code": "32.73", "fiscal_year": "2024", "stage": "murni",
		"agency_name": "Dinas Perhubungan", "account_code": "5.1.02.03.02.0001",
		"account_name": "Belanja Pemeliharaan Rambu Lalu Lintas", "amount": "75000000"}
	recs := []dataset.Record{parseRecord(t, s, b1), parseRecord(t, s, b5)}
	next := bdgBudget
	next.SHA256, next.Rows = "sha-bdg-budget-2", rowsHint
	if err := ix.Replace(t.Context(), next, seq(recs...)); err != nil {
		t.Fatal(err)
	}

	if n := docCount(t, ix); n != 9 {
		t.Errorf("after replace: %d documents, want 9", n)
	}
	want := fixtureIndexed()
	want[next.Key()] = next.SHA256
	if diff := cmp.Diff(indexed(t, ix), want); diff != "" {
		t.Errorf("Indexed() after replace (-got +want):\n%s", diff)
	}
	b5id := recs[1][s.Index(dataset.FieldID)].Str
	fx.names[b5id] = "B5"
	if diff := cmp.Diff(fx.hitNames(t, ix, Query{Dataset: "budget"}), []string{"B1", "B5", "K1", "K2"}); diff != "" {
		t.Errorf("budget records after replace (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(fx.hitNames(t, ix, Query{Region: "32.73", Year: 2024, Dataset: "procurement"}), []string{"P1", "P2", "P3"}); diff != "" {
		t.Errorf("other partition changed (-got +want):\n%s", diff)
	}
	res, err := ix.Search(t.Context(), Query{Text: "5.1.02.01.01.0024"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != fx.ids["B1"] || res.Hits[0].Amount != 190000000001 {
		t.Errorf("amended B1: got %+v, want amount 190000000001", res.Hits)
	}
	if res, _ := ix.Search(t.Context(), Query{Text: "honorarium"}); res.Total != 0 {
		t.Errorf("removed record B2 still found")
	}
}

func TestReplaceEmptyPartition(t *testing.T) {
	ix, _, _ := openFixture(t)
	empty := Partition{Dataset: "revenue", Region: "32.04", Year: 2023, SHA256: "sha-empty"}
	if err := ix.Replace(t.Context(), empty, seq()); err != nil {
		t.Fatal(err)
	}
	want := fixtureIndexed()
	want[empty.Key()] = empty.SHA256
	if diff := cmp.Diff(indexed(t, ix), want); diff != "" {
		t.Errorf("Indexed() (-got +want):\n%s", diff)
	}
	if n := docCount(t, ix); n != 11 {
		t.Errorf("%d documents, want 11", n)
	}
}

func TestReplaceRejects(t *testing.T) {
	ix, fx, _ := openFixture(t)
	failing := func(yield func(dataset.Record, error) bool) {
		if yield(fx.recs["B1"], nil) {
			yield(nil, errors.New("parquet: corrupt page"))
		}
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		p    Partition
		recs iter.Seq2[dataset.Record, error]
		kind error
	}{
		{"record of another partition", t.Context(), bdgBudget, fx.records("B1", "K1"), dataset.ErrInvalid},
		{"record of another dataset", t.Context(), bdgBudget, fx.records("P1"), dataset.ErrInvalid},
		{"unknown dataset", t.Context(), Partition{Dataset: "apbn", Region: "32.73", Year: 2024, SHA256: "x"}, fx.records(), dataset.ErrInvalid},
		{"no sha256", t.Context(), Partition{Dataset: "budget", Region: "32.73", Year: 2024}, fx.records(), dataset.ErrInvalid},
		{"reader error", t.Context(), bdgBudget, failing, nil},
		{"cancelled", cancelled, bdgBudget, fx.records("B1"), context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ix.Replace(tt.ctx, tt.p, tt.recs)
			if err == nil || tt.kind != nil && !errors.Is(err, tt.kind) {
				t.Errorf("Replace = %v, want an error wrapping %v", err, tt.kind)
			}
			// A failed replace leaves the index as it was.
			if n := docCount(t, ix); n != 11 {
				t.Errorf("%d documents after failed replace, want 11", n)
			}
			if diff := cmp.Diff(indexed(t, ix), fixtureIndexed()); diff != "" {
				t.Errorf("Indexed() after failed replace (-got +want):\n%s", diff)
			}
		})
	}
}

func TestRemove(t *testing.T) {
	ix, fx, _ := openFixture(t)
	if err := ix.Remove(t.Context(), bdgProcurement.Key()); err != nil {
		t.Fatal(err)
	}
	if n := docCount(t, ix); n != 8 {
		t.Errorf("%d documents, want 8", n)
	}
	want := fixtureIndexed()
	delete(want, bdgProcurement.Key())
	if diff := cmp.Diff(indexed(t, ix), want); diff != "" {
		t.Errorf("Indexed() (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(fx.hitNames(t, ix, Query{Text: "jalan"}), []string{"B1", "K1", "R2"}); diff != "" {
		t.Errorf("jalan after remove (-got +want):\n%s", diff)
	}
	// Removing what is not there is a no-op, so a retried sync converges.
	if err := ix.Remove(t.Context(), bdgProcurement.Key()); err != nil {
		t.Errorf("second remove: %v", err)
	}
	if err := ix.Remove(t.Context(), ""); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("Remove(\"\") = %v, want ErrInvalid", err)
	}
}

func TestReopen(t *testing.T) {
	ix, fx, path := openFixture(t)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n := docCount(t, ix); n != 11 {
		t.Errorf("reopened index has %d documents, want 11", n)
	}
	if diff := cmp.Diff(indexed(t, ix), fixtureIndexed()); diff != "" {
		t.Errorf("Indexed() after reopen (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(fx.hitNames(t, ix, Query{Text: "jalan"}), []string{"B1", "K1", "P1", "R2"}); diff != "" {
		t.Errorf("jalan after reopen (-got +want):\n%s", diff)
	}
}

func TestOpenOtherMappingVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Open(Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.idx.SetInternal(versionKey, []byte("0.0")); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Config{Path: path}); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("Open of an index with another mapping version = %v, want ErrInvalid", err)
	}
}

// TestConcurrentSearchAndReplace runs under -race: searches during
// replaces must see one whole version of the partition, never a mix.
func TestConcurrentSearchAndReplace(t *testing.T) {
	ix, fx, _ := openFixture(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 4 {
		wg.Go(func() {
			for i := range 10 {
				p := bdgBudget
				p.SHA256 = fmt.Sprintf("sha-%d-%d", w, i)
				names := fx.byKey[p.Key()]
				if i%2 == 1 {
					names = names[:1]
				}
				if err := ix.Replace(t.Context(), p, fx.records(names...)); err != nil {
					errs <- err
					return
				}
			}
		})
		wg.Go(func() {
			for range 20 {
				res, err := ix.Search(t.Context(), Query{Region: "32.73", Dataset: "budget"})
				if err != nil {
					errs <- err
					return
				}
				if res.Total != 1 && res.Total != 4 {
					errs <- fmt.Errorf("saw %d budget records of Kota Bandung, want 1 or 4", res.Total)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestOpenLockedIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Open(Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// A second opener (as another process would be) must not wait forever.
	_, err = Open(Config{Path: path, LockTimeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
}

// TestLoader fills a new index with every fixture partition, with batches
// of one document (many applied at once) and of the default size: the
// result must be the index Replace builds.
func TestLoader(t *testing.T) {
	for _, batch := range []int{0, 1} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			fx := newFixture(t)
			ix, err := Open(Config{Path: filepath.Join(t.TempDir(), "index"), BatchDocs: batch})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			l, err := ix.NewLoader()
			if err != nil {
				t.Fatal(err)
			}
			empty := Partition{Dataset: "revenue", Region: "32.04", Year: 2023, SHA256: "sha-empty"}
			for _, p := range append(fx.parts, empty) {
				if err := l.Add(t.Context(), p, fx.records(fx.byKey[p.Key()]...)); err != nil {
					t.Fatal(err)
				}
			}
			if err := l.Finish(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n := docCount(t, ix); n != 11 {
				t.Errorf("%d documents, want 11", n)
			}
			want := fixtureIndexed()
			want[empty.Key()] = empty.SHA256
			if diff := cmp.Diff(indexed(t, ix), want); diff != "" {
				t.Errorf("Indexed() (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(fx.hitNames(t, ix, Query{Text: "jalan"}), []string{"B1", "K1", "P1", "R2"}); diff != "" {
				t.Errorf("jalan (-got +want):\n%s", diff)
			}
		})
	}
}

func TestLoaderRejects(t *testing.T) {
	filled, fx, _ := openFixture(t)
	if _, err := filled.NewLoader(); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("NewLoader on a filled index = %v, want ErrInvalid", err)
	}
	ix, err := Open(Config{Path: filepath.Join(t.TempDir(), "index"), BatchDocs: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	l, err := ix.NewLoader()
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Add(t.Context(), bdgBudget, fx.records("B1", "K1")); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("Add of a record of another partition = %v, want ErrInvalid", err)
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	if err := l.Add(cancelled, bdgBudget, fx.records("B1", "B2")); !errors.Is(err, context.Canceled) {
		t.Errorf("Add with a cancelled context = %v, want context.Canceled", err)
	}
}

// TestColdOpenAndSegmentBytes: an index built with a Loader, opened cold,
// answers searches; SegmentBytes counts exactly the segment files a copy
// of the index holds, whatever older files the directory still has.
func TestColdOpenAndSegmentBytes(t *testing.T) {
	fx := newFixture(t)
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Open(Config{Path: path, BatchDocs: 1})
	if err != nil {
		t.Fatal(err)
	}
	l, err := ix.NewLoader()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range fx.parts {
		if err := l.Add(t.Context(), p, fx.records(fx.byKey[p.Key()]...)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Finish(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	cold, err := Open(Config{Path: path, Cold: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cold.Close()
	if diff := cmp.Diff(fx.hitNames(t, cold, Query{Text: "jalan"}), []string{"B1", "K1", "P1", "R2"}); diff != "" {
		t.Errorf("jalan on an index opened cold (-got +want):\n%s", diff)
	}
	got, err := cold.SegmentBytes()
	if err != nil {
		t.Fatal(err)
	}
	copyDir := filepath.Join(t.TempDir(), "copy")
	if err := cold.CopyTo(copyDir); err != nil {
		t.Fatal(err)
	}
	zaps, _ := filepath.Glob(filepath.Join(copyDir, "store", "*.zap"))
	var want int64
	for _, z := range zaps {
		info, err := os.Stat(z)
		if err != nil {
			t.Fatal(err)
		}
		want += info.Size()
	}
	if got == 0 || got != want {
		t.Errorf("SegmentBytes = %d, the copy's %d segment files hold %d", got, len(zaps), want)
	}
}

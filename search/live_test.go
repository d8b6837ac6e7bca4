package search

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

func emptyIndex(t *testing.T) *Index {
	t.Helper()
	ix, err := Empty()
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestLiveSwapUnderSearches runs under -race: searches running while the
// index is swapped again and again must never meet a closed index, and
// each must see one whole index, the fixture (11 records) or an empty one.
func TestLiveSwapUnderSearches(t *testing.T) {
	fx := newFixture(t)
	next := func(i int) *Index {
		ix := emptyIndex(t)
		if i%2 == 0 {
			return ix
		}
		for _, p := range fx.parts {
			if err := ix.Replace(t.Context(), p, fx.records(fx.byKey[p.Key()]...)); err != nil {
				t.Fatal(err)
			}
		}
		return ix
	}
	l := NewLive(next(0))
	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				res, err := l.Search(t.Context(), Query{Text: "jalan"})
				if err == nil && res.Total != 0 && res.Total != 4 {
					err = errors.New("saw a partial index")
				}
				if _, cerr := l.DocCount(); err == nil {
					err = cerr
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for i := 1; i <= 20; i++ {
		if err := l.Swap(next(i)); err != nil {
			t.Fatalf("swap %d: %v", i, err)
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("search during swaps: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestLiveClosesOldIndexAfterReaders holds the old index as a running
// search would: Swap must not close it until that search is done.
func TestLiveClosesOldIndexAfterReaders(t *testing.T) {
	old, next := emptyIndex(t), emptyIndex(t)
	l := NewLive(old)
	ix, release := l.Current()
	if ix != old {
		t.Fatal("Current is not the index Live was made with")
	}
	swapped := make(chan error, 1)
	go func() { swapped <- l.Swap(next) }()
	// New searches move to next at once, before the old index is released.
	for deadline := time.Now().Add(10 * time.Second); ; {
		cur, rel := l.Current()
		rel()
		if cur == next {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Swap did not make the new index current")
		}
		runtime.Gosched()
	}
	select {
	case err := <-swapped:
		t.Fatalf("Swap returned (%v) while a search still used the old index", err)
	default:
	}
	if _, err := old.DocCount(); err != nil {
		t.Fatalf("old index closed under a running search: %v", err)
	}
	release()
	release() // a second call does nothing
	if err := <-swapped; err != nil {
		t.Fatalf("Swap: %v", err)
	}
	if _, err := old.DocCount(); err == nil {
		t.Error("old index still open after its last search ended")
	}
	if _, err := l.DocCount(); err != nil {
		t.Errorf("new index: %v", err)
	}
}

func TestLiveClose(t *testing.T) {
	l := NewLive(emptyIndex(t))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Search(t.Context(), Query{}); !errors.Is(err, dataset.ErrUnavailable) {
		t.Errorf("Search after Close = %v, want ErrUnavailable", err)
	}
	if _, err := l.DocCount(); !errors.Is(err, dataset.ErrUnavailable) {
		t.Errorf("DocCount after Close = %v, want ErrUnavailable", err)
	}
	if ix, release := l.Current(); ix != nil {
		release()
		t.Error("Current after Close returned an index")
	}
}

func TestDirGenerations(t *testing.T) {
	d := Dir(filepath.Join(t.TempDir(), "index"))
	if _, err := d.Current(); !errors.Is(err, dataset.ErrNotFound) {
		t.Fatalf("Current of a new directory = %v, want ErrNotFound", err)
	}
	var gens []string
	for range 3 {
		gen, err := d.NewGeneration()
		if err != nil {
			t.Fatal(err)
		}
		gens = append(gens, gen)
	}
	if diff := cmp.Diff(gens, []string{"gen-000001", "gen-000002", "gen-000003"}); diff != "" {
		t.Fatalf("generation names (-got +want):\n%s", diff)
	}
	if err := d.SetCurrent("gen-000002"); err != nil {
		t.Fatal(err)
	}
	if got, err := d.Current(); err != nil || got != "gen-000002" {
		t.Fatalf("Current = %q, %v; want gen-000002", got, err)
	}
	if err := d.SetCurrent("gen-000001"); !errors.Is(err, dataset.ErrConflict) {
		t.Errorf("moving CURRENT back = %v, want ErrConflict", err)
	}
	// The generation being built (3) is newer than the current one: kept.
	removed, err := d.RemoveOld("gen-000002")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(removed, []string{"gen-000001"}); diff != "" {
		t.Errorf("RemoveOld removed (-got +want):\n%s", diff)
	}
	// An empty generation directory is not an index: Open does not make one.
	if _, err := d.Open("gen-000003", Config{}); !errors.Is(err, dataset.ErrNotFound) {
		t.Errorf("Open of an unbuilt generation = %v, want ErrNotFound", err)
	}
	if _, err := d.Open("gen-000009", Config{}); !errors.Is(err, dataset.ErrNotFound) {
		t.Errorf("Open of a missing generation = %v, want ErrNotFound", err)
	}
	os.WriteFile(filepath.Join(string(d), currentFile), []byte("../etc\n"), 0o644)
	if _, err := d.Current(); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("Current with a bad CURRENT = %v, want ErrInvalid", err)
	}
}

// TestDirRemoveOldKeepsOpenGenerations: a generation a process still has
// open (a server that has not switched yet) is left to that process.
func TestDirRemoveOldKeepsOpenGenerations(t *testing.T) {
	d := Dir(filepath.Join(t.TempDir(), "index"))
	// An index kept directly in the directory, before generations.
	legacy, err := Open(Config{Path: string(d)})
	if err != nil {
		t.Fatal(err)
	}
	legacy.Close()
	open := func() *Index {
		gen, err := d.NewGeneration()
		if err != nil {
			t.Fatal(err)
		}
		ix, err := Open(Config{Path: d.Path(gen)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	inUse, closed := open(), open()
	closed.Close()
	open()
	removed, err := d.RemoveOld("gen-000003")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(removed, []string{"gen-000002", legacyMeta}); diff != "" {
		t.Errorf("RemoveOld removed (-got +want):\n%s", diff)
	}
	if _, err := inUse.DocCount(); err != nil {
		t.Errorf("generation in use: %v", err)
	}
	for _, name := range []string{"gen-000001", "gen-000003"} {
		if _, err := os.Stat(d.Path(name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"gen-000002", legacyMeta, legacyStore} {
		if _, err := os.Stat(d.Path(name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there (%v)", name, err)
		}
	}
}

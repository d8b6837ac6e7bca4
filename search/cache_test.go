package search

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/terbuka/terbuka/dataset"
)

// fixtureIndex is the fixture in an in-memory index.
func fixtureIndex(t *testing.T) (*Index, *fixture) {
	t.Helper()
	fx := newFixture(t)
	ix := emptyIndex(t)
	t.Cleanup(func() { ix.Close() })
	for _, p := range fx.parts {
		if err := ix.Replace(t.Context(), p, fx.records(fx.byKey[p.Key()]...)); err != nil {
			t.Fatal(err)
		}
	}
	return ix, fx
}

// ignoreTook compares results apart from the time they took.
var ignoreTook = cmpopts.IgnoreFields(Result{}, "Took")

// sameAnswer compares results apart from the time they took and the Next
// cursor's bytes (it hashes the query's text as typed): only whether
// there is a next page.
var sameAnswer = cmp.Options{ignoreTook, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Next" },
	cmp.Comparer(func(a, b string) bool { return (a == "") == (b == "") }))}

// uncached runs q on ix itself: what a cached answer must equal.
func uncached(t *testing.T, ix *Index, q Query) *Result {
	t.Helper()
	res, err := ix.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

func TestCacheHitAfterMiss(t *testing.T) {
	ix, _ := fixtureIndex(t)
	c := NewCache(ix, 1<<20)
	tests := []struct {
		name string
		q    Query
	}{
		{"words", Query{Text: "jalan"}},
		{"every record", Query{}},
		{"filtered and sorted", Query{Dataset: "budget", Region: "32.73", Sort: "-amount", Size: 2}},
		{"amount range", Query{MinAmount: new(int64(100_000_000_00)), Filters: map[string]string{}}},
		{"field clause", Query{Text: "wilayah:32.73 pendidikan"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := uncached(t, ix, tt.q)
			before := c.Stats()
			first, err := c.Search(t.Context(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			second, err := c.Search(t.Context(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(first, want, ignoreTook); diff != "" {
				t.Errorf("first answer differs from the uncached search (-got +want):\n%s", diff)
			}
			if second != first {
				t.Error("second answer is not the cached one")
			}
			after := c.Stats()
			if after.Misses-before.Misses != 1 || after.Hits-before.Hits != 1 {
				t.Errorf("misses %d hits %d, want 1 and 1", after.Misses-before.Misses, after.Hits-before.Hits)
			}
		})
	}
}

// TestCacheEquivalentQueries checks that spellings of one query share an
// entry, and that the shared answer is what the index answers to each
// spelling as typed; and that queries the index answers differently do
// not share one.
func TestCacheEquivalentQueries(t *testing.T) {
	ix, _ := fixtureIndex(t)
	wib := time.FixedZone("WIB", 7*3600)
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		variants []Query
		shared   bool
	}{
		{"case and spaces of words", []Query{{Text: "jalan lingkungan"}, {Text: "  Jalan\t LINGKUNGAN "}, {Text: "JALAN   lingkungan"}}, true},
		{"negated word", []Query{{Text: "jalan -Pemeliharaan"}, {Text: "jalan   -pemeliharaan"}}, true},
		{"field alias", []Query{{Text: "wilayah:32.73 jalan"}, {Text: "region_code:32.73 Jalan"}, {Text: "Region:32.73  jalan"}}, true},
		{"quoted field value without spaces", []Query{{Text: `tahap:"murni"`}, {Text: "stage:murni"}}, true},
		{"phrase spacing", []Query{{Text: `"jalan  lingkungan"`}, {Text: `" jalan  lingkungan "`}}, true},
		{"default page size", []Query{{Text: "belanja"}, {Text: "belanja", Size: defaultSize}}, true},
		{"date zone", []Query{{DateFrom: day}, {DateFrom: day.In(wib)}}, true},
		{"filters", []Query{{Dataset: "procurement", Filters: map[string]string{"method": "Tender", "category": "pekerjaan konstruksi"}},
			{Dataset: "procurement", Filters: map[string]string{"category": "pekerjaan konstruksi", "method": "Tender"}}}, true},
		// Codes are matched as written: not folded.
		{"code case", []Query{{Text: "PBJT-PH"}, {Text: "pbjt-ph"}}, false},
		{"phrase case", []Query{{Text: `"Jalan Lingkungan"`}, {Text: `"jalan lingkungan"`}}, false},
		{"page", []Query{{Text: "belanja", Size: 1}, {Text: "belanja", Size: 1, From: 1}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCache(ix, 1<<20)
			for _, q := range tt.variants {
				got, err := c.Search(t.Context(), q)
				if err != nil {
					t.Fatalf("%q: %v", q.Text, err)
				}
				if diff := cmp.Diff(got, uncached(t, ix, q), sameAnswer); diff != "" {
					t.Errorf("%+v: cached answer differs from the index's (-got +want):\n%s", q, diff)
				}
			}
			wantEntries := len(tt.variants)
			if tt.shared {
				wantEntries = 1
			}
			if got := c.Stats().Entries; got != wantEntries {
				t.Errorf("%d entries, want %d", got, wantEntries)
			}
		})
	}
}

// TestCacheNextPageOfSharedResult: the Next of a result shared by two
// spellings continues either of them.
func TestCacheNextPageOfSharedResult(t *testing.T) {
	ix, _ := fixtureIndex(t)
	c := NewCache(ix, 1<<20)
	first, err := c.Search(t.Context(), Query{Text: "Belanja", Size: 1})
	if err != nil || first.Next == "" {
		t.Fatalf("first page: next %q, %v", first.Next, err)
	}
	for _, text := range []string{"Belanja", "belanja", " BELANJA"} {
		got, err := c.Search(t.Context(), Query{Text: text, Size: 1, After: first.Next})
		if err != nil {
			t.Fatalf("%q page 2: %v", text, err)
		}
		want := uncached(t, ix, Query{Text: "belanja", Size: 1, From: 1})
		if diff := cmp.Diff(got.Hits, want.Hits); diff != "" {
			t.Errorf("%q page 2 (-got +want):\n%s", text, diff)
		}
	}
	// Pages after a cursor are read once, by exports: not kept.
	if n := c.Stats().Entries; n != 1 {
		t.Errorf("%d entries, want only the first page", n)
	}
}

// TestCacheVersionMovesWithWrites: every write searches may see, and every
// swap, gives a new version; a search does not.
func TestCacheVersionMovesWithWrites(t *testing.T) {
	// On disk: compacting waits for scorch's persister, which an index in
	// memory has not.
	ix, fx, _ := openFixture(t)
	steps := []struct {
		name  string
		write func() error
		moves bool
	}{
		{"search", func() error { _, err := ix.Search(t.Context(), Query{Text: "jalan"}); return err }, false},
		{"replace", func() error {
			return ix.Replace(t.Context(), bdgBudget, fx.records("B2", "B3"))
		}, true},
		{"remove", func() error { return ix.Remove(t.Context(), kabBudget.Key()) }, true},
		{"compact", func() error { return ix.Compact(t.Context()) }, true},
	}
	for _, st := range steps {
		before := ix.Version()
		if err := st.write(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if moved := ix.Version() != before; moved != st.moves {
			t.Errorf("%s: version %v → %v, want moved %v", st.name, before, ix.Version(), st.moves)
		}
	}

	fresh, err := Open(Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	ld, err := fresh.NewLoader()
	if err != nil {
		t.Fatal(err)
	}
	if err := ld.Add(t.Context(), bdgRevenue, fx.records(fx.byKey[bdgRevenue.Key()]...)); err != nil {
		t.Fatal(err)
	}
	before := fresh.Version()
	if err := ld.Finish(t.Context()); err != nil {
		t.Fatal(err)
	}
	if fresh.Version() == before {
		t.Error("a Loader's Finish left the version")
	}

	l := NewLive(fresh)
	seen := map[Version]bool{l.Version(): true}
	if err := l.Swap(emptyIndex(t)); err != nil {
		t.Fatal(err)
	}
	// A new generation at the same count of writes is still new.
	if v := l.Version(); seen[v] {
		t.Errorf("version %v after a swap was seen before", v)
	}
	seen[l.Version()] = true
	ix2, release := l.Current()
	if err := ix2.Replace(t.Context(), bdgRevenue, fx.records(fx.byKey[bdgRevenue.Key()]...)); err != nil {
		t.Fatal(err)
	}
	release()
	if v := l.Version(); seen[v] {
		t.Errorf("version %v after a write to the live index was seen before", v)
	}
	seen[l.Version()] = true
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if v := l.Version(); seen[v] {
		t.Errorf("version %v after Close was seen before", v)
	}
}

// TestCacheEmptiedByChange: after a write or a swap, the cache answers as
// the changed index does, and holds nothing of before.
func TestCacheEmptiedByChange(t *testing.T) {
	q := Query{Text: "jalan"}
	t.Run("write", func(t *testing.T) {
		ix, fx := fixtureIndex(t)
		c := NewCache(ix, 1<<20)
		before, err := c.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Search(t.Context(), Query{Text: "pendidikan"}); err != nil {
			t.Fatal(err)
		}
		if err := ix.Replace(t.Context(), bdgBudget, fx.records("B2", "B3")); err != nil {
			t.Fatal(err)
		}
		after, err := c.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(after, uncached(t, ix, q), ignoreTook); diff != "" {
			t.Errorf("after the write (-cached +index):\n%s", diff)
		}
		if after.Total == before.Total {
			t.Fatalf("the write changed nothing the test sees: total %d", after.Total)
		}
		if st := c.Stats(); st.Entries != 1 || st.Dropped != 2 {
			t.Errorf("entries %d dropped %d, want 1 and 2", st.Entries, st.Dropped)
		}
	})
	t.Run("swap", func(t *testing.T) {
		ix, _ := fixtureIndex(t)
		l := NewLive(ix)
		defer l.Close()
		c := NewCache(l, 1<<20)
		if _, err := c.Search(t.Context(), q); err != nil {
			t.Fatal(err)
		}
		next := emptyIndex(t)
		if err := l.Swap(next); err != nil {
			t.Fatal(err)
		}
		got, err := c.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, uncached(t, next, q), ignoreTook); diff != "" {
			t.Errorf("after the swap (-cached +index):\n%s", diff)
		}
	})
}

// TestCacheByteBound fills the cache past its bound: it never holds more,
// and the least recently used results go first.
func TestCacheByteBound(t *testing.T) {
	ix, _ := fixtureIndex(t)
	queries := []Query{{Text: "jalan"}, {Text: "pendidikan"}, {Text: "belanja"}, {Text: "dinas"}, {Text: "pajak"}, {Text: "kantor"}, {}}
	var sizes []int64
	for _, q := range queries {
		sizes = append(sizes, resultBytes(uncached(t, ix, normalize(q)))+entryBytes(cacheKey(normalize(q))))
	}
	// Room for about three of them.
	bound := sizes[0] + sizes[1] + sizes[2] + sizes[3]/2
	c := NewCache(ix, bound)
	search := func(q Query) {
		t.Helper()
		if _, err := c.Search(t.Context(), q); err != nil {
			t.Fatal(err)
		}
		if st := c.Stats(); st.Bytes > bound {
			t.Fatalf("holds %d bytes, bound %d", st.Bytes, bound)
		}
	}
	cached := func(q Query) bool {
		hits := c.Stats().Hits
		search(q)
		return c.Stats().Hits > hits
	}
	search(queries[0])
	search(queries[1])
	search(queries[2])
	// queries[0] used again: queries[1] is now the least recently used.
	if !cached(queries[0]) {
		t.Fatal("first query not cached while there was room")
	}
	for _, q := range queries[3:] {
		search(q)
	}
	st := c.Stats()
	if st.Evictions == 0 {
		t.Fatalf("nothing evicted: %+v", st)
	}
	if !cached(queries[len(queries)-1]) {
		t.Error("the newest result was evicted")
	}
	if cached(queries[1]) {
		t.Error("the least recently used result is still cached")
	}
	// A result larger than the whole cache is not kept.
	small := NewCache(ix, 100)
	for range 2 {
		if _, err := small.Search(t.Context(), queries[0]); err != nil {
			t.Fatal(err)
		}
	}
	if st := small.Stats(); st.Hits != 0 || st.Bytes != 0 {
		t.Errorf("a cache smaller than a result: %+v", st)
	}
}

// gatedSource counts the searches that reach the index and holds each
// until the gate opens or its context ends.
type gatedSource struct {
	*Index
	gate  chan struct{}
	calls atomic.Int64
	// partial makes a search whose context ended answer what it has, as a
	// search that stops early might, rather than an error.
	partial bool
}

func (g *gatedSource) Search(ctx context.Context, q Query) (*Result, error) {
	g.calls.Add(1)
	select {
	case <-g.gate:
	case <-ctx.Done():
		if g.partial {
			return &Result{}, nil
		}
		return nil, ctx.Err()
	}
	return g.Index.Search(ctx, q)
}

// waitMisses waits until n searches have missed, so have joined a flight.
func waitMisses(t *testing.T, c *Cache, n uint64) {
	t.Helper()
	for c.Stats().Misses < n {
		if t.Context().Err() != nil {
			t.Fatal("gave up waiting")
		}
		runtime.Gosched()
	}
}

func TestCacheConcurrentMissesSearchOnce(t *testing.T) {
	ix, _ := fixtureIndex(t)
	src := &gatedSource{Index: ix, gate: make(chan struct{})}
	c := NewCache(src, 1<<20)
	q := Query{Text: "jalan"}
	const n = 8
	results := make([]*Result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res, err := c.Search(t.Context(), q)
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		})
	}
	waitMisses(t, c, n)
	close(src.gate)
	wg.Wait()
	if got := src.calls.Load(); got != 1 {
		t.Errorf("%d searches reached the index, want 1", got)
	}
	for i, res := range results {
		if res != results[0] {
			t.Errorf("caller %d got another result", i)
		}
	}
	if diff := cmp.Diff(results[0], uncached(t, ix, q), ignoreTook); diff != "" {
		t.Errorf("(-cached +index):\n%s", diff)
	}
}

func TestCacheKeepsNoFailures(t *testing.T) {
	ix, _ := fixtureIndex(t)
	t.Run("error", func(t *testing.T) {
		src := &gatedSource{Index: ix, gate: make(chan struct{})}
		close(src.gate)
		c := NewCache(src, 1<<20)
		for range 2 {
			if _, err := c.Search(t.Context(), Query{Sort: "price"}); !errors.Is(err, dataset.ErrInvalid) {
				t.Fatalf("bad sort: %v", err)
			}
		}
		if got := src.calls.Load(); got != 2 {
			t.Errorf("%d searches reached the index, want 2: an error was cached", got)
		}
	})
	for _, partial := range []bool{false, true} {
		t.Run(fmt.Sprintf("cancelled, partial answer %v", partial), func(t *testing.T) {
			src := &gatedSource{Index: ix, gate: make(chan struct{}), partial: partial}
			c := NewCache(src, 1<<20)
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() {
				_, err := c.Search(ctx, Query{Text: "jalan"})
				done <- err
			}()
			waitMisses(t, c, 1)
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled search: %v", err)
			}
			close(src.gate)
			res, err := c.Search(t.Context(), Query{Text: "jalan"})
			if err != nil {
				t.Fatal(err)
			}
			if got := src.calls.Load(); got != 2 {
				t.Errorf("%d searches reached the index, want 2: a cancelled one was cached", got)
			}
			if diff := cmp.Diff(res, uncached(t, ix, Query{Text: "jalan"}), ignoreTook); diff != "" {
				t.Errorf("(-cached +index):\n%s", diff)
			}
		})
	}
	t.Run("one caller of two gives up", func(t *testing.T) {
		src := &gatedSource{Index: ix, gate: make(chan struct{})}
		c := NewCache(src, 1<<20)
		ctx, cancel := context.WithCancel(t.Context())
		gaveUp := make(chan error, 1)
		go func() {
			_, err := c.Search(ctx, Query{Text: "jalan"})
			gaveUp <- err
		}()
		waited := make(chan *Result, 1)
		go func() {
			res, err := c.Search(t.Context(), Query{Text: "jalan"})
			if err != nil {
				t.Error(err)
			}
			waited <- res
		}()
		waitMisses(t, c, 2)
		cancel()
		if err := <-gaveUp; !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled caller: %v", err)
		}
		close(src.gate)
		if res := <-waited; res == nil || res.Total == 0 {
			t.Fatalf("the caller that waited got %+v", res)
		}
		if st := c.Stats(); st.Entries != 1 || src.calls.Load() != 1 {
			t.Errorf("entries %d, searches %d: want the one search cached", st.Entries, src.calls.Load())
		}
	})
}

// TestCacheUnderRace runs searches, writes and swaps at once, for -race:
// every answer is one the index gave for some state, never a mix.
func TestCacheUnderRace(t *testing.T) {
	ix, fx := fixtureIndex(t)
	l := NewLive(ix)
	defer l.Close()
	c := NewCache(l, 1<<16)
	queries := []Query{{Text: "jalan"}, {Text: "Jalan"}, {Text: "pendidikan"}, {}, {Dataset: "budget", Sort: "amount"}}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := 0; !stop.Load(); j++ {
				ctx, cancel := context.WithCancel(t.Context())
				if j%7 == 0 {
					cancel()
				}
				if _, err := c.Search(ctx, queries[(i+j)%len(queries)]); err != nil && !errors.Is(err, context.Canceled) {
					t.Error(err)
				}
				cancel()
				c.Stats()
			}
		})
	}
	for i := range 6 {
		cur, release := l.Current()
		err := cur.Replace(t.Context(), bdgBudget, fx.records(fx.byKey[bdgBudget.Key()][:1+i%3]...))
		release()
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			next, _ := fixtureIndex(t)
			if err := l.Swap(next); err != nil {
				t.Fatal(err)
			}
		}
	}
	stop.Store(true)
	wg.Wait()
	// At rest, the cache answers as the index does.
	for _, q := range queries {
		got, err := c.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		cur, release := l.Current()
		want := uncached(t, cur, q)
		release()
		if diff := cmp.Diff(got, want, sameAnswer); diff != "" {
			t.Errorf("%+v at rest (-cached +index):\n%s", q, diff)
		}
	}
}

// TestCacheResultBytesMatchesHeap compares resultBytes with what real
// results hold on the heap: the growth of the live heap while a batch of
// them is kept, measured after the searches' garbage is collected. The
// estimate must be within a factor of 1.5 of the measure either way.
func TestCacheResultBytesMatchesHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 3,000 records")
	}
	ix := emptyIndex(t)
	defer ix.Close()
	p := Partition{Dataset: "budget", Region: "32.73", Year: 2024, SHA256: "1"}
	if err := ix.Replace(t.Context(), p, seq(benchRecords(t, 3000)...)); err != nil {
		t.Fatal(err)
	}
	words := []string{"belanja", "jalan", "kantor", "dinas pendidikan", "rapat", "kebersihan", "honorarium", "jembatan", "", "sampah"}
	var queries []Query
	for _, w := range words {
		for _, sort := range []string{"", "-amount", "date"} {
			queries = append(queries, Query{Text: w, Size: 100, Sort: sort}, Query{Text: w, Size: 100, Dataset: "budget", Sort: sort})
		}
	}
	run := func() []*Result {
		out := make([]*Result, 0, len(queries))
		for _, q := range queries {
			out = append(out, uncached(t, ix, q))
		}
		return out
	}
	run() // whatever the index builds on first use is not the results'
	// The live heap with the results kept, then without them: scorch lets
	// go of its in-memory segments in the background meanwhile, so the
	// heap before the searches is no baseline.
	kept := run()
	var with, without runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&with)
	var estimate int64
	hits := 0
	for _, r := range kept {
		estimate += resultBytes(r)
		hits += len(r.Hits)
	}
	runtime.KeepAlive(kept)
	kept = nil
	runtime.GC()
	runtime.ReadMemStats(&without)
	measured := int64(with.HeapAlloc) - int64(without.HeapAlloc)
	n := len(queries)
	ratio := float64(estimate) / float64(measured)
	t.Logf("%d results, %d hits: estimated %d bytes, heap held %d bytes (estimate/heap %.2f)", n, hits, estimate, measured, ratio)
	if hits < 1000 {
		t.Fatalf("only %d hits: too few to measure", hits)
	}
	if ratio < 1/1.5 || ratio > 1.5 {
		t.Errorf("estimate/heap = %.2f, want within 1.5× either way", ratio)
	}
}

package search

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// A search runs in one pass over the documents that match its words (all
// documents when there are none): Bleve finds and scores the matches, and
// the columns decide the rest. A match that passes every filter is counted
// in every facet and ranked; one that fails a single filter is counted in
// that filter's facet only, which is what keeps a selected value's
// siblings counted as if it were not selected (disjunctive facets).

// colFilter is one structured filter checked against the columns.
type colFilter struct {
	// slot is the counter the filter's facet is counted in, -1 when the
	// facet is not counted.
	slot int
	// col is the facet column compared with want; -1 for ranges.
	col  int
	want uint32
	// multi is set when col holds a bit per value (facetSpec.multi).
	multi bool
	// money and date bound the amount (rupiah) and date (Unix ns),
	// inclusive.
	money *[2]float64
	date  *[2]int64
	// never is set for a value no document has.
	never bool
}

func (f *colFilter) ok(c *segColumns, d uint64) bool {
	switch {
	case f.never:
		return false
	case f.multi:
		return c.facets[f.col][d]&(1<<f.want) != 0
	case f.col >= 0:
		return c.facets[f.col][d] == f.want
	case f.money != nil:
		m := c.money[d]
		return m >= f.money[0] && m <= f.money[1] // NaN fails both
	default:
		t := c.date[d]
		return t != noDate && t >= f.date[0] && t <= f.date[1]
	}
}

// counter counts one facet: the values of a column, or amount buckets.
type counter struct {
	spec   int // plan.facets index; -1 for the amount buckets
	multi  bool
	counts []int
}

// ranked is a match in the running top list, ordered by key then id.
type ranked struct {
	key   float64
	id    uint64
	doc   uint64 // global document number in the snapshot
	score float64
}

func (a ranked) before(b ranked) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	return a.id < b.id
}

// topList keeps the best n matches; its root is the worst of them.
type topList struct {
	n     int
	items []ranked
}

func (t *topList) Len() int           { return len(t.items) }
func (t *topList) Less(i, j int) bool { return t.items[j].before(t.items[i]) }
func (t *topList) Swap(i, j int)      { t.items[i], t.items[j] = t.items[j], t.items[i] }
func (t *topList) Push(x any)         { t.items = append(t.items, x.(ranked)) }
func (t *topList) Pop() any {
	x := t.items[len(t.items)-1]
	t.items = t.items[:len(t.items)-1]
	return x
}

func (t *topList) offer(r ranked) {
	if len(t.items) < t.n {
		heap.Push(t, r)
		return
	}
	if t.n > 0 && r.before(t.items[0]) {
		t.items[0] = r
		heap.Fix(t, 0)
	}
}

// sorted returns the kept matches, best first.
func (t *topList) sorted() []ranked {
	out := slices.Clone(t.items)
	slices.SortFunc(out, func(a, b ranked) int {
		if a.before(b) {
			return -1
		}
		if b.before(a) {
			return 1
		}
		return 0
	})
	return out
}

// order is how a pass ranks matches.
type order struct {
	// by is "", "amount", "-amount", "value", "-value", "date" or
	// "-date"; "" ranks by score
	// when the query has words and by id otherwise.
	by     string
	scored bool
	// after, when set, keeps only matches ranked after it (a cursor).
	after *ranked
}

// key is the sort key of document d: smaller first, missing values last.
func (o order) key(c *segColumns, d uint64, score float64) float64 {
	switch o.by {
	case "amount", "-amount", "value", "-value":
		m := c.money[d]
		if o.by == "value" || o.by == "-value" {
			m = c.value[d]
		}
		if math.IsNaN(m) {
			return math.Inf(1)
		}
		if o.by[0] == '-' {
			return -m
		}
		return m
	case "date", "-date":
		t := c.date[d]
		if t == noDate {
			return math.Inf(1)
		}
		if o.by == "-date" {
			return -float64(t)
		}
		return float64(t)
	}
	if o.scored {
		return -score
	}
	return 0
}

// pass is one run over the matches of a query.
type pass struct {
	segs     []segView
	filters  []colFilter
	counters []counter
	// top keeps the best matches; nil for a pass that only counts.
	top   *topList
	order order
	total uint64
	// passing, when not nil, collects the global numbers of the matches
	// that pass every filter, in order: what a filtered ranking scores.
	passing *[]uint64
}

// visit handles document d of segment s with the given score.
func (p *pass) visit(s *segView, d uint64, score float64) {
	c := s.cols
	fails, failed := 0, -1
	for i := range p.filters {
		if !p.filters[i].ok(c, d) {
			fails++
			failed = p.filters[i].slot
			if fails > 1 {
				return
			}
		}
	}
	if fails == 1 {
		if failed >= 0 {
			p.count(failed, c, d)
		}
		return
	}
	p.total++
	for i := range p.counters {
		p.count(i, c, d)
	}
	if p.passing != nil {
		*p.passing = append(*p.passing, s.start+d)
	}
	if p.top == nil {
		return
	}
	r := ranked{key: p.order.key(c, d, score), id: c.id[d], doc: s.start + d, score: score}
	if a := p.order.after; a != nil && !a.before(r) {
		return
	}
	p.top.offer(r)
}

func (p *pass) count(i int, c *segColumns, d uint64) {
	ct := &p.counters[i]
	switch {
	case ct.multi:
		for set := c.facets[ct.spec][d] &^ 1; set != 0; set &= set - 1 {
			if v := bits.TrailingZeros32(set); v < len(ct.counts) {
				ct.counts[v]++
			}
		}
		return
	case ct.spec >= 0:
		if v := c.facets[ct.spec][d]; v != noValue && int(v) < len(ct.counts) {
			ct.counts[v]++
		}
		return
	}
	if b := bucketOf(c.money[d]); b >= 0 {
		ct.counts[b]++
	}
}

// bucketOf returns the AmountBuckets index of an amount in rupiah, or -1.
func bucketOf(rupiah float64) int {
	if math.IsNaN(rupiah) {
		return -1
	}
	for i, b := range AmountBuckets {
		if (b.Min == nil || rupiah >= float64(*b.Min)/100) && (b.Max == nil || rupiah < float64(*b.Max)/100) {
			return i
		}
	}
	return -1
}

// parallelDocs is the index size from which a scored pass is split in two
// halves run at once: scoring is most of a search's time, and on two cores
// halving it is worth reading the dictionaries twice. A variable so tests
// can split small indexes.
var parallelDocs uint64 = 100_000

// run visits every document matching text (every document when nil).
func (p *pass) run(ctx context.Context, r index.IndexReader, ix *Index, text query.Query) error {
	if text == nil {
		return p.runAll(ctx)
	}
	ctx = context.WithValue(ctx, bsearch.GetScoringModelCallbackKey,
		bsearch.GetScoringModelCallbackFn(func() string { return index.BM25Scoring }))
	var end uint64
	if len(p.segs) > 0 {
		end = p.segs[len(p.segs)-1].end
	}
	if !p.order.scored || end < parallelDocs || runtime.GOMAXPROCS(0) < 2 {
		return p.runRange(ctx, r, ix, text, 0, end)
	}
	// Matches cluster (a region's records were indexed together), so
	// the documents are cut in more ranges than cores, taken in turn.
	ranges := uint64(2 * runtime.GOMAXPROCS(0))
	if _, ok := r.(*filteredReader); ok {
		// Passing records spread over the index like its filters' values;
		// each range opens every term's postings again.
		ranges = uint64(runtime.GOMAXPROCS(0))
	}
	forks := make([]*pass, runtime.GOMAXPROCS(0))
	errs := make([]error, len(forks))
	var next atomic.Uint64
	var wg sync.WaitGroup
	for w := range forks {
		forks[w] = p.fork()
		wg.Go(func() {
			for i := next.Add(1) - 1; i < ranges && errs[w] == nil; i = next.Add(1) - 1 {
				errs[w] = forks[w].runRange(ctx, r, ix, text, end*i/ranges, end*(i+1)/ranges)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, f := range forks {
		p.join(f)
	}
	return nil
}

// fork returns a pass with the same query and empty counts and top list.
func (p *pass) fork() *pass {
	f := *p
	f.counters = slices.Clone(p.counters)
	for i := range f.counters {
		f.counters[i].counts = make([]int, len(p.counters[i].counts))
	}
	if p.top != nil {
		f.top = &topList{n: p.top.n}
	}
	f.total = 0
	return &f
}

// join adds the counts and matches of a forked pass to p.
func (p *pass) join(f *pass) {
	p.total += f.total
	for i := range p.counters {
		for v, n := range f.counters[i].counts {
			p.counters[i].counts[v] += n
		}
	}
	if p.top != nil {
		for _, r := range f.top.items {
			p.top.offer(r)
		}
	}
}

// runRange visits the documents matching text numbered from start up to
// (not including) end.
func (p *pass) runRange(ctx context.Context, r index.IndexReader, ix *Index, text query.Query, start, end uint64) error {
	opts := bsearch.SearcherOptions{}
	if !p.order.scored {
		// Unscored, Bleve evaluates words as bitmaps: several times faster.
		opts.Score = "none"
	}
	s, err := text.Searcher(ctx, r, ix.idx.Mapping(), opts)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	var dm *bsearch.DocumentMatch
	if start > 0 {
		dm, err = s.Advance(sctx, index.NewIndexInternalID(nil, start))
	} else {
		dm, err = s.Next(sctx)
	}
	seg := 0
	for n := 1; ; n++ {
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		if dm == nil {
			return nil
		}
		g := dm.IndexInternalID.Value()
		if g >= end {
			return nil
		}
		for seg < len(p.segs) && g >= p.segs[seg].end {
			seg++
		}
		if seg == len(p.segs) {
			return fmt.Errorf("search: document %d beyond the snapshot's segments", g)
		}
		sv := &p.segs[seg]
		p.visit(sv, g-sv.start, dm.Score)
		sctx.DocumentMatchPool.Put(dm)
		if n%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		dm, err = s.Next(sctx)
	}
}

// runAll visits every live document.
func (p *pass) runAll(ctx context.Context) error {
	for i := range p.segs {
		sv := &p.segs[i]
		n := sv.end - sv.start
		for d := uint64(0); d < n; d++ {
			if d%ctxCheckEvery == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if sv.deleted != nil && sv.deleted.Contains(uint32(d)) {
				continue
			}
			p.visit(sv, d, 0)
		}
	}
	return nil
}

// facetValues lists a counter's non-zero values, most frequent first, at
// most size of them.
func facetValues(counts []int, vals []string, size int) []FacetValue {
	var out []FacetValue
	for v, n := range counts {
		if n > 0 && v != noValue {
			out = append(out, FacetValue{Value: vals[v], Count: n})
		}
	}
	slices.SortFunc(out, func(a, b FacetValue) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	if len(out) > size {
		out = out[:size]
	}
	return out
}

package search

import (
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
)

// Columns keep, for every segment of the index, each document's facet
// values, amount, date and id as plain arrays indexed by the document's
// number in the segment. Filtering, counting and sorting read them for
// every match of a query; Bleve's own facets and sorts decode doc values
// document by document, which on a million records took two thirds of a
// search's time. Segments are immutable, so a segment's columns are built
// once, when a search first meets it, and dropped when it is merged away.
type columns struct {
	plan *plan
	// dicts number the values of each facet (plan.facets order); a
	// value's number is stable for the life of the index.
	dicts []*dict
	mu    sync.Mutex
	segs  map[segment.Segment]*segColumns
}

func newColumns(p *plan) *columns {
	c := &columns{plan: p, segs: map[segment.Segment]*segColumns{}}
	for range p.facets {
		c.dicts = append(c.dicts, newDict())
	}
	return c
}

// noValue is the facet ordinal of a document without the field.
const noValue = 0

// noDate is the date of a document without one.
const noDate = math.MinInt64

// segColumns are the columns of one segment.
type segColumns struct {
	// facets holds one value ordinal per document for each facet.
	facets [][]uint32
	// money is the amount in rupiah; NaN when the record has none.
	money []float64
	// date is the record's date in Unix nanoseconds, or noDate.
	date []int64
	// id orders documents by record id: ids are 16 hex digits, so their
	// value orders them as their text does.
	id []uint64
}

// dict numbers the values of one facet from 1; 0 is noValue.
type dict struct {
	mu   sync.RWMutex
	ords map[string]uint32
	vals []string
}

func newDict() *dict { return &dict{ords: map[string]uint32{}, vals: []string{""}} }

// ord returns the number of v, adding it when new.
func (d *dict) ord(v []byte) uint32 {
	d.mu.RLock()
	o, ok := d.ords[string(v)]
	d.mu.RUnlock()
	if ok {
		return o
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if o, ok := d.ords[string(v)]; ok {
		return o
	}
	o = uint32(len(d.vals))
	d.ords[string(v)] = o
	d.vals = append(d.vals, string(v))
	return o
}

// lookup returns the number of v; false when no document has it.
func (d *dict) lookup(v string) (uint32, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	o, ok := d.ords[v]
	return o, ok
}

// values returns the values numbered so far, indexed by number.
func (d *dict) values() []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.vals
}

// segView is one segment of a snapshot as a search reads it: its global
// document numbers [start, end), deleted documents and columns.
type segView struct {
	start, end uint64
	deleted    *roaring.Bitmap
	cols       *segColumns
}

// views returns the segments of r with their columns, building the columns
// of segments not seen before and forgetting those no longer in r.
func (c *columns) views(r index.IndexReader) ([]segView, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("index reader is a %T, not a scorch snapshot", r)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []segView
	live := map[segment.Segment]bool{}
	var start uint64
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		live[seg] = true
		cols := c.segs[seg]
		if cols == nil {
			var err error
			if cols, err = c.build(seg); err != nil {
				return nil, err
			}
			c.segs[seg] = cols
		}
		// Global numbers count deleted documents too (scorch's offsets).
		n := seg.Count()
		out = append(out, segView{start: start, end: start + n, deleted: ss.Deleted(), cols: cols})
		start += n
	}
	for seg := range c.segs {
		if !live[seg] {
			delete(c.segs, seg)
		}
	}
	return out, nil
}

// build reads the columns of one segment from its doc values and its
// dictionary of ids.
func (c *columns) build(seg segment.Segment) (*segColumns, error) {
	n := seg.Count()
	sc := &segColumns{money: make([]float64, n), date: make([]int64, n), id: make([]uint64, n)}
	fields := make([]string, 0, len(c.plan.facets)+2)
	slot := map[string]int{}
	for i, fs := range c.plan.facets {
		sc.facets = append(sc.facets, make([]uint32, n))
		slot[fs.property] = i
		fields = append(fields, fs.property)
	}
	fields = append(fields, fieldMoney, fieldDate)
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("segment %T has no doc values", seg)
	}
	var doc uint64
	visit := func(field string, term []byte) {
		switch field {
		case fieldMoney:
			if v, ok := fullPrecision(term); ok {
				sc.money[doc] = numeric.Int64ToFloat64(v)
			}
		case fieldDate:
			if v, ok := fullPrecision(term); ok {
				sc.date[doc] = v
			}
		default:
			if i, ok := slot[field]; ok {
				sc.facets[i][doc] = c.dicts[i].ord(term)
			}
		}
	}
	var state segment.DocVisitState
	for doc = 0; doc < n; doc++ {
		sc.money[doc], sc.date[doc] = math.NaN(), noDate
		var err error
		if state, err = dv.VisitDocValues(doc, fields, visit, state); err != nil {
			return nil, fmt.Errorf("read doc values of document %d: %w", doc, err)
		}
	}
	if err := readIDs(seg, sc.id); err != nil {
		return nil, err
	}
	return sc, nil
}

// fullPrecision decodes a numeric term of shift 0: Bleve indexes each
// number as several prefix-coded terms, and only that one is exact.
func fullPrecision(term []byte) (int64, bool) {
	pc := numeric.PrefixCoded(term)
	if shift, err := pc.Shift(); err != nil || shift != 0 {
		return 0, false
	}
	v, err := pc.Int64()
	return v, err == nil
}

// readIDs fills ids from the segment's dictionary of document ids: one
// term per document, whose posting is the document's number.
func readIDs(seg segment.Segment, ids []uint64) error {
	d, err := seg.Dictionary("_id")
	if err != nil {
		return fmt.Errorf("read ids: %w", err)
	}
	it := d.AutomatonIterator(&vellum.AlwaysMatch{}, nil, nil)
	var pl segment.PostingsList
	var pi segment.PostingsIterator
	for {
		e, err := it.Next()
		if err != nil {
			return fmt.Errorf("read ids: %w", err)
		}
		if e == nil {
			return nil
		}
		if pl, err = d.PostingsList([]byte(e.Term), nil, pl); err != nil {
			return fmt.Errorf("read ids: %w", err)
		}
		pi = pl.Iterator(false, false, false, pi)
		for {
			p, err := pi.Next()
			if err != nil {
				return fmt.Errorf("read ids: %w", err)
			}
			if p == nil {
				break
			}
			if p.Number() < uint64(len(ids)) {
				ids[p.Number()] = idKey(e.Term)
			}
		}
	}
}

// idKey is the sort key of a record id: its value for the 16 hex digits
// dataset.RecordID makes, a hash for anything else.
func idKey(id string) uint64 {
	if len(id) == 16 {
		if v, err := strconv.ParseUint(id, 16, 64); err == nil {
			return v
		}
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

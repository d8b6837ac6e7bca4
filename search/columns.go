package search

import (
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	index "github.com/blevesearch/bleve_index_api"
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
	segs  map[segmentKey]*segColumns
}

func newColumns(p *plan) *columns {
	c := &columns{plan: p, segs: map[segmentKey]*segColumns{}}
	for range p.facets {
		c.dicts = append(c.dicts, newDict())
	}
	return c
}

// noValue is the facet ordinal of a document without the field.
const noValue = 0

// maxMultiValues bounds the value ordinals of a multi facet, whose column
// holds one bit per ordinal (0 is noValue).
const maxMultiValues = 32

// noDate is the date of a document without one.
const noDate = math.MinInt64

// segColumns are the columns of one segment.
type segColumns struct {
	// facets holds one value ordinal per document for each facet; for a
	// multi facet, a bit per value ordinal the document has.
	facets [][]uint32
	// money is the amount in rupiah; NaN when the record has none. value
	// is the schema's Value (a contract value) likewise.
	money, value []float64
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
	segs, err := snapshotSegments(r)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]segView, 0, len(segs))
	live := map[segmentKey]bool{}
	for _, s := range segs {
		k := s.key()
		live[k] = true
		cols := c.segs[k]
		if cols == nil {
			if cols, err = c.build(s); err != nil {
				return nil, err
			}
			c.segs[k] = cols
		}
		out = append(out, segView{start: s.start, end: s.start + s.count(), deleted: s.deleted, cols: cols})
	}
	for k := range c.segs {
		if !live[k] {
			delete(c.segs, k)
		}
	}
	return out, nil
}

// build reads the columns of one segment from its doc values and its ids.
func (c *columns) build(s storedSegment) (*segColumns, error) {
	n := s.count()
	sc := &segColumns{money: make([]float64, n), value: make([]float64, n), date: make([]int64, n), id: make([]uint64, n)}
	fields := make([]string, 0, len(c.plan.facets)+2)
	slot := map[string]int{}
	var tooMany string
	for i, fs := range c.plan.facets {
		sc.facets = append(sc.facets, make([]uint32, n))
		slot[fs.property] = i
		fields = append(fields, fs.property)
	}
	fields = append(fields, fieldMoney, fieldValue, fieldDate)
	for d := range n {
		sc.money[d], sc.value[d], sc.date[d] = math.NaN(), math.NaN(), noDate
	}
	err := s.visitDocValues(fields, func(doc uint64, field string, term []byte) {
		switch field {
		case fieldMoney:
			if v, ok := fullPrecision(term); ok {
				sc.money[doc] = numeric.Int64ToFloat64(v)
			}
		case fieldValue:
			if v, ok := fullPrecision(term); ok {
				sc.value[doc] = numeric.Int64ToFloat64(v)
			}
		case fieldDate:
			if v, ok := fullPrecision(term); ok {
				sc.date[doc] = v
			}
		default:
			i, ok := slot[field]
			switch {
			case !ok:
			case c.plan.facets[i].multi:
				if o := c.dicts[i].ord(term); o < maxMultiValues {
					sc.facets[i][doc] |= 1 << o
				} else {
					tooMany = field
				}
			default:
				sc.facets[i][doc] = c.dicts[i].ord(term)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if tooMany != "" {
		return nil, fmt.Errorf("build columns: %s has more than %d values", tooMany, maxMultiValues-1)
	}
	err = s.visitIDs(func(doc uint64, id string) {
		if doc < n {
			sc.id[doc] = idKey(id)
		}
	})
	if err != nil {
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

package search

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/terbuka/terbuka/dataset"
)

// specIndex returns the plan.facets index of the named facet, or -1.
func (p *plan) specIndex(name string) int {
	return slices.IndexFunc(p.facets, func(fs facetSpec) bool { return fs.name == name })
}

// newPass prepares the filters and facet counters of q over segs.
//
// Across all datasets only the lead facets (dataset, place, year) and the
// amount buckets are counted; a dataset's own facets (stage, method,
// agency…) once the query is narrowed to it: a list of budget stages next
// to procurement results says little.
func (ix *Index) newPass(q Query, schemas []*dataset.Schema, segs []segView) (*pass, error) {
	p := &pass{segs: segs}
	narrowed := len(schemas) == 1
	for i, fs := range ix.plan.facets {
		if inScope(fs.datasets, schemas) && (fs.lead || narrowed) {
			p.counters = append(p.counters, counter{spec: i, multi: fs.multi, counts: make([]int, len(ix.cols.dicts[i].values()))})
		}
	}
	amount := len(p.counters)
	p.counters = append(p.counters, counter{spec: -1, counts: make([]int, len(AmountBuckets))})

	want := maps.Clone(q.Filters)
	if want == nil {
		want = map[string]string{}
	}
	if q.Dataset != "" {
		want[fieldDataset] = q.Dataset
	}
	for name, v := range map[string]string{dataset.FieldProvinceCode: q.Province, dataset.FieldRegionCode: q.Region} {
		if v != "" {
			want[name] = v
		}
	}
	if q.Year != 0 {
		want[dataset.FieldFiscalYear] = strconv.Itoa(q.Year)
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if _, ok := ix.plan.facet(name, schemas); !ok {
			return nil, fmt.Errorf("cannot filter by %q: %w", name, dataset.ErrInvalid)
		}
		if want[name] == "" {
			continue
		}
		spec := ix.plan.specIndex(name)
		f := colFilter{slot: p.counterOf(spec), col: spec, multi: ix.plan.facets[spec].multi}
		var known bool
		// A value no record has matches nothing, but its facet is still
		// counted without it.
		if f.want, known = ix.cols.dicts[spec].lookup(want[name]); !known || f.multi && f.want >= maxMultiValues {
			f.never = true
		}
		p.filters = append(p.filters, f)
	}
	if q.MinAmount != nil || q.MaxAmount != nil {
		r := [2]float64{math.Inf(-1), math.Inf(1)}
		if q.MinAmount != nil {
			r[0] = float64(*q.MinAmount) / 100
		}
		if q.MaxAmount != nil {
			r[1] = float64(*q.MaxAmount) / 100
		}
		p.filters = append(p.filters, colFilter{slot: amount, col: -1, money: &r})
	}
	if !q.DateFrom.IsZero() || !q.DateTo.IsZero() {
		r := [2]int64{math.MinInt64 + 1, math.MaxInt64}
		if !q.DateFrom.IsZero() {
			r[0] = q.DateFrom.UnixNano()
		}
		if !q.DateTo.IsZero() {
			r[1] = q.DateTo.UnixNano()
		}
		p.filters = append(p.filters, colFilter{slot: -1, col: -1, date: &r})
	}
	return p, nil
}

// counterOf returns the index of the counter of facet spec, or -1.
func (p *pass) counterOf(spec int) int {
	if spec < 0 {
		return -1
	}
	return slices.IndexFunc(p.counters, func(c counter) bool { return c.spec == spec })
}

// facetResults returns the counted facets in plan order: the lead facets
// always, the others only when one of their datasets has hits, since a
// method facet next to budget-only results would be noise; the amount
// buckets last, every bucket listed so the facet reads as one scale.
func (ix *Index) facetResults(p *pass) []Facet {
	var withHits []string
	if ds := p.counterOf(ix.plan.specIndex(fieldDataset)); ds >= 0 {
		vals := ix.cols.dicts[p.counters[ds].spec].values()
		for v, n := range p.counters[ds].counts {
			if n > 0 && v != noValue {
				withHits = append(withHits, vals[v])
			}
		}
	}
	var out []Facet
	for _, ct := range p.counters {
		if ct.spec < 0 {
			continue
		}
		fs := ix.plan.facets[ct.spec]
		if !fs.lead && !slices.ContainsFunc(fs.datasets, func(d string) bool { return slices.Contains(withHits, d) }) {
			continue
		}
		out = append(out, Facet{Field: fs.name, Values: facetValues(ct.counts, ix.cols.dicts[ct.spec].values(), fs.size)})
	}
	amount := p.counters[len(p.counters)-1]
	f := Facet{Field: facetAmount}
	for i, b := range AmountBuckets {
		f.Values = append(f.Values, FacetValue{Value: b.Name, Count: amount.counts[i], Min: b.Min, Max: b.Max})
	}
	return append(out, f)
}

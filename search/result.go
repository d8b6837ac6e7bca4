package search

import (
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/terbuka/terbuka/dataset"
)

// hit decodes one match from its stored fields.
func hit(dm *search.DocumentMatch) Hit {
	h := Hit{ID: dm.ID, Score: dm.Score}
	h.Dataset, _ = dm.Fields[fieldDataset].(string)
	s, err := dataset.Lookup(h.Dataset)
	if err != nil {
		// Only documents of known datasets are ever indexed; a hit
		// without one still has its id to show.
		return h
	}
	for i := range s.Fields {
		f := &s.Fields[i]
		if !isStored(s, f) {
			continue
		}
		v := storedValue(f, dm.Fields[storedProperty(f)])
		switch f.Name {
		case s.Title:
			h.Title = v.Str
		case s.Amount:
			h.Amount = v.Int
		case dataset.FieldRegionCode:
			h.Region = v.Str
		case dataset.FieldRegionName:
			h.RegionName = v.Str
		case dataset.FieldFiscalYear:
			h.Year = int(v.Int)
		default:
			if v.Valid {
				if h.Fields == nil {
					h.Fields = map[string]string{}
				}
				h.Fields[f.Name] = f.Format(v)
			}
		}
	}
	h.Fragments = marked(dm.Fragments)
	return h
}

// marked returns the fragments that highlight something. Bleve's
// highlighter also returns the plain start of every requested field that
// did not match, which would only repeat what Hit already shows.
func marked(frags search.FieldFragmentMap) map[string][]string {
	var out map[string][]string
	for field, fs := range frags {
		fs = slices.DeleteFunc(slices.Clone(fs), func(f string) bool { return !strings.Contains(f, "<mark>") })
		if len(fs) == 0 {
			continue
		}
		if out == nil {
			out = map[string][]string{}
		}
		out[field] = fs
	}
	return out
}

// storedValue rebuilds a Value from what the index stored for f: the text
// itself, or the decimal int64 of a _raw property.
func storedValue(f *dataset.Field, stored any) dataset.Value {
	s, ok := stored.(string)
	if !ok {
		return dataset.Value{}
	}
	if isString(f.Type) {
		return dataset.StringValue(s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return dataset.Value{}
	}
	return dataset.IntValue(n)
}

// facets returns the requested facets in plan order: the lead facets always,
// the others only when one of their datasets has hits, since a method
// facet next to budget-only results would be noise.
func (ix *Index) facets(res *bleve.SearchResult) []Facet {
	var withHits []string
	if fr := res.Facets[fieldDataset]; fr != nil {
		for _, t := range fr.Terms.Terms() {
			if t.Count > 0 {
				withHits = append(withHits, t.Term)
			}
		}
	}
	var out []Facet
	for _, fs := range ix.plan.facets {
		fr, ok := res.Facets[fs.name]
		if !ok {
			continue
		}
		if !fs.lead && !slices.ContainsFunc(fs.datasets, func(d string) bool { return slices.Contains(withHits, d) }) {
			continue
		}
		f := Facet{Field: fs.name}
		for _, t := range fr.Terms.Terms() {
			f.Values = append(f.Values, FacetValue{Value: t.Term, Count: t.Count})
		}
		out = append(out, f)
	}
	if fr := res.Facets[facetAmount]; fr != nil {
		out = append(out, amountValues(fr))
	}
	return out
}

// amountValues lists every bucket in order, empty ones included, so the
// facet always reads as the same scale.
func amountValues(fr *search.FacetResult) Facet {
	counts := map[string]int{}
	for _, r := range fr.NumericRanges {
		counts[r.Name] = r.Count
	}
	f := Facet{Field: facetAmount}
	for _, b := range AmountBuckets {
		f.Values = append(f.Values, FacetValue{Value: b.Name, Count: counts[b.Name], Min: b.Min, Max: b.Max})
	}
	return f
}

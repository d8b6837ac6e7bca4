package search

import (
	"slices"

	"github.com/terbuka/terbuka/dataset"
)

// Boosts of the ways a document can match words. A word in a record's title
// says more than one in its description; a code typed in full is almost
// certainly the record the user wants.
const (
	boostTitle = 2
	boostCode  = 5
)

// facetSize is the number of values returned for open-ended facets
// (regions, agencies, suppliers); enums return all their values.
const facetSize = 40

// plan is what indexing and querying need to know about the schemas,
// derived once from the searched datasets so that no field list is written twice.
type plan struct {
	// props are the document properties of each dataset.
	props map[string][]property
	// facets are the facets in the order results present them.
	facets []facetSpec
	// stored are the stored properties across datasets: what Hits read.
	stored []string
	// highlighted are the stored text fields, the ones with term vectors.
	highlighted []string
}

// facetSpec is one facet: the schema field (or "dataset") users see, the
// keyword property counted, and the datasets that have the field.
type facetSpec struct {
	name     string
	property string
	size     int
	datasets []string
	// lead facets (dataset, province, region, year) are always returned;
	// the others only when one of their datasets has hits.
	lead bool
	// multi facets hold several values per document: a line's stages, a
	// package's flags (dataset.Field.List).
	// Their column holds a bit per value number (maxMultiValues).
	multi bool
}

func newPlan() *plan {
	p := &plan{props: map[string][]property{}, stored: []string{fieldDataset}}
	all := searched()
	tr := fieldTraits()
	p.facets = append(p.facets, facetSpec{name: fieldDataset, property: fieldDataset, size: len(all), lead: true})
	for _, s := range all {
		p.facets[0].datasets = append(p.facets[0].datasets, s.Name)
		p.props[s.Name] = properties(s, tr)
	}
	// The place and time axes lead, in the order people narrow by them;
	// the rest follow in schema order.
	lead := []string{dataset.FieldProvinceCode, dataset.FieldRegionCode, dataset.FieldFiscalYear}
	for _, name := range lead {
		p.addFacet(name, true)
	}
	for _, s := range all {
		if s.Staged() && !slices.Contains(p.stored, fieldStages) {
			p.stored = append(p.stored, fieldStages)
		}
		for i := range s.Fields {
			f := &s.Fields[i]
			if f.Facet {
				p.addFacet(f.Name, false)
			}
			if isStored(s, f) && !slices.Contains(p.stored, storedProperty(f)) {
				p.stored = append(p.stored, storedProperty(f))
				if f.Type == dataset.Text {
					p.highlighted = append(p.highlighted, f.Name)
				}
			}
		}
	}
	return p
}

// addFacet adds the facet of the named field unless it is already there.
func (p *plan) addFacet(name string, lead bool) {
	if slices.ContainsFunc(p.facets, func(fs facetSpec) bool { return fs.name == name }) {
		return
	}
	spec := facetSpec{name: name, lead: lead, size: facetSize}
	for _, s := range searched() {
		f := s.Field(name)
		if f == nil || !f.Facet {
			continue
		}
		spec.datasets = append(spec.datasets, s.Name)
		spec.property = facetProperty(f)
		spec.multi = spec.multi || f.Name == dataset.FieldStage && s.Staged() || f.List
		if f.Type == dataset.Enum && len(f.Allowed) > 0 {
			spec.size = len(f.Allowed)
		}
	}
	p.facets = append(p.facets, spec)
}

// facet returns the facet of the named field within the given datasets.
func (p *plan) facet(name string, schemas []*dataset.Schema) (facetSpec, bool) {
	for _, fs := range p.facets {
		if fs.name == name && inScope(fs.datasets, schemas) {
			return fs, true
		}
	}
	return facetSpec{}, false
}

// inScope reports whether any of datasets is one of schemas.
func inScope(datasets []string, schemas []*dataset.Schema) bool {
	return slices.ContainsFunc(schemas, func(s *dataset.Schema) bool { return slices.Contains(datasets, s.Name) })
}

package search

import (
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/terbuka/terbuka/dataset"
)

// mappingRevision is bumped whenever the mapping built here changes in a way
// an existing index does not reflect (a new analyzer, a field indexed
// differently). Together with dataset.SchemaVersion it forms the version an
// index records; Open refuses an index with another one so it is rebuilt.
const mappingRevision = 9

// mappingVersion is the version recorded in, and required of, an index.
var mappingVersion = fmt.Sprintf("%d.%d", mappingRevision, dataset.SchemaVersion)

// MappingVersion returns the version an index built by this program
// records: an index, or a stored copy of one, with another version cannot
// be opened by it.
func MappingVersion() string { return mappingVersion }

// Document properties that are not schema fields.
const (
	// fieldDataset holds the schema name and selects the document mapping.
	fieldDataset = "dataset"
	// fieldPartition holds Partition.Key, so a partition's documents can be
	// found and deleted without knowing their ids.
	fieldPartition = "partition"
	// fieldMoney holds the schema's Amount in rupiah and fieldDate its
	// Date, under one name in every dataset, so records of different
	// datasets sort, range and bucket together.
	fieldMoney = "money"
	fieldDate  = "date"
	// fieldValue holds the schema's Value in rupiah (a package's contract
	// value), which search can sort by as well.
	fieldValue = "value"
	// fieldText holds a record's words, stemmed: those of its Text fields,
	// enums and faceted whole numbers (property.text); fieldTextExact
	// holds the same words as written. A query word is looked
	// up in these two rather than in each field's own terms: a common word
	// is in several fields of most records, and scoring a disjunction over
	// each field's postings was most of a broad search's time.
	fieldText      = "text"
	fieldTextExact = "text" + exactSuffix
)

// Suffixes of the companion properties some schema fields need, because one
// bleve property has one value type: a number cannot also be a keyword.
const (
	// kwSuffix names the keyword of an Integer field, and of a Text facet
	// (with doc values) that is counted and filtered on: agency_name_kw,
	// fiscal_year_kw.
	kwSuffix = "_kw"
	// rawSuffix names the stored, unindexed decimal int64 of a shown Money,
	// Integer, Date or Timestamp field. Stored numbers in bleve are float64;
	// money must come back exact to the sen, so the int64 is kept as text.
	rawSuffix = "_raw"
	// exactSuffix names the unstemmed twin of fieldText, analysed with
	// id_exact, which exact matches are boosted on.
	exactSuffix = "_ex"
	// pairsSuffix names the twin of a Text field that holds its pairs of
	// neighbouring stems, which phrases are looked up in.
	pairsSuffix = "_2w"
)

// isString reports whether values of type t live in Value.Str.
func isString(t dataset.Type) bool {
	return t == dataset.Text || t == dataset.Code || t == dataset.Enum
}

// facetProperty returns the keyword property a facet field is counted and
// filtered on: the field itself for Code and Enum, its _kw companion for
// Text (whose own property is analysed) and Integer (indexed only as that
// keyword).
func facetProperty(f *dataset.Field) string {
	if f.Type == dataset.Code || f.Type == dataset.Enum {
		return f.Name
	}
	return f.Name + kwSuffix
}

// isStored reports whether a field's value is kept in the index: only what a
// Hit shows, since stored values are most of an index's size.
func isStored(s *dataset.Schema, f *dataset.Field) bool {
	if f.Name == dataset.FieldStage && s.Staged() {
		// A line's stages are stored together with their ids and
		// amounts, in fieldStages.
		return false
	}
	return f.Shown || f.Name == s.Title || f.Name == s.Amount
}

// storedProperty returns the property a stored field's value is read from.
func storedProperty(f *dataset.Field) string {
	if isString(f.Type) {
		return f.Name
	}
	return f.Name + rawSuffix
}

// traits are the indexing choices for one field name, merged over every
// schema that has the field. Zap merges segments by ANDing each field's
// options, so a name stored or faceted in one document type but not in
// another would lose its stored values and doc values at the first merge.
// Every document type therefore maps a name the same way.
type traits struct {
	typ           dataset.Type
	stored, facet bool
}

// fieldTraits merges the traits of every field name in the searched datasets.
func fieldTraits() map[string]traits {
	out := map[string]traits{}
	for _, s := range searched() {
		for i := range s.Fields {
			f := &s.Fields[i]
			t, seen := out[f.Name]
			if seen && t.typ != f.Type {
				panic(fmt.Sprintf("search: field %s is %v in %s but %v elsewhere; one name must have one type", f.Name, f.Type, s.Name, t.typ))
			}
			out[f.Name] = traits{typ: f.Type, stored: t.stored || isStored(s, f), facet: t.facet || f.Facet}
		}
	}
	return out
}

// property is one document property derived from a schema field: its name,
// how a Value becomes the property's value, and how bleve indexes it. The
// mapping and the documents are both built from properties, so they cannot
// disagree.
type property struct {
	name     string
	field    int
	value    func(dataset.Value) any
	mappings []*mapping.FieldMapping
	// text properties' values are also words of fieldText: those of
	// Text fields, enums and the years and counts users facet on.
	text bool
}

// properties returns the document properties of every field of s, indexed
// as tr says for the field's name.
func properties(s *dataset.Schema, tr map[string]traits) []property {
	var props []property
	for i := range s.Fields {
		f := &s.Fields[i]
		add := func(name string, value func(dataset.Value) any, fms ...*mapping.FieldMapping) {
			props = append(props, property{name: name, field: i, value: value, mappings: fms})
		}
		stored, facet := tr[f.Name].stored, tr[f.Name].facet
		switch f.Type {
		case dataset.Text:
			// The field's own stems serve name:value queries and the
			// title's boost; its words as written are only in
			// fieldTextExact.
			fms := []*mapping.FieldMapping{textField(stored), pairsField(f.Name + pairsSuffix)}
			if facet {
				kw := keywordField(false, true)
				kw.Name = f.Name + kwSuffix
				fms = append(fms, kw)
			}
			add(f.Name, strValue, fms...)
			props[len(props)-1].text = true
		case dataset.Code, dataset.Enum:
			if f.Unindexed {
				continue
			}
			// Keyword terms are exact and sorted in the term dictionary,
			// which is what prefix queries on account codes walk.
			value := strValue
			if f.List {
				// A term per value: each is a facet value of its own.
				value = listValue
			}
			add(f.Name, value, keywordField(stored, facet))
			props[len(props)-1].text = f.Type == dataset.Enum
		case dataset.Integer:
			// A whole number is only ever matched whole (tahun:2024,
			// bidder_count:1) or counted, so one keyword term serves.
			add(f.Name+kwSuffix, intText, keywordField(false, facet))
			props[len(props)-1].text = facet
		case dataset.Money, dataset.Date, dataset.Timestamp:
			// Ranges, sorts and buckets read the columns built from
			// fieldMoney and fieldDate; a field's own amount or date is
			// only shown, from its _raw twin below. Indexing each as a
			// number cost 16 terms and doc values a field: a third of
			// the index, never read.
		default:
			panic(fmt.Sprintf("search: field %s.%s has unknown type %v", s.Name, f.Name, f.Type))
		}
		if stored && !isString(f.Type) {
			add(f.Name+rawSuffix, intText, rawField())
		}
	}
	return props
}

// timeOf converts a Date (days) or Timestamp (milliseconds) value.
func timeOf(t dataset.Type, v dataset.Value) time.Time {
	if t == dataset.Date {
		return time.Unix(v.Int*86400, 0).UTC()
	}
	return time.UnixMilli(v.Int).UTC()
}

func strValue(v dataset.Value) any { return v.Str }

// listValue gives each value of a List field its own keyword term.
func listValue(v dataset.Value) any { return dataset.ListValues(v) }
func intText(v dataset.Value) any   { return strconv.FormatInt(v.Int, 10) }

// newMapping builds the index mapping from the searched datasets: one static
// document mapping per dataset, selected by the "dataset" property, and
// nothing indexed dynamically, so a stray property can never grow the index.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	if err := addAnalysis(im); err != nil {
		return nil, fmt.Errorf("build analysis: %w", err)
	}
	im.TypeField = fieldDataset
	im.DefaultAnalyzer = analyzerName
	im.DefaultMapping = mapping.NewDocumentDisabledMapping()
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	// BM25 saturates term frequency and normalises by field length, which
	// suits short titles next to long descriptions better than tf-idf.
	im.ScoringModel = index.BM25Scoring
	tr := fieldTraits()
	for _, s := range searched() {
		im.AddDocumentMapping(s.Name, documentMapping(s, tr))
	}
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("validate mapping: %w", err)
	}
	return im, nil
}

func documentMapping(s *dataset.Schema, tr map[string]traits) *mapping.DocumentMapping {
	dm := mapping.NewDocumentStaticMapping()
	// Every field is searched by name; the _all composite would only
	// double the size of the text postings.
	dm.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
	dm.AddFieldMappingsAt(fieldDataset, keywordField(true, true))
	dm.AddFieldMappingsAt(fieldPartition, keywordField(false, false))
	dm.AddFieldMappingsAt(fieldMoney, columnField())
	dm.AddFieldMappingsAt(fieldDate, columnField())
	dm.AddFieldMappingsAt(fieldValue, columnField())
	text := textField(false)
	text.Name = fieldText
	dm.AddFieldMappingsAt(fieldText, text, exactField(fieldTextExact))
	for _, p := range properties(s, tr) {
		dm.AddFieldMappingsAt(p.name, p.mappings...)
	}
	if s.Staged() {
		dm.AddFieldMappingsAt(fieldStages, rawField())
		dm.AddFieldMappingsAt(fieldStageIDs, keywordField(false, false))
	}
	return dm
}

// textField is analysed with the Indonesian analyzer. It has no term
// vectors: phrases are matched on the pairs twin, and snippets analyse the
// stored text of the few hits shown again (highlight.go).
func textField(stored bool) *mapping.FieldMapping {
	fm := mapping.NewTextFieldMapping()
	fm.Analyzer = analyzerName
	fm.Store, fm.IncludeTermVectors = stored, false
	fm.IncludeInAll, fm.DocValues = false, false
	return fm
}

// exactField indexes the words of a text field as written, without term
// vectors or storage: it only has to be matched, never shown.
func exactField(name string) *mapping.FieldMapping {
	fm := mapping.NewTextFieldMapping()
	fm.Name = name
	fm.Analyzer = exactAnalyzerName
	fm.Store, fm.IncludeTermVectors = false, false
	fm.IncludeInAll, fm.DocValues = false, false
	return fm
}

// pairsField indexes pairs of neighbouring stems, only to be matched.
func pairsField(name string) *mapping.FieldMapping {
	fm := exactField(name)
	fm.Analyzer = pairsAnalyzerName
	return fm
}

// keywordField is indexed as one exact term; doc values make it countable.
func keywordField(stored, docValues bool) *mapping.FieldMapping {
	fm := mapping.NewKeywordFieldMapping()
	fm.Store, fm.DocValues = stored, docValues
	fm.IncludeInAll, fm.IncludeTermVectors = false, false
	return fm
}

// columnField holds one number per document as a single term, its exact
// (shift 0) prefix-coded form, with doc values: all the columns read
// (columns.go). Bleve's numeric fields add 15 coarser terms per value for
// range queries, which the columns answer instead.
func columnField() *mapping.FieldMapping {
	return keywordField(false, true)
}

// columnValue is the term columnField holds for v.
func columnValue(v int64) string {
	return string(numeric.MustNewPrefixCodedInt64(v, 0))
}

// rawField is stored for display only, never searched.
func rawField() *mapping.FieldMapping {
	fm := keywordField(true, false)
	fm.Index = false
	return fm
}

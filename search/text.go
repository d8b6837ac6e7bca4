package search

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/terbuka/terbuka/dataset"
)

// maxTerms bounds the words of one query: each word becomes a disjunction
// over every searchable field, so a pasted paragraph would be expensive
// and, since all words must match, would find nothing anyway.
const maxTerms = 32

// searchField is a property a query word is looked up in, with its boost.
type searchField struct {
	property string
	boost    float64
}

// textQuery turns the user's words into a query: every word must occur in
// some searchable field (analysed text, or a keyword such as a stage,
// method or year typed as a word). A single token is also looked up as an
// exact code, so a kode RUP or kode rekening pasted in finds its record.
// Words that are all stop words match nothing: they say nothing about
// what is wanted, and pretending that everything matched would mislead.
// It returns nil when text is empty, meaning no restriction.
func (ix *Index) textQuery(text string, schemas []*dataset.Schema) (query.Query, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	terms, err := ix.terms(text)
	if err != nil {
		return nil, err
	}
	var alts []query.Query
	if len(terms) > 0 {
		fields := searchFields(schemas)
		words := make([]query.Query, len(terms))
		for i, t := range terms {
			words[i] = anyField(t, fields)
		}
		alts = append(alts, bleve.NewConjunctionQuery(words...))
	}
	if !strings.ContainsFunc(text, unicode.IsSpace) {
		// Codes are stored as written; tax codes are upper case, so a
		// lower-case "pbb-p2" is also tried as "PBB-P2".
		for _, v := range slices.Compact([]string{text, strings.ToUpper(text)}) {
			alts = append(alts, anyField(v, codeFields(schemas)))
		}
	}
	if len(alts) == 0 {
		return bleve.NewMatchNoneQuery(), nil
	}
	return bleve.NewDisjunctionQuery(alts...), nil
}

// terms analyses text exactly as text fields were analysed at indexing, so
// a query word and an indexed word meet as the same term. Term queries are
// built from them rather than match queries because a match query for a
// lone stop word matches nothing, which would sink the whole conjunction.
func (ix *Index) terms(text string) ([]string, error) {
	a := ix.idx.Mapping().AnalyzerNamed(analyzerName)
	if a == nil {
		return nil, fmt.Errorf("analyzer %q missing from the index mapping", analyzerName)
	}
	var terms []string
	for _, tok := range a.Analyze([]byte(text)) {
		if t := string(tok.Term); !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	}
	if len(terms) > maxTerms {
		return nil, fmt.Errorf("query has %d words, at most %d are searched: %w", len(terms), maxTerms, dataset.ErrInvalid)
	}
	return terms, nil
}

// anyField matches term in any of fields.
func anyField(term string, fields []searchField) query.Query {
	qs := make([]query.Query, len(fields))
	for i, f := range fields {
		tq := bleve.NewTermQuery(term)
		tq.SetField(f.property)
		tq.SetBoost(f.boost)
		qs[i] = tq
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// searchFields returns where query words are looked up: every Text field
// (titles boosted), every Enum, and the keyword of Integer facets, so that
// "murni", "tender" or "2024" typed as words narrow as expected. Enum
// values and the keyword years are lower case or digits, like the
// analysed query terms they are compared with.
func searchFields(schemas []*dataset.Schema) []searchField {
	var out []searchField
	seen := map[string]int{}
	for _, s := range schemas {
		for i := range s.Fields {
			f := &s.Fields[i]
			sf := searchField{property: f.Name, boost: 1}
			switch {
			case f.Type == dataset.Text && f.Name == s.Title:
				sf.boost = boostTitle
			case f.Type == dataset.Text, f.Type == dataset.Enum:
			case f.Type == dataset.Integer && f.Facet:
				sf.property = facetProperty(f)
			default:
				continue
			}
			if j, ok := seen[sf.property]; ok {
				out[j].boost = max(out[j].boost, sf.boost)
				continue
			}
			seen[sf.property] = len(out)
			out = append(out, sf)
		}
	}
	return out
}

// codeFields returns every Code field, where a single token is looked up
// as written.
func codeFields(schemas []*dataset.Schema) []searchField {
	var out []searchField
	for _, s := range schemas {
		for _, f := range s.Fields {
			if f.Type == dataset.Code && !slices.ContainsFunc(out, func(sf searchField) bool { return sf.property == f.Name }) {
				out = append(out, searchField{property: f.Name, boost: boostCode})
			}
		}
	}
	return out
}

package search

import (
	"context"

	index "github.com/blevesearch/bleve_index_api"
)

// filteredReader is an index reader whose postings leave out the records
// that fail a pass's filters, so that a scored search scores only records
// it can return: scoring is most of a search's cost, and a query narrowed
// to a region and year keeps a small share of its word's matches. Term
// statistics (Count, field cardinality) stay those of the whole index, so
// a record scores as it would unfiltered.
type filteredReader struct {
	index.IndexReader
	segs    []segView
	filters []colFilter
}

func (f *filteredReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (index.TermFieldReader, error) {
	tfr, err := f.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil {
		return nil, err
	}
	return &filteredTerms{TermFieldReader: tfr, r: f}, nil
}

// The optional reader interfaces Bleve's searchers look for, forwarded.

func (f *filteredReader) FieldCardinality(field string) (int, error) {
	return f.IndexReader.(index.BM25Reader).FieldCardinality(field)
}

func (f *filteredReader) FieldDictFuzzy(field, term string, fuzziness int, prefix string) (index.FieldDict, error) {
	return f.IndexReader.(index.IndexReaderFuzzy).FieldDictFuzzy(field, term, fuzziness, prefix)
}

func (f *filteredReader) FieldDictFuzzyAutomaton(field, term string, fuzziness int, prefix string) (index.FieldDict, index.FuzzyAutomaton, error) {
	return f.IndexReader.(index.IndexReaderFuzzy).FieldDictFuzzyAutomaton(field, term, fuzziness, prefix)
}

func (f *filteredReader) FieldDictContains(field string) (index.FieldDictContains, error) {
	return f.IndexReader.(index.IndexReaderContains).FieldDictContains(field)
}

// filteredTerms is the postings of one term without the filtered-out records.
type filteredTerms struct {
	index.TermFieldReader
	r *filteredReader
	// seg is the segment of the last posting; postings only move forward.
	seg int
}

func (t *filteredTerms) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	d, err := t.TermFieldReader.Next(pre)
	return t.skip(d, err)
}

func (t *filteredTerms) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	d, err := t.TermFieldReader.Advance(id, pre)
	return t.skip(d, err)
}

// skip moves on from d to the first posting that passes the filters.
func (t *filteredTerms) skip(d *index.TermFieldDoc, err error) (*index.TermFieldDoc, error) {
	for err == nil && d != nil && !t.accept(d.ID.Value()) {
		d, err = t.TermFieldReader.Next(d)
	}
	return d, err
}

func (t *filteredTerms) accept(g uint64) bool {
	segs := t.r.segs
	if t.seg < len(segs) && g < segs[t.seg].start {
		t.seg = 0
	}
	for t.seg < len(segs) && g >= segs[t.seg].end {
		t.seg++
	}
	if t.seg == len(segs) {
		return false
	}
	sv := &segs[t.seg]
	for i := range t.r.filters {
		if !t.r.filters[i].ok(sv.cols, g-sv.start) {
			return false
		}
	}
	return true
}

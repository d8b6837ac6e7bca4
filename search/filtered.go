package search

import (
	"context"

	index "github.com/blevesearch/bleve_index_api"
)

// filteredReader is an index reader whose postings hold only the records
// a counting pass found passing every filter, so that a scored search
// scores only records it can return: scoring is most of a search's cost,
// and a query narrowed to a region and year keeps a small share of its
// word's matches. Postings skip to the next such record rather than step
// through the others. Term statistics (Count, field cardinality) stay
// those of the whole index, so a record scores as it would unfiltered.
type filteredReader struct {
	index.IndexReader
	// passing holds global document numbers, ascending.
	passing []uint64
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
	// next indexes the first of r.passing not yet passed; postings only
	// move forward.
	next int
}

func (t *filteredTerms) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	d, err := t.TermFieldReader.Next(pre)
	return t.skip(d, err)
}

func (t *filteredTerms) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	d, err := t.TermFieldReader.Advance(id, pre)
	return t.skip(d, err)
}

// skip moves on from d to the first posting of a passing record.
func (t *filteredTerms) skip(d *index.TermFieldDoc, err error) (*index.TermFieldDoc, error) {
	for err == nil && d != nil {
		g := d.ID.Value()
		p := t.r.passing
		for t.next < len(p) && p[t.next] < g {
			t.next++
		}
		if t.next == len(p) {
			return nil, nil
		}
		if p[t.next] == g {
			return d, nil
		}
		d, err = t.TermFieldReader.Advance(index.NewIndexInternalID(nil, p[t.next]), d)
	}
	return d, err
}

package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// The query types Bleve lacks: words looked up only when the word itself is
// rare (near misses, longer words), scores kept in a band below a query's
// own words, and disjunctions without their empty parts.

// maxTypoBase is how many records may hold a word as written for its
// near-misses still to be looked up: a word that finds more is what was
// meant. Looking "jalan" up as "janan" too found Loa Janan, a district,
// among road works, and cost every common word's search a score for each
// near-miss field.
const maxTypoBase = 10

// writtenCount counts, once per search, the records holding a word as
// written in field: what decides whether its typos are looked up.
type writtenCount struct {
	word, field string
	once        sync.Once
	n           uint64
	err         error
}

func (w *writtenCount) count(ctx context.Context, r index.IndexReader) (uint64, error) {
	w.once.Do(func() { w.n, w.err = termCount(ctx, r, w.word, w.field) })
	return w.n, w.err
}

// otherWords matches other words of field related to word, when word as
// written is in no more than maxTypoBase records (written): a word found
// often is what was meant. tokenQuery uses it for near misses (nearWords:
// looking "jalan" up as "janan" too found Loa Janan, a district, among
// road works) and for longer words word starts (longerWords: "honor"
// finds Honorarium, but "kota" must not find "kotak" among the cities).
// It never matches word itself: its exact query already does, at a higher
// boost, and reading a common word's postings a second time would be most
// of a search's work.
type otherWords struct {
	word, field string
	boost       float64
	written     *writtenCount
	related     func(r index.IndexReader, word, field string) ([]string, error)
	// expand runs once per search: a search builds its searchers several
	// times (per range of documents, then for the page's hits), and the
	// words a term dictionary holds are the same each time.
	expand sync.Once
	terms  []string
	err    error
}

func (q *otherWords) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	q.expand.Do(func() {
		var n uint64
		if n, q.err = q.written.count(ctx, r); q.err == nil && n <= maxTypoBase {
			q.terms, q.err = q.related(r, q.word, q.field)
		}
	})
	if q.err != nil {
		return nil, q.err
	}
	switch len(q.terms) {
	case 0:
		return searcher.NewMatchNoneSearcher(r)
	case 1:
		return searcher.NewTermSearcher(ctx, r, q.terms[0], q.field, q.boost, opts)
	}
	return searcher.NewMultiTermSearcher(ctx, r, q.terms, q.field, q.boost, opts, true)
}

// nearWords returns the words of field one edit away from word, starting
// with its letter, without word itself.
func nearWords(r index.IndexReader, word, field string) ([]string, error) {
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return nil, fmt.Errorf("expand typos of %q: index reader %T has no fuzzy dictionary", word, r)
	}
	first, _ := utf8.DecodeRuneInString(word)
	d, err := fr.FieldDictFuzzy(field, word, 1, string(first))
	if err != nil {
		return nil, fmt.Errorf("expand typos of %q: %w", word, err)
	}
	defer d.Close()
	var terms []string
	for {
		e, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("expand typos of %q: %w", word, err)
		}
		if e == nil {
			break
		}
		if e.Term != word {
			terms = append(terms, e.Term)
		}
	}
	if len(terms) == 0 {
		// The empty term, which no field holds, rather than a match-none
		// searcher: a disjunction of term searchers alone is evaluated
		// as one bitmap when unscored.
		terms = []string{""}
	}
	return terms, nil
}

// ownWords says, once per search, whether every word of a unit (or a query
// word, for suggest) is in some record, stemmed or as written. Stop words
// alone are found: there is nothing to look up.
type ownWords struct {
	toks []token
	once sync.Once
	all  bool
	err  error
}

// presence returns the check for words.
func (ix *Index) presence(words []string) (*ownWords, error) {
	toks, err := ix.tokens(strings.Join(words, " "))
	if err != nil {
		return nil, err
	}
	return &ownWords{toks: toks}, nil
}

func (o *ownWords) found(ctx context.Context, r index.IndexReader) (bool, error) {
	o.once.Do(func() {
		o.all = true
		for _, t := range o.toks {
			n, err := termCount(ctx, r, t.stem, fieldText)
			if err == nil && n == 0 {
				n, err = termCount(ctx, r, t.written, fieldTextExact)
			}
			if err != nil {
				o.err = err
				return
			}
			if n == 0 {
				o.all = false
				return
			}
		}
	})
	return o.all, o.err
}

// termCount counts the records holding term in field.
func termCount(ctx context.Context, r index.IndexReader, term, field string) (uint64, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("count %q in %s: %w", term, field, err)
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

// maxStartTerms bounds how many longer words one query word reaches: the
// most frequent, so "pen" cannot become a disjunction over a thousand.
const maxStartTerms = 32

// longerWords returns the most frequent words of field that start with
// word, without word itself.
func longerWords(r index.IndexReader, word, field string) ([]string, error) {
	d, err := r.FieldDictPrefix(field, []byte(word))
	if err != nil {
		return nil, fmt.Errorf("expand %q to longer words: %w", word, err)
	}
	defer d.Close()
	type counted struct {
		term string
		n    uint64
	}
	var found []counted
	for {
		e, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("expand %q to longer words: %w", word, err)
		}
		if e == nil {
			break
		}
		if e.Term != word {
			found = append(found, counted{e.Term, e.Count})
		}
	}
	slices.SortFunc(found, func(a, b counted) int { return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.term, b.term)) })
	terms := make([]string, 0, min(len(found), maxStartTerms))
	for _, f := range found[:min(len(found), maxStartTerms)] {
		terms = append(terms, f.term)
	}
	return terms, nil
}

// scaled ranks what q matches below what a query's own words match: it
// maps each score s into the band from lo to hi as lo + (hi-lo)·s/(1+s),
// which keeps the order among q's matches. A boost cannot: Bleve ignores
// the boost of a conjunction or disjunction, and a rare synonym ("Personal
// Computer" for laptop) would outscore the word itself by its rarity. A
// word's own match scores at least its idf, about 0.3 even in nine records
// of ten, times boostExact. When unless says the unit's own words are not
// all in the index, scores pass unchanged.
type scaled struct {
	q      query.Query
	lo, hi float64
	unless *ownWords
}

func (s scaled) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	inner, err := s.q.Searcher(ctx, r, m, opts)
	if err != nil || opts.Score == "none" {
		return inner, err
	}
	if s.unless != nil {
		found, err := s.unless.found(ctx, r)
		if err != nil {
			inner.Close()
			return nil, err
		}
		if !found {
			return inner, nil
		}
	}
	return &scaledSearcher{Searcher: inner, lo: s.lo, hi: s.hi}, nil
}

type scaledSearcher struct {
	bsearch.Searcher
	lo, hi float64
}

func (s *scaledSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	s.rescore(dm)
	return dm, err
}

func (s *scaledSearcher) rescore(dm *bsearch.DocumentMatch) {
	if dm != nil {
		dm.Score = s.lo + (s.hi-s.lo)*dm.Score/(1+dm.Score)
	}
}

func (s *scaledSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	s.rescore(dm)
	return dm, err
}

// empty reports whether the searcher s of q surely matches nothing. Only
// a term query's count is exact: others estimate, and when unscored Bleve
// turns a disjunction into a bitmap searcher whose count is 0 whatever it
// holds.
func empty(q query.Query, s bsearch.Searcher) bool {
	if _, none := s.(*searcher.MatchNoneSearcher); none {
		return true
	}
	_, isTerm := q.(*query.TermQuery)
	return isTerm && s.Count() == 0
}

// anyOf matches what any of its queries matches, like a Bleve disjunction,
// but without the parts that match nothing in the index being searched. A
// word is looked up in some forty fields and found in a few: every empty
// part would still cost the disjunction a step per match, and would count
// in its coordination factor, so that a word's score depended on how many
// fields the schemas have rather than on where it was found.
type anyOf []query.Query

func (qs anyOf) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	var ss []bsearch.Searcher
	for _, q := range qs {
		s, err := q.Searcher(ctx, r, m, opts)
		if err != nil {
			for _, s := range ss {
				s.Close()
			}
			return nil, err
		}
		if empty(q, s) {
			s.Close()
			continue
		}
		ss = append(ss, s)
	}
	switch len(ss) {
	case 0:
		return searcher.NewMatchNoneSearcher(r)
	case 1:
		return ss[0], nil
	}
	return searcher.NewDisjunctionSearcher(ctx, r, ss, 0, opts)
}

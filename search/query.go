package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/terbuka/terbuka/dataset"
)

// Paging limits. Deep pages cost the index as much as all pages before
// them, and nobody reads past a few hundred results; larger extracts are
// what the bulk downloads are for.
const (
	defaultSize = 20
	maxSize     = 100
	maxWindow   = 10_000
)

// Query is a portal search: words, filters and a page.
type Query struct {
	// Text is the user's words; empty matches every record.
	Text string
	// Dataset limits results to one dataset ("budget", "budget_accounts",
	// "procurement" or "revenue").
	Dataset string
	// Province ("32"), Region ("32.73") and Year (0 = any) filter by place
	// and time.
	Province string
	Region   string
	Year     int
	// Filters maps other facet fields, by schema field name (for example
	// "stage", "method", "account_group"), to the value they must have.
	Filters map[string]string
	// MinAmount and MaxAmount bound the record's amount (the schema's
	// Amount field) in sen, inclusive; nil means unbounded.
	MinAmount, MaxAmount *int64
	// DateFrom and DateTo bound the record's date (the schema's Date
	// field), inclusive; zero means unbounded. Records without a date
	// never match a date range.
	DateFrom, DateTo time.Time
	// Sort is "" (relevance), "amount", "-amount", "date", "-date", or
	// "value", "-value": the schema's Value (a package's contract value).
	Sort string
	// From is the offset of the first hit; Size the number of hits
	// (default 20, at most 100). From+Size may not exceed 10,000: beyond
	// that, page with After.
	From, Size int
	// After is Result.Next of the previous page; it continues the same
	// query after that page, however deep. From must then be 0.
	After string
}

// Result is one page of hits with facet counts over all matching records.
type Result struct {
	Total uint64
	Hits  []Hit
	// Facets come in a fixed order: dataset, province_code, region_code,
	// fiscal_year, then the other facet fields of the datasets that have
	// hits, in schema order.
	Facets []Facet
	Took   time.Duration
	// Suggestion is the query with its words that no record holds
	// replaced by near ones that records do ("maksud Anda …?"); set only
	// when no record holds every word.
	Suggestion string
	// AllWords counts the records holding every part of the query; when
	// it is below Total, the rest hold most of them (Hit.Partial).
	AllWords uint64
	// Next continues after this page (Query.After); "" on the last page.
	Next string
}

// Hit is one matching record, with what the result list shows. A budget
// line is one hit: the record of its lead stage (dataset.LeadStage), whose
// stage is Fields["stage"] and whose amount is Amount, with every stage of
// the line in Stages.
type Hit struct {
	ID      string
	Dataset string
	Score   float64
	// Title is the value of the schema's Title field.
	Title string
	// Amount is the schema's Amount field in sen, exact; 0 when null.
	Amount     int64
	Region     string
	RegionName string
	Year       int
	// Fields holds the other shown fields, formatted with Field.Format.
	Fields map[string]string
	// Fragments holds highlighted snippets by field, HTML-escaped with
	// matches in <mark>, when the query had words that matched shown text.
	Fragments map[string][]string
	// Stages lists the stages of a budget line in the order of the year;
	// nil for other datasets.
	Stages []Stage
	// Partial is set on a record that holds most of the query's parts but
	// not all ("memuat sebagian kata").
	Partial bool
}

// Facet is the count of matching records per value of one field.
type Facet struct {
	Field  string
	Values []FacetValue
}

// FacetValue is one value of a facet and how many matching records have it.
type FacetValue struct {
	Value string
	Count int
	// Min and Max bound an amount bucket (in sen); nil when open.
	Min, Max *int64
}

// searchTimeout bounds one search, facets included: a query that takes
// longer is refused rather than allowed to hold a core.
const searchTimeout = 5 * time.Second

// fewAllWords is how many records holding every word of a query are few
// enough for records holding most of them to follow (Result.AllWords).
// Measured on the citizen query set (testdata/citizen.json), following
// fewer than 3 gives a mean P@10 of 0.933, fewer than 5 0.907, fewer
// than 10 0.891: with three full matches (one per city, say) the page
// already answers, and what follows was mostly judged beside the point.
const fewAllWords = 3

// Search runs q. Invalid input (a bad page, an unknown dataset or filter
// field, bad query syntax) is an error wrapping dataset.ErrInvalid; a
// search that runs out of time wraps dataset.ErrUnavailable.
//
// Ranked by relevance, when fewer than fewAllWords records hold every part
// of the query, the records holding most of them (or, when none does, any)
// follow, marked Hit.Partial: "gedung rusak" finds buildings although no
// record says rusak. Total then counts both.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	began := time.Now()
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	size, err := pageSize(q)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	schemas, err := scope(q.Dataset)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if !slices.Contains(sortOrders, q.Sort) {
		return nil, fmt.Errorf("search: %w", invalid("urutan %q tidak dikenal (amount, -amount, value, -value, date, -date)", "unknown sort %q (amount, -amount, value, -value, date, -date)", q.Sort))
	}
	text, parts, err := ix.textQuery(q.Text, schemas, matchAll)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	ord := order{by: q.Sort, scored: q.Sort == "" && text != nil}
	from := q.From
	if q.After != "" {
		if from, ord.after, err = resume(q, ord, size); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	segs, err := ix.cols.views(r)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	relax := ord.scored && parts > 1
	n := from + size
	if relax {
		n = max(n, fewAllWords)
	}
	p, err := ix.searchPass(ctx, r, segs, q, schemas, matchAll, text, ord, n)
	if err != nil {
		return nil, err
	}
	top, total := p.top.sorted(), p.total
	out := &Result{Total: total, AllWords: total}
	var partial map[uint64]bool
	if relax && total < fewAllWords {
		// Most of the parts, or, when no record holds that many
		// together, any: a page is empty only when no part is found.
		for _, m := range []match{matchMost, matchAny} {
			most, _, err := ix.textQuery(q.Text, schemas, m)
			if err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			if p, err = ix.searchPass(ctx, r, segs, q, schemas, m, most, ord, from+size+len(top)); err != nil {
				return nil, err
			}
			if p.total > 0 || parts == 2 {
				break // of two parts, most is any
			}
		}
		top, partial = withPartial(top, p.top.sorted())
		out.Total = p.total
	}
	out.Facets = ix.facetResults(p)
	if out.AllWords == 0 && text != nil {
		if out.Suggestion, err = ix.suggest(ctx, r, q.Text); err != nil {
			return nil, err
		}
	}
	page := top[min(from, len(top)):]
	page = page[:min(size, len(page))]
	if out.Hits, err = ix.hits(ctx, r, page, q.Text, partial); err != nil {
		return nil, err
	}
	if len(page) == size && uint64(from+size) < out.Total {
		out.Next = nextCursor(q, ord, from+size, page[len(page)-1])
	}
	out.Took = time.Since(began)
	return out, nil
}

// withPartial appends to the records holding every part of a query those
// of most that do not, and returns which documents those are.
func withPartial(all, most []ranked) ([]ranked, map[uint64]bool) {
	seen := make(map[uint64]bool, len(all))
	for _, rk := range all {
		seen[rk.doc] = true
	}
	out := slices.Clip(all)
	partial := map[uint64]bool{}
	for _, rk := range most {
		if !seen[rk.doc] {
			partial[rk.doc] = true
			out = append(out, rk)
		}
	}
	return out, partial
}

// searchPass counts and ranks the matches of text (built with m) under the
// filters of q, keeping the best n.
func (ix *Index) searchPass(ctx context.Context, r index.IndexReader, segs []segView, q Query, schemas []*dataset.Schema, m match, text query.Query, ord order, n int) (*pass, error) {
	p, err := ix.newPass(q, schemas, segs)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	p.order, p.top = ord, &topList{n: n}
	all := text
	if q.Dataset != "" && text != nil {
		if all, _, err = ix.textQuery(q.Text, searched(), m); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	if err := ix.runPasses(ctx, r, p, text, all); err != nil {
		return nil, err
	}
	return p, nil
}

// sortOrders are the values of Query.Sort.
var sortOrders = []string{"", "amount", "-amount", "value", "-value", "date", "-date"}

// reader returns a snapshot of the index to run one search on.
func (ix *Index) reader() (index.IndexReader, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return r, nil
}

// runPasses counts the matches of text in p and ranks the best of them in
// p.top; all is text looked up in every dataset's fields.
//
// Counting runs unscored, with all: for the records of the dataset a query
// is narrowed to, that matches exactly what the narrowed lookup does, and
// the records of the others are what the dataset facet counts. Unscored,
// Bleve evaluates words as bitmaps, several times faster than scoring them.
// Ranked by relevance with filters, a second pass scores only the records
// that pass them all; with none, one scored pass both counts and ranks.
func (ix *Index) runPasses(ctx context.Context, r index.IndexReader, p *pass, text, all query.Query) error {
	switch {
	case !p.order.scored:
		return timedOut(p.run(ctx, r, ix, all))
	case len(p.filters) == 0:
		return timedOut(p.run(ctx, r, ix, text))
	}
	var passing []uint64
	counting := *p
	counting.order, counting.top, counting.passing = order{}, nil, &passing
	if err := timedOut(counting.run(ctx, r, ix, all)); err != nil {
		return err
	}
	p.total = counting.total
	if len(passing) == 0 {
		return nil
	}
	ranking := &pass{segs: p.segs, order: p.order, top: p.top}
	return timedOut(ranking.run(ctx, &filteredReader{IndexReader: r, passing: passing}, ix, text))
}

func timedOut(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("search: took longer than %s: %w", searchTimeout, dataset.ErrUnavailable)
	}
	return err
}

// hits loads what the result list shows of the ranked page: stored fields
// and, when the query has words, snippets with them marked. Documents in
// partial are marked Hit.Partial.
func (ix *Index) hits(ctx context.Context, r index.IndexReader, page []ranked, words string, partial map[uint64]bool) ([]Hit, error) {
	if len(page) == 0 {
		return nil, nil
	}
	ids := make([]string, len(page))
	for i, rk := range page {
		id, err := r.ExternalID(index.NewIndexInternalID(nil, rk.doc))
		if err != nil {
			return nil, fmt.Errorf("search: read id of a hit: %w", err)
		}
		ids[i] = id
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = ix.plan.stored
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, timedOut(fmt.Errorf("search: load hits: %w", err))
	}
	byID := make(map[string]*bsearch.DocumentMatch, len(res.Hits))
	for _, dm := range res.Hits {
		byID[dm.ID] = dm
	}
	m := ix.newMarker(words)
	out := make([]Hit, 0, len(page))
	for i, rk := range page {
		// A record replaced since the page was ranked is left out
		// rather than shown with values it no longer has.
		dm, ok := byID[ids[i]]
		if !ok {
			continue
		}
		h := hit(dm)
		h.Score, h.Partial = rk.score, partial[rk.doc]
		if m != nil {
			for _, f := range ix.plan.highlighted {
				v, _ := dm.Fields[f].(string)
				if s, ok := m.snippet(v); ok {
					if h.Fragments == nil {
						h.Fragments = map[string][]string{}
					}
					h.Fragments[f] = []string{s}
				}
			}
		}
		out = append(out, h)
	}
	return out, nil
}

// pageSize validates the page of q and returns its size.
func pageSize(q Query) (int, error) {
	if q.Size < 0 || q.From < 0 || q.Year < 0 {
		return 0, fmt.Errorf("negative size, offset or year: %w", dataset.ErrInvalid)
	}
	if q.Size > maxSize {
		return 0, invalid("size paling besar %d", "size is at most %d", maxSize)
	}
	size := cmpOr(q.Size, defaultSize)
	if q.From+size > maxWindow {
		return 0, invalid("halaman setelah hasil ke-%d tidak bisa dibuka dengan from; gunakan kursor next", "results beyond the first %d cannot be paged to with from; use the next cursor", maxWindow)
	}
	if q.After != "" && q.From != 0 {
		return 0, invalid("from dan after tidak bisa dipakai bersama", "from and after cannot be combined")
	}
	return size, nil
}

// searched returns the datasets the index holds: all but the detail ones
// (dataset.Schema.Detail).
func searched() []*dataset.Schema {
	var out []*dataset.Schema
	for _, s := range dataset.All() {
		if !s.Detail {
			out = append(out, s)
		}
	}
	return out
}

// scope returns the schemas a query covers.
func scope(name string) ([]*dataset.Schema, error) {
	if name == "" {
		return searched(), nil
	}
	s, err := dataset.Lookup(name)
	if err == nil && s.Detail {
		return nil, fmt.Errorf("dataset %q is not searched, only downloaded (its rows detail another dataset's records): %w", name, dataset.ErrInvalid)
	}
	if err != nil {
		// ErrInvalid alone: the request is wrong, nothing is missing.
		return nil, fmt.Errorf("unknown dataset %q: %w", name, dataset.ErrInvalid)
	}
	return []*dataset.Schema{s}, nil
}

func cmpOr(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

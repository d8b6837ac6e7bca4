package search

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"

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
	// Dataset limits results to "budget", "procurement" or "revenue".
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
	// Sort is "" (relevance), "amount", "-amount", "date" or "-date".
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
	// Next continues after this page (Query.After); "" on the last page.
	Next string
}

// Hit is one matching record, with what the result list shows.
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

// Search runs q. Invalid input (a bad page, an unknown dataset or filter
// field, bad query syntax) is an error wrapping dataset.ErrInvalid; a
// search that runs out of time wraps dataset.ErrUnavailable.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	req, err := ix.request(q, "")
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	res, err := ix.run(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &Result{Total: res.Total, Took: res.Took}
	for _, dm := range res.Hits {
		out.Hits = append(out.Hits, hit(dm))
	}
	if n := len(res.Hits); n > 0 && n == req.Size && uint64(req.From+n) < res.Total {
		out.Next = nextCursor(q, req, res.Hits[n-1].Sort)
	}
	if err := ix.disjunctiveFacets(ctx, q, res); err != nil {
		return nil, err
	}
	out.Facets = ix.facets(res)
	return out, nil
}

func (ix *Index) run(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	res, err := ix.idx.SearchInContext(ctx, req)
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("search: took longer than %s: %w", searchTimeout, dataset.ErrUnavailable)
	}
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// disjunctiveFacets recounts each facet the query filters on without that
// facet's own filter, so a selected region still lists the other regions
// with their counts, while every other filter keeps applying.
func (ix *Index) disjunctiveFacets(ctx context.Context, q Query, res *bleve.SearchResult) error {
	for _, name := range activeFacets(q) {
		if _, ok := res.Facets[name]; !ok {
			continue
		}
		req, err := ix.request(without(q, name), name)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		sub, err := ix.run(ctx, req)
		if err != nil {
			return err
		}
		res.Facets[name] = sub.Facets[name]
	}
	return nil
}

// activeFacets lists the facets q filters on.
func activeFacets(q Query) []string {
	var out []string
	for name, on := range map[string]bool{fieldDataset: q.Dataset != "", dataset.FieldProvinceCode: q.Province != "",
		dataset.FieldRegionCode: q.Region != "", dataset.FieldFiscalYear: q.Year != 0, facetAmount: q.MinAmount != nil || q.MaxAmount != nil} {
		if on {
			out = append(out, name)
		}
	}
	for name, v := range q.Filters {
		if v != "" {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// without returns q with the filter of one facet removed.
func without(q Query, facet string) Query {
	q.Filters = maps.Clone(q.Filters)
	switch facet {
	case fieldDataset:
		q.Dataset = ""
	case dataset.FieldProvinceCode:
		q.Province = ""
	case dataset.FieldRegionCode:
		q.Region = ""
	case dataset.FieldFiscalYear:
		q.Year = 0
	case facetAmount:
		q.MinAmount, q.MaxAmount = nil, nil
	default:
		delete(q.Filters, facet)
	}
	q.From, q.Size, q.After = 0, 0, ""
	return q
}

// sorts maps Query.Sort to bleve sort orders. Every order ends with the
// document id, so pages never overlap and cursors have a total order.
var sorts = map[string][]string{
	"":        {"-_score", "_id"},
	"amount":  {fieldMoney, "_id"},
	"-amount": {"-" + fieldMoney, "_id"},
	"date":    {fieldDate, "_id"},
	"-date":   {"-" + fieldDate, "_id"},
}

// request validates q and turns it into a bleve request. With onlyFacet
// set it asks for that facet's counts alone and no hits.
func (ix *Index) request(q Query, onlyFacet string) (*bleve.SearchRequest, error) {
	size, err := pageSize(q)
	if err != nil {
		return nil, err
	}
	schemas, err := scope(q.Dataset)
	if err != nil {
		return nil, err
	}
	conj, err := ix.filters(q, schemas)
	if err != nil {
		return nil, err
	}
	text, err := ix.textQuery(q.Text, schemas)
	if err != nil {
		return nil, err
	}
	if text != nil {
		conj = append(conj, text)
	}
	var qq query.Query = bleve.NewMatchAllQuery()
	if len(conj) > 0 {
		qq = bleve.NewConjunctionQuery(conj...)
	}
	if onlyFacet != "" {
		req := bleve.NewSearchRequestOptions(qq, 0, 0, false)
		ix.addFacets(req, schemas, onlyFacet)
		return req, nil
	}
	req := bleve.NewSearchRequestOptions(qq, size, q.From, false)
	req.Fields = ix.plan.stored
	order, ok := sorts[q.Sort]
	if !ok {
		return nil, invalid("urutan %q tidak dikenal (amount, -amount, date, -date)", "unknown sort %q (amount, -amount, date, -date)", q.Sort)
	}
	if q.Sort == "" && text == nil {
		// Without words every score is equal: id order is the same
		// ranking, and unlike scores it can be continued by a cursor.
		order = []string{"_id"}
	}
	req.SortBy(order)
	if err := applyCursor(req, q, order); err != nil {
		return nil, err
	}
	ix.addFacets(req, schemas, "")
	if text != nil {
		req.Highlight = bleve.NewHighlightWithStyle(html.Name)
		req.Highlight.Fields = ix.plan.highlighted
	}
	return req, nil
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

// scope returns the schemas a query covers.
func scope(name string) ([]*dataset.Schema, error) {
	if name == "" {
		return dataset.All(), nil
	}
	s, err := dataset.Lookup(name)
	if err != nil {
		// ErrInvalid alone: the request is wrong, nothing is missing.
		return nil, fmt.Errorf("unknown dataset %q: %w", name, dataset.ErrInvalid)
	}
	return []*dataset.Schema{s}, nil
}

// addFacets asks for the facets of the schemas in scope (or only one).
//
// Across all datasets only the lead facets (dataset, place, year) and the
// amount buckets are counted; a dataset's own facets (stage, method,
// agency…) once the query is narrowed to it. Counting is most of a
// search's cost (every facet reads its doc values for every hit), and a
// list of budget stages next to procurement results says little.
func (ix *Index) addFacets(req *bleve.SearchRequest, schemas []*dataset.Schema, only string) {
	narrowed := len(schemas) == 1
	for _, fs := range ix.plan.facets {
		if inScope(fs.datasets, schemas) && (fs.lead || narrowed) && (only == "" || only == fs.name) {
			req.AddFacet(fs.name, bleve.NewFacetRequest(fs.property, fs.size))
		}
	}
	if only == "" || only == facetAmount {
		req.AddFacet(facetAmount, amountFacet())
	}
}

func cmpOr(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// filters returns one exact term query per filter, on the facet's keyword
// property, so filtering and counting always agree on a value.
func (ix *Index) filters(q Query, schemas []*dataset.Schema) ([]query.Query, error) {
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
	out := rangeFilters(q)
	// Sorted so the same query always builds the same request.
	for _, name := range slices.Sorted(maps.Keys(want)) {
		fs, ok := ix.plan.facet(name, schemas)
		if !ok {
			return nil, fmt.Errorf("cannot filter by %q: %w", name, dataset.ErrInvalid)
		}
		if want[name] == "" {
			continue
		}
		tq := bleve.NewTermQuery(want[name])
		tq.SetField(fs.property)
		out = append(out, tq)
	}
	return out, nil
}

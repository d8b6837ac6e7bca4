package search

import (
	"context"
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
	// From is the offset of the first hit; Size the number of hits
	// (default 20, at most 100). From+Size may not exceed 10,000.
	From, Size int
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
}

// Search runs q. Invalid input (a negative or too deep page, an unknown
// dataset or filter field) is an error wrapping dataset.ErrInvalid.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	req, err := ix.request(q)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := &Result{Total: res.Total, Took: res.Took, Facets: ix.facets(res)}
	for _, dm := range res.Hits {
		out.Hits = append(out.Hits, hit(dm))
	}
	return out, nil
}

// request validates q and turns it into a bleve request.
func (ix *Index) request(q Query) (*bleve.SearchRequest, error) {
	if q.Size < 0 || q.From < 0 || q.Year < 0 {
		return nil, fmt.Errorf("negative size, offset or year: %w", dataset.ErrInvalid)
	}
	if q.Size > maxSize {
		return nil, invalid("size paling besar %d", "size is at most %d", maxSize)
	}
	size := cmpOr(q.Size, defaultSize)
	if q.From+size > maxWindow {
		return nil, fmt.Errorf("results beyond the first %d cannot be paged to: %w", maxWindow, dataset.ErrInvalid)
	}
	schemas := dataset.All()
	if q.Dataset != "" {
		s, err := dataset.Lookup(q.Dataset)
		if err != nil {
			// ErrInvalid alone: the request is wrong, nothing is missing.
			return nil, fmt.Errorf("unknown dataset %q: %w", q.Dataset, dataset.ErrInvalid)
		}
		schemas = []*dataset.Schema{s}
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
	req := bleve.NewSearchRequestOptions(qq, size, q.From, false)
	req.Fields = ix.plan.stored
	// Equal scores (every hit of a filter-only query) are ordered by id so
	// pages never overlap or change between identical requests.
	req.SortBy([]string{"-_score", "_id"})
	for _, fs := range ix.plan.facets {
		if inScope(fs.datasets, schemas) {
			req.AddFacet(fs.name, bleve.NewFacetRequest(fs.property, fs.size))
		}
	}
	if text != nil {
		req.Highlight = bleve.NewHighlightWithStyle(html.Name)
		req.Highlight.Fields = ix.plan.highlighted
	}
	return req, nil
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
	var out []query.Query
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

package search

import (
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// facetAmount is the facet of fixed amount buckets, counted on fieldMoney.
const facetAmount = "amount_range"

// Bucket is one fixed amount range of the amount facet, in sen: Min
// inclusive, Max exclusive, nil when open.
type Bucket struct {
	Name     string
	Min, Max *int64
}

func sen(rupiah int64) *int64 { v := rupiah * 100; return &v }

// AmountBuckets are the ranges citizens read budgets and contracts in:
// below Rp 50 juta, 50–200 juta (the direct-procurement ceiling), 200 juta
// to 1 miliar, 1–10 miliar and above 10 miliar.
var AmountBuckets = []Bucket{
	{Name: "<50jt", Max: sen(50_000_000)},
	{Name: "50jt-200jt", Min: sen(50_000_000), Max: sen(200_000_000)},
	{Name: "200jt-1M", Min: sen(200_000_000), Max: sen(1_000_000_000)},
	{Name: "1M-10M", Min: sen(1_000_000_000), Max: sen(10_000_000_000)},
	{Name: ">10M", Min: sen(10_000_000_000)},
}

// rupiahOf turns a bound in sen into the float rupiah fieldMoney holds.
func rupiahOf(v *int64) *float64 {
	if v == nil {
		return nil
	}
	f := float64(*v) / 100
	return &f
}

// amountFacet counts matching records per bucket.
func amountFacet() *bleve.FacetRequest {
	fr := bleve.NewFacetRequest(fieldMoney, len(AmountBuckets))
	for _, b := range AmountBuckets {
		fr.AddNumericRange(b.Name, rupiahOf(b.Min), rupiahOf(b.Max))
	}
	return fr
}

// rangeFilters returns the amount and date range restrictions of q.
func rangeFilters(q Query) []query.Query {
	var out []query.Query
	if q.MinAmount != nil || q.MaxAmount != nil {
		incl := true
		nq := bleve.NewNumericRangeInclusiveQuery(rupiahOf(q.MinAmount), rupiahOf(q.MaxAmount), &incl, &incl)
		nq.SetField(fieldMoney)
		out = append(out, nq)
	}
	if !q.DateFrom.IsZero() || !q.DateTo.IsZero() {
		incl := true
		var from, to time.Time
		if !q.DateFrom.IsZero() {
			from = q.DateFrom
		}
		if !q.DateTo.IsZero() {
			to = q.DateTo
		}
		dq := bleve.NewDateRangeInclusiveQuery(from, to, &incl, &incl)
		dq.SetField(fieldDate)
		out = append(out, dq)
	}
	return out
}

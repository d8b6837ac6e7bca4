package search

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

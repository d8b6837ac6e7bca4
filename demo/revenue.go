package demo

import (
	"math/rand/v2"
	"strconv"
)

// seasons gives each levy's typical monthly pattern of receipts (relative
// weights, January first). PBB-P2 is paid before its due date at the end of
// August or September; BPHTB follows property deals, which bunch at year
// end; billboard permits are renewed early in the year; the hospitality
// taxes are paid the month after the sales, so December trade shows in
// January. Vehicle registrations (BBNKB) peak before Lebaran and at year
// end; the cigarette tax, collected by customs, reaches provinces each
// quarter. Anything not listed comes in evenly.
var seasons = map[string][12]float64{
	"PKB":     {8.5, 8, 8.5, 8, 8.5, 8, 8.5, 8.5, 8, 8.5, 8.5, 9},
	"BBNKB":   {7.5, 7.5, 9, 8, 8, 8, 8.5, 8, 8, 8.5, 8.5, 10},
	"PROKOK":  {0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1},
	"PBB-P2":  {1, 2, 3, 5, 6, 7, 9, 22, 25, 8, 6, 6},
	"BPHTB":   {6, 6, 8, 7, 8, 9, 8, 8, 9, 9, 9, 13},
	"REKLAME": {14, 11, 10, 8, 7, 7, 7, 7, 7, 7, 7, 8},
	"PBJT-MM": {10, 8, 8, 8.5, 9, 8, 8.5, 8, 8, 8, 8, 8.5},
	"PBJT-PH": {10, 7, 7.5, 8, 9, 8.5, 9, 8, 8, 8, 8, 9},
	"PBJT-KS": {10, 7, 7.5, 7, 8.5, 8.5, 9, 8.5, 8, 8.5, 8.5, 9},
	"RPT-PBG": {5, 7, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9},
}

// realisedMonths is how many months of an open year have been collected:
// the demo shows years in progress as of 31 October.
const realisedMonths = 10

// writeRevenue writes, per levy, the annual line (period 0: target and what
// came in) and the twelve monthly lines (a twelfth of the target each, and
// the month's receipts). The annual target and receipts are the budget's.
func writeRevenue(rw *rowWriter, p *plan, rng *rand.Rand) error {
	type row struct {
		target, realised int64
		hasRealised      bool
	}
	table := make([][13]row, len(p.levies))
	for i, t := range p.levies {
		months := 12
		annual := t.realised
		if p.spec.Open {
			months = realisedMonths
			annual = jitter(rng, t.amended, 0.9, 1.08) // expected for the full year
		}
		season, ok := seasons[t.levy.Code]
		if !ok {
			season = even
		}
		monthly := spread(rng, annual, season)
		sum := int64(0)
		for m := range months {
			table[i][m+1] = row{realised: monthly[m], hasRealised: true}
			sum += monthly[m]
		}
		table[i][0] = row{target: t.amended, realised: sum, hasRealised: true}
		twelfth := roundTo(t.amended/12, 100)
		for m := 1; m <= 12; m++ {
			table[i][m].target = twelfth
		}
		table[i][12].target = t.amended - 11*twelfth
	}
	for period := range 13 {
		for i, t := range p.levies {
			r := table[i][period]
			rw.set("period", strconv.Itoa(period))
			rw.set("kind", t.levy.Kind)
			rw.set("type_code", t.levy.Code)
			rw.set("type_name", t.levy.Name)
			rw.set("account_code", t.levy.AccountCode)
			rw.set("target", money(r.target))
			if r.hasRealised {
				rw.set("realized", money(r.realised))
			}
			if err := rw.write(); err != nil {
				return err
			}
		}
	}
	return nil
}

// even is the season of receipts that come in evenly.
var even = [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}

// spread splits an annual amount (sen) over twelve months following a
// seasonal pattern with some month-to-month noise; the months add up to the
// annual amount exactly, to the rupiah. Months of weight 0 get nothing.
func spread(rng *rand.Rand, annual int64, season [12]float64) [12]int64 {
	var w [12]float64
	total := 0.0
	for m := range w {
		w[m] = season[m] * lognormal(rng, 0.12)
		total += w[m]
	}
	var out [12]int64
	left := annual
	for m := range 11 {
		out[m] = roundTo(int64(float64(annual)*w[m]/total), 100)
		left -= out[m]
	}
	out[11] = left
	return out
}

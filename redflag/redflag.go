// Package redflag computes the risk indicators of procurement packages
// that journalists look for (issue 17): one bid, a contract at or above
// the owner's estimate (HPS), a suspiciously low bid, direct procurement at
// its legal ceiling, packages split to stay under it, unusually short
// tenders, one supplier winning an agency's packages, and year-end rushes.
//
// A flag is not proof of wrongdoing: it marks a package worth a second
// look. Each comes with the figures behind it (Finding.Why), so a reader
// can check it, and each threshold is a named constant with its reason.
// The rules are pure: Check sees only the packages it is given, and the
// same packages always get the same flags.
package redflag

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Flag names a risk indicator; the names are what the Parquet column, the
// search facet and the API carry.
type Flag string

// The flags, in the order a package's flags are listed.
const (
	SingleBidder        Flag = "single_bidder"
	ContractNearHPS     Flag = "contract_near_hps"
	ContractAboveHPS    Flag = "contract_above_hps"
	LowBid              Flag = "low_bid"
	DirectOverThreshold Flag = "direct_over_threshold"
	PossibleSplitting   Flag = "possible_splitting"
	ShortTender         Flag = "short_tender"
	RepeatWinner        Flag = "repeat_winner"
	YearEnd             Flag = "year_end"
)

// Flags lists every flag in order.
var Flags = []Flag{SingleBidder, ContractNearHPS, ContractAboveHPS, LowBid, DirectOverThreshold, PossibleSplitting, ShortTender, RepeatWinner, YearEnd}

// Package is what the rules read of a procurement package. Money is in
// sen; a zero amount or time is unknown.
type Package struct {
	ID       string
	Agency   string
	Year     int
	Method   string // dataset.ProcurementMethods
	Category string // dataset.ProcurementCategories
	// Ceiling is the pagu, HPS the owner's estimate, Contract the
	// contract value.
	Ceiling, HPS, Contract int64
	// Bidders is the number of bids submitted; HasBidders says whether
	// it is known (a participants feed was read). Participants is how
	// many registered, 0 when unknown.
	Bidders      int
	HasBidders   bool
	Participants int
	// Supplier identifies the winner: the company's NPWP where there is
	// one, else its normalised name; "" when there is no winner yet.
	Supplier           string
	Announced, Awarded time.Time
}

// Finding is one flag of a package with the figures behind it.
type Finding struct {
	Flag Flag
	// Why holds the figures by name: amounts in sen ("hps", "contract",
	// "ceiling", "limit", "sum"), counts ("bidders", "packages", "wins"),
	// days ("days", "fence_days") and shares in basis points
	// ("share_bp").
	Why map[string]int64
}

// Thresholds, each with why it is where it is.
const (
	// nearHPSBP: a contract at 99 % of the HPS or more leaves the
	// estimate all but untouched by competition (issue 17's definition).
	nearHPSBP = 9900
	// lowBidBP: construction bids under 80 % of the HPS must have their
	// prices clarified and a larger performance bond (Peraturan LKPP
	// 12/2021 on bids below 80 % of the HPS).
	lowBidBP = 8000
	// justUnderBP: a direct procurement within 5 % under its ceiling is
	// as suspect as one over it: the ceiling decided the value.
	justUnderBP = 9500
	// splitWindow is how close in time packages must be to count as one
	// purchase split in pieces.
	splitWindow = 90 * 24 * time.Hour
	// minFencePackages: with fewer packages of a method, quartiles say
	// little and short_tender is skipped.
	minFencePackages = 20
	// fenceIQR is Tukey's lower fence, Q1 − 1.5 × IQR: the usual bound
	// of an outlier, which a reader can recompute from the quartiles.
	fenceIQR = 1.5
	// Repeat winners: a supplier winning at least repeatWins packages
	// and repeatShareBP of an agency's awarded packages in a year, among
	// at least repeatMinAwards.
	repeatWins      = 3
	repeatShareBP   = 4000
	repeatMinAwards = 5
	// yearEndFrom is the first day (of December) a package announced on
	// counts as a year-end rush: the last month of the fiscal year, when
	// unspent budget lapses.
	yearEndFrom = 1
)

// competitive methods, where one bid means no competition; in direct
// procurement one bid is the rule.
var competitive = []string{"tender", "tender cepat", "seleksi"}

// Check returns the flags of each package, by package ID, in Flags order.
// Packages without flags are absent. Rules over groups (splitting, short
// tenders, repeat winners) see the packages given, so Check is run over a
// whole release of a region, as publishing does.
func Check(pkgs []Package) map[string][]Finding {
	out := map[string][]Finding{}
	add := func(id string, f Finding) { out[id] = append(out[id], f) }
	for _, p := range pkgs {
		for _, f := range single(p) {
			add(p.ID, f)
		}
	}
	for id, f := range splitting(pkgs) {
		add(id, f)
	}
	fences := Fences(pkgs)
	for _, p := range pkgs {
		if f, ok := shortTender(p, fences); ok {
			add(p.ID, f)
		}
	}
	for id, f := range repeatWinners(pkgs) {
		add(id, f)
	}
	for _, p := range pkgs {
		if f, ok := yearEnd(p); ok {
			add(p.ID, f)
		}
	}
	for id := range out {
		slices.SortStableFunc(out[id], func(a, b Finding) int {
			return cmp.Compare(slices.Index(Flags, a.Flag), slices.Index(Flags, b.Flag))
		})
	}
	return out
}

// single returns the flags a package earns on its own figures.
func single(p Package) []Finding {
	var out []Finding
	// A package without a method whose bids are known came through a
	// tender: bids are counted from the tender participants export, and
	// LKPP's tender results leave the method out.
	if p.HasBidders && p.Bidders == 1 && (slices.Contains(competitive, p.Method) || p.Method == "") {
		why := map[string]int64{"bidders": 1}
		if p.Participants > 0 {
			why["participants"] = int64(p.Participants)
		}
		out = append(out, Finding{SingleBidder, why})
	}
	if p.Contract > 0 {
		switch {
		case p.HPS > 0 && p.Contract > p.HPS, p.Ceiling > 0 && p.Contract > p.Ceiling:
			out = append(out, Finding{ContractAboveHPS, figures(p)})
		case p.HPS > 0 && p.Contract*10000 >= p.HPS*nearHPSBP:
			out = append(out, Finding{ContractNearHPS, figures(p)})
		}
		if p.Category == "pekerjaan konstruksi" && p.HPS > 0 && p.Contract*10000 < p.HPS*lowBidBP {
			out = append(out, Finding{LowBid, figures(p)})
		}
	}
	if p.Method == "pengadaan langsung" {
		if c, ok := DirectCeiling(p.Category, p.date()); ok {
			if v := p.value(); v > 0 && v*10000 >= c.Limit*justUnderBP {
				why := map[string]int64{"value": v, "limit": c.Limit, "since": c.From.Unix()}
				out = append(out, Finding{DirectOverThreshold, why})
			}
		}
	}
	return out
}

// figures are the amounts a money flag is judged on.
func figures(p Package) map[string]int64 {
	why := map[string]int64{"contract": p.Contract}
	if p.HPS > 0 {
		why["hps"] = p.HPS
	}
	if p.Ceiling > 0 {
		why["ceiling"] = p.Ceiling
	}
	return why
}

// value is what a direct procurement's ceiling applies to: the HPS, or
// failing it the pagu, or the contract.
func (p Package) value() int64 {
	return cmp.Or(p.HPS, p.Ceiling, p.Contract)
}

// date is when the package was decided: announced, else awarded.
func (p Package) date() time.Time {
	if !p.Announced.IsZero() {
		return p.Announced
	}
	return p.Awarded
}

// splitting flags direct procurements of one agency from one supplier,
// each under its ceiling, that within splitWindow of each other add up to
// more than it: one purchase bought in pieces to avoid a tender.
func splitting(pkgs []Package) map[string]Finding {
	type key struct {
		agency, supplier string
		limit            int64
	}
	groups := map[key][]Package{}
	for _, p := range pkgs {
		if p.Method != "pengadaan langsung" || p.Supplier == "" || p.date().IsZero() {
			continue
		}
		c, ok := DirectCeiling(p.Category, p.date())
		if !ok || p.value() <= 0 || p.value() > c.Limit {
			continue
		}
		k := key{p.Agency, p.Supplier, c.Limit}
		groups[k] = append(groups[k], p)
	}
	out := map[string]Finding{}
	for k, g := range groups {
		slices.SortFunc(g, func(a, b Package) int {
			return cmp.Or(a.date().Compare(b.date()), cmp.Compare(a.ID, b.ID))
		})
		for i := range g {
			// The packages within splitWindow after g[i].
			j, sum := i, int64(0)
			for j < len(g) && g[j].date().Sub(g[i].date()) <= splitWindow {
				sum += g[j].value()
				j++
			}
			if j-i < 2 || sum <= k.limit {
				continue
			}
			for _, p := range g[i:j] {
				if _, done := out[p.ID]; !done {
					out[p.ID] = Finding{PossibleSplitting, map[string]int64{"packages": int64(j - i), "sum": sum, "limit": k.limit}}
				}
			}
		}
	}
	return out
}

// Fence is the lower fence of announcement-to-award days of a method:
// Q1 − 1.5 × (Q3 − Q1) over its packages with both dates.
type Fence struct {
	Method     string
	Packages   int
	Q1, Q3     float64
	Days       float64
	Applicable bool // false when fewer than minFencePackages or Q3 = Q1
}

// Fences returns the fence of each competitive method, in method order;
// they are published with the flags, so a reader can check them.
func Fences(pkgs []Package) []Fence {
	var out []Fence
	for _, m := range competitive {
		var days []float64
		for _, p := range pkgs {
			if p.Method == m && !p.Announced.IsZero() && !p.Awarded.IsZero() {
				days = append(days, daysBetween(p.Announced, p.Awarded))
			}
		}
		f := Fence{Method: m, Packages: len(days)}
		if len(days) > 0 {
			slices.Sort(days)
			f.Q1, f.Q3 = quantile(days, 0.25), quantile(days, 0.75)
			f.Days = f.Q1 - fenceIQR*(f.Q3-f.Q1)
			f.Applicable = len(days) >= minFencePackages && f.Q3 > f.Q1
		}
		out = append(out, f)
	}
	return out
}

func shortTender(p Package, fences []Fence) (Finding, bool) {
	if p.Announced.IsZero() || p.Awarded.IsZero() {
		return Finding{}, false
	}
	i := slices.IndexFunc(fences, func(f Fence) bool { return f.Method == p.Method })
	if i < 0 || !fences[i].Applicable {
		return Finding{}, false
	}
	d := daysBetween(p.Announced, p.Awarded)
	if d >= fences[i].Days {
		return Finding{}, false
	}
	// Days are whole, so "fewer than the fence" is "fewer than the fence
	// rounded up": the figure shown is exact.
	return Finding{ShortTender, map[string]int64{"days": int64(d), "fence_days": int64(math.Ceil(fences[i].Days)), "packages": int64(fences[i].Packages)}}, true
}

// daysBetween counts calendar days from a's date to b's, each in its own
// time zone: an award the day after the announcement took 1 day, whatever
// the hours (feeds give the award as a date).
func daysBetween(a, b time.Time) float64 {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return db.Sub(da).Hours() / 24
}

// quantile is the q-quantile of sorted xs, interpolating between ranks
// (the method of DuckDB's quantile_cont, so a reader can recompute it).
func quantile(xs []float64, q float64) float64 {
	pos := q * float64(len(xs)-1)
	lo := int(pos)
	if lo+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[lo] + (pos-float64(lo))*(xs[lo+1]-xs[lo])
}

// repeatWinners flags the packages a supplier won of an agency in a year
// when it won an unusual share of them.
func repeatWinners(pkgs []Package) map[string]Finding {
	type key struct {
		agency string
		year   int
	}
	awards := map[key]map[string][]string{} // supplier → package IDs
	totals := map[key]int{}
	for _, p := range pkgs {
		if p.Supplier == "" {
			continue
		}
		k := key{p.Agency, p.Year}
		if awards[k] == nil {
			awards[k] = map[string][]string{}
		}
		awards[k][p.Supplier] = append(awards[k][p.Supplier], p.ID)
		totals[k]++
	}
	out := map[string]Finding{}
	for k, bySupplier := range awards {
		n := totals[k]
		if n < repeatMinAwards {
			continue
		}
		for _, ids := range bySupplier {
			share := int64(len(ids)) * 10000 / int64(n)
			if len(ids) < repeatWins || share < repeatShareBP {
				continue
			}
			for _, id := range ids {
				out[id] = Finding{RepeatWinner, map[string]int64{"wins": int64(len(ids)), "packages": int64(n), "share_bp": share}}
			}
		}
	}
	return out
}

// yearEnd flags a package announced in the last month of its fiscal year.
func yearEnd(p Package) (Finding, bool) {
	if p.Announced.IsZero() || p.Year == 0 {
		return Finding{}, false
	}
	a := p.Announced
	if a.Year() != p.Year || a.Month() != time.December || a.Day() < yearEndFrom {
		return Finding{}, false
	}
	end := time.Date(p.Year+1, time.January, 1, 0, 0, 0, 0, a.Location())
	return Finding{YearEnd, map[string]int64{"days": int64(end.Sub(a).Hours() / 24)}}, true
}

// Thresholds are the values the rules judge by, as a page explaining
// them (/metodologi/tanda-risiko) shows them: read from the rules' own
// constants, so the explanation cannot drift from the rules.
type Thresholds struct {
	// NearHPSBP: contract_near_hps from a contract at this share of the
	// HPS, in basis points.
	NearHPSBP int64
	// LowBidBP: low_bid under this share of the HPS, in basis points.
	LowBidBP int64
	// JustUnderBP: direct_over_threshold from a value at this share of
	// the ceiling, in basis points.
	JustUnderBP int64
	// SplitWindowDays: possible_splitting adds up packages this many days
	// apart at most.
	SplitWindowDays int
	// MinFencePackages: short_tender needs this many packages of a method
	// with both dates; FenceIQR is the multiple of the interquartile range
	// the fence lies below Q1 (as Fences computes it).
	MinFencePackages int
	FenceIQR         float64
	// RepeatWins, RepeatShareBP, RepeatMinAwards: repeat_winner needs this
	// many wins and this share (basis points) of an agency's awarded
	// packages in a year, among at least RepeatMinAwards.
	RepeatWins      int
	RepeatShareBP   int64
	RepeatMinAwards int
	// YearEndFrom: year_end from this day of December.
	YearEndFrom int
	// Competitive are the methods where one bid means no competition.
	Competitive []string
}

// Rules returns the thresholds of the rules.
func Rules() Thresholds {
	return Thresholds{
		NearHPSBP:        nearHPSBP,
		LowBidBP:         lowBidBP,
		JustUnderBP:      justUnderBP,
		SplitWindowDays:  int(splitWindow / (24 * time.Hour)),
		MinFencePackages: minFencePackages,
		FenceIQR:         fenceIQR,
		RepeatWins:       repeatWins,
		RepeatShareBP:    repeatShareBP,
		RepeatMinAwards:  repeatMinAwards,
		YearEndFrom:      yearEndFrom,
		Competitive:      slices.Clone(competitive),
	}
}

package demo

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/terbuka/terbuka/dataset"
)

// Publishing marks procurement packages with red flags (package redflag,
// which the demo does not import: its rules are described here in
// words). Drawn as award draws them, the demo's packages earn some flags
// often (a contract at 99 % of the HPS, one bid, a direct purchase just
// under its ceiling) but never a bid under 80 % of a construction HPS, a
// contract above its HPS or a tender awarded unusually fast, and hardly
// ever a December announcement, all of which real data has. A few
// packages get such figures once selected (flagFigures), from a stream of
// their own per package, so that every other package, and every other
// feed, keeps the figures the ordinary streams gave it.
//
// The shares below are of the packages a figure can apply to; one draw
// per package picks at most one of them.
const (
	// fastShare of awarded tenders (tender, tender cepat, seleksi) were
	// awarded within days of their announcement (fastDays), where the
	// schedule takes weeks. Publishing flags short_tender those under
	// the lower fence (Q1 − 1.5 × IQR) of the announcement-to-award days
	// of their method, region and year: in the default demo about half
	// of them, 1–3 % of the tenders the fence applies to.
	fastShare = 0.03
	// lowBidShare of awarded construction tenders were won by a bid under
	// 80 % of the HPS, which Peraturan LKPP 12/2021 makes the committee
	// clarify (low_bid): a few per cent of construction tenders, as in
	// LKPP's data.
	lowBidShare = 0.035
	// addendumShare of awarded direct procurements (pengadaan and
	// penunjukan langsung) had their contract raised by an addendum above
	// the HPS, within the 10 % Perpres 16/2018 ps. 54 allows
	// (contract_above_hps): rare, 0.2–0.5 % of all awarded packages.
	// Tenders keep theirs: a bid above the HPS fails the price evaluation
	// (reason), and the participants feed gives a tender's contract value
	// as its winning bid.
	addendumShare = 0.008
	// decemberShare of a closed year's direct procurements were announced
	// in December, when unspent budget is about to lapse (year_end); a
	// tender announced then could hardly be signed within the year. The year
	// in progress has none: its data stop at 31 October.
	decemberShare = 0.006
)

// fastDays bound the calendar days from announcement to award of a
// fast-tracked package by method, before a weekend award moves to Monday
// (the schedule's own ranges are 18–40 days for a tender, 25–55 for a
// selection, 7–15 for a quick tender).
var fastDays = map[string][2]int{"tender": {1, 4}, "seleksi": {2, 8}, "tender cepat": {1, 2}}

// flagFigures gives package k, once selected and before the year in
// progress is cut at 31 October (asOf), the figures of a red flag, if its
// own draw says so: a fast-tracked award, a low winning bid, a contract
// raised above its HPS or a December announcement. A package that was not
// awarded is left alone, as is, in the year in progress, one whose award
// the cut would hide: moving its dates could show it. The contract before
// the change is kept in k.drawn, for the participants' feed.
func (p *plan) flagFigures(k *pkg) {
	if k.contract == 0 || k.awarded.IsZero() || k.contracted.IsZero() || k.announced.IsZero() {
		return
	}
	rng := newRand(p.spec.Seed, "procurement-flags", p.region.Code, itoa(p.spec.Year), strconv.FormatInt(k.rup, 10), k.tender)
	x := rng.Float64()
	switch {
	case competitive(k.method) && x < fastShare:
		if !p.spec.Open || !k.contracted.After(cutOff(p.spec.Year)) {
			d := fastDays[k.method]
			k.redate(k.announced, d[0]+rng.IntN(d[1]-d[0]+1), p.spec.Year)
		}
	case competitive(k.method) && k.category == konstruksi && x < fastShare+lowBidShare:
		// Every other bid is 80–105 % of the HPS: the low bid wins.
		k.drawn, k.contract = k.contract, price(rng, k.hps, 0.65, 0.795)
	case k.method != "pengadaan langsung" && k.method != penunjukan:
	case x < addendumShare:
		k.drawn, k.contract = k.contract, price(rng, k.contract, 1.06, 1.10)
	case !p.spec.Open && x < addendumShare+decemberShare:
		day := time.Date(p.spec.Year, 12, 1+rng.IntN(10), 0, 0, 0, 0, dataset.WIB)
		k.redate(workday(day).Add(clock(k.announced)), daysApart(k.announced, k.awarded), p.spec.Year)
	}
}

// redate moves a package to an announcement at a and an award gap days
// later (a workday), keeping the days from award to contract; like
// schedule, it moves the three dates back together when the contract
// would be signed after 28 December.
func (k *pkg) redate(a time.Time, gap, year int) {
	sign := daysApart(k.awarded, k.contracted)
	k.awarded = workday(midnight(a).AddDate(0, 0, gap))
	k.contracted = workday(k.awarded.AddDate(0, 0, sign))
	if limit := time.Date(year, 12, 28, 0, 0, 0, 0, dataset.WIB); k.contracted.After(limit) {
		back := k.contracted.Sub(limit)
		a, k.awarded, k.contracted = a.Add(-back), k.awarded.Add(-back), limit
	}
	k.announced = a
}

// price is x scaled by a factor in [lo, hi], keeping its sen about half the
// time, as prices does.
func price(rng *rand.Rand, x int64, lo, hi float64) int64 {
	v := jitter(rng, x, lo, hi)
	if rng.IntN(2) == 0 {
		v = roundTo(v, 100)
	}
	return max(v, 100)
}

// midnight is the start of t's day in WIB.
func midnight(t time.Time) time.Time {
	t = t.In(dataset.WIB)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, dataset.WIB)
}

// clock is the time of day of t.
func clock(t time.Time) time.Duration { return t.Sub(midnight(t)) }

// daysApart counts the calendar days from a's day to b's.
func daysApart(a, b time.Time) int { return int(midnight(b).Sub(midnight(a)).Hours()/24 + 0.5) }

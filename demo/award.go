package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/terbuka/terbuka/dataset"
)

// ids hands out package ids the way the national systems do: SIRUP plan ids
// (kode RUP) are 8-digit numbers from one national sequence, so a region's
// ids rise with gaps; SPSE tender and non-tender ids are a per-LPSE
// sequence followed by the LPSE's own number.
type ids struct {
	rng               *rand.Rand
	rup               int64
	tender, nontender int
	lpse              string
}

func newIDs(rng *rand.Rand, p *plan) *ids {
	y := p.spec.Year
	era := int64(((y-2022)%8 + 8) % 8)
	return &ids{
		rng:       rng,
		rup:       30_000_000 + era*8_000_000 + rng.Int64N(3_000_000),
		tender:    max(2000+(y-2020)*1500, 100) + rng.IntN(500),
		nontender: max(1000+(y-2020)*1200, 100) + rng.IntN(300),
		lpse:      itoa(p.lpse),
	}
}

func (i *ids) nextRUP() int64 { i.rup += 1 + i.rng.Int64N(2500); return i.rup }

func (i *ids) next(method string) string {
	switch method {
	case "tender", "tender cepat", "seleksi":
		i.tender += 1 + i.rng.IntN(4)
		return itoa(i.tender) + i.lpse
	case "pengadaan langsung", penunjukan:
		i.nontender += 1 + i.rng.IntN(4)
		return itoa(i.nontender) + i.lpse
	}
	return ""
}

// competitive reports whether a method runs a public competition.
func competitive(method string) bool {
	return method == "tender" || method == "tender cepat" || method == "seleksi"
}

// award runs a package through selection: dates, prices, bidders, winner
// and status; a few get the figures of a red flag (flagFigures). A failed
// tender is usually re-tendered under the same plan id, which is why the
// procurement key is (package_id, tender_id).
func (p *plan) award(rng *rand.Rand, k *pkg, ids *ids) []*pkg {
	p.run(rng, k, ids)
	out := []*pkg{k}
	switch r := rng.Float64(); {
	case k.dropped:
		k.fail("batal")
	case competitive(k.method) && r < 0.05:
		k.fail("gagal")
		k.bidders = rng.IntN(3)
		if rng.Float64() < 0.7 {
			again := *k
			p.run(rng, &again, ids)
			// The re-tender is announced a month or so after the failure
			// and must still be signed within the year.
			shift := k.announced.AddDate(0, 0, 30+rng.IntN(15)).Sub(again.announced)
			if shift > 0 {
				again.announced = again.announced.Add(shift)
				again.awarded, again.contracted = again.awarded.Add(shift), again.contracted.Add(shift)
			}
			if !again.contracted.After(time.Date(p.spec.Year, 12, 28, 0, 0, 0, 0, dataset.WIB)) {
				out = append(out, &again)
			}
		}
	case competitive(k.method) && r < 0.07, k.method == "pengadaan langsung" && r < 0.01:
		k.fail("batal")
	}
	for _, o := range out {
		p.flagFigures(o)
	}
	if p.spec.Open {
		for _, o := range out {
			o.asOf(cutOff(p.spec.Year))
		}
	}
	return out
}

// run schedules and prices a package and picks its winner.
func (p *plan) run(rng *rand.Rand, k *pkg, ids *ids) {
	k.status = "selesai"
	k.announced, k.awarded, k.contracted = schedule(rng, k.method, p.spec.Year, k.late)
	k.tender = ids.next(k.method)
	k.hps, k.contract = prices(rng, k.method, k.pagu)
	switch k.method {
	case "tender":
		k.bidders = 3 + rng.IntN(32)
		if k.category == konstruksi {
			k.bidders = 8 + rng.IntN(62)
		}
	case "tender cepat":
		k.bidders = 3 + rng.IntN(18)
	case "seleksi":
		k.bidders = 3 + rng.IntN(10)
	case "pengadaan langsung", penunjukan:
		k.bidders = 1
	}
	k.supplier = nil
	if k.method != swakelola && k.method != dikecualikan {
		pool := p.suppliers[k.kind]
		// A few firms win most packages, as in real regional markets.
		k.supplier = &pool[int(float64(len(pool))*math.Pow(rng.Float64(), 1.8))]
	}
}

// fail marks a package as failed or cancelled: nobody was awarded.
func (k *pkg) fail(status string) {
	k.status = status
	k.awarded, k.contracted = time.Time{}, time.Time{}
	k.contract, k.supplier = 0, nil
	if status == "batal" {
		k.bidders = 0
	}
}

// cutOff is when the data of a year in progress stop: 31 October.
func cutOff(year int) time.Time { return time.Date(year, 10, 31, 23, 59, 59, 0, dataset.WIB) }

// asOf turns a finished package into what the portal shows on 31 October
// of a year still in progress: later packages are only planned, packages
// announced but not yet signed are being evaluated.
func (k *pkg) asOf(t time.Time) {
	ref := k.announced
	if ref.IsZero() {
		ref = k.contracted
	}
	switch {
	case ref.IsZero():
	case ref.After(t):
		k.status, k.announced, k.awarded, k.contracted = "direncanakan", time.Time{}, time.Time{}, time.Time{}
		k.tender, k.hps, k.contract, k.supplier, k.bidders = "", 0, 0, nil, 0
	case k.status == "gagal" || k.status == "batal":
		if ref.AddDate(0, 0, 20).After(t) {
			k.status = "evaluasi"
		}
	case !k.contracted.IsZero() && !k.contracted.After(t):
		k.status = "berkontrak"
		days := 90
		if k.method == "pengadaan langsung" || k.method == "e-purchasing" || k.method == dikecualikan {
			days = 30
		} else if k.category == konstruksi {
			days = 150
		}
		if !k.contracted.AddDate(0, 0, days).After(t) {
			k.status = "selesai"
		}
	case k.method == swakelola:
		k.status = "diumumkan"
		if !k.announced.AddDate(0, 0, 120).After(t) {
			k.status = "selesai"
		}
	default:
		k.status = "diumumkan"
		if !k.announced.AddDate(0, 0, 7).After(t) {
			k.status = "evaluasi"
		}
		k.awarded, k.contracted, k.contract, k.supplier = time.Time{}, time.Time{}, 0, nil
	}
}

// schedule draws the dates of a package within its year: tenders are
// announced mostly in the first half, direct purchases all year, packages
// of the amended budget from October; the contract follows the award.
func schedule(rng *rand.Rand, method string, year int, late bool) (announced, awarded, contracted time.Time) {
	jan1 := time.Date(year, 1, 1, 0, 0, 0, 0, dataset.WIB)
	day := func(lo, hi int, skew float64) time.Time {
		return workday(jan1.AddDate(0, 0, lo+int(float64(hi-lo)*math.Pow(rng.Float64(), skew))))
	}
	if late {
		if method == "e-purchasing" || method == dikecualikan {
			return time.Time{}, time.Time{}, day(280, 340, 1)
		}
		announced = day(277, 315, 1)
	}
	var gap, sign [2]int
	switch method {
	case "e-purchasing", dikecualikan:
		return time.Time{}, time.Time{}, day(5, 340, 1.1)
	case swakelola:
		return day(2, 75, 1).Add(9 * time.Hour), time.Time{}, time.Time{}
	case "tender", "seleksi":
		gap, sign = [2]int{18, 40}, [2]int{3, 14}
		if method == "seleksi" {
			gap = [2]int{25, 55}
		}
		if announced.IsZero() {
			announced = day(9, 290, 1.6)
		}
	case "tender cepat":
		gap, sign = [2]int{7, 15}, [2]int{3, 10}
		if announced.IsZero() {
			announced = day(9, 290, 1.6)
		}
	default: // pengadaan langsung, penunjukan langsung
		gap, sign = [2]int{2, 7}, [2]int{1, 5}
		if announced.IsZero() {
			announced = day(5, 325, 1.2)
		}
	}
	awarded = workday(announced.AddDate(0, 0, gap[0]+rng.IntN(gap[1]-gap[0]+1)))
	contracted = workday(awarded.AddDate(0, 0, sign[0]+rng.IntN(sign[1]-sign[0]+1)))
	if limit := time.Date(year, 12, 28, 0, 0, 0, 0, dataset.WIB); contracted.After(limit) {
		back := contracted.Sub(limit)
		announced, awarded, contracted = announced.Add(-back), awarded.Add(-back), limit
	}
	announced = announced.Add(time.Duration(8+rng.IntN(8))*time.Hour + time.Duration(15*rng.IntN(4))*time.Minute)
	return announced, awarded, contracted
}

// workday moves a weekend date to the next Monday.
func workday(t time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		return t.AddDate(0, 0, 2)
	case time.Sunday:
		return t.AddDate(0, 0, 1)
	}
	return t
}

// prices sets the owner's estimate (HPS) and the contract value: the HPS is
// 95–100% of the ceiling, tenders close at 80–98% of it, direct purchases
// close to it; catalogue orders have no HPS. Contract values keep the sen
// of the winning bid about half the time.
func prices(rng *rand.Rand, method string, pagu int64) (hps, contract int64) {
	lo, hi := 0.0, 0.0
	switch method {
	case "tender":
		hps, lo, hi = jitter(rng, pagu, 0.95, 1), 0.80, 0.98
	case "tender cepat":
		hps, lo, hi = jitter(rng, pagu, 0.95, 1), 0.85, 0.98
	case "seleksi":
		hps, lo, hi = jitter(rng, pagu, 0.96, 1), 0.88, 0.99
	case "pengadaan langsung":
		hps, lo, hi = jitter(rng, pagu, 0.97, 1), 0.95, 0.995
	case penunjukan:
		hps, lo, hi = jitter(rng, pagu, 0.97, 1), 0.97, 1
	case "e-purchasing":
		return 0, roundTo(jitter(rng, pagu, 0.85, 1), 100)
	case dikecualikan:
		return 0, roundTo(jitter(rng, pagu, 0.9, 1), 100)
	default:
		return 0, 0
	}
	hps = max(roundTo(hps, 1e5), 1e5)
	contract = jitter(rng, hps, lo, hi)
	if rng.IntN(2) == 0 {
		contract = roundTo(contract, 100)
	}
	return hps, max(contract, 100)
}

package demo

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// A plan is what one region does in one year, decided before any feed is
// written: its agencies, villages, suppliers, total spending, tax targets and
// construction projects. The budget, procurement and revenue feeds all read
// the same plan, so a road in the budget is tendered in procurement and a
// tax target in revenue equals the budget's revenue line. The plan has its
// own random streams (one per region, one per region-year), so each feed
// file stays reproducible on its own.
type plan struct {
	spec          Spec
	region        *dataset.Region
	name, short   string
	kota          bool
	districtLabel string
	villageLabel  string
	districts     []district
	agencies      []*agency
	suppliers     [kinds][]supplier
	lpse          int
	// spending is the total expenditure of the original budget, in sen.
	spending int64
	levies   []levyTarget
	income   []incomeLine
	projects []*project
}

// district is a kecamatan (distrik in Papua) with some of its villages.
type district struct {
	name     string
	villages []string
}

// levyTarget is a tax or levy the region collects, with its targets in the
// original and amended budget and what came in (closed years), in sen.
type levyTarget struct {
	levy                        dataset.Levy
	agency                      *agency
	original, amended, realised int64
}

// incomeLine is a revenue line of the budget other than a tax or levy.
type incomeLine struct {
	agency                      *agency
	acct, desc                  string
	original, amended, realised int64
}

// class is a spending class of the budget with its share of the total.
type class int

const (
	personnel class = iota
	goods
	capital
	grants
	unforeseen
	transfers
	classes
)

// classShare splits total spending by class for regencies (0) and cities (1),
// roughly as regional budgets do: a third on staff, village transfers only
// in regencies.
var classShare = [2][classes]float64{
	{0.35, 0.28, 0.21, 0.035, 0.005, 0.12},
	{0.34, 0.34, 0.27, 0.04, 0.01, 0},
}

// newPlan decides a region's year from the spec's seed, region and year.
func newPlan(s Spec) *plan {
	r := s.Region
	p := &plan{spec: s, region: r, name: strings.TrimSpace(r.Name), kota: r.Kind == "kota"}
	p.short = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(p.name, "Kabupaten "), "Kota "))
	p.districtLabel, p.villageLabel = labels(r)
	place := newRand(s.Seed, "place", r.Code)
	p.districts = districts(place, r, s.Scale)
	p.agencies = agencies(p)
	p.lpse = 100 + place.IntN(900)
	for k := range kinds {
		n := [kinds]int{contractor: 45, consultant: 12, vendor: 30, service: 15}[k]
		seen := map[string]bool{}
		for len(p.suppliers[k]) < n {
			name := firmName(place, k)
			if !seen[name] {
				seen[name] = true
				p.suppliers[k] = append(p.suppliers[k], supplier{name, companyTaxID(place, r.ProvinceCode)})
			}
		}
	}
	year := newRand(s.Seed, "plan", r.Code, itoa(s.Year))
	p.spending = spending(r, p.kota, s.Year, year)
	p.planIncome(year)
	p.planProjects(year)
	return p
}

// labels returns what districts and villages are called in a region.
func labels(r *dataset.Region) (district, village string) {
	district, village = "Kecamatan", "Desa"
	switch {
	case r.Kind == "kota":
		village = "Kelurahan"
	case r.ProvinceCode == "11":
		village = "Gampong"
	case r.ProvinceCode == "13":
		village = "Nagari"
	case r.ProvinceCode == "34":
		village = "Kalurahan"
	}
	if strings.HasPrefix(r.ProvinceCode, "9") {
		district = "Distrik"
		if r.Kind != "kota" {
			village = "Kampung"
		}
	}
	return district, village
}

// districts returns the region's districts with invented villages: real
// district names for the curated pool, invented ones elsewhere.
func districts(rng *rand.Rand, r *dataset.Region, scale float64) []district {
	var names []string
	for _, c := range curated {
		if c.code == r.Code {
			names = c.districts
		}
	}
	style := nameStyle(r.ProvinceCode)
	taken := map[string]bool{}
	for _, n := range names {
		taken[n] = true
	}
	if names == nil {
		names = uniqueNames(rng, style, 6+int(math.Sqrt(float64(r.Population)/8000)), taken)
	}
	out := make([]district, len(names))
	for i, n := range names {
		// Village names repeat across districts, as they do in Indonesia;
		// within a district they are distinct.
		k := max(1, int(math.Round(float64(2+rng.IntN(3))*math.Min(scale, 2))))
		out[i] = district{name: n, villages: uniqueNames(rng, style, k, map[string]bool{n: true})}
	}
	return out
}

// spending estimates a region's total expenditure in sen from its
// population, close to published APBD sizes: a fixed cost of government plus
// Rp 2.6 million per head in cities (Kota Bandung, 2.5 million people,
// about Rp 7 trillion) and Rp 1.7 million per head in regencies, more in
// Papua (special autonomy funds, high costs), never below Rp 650 billion.
func spending(r *dataset.Region, kota bool, year int, rng *rand.Rand) int64 {
	pop := float64(max(r.Population, 20000))
	total := 600e9 + 1.7e6*pop
	if kota {
		total = 400e9 + 2.6e6*pop
	}
	if strings.HasPrefix(r.ProvinceCode, "9") {
		total *= 1.6
	}
	total = math.Max(total, 650e9) * math.Pow(1.06, float64(year-2023)) * (0.95 + 0.1*rng.Float64())
	return roundTo(int64(total*100), 1e8)
}

// separateRevenueOffice reports whether the region has its own Badan
// Pendapatan Daerah; smaller ones run revenue from the finance office.
func (p *plan) separateRevenueOffice() bool { return p.region.Population > 700000 }

// closed reports whether the plan's year is over, with everything realised.
func (p *plan) closed() bool { return !p.spec.Open }

func (p *plan) agency(code string) *agency { return find(p.agencies, code) }

func (p *plan) revenueAgency() *agency {
	if p.separateRevenueOffice() {
		return p.agency("5.02.0.00.0.00.02.0000")
	}
	return p.agency("5.02.0.00.0.00.01.0000")
}

// roundTo rounds sen to a multiple of unit.
func roundTo(sen, unit int64) int64 { return (sen + unit/2) / unit * unit }

// jitter returns x scaled by a random factor in [lo, hi].
func jitter(rng *rand.Rand, x int64, lo, hi float64) int64 {
	return int64(float64(x) * (lo + (hi-lo)*rng.Float64()))
}

// lognormal returns a positive weight with median 1.
func lognormal(rng *rand.Rand, sigma float64) float64 { return math.Exp(sigma * rng.NormFloat64()) }

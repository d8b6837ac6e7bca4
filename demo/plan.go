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
	spec        Spec
	region      *dataset.Region
	name, short string
	kota        bool
	level       level
	profile     *profile
	// districtLabel and villageLabel name the places of the region: its
	// kecamatan and desa or kelurahan; for a province, its regencies and
	// cities and their kecamatan.
	districtLabel string
	villageLabel  string
	// districts are the kecamatan of a regency or city with some of their
	// villages; for a province, its regencies and cities (members) with
	// some of their kecamatan.
	districts []district
	members   []*dataset.Region
	agencies  []*agency
	suppliers [kinds][]supplier
	lpse      int
	// spending is the total expenditure of the original budget, in sen.
	spending int64
	// shared is the part of a province's taxes its regencies and cities
	// get (bagi hasil), in sen; 0 for a regency or city.
	shared   int64
	levies   []levyTarget
	income   []incomeLine
	projects []*project
}

// district is a kecamatan (distrik in Papua) with some of its villages or,
// in a province, a regency or city with some of its kecamatan.
type district struct {
	// label is what the place is: Kecamatan, Distrik, Kabupaten or Kota.
	label, name string
	villages    []string
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

// newPlan decides a region's year from the spec's seed, region and year.
func newPlan(s Spec) *plan {
	r := s.Region
	p := &plan{spec: s, region: r, name: strings.TrimSpace(r.Name), kota: r.Kind == "kota", level: levelOf(r)}
	p.profile = &profiles[p.level]
	p.short = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(p.name, "Kabupaten "), "Kota "))
	place := newRand(s.Seed, "place", r.Code)
	p.places(place)
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
	p.spending = spending(r, p.level, s.Year, year)
	p.planIncome(year)
	p.planProjects(year)
	return p
}

// places names the region's places: a regency's or city's districts with
// some of their villages, or a province's regencies and cities with some
// of their districts.
func (p *plan) places(rng *rand.Rand) {
	p.districtLabel, p.villageLabel = labels(p.region)
	if p.level == province {
		p.name = "Provinsi " + p.short
		p.members = dataset.LoadRegions().Children(p.region.Code)
		p.districts = memberPlaces(rng, p.members, p.spec.Seed, p.spec.Scale)
		return
	}
	p.districts = districts(rng, p.region, p.spec.Scale)
	for i := range p.districts {
		p.districts[i].label = p.districtLabel
	}
}

// labels returns what districts and villages are called in a region; a
// province's places are its regencies and cities and their kecamatan.
func labels(r *dataset.Region) (district, village string) {
	district, village = "Kecamatan", "Desa"
	switch {
	case r.IsProvince():
		district, village = "Kabupaten/Kota", "Kecamatan"
		if strings.HasPrefix(r.Code, "9") {
			village = "Distrik"
		}
		return district, village
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

// separateRevenueOffice reports whether the region has its own Badan
// Pendapatan Daerah, as every province does; smaller regencies and cities
// run revenue from the finance office.
func (p *plan) separateRevenueOffice() bool {
	return p.level == province || p.region.Population > 700000
}

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

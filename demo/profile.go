package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// level is the kind of government a plan is for.
type level int

const (
	regency level = iota
	city
	province
	levels
)

// levelOf returns the level of a region's government.
func levelOf(r *dataset.Region) level {
	switch {
	case r.IsProvince():
		return province
	case r.Kind == "kota":
		return city
	}
	return regency
}

// A profile holds what differs between the levels of government: a
// regency runs primary schools and pays village funds, a province runs
// senior high schools and provincial roads, collects the vehicle taxes and
// shares them with its regencies and cities. The generator's code paths
// are the same for every level; only these parameters differ.
type profile struct {
	// share splits total spending by class.
	share [classes]float64
	// agencies, works and packages are the level's agencies, construction
	// projects and routine procurement; levies the taxes and levies it may
	// collect.
	agencies []agencyTpl
	works    []workKind
	packages []pkgTpl
	levies   []levyWeight
	// pad is own-source revenue's usual share of income, and taxes and
	// fees the shares of it from taxes and from levies; own lists the other
	// own-source lines, transfer the transfers received, as shares of
	// own-source revenue and of transfers.
	pad, taxes, fees float64
	own, transfer    []incomeShare
	// padSpread and levySpread are how much own-source revenue and the
	// weights of taxes and levies vary between regions (lognormal sigma).
	padSpread, levySpread float64
	// minPackages and maxPackages bound the procurement packages of a year
	// at scale 1.
	minPackages, maxPackages float64
	// head is the office holders elected in the regional elections.
	head string
	// scouts is the scout council of this level.
	scouts string
	// equity describes the capital some governments put into a company.
	equity string
}

// profiles are the parameters of regencies, cities and provinces. Spending
// shares follow published budgets: a third on staff in regencies and
// cities, village transfers only in regencies. A province's shares are of
// what is left once it has passed its regencies and cities their share of
// its taxes (see classBudget); its transfer share is the financial aid it
// gives on top.
var profiles = [levels]profile{
	regency: {
		share:    [classes]float64{0.35, 0.28, 0.21, 0.035, 0.005, 0.12},
		agencies: agencyTpls, works: workKinds, packages: pkgTpls, levies: levyMix,
		pad: 0.12, taxes: 0.68, fees: 0.09, own: ownIncome, transfer: transferIncome,
		padSpread: 0.15, levySpread: 0.3, minPackages: 280, maxPackages: 560,
		head: "Bupati dan Wakil Bupati", scouts: "Kwartir Cabang", equity: "Penyertaan modal pada Perumda Air Minum",
	},
	city: {
		share:    [classes]float64{0.34, 0.34, 0.27, 0.04, 0.01, 0},
		agencies: agencyTpls, works: workKinds, packages: pkgTpls, levies: levyMix,
		pad: 0.30, taxes: 0.68, fees: 0.09, own: ownIncome, transfer: transferIncome,
		padSpread: 0.15, levySpread: 0.3, minPackages: 280, maxPackages: 560,
		head: "Wali Kota dan Wakil Wali Kota", scouts: "Kwartir Cabang", equity: "Penyertaan modal pada Perumda Air Minum",
	},
	province: {
		share:    [classes]float64{0.29, 0.34, 0.12, 0.19, 0.005, 0.055},
		agencies: provinceAgencyTpls, works: provinceWorks, packages: provincePkgTpls, levies: provinceLevyMix,
		taxes: 0.86, fees: 0.02, own: provinceOwnIncome, transfer: provinceTransferIncome,
		padSpread: 0.05, levySpread: 0.1, minPackages: 400, maxPackages: 900,
		head: "Gubernur dan Wakil Gubernur", scouts: "Kwartir Daerah", equity: "Penyertaan modal pada bank pembangunan daerah",
	},
}

// classBudget is what the original budget plans for a spending class, in
// sen: its share of total spending. A province's taxes passed on to its
// regencies and cities (bagi hasil) are paid on top of the transfer
// class's share, out of the whole.
func (p *plan) classBudget(c class) float64 {
	budget := float64(p.spending-p.shared) * p.profile.share[c]
	if c == transfers {
		budget += float64(p.shared)
	}
	return budget
}

// byLevel returns the value for the plan's level of government.
func (p *plan) byLevel(regency, city, province string) string {
	return [levels]string{regency, city, province}[p.level]
}

// padShare is own-source revenue's share of the region's income. Provinces
// differ most: Java and Bali live on their vehicle taxes, Papua on
// transfers (special autonomy funds).
func (p *plan) padShare() float64 {
	if p.level != province {
		return p.profile.pad
	}
	switch {
	case slices.Contains([]string{"32", "33", "34", "35", "36", "51"}, p.region.Code):
		return 0.62
	case strings.HasPrefix(p.region.Code, "9"):
		return 0.12
	}
	return 0.38
}

// spending estimates a government's total expenditure in sen from its
// population, close to published APBD sizes: a fixed cost of government plus
// Rp 2.6 million per head in cities (Kota Bandung, 2.5 million people,
// about Rp 7 trillion), Rp 1.7 million per head in regencies and Rp 0.63
// million per head in provinces (Jawa Barat, 51 million people, about
// Rp 36 trillion in 2024), more in Papua and, for the province, Aceh
// (special autonomy funds, high costs), never below Rp 650 billion.
func spending(r *dataset.Region, l level, year int, rng *rand.Rand) int64 {
	pop := float64(max(r.Population, 20000))
	total := 600e9 + 1.7e6*pop
	switch l {
	case city:
		total = 400e9 + 2.6e6*pop
	case province:
		total = 1.5e12 + 0.63e6*pop
	}
	if strings.HasPrefix(r.ProvinceCode, "9") || l == province && r.Code == "11" {
		total *= 1.6
	}
	total = math.Max(total, 650e9) * math.Pow(1.06, float64(year-2023)) * (0.95 + 0.1*rng.Float64())
	return roundTo(int64(total*100), 1e8)
}

package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/terbuka/terbuka/dataset"
)

// levyWeight is a tax or levy of UU 1/2022 a government may collect, with
// its usual weight within taxes or within levies for regencies, cities and
// provinces (only the columns of the table's levels are set), the chance a
// government collects it at all, the first year it is collected and the
// agency that collects it (the revenue office when empty).
type levyWeight struct {
	code                    string
	regency, city, province float64
	chance                  float64
	from                    int
	agency                  string
}

// weight returns the levy's weight for a level of government.
func (m levyWeight) weight(l level) float64 {
	return [levels]float64{m.regency, m.city, m.province}[l]
}

// levyMix lists the taxes and levies a regency or city may collect. Cities
// live on restaurant, property and electricity taxes; regencies more on
// property, electricity and quarrying (MBLB); swiftlet-nest tax is found
// mostly outside Java.
var levyMix = []levyWeight{
	{code: "PBB-P2", regency: .22, city: .20, chance: 1},
	{code: "BPHTB", regency: .20, city: .18, chance: 1},
	{code: "PBJT-MM", regency: .12, city: .22, chance: 1},
	{code: "PBJT-TL", regency: .22, city: .15, chance: 1},
	{code: "PBJT-PH", regency: .03, city: .07, chance: 1},
	{code: "PBJT-PP", regency: .01, city: .04, chance: 1},
	{code: "PBJT-KS", regency: .01, city: .03, chance: .9},
	{code: "REKLAME", regency: .03, city: .04, chance: 1},
	{code: "PAT", regency: .03, city: .03, chance: 1},
	{code: "MBLB", regency: .08, city: .005, chance: .6},
	{code: "WALET", regency: .03, chance: .4},
	// Opsen on the provincial vehicle taxes started in January 2025.
	{code: "OPSEN-PKB", regency: .15, city: .12, chance: 1, from: 2025},
	{code: "OPSEN-BBNKB", regency: .06, city: .05, chance: 1, from: 2025},
	{code: "RJU-KES", regency: .25, city: .20, chance: 1, agency: dinkes},
	{code: "RJU-KEB", regency: .10, city: .14, chance: 1, agency: "2.11.0.00.0.00.01.0000"},
	{code: "RJU-PARKIR", regency: .08, city: .14, chance: 1, agency: dishub},
	{code: "RJU-PASAR", regency: .14, city: .12, chance: 1},
	{code: "RJU-LLAJ", regency: .02, city: .03, chance: .2, from: 2024, agency: dishub},
	{code: "RJUS-KEKAYAAN", regency: .10, city: .10, chance: 1},
	{code: "RJUS-TEMPAT", regency: .04, city: .04, chance: .5},
	{code: "RJUS-TERMINAL", regency: .03, city: .03, chance: .7, agency: dishub},
	{code: "RJUS-RPH", regency: .03, city: .03, chance: .6},
	{code: "RJUS-REKREASI", regency: .04, city: .04, chance: .5},
	{code: "RJUS-LELANG", regency: .03, chance: .3},
	{code: "RJUS-PRODUKSI", regency: .03, city: .01, chance: .4},
	{code: "RJUS-PENGINAPAN", regency: .02, city: .02, chance: .2},
	{code: "RPT-PBG", regency: .10, city: .12, chance: 1, agency: pupr},
	{code: "RPT-TKA", regency: .01, city: .02, chance: .3},
	{code: "RPT-TAMBANG", regency: .02, chance: .15},
}

// incomeShare is a revenue line of the budget other than a tax or levy, as
// a share of own-source revenue or of transfers. Its amount varies by a
// lognormal factor of spread sigma, drawn from the region's own stream when
// regional (the same every year) or from the year's; what comes in is lo to
// hi times the amended amount. The finance office books it unless agency
// says otherwise.
type incomeShare struct {
	agency, acct, desc string
	share, sigma       float64
	regional           bool
	lo, hi             float64
}

// ownIncome and transferIncome are the income lines of regencies and
// cities. Bagi hasil pajak provinsi (4.2.02) is what their province passes
// on of its taxes (see memberTransfers).
var (
	ownIncome = []incomeShare{
		{agency: rsud, acct: "4.1.04.16.01.0001", desc: "Pendapatan jasa layanan rumah sakit (BLUD)", share: 0.17, lo: 0.9, hi: 1.08},
		{acct: "4.1.04.05.01.0001", share: 0.035, sigma: 0.2, lo: 0.8, hi: 1.3},
		{acct: "4.1.03.02.01.0001", desc: "Dividen dari bank pembangunan daerah", share: 0.025, sigma: 0.3, regional: true, lo: 1, hi: 1},
	}
	transferIncome = []incomeShare{
		transfer("4.2.01.01.02.0001", "", 0.52),
		transfer("4.2.01.01.01.0001", "", 0.02),
		transfer("4.2.01.01.01.0002", "", 0.04),
		transfer("4.2.01.01.01.0004", "", 0.02),
		transfer("4.2.01.01.03.0034", "", 0.035),
		transfer("4.2.01.01.03.0013", "", 0.025),
		transfer("4.2.01.01.04.0001", "", 0.07),
		transfer("4.2.01.01.04.0004", "", 0.08),
		transfer("4.2.01.01.04.0011", "", 0.02),
		transfer(bagiHasilProvinsi, "Bagi hasil pajak provinsi (PKB, BBNKB, PBBKB, pajak rokok)", 0.17),
	}
)

// bagiHasilProvinsi is the revenue account of transfers from the province.
const bagiHasilProvinsi = "4.2.02"

// transfer is a transfer received, budgeted close to its share and
// received almost in full.
func transfer(acct, desc string, share float64) incomeShare {
	return incomeShare{acct: acct, desc: desc, share: share, sigma: 0.05, lo: 0.95, hi: 1.01}
}

// planIncome sets the region's revenue: own-source revenue (PAD) is a third
// of a city's income and an eighth of a regency's (see padShare for
// provinces); transfers from the centre and, for regencies and cities, the
// province make up the rest. Income falls a few percent short of spending;
// last year's surplus (SiLPA) covers the gap. Which levies a region
// collects and their weights come from a stream of the region alone, so a
// region's tax base is the same from year to year.
func (p *plan) planIncome(rng *rand.Rand) {
	base := newRand(p.spec.Seed, "levies", p.region.Code)
	total := float64(p.spending) * (0.93 + 0.045*rng.Float64())
	pad := total * p.padShare() * lognormal(base, p.profile.padSpread) * lognormal(rng, 0.03)
	p.planLevies(base, rng, pad*p.profile.taxes, pad*p.profile.fees)
	// Only provincial taxes are shared, so this stays 0 below provinces.
	for _, t := range p.levies {
		p.shared += int64(taxSharing(t.levy.Code, p.spec.Year) * float64(t.original))
	}
	for _, s := range p.profile.own {
		p.addIncome(rng, base, s, pad)
	}
	for _, s := range p.profile.transfer {
		p.addIncome(rng, base, s, total-pad)
	}
}

// addIncome adds an income line of the given share of a total (sen).
func (p *plan) addIncome(rng, base *rand.Rand, s incomeShare, total float64) {
	amount := total * s.share
	if s.sigma > 0 {
		src := rng
		if s.regional {
			src = base
		}
		amount *= lognormal(src, s.sigma)
	}
	a := p.agency("5.02.0.00.0.00.01.0000")
	if s.agency != "" {
		a = p.agency(s.agency)
	}
	l := incomeLine{agency: a, acct: s.acct, desc: s.desc, original: roundTo(int64(amount), 100)}
	l.amended = roundTo(jitter(rng, l.original, 0.98, 1.05), 100)
	if p.closed() {
		l.realised = jitter(rng, l.amended, s.lo, s.hi)
	}
	p.income = append(p.income, l)
}

// planLevies picks the taxes and levies the region collects (from base) and
// splits the tax and levy totals (sen) between them, with a little
// year-to-year movement (from rng).
func (p *plan) planLevies(base, rng *rand.Rand, taxes, levies float64) {
	var weights []float64
	sums := map[string]float64{}
	for _, m := range p.profile.levies {
		w := m.weight(p.level)
		// Draw for every entry, kept or not, so later years that add a levy
		// do not shift the draws of the others.
		chance, weight := base.Float64(), lognormal(base, p.profile.levySpread)
		if w == 0 || p.spec.Year < m.from || chance >= m.chance {
			continue
		}
		l, ok := dataset.LookupLevy(m.code)
		if !ok || !p.collects(l) {
			panic(fmt.Sprintf("demo: levy %s is not collected at level %d", m.code, p.level))
		}
		a := p.revenueAgency()
		if m.agency != "" {
			a = p.agency(m.agency)
		}
		w *= weight * lognormal(rng, 0.05)
		weights = append(weights, w)
		sums[l.Kind] += w
		p.levies = append(p.levies, levyTarget{levy: l, agency: a})
	}
	for i := range p.levies {
		t := &p.levies[i]
		total := taxes
		if t.levy.Kind == "retribusi" {
			total = levies
		}
		t.original = max(roundTo(int64(total*weights[i]/sums[t.levy.Kind]), 1e8), 1e8)
		t.amended = roundTo(jitter(rng, t.original, 0.95, 1.1), 1e8)
		if p.closed() {
			t.realised = roundTo(jitter(rng, t.amended, 0.86, 1.14), 100)
		}
	}
}

// collects reports whether the plan's level of government may collect a
// tax or levy: a province its own taxes (PKB, BBNKB, PBBKB…) and the levies
// of every level, a regency or city everything but the provincial taxes.
func (p *plan) collects(l dataset.Levy) bool {
	if p.level == province {
		return l.Level == "provinsi" || l.Level == "semua"
	}
	return l.Level != "provinsi"
}

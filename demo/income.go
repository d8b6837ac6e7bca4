package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/terbuka/terbuka/dataset"
)

// levyMix lists the taxes and levies of UU 1/2022 a regency or city may
// collect, with each one's usual weight within taxes or within levies for
// regencies and cities, and the chance a region collects it at all. Cities
// live on restaurant, property and electricity taxes; regencies more on
// property, electricity and quarrying (MBLB); swiftlet-nest tax is found
// mostly outside Java.
var levyMix = []struct {
	code           string
	regency, city  float64
	chance         float64
	from, lastYear int
}{
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
	{code: "RJU-KES", regency: .25, city: .20, chance: 1},
	{code: "RJU-KEB", regency: .10, city: .14, chance: 1},
	{code: "RJU-PARKIR", regency: .08, city: .14, chance: 1},
	{code: "RJU-PASAR", regency: .14, city: .12, chance: 1},
	{code: "RJU-LLAJ", regency: .02, city: .03, chance: .2, from: 2024},
	{code: "RJUS-KEKAYAAN", regency: .10, city: .10, chance: 1},
	{code: "RJUS-TEMPAT", regency: .04, city: .04, chance: .5},
	{code: "RJUS-TERMINAL", regency: .03, city: .03, chance: .7},
	{code: "RJUS-RPH", regency: .03, city: .03, chance: .6},
	{code: "RJUS-REKREASI", regency: .04, city: .04, chance: .5},
	{code: "RJUS-LELANG", regency: .03, chance: .3},
	{code: "RJUS-PRODUKSI", regency: .03, city: .01, chance: .4},
	{code: "RJUS-PENGINAPAN", regency: .02, city: .02, chance: .2},
	{code: "RPT-PBG", regency: .10, city: .12, chance: 1},
	{code: "RPT-TKA", regency: .01, city: .02, chance: .3},
	{code: "RPT-TAMBANG", regency: .02, chance: .15},
}

// levyAgency names the agency that collects a levy; the revenue office
// collects everything else.
var levyAgency = map[string]string{
	"RJU-KES":       "1.02.0.00.0.00.01.0000",
	"RJU-KEB":       "2.11.0.00.0.00.01.0000",
	"RJU-PARKIR":    "2.15.0.00.0.00.01.0000",
	"RJU-LLAJ":      "2.15.0.00.0.00.01.0000",
	"RJUS-TERMINAL": "2.15.0.00.0.00.01.0000",
	"RPT-PBG":       "1.03.0.00.0.00.01.0000",
}

// planIncome sets the region's revenue: own-source revenue (PAD) is a third
// of a city's income and an eighth of a regency's; transfers from the centre
// and the province make up the rest. Income falls a few percent short of
// spending; last year's surplus (SiLPA) covers the gap. Which levies a
// region collects and their weights come from a stream of the region alone,
// so a region's tax base is the same from year to year.
func (p *plan) planIncome(rng *rand.Rand) {
	base := newRand(p.spec.Seed, "levies", p.region.Code)
	total := float64(p.spending) * (0.93 + 0.045*rng.Float64())
	share := 0.12
	if p.kota {
		share = 0.30
	}
	pad := total * share * lognormal(base, 0.15) * lognormal(rng, 0.03)
	p.planLevies(base, rng, pad*0.68, pad*0.09)
	fin := p.agency("5.02.0.00.0.00.01.0000")
	add := func(a *agency, acct, desc string, amount float64, lo, hi float64) {
		l := incomeLine{agency: a, acct: acct, desc: desc, original: roundTo(int64(amount), 100)}
		l.amended = roundTo(jitter(rng, l.original, 0.98, 1.05), 100)
		if p.closed() {
			l.realised = jitter(rng, l.amended, lo, hi)
		}
		p.income = append(p.income, l)
	}
	add(p.agency("1.02.0.00.0.00.02.0000"), "4.1.04.16.01.0001", "Pendapatan jasa layanan rumah sakit (BLUD)", pad*0.17, 0.9, 1.08)
	add(fin, "4.1.04.05.01.0001", "", pad*0.035*lognormal(rng, 0.2), 0.8, 1.3)
	add(fin, "4.1.03.02.01.0001", "Dividen dari bank pembangunan daerah", pad*0.025*lognormal(base, 0.3), 1, 1)
	transfer := total - pad
	for _, t := range []struct {
		acct, desc string
		share      float64
	}{
		{"4.2.01.01.02.0001", "", 0.52},
		{"4.2.01.01.01.0001", "", 0.02},
		{"4.2.01.01.01.0002", "", 0.04},
		{"4.2.01.01.01.0004", "", 0.02},
		{"4.2.01.01.03.0034", "", 0.035},
		{"4.2.01.01.03.0013", "", 0.025},
		{"4.2.01.01.04.0001", "", 0.07},
		{"4.2.01.01.04.0004", "", 0.08},
		{"4.2.01.01.04.0011", "", 0.02},
		{"4.2.02", "Bagi hasil pajak provinsi (PKB, BBNKB, PBBKB, pajak rokok)", 0.17},
	} {
		add(fin, t.acct, t.desc, transfer*t.share*lognormal(rng, 0.05), 0.95, 1.01)
	}
}

// planLevies picks the taxes and levies the region collects (from base) and
// splits the tax and levy totals (sen) between them, with a little
// year-to-year movement (from rng).
func (p *plan) planLevies(base, rng *rand.Rand, taxes, levies float64) {
	var weights []float64
	sums := map[string]float64{}
	for _, m := range levyMix {
		w := m.regency
		if p.kota {
			w = m.city
		}
		// Draw for every entry, kept or not, so later years that add a levy
		// do not shift the draws of the others.
		chance, weight := base.Float64(), lognormal(base, 0.3)
		if w == 0 || p.spec.Year < m.from || chance >= m.chance {
			continue
		}
		l, ok := dataset.LookupLevy(m.code)
		if !ok || l.Level == "provinsi" {
			panic(fmt.Sprintf("demo: levy %s is not a regency/city levy", m.code))
		}
		a := p.revenueAgency()
		if code, ok := levyAgency[l.Code]; ok {
			a = p.agency(code)
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

package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// A province (Pemerintah Provinsi) is a government of its own: its own
// APBD, agencies, procurement and taxes. Its budget pays part of its taxes
// to its regencies and cities (bagi hasil) and gives them financial aid
// (bantuan keuangan); their budgets book the first as revenue (4.2.02).
// The portal shows a province's figures beside its members', never added
// to them: the transfers would be counted twice.

const (
	// jawaBarat is always the first province: Kota Bandung's.
	jawaBarat = "32"
	// jakarta is never generated as a province: its cities are
	// administrative and its budget is a city's and a province's in one.
	jakarta = "31"
)

// provinceLevyMix lists the taxes and levies a province may collect: the
// provincial taxes of UU 1/2022 (vehicle, fuel, surface water and
// cigarette taxes, heavy equipment from 2024, opsen on the regencies'
// quarrying tax from 2025) and the levies every level may charge.
var provinceLevyMix = []levyWeight{
	{code: "PKB", province: .42, chance: 1},
	{code: "BBNKB", province: .21, chance: 1},
	{code: "PAB", province: .004, chance: .8, from: 2024},
	{code: "PBBKB", province: .17, chance: 1},
	{code: "PAP", province: .01, chance: 1},
	{code: "PROKOK", province: .15, chance: 1},
	{code: "OPSEN-MBLB", province: .01, chance: 1, from: 2025},
	{code: "RJU-KES", province: .20, chance: 1, agency: dinkes},
	{code: "RJUS-KEKAYAAN", province: .30, chance: 1},
	{code: "RJUS-TEMPAT", province: .04, chance: .4},
	{code: "RJUS-PELABUHAN", province: .08, chance: .6, agency: dishub},
	{code: "RJUS-LELANG", province: .03, chance: .4, agency: dkp},
	{code: "RJUS-PENGINAPAN", province: .04, chance: .5},
	{code: "RJUS-REKREASI", province: .05, chance: .5},
	{code: "RJUS-PENYEBERANGAN", province: .03, chance: .3, agency: dishub},
	{code: "RJUS-PRODUKSI", province: .08, chance: .8},
	{code: "RPT-TKA", province: .10, chance: 1, agency: disnaker},
}

// provinceOwnIncome and provinceTransferIncome are a province's income
// lines besides taxes and levies: its hospital, interest and the dividend
// of the regional development bank it owns; from the centre the general
// allocation (DAU), revenue sharing, and the special allocations of senior
// high schools (BOS, teachers' allowances), which provinces run.
var (
	provinceOwnIncome = []incomeShare{
		{agency: rsud, acct: "4.1.04.16.01.0001", desc: "Pendapatan jasa layanan rumah sakit (BLUD)", share: 0.06, lo: 0.9, hi: 1.08},
		{acct: "4.1.04.05.01.0001", share: 0.02, sigma: 0.2, lo: 0.8, hi: 1.3},
		{acct: "4.1.03.02.01.0001", desc: "Dividen dari bank pembangunan daerah", share: 0.04, sigma: 0.3, regional: true, lo: 1, hi: 1},
	}
	provinceTransferIncome = []incomeShare{
		transfer("4.2.01.01.02.0001", "", 0.45),
		transfer("4.2.01.01.01.0001", "", 0.02),
		transfer("4.2.01.01.01.0002", "", 0.08),
		transfer("4.2.01.01.01.0004", "", 0.02),
		transfer("4.2.01.01.03.0004", "", 0.03),
		transfer("4.2.01.01.03.0034", "", 0.03),
		transfer("4.2.01.01.04.0001", "", 0.23),
		transfer("4.2.01.01.04.0004", "", 0.12),
		transfer("4.2.01.01.04.0011", "", 0.02),
	}
)

// taxSharing is the part of a provincial tax its regencies and cities get:
// 30% of the vehicle taxes, 70% of the fuel tax and of the cigarette tax,
// 50% of the surface-water tax (UU 28/2009 art. 94). From 2025 (UU 1/2022
// art. 85) the regencies collect opsen on the vehicle taxes themselves
// instead of a share of them.
func taxSharing(code string, year int) float64 {
	switch code {
	case "PKB", "BBNKB":
		if year < 2025 {
			return 0.3
		}
	case "PBBKB", "PROKOK":
		return 0.7
	case "PAP":
		return 0.5
	}
	return 0
}

// memberPlaces returns a province's regencies and cities as the places of
// its works and purchases, each with a few of its districts (kecamatan) as
// the towns its roads join. The districts are the ones the member's own
// feeds use, drawn from the member's own stream.
func memberPlaces(rng *rand.Rand, members []*dataset.Region, seed int64, scale float64) []district {
	out := make([]district, 0, len(members))
	for _, m := range members {
		label := "Kabupaten"
		if m.Kind == "kota" {
			label = "Kota"
		}
		var towns []string
		for _, d := range districts(newRand(seed, "place", m.Code), m, scale) {
			towns = append(towns, d.name)
		}
		k := max(1, int(math.Round(float64(2+rng.IntN(3))*math.Min(scale, 2))))
		rng.Shuffle(len(towns), func(i, j int) { towns[i], towns[j] = towns[j], towns[i] })
		name := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m.Name), label+" "))
		out = append(out, district{label: label, name: name, villages: towns[:min(k, len(towns))]})
	}
	return out
}

// memberTransfers adds a province's belanja transfer: to each regency and
// city its share of the province's taxes (bagi hasil, 5.4.01), split
// between them as their own budgets expect to receive it (4.2.02); special
// financial aid (bantuan keuangan khusus, 5.4.02.03) to some of them, and
// aid to the villages, which take what the transfer share leaves.
func (p *plan) memberTransfers(rng *rand.Rand, add adder) {
	fin := p.agency("5.02.0.00.0.00.01.0000")
	shared := float64(p.shared)
	expected := p.memberReceipts()
	total := 0.0
	for _, e := range expected {
		total += e
	}
	for i, m := range p.members {
		if total == 0 {
			break
		}
		acct := "5.4.01.01.01.0001"
		if m.Kind == "kota" {
			acct = "5.4.01.01.02.0001"
		}
		l := add(fin, "", acct, transfers, 0, "Bagi hasil pajak daerah kepada Pemerintah "+m.Name)
		l.fixed, l.amount = true, roundTo(int64(shared*expected[i]/total), 1e5)
	}
	for _, d := range p.districts {
		if rng.Float64() < 0.5 {
			desc := fmt.Sprintf("Bantuan keuangan khusus kepada Pemerintah %s %s untuk %s", d.label, d.name, pick(rng, aidPurposes))
			add(fin, "", "5.4.02.03.02.0001", transfers, lognormal(rng, 0.5), desc).removable = true
		}
	}
	add(fin, "", "5.4.02.05.01.0001", transfers, 2, "Bantuan keuangan kepada pemerintah desa se-"+p.name)
}

// aidPurposes are what provinces' special financial aid pays for.
var aidPurposes = []string{
	"peningkatan jalan kabupaten/kota", "pembangunan infrastruktur perdesaan", "penanganan kawasan kumuh",
	"penyediaan air minum", "pembangunan pasar rakyat", "penanganan stunting",
}

// memberReceipts returns, for each of the province's regencies and
// cities, the bagi hasil its own budget of the year expects (4.2.02).
func (p *plan) memberReceipts() []float64 {
	out := make([]float64, len(p.members))
	for i, m := range p.members {
		mp := newPlan(Spec{Region: m, Year: p.spec.Year, Open: p.spec.Open, Seed: p.spec.Seed, Scale: p.spec.Scale})
		for _, in := range mp.income {
			if in.acct == bagiHasilProvinsi {
				out[i] = float64(in.original)
			}
		}
	}
	return out
}

// pickProvinces returns n provincial governments: Jawa Barat (Kota
// Bandung's province), then the provinces of the other picked regions in
// seeded order, then the others in seeded order; never DKI Jakarta.
func pickProvinces(t *dataset.Regions, n int, seed int64, picked []*dataset.Region) []*dataset.Region {
	rng := newRand(seed, "provinces")
	var near, rest []string
	for _, r := range picked {
		if c := r.ProvinceCode; c != jawaBarat && c != jakarta && !slices.Contains(near, c) {
			near = append(near, c)
		}
	}
	rng.Shuffle(len(near), func(i, j int) { near[i], near[j] = near[j], near[i] })
	for _, r := range t.Provinces() {
		if c := r.Code; c != jawaBarat && c != jakarta && !slices.Contains(near, c) {
			rest = append(rest, c)
		}
	}
	rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	codes := append(append([]string{jawaBarat}, near...), rest...)
	out := make([]*dataset.Region, 0, n)
	for _, c := range codes[:min(n, len(codes))] {
		out = append(out, t.Lookup(c))
	}
	return out
}

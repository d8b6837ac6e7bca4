package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
)

// pkg is one procurement package. Amounts are in sen; zero times and
// amounts are written as empty cells.
type pkg struct {
	rup                       int64
	tender                    string
	title, method, category   string
	funding, location, status string
	agency                    *agency
	pagu, hps, contract       int64
	supplier                  *supplier
	bidders                   int
	announced                 time.Time
	awarded, contracted       time.Time
	kind                      supplierKind
	late, dropped             bool
	// drawn is the contract value prices drew when flagFigures changed
	// it, else 0.
	drawn int64
	// funds are the budget lines that may pay for the package, best
	// first; joint packages are paid from all of them. mak names those
	// the budget has (assignMAKs).
	funds []fund
	joint bool
	mak   string
}

// writeProcurement writes the region-year's procurement packages, as SIRUP
// and SPSE would list them.
func writeProcurement(rw *rowWriter, p *plan, rng *rand.Rand) error {
	pkgs := procurementPackages(p, rng)
	p.assignMAKs(pkgs)
	for _, k := range pkgs {
		if err := writePackage(rw, k); err != nil {
			return err
		}
	}
	return nil
}

// procurementPackages returns the region-year's packages after selection:
// the plan's construction works with their consultancies, then routine
// purchases drawn from pkgTpls. The writers of procurement and of
// procurement_bids both call it first, on a fresh stream keyed
// "procurement", so the participants are those of the very tenders the
// procurement feed lists.
func procurementPackages(p *plan, rng *rand.Rand) []*pkg {
	var pkgs []*pkg
	for _, pr := range p.projects {
		for _, k := range p.projectPackages(pr) {
			if k.method == "" {
				k.method = chooseMethod(rng, pkgTpl{category: k.category}, k.pagu)
			}
			pkgs = append(pkgs, k)
		}
	}
	bounded := math.Min(math.Max(360+130*math.Log10(float64(p.region.Population)/1e5), p.profile.minPackages), p.profile.maxPackages)
	target := int(math.Round(bounded * p.spec.Scale))
	titles := map[string]int{}
	// Routine purchases fill up to the target, and there are always some.
	want := max(target, len(pkgs)+int(40*p.spec.Scale))
	for len(pkgs) < want {
		if k := p.routinePackage(rng, titles); k != nil {
			pkgs = append(pkgs, k)
		}
	}
	rng.Shuffle(len(pkgs), func(i, j int) { pkgs[i], pkgs[j] = pkgs[j], pkgs[i] })
	ids := newIDs(rng, p)
	var out []*pkg
	for _, k := range pkgs {
		k.rup = ids.nextRUP()
		out = append(out, p.award(rng, k, ids)...)
	}
	return out
}

// projectPackages turns a plan project into its packages: the work and, for
// larger works, design and supervision consultancies, each paid from the
// budget line projectLines writes for it.
func (p *plan) projectPackages(pr *project) []*pkg {
	mk := func(title, category string, pagu int64, kind supplierKind, acct string) *pkg {
		return &pkg{title: title, category: category, agency: pr.agency, pagu: pagu, funding: pr.funding,
			location: pr.location, kind: kind, late: pr.late, dropped: pr.dropped, funds: []fund{{pr.sub, acct}}}
	}
	if pr.selfManaged {
		k := mk(pr.title, "", pr.pagu, contractor, pr.acct)
		k.method = swakelola
		return []*pkg{k}
	}
	out := []*pkg{mk(pr.title, konstruksi, pr.pagu, contractor, pr.acct)}
	if pr.design > 0 {
		out = append(out, mk("Jasa Konsultansi Perencanaan Teknis "+pr.title, konsultansi, pr.design, consultant, designAcct))
	}
	if pr.supervision > 0 {
		out = append(out, mk("Jasa Konsultansi Pengawasan "+pr.title, konsultansi, pr.supervision, consultant, pr.supervisionAcct))
	}
	return out
}

// routinePackage draws one routine package from the templates of the
// region's level, or nil when the template drawn has no agency in this
// region.
func (p *plan) routinePackage(rng *rand.Rand, titles map[string]int) *pkg {
	tpls := p.profile.packages
	total := 0.0
	for _, t := range tpls {
		total += t.weight
	}
	t := tpls[len(tpls)-1]
	x := rng.Float64() * total
	for _, c := range tpls {
		if x -= c.weight; x < 0 {
			t = c
			break
		}
	}
	a := p.tplAgency(rng, t.agency)
	if a == nil {
		return nil
	}
	d := pick(rng, p.districts)
	if a.district != nil {
		d = *a.district
	}
	title := strings.NewReplacer("{agency}", a.name, "{district}", d.name, "{village}", pick(rng, d.villages),
		"{dlabel}", d.label, "{vlabel}", p.villageLabel, "{region}", p.name, "{short}", p.short).Replace(t.title)
	if titles[title]++; titles[title] > 1 {
		title += " Tahap " + roman(titles[title])
	}
	k := &pkg{title: title, category: t.category, agency: a, kind: t.kind, method: t.method, funding: "APBD",
		location: p.name, funds: t.funds, joint: t.joint}
	if t.funding != "" {
		k.funding = t.funding
	} else if (a.code == disdik || a.code == dinkes) && (t.catalog || t.category == konstruksi) && rng.Float64() < 0.25 {
		k.funding = "DAK"
	}
	if a.district != nil || strings.Contains(t.title, "{district}") {
		k.location = d.label + " " + d.name + ", " + p.name
	}
	k.pagu = roundTo(int64(t.lo*math.Pow(t.hi/t.lo, rng.Float64())*1e8), 1e5)
	if k.method == "" {
		k.method = chooseMethod(rng, t, k.pagu)
	}
	return k
}

// tplAgency resolves a template's agency for this region.
func (p *plan) tplAgency(rng *rand.Rand, code string) *agency {
	var pool []*agency
	for _, a := range p.agencies {
		switch {
		case code == "", code == a.code,
			code == "kecamatan" && a.district != nil,
			code == "kelurahan" && a.district != nil && p.kota:
			pool = append(pool, a)
		}
	}
	if len(pool) == 0 {
		return nil
	}
	return pickAgency(rng, pool)
}

// chooseMethod applies the thresholds of Perpres 12/2021: direct
// procurement (pengadaan langsung) up to Rp 200 million for goods, works and
// other services and Rp 100 million for consultancies, tender or selection
// above; catalogue goods are mostly bought by e-purchasing.
func chooseMethod(rng *rand.Rand, t pkgTpl, pagu int64) string {
	rupiah := pagu / 100
	if t.category == konsultansi {
		if rupiah <= 100e6 {
			return "pengadaan langsung"
		}
		return "seleksi"
	}
	if t.catalog && rng.Float64() < 0.85 || t.category != konstruksi && rupiah > 200e6 && rng.Float64() < 0.2 {
		return "e-purchasing"
	}
	if rupiah <= 200e6 {
		return "pengadaan langsung"
	}
	if rng.Float64() < 0.08 {
		return "tender cepat"
	}
	return "tender"
}

// writePackage writes one package row.
func writePackage(rw *rowWriter, k *pkg) error {
	amount := func(v int64) string {
		if v == 0 {
			return ""
		}
		return money(v)
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	rw.set("package_id", strconv.FormatInt(k.rup, 10))
	rw.set("tender_id", k.tender)
	rw.set("title", k.title)
	rw.set("agency_code", k.agency.code)
	rw.set("agency_name", k.agency.name)
	rw.set("method", k.method)
	rw.set("category", k.category)
	rw.set("funding_source", k.funding)
	rw.set(dataset.FieldMAK, k.mak)
	rw.set("budget_ceiling", money(k.pagu))
	rw.set("owner_estimate", amount(k.hps))
	rw.set("contract_value", amount(k.contract))
	if k.supplier != nil {
		rw.set("supplier_name", k.supplier.name)
		rw.set("supplier_tax_id", k.supplier.taxID)
	}
	if k.bidders > 0 {
		rw.set("bidder_count", strconv.Itoa(k.bidders))
	}
	if !k.announced.IsZero() {
		rw.set("announced_at", k.announced.Format("2006-01-02 15:04:05"))
	}
	rw.set("awarded_at", day(k.awarded))
	rw.set("contract_date", day(k.contracted))
	rw.set("status", k.status)
	rw.set("location", k.location)
	return rw.write()
}

// roman writes small counts as the Roman numerals package titles use.
func roman(n int) string {
	numerals := []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
	if n < len(numerals) {
		return numerals[n]
	}
	return strconv.Itoa(n)
}

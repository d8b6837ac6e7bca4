package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// bline is one budget line of one stage. Amounts are in sen.
type bline struct {
	agency *agency
	nomen
	acct, name, desc string
	// spend marks expenditure lines; class is their spending class.
	spend  bool
	class  class
	weight float64
	amount int64
	// fixed lines take their amount from the plan (projects, revenue).
	fixed bool
	// removable lines may disappear in the amended budget.
	removable bool
	project   *project
	levy      *levyTarget
	income    *incomeLine
	// financing is +1 for financing receipts (SiLPA), -1 for expenditure.
	financing int
}

// districtLines are the support lines a district office (kecamatan) may
// have besides salaries: allowances, power and stationery.
var districtLines = map[string]bool{
	"5.1.01.02.01.0001": true, "5.1.02.02.01.0061": true, "5.1.02.01.01.0024": true,
}

// stage is the set of budget lines of one budget stage.
type stage struct {
	name  string
	lines []*bline
}

// budgetStages builds the original budget (murni), the amended one
// (perubahan) and, for a closed year, what was realised (realisasi).
func (p *plan) budgetStages(rng *rand.Rand) []stage {
	original := p.originalBudget(rng)
	amended := p.amend(rng, original)
	stages := []stage{{"murni", original}, {"perubahan", amended}}
	if p.closed() {
		stages = append(stages, stage{"realisasi", p.realise(rng, amended)})
	}
	return stages
}

// writeBudget writes the lines of every stage.
func writeBudget(rw *rowWriter, p *plan, rng *rand.Rand) error {
	for _, st := range p.budgetStages(rng) {
		sortLines(st.lines)
		for _, l := range st.lines {
			for _, kv := range [][2]string{
				{"stage", st.name}, {"agency_code", l.agency.code}, {"agency_name", l.agency.name},
				{"program_code", l.program}, {"program_name", l.programName},
				{"activity_code", l.activity}, {"activity_name", l.activityName},
				{"sub_activity_code", l.sub}, {"sub_activity_name", l.subName},
				{"account_code", l.acct}, {"account_name", l.name},
				{"amount", money(l.amount)}, {"description", l.desc},
			} {
				rw.set(kv[0], kv[1])
			}
			if err := rw.write(); err != nil {
				return err
			}
		}
	}
	return nil
}

// originalBudget builds the lines of the original budget and sets their
// amounts so each spending class gets its share of the plan's total.
func (p *plan) originalBudget(rng *rand.Rand) []*bline {
	var lines []*bline
	add := func(a *agency, sub, acct string, c class, w float64, desc string) *bline {
		l := &bline{agency: a, nomen: subActivity(sub, a.unit), acct: acct, name: accountName(acct),
			class: c, spend: true, weight: w, desc: desc}
		lines = append(lines, l)
		return l
	}
	optional := math.Min(1, 0.18*p.spec.Scale)
	for _, a := range p.agencies {
		size := a.staff
		for i, s := range supportLines {
			keep := rng.Float64() < optional
			switch {
			case i == 0: // basic salary: every agency pays it
				keep = true
			case a.district != nil:
				keep = districtLines[s.acct] && rng.Float64() < 0.8*p.spec.Scale
			case !s.optional:
				keep = rng.Float64() < p.spec.Scale
			}
			if !keep {
				continue
			}
			w := s.weight * size
			if s.class != personnel {
				w = s.weight * math.Pow(size, 0.6) * lognormal(rng, 0.3)
			}
			add(a, p.levelSub(s.sub), s.acct, s.class, w, s.desc).removable = s.optional
		}
		for _, t := range a.lines {
			add(a, t.sub, t.acct, t.class, t.weight*lognormal(rng, 0.2), t.desc)
		}
	}
	for _, pr := range p.projects {
		if !pr.late {
			lines = append(lines, p.projectLines(pr)...)
		}
	}
	// ppkdLines adds spending lines through add, so call it before taking
	// the slice header that receives its revenue lines.
	revenue := p.ppkdLines(rng, add)
	lines = append(lines, revenue...)
	p.allocate(rng, lines)
	return append(lines, p.financing(lines, rng.Float64() < 0.4)...)
}

// projectLines returns a project's work line and its consultancies.
func (p *plan) projectLines(pr *project) []*bline {
	mk := func(acct, desc string, c class, amount int64) *bline {
		return &bline{agency: pr.agency, nomen: subActivity(pr.sub, pr.agency.unit), acct: acct,
			name: accountName(acct), desc: desc, class: c, spend: true, amount: amount, fixed: true, project: pr}
	}
	out := []*bline{mk(pr.acct, pr.title, pr.class, pr.pagu)}
	if pr.design > 0 {
		out = append(out, mk(designAcct, "Perencanaan "+pr.title, goods, pr.design))
	}
	if pr.supervision > 0 {
		out = append(out, mk(pr.supervisionAcct, "Pengawasan "+pr.title, goods, pr.supervision))
	}
	return out
}

// adder adds a weighted spending line to a budget being built: agency,
// sub-activity, account, class, weight and description.
type adder func(*agency, string, string, class, float64, string) *bline

// ppkdLines are the lines the finance office holds for the whole region:
// revenue, grants, social aid, unforeseen spending and transfers to
// villages or, from a province, to its regencies and cities. They carry no
// programme, as regional budget regulations present them.
func (p *plan) ppkdLines(rng *rand.Rand, add adder) []*bline {
	fin := p.agency("5.02.0.00.0.00.01.0000")
	head := p.profile.head
	if y := p.spec.Year; y == 2023 || y == 2024 {
		// The November 2024 regional elections are funded by grants
		// agreed in 2023 and paid over both years.
		w := 1.2 + 0.8*float64(y-2023)
		add(fin, "", "5.1.05.01.01.0001", grants, w, fmt.Sprintf("Hibah kepada KPU %s untuk Pemilihan %s Tahun 2024", p.name, head))
		add(fin, "", "5.1.05.01.01.0001", grants, w/3, fmt.Sprintf("Hibah kepada Bawaslu %s untuk pengawasan Pemilihan %s Tahun 2024", p.name, head))
	}
	for _, g := range []struct {
		acct, desc string
		w          float64
	}{
		{"5.1.05.05.01.0001", "Hibah kepada Komite Olahraga Nasional Indonesia (KONI) " + p.name, 0.8},
		{"5.1.05.05.01.0001", "Hibah kepada Palang Merah Indonesia (PMI) " + p.name, 0.15},
		{"5.1.05.05.01.0001", "Hibah kepada " + p.profile.scouts + " Gerakan Pramuka " + p.name, 0.15},
		{"5.1.05.05.01.0001", "Hibah kepada Forum Kerukunan Umat Beragama (FKUB) " + p.name, 0.05},
		{"5.1.05.05.02.0001", "Hibah kepada pengurus masjid, gereja dan rumah ibadah lainnya untuk rehabilitasi rumah ibadah", 0.2},
		{"5.1.05.07.01.0001", "Bantuan keuangan kepada partai politik yang memperoleh kursi di DPRD", 0.06},
		{"5.1.06.01.01.0001", "Bantuan sosial bagi keluarga miskin dan rentan", 0.4},
		{"5.1.06.01.01.0001", "Santunan bagi ahli waris warga miskin yang meninggal dunia", 0.15},
	} {
		add(fin, "", g.acct, grants, g.w*lognormal(rng, 0.3), g.desc)
	}
	add(fin, "", "5.3.01.01.01.0001", unforeseen, 1, "")
	if p.level == province {
		p.memberTransfers(rng, add)
	}
	if p.level == regency {
		// Village transfers of the villages the plan names have realistic
		// sizes (Rp 0.35–1.1 billion of ADD each); the region's other
		// villages share one line.
		fixed := func(l *bline, lo, hi float64) {
			l.fixed, l.amount = true, roundTo(int64((lo+(hi-lo)*rng.Float64())*1e11), 1e5)
		}
		for _, d := range p.districts {
			for _, v := range d.villages {
				desc := fmt.Sprintf("Alokasi Dana Desa (ADD) untuk %s %s %s %s", p.villageLabel, v, p.districtLabel, d.name)
				fixed(add(fin, "", "5.4.02.05.01.0001", transfers, 0, desc), 3.5, 11)
				if rng.Float64() < 0.15 {
					desc = fmt.Sprintf("Bantuan keuangan khusus pembangunan jalan desa di %s %s %s %s", p.villageLabel, v, p.districtLabel, d.name)
					l := add(fin, "", "5.4.02.05.02.0001", transfers, 0, desc)
					fixed(l, 1.5, 7.5)
					l.removable = true
				}
			}
		}
		add(fin, "", "5.4.02.05.01.0001", transfers, 1, "Alokasi Dana Desa (ADD) untuk desa lainnya")
	}
	var out []*bline
	for i := range p.levies {
		t := &p.levies[i]
		if t.levy.AccountCode == "" {
			continue // opsen have no account object of their own
		}
		l := &bline{agency: t.agency, acct: t.levy.AccountCode, name: t.levy.Name, amount: t.original, fixed: true, levy: t}
		if t.levy.Kind == "retribusi" {
			l.name, l.desc = accountName(l.acct), t.levy.Name
		}
		out = append(out, l)
	}
	for i := range p.income {
		in := &p.income[i]
		out = append(out, &bline{agency: in.agency, acct: in.acct, name: accountName(in.acct), desc: in.desc,
			amount: in.original, fixed: true, income: in})
	}
	return out
}

// allocate gives weighted lines their amounts: each spending class gets its
// share of the plan's total, less what fixed lines (projects) already take.
func (p *plan) allocate(rng *rand.Rand, lines []*bline) {
	var fixed, weights [classes]float64
	for _, l := range lines {
		if !l.spend {
			continue
		}
		if l.fixed {
			fixed[l.class] += float64(l.amount)
		} else {
			weights[l.class] += l.weight
		}
	}
	for _, l := range lines {
		if !l.spend || l.fixed {
			continue
		}
		budget := p.classBudget(l.class)
		rest := math.Max(budget-fixed[l.class], 0.2*budget)
		l.amount = roundAmount(rng, int64(rest*l.weight/weights[l.class]), l.class)
	}
}

// roundAmount rounds a planned amount the way budget documents show them:
// salaries to the rupiah, everything else to the thousand; a few lines keep
// sen, as lines computed from unit prices do.
func roundAmount(rng *rand.Rand, sen int64, c class) int64 {
	unit := int64(100000)
	if c == personnel {
		unit = 100
	}
	sen = max(roundTo(sen, unit), unit)
	if rng.Float64() < 0.02 {
		sen += int64(1 + rng.IntN(99))
	}
	return sen
}

// financing balances the budget: last year's surplus (SiLPA) covers what
// revenue does not; some regions also put capital into a regional company.
func (p *plan) financing(lines []*bline, equity bool) []*bline {
	fin := p.agency("5.02.0.00.0.00.01.0000")
	var out []*bline
	if equity {
		out = append(out, &bline{agency: fin, acct: "6.2.02.02.01.0001", name: accountName("6.2.02.02.01.0001"),
			desc: p.profile.equity, amount: roundTo(p.spending/250, 1e8), fixed: true, financing: -1})
	}
	balance := int64(0)
	for _, ls := range [][]*bline{lines, out} {
		for _, l := range ls {
			switch {
			case l.spend || l.financing < 0:
				balance += l.amount
			case l.financing == 0:
				balance -= l.amount
			}
		}
	}
	if balance > 0 {
		out = append(out, &bline{agency: fin, acct: "6.1.01", name: accountName("6.1.01"), amount: balance, fixed: true, financing: 1})
	}
	return out
}

// amend derives the amended budget: most lines keep their key with amounts
// a few percent up or down, a third are untouched, some optional lines go,
// projects added mid-year arrive and SiLPA is set to balance again.
func (p *plan) amend(rng *rand.Rand, original []*bline) []*bline {
	var out []*bline
	for _, l := range original {
		if l.financing > 0 {
			continue
		}
		c := *l
		switch {
		case l.project != nil && l.project.dropped:
			continue
		case l.levy != nil:
			c.amount = l.levy.amended
		case l.income != nil:
			c.amount = l.income.amended
		case l.removable && rng.Float64() < 0.05:
			continue
		case l.project != nil:
			c.amount = roundTo(jitter(rng, l.amount, 0.88, 1.0), 1e5)
		case rng.Float64() < 0.35 || l.financing < 0:
		default:
			c.amount = roundAmount(rng, jitter(rng, l.amount, 0.92, 1.08), l.class)
		}
		out = append(out, &c)
	}
	for _, pr := range p.projects {
		if pr.late {
			out = append(out, p.projectLines(pr)...)
		}
	}
	return append(out, p.financing(out, false)...)
}

// realise derives what was spent and received: 85–99% of each amended
// spending line, taxes as the plan collected them, SiLPA as budgeted.
func (p *plan) realise(rng *rand.Rand, amended []*bline) []*bline {
	out := make([]*bline, 0, len(amended))
	for _, l := range amended {
		c := *l
		switch {
		case l.levy != nil:
			c.amount = l.levy.realised
		case l.income != nil:
			c.amount = l.income.realised
		case l.spend:
			c.amount = jitter(rng, l.amount, 0.85, 0.99)
			if rng.Float64() < 0.7 {
				c.amount = roundTo(c.amount, 100)
			}
		}
		out = append(out, &c)
	}
	return out
}

// sortLines orders a stage like a budget document: by agency, programme
// structure, account and description.
func sortLines(lines []*bline) {
	slices.SortStableFunc(lines, func(a, b *bline) int {
		return cmp.Or(strings.Compare(a.agency.code, b.agency.code), strings.Compare(a.sub, b.sub),
			strings.Compare(a.acct, b.acct), strings.Compare(a.desc, b.desc))
	})
}

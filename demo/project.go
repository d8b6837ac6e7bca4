package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// project is a construction work or a self-managed programme of the plan. It
// becomes budget lines (the work itself plus design and supervision
// consultancies) and procurement packages with the same names and amounts.
type project struct {
	agency    *agency
	sub, acct string
	class     class
	title     string
	location  string
	// pagu is the amount budgeted for the work, in sen.
	pagu int64
	// design and supervision are consultancy amounts, in sen; 0 when none.
	design, supervision int64
	supervisionAcct     string
	funding             string
	selfManaged         bool
	// late projects enter with the amended budget (perubahan); dropped ones
	// leave it.
	late, dropped bool
}

// workKind is a kind of project with its share of capital spending.
type workKind struct {
	sub string
	// regency and city are the capital accounts in a regency and in a
	// city; a province's kinds give the provincial account in both.
	regency, city string
	// title is a format over: village label, village, district label,
	// district, a second village, a school number, the region's short name.
	title    string
	share    float64
	avgPagu  float64 // rupiah, sets how many projects the share pays for
	min, cap int
	agency   string
	building bool
}

var workKinds = []workKind{
	{"1.03.10.2.01.05", "5.2.04.01.01.0005", "5.2.04.01.01.0004", "Pembangunan Jalan %[1]s %[2]s %[3]s %[4]s", .14, 1.5e9, 3, 12, pupr, false},
	{"1.03.10.2.01.08", "5.2.04.01.01.0003", "5.2.04.01.01.0004", "Rekonstruksi Jalan Ruas %[2]s - %[5]s %[3]s %[4]s", .10, 3e9, 2, 6, pupr, false},
	{"1.03.10.2.01.09", "5.2.04.01.01.0003", "5.2.04.01.01.0004", "Rehabilitasi Jalan Ruas %[2]s - %[5]s %[3]s %[4]s", .10, 2.5e9, 2, 8, pupr, false},
	{"1.03.10.2.01.10", "5.2.04.01.01.0003", "5.2.04.01.01.0004", "Pemeliharaan Berkala Jalan Ruas %[2]s - %[5]s %[3]s %[4]s", .08, 1.5e9, 2, 6, pupr, false},
	{"1.03.10.2.01.12", "5.2.04.01.02.0003", "5.2.04.01.02.0004", "Pembangunan Jembatan %[1]s %[2]s %[3]s %[4]s", .05, 3e9, 1, 3, pupr, false},
	{"1.03.10.2.01.18", "5.2.04.01.02.0003", "5.2.04.01.02.0004", "Rehabilitasi Jembatan %[1]s %[2]s %[3]s %[4]s", .02, 1.2e9, 1, 3, pupr, false},
	{"1.01.02.2.01.08", "5.2.03.01.01.0010", "5.2.03.01.01.0010", "Rehabilitasi Ruang Kelas SD Negeri %[6]d %[4]s", .05, 5e8, 2, 8, disdik, true},
	{"1.01.02.2.01.02", "5.2.03.01.01.0010", "5.2.03.01.01.0010", "Penambahan Ruang Kelas Baru SD Negeri %[6]d %[4]s", .03, 7e8, 1, 4, disdik, true},
	{"1.01.02.2.02.14", "5.2.03.01.01.0010", "5.2.03.01.01.0010", "Rehabilitasi Ruang Kelas SMP Negeri %[6]d %[7]s", .03, 8e8, 1, 4, disdik, true},
	{"1.02.02.2.01.02", "5.2.03.01.01.0006", "5.2.03.01.01.0006", "Pembangunan Puskesmas %[4]s", .03, 6e9, 1, 2, dinkes, true},
	{"1.02.02.2.01.09", "5.2.03.01.01.0006", "5.2.03.01.01.0006", "Rehabilitasi Puskesmas %[4]s", .02, 1.5e9, 1, 3, dinkes, true},
	{spamDesa, "5.2.04.02.06.0003", "5.2.04.02.06.0003", "Pembangunan SPAM Jaringan Perpipaan %[1]s %[2]s %[3]s %[4]s", .03, 1.2e9, 1, 4, pupr, false},
	{"1.03.06.2.01.05", "5.2.04.02.04.0001", "5.2.04.02.04.0001", "Pembangunan Saluran Drainase %[1]s %[2]s %[3]s %[4]s", .04, 1e9, 2, 6, pupr, false},
	{"1.03.02.2.02.14", "5.2.04.02.01.0003", "5.2.04.02.01.0003", "Rehabilitasi Jaringan Irigasi Daerah Irigasi %[2]s %[3]s %[4]s", .02, 8e8, 1, 4, pupr, false},
	{"1.03.02.2.01.24", "5.2.04.02.04.0001", "5.2.04.02.04.0001", "Rehabilitasi Tanggul Sungai Pengendali Banjir %[2]s %[3]s %[4]s", .015, 1.5e9, 1, 2, pupr, false},
}

// Water works of regencies and cities: piped water (SPAM) is built in
// rural areas of a regency and urban ones of a city. Their design and
// supervision consultancies would be booked to accounts of water
// engineering (teknik sipil air) the demo's tables do not hold, so these
// works carry none.
const (
	spamDesa = "1.03.03.2.01.04"
	spamKota = "1.03.03.2.01.03"
)

// designAcct is the account of a road or bridge work's design consultancy
// (buildings and water works have none).
const designAcct = "5.1.02.02.08.0009"

// waterWork reports whether a sub-activity is a water work (SDA, SPAM,
// drainage) rather than a road or a building.
func waterWork(sub string) bool {
	return strings.HasPrefix(sub, "1.03.02.") || strings.HasPrefix(sub, "1.03.03.") || strings.HasPrefix(sub, "1.03.06.")
}

// planProjects draws the region's construction projects and the routine
// road maintenance its public works office does itself.
func (p *plan) planProjects(rng *rand.Rand) {
	capitalBudget := float64(p.spending-p.shared) / 100 * p.profile.share[capital]
	titles := map[string]bool{}
	for _, k := range p.profile.works {
		budget := capitalBudget * k.share
		n := int(math.Round(math.Min(math.Max(budget/k.avgPagu, float64(k.min)), float64(k.cap)) * p.spec.Scale))
		var batch []*project
		var weights []float64
		for range max(n, 1) {
			pr := p.newWork(rng, k, titles)
			if pr == nil {
				continue
			}
			batch = append(batch, pr)
			weights = append(weights, lognormal(rng, 0.7))
		}
		total := 0.0
		for _, w := range weights {
			total += w
		}
		for i, pr := range batch {
			// Between Rp 60 million and four times the usual size: what a
			// region cannot spend on big works goes to other capital lines.
			limit := int64(4 * k.avgPagu * 100 * (0.75 + 0.25*rng.Float64()))
			pr.pagu = roundTo(min(max(int64(budget*weights[i]/total*100), 6e9), limit), 1e7)
			if pr.pagu > 2.5e11 && rng.IntN(5) < 2 && !waterWork(pr.sub) { // supervised works above Rp 2.5 billion
				pr.supervision = roundTo(pr.pagu*int64(25+rng.IntN(20))/1000, 1e5)
				if !k.building && rng.IntN(3) == 0 {
					pr.design = roundTo(pr.pagu*int64(15+rng.IntN(15))/1000, 1e5)
				}
			}
			p.projects = append(p.projects, pr)
		}
	}
	pu := p.agency(pupr)
	acct := p.byLevel("5.1.02.03.04.0003", "5.1.02.03.04.0004", "5.1.02.03.04.0002")
	for i, d := range p.districts {
		if i >= max(1, int(8*p.spec.Scale)) {
			break
		}
		p.projects = append(p.projects, &project{
			agency: pu, sub: p.levelSub("1.03.10.2.01.11"), acct: acct, class: goods,
			title:    fmt.Sprintf("Pemeliharaan Rutin Jalan Wilayah %s %s", d.label, d.name),
			location: fmt.Sprintf("%s %s, %s", d.label, d.name, p.name),
			pagu:     roundTo(int64(capitalBudget*0.004*lognormal(rng, 0.3)*100), 1e7), funding: "APBD", selfManaged: true,
		})
	}
}

// newWork draws one project of a kind at a random place, or nil when the
// title it drew is taken.
func (p *plan) newWork(rng *rand.Rand, k workKind, titles map[string]bool) *project {
	d := pick(rng, p.districts)
	v := pick(rng, d.villages)
	// The other end of a road section: another village, across the district
	// border if need be.
	w := v
	for range 10 {
		if w = pick(rng, pick(rng, p.districts).villages); w != v {
			break
		}
	}
	acct := k.regency
	if p.kota {
		acct = k.city
	}
	label := p.villageLabel
	if k.sub == "1.03.10.2.01.05" && p.kota {
		label = "Lingkungan Kelurahan"
	}
	format := k.title
	if w == v {
		format = strings.Replace(format, "Ruas %[2]s - %[5]s", "%[1]s %[2]s", 1)
	}
	title := fmt.Sprintf(format, label, v, d.label, d.name, w, 1+rng.IntN(12), p.short)
	if titles[title] {
		return nil
	}
	titles[title] = true
	funding := "APBD"
	if rng.Float64() < 0.2 {
		funding = "DAK"
	}
	sub := k.sub
	if sub == spamDesa && p.kota {
		sub = spamKota
	}
	pr := &project{
		agency: p.agency(k.agency), sub: sub, acct: acct, class: capital, title: title,
		location: fmt.Sprintf("%s %s, %s %s, %s", p.villageLabel, v, d.label, d.name, p.name),
		funding:  funding, supervisionAcct: "5.1.02.02.08.0020",
	}
	if k.building {
		pr.supervisionAcct = "5.1.02.02.08.0019"
		pr.location = fmt.Sprintf("%s %s, %s", d.label, d.name, p.name)
	}
	switch x := rng.Float64(); {
	case x < 0.07:
		pr.late, pr.funding = true, "APBDP"
	case x < 0.10:
		pr.dropped = true
	}
	return pr
}

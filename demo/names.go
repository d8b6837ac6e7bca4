package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Villages, suppliers and tax ids are invented. Village names are built from
// the naming patterns of three broad traditions (Sundanese, Javanese and
// Malay/general Indonesian) so a village in Jawa Barat sounds Sundanese and
// one in Sumatra does not; many such names exist somewhere in Indonesia, which
// is the point: they are plausible, not pointers to a real village budget.

var (
	sundaHead = []string{"Suka", "Mekar", "Sindang", "Karang", "Marga", "Sirna", "Jaya", "Citra", "Banjar", "Neglasari", "Bojong", "Tanjung", "Cikadu", "Ciherang", "Cibodas", "Cisarua"}
	sundaTail = []string{"mulya", "jaya", "sari", "asih", "mukti", "rahayu", "wangi", "laksana", "manah", "resmi", "galih", "makmur", "raharja", "senang", "endah"}
	jawaHead  = []string{"Sido", "Karang", "Sumber", "Tegal", "Wono", "Mulyo", "Kali", "Banyu", "Rejo", "Purwo", "Tanjung", "Gunung", "Ngesti", "Krajan", "Selo", "Pandan"}
	jawaTail  = []string{"rejo", "mulyo", "harjo", "agung", "sari", "asri", "makmur", "jati", "anyar", "wetan", "kulon", "kidul", "lor", "winangun", "utomo"}
	malayHead = []string{"Sungai", "Tanjung", "Teluk", "Bukit", "Air", "Padang", "Batu", "Kampung", "Suka", "Sri", "Lubuk", "Muara", "Pulau", "Tebing", "Koto", "Simpang", "Talang", "Pasir"}
	malayTail = []string{"Baru", "Jaya", "Makmur", "Harapan", "Indah", "Permai", "Rejo", "Sari", "Mulya", "Raya", "Tinggi", "Hitam", "Putih", "Panjang", "Lestari", "Damai", "Mekar", "Agung", "Tengah", "Besar"}
)

// nameStyle picks the village-naming tradition of a province.
func nameStyle(province string) int {
	switch province {
	case "32", "36":
		return 0 // Sundanese
	case "33", "34", "35":
		return 1 // Javanese
	}
	return 2
}

// placeName invents one village or district name in the given style.
func placeName(rng *rand.Rand, style int) string {
	switch style {
	case 0:
		return pick(rng, sundaHead) + pick(rng, sundaTail)
	case 1:
		return pick(rng, jawaHead) + pick(rng, jawaTail)
	}
	return pick(rng, malayHead) + " " + pick(rng, malayTail)
}

// uniqueNames invents n distinct place names not already in taken.
func uniqueNames(rng *rand.Rand, style, n int, taken map[string]bool) []string {
	var out []string
	for tries := 0; len(out) < n && tries < n*50; tries++ {
		name := placeName(rng, style)
		if !taken[name] {
			taken[name] = true
			out = append(out, name)
		}
	}
	return out
}

// firmWords build fictional company names; every name gets a legal-form
// marker (PT, CV, UD) so the privacy rules recognise it as an entity.
var firmWords = []string{"Karya", "Mandiri", "Sejahtera", "Bintang", "Jaya", "Abadi", "Putra", "Utama", "Cahaya", "Sentosa", "Makmur", "Berkah", "Mitra", "Anugerah", "Prima", "Nusantara", "Persada", "Perkasa", "Lestari", "Bangun", "Cipta", "Graha", "Sinar", "Mulia", "Permata", "Gemilang", "Pratama", "Wijaya", "Samudra", "Harapan", "Tunggal", "Agung", "Sakti", "Kencana", "Lintas", "Artha", "Buana", "Dirga", "Esa", "Fajar"}

// supplierKind is the line of business of a fictional supplier.
type supplierKind int

const (
	contractor supplierKind = iota
	consultant
	vendor  // goods
	service // other services: cleaning, security, catering, events
	kinds
)

// supplier is a fictional company with a company tax id.
type supplier struct {
	name  string
	taxID string
}

// firmName invents a company name for a line of business.
func firmName(rng *rand.Rand, kind supplierKind) string {
	a, b := pick(rng, firmWords), pick(rng, firmWords)
	for b == a {
		b = pick(rng, firmWords)
	}
	switch kind {
	case consultant:
		if rng.IntN(2) == 0 {
			return fmt.Sprintf("CV %s %s Konsultan", a, b)
		}
		return fmt.Sprintf("PT %s %s Engineering", a, b)
	case vendor:
		switch rng.IntN(4) {
		case 0:
			return fmt.Sprintf("UD %s %s", a, b)
		case 1:
			return fmt.Sprintf("PT %s %s Indonesia", a, b)
		}
	case service:
		if rng.IntN(3) == 0 {
			return fmt.Sprintf("PT %s %s Solusindo", a, b)
		}
	}
	form := "CV"
	if rng.IntN(3) == 0 {
		form = "PT"
	}
	c := pick(rng, firmWords)
	if c == a || c == b || rng.IntN(2) == 0 {
		return fmt.Sprintf("%s %s %s", form, a, b)
	}
	return fmt.Sprintf("%s %s %s %s", form, a, b, c)
}

// taxIDPrefixes are first two digits seen on company NPWPs.
var taxIDPrefixes = []string{"01", "02", "03", "21", "31", "41", "42", "43", "44", "53", "61", "66", "70", "71", "72", "73", "74", "75", "76", "80", "81", "82", "83", "84", "85", "86", "90", "91", "92", "93", "94", "95", "96"}

// companyTaxID invents a 15-digit company NPWP (01.572.337.2-014.000 form),
// head office (branch 000), with a tax-office number in the range the
// province's offices use so ids look local.
func companyTaxID(rng *rand.Rand, province string) string {
	office := taxOfficeSeries(province)*100 + rng.IntN(100)
	return fmt.Sprintf("%s.%03d.%03d.%d-%03d.000",
		pick(rng, taxIDPrefixes), rng.IntN(1000), rng.IntN(1000), rng.IntN(10), office)
}

// taxOfficeSeries approximates the hundreds digit of tax office (KPP)
// numbers by region: 0 Jakarta, 1–3 Sumatra, 4 Jawa Barat and Banten,
// 5 Jawa Tengah and DIY, 6 Jawa Timur, 7 Kalimantan, 8 Bali, Nusa Tenggara
// and Sulawesi, 9 Maluku and Papua.
func taxOfficeSeries(province string) int {
	switch {
	case province == "31":
		return 0
	case province == "11" || province == "12":
		return 1
	case province <= "15" || province == "21":
		return 2
	case province <= "19":
		return 3
	case province == "32" || province == "36":
		return 4
	case province == "33" || province == "34":
		return 5
	case province == "35":
		return 6
	case strings.HasPrefix(province, "6"):
		return 7
	case province <= "76":
		return 8
	}
	return 9
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

package dataset

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// A revenue line's tax or levy type is recognised by its code, else by its
// name, else by its revenue account code, so that rows regions write with
// their own codes, the names used before UU 1/2022, or only a kode rekening
// are read as the type they mean. Each way has one table: the codes and
// UU 1/2022 names are levies (levy.go), the other spellings and the former
// names are below, and the account codes are each levy's AccountCode plus
// levyRincianAccounts.

// LevyMatch says how a revenue line's type was recognised.
type LevyMatch int

const (
	// LevyUnresolved means no way named a known type.
	LevyUnresolved LevyMatch = iota
	// LevyByCode matched the type code, ignoring case and punctuation.
	LevyByCode
	// LevyByName matched a UU 1/2022 name or another spelling of one.
	LevyByName
	// LevyByFormerName matched a name used before UU 1/2022 took effect.
	LevyByFormerName
	// LevyByAccount matched the Permendagri 90/2019 revenue account code.
	LevyByAccount
)

// levySpellings are other ways regions write the UU 1/2022 (art. 4 and
// art. 88) names of taxes and levies: short forms of PBJT's five objects (art. 50),
// and the names PBB-P2 and MBLB are known by. Names are matched as
// foldLevyName folds them, so "PBJT atas Makanan dan/atau Minuman",
// "Pajak Barang dan Jasa Tertentu Makanan dan Minuman" and a trailing
// "(PBJT)" need no entry of their own, nor do the codes themselves.
var levySpellings = map[string]string{
	"PBJT Perhotelan":           "PBJT-PH",
	"PBJT Hotel":                "PBJT-PH",
	"PBJT Restoran":             "PBJT-MM",
	"PBJT Listrik":              "PBJT-TL",
	"PBJT Parkir":               "PBJT-PP",
	"PBJT Hiburan":              "PBJT-KS",
	"PBJT Kesenian dan Hiburan": "PBJT-KS",
	"Pajak Bumi dan Bangunan":   "PBB-P2",
	"PBB":                       "PBB-P2",
	"Pajak MBLB":                "MBLB",
	"Opsen Pajak Mineral Bukan Logam dan Batuan":    "OPSEN-MBLB",
	"Opsen Pajak Bea Balik Nama Kendaraan Bermotor": "OPSEN-BBNKB",
	"Retribusi PBG":            "RPT-PBG",
	"Retribusi Penggunaan TKA": "RPT-TKA",
}

// formerLevyNames maps the names regions wrote before UU 1/2022 took
// effect (5 January 2024) to the types that succeeded them. Taxes: UU
// 28/2009 art. 2(2); UU 1/2022 art. 50 folds five of them into PBJT, whose
// objects are makanan dan/atau minuman, tenaga listrik, jasa perhotelan,
// jasa parkir and jasa kesenian dan hiburan. Levies: UU 28/2009 art. 110,
// 127 and 141, as UU 1/2022 art. 88 renames them (PBG replaced IMB).
var formerLevyNames = map[string]string{
	"Pajak Hotel":                        "PBJT-PH",
	"Pajak Restoran":                     "PBJT-MM",
	"Pajak Hiburan":                      "PBJT-KS",
	"Pajak Penerangan Jalan":             "PBJT-TL",
	"PPJ":                                "PBJT-TL",
	"Pajak Parkir":                       "PBJT-PP",
	"Retribusi Izin Mendirikan Bangunan": "RPT-PBG",
	"Retribusi IMB":                      "RPT-PBG",
	"Retribusi Pelayanan Persampahan/Kebersihan":                   "RJU-KEB",
	"Retribusi Pasar Grosir dan/atau Pertokoan":                    "RJUS-TEMPAT",
	"Retribusi Tempat Pelelangan":                                  "RJUS-LELANG",
	"Retribusi Terminal":                                           "RJUS-TERMINAL",
	"Retribusi Tempat Khusus Parkir":                               "RJUS-PARKIR",
	"Retribusi Tempat Penginapan/Pesanggrahan/Villa":               "RJUS-PENGINAPAN",
	"Retribusi Tempat Penginapan/Pesanggrahan/Vila":                "RJUS-PENGINAPAN",
	"Retribusi Rumah Potong Hewan":                                 "RJUS-RPH",
	"Retribusi Pelayanan Kepelabuhanan":                            "RJUS-PELABUHAN",
	"Retribusi Tempat Rekreasi dan Olahraga":                       "RJUS-REKREASI",
	"Retribusi Penyeberangan di Air":                               "RJUS-PENYEBERANGAN",
	"Retribusi Penjualan Produksi Usaha Daerah":                    "RJUS-PRODUKSI",
	"Retribusi Perpanjangan Izin Mempekerjakan Tenaga Kerja Asing": "RPT-TKA",
}

// levyRincianAccounts are the revenue accounts at rincian objek level
// (Permendagri 90/2019, as Kepmendagri 050-5889/2021 numbers them) of
// levies that share their objek with others, so that the objek alone
// (4.1.02.01, Retribusi Jasa Umum) does not say which levy a line is. Jasa
// usaha follows the order of UU 28/2009 art. 127; 4.1.02.01.01,
// 4.1.02.02.01, .06, .09, .11 and 4.1.02.03.06 are as the 2021 APBD export
// in the shared reference data writes them; 4.1.02.03.01 is the first
// perizinan tertentu object, IMB, which PBG succeeded. Jasa umum and
// perizinan tertentu objects whose number the nomenclature changed are
// left out rather than guessed.
var levyRincianAccounts = map[string]string{
	"4.1.02.01.01": "RJU-KES",
	"4.1.02.02.01": "RJUS-KEKAYAAN",
	"4.1.02.02.02": "RJUS-TEMPAT",
	"4.1.02.02.03": "RJUS-LELANG",
	"4.1.02.02.04": "RJUS-TERMINAL",
	"4.1.02.02.05": "RJUS-PARKIR",
	"4.1.02.02.06": "RJUS-PENGINAPAN",
	"4.1.02.02.07": "RJUS-RPH",
	"4.1.02.02.08": "RJUS-PELABUHAN",
	"4.1.02.02.09": "RJUS-REKREASI",
	"4.1.02.02.10": "RJUS-PENYEBERANGAN",
	"4.1.02.02.11": "RJUS-PRODUKSI",
	"4.1.02.03.01": "RPT-PBG",
	"4.1.02.03.06": "RPT-TKA",
}

// levyIndex finds levies by folded code, folded name and account code.
type levyIndex struct {
	code, name, former, account map[string]int
}

var levyIdx = newLevyIndex()

func newLevyIndex() *levyIndex {
	x := &levyIndex{code: map[string]int{}, name: map[string]int{}, former: map[string]int{}, account: map[string]int{}}
	at := map[string]int{}
	for i, l := range levies {
		at[l.Code] = i
		x.code[NormalizeColumn(l.Code)] = i
	}
	pos := func(table, code string) int {
		i, ok := at[code]
		if !ok {
			panic(fmt.Sprintf("%s: %s is no levy code", table, code))
		}
		return i
	}
	// A name naming two types would make the type depend on map order.
	add := func(m map[string]int, table, name string, i int) {
		n := foldLevyName(name)
		if j, dup := m[n]; dup && j != i {
			panic(fmt.Sprintf("%s: %q names both %s and %s", table, name, levies[j].Code, levies[i].Code))
		}
		m[n] = i
	}
	for i, l := range levies {
		add(x.name, "levies", l.Name, i)
		add(x.name, "levies", l.Code, i)
	}
	for name, code := range levySpellings {
		add(x.name, "levySpellings", name, pos("levySpellings", code))
	}
	for name, code := range formerLevyNames {
		if _, dup := x.name[foldLevyName(name)]; dup {
			panic(fmt.Sprintf("formerLevyNames: %q is a current name", name))
		}
		add(x.former, "formerLevyNames", name, pos("formerLevyNames", code))
	}
	shared := map[string]int{}
	for _, l := range levies {
		shared[l.AccountCode]++
	}
	for i, l := range levies {
		if l.AccountCode != "" && shared[l.AccountCode] == 1 {
			x.account[l.AccountCode] = i
		}
	}
	for acct, code := range levyRincianAccounts {
		x.account[acct] = pos("levyRincianAccounts", code)
	}
	return x
}

// pbjtWords spells out PBJT, which names are written both ways.
var pbjtWords = []string{"pajak", "barang", "jasa", "tertentu"}

// foldLevyName folds a tax or levy name for matching: lower case, words of
// letters and digits only, without parenthesised parts ("Pajak Kendaraan
// Bermotor (PKB)"), without the joining words atas, dan, atau ("PBJT atas
// Makanan dan/atau Minuman" = "PBJT Makanan Minuman"), PBJT spelled out.
func foldLevyName(s string) string {
	var words []string
	depth := 0
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	var kept strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			kept.WriteRune(r)
		}
	}
	for _, w := range strings.FieldsFunc(kept.String(), func(r rune) bool { return !word(r) }) {
		switch w {
		case "atas", "dan", "atau":
		case "pbjt":
			words = append(words, pbjtWords...)
		default:
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// levyAccountKey writes a revenue account code with a two-digit jenis, as
// SIPD does (4.1.1.01 → 4.1.01.01; see ParseAccountCode).
func levyAccountKey(code string) []string {
	if c, _, err := ParseAccountCode(code); err == nil {
		code = c
	}
	return strings.Split(strings.TrimSpace(code), ".")
}

// ResolveLevy returns the tax or levy type a revenue line means: the type
// whose code its code is (ignoring case and punctuation), else the one its
// name names (a UU 1/2022 name, another spelling of one, or a name used
// before UU 1/2022, matched as foldLevyName folds), else the one its
// account code is an account of (at rincian objek or objek level).
func ResolveLevy(code, name, account string) (Levy, LevyMatch) {
	if n := NormalizeColumn(code); n != "" {
		if i, ok := levyIdx.code[n]; ok {
			return levies[i], LevyByCode
		}
	}
	if n := foldLevyName(name); n != "" {
		if i, ok := levyIdx.name[n]; ok {
			return levies[i], LevyByName
		}
		if i, ok := levyIdx.former[n]; ok {
			return levies[i], LevyByFormerName
		}
	}
	parts := levyAccountKey(account)
	for n := min(len(parts), 5); n >= 4; n-- {
		if i, ok := levyIdx.account[strings.Join(parts[:n], ".")]; ok {
			return levies[i], LevyByAccount
		}
	}
	return Levy{}, LevyUnresolved
}

// LevyNames returns the other names a levy is recognised by, for the
// documentation: other spellings of its UU 1/2022 name, and the names
// used before UU 1/2022 (former). Each list is sorted.
func LevyNames(code string) (spellings, former []string) {
	for name, c := range levySpellings {
		if c == code {
			spellings = append(spellings, name)
		}
	}
	for name, c := range formerLevyNames {
		if c == code {
			former = append(former, name)
		}
	}
	slices.Sort(spellings)
	slices.Sort(former)
	return spellings, former
}

// LevyAccounts returns the revenue account codes a levy is recognised by,
// shortest first.
func LevyAccounts(code string) []string {
	var accts []string
	for acct, i := range levyIdx.account {
		if levies[i].Code == code {
			accts = append(accts, acct)
		}
	}
	slices.Sort(accts)
	return accts
}

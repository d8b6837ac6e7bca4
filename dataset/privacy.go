package dataset

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// taxIDPattern accepts an NPWP of 15 digits (01.572.337.2-014.000, bare,
// or grouped otherwise, as 0157 2337 2014 000) or of 16 digits, the form
// introduced in 2024: digits, with at most one separator (space, dot or
// dash) between two of them.
var taxIDPattern = regexp.MustCompile(`^\d(?:[ .-]?\d){14,15}$`)

// companyMarkers are the legal-form words that show a supplier is an
// entity, not a person. They are matched as whole words (see nameWords).
// Two-letter words that are also given names are not among them: "Jo"
// (joint operation), "Fa" (firma) and "Co" are read as Jo Kurniawan, Fa
// Rudi or Co Hendra far more often than as a legal form, and a person's
// NPWP read as a company's is published; such firms are written with
// another marker as well (PT, KSO, Firma, Ltd).
var companyMarkers = []string{
	"pt", "cv", "ud", "pd", "firma", "koperasi", "kop", "kud", "ksu", "ksp", "yayasan",
	"persero", "perseroan", "perseroda", "tbk", "perum", "perumda", "bumd", "bumn", "bumdes",
	"kso", "joint", "ltd", "limited", "inc", "corp", "corporation", "llc", "gmbh", "bv", "pte",
}

// MaskedValue replaces personal data removed from a record.
const MaskedValue = "[disamarkan]"

// protectPrivacy removes personal identifiers: a 16-digit NPWP that is a
// NIK, an NPWP of a supplier that is not visibly a company, and NIKs (in
// any of the shapes of nikShapes) inside text and codes. Each removal is
// reported as a warning that does not repeat the value.
func (s *Schema) protectPrivacy(r Record) []Issue {
	var issues []Issue
	taxID := s.Index("supplier_tax_id")
	if taxID >= 0 && r[taxID].Valid {
		if why := personalTaxID(r[taxID].Str, s.get(r, "supplier_name").Str); why != nil {
			r[taxID] = Value{}
			issues = append(issues, Issue{Field: "supplier_tax_id", Err: why, Warning: true})
		} else {
			r[taxID].Str = CanonicalTaxID(r[taxID].Str)
		}
	}
	for i, f := range s.Fields {
		if f.Type != Text && f.Type != Code || !r[i].Valid || f.Derived || i == taxID {
			continue
		}
		if masked, ok := maskNIKs(r[i].Str); ok {
			r[i].Str = masked
			issues = append(issues, Issue{Field: f.Name, Warning: true,
				Err: fieldErr("privacy_nik", "memuat angka 16 digit yang mungkin NIK; disamarkan", "contains a 16-digit number that may be a NIK; masked")})
		}
	}
	return issues
}

// CanonicalTaxID writes a company's NPWP one way, so that its contracts
// are found together whatever spelling each feed used: the 15 digits as
// NN.NNN.NNN.N-NNN.NNN, also for a 16-digit NPWP made of them behind a 0
// (0015723372014000 is 01.572.337.2-014.000). Anything else is returned as
// it is.
func CanonicalTaxID(id string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, id)
	if len(digits) == 16 && digits[0] == '0' {
		digits = digits[1:]
	}
	if len(digits) != 15 {
		return id
	}
	return digits[:2] + "." + digits[2:5] + "." + digits[5:8] + "." + digits[8:9] + "-" + digits[9:12] + "." + digits[12:]
}

// personalTaxID says why a tax id must not be published, or nil when it is
// a company's.
func personalTaxID(id, supplier string) *FieldError {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, id)
	if len(digits) == 16 && digits[0] != '0' {
		return fieldErr("privacy_nik", "NPWP 16 digit ini adalah NIK perorangan; disamarkan", "this 16-digit NPWP is a person's NIK; masked")
	}
	if !IsCompanyName(supplier) {
		return fieldErr("privacy_npwp", "penyedia bukan badan usaha yang jelas; NPWP disamarkan", "the supplier is not clearly a company; NPWP masked")
	}
	return nil
}

// IsCompanyName reports whether a supplier name carries a legal-form
// marker (PT, CV, Koperasi, Tbk…; see companyMarkers) as a whole word:
// "PT. Jaya Abadi", "P.T. Jaya Abadi", "CV.Maju" and "Koperasi Unit Desa
// Sejahtera" are companies, "Jo Kurniawan" and "Ptolemy" are not.
func IsCompanyName(name string) bool {
	for _, w := range nameWords(name) {
		if slices.Contains(companyMarkers, w) {
			return true
		}
	}
	return false
}

// nameWords splits a name into lower-case words at anything that is not a
// letter or digit. Dots end a word ("PT.Jaya" is "pt", "jaya"), except in
// an abbreviation of single letters, which is one word ("P.T." is "pt").
func nameWords(name string) []string {
	var words []string
	for _, tok := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return r != '.' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		parts := strings.FieldsFunc(tok, func(r rune) bool { return r == '.' })
		if len(parts) > 1 && !slices.ContainsFunc(parts, func(p string) bool { return utf8.RuneCountInString(p) != 1 }) {
			parts = []string{strings.Join(parts, "")}
		}
		words = append(words, parts...)
	}
	return words
}

// A NIK (Nomor Induk Kependudukan) is 16 digits: the code of the
// kecamatan that issued it (province, regency and district, 2 digits
// each), the holder's birth date as DDMMYY (women add 40 to the day) and a
// 4-digit serial: 3273 01 120390 0001. An individual's 16-digit NPWP is the
// NIK. It starts with a province code, so never with 0 (a company's
// 16-digit NPWP does) nor 10.
//
// People write a NIK in one run or in groups joined by separators (spaces,
// a dot or a dash, mixed or not; see separatorLen). The groups follow
// either its parts or the card-number habit of fours; nikShapes lists the
// digits of each group of every shape recognised. A shape is matched on a
// whole group, never on part of one, so:
//
//   - a run of 16 digits is a NIK, wherever it is; 15 or 17 digits are not;
//   - 7171-0123-4567-8901, 7171 0123 4567 8901, 7171.0123.4567.8901 (4-4-4-4),
//     717101 234567 8901 (6-6-4), 71.71.01.234567.8901 (2-2-2-6-4),
//     7171.01.234567.8901 (4-2-6-4), 717101 23 45 67 8901 (6-2-2-2-4) and
//     the parts split further are NIKs;
//   - no shape has a group of 1 or 3 digits, so account and nomenclature
//     codes (5.1.02.01.01.0024), amounts grouped in thousands
//     (1.234.567.890.123,00) and NPWPs (01.572.337.2-014.000) are not NIKs;
//   - nor are dates (2024-01-15, 15-01-2024 31-12-2024: 2-2-4-2-2-4 is not
//     a shape), RUP and tender ids (8 to 10 digits, alone or in pairs:
//     51554309 51554310), or a number starting with 0.
//
// A NIK-shaped part of a longer chain of groups is found too (NIK 3273
// 0123 4567 8901 2 orang), and then the whole chain is masked: which
// groups are the NIK is a guess, and no guess may leave it readable.
var nikShapes = [][]int{
	{16},
	{4, 4, 4, 4},
	{6, 6, 4}, {2, 2, 2, 6, 4}, {4, 2, 6, 4},
	{6, 2, 2, 2, 4}, {2, 2, 2, 2, 2, 2, 4}, {4, 2, 2, 2, 2, 4},
}

// nikProvinces are the first two digits a NIK can have: the Kemendagri
// province codes (TestNIKProvinces checks them against the region list).
// A 16-digit number starting otherwise (0…, a company's NPWP; 10…, as
// LKPP's participant lists hold) is no one's NIK.
var nikProvinces = func() (set [100]bool) {
	for _, p := range []int{11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
		61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96} {
		set[p] = true
	}
	return set
}()

// nikProvince reports whether s starts with two digits that are a
// province code.
func nikProvince(s string) bool {
	return len(s) >= 2 && isDigit(s[0]) && isDigit(s[1]) && nikProvinces[int(s[0]-'0')*10+int(s[1]-'0')]
}

// npwpShapes are how a 15-digit NPWP is written: a 9-digit taxpayer
// number, a check digit, the tax office (3) and the branch (3), as in
// 09.254.294.3-407.000, in one run or in fours (0925 4294 3407 000).
var npwpShapes = [][]int{{15}, {2, 3, 3, 1, 3, 3}, {4, 4, 4, 3}}

// idKind is one kind of identifier to mask: its shapes, and whether it may
// start with 0.
type idKind struct {
	shapes   [][]int
	zeroLead bool
}

var (
	// nik is a NIK, or an individual's 16-digit NPWP.
	nik = idKind{shapes: nikShapes}
	// taxID16 is any 16-digit NPWP, a company's (0…) included.
	taxID16 = idKind{shapes: nikShapes, zeroLead: true}
	// taxID15 is a 15-digit NPWP, a person's or a company's.
	taxID15 = idKind{shapes: npwpShapes, zeroLead: true}
)

// maskNIKs replaces every digit chain holding a NIK (see nikShapes) with
// MaskedValue and reports whether it did.
func maskNIKs(s string) (string, bool) { return maskIDs(s, nik) }

// HasNIK reports whether s holds a NIK, or an individual's 16-digit NPWP,
// in any of the shapes it is written in (see nikShapes).
func HasNIK(s string) bool {
	_, found := maskNIKs(s)
	return found
}

// MaskIDs replaces every NIK- or NPWP-shaped number in s, a person's or a
// company's, with MaskedValue. It is for text that repeats what a feed
// held, such as a validation report, where whose id a number is cannot be
// known and the row and column say enough.
func MaskIDs(s string) string {
	masked, _ := maskIDs(s, taxID16, taxID15)
	return masked
}

// digitGroup is a run of ASCII digits, s[start:end].
type digitGroup struct{ start, end int }

// maskIDs replaces every digit chain (groups of digits joined by
// separators) that holds an identifier of one of kinds with MaskedValue. It scans bytes
// instead of using a regular expression: it runs on every text cell of
// every feed, and most cells have no digits at all.
func maskIDs(s string, kinds ...idKind) (string, bool) {
	var b strings.Builder
	var buf [8]digitGroup
	last, found := 0, false
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		chain := digitChain(s, i, buf[:0])
		end := chain[len(chain)-1].end
		if holdsID(s, chain, kinds) {
			b.WriteString(s[last:i])
			b.WriteString(MaskedValue)
			last, found = end, true
		}
		i = end
	}
	if !found {
		return s, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// digitChain returns the groups of the chain of digits that starts at
// s[i]: runs of digits each joined to the next by a separator.
func digitChain(s string, i int, groups []digitGroup) []digitGroup {
	for {
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		groups = append(groups, digitGroup{i, j})
		n := separatorLen(s[j:])
		if n == 0 || j+n >= len(s) || !isDigit(s[j+n]) {
			return groups
		}
		i = j + n
	}
}

// A separator joins two groups of a written id: a run of spaces, a dash or
// a dot, or a dash or dot with spaces on both sides (7171 - 0123). A dot
// with a space on one side only ends a sentence, and joins nothing. The
// look-alikes that spreadsheets and word processors paste count: no-break
// spaces, the non-breaking hyphen and the en dash.
var (
	idSpaces = []string{" ", "\u00a0", "\u202f"}
	idMarks  = []string{".", "-", "\u2011", "\u2013"}
)

// separatorLen returns the length of the separator s starts with, or 0.
func separatorLen(s string) int {
	if n := prefixLen(s, idMarks); n > 0 {
		return n
	}
	before := spacesLen(s)
	if before == 0 {
		return 0
	}
	mark := prefixLen(s[before:], idMarks)
	if mark == 0 {
		return before
	}
	if after := spacesLen(s[before+mark:]); after > 0 {
		return before + mark + after
	}
	return 0
}

// spacesLen returns the length of the run of spaces s starts with.
func spacesLen(s string) int {
	n := 0
	for m := prefixLen(s, idSpaces); m > 0; m = prefixLen(s[n:], idSpaces) {
		n += m
	}
	return n
}

// prefixLen returns the length of the one of seps that s starts with, or 0.
func prefixLen(s string, seps []string) int {
	for _, sep := range seps {
		if strings.HasPrefix(s, sep) {
			return len(sep)
		}
	}
	return 0
}

// holdsID reports whether consecutive groups of chain are written in a
// shape of one of kinds.
func holdsID(s string, chain []digitGroup, kinds []idKind) bool {
	for k := range chain {
		for _, kind := range kinds {
			if !kind.zeroLead && !nikProvince(s[chain[k].start:]) {
				continue
			}
			for _, shape := range kind.shapes {
				if fits(chain[k:], shape) {
					return true
				}
			}
		}
	}
	return false
}

// fits reports whether groups start with groups of the sizes of shape.
func fits(groups []digitGroup, shape []int) bool {
	if len(groups) < len(shape) {
		return false
	}
	for i, n := range shape {
		if groups[i].end-groups[i].start != n {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// IsPersonalAddressColumn reports whether a column name says it holds the
// address of a supplier or another person, which is never published. An
// agency's office address (alamat_satker) is not personal.
func IsPersonalAddressColumn(name string) bool {
	n := strings.ToLower(name)
	if !strings.Contains(n, "alamat") && !strings.Contains(n, "address") && !strings.Contains(n, "domisili") {
		return false
	}
	for _, who := range []string{"penyedia", "supplier", "pemilik", "peserta", "pemenang", "rumah", "domisili", "perorangan", "pribadi", "wajib pajak", "wajib_pajak", "wp"} {
		if strings.Contains(n, who) {
			return true
		}
	}
	return false
}

package dataset

import (
	"regexp"
	"strings"
)

// taxIDPattern accepts an NPWP as 15 digits (01.234.567.8-901.000 or bare)
// or as the 16-digit form introduced in 2024.
var taxIDPattern = regexp.MustCompile(`^(\d{2}\.?\d{3}\.?\d{3}\.?\d[-.]?\d{3}\.?\d{3}|\d{16})$`)

// companyMarkers are the legal-form words that show a supplier is an entity,
// not a person.
var companyMarkers = []string{"pt", "pt.", "cv", "cv.", "ud", "ud.", "pd", "fa", "firma", "koperasi", "kop", "yayasan", "persero", "perum", "perseroan", "tbk", "tbk.", "bumd", "bumn", "ksu", "kso", "joint", "jo", "ltd", "inc", "co", "corp", "gmbh", "bv", "pte"}

// MaskedValue replaces personal data removed from a record.
const MaskedValue = "[disamarkan]"

// protectPrivacy removes personal identifiers: a 16-digit NPWP that is a
// NIK, an NPWP of a supplier that is not visibly a company, and NIK-like
// numbers inside free text. Each removal is reported as a warning.
func (s *Schema) protectPrivacy(r Record) []Issue {
	var issues []Issue
	if i := s.Index("supplier_tax_id"); i >= 0 && r[i].Valid {
		if why := personalTaxID(r[i].Str, s.get(r, "supplier_name").Str); why != nil {
			r[i] = Value{}
			issues = append(issues, Issue{Field: "supplier_tax_id", Err: why, Warning: true})
		}
	}
	for i, f := range s.Fields {
		if f.Type != Text || !r[i].Valid || f.Derived {
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

// IsCompanyName reports whether a supplier name carries a legal-form marker
// such as PT, CV or Koperasi.
func IsCompanyName(name string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return r == ' ' || r == ',' || r == '(' || r == ')' || r == '/'
	}) {
		for _, m := range companyMarkers {
			if w == m || strings.HasPrefix(w, m+".") {
				return true
			}
		}
	}
	return false
}

// maskNIKs replaces every run of exactly 16 digits not starting with 0 (the
// shape of a NIK) with MaskedValue. It scans bytes instead of using a
// regular expression: it runs on every text cell of every feed, and most
// cells have no long digit run at all.
func maskNIKs(s string) (string, bool) {
	var b strings.Builder
	last, found := 0, false
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j-i == 16 && s[i] != '0' {
			b.WriteString(s[last:i])
			b.WriteString(MaskedValue)
			last, found = j, true
		}
		i = j
	}
	if !found {
		return s, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// HasNIK reports whether s holds a run of exactly 16 digits not starting
// with 0: the shape of a NIK, or of an individual's 16-digit NPWP.
func HasNIK(s string) bool {
	_, found := maskNIKs(s)
	return found
}

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

package dataset

import "fmt"

// Issue is a problem found in a parsed record by the cross-field rules,
// reference checks and privacy rules of Complete.
type Issue struct {
	Field string
	// Value is the offending value as received (masked values are not repeated).
	Value string
	Err   *FieldError
	// Warning issues do not stop a feed: the record was corrected (for
	// example a personal tax id masked) and the report says so.
	Warning bool
}

// Complete finishes a parsed record: it checks the region against the
// reference list, fills the derived fields, applies the privacy rules and
// the dataset's cross-field rules. The record id is left to the caller,
// which alone knows how often a key has occurred in the feed.
func (s *Schema) Complete(r Record, regions *Regions) []Issue {
	var issues []Issue
	code := r[s.idxRegion].Str
	reg := regions.Lookup(code)
	if reg == nil && r[s.idxRegion].Valid {
		issues = append(issues, Issue{Field: FieldRegionCode, Value: code,
			Err: fieldErr("region_unknown", "kode wilayah tidak ada dalam daftar Kemendagri 2025", "is not a region code in the Kemendagri 2025 list")})
	}
	if reg != nil {
		s.set(r, FieldRegionName, StringValue(reg.Name))
		s.set(r, FieldProvinceCode, StringValue(reg.ProvinceCode))
	}
	if i := s.Index(FieldAccountGroup); i >= 0 {
		if g := AccountGroup(s.get(r, FieldAccountCode).Str); g != "" {
			r[i] = StringValue(g)
		}
	}
	issues = append(issues, s.protectPrivacy(r)...)
	switch s.Name {
	case "revenue":
		issues = append(issues, checkRevenue(s, r)...)
	case budgetAccounts.Name:
		issues = append(issues, checkAccountLevel(s, r)...)
	}
	return issues
}

// checkAccountLevel fills an account's level from its code, or checks the
// level the feed gave: one that disagrees says the code was mangled (a
// spreadsheet dropping a trailing zero) or the row misplaced.
func checkAccountLevel(s *Schema, r Record) []Issue {
	code := s.get(r, FieldAccountCode).Str
	level := AccountLevel(code)
	if given := s.get(r, FieldAccountLevel); given.Valid && given.Int != int64(level) {
		return []Issue{{Field: FieldAccountLevel, Value: fmt.Sprint(given.Int), Err: fieldErr("account_level",
			"tingkat %d tidak sesuai dengan kode rekening %s, yang bertingkat %d (%s)", "level %d does not agree with the account code %s, which is of level %d (%s)",
			given.Int, code, level, AccountLevelName(level).ID)}}
	}
	s.set(r, FieldAccountLevel, IntValue(int64(level)))
	return nil
}

func (s *Schema) set(r Record, name string, v Value) {
	if i := s.Index(name); i >= 0 {
		r[i] = v
	}
}

func (s *Schema) get(r Record, name string) Value {
	if i := s.Index(name); i >= 0 {
		return r[i]
	}
	return Value{}
}

func checkRevenue(s *Schema, r Record) []Issue {
	var issues []Issue
	if !s.get(r, "target").Valid && !s.get(r, "realized").Valid {
		issues = append(issues, Issue{Field: "realized",
			Err: fieldErr("required", "target atau realisasi wajib diisi", "target or realized is required")})
	}
	if ac := s.get(r, FieldAccountCode); ac.Valid && AccountGroup(ac.Str) != "pendapatan" {
		issues = append(issues, Issue{Field: FieldAccountCode, Value: ac.Str,
			Err: fieldErr("account_group", "pajak/retribusi harus memakai kode rekening pendapatan (4…)", "taxes and levies must use a revenue account code (4…)")})
	}
	return append(issues, resolveRevenueType(s, r)...)
}

// resolveRevenueType settles a revenue line's type (see ResolveLevy): the
// record gets the type's code, and its name when the feed gave none; the
// name a region wrote is kept. An unknown code whose type the name or
// account code gives is a warning, a type found no way is an error.
func resolveRevenueType(s *Schema, r Record) []Issue {
	code, name, acct := s.get(r, "type_code").Str, s.get(r, "type_name").Str, s.get(r, FieldAccountCode).Str
	t, by := ResolveLevy(code, name, acct)
	if by == LevyUnresolved {
		field, value := "type_code", code
		if code == "" {
			field, value = "type_name", name
		}
		return []Issue{{Field: field, Value: value, Err: &FieldError{Code: "levy_unknown", Msg: Label{
			ID: fmt.Sprintf("jenis pajak/retribusi tidak dikenali dari kode (%s), nama (%s) maupun kode rekening (%s); isi salah satu: kode jenis UU 1/2022 (mis. PBJT-MM), nama jenis (mis. PBJT atas Makanan dan/atau Minuman, atau nama lama Pajak Restoran) atau kode rekening pendapatan Permendagri 90/2019 (mis. 4.1.01.07)",
				shown(code, "kosong"), shown(name, "kosong"), shown(acct, "kosong")),
			EN: fmt.Sprintf("the tax or levy type is recognised neither by its code (%s), its name (%s) nor its account code (%s); give one of: a UU 1/2022 type code (e.g. PBJT-MM), the type's name (e.g. PBJT atas Makanan dan/atau Minuman, or the former Pajak Restoran) or a Permendagri 90/2019 revenue account code (e.g. 4.1.01.07)",
				shown(code, "empty"), shown(name, "empty"), shown(acct, "empty"))}}}}
	}
	s.set(r, "type_code", StringValue(t.Code))
	if name == "" {
		s.set(r, "type_name", StringValue(t.Name))
	}
	var issues []Issue
	if code != "" && by != LevyByCode {
		issues = append(issues, Issue{Field: "type_code", Value: code, Warning: true, Err: levyResolvedMsg(t, by, name, acct)})
	}
	if kind := s.get(r, "kind").Str; kind != "" && t.Kind != kind {
		issues = append(issues, Issue{Field: "kind", Value: kind,
			Err: fieldErr("levy_kind", "%s adalah %s, bukan %s", "%s is a %s, not a %s", t.Code, t.Kind, kind)})
	}
	return issues
}

// levyResolvedMsg says how a type whose code is unknown was recognised.
func levyResolvedMsg(t Levy, by LevyMatch, name, acct string) *FieldError {
	fromID, fromEN := "kode rekening "+acct, "the account code "+acct
	switch by {
	case LevyByName:
		fromID, fromEN = fmt.Sprintf("nama %q", name), fmt.Sprintf("the name %q", name)
	case LevyByFormerName:
		fromID, fromEN = fmt.Sprintf("nama lama (sebelum UU 1/2022) %q", name), fmt.Sprintf("the former (pre-UU 1/2022) name %q", name)
	}
	return &FieldError{Code: "levy_code_resolved", Msg: Label{
		ID: fmt.Sprintf("kode jenis tidak dikenal; jenis dikenali dari %s sebagai %s (%s) dan baris disimpan dengan kode itu", fromID, t.Code, t.Name),
		EN: fmt.Sprintf("unknown type code; the type was recognised from %s as %s (%s) and the row is kept with that code", fromEN, t.Code, t.Name)}}
}

// shown quotes a value for a message, or says it was empty.
func shown(s, empty string) string {
	if s == "" {
		return empty
	}
	return fmt.Sprintf("%q", s)
}

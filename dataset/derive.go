package dataset

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
	}
	return issues
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
	kind, code := s.get(r, "kind").Str, s.get(r, "type_code").Str
	if t, ok := LookupLevy(code); !ok {
		issues = append(issues, Issue{Field: "type_code", Value: code,
			Err: fieldErr("levy_unknown", "bukan kode jenis pajak/retribusi UU 1/2022 yang dikenal", "is not a known UU 1/2022 tax or levy code")})
	} else if t.Kind != kind {
		issues = append(issues, Issue{Field: "kind", Value: kind,
			Err: fieldErr("levy_kind", "%s adalah %s, bukan %s", "%s is a %s, not a %s", code, t.Kind, kind)})
	}
	return issues
}

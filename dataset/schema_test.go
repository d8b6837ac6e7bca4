package dataset

import (
	"slices"
	"strings"
	"testing"
)

func TestSchemasAreConsistent(t *testing.T) {
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			for _, f := range s.Fields {
				if f.Label.ID == "" || f.Label.EN == "" || f.Description.ID == "" || f.Description.EN == "" {
					t.Errorf("field %s lacks a label or description in one language", f.Name)
				}
				if f.Type == Enum && len(f.Allowed) == 0 && !f.Derived {
					t.Errorf("enum field %s has no allowed values", f.Name)
				}
				if f.Derived && f.Required {
					t.Errorf("field %s is both derived and required", f.Name)
				}
			}
			if s.Field(s.Amount).Type != Money {
				t.Errorf("amount field %s is not money", s.Amount)
			}
			cols := s.Columns()
			if cols[0] != FieldRegionCode || cols[1] != FieldFiscalYear {
				t.Errorf("feed columns start %v, want region_code, fiscal_year", cols[:2])
			}
		})
	}
}

func TestRegions(t *testing.T) {
	regs := LoadRegions()
	if got := len(regs.Provinces()); got != 38 {
		t.Errorf("provinces = %d, want 38", got)
	}
	if got := len(regs.All()) - 38; got != 514 {
		t.Errorf("regencies and cities = %d, want 514", got)
	}
	bdg := regs.Lookup("32.73")
	if bdg == nil || bdg.Name != "Kota Bandung" || bdg.Kind != "kota" || bdg.ProvinceCode != "32" || bdg.Population < 2_000_000 {
		t.Errorf("Lookup(32.73) = %+v, want Kota Bandung in 32 with its population", bdg)
	}
	if n := len(regs.Children("32")); n != 27 {
		t.Errorf("Jawa Barat has %d regencies and cities, want 27", n)
	}
	if !strings.Contains(RegionsLicence(), "MIT License") {
		t.Error("region licence is not embedded")
	}
}

func mustParse(t *testing.T, s *Schema, values map[string]string) Record {
	t.Helper()
	r := make(Record, len(s.Fields))
	for name, raw := range values {
		v, err := s.Field(name).Parse(raw)
		if err != nil {
			t.Fatalf("parse %s=%q: %v", name, raw, err)
		}
		r[s.Index(name)] = v
	}
	return r
}

func TestCompleteBudget(t *testing.T) {
	s, _ := Lookup("budget")
	r := mustParse(t, s, map[string]string{"region_code": "32.73", "fiscal_year": "2024", "stage": "Murni",
		"agency_name": "Dinas Pendidikan", "account_code": "5.1.02.01.01.0024", "account_name": "Belanja ATK", "amount": "1.500.000"})
	if issues := s.Complete(r, LoadRegions()); len(issues) != 0 {
		t.Fatalf("Complete: %+v", issues)
	}
	for field, want := range map[string]string{"region_name": "Kota Bandung", "province_code": "32", "account_group": "belanja", "stage": "murni"} {
		if got := r[s.Index(field)].Str; got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	id1 := s.RecordID(r, 1)
	if id2 := s.RecordID(r, 2); id1 == id2 || len(id1) != 16 {
		t.Errorf("RecordID occurrences 1 and 2 = %s, %s: want distinct 16-hex ids", id1, id2)
	}
	r[s.Index("amount")] = IntValue(1)
	if id := s.RecordID(r, 1); id != id1 {
		t.Errorf("changing the amount changed the record id: %s → %s", id1, id)
	}
}

func TestCompleteRejectsUnknownRegion(t *testing.T) {
	s, _ := Lookup("budget")
	r := mustParse(t, s, map[string]string{"region_code": "32.99", "fiscal_year": "2024", "stage": "murni",
		"agency_name": "X", "account_code": "5.1", "account_name": "Belanja", "amount": "1"})
	issues := s.Complete(r, LoadRegions())
	if len(issues) != 1 || issues[0].Field != FieldRegionCode || issues[0].Err.Code != "region_unknown" || issues[0].Warning {
		t.Fatalf("Complete = %+v, want one region_unknown error", issues)
	}
}

func TestPrivacy(t *testing.T) {
	s, _ := Lookup("procurement")
	base := map[string]string{"region_code": "32.73", "fiscal_year": "2024", "package_id": "123", "title": "Pengadaan ATK",
		"agency_name": "Dinas", "method": "tender", "budget_ceiling": "100"}
	tests := []struct {
		name, supplier, taxID string
		masked                bool
	}{
		{"company npwp kept", "PT. Wahana Reka Tekindo", "01.572.337.2-014.000", false},
		{"company 16-digit npwp kept", "CV Bintang", "0015723372014000", false},
		{"nik as npwp masked", "PT Maju", "3273011203900001", true},
		{"person's npwp masked", "Budi Santoso", "01.572.337.2-014.000", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := map[string]string{"supplier_name": tt.supplier, "supplier_tax_id": tt.taxID}
			for k, v := range base {
				vals[k] = v
			}
			r := mustParse(t, s, vals)
			issues := s.Complete(r, LoadRegions())
			got := !r[s.Index("supplier_tax_id")].Valid
			if got != tt.masked {
				t.Fatalf("masked = %v, want %v (issues %+v)", got, tt.masked, issues)
			}
			if tt.masked && (len(issues) != 1 || !issues[0].Warning || strings.Contains(issues[0].Value, tt.taxID)) {
				t.Errorf("issues = %+v, want one warning that does not repeat the id", issues)
			}
		})
	}
	r := mustParse(t, s, map[string]string{"region_code": "32.73", "fiscal_year": "2024", "package_id": "1", "title": "Bantuan untuk NIK 3273011203900001 rumah",
		"agency_name": "Dinas", "method": "tender", "budget_ceiling": "100"})
	s.Complete(r, LoadRegions())
	if got := r[s.Index("title")].Str; strings.Contains(got, "3273011203900001") || !strings.Contains(got, MaskedValue) {
		t.Errorf("title = %q, want the NIK masked", got)
	}
}

func TestMaskNIKs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"tanpa angka", "tanpa angka"},
		{"NIK 3273011203900001.", "NIK " + MaskedValue + "."},
		{"3273011203900001", MaskedValue},
		{"a 3273011203900001 b 3273011203900002", "a " + MaskedValue + " b " + MaskedValue},
		{"kode 0273011203900001", "kode 0273011203900001"}, // starts with 0: an NPWP-16 of a company
		{"rek 32730112039000012", "rek 32730112039000012"}, // 17 digits: not a NIK
		{"nomor 327301120390000", "nomor 327301120390000"}, // 15 digits
	}
	for _, tt := range tests {
		got, changed := maskNIKs(tt.in)
		if got != tt.want || changed != (tt.in != tt.want) {
			t.Errorf("maskNIKs(%q) = %q, %v; want %q", tt.in, got, changed, tt.want)
		}
	}
}

// TestSharedFieldsAgree backs FindField: a field name used by several
// datasets must be the same kind of field in each.
func TestSharedFieldsAgree(t *testing.T) {
	for _, s := range All() {
		for _, f := range s.Fields {
			first := FindField(f.Name)
			if first.Type != f.Type || first.Facet != f.Facet || first.Derived != f.Derived {
				t.Errorf("field %s in %s differs from its first definition: type %v/%v facet %v/%v", f.Name, s.Name, f.Type, first.Type, f.Facet, first.Facet)
			}
		}
	}
	if FindField("no_such_field") != nil {
		t.Error("FindField of an unknown name is not nil")
	}
}

func TestEnumSpellings(t *testing.T) {
	method := procurement.Field("method")
	category := procurement.Field("category")
	status := procurement.Field("status")
	stage := budget.Field("stage")
	for _, tc := range []struct {
		f         *Field
		raw, want string
	}{
		{method, "E-Purchasing", "e-purchasing"},
		{method, "EPURCHASING", "e-purchasing"},
		{method, "e purchasing", "e-purchasing"},
		{method, "Pengadaan  Langsung", "pengadaan langsung"},
		{method, "Tender Cepat", "tender cepat"},
		{category, "Jasa Konsultansi Badan Usaha Non Konstruksi", "jasa konsultansi"},
		{category, "Pekerjaan Konstruksi", "pekerjaan konstruksi"},
		{status, "Gagal/Batal", "gagal"},
		{stage, "APBD Perubahan", "perubahan"},
	} {
		v, err := tc.f.Parse(tc.raw)
		if err != nil || v.Str != tc.want {
			t.Errorf("%s.Parse(%q) = %q, %v; want %q", tc.f.Name, tc.raw, v.Str, err, tc.want)
		}
	}
	for _, raw := range []string{"lelang bebas", "tender-x", "e"} {
		if _, err := method.Parse(raw); err == nil {
			t.Errorf("method.Parse(%q) accepted a method that does not exist", raw)
		}
	}
	// Every synonym names an allowed value of a field that exists.
	for name, syn := range enumSynonyms {
		f := FindField(name)
		if f == nil || f.Type != Enum {
			t.Errorf("enumSynonyms lists %s, which is no enum field", name)
			continue
		}
		for from, to := range syn {
			if !slices.Contains(f.Allowed, to) {
				t.Errorf("synonym %s → %q is not an allowed %s", from, to, name)
			}
		}
	}
}

func TestCodeHints(t *testing.T) {
	for _, tc := range []struct {
		f          *Field
		raw, code  string
		mentioning string
	}{
		{budget.Field(FieldRegionCode), "3273", "region_bps", "32.73"},
		{budget.Field(FieldAccountCode), "5.2.2.01.01", "account_legacy", "90/2019"},
		{budget.Field(FieldAccountCode), "5.2", "", ""},
		{budget.Field(FieldAccountCode), "7.1.02", "pattern", ""},
	} {
		_, err := tc.f.Parse(tc.raw)
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("%s %q: %v", tc.f.Name, tc.raw, err)
		case tc.code != "" && (err == nil || err.Code != tc.code || !strings.Contains(err.Msg.EN, tc.mentioning)):
			t.Errorf("%s %q: %+v, want %s mentioning %q", tc.f.Name, tc.raw, err, tc.code, tc.mentioning)
		}
	}
}

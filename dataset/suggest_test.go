package dataset

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSuggestColumns(t *testing.T) {
	tests := []struct {
		dataset, header string
		skip            []string
		want            []ColumnName
	}{
		{"budget", "Pagu Angaran", nil, []ColumnName{{"pagu anggaran", "amount"}}},
		{"budget", "Kode Rekning", nil, []ColumnName{{"kode rekening", FieldAccountCode}}},
		{"budget", "KD_REKENING", nil, []ColumnName{{"kode rekening", FieldAccountCode}}},
		{"budget", "Nama Rekenig", nil, []ColumnName{{"nama rekening", "account_name"}}},
		{"budget", "Urain", nil, []ColumnName{{"uraian", "account_name"}}},
		{"budget", "Nilia", nil, []ColumnName{{"nilai", "amount"}}},
		{"budget", "Tahun Angaran", nil, []ColumnName{{"tahun anggaran", FieldFiscalYear}}},
		{"budget", "acount_code", nil, []ColumnName{{FieldAccountCode, FieldAccountCode}}},
		{"revenue", "Realisai", nil, []ColumnName{{"realisasi", "realized"}}},
		{"revenue", "Kode Pajk", nil, []ColumnName{{"kode pajak", "type_code"}}},
		// A field another column gives is not offered.
		{"budget", "Urain", []string{"account_name"}, nil},
		// Too far, too short, or a code offered a name.
		{"budget", "Pagu Indikatif", nil, nil},
		{"budget", "no", nil, nil},
		{"procurement", "kd_paket", nil, nil},
		{"budget", "kd_tahapan", nil, nil},
		{"budget", "kdpemda", nil, nil}, // DJPK's own region codes
		// Derived fields are never offered.
		{"budget", "region_nme", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.dataset+"/"+tt.header, func(t *testing.T) {
			s, _ := Lookup(tt.dataset)
			skip := func(f string) bool {
				for _, n := range tt.skip {
					if n == f {
						return true
					}
				}
				return false
			}
			if diff := cmp.Diff(s.SuggestColumns(tt.header, skip), tt.want); diff != "" {
				t.Errorf("SuggestColumns(%q) (-got +want):\n%s", tt.header, diff)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"pagu", "pagu", 0}, {"nilia", "nilai", 1}, {"koderekning", "koderekening", 1},
		{"kdrekening", "koderekening", 2}, {"abc", "xyz", 3}, {"ab", "ba", 1},
	} {
		if got := EditDistance([]rune(tt.a), []rune(tt.b), 5); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := EditDistance([]rune(tt.a), []rune(tt.b), 0); got != min(tt.want, 1) {
			t.Errorf("EditDistance(%q, %q) with limit 0 = %d, want %d", tt.a, tt.b, got, min(tt.want, 1))
		}
	}
}

func FuzzSuggestColumns(f *testing.F) {
	f.Add("Pagu Angaran")
	f.Add("kd_rekening")
	f.Add("Ürâian\x00")
	f.Add("")
	f.Fuzz(func(t *testing.T, header string) {
		for _, s := range All() {
			got := s.SuggestColumns(header, nil)
			if len(got) > maxSuggestions {
				t.Fatalf("%d suggestions for %q", len(got), header)
			}
			h := []rune(NormalizeColumn(header))
			for _, c := range got {
				fld := s.Field(c.Field)
				if fld == nil || fld.Derived {
					t.Fatalf("suggested %+v, no field a feed gives", c)
				}
				if d := EditDistance(h, []rune(NormalizeColumn(c.Name)), 10); d > suggestLimit(len(h)) {
					t.Fatalf("suggested %q for %q, %d edits away", c.Name, header, d)
				}
			}
		}
	})
}

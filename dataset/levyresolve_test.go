package dataset

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/internal/testfiles"
)

func TestResolveLevy(t *testing.T) {
	type want struct {
		Code string
		By   LevyMatch
	}
	tests := []struct {
		name                string
		code, typeName, acc string
		want                want
	}{
		// Seen in a real feed: a region's own code, a name that says which tax it is.
		{"own code, PBJT name", "PBJT-MAKMIN", "PBJT Makanan dan/atau Minuman", "", want{"PBJT-MM", LevyByName}},
		{"code as written", "PBB-P2", "", "", want{"PBB-P2", LevyByCode}},
		{"code without its dash", "PBBP2", "", "", want{"PBB-P2", LevyByCode}},
		{"code in lower case", "pbjt-ph", "", "", want{"PBJT-PH", LevyByCode}},
		{"code wins over name and account", "PKB", "Pajak Hotel", "4.1.01.07", want{"PKB", LevyByCode}},
		// UU 1/2022 names as regions write them.
		{"UU 1/2022 name", "", "PBJT atas Jasa Perhotelan", "", want{"PBJT-PH", LevyByName}},
		{"PBJT spelled out", "", "Pajak Barang dan Jasa Tertentu atas Tenaga Listrik", "", want{"PBJT-TL", LevyByName}},
		{"PBJT with a dash", "", "PBJT - Jasa Kesenian dan Hiburan", "", want{"PBJT-KS", LevyByName}},
		{"PBJT upper case, no atas", "", "PBJT MAKANAN DAN MINUMAN", "", want{"PBJT-MM", LevyByName}},
		{"abbreviation in brackets", "", "Pajak Kendaraan Bermotor (PKB)", "", want{"PKB", LevyByName}},
		{"code as a name", "", "BPHTB", "", want{"BPHTB", LevyByName}},
		{"short name", "", "Pajak MBLB", "", want{"MBLB", LevyByName}},
		{"PBB for PBB-P2", "", "PBB", "", want{"PBB-P2", LevyByName}},
		// Names before UU 1/2022 (UU 28/2009), each to its PBJT successor.
		{"Pajak Hotel", "", "Pajak Hotel", "", want{"PBJT-PH", LevyByFormerName}},
		{"Pajak Restoran", "", "PAJAK RESTORAN", "", want{"PBJT-MM", LevyByFormerName}},
		{"Pajak Hiburan", "", "pajak hiburan", "", want{"PBJT-KS", LevyByFormerName}},
		{"Pajak Penerangan Jalan", "", "Pajak Penerangan Jalan (PPJ)", "", want{"PBJT-TL", LevyByFormerName}},
		{"Pajak Parkir", "", " Pajak  Parkir. ", "", want{"PBJT-PP", LevyByFormerName}},
		{"former name with an unknown code", "HOTEL", "Pajak Hotel", "", want{"PBJT-PH", LevyByFormerName}},
		{"former levy name", "", "Retribusi Izin Mendirikan Bangunan", "", want{"RPT-PBG", LevyByFormerName}},
		{"name wins over account", "", "Pajak Hotel", "4.1.01.07", want{"PBJT-PH", LevyByFormerName}},
		// Account codes only (Permendagri 90/2019).
		{"tax objek", "", "", "4.1.01.15", want{"PBB-P2", LevyByAccount}},
		{"tax sub-rincian objek", "", "", "4.1.01.07.01.0001", want{"PBJT-MM", LevyByAccount}},
		{"one-digit jenis as exports write it", "", "", "4.1.1.01", want{"PKB", LevyByAccount}},
		{"levy rincian objek", "", "", "4.1.02.02.06.0001", want{"RJUS-PENGINAPAN", LevyByAccount}},
		{"unknown code and name, known account", "XYZ", "Pendapatan Lain", "4.1.01.12", want{"PBJT-PP", LevyByAccount}},
		// Not enough to say.
		{"objek shared by several levies", "", "", "4.1.02.01", want{}},
		{"jenis only", "", "", "4.1.01", want{}},
		{"nothing known", "XYZ", "Pajak Entah", "4.1.04.16", want{}},
		{"nothing at all", "", "", "", want{}},
		{"levy abolished by UU 1/2022", "", "Retribusi Penggantian Biaya Cetak Peta", "", want{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, by := ResolveLevy(tt.code, tt.typeName, tt.acc)
			if diff := cmp.Diff(want{l.Code, by}, tt.want); diff != "" {
				t.Errorf("ResolveLevy(%q, %q, %q) (-got +want):\n%s", tt.code, tt.typeName, tt.acc, diff)
			}
		})
	}
}

// TestRevenueTypeResolution runs revenue rows through Complete: the type
// a row settles on, the name it keeps, and what the report says.
func TestRevenueTypeResolution(t *testing.T) {
	s, _ := Lookup("revenue")
	base := map[string]string{"region_code": "32.73", "fiscal_year": "2024", "period": "0", "kind": "pajak", "realized": "1.000.000"}
	type issue struct {
		Field, Value, Code string
		Warning            bool
	}
	tests := []struct {
		name               string
		row                map[string]string
		wantCode, wantName string
		want               []issue
		msgID, msgEN       []string // the first issue's message mentions each
	}{
		{
			name:     "PBJT-MAKMIN kept with the type its name gives",
			row:      map[string]string{"type_code": "PBJT-MAKMIN", "type_name": "PBJT Makanan dan/atau Minuman"},
			wantCode: "PBJT-MM", wantName: "PBJT Makanan dan/atau Minuman",
			want:  []issue{{"type_code", "PBJT-MAKMIN", "levy_code_resolved", true}},
			msgID: []string{"PBJT-MM", `"PBJT Makanan dan/atau Minuman"`, "disimpan"},
			msgEN: []string{"PBJT-MM", `"PBJT Makanan dan/atau Minuman"`, "kept"},
		},
		{
			name:     "former name without a code, silently",
			row:      map[string]string{"type_name": "Pajak Restoran"},
			wantCode: "PBJT-MM", wantName: "Pajak Restoran",
		},
		{
			name:     "former name with a region's code",
			row:      map[string]string{"type_code": "P-HOTEL", "type_name": "Pajak Hotel"},
			wantCode: "PBJT-PH", wantName: "Pajak Hotel",
			want:  []issue{{"type_code", "P-HOTEL", "levy_code_resolved", true}},
			msgID: []string{"nama lama", "UU 1/2022", "PBJT-PH"},
			msgEN: []string{"former", "UU 1/2022", "PBJT-PH"},
		},
		{
			name:     "account code only: the name is the type's",
			row:      map[string]string{"account_code": "4.1.01.15.01.0001"},
			wantCode: "PBB-P2", wantName: "Pajak Bumi dan Bangunan Perdesaan dan Perkotaan",
		},
		{
			name:     "unknown code, account code",
			row:      map[string]string{"type_code": "X1", "account_code": "4.1.01.09"},
			wantCode: "REKLAME", wantName: "Pajak Reklame",
			want:  []issue{{"type_code", "X1", "levy_code_resolved", true}},
			msgID: []string{"kode rekening 4.1.01.09"},
			msgEN: []string{"account code 4.1.01.09"},
		},
		{
			name:  "recognised no way: the error names all three",
			row:   map[string]string{"type_code": "PDL", "type_name": "Pendapatan Daerah Lainnya", "account_code": "4.1.04.16"},
			want:  []issue{{"type_code", "PDL", "levy_unknown", false}},
			msgID: []string{`kode ("PDL")`, `nama ("Pendapatan Daerah Lainnya")`, `kode rekening ("4.1.04.16")`},
			msgEN: []string{`code ("PDL")`, `name ("Pendapatan Daerah Lainnya")`, `account code ("4.1.04.16")`},
		},
		{
			name:  "nothing given",
			row:   map[string]string{},
			want:  []issue{{"type_name", "", "levy_unknown", false}},
			msgID: []string{"kode (kosong)", "nama (kosong)", "kode rekening (kosong)"},
			msgEN: []string{"code (empty)", "name (empty)", "account code (empty)"},
		},
		{
			name:     "a tax's name on a levy line",
			row:      map[string]string{"kind": "retribusi", "type_name": "Pajak Parkir"},
			wantCode: "PBJT-PP", wantName: "Pajak Parkir",
			want: []issue{{"kind", "retribusi", "levy_kind", false}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := map[string]string{}
			for k, v := range base {
				vals[k] = v
			}
			for k, v := range tt.row {
				vals[k] = v
			}
			r := mustParse(t, s, vals)
			issues := s.Complete(r, LoadRegions())
			var got []issue
			for _, is := range issues {
				got = append(got, issue{is.Field, is.Value, is.Err.Code, is.Warning})
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Fatalf("issues (-got +want):\n%s", diff)
			}
			for _, m := range tt.msgID {
				if !strings.Contains(issues[0].Err.Msg.ID, m) {
					t.Errorf("message %q does not mention %q", issues[0].Err.Msg.ID, m)
				}
			}
			for _, m := range tt.msgEN {
				if !strings.Contains(issues[0].Err.Msg.EN, m) {
					t.Errorf("message %q does not mention %q", issues[0].Err.Msg.EN, m)
				}
			}
			if tt.wantCode == "" {
				return
			}
			if got := r[s.Index("type_code")].Str; got != tt.wantCode {
				t.Errorf("type_code = %q, want %q", got, tt.wantCode)
			}
			if got := r[s.Index("type_name")].Str; got != tt.wantName {
				t.Errorf("type_name = %q, want %q", got, tt.wantName)
			}
		})
	}
}

// TestRealAPBDRevenueTypes resolves the tax and levy lines of the real 2021
// APBD export by their names and, separately, by their account codes.
// The expected types are read off UU 1/2022 art. 4 and 88 for each line of
// the file; levies UU 1/2022 abolished resolve to nothing either way.
func TestRealAPBDRevenueTypes(t *testing.T) {
	f, err := os.Open(filepath.Join(testfiles.SharedData(t), "indonesia", "prp2pemkab-apbd-2021", "apbd_2021_rekening_anggaran.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"4.1.1.01": "PKB", "4.1.1.02": "BBNKB", "4.1.1.03": "PBBKB", "4.1.1.04": "PAP", "4.1.1.05": "PROKOK",
		"4.1.2.01.01": "RJU-KES",
		"4.1.2.01.08": "", // Retribusi Penggantian Biaya Cetak Peta: not a UU 1/2022 levy
		"4.1.2.02.01": "RJUS-KEKAYAAN", "4.1.2.02.06": "RJUS-PENGINAPAN", "4.1.2.02.09": "RJUS-REKREASI", "4.1.2.02.11": "RJUS-PRODUKSI",
		"4.1.2.03.03": "", // Retribusi Izin Trayek: abolished
		"4.1.2.03.04": "", // Retribusi Izin Usaha Perikanan: abolished
		"4.1.2.03.06": "RPT-TKA",
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		code, name, level := r[0], r[1], r[2]
		tax := strings.HasPrefix(code, "4.1.1.") && level == "4"
		levy := strings.HasPrefix(code, "4.1.2.") && level == "5"
		if !tax && !levy {
			continue
		}
		w, ok := want[code]
		if !ok {
			t.Errorf("line %s %q is not in the test's table", code, name)
			continue
		}
		seen[code] = true
		if l, _ := ResolveLevy("", name, ""); l.Code != w {
			t.Errorf("by name %q: %q, want %q", name, l.Code, w)
		}
		if l, _ := ResolveLevy("", "", code); l.Code != w {
			t.Errorf("by account code %s (%s): %q, want %q", code, name, l.Code, w)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("resolved %d account codes, the table has %d", len(seen), len(want))
	}
}

// TestLevyTables checks that the tables agree with the levy list: every
// levy is found by its own code and name, and no account code of the
// tables lies outside regional taxes and levies.
func TestLevyTables(t *testing.T) {
	for _, l := range Levies() {
		if got, by := ResolveLevy(l.Code, "", ""); got.Code != l.Code || by != LevyByCode {
			t.Errorf("code %s resolves to %s", l.Code, got.Code)
		}
		if got, by := ResolveLevy("", l.Name, ""); got.Code != l.Code || by != LevyByName {
			t.Errorf("name %q resolves to %s", l.Name, got.Code)
		}
		for _, acct := range LevyAccounts(l.Code) {
			if !strings.HasPrefix(acct, "4.1.01.") && !strings.HasPrefix(acct, "4.1.02.") || !accountPattern.MatchString(acct) {
				t.Errorf("%s: account %s is no Permendagri 90/2019 tax or levy account", l.Code, acct)
			}
			if (l.Kind == "pajak") != strings.HasPrefix(acct, "4.1.01.") {
				t.Errorf("%s is a %s with account %s", l.Code, l.Kind, acct)
			}
		}
	}
}

func FuzzResolveLevy(f *testing.F) {
	f.Add("PBJT-MAKMIN", "PBJT Makanan dan/atau Minuman", "")
	f.Add("", "Pajak Penerangan Jalan (PPJ", "4.1.1.10")
	f.Add("", "((Pajak)) Hotel)", "4.1.02.02.06.0001")
	f.Add("x", "", "4..1")
	f.Fuzz(func(t *testing.T, code, name, acct string) {
		l, by := ResolveLevy(code, name, acct)
		if (by == LevyUnresolved) != (l.Code == "") {
			t.Fatalf("ResolveLevy(%q, %q, %q) = %+v, %v", code, name, acct, l, by)
		}
		if by != LevyUnresolved {
			if again, _ := ResolveLevy(l.Code, "", ""); again.Code != l.Code {
				t.Fatalf("resolved code %s does not resolve to itself", l.Code)
			}
		}
	})
}

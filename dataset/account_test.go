package dataset

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAccountCode(t *testing.T) {
	for _, tc := range []struct {
		raw, want string
		form      AccountForm
		err       string
	}{
		{"5", "5", AccountTwoDigitJenis, ""},
		{"5.1", "5.1", AccountTwoDigitJenis, ""},
		{"5.1.02", "5.1.02", AccountTwoDigitJenis, ""},
		{" 5.1.02.01.01.0024 ", "5.1.02.01.01.0024", AccountTwoDigitJenis, ""},
		// The real 2021 export writes the jenis with one digit.
		{"4.1.2.02.01.0003", "4.1.02.02.01.0003", AccountShortSubRincian, ""},
		{"4.1.2", "4.1.02", AccountShortAmbiguous, ""},
		{"4.1.2.02", "4.1.02.02", AccountShortAmbiguous, ""},
		{"5.2.2.01.01", "5.2.02.01.01", AccountShortAmbiguous, ""},
		{"7.1.02", "", 0, "pattern"},
		{"5.1.2.2", "", 0, "pattern"},
		{"5.1.02.01.01.24", "", 0, "pattern"},
	} {
		got, form, err := ParseAccountCode(tc.raw)
		switch {
		case tc.err != "" && (err == nil || err.Code != tc.err):
			t.Errorf("ParseAccountCode(%q) = %q, %v; want error %s", tc.raw, got, err, tc.err)
		case tc.err == "" && (err != nil || got != tc.want || form != tc.form):
			t.Errorf("ParseAccountCode(%q) = %q, %d, %v; want %q, %d", tc.raw, got, form, err, tc.want, tc.form)
		}
	}
}

// TestAccountNotation: codes of levels 3-5 written with a one-digit jenis
// are taken only when the feed has a sub rincian objek written so, which
// Permendagri 13/2006 does not have; on their own they are refused.
func TestAccountNotation(t *testing.T) {
	f := budgetAccounts.Field(FieldAccountCode)
	if _, err := f.Parse("4.1.2"); err == nil || err.Code != "account_legacy" {
		t.Errorf("Parse(4.1.2) on its own = %v, want account_legacy", err)
	}
	if v, err := f.Parse("4.1.2.02.01.0003"); err != nil || v.Str != "4.1.02.02.01.0003" {
		t.Errorf("Parse(4.1.2.02.01.0003) = %q, %v; want 4.1.02.02.01.0003", v.Str, err)
	}
	var n AccountNotation
	v, pending, err := n.Read(f, "4.1.2")
	if err != nil || !pending || v.Str != "4.1.02" || n.Settled() {
		t.Errorf("Read(4.1.2) = %q, %v, %v, settled %v; want 4.1.02 pending, unsettled", v.Str, pending, err, n.Settled())
	}
	if v, pending, err = n.Read(f, "4.1.2.02.01.0003"); err != nil || pending || !n.Settled() {
		t.Errorf("Read(4.1.2.02.01.0003) = %q, %v, %v, settled %v; want taken, settled", v.Str, pending, err, n.Settled())
	}
	if err := n.Pending("5.2.02.01.01"); err.Code != "account_legacy" {
		t.Errorf("Pending = %v", err)
	}
}

func TestAccountLevels(t *testing.T) {
	for code, want := range map[string]struct {
		level  int
		parent string
	}{"5": {1, ""}, "5.1": {2, "5"}, "5.1.02": {3, "5.1"}, "5.1.02.01.01.0024": {6, "5.1.02.01.01"}} {
		if l, p := AccountLevel(code), AccountParent(code); l != want.level || p != want.parent {
			t.Errorf("%s: level %d parent %q, want %d %q", code, l, p, want.level, want.parent)
		}
	}
	if got := AccountJenis("5.1.2.02.01.0024"); got != "5.1.02" {
		t.Errorf("AccountJenis of a one-digit jenis = %q", got)
	}
}

// TestAccountLevelChecked: an account-level feed's level column must agree
// with its code, and is filled from it when absent.
func TestAccountLevelChecked(t *testing.T) {
	regs := LoadRegions()
	for _, tc := range []struct {
		level string
		want  int64
		err   string
	}{{"", 3, ""}, {"3", 3, ""}, {"4", 0, "account_level"}} {
		values := map[string]string{FieldRegionCode: "32.73", FieldFiscalYear: "2021", "stage": "murni", FieldAccountCode: "4.1.02",
			"account_name": "Retribusi Daerah", "amount": "100"}
		if tc.level != "" {
			values[FieldAccountLevel] = tc.level
		}
		r := mustParse(t, budgetAccounts, values)
		issues := budgetAccounts.Complete(r, regs)
		switch {
		case tc.err == "" && len(issues) > 0:
			t.Errorf("level %q: %+v", tc.level, issues[0].Err)
		case tc.err == "" && r[budgetAccounts.Index(FieldAccountLevel)].Int != tc.want:
			t.Errorf("level %q: filled %d, want %d", tc.level, r[budgetAccounts.Index(FieldAccountLevel)].Int, tc.want)
		case tc.err != "" && (len(issues) != 1 || issues[0].Err.Code != tc.err):
			t.Errorf("level %q: %+v, want %s", tc.level, issues, tc.err)
		}
		if g := r[budgetAccounts.Index(FieldAccountGroup)].Str; g != "pendapatan" {
			t.Errorf("account group %q", g)
		}
	}
}

func TestStagesAsRegionsWriteThem(t *testing.T) {
	stage := budgetAccounts.Field("stage")
	for raw, want := range map[string]string{"APBD": "murni", "murni": "murni", "APBD Induk": "murni", "P-APBD": "perubahan", "APBD-P": "perubahan",
		"perubahan": "perubahan", "Perubahan APBD": "perubahan", "LRA": "realisasi", "realisasi": "realisasi", "Pergeseran": "pergeseran"} {
		if v, err := stage.Parse(raw); err != nil || v.Str != want {
			t.Errorf("stage %q = %q, %v; want %s", raw, v.Str, err, want)
		}
	}
	// Numbers mean a stage only in the column known to write them.
	for _, raw := range []string{"1", "2"} {
		if _, err := stage.Parse(raw); err == nil {
			t.Errorf("stage %q taken outside st_anggaran", raw)
		}
	}
	if got := budgetAccounts.ColumnCodes("ST_ANGGARAN"); !cmp.Equal(got, map[string]string{"1": "murni", "2": "perubahan"}) {
		t.Errorf("ColumnCodes(st_anggaran) = %v", got)
	}
	if got := budgetAccounts.ColumnCodes("tahap"); got != nil {
		t.Errorf("ColumnCodes(tahap) = %v, want none", got)
	}
	if got := procurement.ColumnCodes("st_anggaran"); got != nil {
		t.Errorf("procurement has coded st_anggaran: %v", got)
	}
	for _, col := range []string{"kode_rekening", "uraian", "level", "tahun", "anggaran", "jenis", "st_anggaran"} {
		if budgetAccounts.Column(col) < 0 {
			t.Errorf("column %s of the 2021 export is not read", col)
		}
	}
}

func TestHierarchy(t *testing.T) {
	var h Hierarchy
	add := func(stage, code string, amount int64, row int) { h.Add(stage, code, amount, row) }
	add("murni", "5", 100, 2)
	add("murni", "5.1", 60, 3)
	add("murni", "5.2", 30, 4) // 5.1 + 5.2 = 90, not 100
	add("murni", "5.1.02.01", 60, 5)
	// 5.1.02 is missing: 5.1.02.01's parent is 5.1, which matches.
	add("perubahan", "5", 100, 6)
	add("perubahan", "5.1", 100, 7)
	add("perubahan", "6.1", 7, 8) // no 6: a root, and a leaf
	want := []Mismatch{{Stage: "murni", Code: "5", Level: 1, Row: 2, Parent: 100, Children: 90, ChildCount: 2}}
	if diff := cmp.Diff(h.Mismatches(), want); diff != "" {
		t.Errorf("mismatches (-got +want):\n%s", diff)
	}
	if got := want[0].Difference(); got != 10 {
		t.Errorf("difference %d", got)
	}
	leaves := map[string]int64{}
	h.Leaves(func(stage, code string, amount int64) { leaves[stage+" "+code] = amount })
	if diff := cmp.Diff(leaves, map[string]int64{"murni 5.2": 30, "murni 5.1.02.01": 60, "perubahan 5.1": 100, "perubahan 6.1": 7}); diff != "" {
		t.Errorf("leaves (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(h.Parents(), map[string]int{"murni": 2, "perubahan": 1}); diff != "" {
		t.Errorf("parents (-got +want):\n%s", diff)
	}

	var big Hierarchy
	big.Add("murni", "4", 5, 0)
	big.Add("murni", "4.1", math.MaxInt64, 0)
	big.Add("murni", "4.2", math.MaxInt64, 0)
	if m := big.Mismatches(); len(m) != 1 || !m[0].ChildrenOverflow {
		t.Errorf("children summing past int64: %+v", m)
	}
}

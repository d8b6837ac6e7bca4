package search

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want []clause
	}{
		{"jalan desa", []clause{{kind: clauseWord, text: "jalan"}, {kind: clauseWord, text: "desa"}}},
		{`"jalan desa" -tol`, []clause{{kind: clausePhrase, text: "jalan desa"}, {kind: clauseWord, text: "tol", not: true}}},
		{"wilayah:32.73 tahun:2024", []clause{{kind: clauseField, field: "region_code", text: "32.73"}, {kind: clauseField, field: "fiscal_year", text: "2024"}}},
		{`-metode:"penunjukan langsung" laptop`, []clause{{kind: clauseField, field: "method", text: "penunjukan langsung", not: true}, {kind: clauseWord, text: "laptop"}}},
		{"stage:murni", []clause{{kind: clauseField, field: "stage", text: "murni"}}},
		{"Kabupaten/Kota - 5.1.02", []clause{{kind: clauseWord, text: "Kabupaten/Kota"}, {kind: clauseWord, text: "-"}, {kind: clauseWord, text: "5.1.02"}}},
		{"berapa gaji bupati?", []clause{{kind: clauseWord, text: "berapa"}, {kind: clauseWord, text: "gaji"}, {kind: clauseWord, text: "bupati"}}},
		{"kapan jalan rusak diperbaiki ??", []clause{{kind: clauseWord, text: "kapan"}, {kind: clauseWord, text: "jalan"}, {kind: clauseWord, text: "rusak"}, {kind: clauseWord, text: "diperbaiki"}}},
		{"   ", nil},
		{`""`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseQuery(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, tt.want, cmp.AllowUnexported(clause{})); diff != "" {
				t.Errorf("parseQuery(%q) (-got +want):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseQueryRejects(t *testing.T) {
	for _, in := range []string{
		"*", "a*", "jal?n", "?alan", "*?", "/.*/", "/jalan/", "jalan~2", "jalan^3",
		`"jalan desa`, "warna:merah", `wilayah:"32.73`,
		strings.Repeat("a ", 33), strings.Repeat("x", 1001), "\xff\xfe",
	} {
		t.Run(in[:min(len(in), 20)], func(t *testing.T) {
			_, err := parseQuery(in)
			var qe *QueryError
			if !errors.As(err, &qe) || !errors.Is(err, dataset.ErrInvalid) {
				t.Fatalf("parseQuery(%q) = %v, want a QueryError wrapping ErrInvalid", in, err)
			}
			if qe.Msg.ID == "" || qe.Msg.EN == "" {
				t.Errorf("message lacks a language: %+v", qe.Msg)
			}
		})
	}
}

// TestQuerySyntax checks what each kind of clause finds in the fixture.
func TestQuerySyntax(t *testing.T) {
	ix, fx, _ := openFixture(t)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"another form of the word meets the same stem", "memelihara", []string{"K1"}},
		{"bidder count as a field", "bidder_count:7", []string{"P1"}},
		{"pengadaan finds its title", "pengadaan", []string{"P2"}},
		{"phrase in order", `"tepi jalan"`, []string{"R2"}},
		{"phrase out of order matches nothing", `"jalan tepi"`, []string{}},
		{"exclusion", "jalan -desa", []string{"B1", "P1", "R2"}},
		{"excluded field", "jalan -wilayah:32.04", []string{"B1", "P1", "R2"}},
		{"field filter region", "wilayah:32.04", []string{"K1", "K2"}},
		{"province prefix of region codes", "wilayah:32", []string{"B1", "B2", "B3", "B4", "K1", "K2", "P1", "P2", "P3", "R1", "R2"}},
		{"year field", "tahun:2023", []string{"K1", "K2"}},
		{"stage field", "tahap:perubahan", []string{"B2", "K2"}},
		{"text field", "dinas:pendidikan", []string{"B2", "P2", "P3"}},
		{"account prefix as a word", "5.1.02.01", []string{"B1", "K2"}},
		{"account prefix as a field", "rekening:5.1.02.03", []string{"K1"}},
		{"prefix stops at a dot", "5.1.02.0", []string{}},
		{"typo in a long word", "pendidkan", []string{"B2", "P2", "P3"}},
		{"no typo tolerance in short words", "jaln", []string{}},
		{"dataset field", "dataset:revenue jalan", []string{"R2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(fx.hitNames(t, ix, Query{Text: tt.text}), tt.want); diff != "" {
				t.Errorf("%q (-got +want):\n%s", tt.text, diff)
			}
		})
	}
}

// TestExactRanksFirst: a record with the word as written outranks one that
// only shares its stem.
func TestExactRanksFirst(t *testing.T) {
	ix, fx, _ := openFixture(t)
	s, _ := dataset.Lookup("budget")
	b := parseRecord(t, s, map[string]string{"region_code": "32.73", "fiscal_year": "2024", "stage": "murni",
		"agency_name": "Dinas Pendidikan", "account_code": "5.1.02.01.01.0001", "account_name": "Belanja Pendidikan Dasar", "amount": "1"})
	c := parseRecord(t, s, map[string]string{"region_code": "32.73", "fiscal_year": "2024", "stage": "murni",
		"agency_name": "Dinas Pendidikan", "account_code": "5.1.02.01.01.0002", "account_name": "Belanja Didik Dasar", "amount": "1"})
	p := bdgBudget
	p.SHA256 = "sha-rank"
	if err := ix.Replace(t.Context(), p, seq(c, b)); err != nil {
		t.Fatal(err)
	}
	fx.names[b[0].Str], fx.names[c[0].Str] = "exact", "stem"
	res, err := ix.Search(t.Context(), Query{Text: "didik", Dataset: "budget"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, fx.names[h.ID])
	}
	if diff := cmp.Diff(got, []string{"stem", "exact"}); diff != "" {
		t.Errorf("ranking for didik (-got +want):\n%s", diff)
	}
	res, _ = ix.Search(t.Context(), Query{Text: "pendidikan dasar", Dataset: "budget"})
	if len(res.Hits) < 2 || fx.names[res.Hits[0].ID] != "exact" {
		t.Errorf("pendidikan dasar: first hit %v, want the record that says pendidikan", res.Hits)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`jalan "desa baru" -tol wilayah:32.73`, `-"a b`, "a:b:c", "-", `tahun:"2024"`, "/x/", "5.1.02"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := parseQuery(s)
		if err != nil {
			if !errors.Is(err, dataset.ErrInvalid) {
				t.Fatalf("parseQuery(%q): error %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		if len(cs) > maxClauses {
			t.Fatalf("parseQuery(%q) gave %d clauses", s, len(cs))
		}
		for _, c := range cs {
			if c.text == "" {
				t.Fatalf("parseQuery(%q) gave an empty clause", s)
			}
		}
	})
}

package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSynonyms(t *testing.T) {
	tests := []struct {
		name, text, wantErr string
		want                []synonym
	}{
		{"comments and blank lines", "# typed\tmeans\tsource\n\nbansos\tbantuan sosial\tPermendagri 90/2019\n",
			"", []synonym{{typed: "bansos", means: []string{"bantuan sosial"}, source: "Permendagri 90/2019", line: 3}}},
		{"several meanings, spaces squeezed", "lampu  jalan\tpenerangan jalan umum |  pju \tUU 1/2022\r\n",
			"", []synonym{{typed: "lampu jalan", means: []string{"penerangan jalan umum", "pju"}, source: "UU 1/2022", line: 1}}},
		{"two columns", "bansos\tbantuan sosial\n", "line 1: 2 columns", nil},
		{"no source", "bansos\tbantuan sosial\t \n", `"bansos" has no source`, nil},
		{"no meaning", "bansos\t | \tsource\n", `"bansos" means nothing`, nil},
		{"upper case typed", "BOS\tbantuan operasional sekolah\tsource\n", `"BOS" must be lower-case words`, nil},
		{"punctuated typed", "e-ktp/ktp\tkartu tanda penduduk\tsource\n", "must be lower-case words", nil},
		{"typed twice", "bos\ta\ts\nbos\tb\ts\n", `lines 1 and 2 both define "bos"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSynonyms(tt.text)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(synonym{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSynonymTable checks the shipped table: it parses, every typed form
// and meaning has words left after stop words, and no typed form is
// shadowed by another that stems the same, which would silently drop one.
func TestSynonymTable(t *testing.T) {
	syns, err := parseSynonyms(synonymsTSV)
	if err != nil {
		t.Fatal(err)
	}
	if len(syns) < 50 {
		t.Errorf("the table has %d entries; it should cover at least the issue's list", len(syns))
	}
	ix := emptyIndex(t)
	stemsOf := func(s string) string {
		toks, err := ix.tokens(s)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tok := range toks {
			out = append(out, tok.stem)
		}
		return strings.Join(out, " ")
	}
	seen := map[string]string{}
	for _, s := range syns {
		key := stemsOf(s.typed)
		if key == "" {
			t.Errorf("line %d: %q is only stop words", s.line, s.typed)
		}
		if other, dup := seen[key]; dup {
			t.Errorf("line %d: %q stems as %q, like %q: merge them", s.line, s.typed, key, other)
		}
		seen[key] = s.typed
		for _, m := range s.means {
			if stemsOf(m) == "" {
				t.Errorf("line %d: meaning %q of %q is only stop words", s.line, m, s.typed)
			}
		}
	}
}

func TestUnits(t *testing.T) {
	ix := emptyIndex(t)
	tests := []struct {
		query string
		want  []string // each unit's words, "=", its accounts, "~", those by a word
	}{
		// A node's whole name reaches the accounts below it.
		{"belanja pegawai", []string{"belanja pegawai=5.1.01~"}},
		{"pendapatan asli daerah 2024", []string{"pendapatan asli daerah=4.1~", "2024=~"}},
		// The abbreviation in a node's brackets too.
		{"SiLPA", []string{"SiLPA=6.1.01~"}},
		// A word few nodes share reaches those nodes.
		{"gaji pegawai", []string{"gaji=~", "pegawai=~5.1.01"}},
		// A word many share ("daerah") reaches none.
		{"daerah", []string{"daerah=~"}},
		// Stop words drop out; codes stay.
		{"dan 5.1.02", []string{"5.1.02=~"}},
	}
	for _, tt := range tests {
		us, err := ix.units(strings.Fields(tt.query))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, u := range us {
			var accounts, byWord []string
			if u.also != nil {
				accounts, byWord = slices.Clone(u.also.accounts), u.also.byWord
			}
			got = append(got, strings.Join(u.words, " ")+"="+strings.Join(accounts, ",")+"~"+strings.Join(byWord, ","))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("units(%q) (-want +got):\n%s", tt.query, diff)
		}
	}
}

package anchor

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// procurement is a table shaped as the bench's procurement: its title
// column is named title.
func procurement(files ...string) Table {
	return Table{
		Name:  "procurement",
		Files: files,
		Columns: []Column{{"region_code", "code"}, {"fiscal_year", "integer"}, {"package_id", "code"}, {"title", "text"},
			{"method", "enum"}, {"budget_ceiling", "money"}, {"location", "text"}},
		Text:   []string{"title", "method", "location"},
		Codes:  []string{"region_code", "package_id"},
		Facets: []Facet{{Column: "region_code", Prefix: 2}, {Column: "region_code"}, {Column: "fiscal_year"}, {Column: "method"}},
		Amount: "budget_ceiling",
	}
}

func TestSphinxLayout(t *testing.T) {
	budget := Table{
		Name:    "budget",
		Columns: []Column{{"region_code", "code"}, {"fiscal_year", "integer"}, {"account_code", "code"}, {"account_name", "text"}, {"amount", "money"}},
		Text:    []string{"account_name"},
		Codes:   []string{"region_code", "account_code"},
		Amount:  "amount",
	}
	clash := procurement()
	clash.Columns = append(clash.Columns, Column{"codes", "text"})
	clash.Text = append(clash.Text, "codes")
	tests := []struct {
		name    string
		t       Table
		want    []string
		wantErr string
	}{
		{"title column named title, facets", procurement(), []string{
			"title field_string title", "method field_string method", "location field location", "codes field ",
			"region_code_2 attr_string region_code/2", "region_code attr_string region_code", "fiscal_year attr_bigint fiscal_year",
			"amount attr_bigint budget_ceiling"}, ""},
		{"title from another column, no facets", budget, []string{
			"account_name field account_name", "title attr_string account_name", "codes field ",
			"fiscal_year attr_bigint fiscal_year", "amount attr_bigint amount"}, ""},
		{"a column named as a shared attribute", clash, nil, `"codes"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			layout, err := SphinxLayout(tt.t)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range layout {
				s := c.Name + " " + c.Kind + " " + c.From
				if c.Prefix > 0 {
					s += fmt.Sprintf("/%d", c.Prefix)
				}
				got = append(got, s)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("layout (-got +want):\n%s", diff)
			}
		})
	}
}

// term is a code term computed with the standard library's FNV-1a.
func term(s string) string {
	h := fnv.New64a()
	h.Write([]byte(s))
	return fmt.Sprintf("c%016x", h.Sum64())
}

func TestWriteSphinxDocuments(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "procurement_32.73_2024.csv")
	csv := "region_code,fiscal_year,package_id,title,method,budget_ceiling,location\n" +
		"32.73,2024,RUP-1,\"Pengadaan Alat\tTulis\nKantor\",tender,97169178.24,Kota Bandung\n" +
		"32.73,2024,,Jalan,tender,,\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := &Spec{Tables: []Table{{Name: "budget"}, procurement(path)}}
	var buf bytes.Buffer
	if err := WriteSphinxDocuments(spec, "procurement", &buf); err != nil {
		t.Fatal(err)
	}
	// Ids start past the first table's: 2 << 40 is 2199023255552.
	want := strings.Join([]string{"2199023255553", "Pengadaan Alat Tulis Kantor", "tender", "Kota Bandung",
		strings.Join([]string{term("=32.73"), term("32."), term("=RUP-1")}, " "),
		"32", "32.73", "2024", "9716917824"}, "\t") + "\n" +
		strings.Join([]string{"2199023255554", "Jalan", "tender", "", term("=32.73") + " " + term("32."), "32", "32.73", "2024", "0"}, "\t") + "\n"
	if diff := cmp.Diff(buf.String(), want); diff != "" {
		t.Errorf("documents (-got +want):\n%s", diff)
	}
	if err := WriteSphinxDocuments(spec, "revenue", &buf); err == nil || !strings.Contains(err.Error(), `"revenue"`) {
		t.Errorf("an unknown table: err = %v, want one naming it", err)
	}
}

// TestSphinxCodeMatch: a code query finds the code itself and the codes
// under it, in any code column, as code = $1 OR code LIKE '$1.%' does.
func TestSphinxCodeMatch(t *testing.T) {
	q := regexp.MustCompile(`^@codes \((c[0-9a-f]{16}) \| (c[0-9a-f]{16})\)$`).FindStringSubmatch(SphinxCodeMatch("5.1.02.01"))
	if q == nil {
		t.Fatalf("SphinxCodeMatch = %q, want @codes (exact | under)", SphinxCodeMatch("5.1.02.01"))
	}
	tests := []struct {
		region, account string
		want            bool
	}{
		{"32.73", "5.1.02.01", true},
		{"32.73", "5.1.02.01.01.0024", true},
		{"5.1.02.01", "", true},
		{"32.73", "5.1.02.010", false},
		{"32.73", "5.1.02", false},
		{"32.73", "15.1.02.01", false},
		{"32.73", "5.1.02.01x", false},
	}
	for _, tt := range tests {
		s := &tsvSource{t: Table{Codes: []string{"region_code", "account_code"}}, pos: map[string]int{"region_code": 0, "account_code": 1}}
		terms := strings.Fields(string(s.codeTerms(nil, []string{tt.region, tt.account})))
		if got := slices.Contains(terms, q[1]) || slices.Contains(terms, q[2]); got != tt.want {
			t.Errorf("codes %s, %s: matched %v, want %v", tt.region, tt.account, got, tt.want)
		}
	}
}

func TestParseSen(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1234567", 123456700, true},
		{"97169178.24", 9716917824, true},
		{"1.5", 150, true},
		{".5", 50, true},
		{"-12.34", -1234, true},
		{"", 0, true},
		{"1.234", 0, false},
		{"1,5", 0, false},
		{"-", 0, false},
		{"+5", 0, false},
		{"1e5", 0, false},
	}
	for _, tt := range tests {
		got, err := parseSen(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseSen(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

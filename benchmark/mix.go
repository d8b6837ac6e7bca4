package benchmark

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"os"
	"strconv"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/search"
)

// Query is one kind of the query mix, in a form both Terbuka and the
// PostgreSQL anchor can run; its JSON is what terbuka-anchor reads.
type Query struct {
	Kind string `json:"kind"`
	// At most one of Words, Phrase and Code is set.
	Words   string            `json:"words,omitempty"`
	Phrase  string            `json:"phrase,omitempty"`
	Code    string            `json:"code,omitempty"`
	Dataset string            `json:"dataset,omitempty"`
	Year    int               `json:"year,omitempty"`
	Filters map[string]string `json:"filters,omitempty"`
	// MinAmount and MaxAmount are in sen, inclusive.
	MinAmount *int64 `json:"min_amount,omitempty"`
	MaxAmount *int64 `json:"max_amount,omitempty"`
	Sort      string `json:"sort,omitempty"`
	From      int    `json:"from,omitempty"`
	Size      int    `json:"size"`
	// Facets asks the anchor for the facet counts the portal's sidebar
	// shows; Terbuka computes them for every query.
	Facets bool `json:"facets,omitempty"`
}

// Mix is the fixed query mix of the issue: one query of each kind.
func Mix() []Query {
	sen := func(rupiah int64) *int64 { v := rupiah * 100; return &v }
	return []Query{
		{Kind: "selective-word", Words: "chromebook", Size: 20},
		{Kind: "broad-word", Words: "belanja", Size: 20},
		{Kind: "phrase", Phrase: "alat tulis kantor", Size: 20},
		{Kind: "facets-3-filters", Words: "jalan", Dataset: "budget", Year: 2024, Filters: map[string]string{"stage": "murni"}, Size: 20, Facets: true},
		{Kind: "money-range-amount-sort", MinAmount: sen(200_000_000), MaxAmount: sen(1_000_000_000), Sort: "-amount", Size: 20},
		{Kind: "code-prefix", Code: "5.1.02.01", Size: 20},
		{Kind: "deep-page", Words: "belanja", From: 9_980, Size: 20},
	}
}

// text is the search box text of q.
func (q Query) text() string {
	switch {
	case q.Phrase != "":
		return `"` + q.Phrase + `"`
	case q.Code != "":
		return q.Code
	}
	return q.Words
}

// Search is q as a search.Query.
func (q Query) Search() search.Query {
	return search.Query{Text: q.text(), Dataset: q.Dataset, Year: q.Year, Filters: q.Filters,
		MinAmount: q.MinAmount, MaxAmount: q.MaxAmount, Sort: q.Sort, From: q.From, Size: q.Size}
}

// Path is q as the address of the portal's search page.
func (q Query) Path() string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", q.text())
	set("dataset", q.Dataset)
	if q.Year != 0 {
		v.Set("year", strconv.Itoa(q.Year))
	}
	for k, val := range q.Filters {
		v.Set(k, val)
	}
	if q.MinAmount != nil {
		v.Set("min", strconv.FormatInt(*q.MinAmount/100, 10))
	}
	if q.MaxAmount != nil {
		v.Set("max", strconv.FormatInt(*q.MaxAmount/100, 10))
	}
	set("sort", q.Sort)
	if q.From > 0 {
		v.Set("from", strconv.Itoa(q.From))
	}
	return "/search?" + v.Encode()
}

// textual reports whether q matches words, where Terbuka's stemming and
// typo tolerance may find more than PostgreSQL's simple configuration.
func (q Query) textual() bool { return q.Words != "" || q.Phrase != "" }

// AnchorSpec is what terbuka-anchor reads: the tables, with the files and
// typed columns of each, and the query mix.
type AnchorSpec struct {
	Tables  []Table `json:"tables"`
	Queries []Query `json:"queries"`
}

// Table is one dataset's CSV files and columns, described from its schema
// so both systems parse the same columns as the same types.
type Table struct {
	Name    string   `json:"name"`
	Files   []string `json:"files"`
	Columns []Column `json:"columns"`
	Text    []string `json:"text"`
	Codes   []string `json:"codes"`
	Facets  []string `json:"facets"`
	Amount  string   `json:"amount"`
}

// Column is a CSV column with its schema type name.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// tableOf describes schema s for the anchors, with the columns in the
// order of the header of the first file (every file has the same). The
// full-text document holds the text and enum columns, as Terbuka's word
// search does; facets are the schema's facet columns, plus the province,
// which Terbuka derives from the region code.
func tableOf(s *dataset.Schema, files []string) (Table, error) {
	t := Table{Name: s.Name, Files: files, Amount: s.Amount, Facets: []string{"left(region_code, 2)"}}
	header, err := readHeader(files[0])
	if err != nil {
		return t, err
	}
	for _, name := range header {
		f := s.Field(name)
		if f == nil || f.Derived {
			return t, fmt.Errorf("%s: column %q is not a %s field", files[0], name, s.Name)
		}
		t.Columns = append(t.Columns, Column{Name: f.Name, Type: f.Type.String()})
		switch f.Type {
		case dataset.Text, dataset.Enum:
			t.Text = append(t.Text, f.Name)
		case dataset.Code:
			t.Codes = append(t.Codes, f.Name)
		}
		if f.Facet {
			t.Facets = append(t.Facets, `"`+f.Name+`"`)
		}
	}
	// The title leads the text columns: the anchor shows it on the page.
	for i, name := range t.Text {
		if name == s.Title {
			t.Text[0], t.Text[i] = t.Text[i], t.Text[0]
		}
	}
	return t, nil
}

func readHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := csv.NewReader(f).Read()
	if err != nil {
		return nil, fmt.Errorf("read header of %s: %w", path, err)
	}
	return h, nil
}

package benchmark

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"

	"github.com/terbuka/terbuka/benchmark/anchor"
	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/search"
)

// Mix is the fixed query mix of the issue: one query of each kind.
func Mix() []anchor.Query {
	sen := func(rupiah int64) *int64 { v := rupiah * 100; return &v }
	return []anchor.Query{
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
func text(q anchor.Query) string {
	switch {
	case q.Phrase != "":
		return `"` + q.Phrase + `"`
	case q.Code != "":
		return q.Code
	}
	return q.Words
}

// searchQuery is q as a search.Query.
func searchQuery(q anchor.Query) search.Query {
	return search.Query{Text: text(q), Dataset: q.Dataset, Year: q.Year, Filters: q.Filters,
		MinAmount: q.MinAmount, MaxAmount: q.MaxAmount, Sort: q.Sort, From: q.From, Size: q.Size}
}

// pagePath is q as the address of the portal's search page.
func pagePath(q anchor.Query) string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", text(q))
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

// tableOf describes schema s for the anchors, with the columns in the
// order of the header of the first file (every file has the same). The
// full-text document holds the text and enum columns, as Terbuka's word
// search does; facets are the schema's facet columns, plus the province,
// which Terbuka derives from the region code.
func tableOf(s *dataset.Schema, files []string) (anchor.Table, error) {
	t := anchor.Table{Name: s.Name, Files: files, Amount: s.Amount, Facets: []anchor.Facet{{Column: dataset.FieldRegionCode, Prefix: 2}}}
	header, err := readHeader(files[0])
	if err != nil {
		return t, err
	}
	for _, name := range header {
		f := s.Field(name)
		if f == nil || f.Derived {
			return t, fmt.Errorf("%s: column %q is not a %s field", files[0], name, s.Name)
		}
		t.Columns = append(t.Columns, anchor.Column{Name: f.Name, Type: f.Type.String()})
		switch f.Type {
		case dataset.Text, dataset.Enum:
			t.Text = append(t.Text, f.Name)
		case dataset.Code:
			t.Codes = append(t.Codes, f.Name)
		}
		if f.Facet {
			t.Facets = append(t.Facets, anchor.Facet{Column: f.Name})
		}
	}
	// The title leads the text columns: the anchor shows it on the page.
	for i, name := range t.Text {
		if name == s.Title {
			t.Text[0], t.Text[i] = t.Text[i], t.Text[0]
		}
	}
	if t.Lines = linesOf(s); t.Lines != nil {
		for _, k := range append([]string{t.Lines.Stage}, t.Lines.Key...) {
			if !slices.Contains(header, k) {
				return t, fmt.Errorf("%s: no column %q, which its lines need", files[0], k)
			}
		}
	}
	return t, nil
}

// linesOf is how the rows of s make up the lines Terbuka searches, one
// document each, when s publishes a row per stage of a line (its key has
// the stage): the rows of a region and year sharing the key without the
// stage are one budget line, and the row of its latest budget stage, or
// of realisasi when it has none, speaks for it. nil for other schemas.
func linesOf(s *dataset.Schema) *anchor.Lines {
	if !slices.Contains(s.Key, dataset.FieldStage) {
		return nil
	}
	key := []string{dataset.FieldRegionCode, dataset.FieldFiscalYear}
	for _, k := range s.Key {
		if k != dataset.FieldStage {
			key = append(key, k)
		}
	}
	stages := s.Field(dataset.FieldStage).Allowed
	var lead []string
	for _, st := range slices.Backward(stages) {
		if st != dataset.StageRealised {
			lead = append(lead, st)
		}
	}
	return &anchor.Lines{Table: s.Name + "_lines", Key: key, Stage: dataset.FieldStage,
		Stages: slices.Clone(stages), Lead: append(lead, dataset.StageRealised)}
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

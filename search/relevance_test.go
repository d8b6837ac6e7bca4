package search_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/search"
)

// judgement is one query of the relevance set with what a user expects in
// the first five results.
type judgement struct {
	Q      string            `json:"q"`
	Params map[string]string `json:"params"`
	// Want holds field → text: a hit matches when each field contains the
	// text, ignoring case. "title", "dataset" and "region_name" name the
	// hit's own parts, "text" all it shows; other names are shown fields.
	Want map[string]string `json:"want"`
	// Not, when set, must match none of the first five.
	Not map[string]string `json:"not"`
	// First demands that the very first result matches.
	First bool   `json:"first"`
	Why   string `json:"why"`
}

// TestRelevance runs the judged queries of testdata/relevance.json over a
// fixed demo release (seed 1, three cities, 2024). Each failure prints the
// query, why the record was expected and the five results instead.
func TestRelevance(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "relevance.json"))
	if err != nil {
		t.Fatal(err)
	}
	var set []judgement
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	if len(set) < 30 {
		t.Fatalf("relevance set has %d queries, want at least 30", len(set))
	}
	ix := demoIndex(t)
	for _, j := range set {
		t.Run(j.Q, func(t *testing.T) {
			q := search.Query{Text: j.Q, Size: 5, Dataset: j.Params["dataset"], Region: j.Params["region"]}
			res, err := ix.Search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			pos := -1
			for i, h := range res.Hits {
				if pos < 0 && matches(h, j.Want) {
					pos = i
				}
				if j.Not != nil && matches(h, j.Not) {
					t.Errorf("result %d matches %v, which the query excludes", i+1, j.Not)
				}
			}
			if pos < 0 || j.First && pos != 0 {
				t.Errorf("want %v %s (%s); got %d results:\n%s", j.Want, map[bool]string{true: "first", false: "in the top 5"}[j.First], j.Why, res.Total, describe(res.Hits))
			}
		})
	}
}

func matches(h search.Hit, want map[string]string) bool {
	for field, text := range want {
		var v string
		switch field {
		case "title":
			v = h.Title + " " + h.Fields["sub_activity_name"]
		case "text":
			v = h.Title
			for _, f := range h.Fields {
				v += " " + f
			}
		case "dataset":
			v = h.Dataset
		case "region_name":
			v = h.RegionName
		default:
			v = h.Fields[field]
		}
		if !strings.Contains(strings.ToLower(v), strings.ToLower(text)) {
			return false
		}
	}
	return true
}

func describe(hits []search.Hit) string {
	var b strings.Builder
	for i, h := range hits {
		b.WriteString("  ")
		b.WriteString(string(rune('1' + i)))
		b.WriteString(". [" + h.Dataset + "] " + h.Title + " | " + h.RegionName)
		for _, k := range []string{"agency_name", "account_code", "supplier_name", "type_code", "stage", "method"} {
			if v := h.Fields[k]; v != "" {
				b.WriteString(" | " + k + "=" + v)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// demoIndex indexes the seeded demo feeds through the real validation path.
func demoIndex(t *testing.T) *search.Index {
	t.Helper()
	dir := t.TempDir()
	feeds, err := demo.Generate(t.Context(), dir, demo.Options{Regions: 3, Years: []int{2024}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(search.Config{Path: filepath.Join(dir, "index")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for _, f := range feeds {
		var recs []dataset.Record
		fh, err := os.Open(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		rep := &intake.Report{}
		meta := intake.Meta{Dataset: f.Dataset, Region: f.Region, Year: f.Year}
		err = intake.Validate(t.Context(), fh, meta, dataset.LoadRegions(), rep, func(r dataset.Record) error {
			recs = append(recs, append(dataset.Record(nil), r...))
			return nil
		})
		fh.Close()
		if err != nil || !rep.OK() {
			t.Fatalf("feed %s: %v %+v", f.Path, err, rep.Errors)
		}
		p := search.Partition{Dataset: f.Dataset, Region: f.Region, Year: f.Year, SHA256: "demo"}
		if err := ix.Replace(t.Context(), p, func(yield func(dataset.Record, error) bool) {
			for _, r := range recs {
				if !yield(r, nil) {
					return
				}
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

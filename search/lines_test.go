package search

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

// TestLineDocuments indexes one budget partition whose lines have their
// stages as regions send them, and checks what DESIGN.md's budget line
// means for search: one hit per line, led by its latest budget stage
// (realisasi only when it has no budget), with every stage beside it; the
// stage facet counts lines having each stage.
func TestLineDocuments(t *testing.T) {
	s, err := dataset.Lookup("budget")
	if err != nil {
		t.Fatal(err)
	}
	line := func(name, stage, amount string) map[string]string {
		return map[string]string{"region_code": "32.73", "fiscal_year": "2024", "stage": stage,
			"agency_name": "Dinas " + name, "account_code": "5.1.02.01.01.0024",
			"account_name": "Belanja " + name, "amount": amount}
	}
	// The same line in four stages, a line with its budget only, one
	// with its outturn only, and a line sent twice at murni but once at
	// perubahan: its second murni is a line of its own.
	raws := []struct {
		name string
		raw  map[string]string
		rep  int
	}{
		{"jalan-murni", line("Jalan", "murni", "100"), 1},
		{"jalan-geser", line("Jalan", "pergeseran", "110"), 1},
		{"jalan-ubah", line("Jalan", "perubahan", "120"), 1},
		{"jalan-real", line("Jalan", "realisasi", "90"), 1},
		{"taman-murni", line("Taman", "murni", "50"), 1},
		{"pasar-real", line("Pasar", "realisasi", "30"), 1},
		{"kantor-murni", line("Kantor", "murni", "70"), 1},
		{"kantor-murni-2", line("Kantor", "murni", "75"), 2},
		{"kantor-ubah", line("Kantor", "perubahan", "80"), 1},
	}
	var recs []dataset.Record
	ids := map[string]string{}
	names := map[string]string{}
	for _, r := range raws {
		rec := parseRecord(t, s, r.raw)
		id := s.RecordID(rec, r.rep)
		rec[s.Index(dataset.FieldID)] = dataset.StringValue(id)
		ids[r.name], names[id] = id, r.name
		recs = append(recs, rec)
	}
	// Records come sorted by id in a partition file, not by line.
	slices.SortFunc(recs, func(a, b dataset.Record) int { return strings.Compare(a[0].Str, b[0].Str) })

	ix, err := Open(Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	p := Partition{Dataset: "budget", Region: "32.73", Year: 2024, SHA256: "x"}
	if err := ix.Replace(t.Context(), p, seq(recs...)); err != nil {
		t.Fatal(err)
	}

	res, err := ix.Search(t.Context(), Query{Dataset: "budget", Sort: "-amount"})
	if err != nil {
		t.Fatal(err)
	}
	type shown struct {
		Lead   string
		Amount int64
		Stages []string
	}
	var got []shown
	for _, h := range res.Hits {
		var sts []string
		for _, st := range h.Stages {
			sts = append(sts, names[st.ID]+"="+dataset.FormatMoney(st.Amount))
		}
		got = append(got, shown{names[h.ID], h.Amount, sts})
		if h.Fields["stage"] != h.Stages[slices.IndexFunc(h.Stages, func(st Stage) bool { return st.ID == h.ID })].Stage {
			t.Errorf("hit %s: stage %q is not its own record's", names[h.ID], h.Fields["stage"])
		}
	}
	want := []shown{
		{"jalan-ubah", 12000, []string{"jalan-murni=100.00", "jalan-geser=110.00", "jalan-ubah=120.00", "jalan-real=90.00"}},
		{"kantor-ubah", 8000, []string{"kantor-murni=70.00", "kantor-ubah=80.00"}},
		{"kantor-murni-2", 7500, []string{"kantor-murni-2=75.00"}},
		{"taman-murni", 5000, []string{"taman-murni=50.00"}},
		{"pasar-real", 3000, []string{"pasar-real=30.00"}},
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("hits by amount (-got +want):\n%s", diff)
	}
	if res.Total != 5 {
		t.Errorf("total %d, want 5 lines", res.Total)
	}

	stages := map[string]int{}
	for _, f := range res.Facets {
		if f.Field == "stage" {
			for _, v := range f.Values {
				stages[v.Value] = v.Count
			}
		}
	}
	if diff := cmp.Diff(stages, map[string]int{"murni": 4, "pergeseran": 1, "perubahan": 2, "realisasi": 2}); diff != "" {
		t.Errorf("stage facet (-got +want):\n%s", diff)
	}

	minSen, maxSen := int64(7000), int64(10000)
	for _, tt := range []struct {
		q    Query
		want []string
	}{
		{Query{Filters: map[string]string{"stage": "realisasi"}, Sort: "-amount"}, []string{"jalan-ubah", "pasar-real"}},
		{Query{Text: "tahap:pergeseran"}, []string{"jalan-ubah"}},
		// A stage typed as a word finds the lines having it, led by
		// another stage or not.
		{Query{Text: "pergeseran"}, []string{"jalan-ubah"}},
		{Query{Text: "realisasi", Sort: "-amount"}, []string{"jalan-ubah", "pasar-real"}},
		{Query{Text: "murni kantor", Sort: "-amount"}, []string{"kantor-ubah", "kantor-murni-2"}},
		// Ranges read the lead stage's amount: jalan's murni (100) is in
		// range, but the line's amount is its perubahan.
		{Query{MinAmount: &minSen, MaxAmount: &maxSen, Sort: "amount"}, []string{"kantor-murni-2", "kantor-ubah"}},
	} {
		res, err := ix.Search(t.Context(), tt.q)
		if err != nil {
			t.Fatal(err)
		}
		var hits []string
		for _, h := range res.Hits {
			hits = append(hits, names[h.ID])
		}
		if diff := cmp.Diff(hits, tt.want); diff != "" {
			t.Errorf("Search(%+v) (-got +want):\n%s", tt.q, diff)
		}
	}

	for _, rec := range []string{"jalan-real", "jalan-murni"} {
		sts, err := ix.Line(t.Context(), ids[rec])
		if err != nil {
			t.Fatal(err)
		}
		if len(sts) != 4 || sts[0].ID != ids["jalan-murni"] || sts[3].ID != ids["jalan-real"] {
			t.Errorf("Line(%s) = %+v, want jalan's four stages", rec, sts)
		}
	}
	if sts, err := ix.Line(t.Context(), "0000000000000000"); err != nil || sts != nil {
		t.Errorf("Line(unknown) = %v, %v; want nil, nil", sts, err)
	}

	// Any stage's record is located at its line's partition: the murni
	// record is no document of its own.
	for _, rec := range []string{"jalan-ubah", "jalan-murni", "taman-murni"} {
		h, ok, err := ix.Locate(t.Context(), ids[rec])
		if err != nil || !ok || h.Dataset != "budget" || h.Region != "32.73" || h.Year != 2024 {
			t.Errorf("Locate(%s) = %s %s %d %t %v, want budget 32.73 2024", rec, h.Dataset, h.Region, h.Year, ok, err)
		}
	}
	if _, ok, err := ix.Locate(t.Context(), "0000000000000000"); ok || err != nil {
		t.Errorf("Locate(unknown) = %t, %v; want false, nil", ok, err)
	}
}

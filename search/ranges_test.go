package search

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/terbuka/terbuka/dataset"
)

func rp(rupiah int64) *int64 { return sen(rupiah) }

func TestSortAndRanges(t *testing.T) {
	ix, fx, _ := openFixture(t)
	names := func(q Query) []string {
		t.Helper()
		q.Size = maxSize
		res, err := ix.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, fx.names[h.ID])
		}
		return out
	}
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		// Amounts: B1 1.800.474.995,54; B2 250 jt; B3 975 jt; B4 50 M; K1 3 M; K2 120.000.000,50;
		// P1 1.800.474.995,54; P2 125 jt; P3 450 jt; R1 287.654.321.000; R2 2,5 M.
		// B1 and P1 tie; ties are broken by id, so they are left out here.
		{"amount descending across datasets", Query{Sort: "-amount", Region: "32.73", Year: 2024, Filters: map[string]string{"stage": "murni"}}, []string{"B4", "B1"}},
		{"amount descending, two datasets", Query{Sort: "-amount", Text: "jalan -dataset:procurement"}, []string{"K1", "R2", "B1"}},
		{"amount ascending", Query{Sort: "amount", Dataset: "budget"}, []string{"K2", "B2", "B3", "B1", "K1", "B4"}},
		{"money range inclusive, to the sen", Query{MinAmount: rp(120_000_000), MaxAmount: rp(250_000_000), Sort: "amount"}, []string{"K2", "P2", "B2"}},
		{"open-ended range", Query{MinAmount: rp(50_000_000_000), Sort: "-amount"}, []string{"R1", "B4"}},
		{"date range on procurement", Query{DateFrom: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), DateTo: time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)}, []string{"P1"}},
		{"date sort puts dated records first", Query{Sort: "-date", Dataset: "procurement"}, []string{"P1", "P2", "P3"}},
		// Contract values: P1 1.698.250.000, P2 120 jt, P3 none (last
		// either way); by pagu the order would be P1, P3, P2.
		{"contract value descending", Query{Sort: "-value", Dataset: "procurement"}, []string{"P1", "P2", "P3"}},
		{"contract value ascending", Query{Sort: "value", Dataset: "procurement"}, []string{"P2", "P1", "P3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(tt.q)
			if tt.q.Sort == "" || tt.name == "date sort puts dated records first" {
				slices.Sort(got)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
		})
	}
}

func TestAmountFacetAndDisjunctiveCounts(t *testing.T) {
	ix, _, _ := openFixture(t)
	res, err := ix.Search(t.Context(), Query{Region: "32.04"})
	if err != nil {
		t.Fatal(err)
	}
	facet := func(name string) []FacetValue {
		for _, f := range res.Facets {
			if f.Field == name {
				return f.Values
			}
		}
		return nil
	}
	// The selected region's facet still lists Kota Bandung with its count.
	if diff := cmp.Diff(facet("region_code"), []FacetValue{{Value: "32.73", Count: 9}, {Value: "32.04", Count: 2}}); diff != "" {
		t.Errorf("region facet with 32.04 selected (-got +want):\n%s", diff)
	}
	// Other facets count only the selection.
	if diff := cmp.Diff(facet("fiscal_year"), []FacetValue{{Value: "2023", Count: 2}}); diff != "" {
		t.Errorf("year facet (-got +want):\n%s", diff)
	}
	var counts []int
	for _, v := range facet(facetAmount) {
		counts = append(counts, v.Count)
	}
	// K2 is 120 jt (50–200 jt), K1 is 3 M (1–10 M).
	if diff := cmp.Diff(counts, []int{0, 1, 0, 1, 0}); diff != "" {
		t.Errorf("amount buckets (-got +want):\n%s", diff)
	}
	res, _ = ix.Search(t.Context(), Query{MinAmount: AmountBuckets[1].Min, MaxAmount: AmountBuckets[1].Max})
	counts = counts[:0]
	for _, v := range facet(facetAmount) {
		counts = append(counts, v.Count)
	}
	if diff := cmp.Diff(counts, []int{0, 2, 3, 4, 2}); diff != "" {
		t.Errorf("amount buckets with one bucket selected keep the others (-got +want):\n%s", diff)
	}
}

func TestCursorPaging(t *testing.T) {
	ix, _, _ := openFixture(t)
	for _, tc := range []struct{ sort, text string }{{"", ""}, {"", "jalan belanja"}, {"-amount", ""}, {"date", ""}} {
		t.Run("sort="+tc.sort+",q="+tc.text, func(t *testing.T) {
			all, err := ix.Search(t.Context(), Query{Sort: tc.sort, Text: tc.text, Size: maxSize})
			if err != nil {
				t.Fatal(err)
			}
			var paged []string
			q := Query{Sort: tc.sort, Text: tc.text, Size: 3}
			for page := 0; page < 10; page++ {
				res, err := ix.Search(t.Context(), q)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range res.Hits {
					paged = append(paged, h.ID)
				}
				if res.Next == "" {
					break
				}
				q.After = res.Next
			}
			var want []string
			for _, h := range all.Hits {
				want = append(want, h.ID)
			}
			if diff := cmp.Diff(paged, want); diff != "" {
				t.Errorf("pages joined by cursors differ from one page (-got +want):\n%s", diff)
			}
		})
	}
	first, _ := ix.Search(t.Context(), Query{Size: 2})
	for name, q := range map[string]Query{
		"garbage":        {After: "not-a-cursor"},
		"other query":    {After: first.Next, Text: "jalan", Size: 2},
		"other sort":     {After: first.Next, Sort: "amount", Size: 2},
		"with from":      {After: first.Next, From: 2, Size: 2},
		"huge":           {After: string(make([]byte, 5000))},
		"valid base64":   {After: "eyJzIjpbXX0"},
		"right query ok": {After: first.Next, Size: 2},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ix.Search(t.Context(), q)
			if name == "right query ok" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, dataset.ErrInvalid) {
				t.Errorf("Search with cursor %q = %v, want ErrInvalid", name, err)
			}
		})
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(nextCursor(Query{}, order{by: "amount"}, 3, ranked{key: math.Inf(1), id: 42}))
	f.Add(nextCursor(Query{}, order{scored: true}, 20, ranked{}))
	f.Add("eyJzIjpbXX0")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		for _, o := range []order{{by: "amount"}, {scored: true}} {
			from, after, err := resume(Query{After: s}, o, 10)
			if err != nil && !errors.Is(err, dataset.ErrInvalid) {
				t.Fatalf("resume(%q): %v", s, err)
			}
			if err == nil && (from < 0 || from+10 > maxWindow || (after == nil) != o.scored) {
				t.Fatalf("resume(%q) = %d, %+v", s, from, after)
			}
		}
	})
}

// TestParallelPass checks that a pass split in two halves finds, counts
// and ranks exactly what one pass does.
func TestParallelPass(t *testing.T) {
	ix, _, _ := openFixture(t)
	// Scores follow the index's segments (deleted records count in term
	// statistics until merged away); one segment holds them still.
	if err := ix.Compact(t.Context()); err != nil {
		t.Fatal(err)
	}
	queries := []Query{
		{Text: "jalan"},
		{Text: "belanja", Size: 100},
		{Text: "jalan", Dataset: "procurement", Region: "32.73"},
		{Text: "pendidikan", MinAmount: sen(100_000_000)},
	}
	search := func(split uint64) []*Result {
		defer func(old uint64) { parallelDocs = old }(parallelDocs)
		parallelDocs = split
		var out []*Result
		for _, q := range queries {
			res, err := ix.Search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			res.Took = 0
			out = append(out, res)
		}
		return out
	}
	// Scores may differ in the last bit: a disjunction adds its parts in
	// the order its searchers reach a document.
	if diff := cmp.Diff(search(1<<62), search(1), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("split pass differs from one pass (-one +split):\n%s", diff)
	}
}

// TestFilteredRankingScoresAsUnfiltered checks that a relevance search with
// filters, which scores only the records passing them, ranks and scores
// them exactly as the search without them does. (Narrowing to a dataset
// is not such a filter: it also narrows the fields words are looked up in.)
func TestFilteredRankingScoresAsUnfiltered(t *testing.T) {
	ix, _, _ := openFixture(t)
	if err := ix.Compact(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []Query{
		{Text: "jalan", Region: "32.73", Size: maxSize},
		{Text: "jalan", Dataset: "budget", Year: 2024, Size: maxSize},
		{Text: "jalan", MinAmount: sen(1_000_000_000), Size: maxSize},
	} {
		got, err := ix.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		all, err := ix.Search(t.Context(), Query{Text: q.Text, Dataset: q.Dataset, Size: maxSize})
		if err != nil {
			t.Fatal(err)
		}
		var want []Hit
		for _, h := range all.Hits {
			if (q.Region == "" || h.Region == q.Region) && (q.Year == 0 || h.Year == q.Year) &&
				(q.MinAmount == nil || h.Amount >= *q.MinAmount) {
				want = append(want, h)
			}
		}
		if len(want) == 0 {
			t.Fatalf("%+v: the fixture has no such records; the test checks nothing", q)
		}
		if diff := cmp.Diff(got.Hits, want, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%+v: filtered ranking differs from the unfiltered one, filtered (-got +want):\n%s", q, diff)
		}
		if got.Total != uint64(len(want)) {
			t.Errorf("%+v: total %d, want %d", q, got.Total, len(want))
		}
	}
}

package search

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

// TestBudgetAccountsSearch: the budget by account is found by its words,
// its codes (a code finds every account below it) and its level, beside
// the budget lines of the same region and year, and apart from them with
// the dataset filter.
func TestBudgetAccountsSearch(t *testing.T) {
	s, _ := dataset.Lookup("budget_accounts")
	p := Partition{Dataset: "budget_accounts", Region: "32.73", Year: 2024, SHA256: "sha-bdg-accounts-1"}
	raw := []map[string]string{
		{"stage": "murni", "account_code": "5", "account_name": "Belanja Daerah", "amount": "100"},
		{"stage": "murni", "account_code": "5.1", "account_name": "Belanja Operasi", "amount": "90"},
		{"stage": "murni", "account_code": "5.1.02", "account_name": "Belanja Barang dan Jasa", "amount": "90"},
		{"stage": "murni", "account_code": "5.1.02.01.01.0024", "account_name": "Belanja Alat Tulis Kantor", "amount": "90"},
	}
	var recs []dataset.Record
	names := map[string]string{}
	for _, r := range raw {
		r["region_code"], r["fiscal_year"] = "32.73", "2024"
		rec := parseRecord(t, s, r)
		recs = append(recs, rec)
		names[rec[s.Index(dataset.FieldID)].Str] = r["account_code"]
	}
	ix, err := Open(Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Replace(t.Context(), p, seq(recs...)); err != nil {
		t.Fatal(err)
	}
	fx := newFixture(t)
	for _, fp := range fx.parts {
		if err := ix.Replace(t.Context(), fp, fx.records(fx.byKey[fp.Key()]...)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		q    Query
		want []string
	}{
		{"words", Query{Text: "alat tulis kantor", Dataset: "budget_accounts"}, []string{"5.1.02.01.01.0024"}},
		{"a code and what is below it", Query{Text: "5.1.02", Dataset: "budget_accounts"}, []string{"5.1.02", "5.1.02.01.01.0024"}},
		{"level", Query{Dataset: "budget_accounts", Filters: map[string]string{"account_level": "2"}}, []string{"5.1"}},
		{"group", Query{Dataset: "budget_accounts", Filters: map[string]string{"account_group": "belanja", "stage": "murni"}}, []string{"5", "5.1", "5.1.02", "5.1.02.01.01.0024"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Size = maxSize
			res, err := ix.Search(t.Context(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				if h.Dataset != "budget_accounts" {
					t.Errorf("hit of %s", h.Dataset)
				}
				got = append(got, names[h.ID])
			}
			slices.Sort(got)
			if diff := cmp.Diff(got, tc.want); diff != "" {
				t.Errorf("hits (-got +want):\n%s", diff)
			}
		})
	}
	// Without the dataset filter, the words find the budget line too.
	res, err := ix.Search(t.Context(), Query{Text: "alat tulis kantor", Size: maxSize})
	if err != nil {
		t.Fatal(err)
	}
	datasets := map[string]bool{}
	for _, h := range res.Hits {
		datasets[h.Dataset] = true
	}
	if !datasets["budget"] || !datasets["budget_accounts"] {
		t.Errorf("alat tulis kantor found in %v, want budget and budget_accounts", datasets)
	}
}

package site

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// accountRow is a budget_accounts row as this test reads it.
type accountRow struct {
	Stage   string `parquet:"stage"`
	Account string `parquet:"account_code"`
	Level   int32  `parquet:"account_level"`
	Amount  int64  `parquet:"amount"`
}

// TestAccountLevelProfiles: a region that publishes only its budget by
// account has a profile with totals per stage and breakdowns by jenis from
// its deepest accounts, each level's totals, and the badge for parents
// that are not their children's sum; a region publishing both shows its
// agency-level lines and says the other exists; the home page counts each
// region's budget once. Every figure is computed here from the published
// Parquet files with parquet-go's generic reader and DESIGN.md's rules: an
// account's children are the accounts whose nearest ancestor present in
// the same stage it is; the deepest accounts (those without children) are
// summed, never the levels above them.
func TestAccountLevelProfiles(t *testing.T) {
	d := publishDemo(t, demo.Options{Regions: 3, Years: []int{2023, 2024}, Seed: 5, Scale: 0.3, AccountRegions: 1})
	st, regions := d.st, dataset.LoadRegions()
	ix, err := search.Empty()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srv, err := New(Config{Index: ix, Publisher: d.pub, Regions: regions, Log: quiet, Store: st, Reports: d.in})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	lines := readAll(t, st, d.release).budget
	accounts := map[string][]accountRow{}
	for _, p := range d.release.Partitions {
		if p.Dataset == "budget_accounts" {
			raw, err := store.ReadAll(t.Context(), st, p.Path, 1<<30)
			if err != nil {
				t.Fatal(err)
			}
			accounts[p.Region+"/"+strconv.Itoa(p.Year)] = readRows[accountRow](t, raw)
		}
	}
	var only, both string
	for k := range accounts {
		region := strings.Split(k, "/")[0]
		if lines[k] == nil {
			only = region
		} else {
			both = region
		}
	}
	if only == "" || both == "" {
		t.Fatalf("demo has no region by account only (%q) or both ways (%q)", only, both)
	}

	headline := map[int]int64{} // year → belanja of the regencies and cities
	for _, year := range []int{2023, 2024} {
		key := func(code string) string { return code + "/" + strconv.Itoa(year) }
		_, body := get(t, fmt.Sprintf("%s/wilayah/%s?tahun=%d", ts.URL, only, year))
		got := pageFigures(body)
		want := expectAccounts(accounts[key(only)])
		for k := range got {
			if !strings.HasPrefix(k, "groups|") && !strings.HasPrefix(k, "jenis|") && !strings.HasPrefix(k, "levels|") &&
				!strings.HasPrefix(k, "mismatches|") && !strings.HasPrefix(k, "|accounts") {
				delete(got, k)
			}
		}
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("%s %d by account: page figures differ from the Parquet sums (-parquet +page):\n%s", only, year, diff)
		}
		if !strings.Contains(body, `data-key="accounts/shown"`) || strings.Contains(body, `data-table="agencies"`) {
			t.Errorf("%s %d: the page does not say its figures are the budget by account's, or shows agencies", only, year)
		}
		headline[year] += want["groups|belanja/perubahan"]

		_, body = get(t, fmt.Sprintf("%s/wilayah/%s?tahun=%d", ts.URL, both, year))
		got = pageFigures(body)
		byStage := map[string]map[string]int64{}
		for _, r := range lines[key(both)] {
			add2(byStage, r.Stage, *r.Group, r.Amount)
		}
		for st, groups := range byStage {
			for g, v := range groups {
				if got["groups|"+g+"/"+st] != v {
					t.Errorf("%s %d: %s %s = %d on the page, its budget lines sum to %d", both, year, g, st, got["groups|"+g+"/"+st], v)
				}
			}
		}
		if !strings.Contains(body, `data-key="accounts/also"`) || strings.Contains(body, `data-table="levels"`) {
			t.Errorf("%s %d: the page does not say a budget by account exists, or shows its levels", both, year)
		}
		headline[year] += byStage["perubahan"]["belanja"]
		for _, r := range lines[key("32.73")] {
			if r.Stage == "perubahan" && *r.Group == "belanja" {
				headline[year] += r.Amount
			}
		}

		var api struct {
			Source   string `json:"budget_source"`
			Accounts *struct {
				Shown      bool `json:"shown"`
				Mismatches int  `json:"hierarchy_mismatches"`
			} `json:"budget_accounts"`
		}
		for code, source := range map[string]string{only: "budget_accounts", both: "budget", "32.73": "budget"} {
			_, b := get(t, fmt.Sprintf("%s/api/v1/regions/%s?year=%d", ts.URL, code, year))
			api.Accounts = nil
			if err := json.Unmarshal([]byte(b), &api); err != nil || api.Source != source || (api.Accounts != nil) != (code != "32.73") ||
				api.Accounts != nil && api.Accounts.Shown != (code == only) {
				t.Errorf("%s %d: API says %+v (%v), want budget from %s", code, year, api, err, source)
			}
		}
	}
	_, body := get(t, ts.URL+"/")
	got := pageFigures(body)
	for year, v := range headline {
		if k := fmt.Sprintf("headlines|%d/kabkota/belanja", year); got[k] != v {
			t.Errorf("home %d: belanja of regencies and cities %d, want %d (each region's budget once)", year, got[k], v)
		}
	}
}

// expectAccounts computes a budget by account's profile figures.
func expectAccounts(rows []accountRow) map[string]int64 {
	want := map[string]int64{}
	type key struct{ stage, code string }
	amount := map[key]int64{}
	for _, r := range rows {
		amount[key{r.Stage, r.Account}] = r.Amount
	}
	parentOf := func(k key) (key, bool) {
		for c := k.code; strings.Contains(c, "."); {
			c = c[:strings.LastIndex(c, ".")]
			if _, ok := amount[key{k.stage, c}]; ok {
				return key{k.stage, c}, true
			}
		}
		return key{}, false
	}
	children, count := map[key]int64{}, map[key]int{}
	for k, v := range amount {
		if p, ok := parentOf(k); ok {
			children[p] += v
			count[p]++
		}
	}
	groups := map[string]string{"4": "pendapatan", "5": "belanja", "6": "pembiayaan"}
	byStage, jenis := map[string]map[string]int64{}, map[string]map[string]int64{}
	for k, v := range amount {
		if count[k] > 0 {
			continue
		}
		add2(byStage, k.stage, groups[k.code[:1]], v)
		if parts := strings.Split(k.code, "."); len(parts) >= 3 {
			add2(jenis, k.stage, strings.Join(parts[:3], "."), v)
		}
	}
	for st := range byStage {
		for _, g := range []string{"pendapatan", "belanja", "pembiayaan"} {
			want["groups|"+g+"/"+st] = byStage[st][g]
		}
	}
	for code, v := range jenis["perubahan"] {
		if strings.HasPrefix(code, "5.") {
			want["jenis|plan/"+code] = v
			if _, ok := jenis["realisasi"]; ok {
				want["jenis|real/"+code] = jenis["realisasi"][code]
			}
		}
	}
	levels := map[string]map[int32]int64{}
	present := map[int32]bool{}
	for _, r := range rows {
		if levels[r.Stage] == nil {
			levels[r.Stage] = map[int32]int64{}
		}
		levels[r.Stage][r.Level] += r.Amount
		present[r.Level] = true
	}
	for st := range byStage {
		for lv := range present {
			want[fmt.Sprintf("levels|level/%s/%d", st, lv)] = levels[st][lv]
		}
	}
	type mismatch struct {
		key
		level  int
		parent int64
	}
	var mismatches []mismatch
	for k, sum := range children {
		if sum != amount[k] {
			mismatches = append(mismatches, mismatch{k, strings.Count(k.code, ".") + 1, amount[k]})
		}
	}
	if len(mismatches) > 0 {
		want["|accounts/mismatched"] = int64(len(mismatches))
	}
	order := map[string]int{"murni": 0, "pergeseran": 1, "perubahan": 2, "realisasi": 3}
	slices.SortFunc(mismatches, func(a, b mismatch) int {
		return cmp.Or(cmp.Compare(a.level, b.level), cmp.Compare(order[a.stage], order[b.stage]), cmp.Compare(a.code, b.code))
	})
	for _, m := range mismatches[:min(5, len(mismatches))] {
		want["mismatches|parent/"+m.stage+"/"+m.code] = m.parent
		want["mismatches|children/"+m.stage+"/"+m.code] = children[m.key]
	}
	return want
}

// TestRealAccountProfile publishes the real 2021 APBD export by account as
// it comes and checks its profile against sums computed from the Parquet
// file as TestAccountLevelProfiles does: totals per stage and jenis from
// the deepest accounts, each level's totals, and the mismatches.
func TestRealAccountProfile(t *testing.T) {
	file := filepath.Join(testfiles.SharedData(t), "indonesia", "prp2pemkab-apbd-2021", "apbd_2021_rekening_anggaran.csv")
	st := storetest.Dir(t)
	pub := publisher.New(st, quiet)
	in := &pipeline.Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir(), Publisher: pub}
	out, err := in.Run(t.Context(), pub, []pipeline.FeedFile{{Path: file,
		Meta: intake.Meta{Dataset: "budget_accounts", Region: "12.71", Year: 2021, File: filepath.Base(file)}}}, nil)
	if err != nil || !out.Published || len(out.Rejected()) > 0 {
		t.Fatalf("publish the real export: %v (published %v)", err, out != nil && out.Published)
	}
	ix, err := search.Empty()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srv, err := New(Config{Index: ix, Publisher: pub, Regions: dataset.LoadRegions(), Log: quiet, Store: st, Reports: in})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	p := out.Release.Partitions[0]
	raw, err := store.ReadAll(t.Context(), st, p.Path, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	want := expectAccounts(readRows[accountRow](t, raw))
	_, body := get(t, ts.URL+"/wilayah/12.71?tahun=2021")
	got := pageFigures(body)
	for k := range got {
		if !strings.HasPrefix(k, "groups|") && !strings.HasPrefix(k, "jenis|") && !strings.HasPrefix(k, "levels|") &&
			!strings.HasPrefix(k, "mismatches|") && !strings.HasPrefix(k, "|accounts") {
			delete(got, k)
		}
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("profile of the real export differs from the Parquet sums (-parquet +page):\n%s", diff)
	}
	for _, says := range []string{"jumlah rincian tidak sama dengan induknya", `data-key="accounts/shown"`, "sub rincian objek"} {
		if !strings.Contains(body, says) {
			t.Errorf("the profile does not say %q", says)
		}
	}
	if want["|accounts/mismatched"] != 259 {
		t.Errorf("%d mismatches, the export has 259", want["|accounts/mismatched"])
	}
}

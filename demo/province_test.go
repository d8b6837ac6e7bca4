package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
)

// TestProvincesZeroUnchanged keeps the feeds of regencies and cities as
// they were before provinces were added: tests and benchmarks elsewhere
// depend on their exact bytes. The hash was taken from the generator
// before the change, and taken again when issue 20 widened the
// nomenclature of regencies and cities (new agencies, lines, works and
// packages change every feed of theirs). When procurement_bids came, the
// tender participants of the procurement feeds' tenders, its feeds were
// hashed apart, so that the hash of the other feeds stayed the one taken
// before: adding them changed no byte of budget, procurement or revenue.
// The hash was taken again when procurement got its mak column (the
// budget line funding a package): nothing else changed. With the mak
// column dropped, every procurement feed of this test and of three other
// option sets (the defaults; six regions and two provinces over three
// years at scale 0.5; four regions at scale 2) had the cells of the
// feeds before it, and every other feed, the participants' among them,
// the same bytes. Both hashes were taken again when a few packages got
// the figures of the red flags the demo lacked (flagFigures: fast awards,
// low bids, contracts raised above the HPS, December announcements): the
// budget, budget_accounts and revenue feeds of this test and of four other
// option sets (the three above and five regions and a province with seed
// 9) kept their bytes; in procurement only the dates, contract values and
// (for an earlier contract in the year in progress) status of the changed
// packages differ, in procurement_bids only the winning bids of the low
// ones.
func TestProvincesZeroUnchanged(t *testing.T) {
	const (
		want     = "b9d412cf2628233441d18bf3e2ac52f9db7555efb3d42e2e8f2f653698e31a61"
		wantBids = "43055d938219e5f5b3813fb8f071c3c9dc1590a8c2b8fb68774f90607f9b1c02"
	)
	feeds, err := Generate(t.Context(), t.TempDir(), Options{Regions: 3, Years: []int{2023, 2024}, Seed: 3, Scale: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	others, bids := sha256.New(), sha256.New()
	for _, f := range feeds {
		b, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		h := others
		if f.Dataset == "procurement_bids" {
			h = bids
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(f.Path), len(b))
		h.Write(b)
	}
	if got := fmt.Sprintf("%x", others.Sum(nil)); got != want {
		t.Errorf("feeds of regencies and cities changed: hash %s, want %s", got, want)
	}
	if got := fmt.Sprintf("%x", bids.Sum(nil)); got != wantBids {
		t.Errorf("tender participants of regencies and cities changed: hash %s, want %s", got, wantBids)
	}
}

// TestProvinceFeeds generates two provinces' feeds besides the regions'
// and runs every file through the pipeline's validation, as a region's
// push would be.
func TestProvinceFeeds(t *testing.T) {
	feeds, err := Generate(t.Context(), t.TempDir(), Options{Regions: 4, Provinces: 2})
	if err != nil {
		t.Fatal(err)
	}
	regions := dataset.LoadRegions()
	provinces := map[string]bool{}
	for _, f := range feeds {
		if r := regions.Lookup(f.Region); r != nil && r.IsProvince() {
			provinces[f.Region] = true
		}
	}
	t.Run("provinces", func(t *testing.T) {
		if len(provinces) != 2 || !provinces[jawaBarat] {
			t.Errorf("province feeds of %v, want Jawa Barat (32) and one more", provinces)
		}
	})
	var files []feedFile
	for _, f := range feeds {
		t.Run(filepath.Base(f.Path), func(t *testing.T) {
			validate(t, f, regions)
			if !provinces[f.Region] {
				return
			}
			ff := readFeed(t, f)
			s, _ := dataset.Lookup(f.Dataset)
			checkKeys(t, s, ff)
			checks[f.Dataset](t, ff)
			files = append(files, ff)
		})
	}
	t.Run("revenue matches budget", func(t *testing.T) { checkRevenueMatchesBudget(t, files) })
	t.Run("bids match procurement", func(t *testing.T) { checkBidsMatchProcurement(t, files) })
}

// validate runs a feed through intake.Validate and fails on any error
// or on a row count that differs from the feed's.
func validate(t *testing.T, f Feed, regions *dataset.Regions) {
	t.Helper()
	fh, err := os.Open(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	meta := intake.Meta{Dataset: f.Dataset, Region: f.Region, Year: f.Year, File: filepath.Base(f.Path), Source: "demo"}
	rep := &intake.Report{}
	rows := 0
	if err := intake.Validate(t.Context(), fh, meta, regions, rep, func(dataset.Record) error { rows++; return nil }); err != nil {
		t.Fatal(err)
	}
	if rep.ErrorCount != 0 {
		t.Fatalf("%d errors, first %+v", rep.ErrorCount, rep.Errors[0])
	}
	if rows != f.Rows {
		t.Errorf("%d valid rows, feed says %d", rows, f.Rows)
	}
}

// TestProvinceBudget checks Jawa Barat's own figures from their definition:
// the province pays its regencies and cities their share of its taxes
// (belanja transfer, 5.4), once to each, of a size their own budgets
// expect; it collects only provincial taxes and levies any level may
// charge; it has no district offices; and its spending is of the size of
// its real budget (about Rp 36 trillion in 2024).
func TestProvinceBudget(t *testing.T) {
	regions := dataset.LoadRegions()
	spec := Spec{Region: regions.Lookup(jawaBarat), Year: 2024, Open: true, Seed: 1, Scale: 0.3}
	budget := feedRows(t, spec, "budget")
	members := regions.Children(jawaBarat)

	t.Run("belanja transfer", func(t *testing.T) {
		paid := map[string]int{}
		for _, r := range budget {
			if r["stage"] == "murni" && strings.HasPrefix(r["account_code"], "5.4.01.") {
				paid[r["description"]]++
			}
		}
		for _, m := range members {
			if n := paid["Bagi hasil pajak daerah kepada Pemerintah "+m.Name]; n != 1 {
				t.Errorf("%s: %d bagi hasil lines, want 1", m.Name, n)
			}
		}
		if len(paid) != len(members) {
			t.Errorf("%d bagi hasil lines, want one for each of %d members", len(paid), len(members))
		}
		for _, stage := range []string{"murni", "perubahan"} {
			if sum(budget, stage, "5.4.02.") == 0 {
				t.Errorf("%s: no bantuan keuangan (5.4.02)", stage)
			}
		}
	})

	t.Run("size", func(t *testing.T) {
		spent := sum(budget, "murni", "5")
		if spent < 25e12*100 || spent > 50e12*100 {
			t.Errorf("belanja %s, want Rp 25–50 trillion", dataset.FormatMoney(spent))
		}
	})

	t.Run("shares as members expect", func(t *testing.T) {
		expected := int64(0)
		for _, m := range members {
			s := spec
			s.Region = m
			expected += sum(feedRows(t, s, "budget"), "murni", bagiHasilProvinsi)
		}
		paid := sum(budget, "murni", "5.4.01.")
		ratio := float64(paid) / float64(expected)
		t.Logf("province pays %s, its members expect %s (ratio %.2f)", dataset.FormatMoney(paid), dataset.FormatMoney(expected), ratio)
		if ratio < 0.4 || ratio > 2.5 {
			t.Errorf("province pays %s, its members expect %s (ratio %.2f)", dataset.FormatMoney(paid), dataset.FormatMoney(expected), ratio)
		}
	})

	t.Run("no district offices", func(t *testing.T) {
		for _, r := range budget {
			if strings.HasPrefix(r["agency_code"], "7.01.") {
				t.Fatalf("district office %s %s", r["agency_code"], r["agency_name"])
			}
		}
	})

	t.Run("provincial levies", func(t *testing.T) {
		seen := map[string]bool{}
		for _, r := range feedRows(t, spec, "revenue") {
			l, ok := dataset.LookupLevy(r["type_code"])
			if !ok || l.Level != "provinsi" && l.Level != "semua" {
				t.Errorf("revenue row of %s (level %q)", r["type_code"], l.Level)
			}
			seen[r["type_code"]] = true
		}
		for _, code := range []string{"PKB", "BBNKB", "PBBKB", "PROKOK"} {
			if !seen[code] {
				t.Errorf("no %s rows", code)
			}
		}
	})
}

// feedRows writes one feed of a spec and returns its rows by column.
func feedRows(t *testing.T, spec Spec, ds string) []map[string]string {
	t.Helper()
	spec.Dataset = ds
	var buf bytes.Buffer
	if _, err := WriteFeed(&buf, spec); err != nil {
		t.Fatal(err)
	}
	all, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := feedFile{header: all[0]}
	var out []map[string]string
	for _, row := range all[1:] {
		m := map[string]string{}
		for _, c := range f.header {
			m[c] = f.col(row, c)
		}
		out = append(out, m)
	}
	return out
}

// sum adds the amounts of a stage's budget lines whose account starts with
// prefix.
func sum(rows []map[string]string, stage, prefix string) int64 {
	total := int64(0)
	for _, r := range rows {
		if r["stage"] == stage && strings.HasPrefix(r["account_code"], prefix) {
			v, err := dataset.ParseMoney(r["amount"])
			if err != nil {
				panic(err)
			}
			total += v
		}
	}
	return total
}

func TestPickProvinces(t *testing.T) {
	regions := dataset.LoadRegions()
	picked := pickRegions(regions, 30, 1)
	got := pickProvinces(regions, 40, 1, picked)
	if len(got) != 37 || got[0].Code != jawaBarat {
		t.Fatalf("%d provinces starting with %s, want all 37 but Jakarta, Jawa Barat first", len(got), got[0].Code)
	}
	near := map[string]bool{}
	for _, r := range picked {
		near[r.ProvinceCode] = true
	}
	for i, r := range got {
		if r.Code == jakarta || !r.IsProvince() {
			t.Errorf("picked %s %s", r.Code, r.Name)
		}
		if i > 0 && near[r.Code] != (i < len(near)) {
			t.Errorf("%s at %d: the picked regions' provinces (%d) come first", r.Code, i, len(near))
		}
	}
	if slices.ContainsFunc(got[1:], func(r *dataset.Region) bool { return r.Code == jawaBarat }) {
		t.Error("Jawa Barat picked twice")
	}
}

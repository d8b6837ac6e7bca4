package demo

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

// feedFile is a generated feed read back and validated.
type feedFile struct {
	Feed
	header []string
	rows   [][]string
	recs   []dataset.Record
}

// readFeed parses every cell with its field and completes every record,
// failing the test on any error or non-warning issue.
func readFeed(t *testing.T, f Feed) feedFile {
	t.Helper()
	s, err := dataset.Lookup(f.Dataset)
	if err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	all, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	out := feedFile{Feed: f, header: all[0], rows: all[1:]}
	regions := dataset.LoadRegions()
	for i, row := range out.rows {
		rec := make(dataset.Record, len(s.Fields))
		for j, col := range out.header {
			v, ferr := s.Field(col).Parse(row[j])
			if ferr != nil {
				t.Fatalf("%s row %d column %s value %q: %v", filepath.Base(f.Path), i+2, col, row[j], ferr)
			}
			rec[s.Index(col)] = v
		}
		for _, is := range s.Complete(rec, regions) {
			if !is.Warning {
				t.Fatalf("%s row %d: %s %q: %v", filepath.Base(f.Path), i+2, is.Field, is.Value, is.Err)
			}
		}
		out.recs = append(out.recs, rec)
	}
	return out
}

// col returns a row's value in the named column.
func (f feedFile) col(row []string, name string) string {
	for i, c := range f.header {
		if c == name {
			return row[i]
		}
	}
	panic("no column " + name)
}

func TestGenerateDefaults(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	feeds, err := Generate(t.Context(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d feeds in %v", len(feeds), time.Since(start))

	var files []feedFile
	rows := map[string]int{}
	regions, years := map[string]bool{}, map[int]bool{}
	for _, f := range feeds {
		ff := readFeed(t, f)
		if got := len(ff.rows); got != f.Rows {
			t.Errorf("%s: Feed.Rows = %d, file has %d", f.Path, f.Rows, got)
		}
		files = append(files, ff)
		rows[f.Dataset] += f.Rows
		regions[f.Region], years[f.Year] = true, true
	}
	t.Logf("rows per dataset: %v", rows)

	t.Run("volume", func(t *testing.T) {
		total := rows["budget"] + rows["procurement"] + rows["revenue"]
		if total < 100000 || len(regions) < 30 || len(years) != 2 {
			t.Errorf("got %d rows over %d regions and %d years, want >= 100000 over >= 30 and 2", total, len(regions), len(years))
		}
		if !regions[bandung] {
			t.Errorf("Kota Bandung %s is missing", bandung)
		}
	})

	for _, ds := range dataset.All() {
		t.Run(ds.Name, func(t *testing.T) {
			for _, f := range files {
				if f.Dataset != ds.Name {
					continue
				}
				if diff := cmp.Diff(f.header, ds.Columns()); diff != "" {
					t.Fatalf("%s header (-got +want):\n%s", f.Path, diff)
				}
				checkKeys(t, ds, f)
				checks[ds.Name](t, f)
			}
		})
	}

	t.Run("revenue matches budget", func(t *testing.T) { checkRevenueMatchesBudget(t, files) })
	t.Run("budget by account", func(t *testing.T) { checkAccountRegions(t, files) })
	t.Run("bids match procurement", func(t *testing.T) { checkBidsMatchProcurement(t, files) })
	t.Run("mak matches budget", func(t *testing.T) { checkMAKMatchesBudget(t, files) })
	t.Run("red flag figures", func(t *testing.T) { checkFlagFigures(t, files) })

	t.Run("search", func(t *testing.T) {
		for _, tc := range []struct {
			dataset, column, word string
		}{
			{"budget", "description", "jalan"},
			{"budget", "account_name", "jalan desa"},
			{"procurement", "title", "jalan"},
			{"procurement", "title", "jalan desa"},
		} {
			hits := 0
			for _, f := range files {
				for _, row := range f.rows {
					if f.Dataset == tc.dataset && strings.Contains(strings.ToLower(f.col(row, tc.column)), tc.word) {
						hits++
					}
				}
			}
			if hits < 10 {
				t.Errorf("%s %s: %d rows contain %q, want at least 10", tc.dataset, tc.column, hits, tc.word)
			}
		}
	})
}

// checkRevenueMatchesBudget fails when a tax or levy's annual target or
// receipts differ from the budget line of its account (amended budget,
// and realised for closed years).
func checkRevenueMatchesBudget(t *testing.T, files []feedFile) {
	t.Helper()
	type key struct {
		region      string
		year        int
		stage, acct string
		desc        string
	}
	budget := map[key]string{}
	hasBudget := map[string]bool{}
	for _, f := range files {
		if f.Dataset == "budget" {
			hasBudget[f.Region] = true
			for _, row := range f.rows {
				budget[key{f.Region, f.Year, f.col(row, "stage"), f.col(row, "account_code"), f.col(row, "description")}] = f.col(row, "amount")
			}
		}
	}
	checked := 0
	for _, f := range files {
		// Regions publishing only their budget by account have no lines
		// to compare with (checkAccountRegions compares their totals).
		if f.Dataset != "revenue" || !hasBudget[f.Region] {
			continue
		}
		for _, row := range f.rows {
			acct := f.col(row, "account_code")
			if f.col(row, "period") != "0" || acct == "" {
				continue
			}
			desc := ""
			if f.col(row, "kind") == "retribusi" {
				desc = f.col(row, "type_name")
			}
			want := map[string]string{"perubahan": f.col(row, "target")}
			if f.Year == 2023 {
				want["realisasi"] = f.col(row, "realized")
			}
			for stage, v := range want {
				if got := budget[key{f.Region, f.Year, stage, acct, desc}]; got != v {
					t.Errorf("%s %d %s %s: budget %s %q, revenue %q", f.Region, f.Year, acct, desc, stage, got, v)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Error("no revenue line was compared with the budget")
	}
}

// checkAccountRegions: a few regions publish their budget by account only,
// one both ways; every level of each stage is the sum of the one below
// except, in some feeds, a stale Belanja Operasi (5.1) in the APBD murni
// (and so belanja, 5);
// and where a region publishes both, its deepest accounts add up to its
// budget lines, stage by stage and group by group.
func checkAccountRegions(t *testing.T, files []feedFile) {
	t.Helper()
	type slot struct {
		region string
		year   int
	}
	type sums map[[2]string]int64 // stage, group → sen
	lines, leaves := map[slot]sums{}, map[slot]sums{}
	stale := 0
	for _, f := range files {
		k := slot{f.Region, f.Year}
		switch f.Dataset {
		case "budget":
			s, _ := dataset.Lookup("budget")
			lines[k] = sums{}
			for _, r := range f.recs {
				lines[k][[2]string{r[s.Index("stage")].Str, r[s.Index(dataset.FieldAccountGroup)].Str}] += r[s.Index("amount")].Int
			}
		case "budget_accounts":
			s, _ := dataset.Lookup("budget_accounts")
			var h dataset.Hierarchy
			for i, r := range f.recs {
				h.Add(r[s.Index("stage")].Str, r[s.Index(dataset.FieldAccountCode)].Str, r[s.Index("amount")].Int, i+2)
			}
			// A stale 5.1 is no longer its jenis' sum, nor, with the
			// other kelompok, belanja's (5).
			mismatches := h.Mismatches()
			for _, m := range mismatches {
				if m.Stage != "murni" || m.Code != "5" && m.Code != "5.1" {
					t.Errorf("%s: %s %s holds %d, its children %d", filepath.Base(f.Path), m.Stage, m.Code, m.Parent, m.Children)
				}
			}
			if len(mismatches) > 0 {
				stale++
			}
			leaves[k] = sums{}
			h.Leaves(func(stage, code string, amount int64) {
				leaves[k][[2]string{stage, dataset.AccountGroup(code)}] += amount
			})
		}
	}
	only, both := 0, 0
	for k, l := range leaves {
		if lines[k] == nil {
			only++
			continue
		}
		both++
		if diff := cmp.Diff(l, lines[k]); diff != "" {
			t.Errorf("%s %d: deepest accounts differ from the budget lines (-accounts +lines):\n%s", k.region, k.year, diff)
		}
	}
	if only == 0 || both == 0 || stale == 0 || stale == len(leaves) {
		t.Errorf("%d region-years by account only, %d both ways, %d of them with a stale parent; want some of each", only, both, stale)
	}
}

// tenderMethods are the methods that run a public competition, whose
// participants LKPP's export lists.
var tenderMethods = map[string]bool{"tender": true, "tender cepat": true, "seleksi": true}

// checkBidsMatchProcurement pairs each region-year's tender participants
// with its procurement feed (checkBids) and checks that, over all of them,
// some awarded tenders had a single bid but only a few.
func checkBidsMatchProcurement(t *testing.T, files []feedFile) {
	t.Helper()
	type slot struct {
		region string
		year   int
	}
	procurement := map[slot]feedFile{}
	for _, f := range files {
		if f.Dataset == "procurement" {
			procurement[slot{f.Region, f.Year}] = f
		}
	}
	paired, awarded, single := 0, 0, 0
	for _, f := range files {
		if f.Dataset != "procurement_bids" {
			continue
		}
		p, ok := procurement[slot{f.Region, f.Year}]
		if !ok {
			t.Errorf("%s: no procurement feed of its region and year", filepath.Base(f.Path))
			continue
		}
		a, s := checkBids(t, p, f)
		paired, awarded, single = paired+1, awarded+a, single+s
	}
	if paired == 0 || awarded == 0 {
		t.Fatalf("%d bids feeds paired with procurement, %d awarded tenders", paired, awarded)
	}
	share := float64(single) / float64(awarded)
	t.Logf("%d of %d awarded tenders (%.1f%%) had a single bid", single, awarded, 100*share)
	if single == 0 || share > 0.15 {
		t.Errorf("%d of %d awarded tenders had a single bid, want some but at most 15%%", single, awarded)
	}
}

// checkBids checks one region-year's participants against its packages:
// every participant's tender is one of the packages', a tender has as
// many participants as its bidder_count (direct procurement none), and an
// awarded tender has one winner, the package's supplier, who bid the
// contract value, while the others bid 80–105% of the HPS. It returns the
// number of awarded tenders and of those with a single bid.
func checkBids(t *testing.T, proc, bids feedFile) (awarded, single int) {
	t.Helper()
	name := filepath.Base(bids.Path)
	byTender := map[string][][]string{}
	for _, row := range bids.rows {
		id := bids.col(row, "tender_id")
		byTender[id] = append(byTender[id], row)
	}
	known := map[string]bool{}
	for _, pkg := range proc.rows {
		id := proc.col(pkg, "tender_id")
		if id == "" {
			continue
		}
		known[id] = true
		rows, tender := byTender[id], tenderMethods[proc.col(pkg, "method")]
		// An empty bidder_count is none.
		if want, _ := strconv.Atoi(proc.col(pkg, "bidder_count")); tender && len(rows) != want {
			t.Errorf("%s tender %s: %d participants, bidder_count %d", name, id, len(rows), want)
		}
		if !tender && len(rows) > 0 {
			t.Errorf("%s: %d participants in %s %s", name, len(rows), proc.col(pkg, "method"), id)
		}
		var winners [][]string
		bidCount := 0
		hps, _ := dataset.ParseMoney(proc.col(pkg, "owner_estimate"))
		for _, r := range rows {
			v := bids.col(r, "bid_value")
			if v != "" {
				bidCount++
			}
			if bids.col(r, "winner") == "1" {
				winners = append(winners, r)
				continue
			}
			if bid, _ := dataset.ParseMoney(v); v != "" && (bid < hps*80/100-100 || bid > hps*105/100+100) {
				t.Errorf("%s tender %s: losing bid %s, HPS %s", name, id, v, proc.col(pkg, "owner_estimate"))
			}
		}
		supplier := proc.col(pkg, "supplier_name")
		if supplier == "" || !tender {
			if len(winners) > 0 {
				t.Errorf("%s tender %s (%s): %d winners, none awarded", name, id, proc.col(pkg, "status"), len(winners))
			}
			continue
		}
		awarded++
		if bidCount == 1 {
			single++
		}
		if len(winners) != 1 {
			t.Errorf("%s tender %s: %d winners, want 1", name, id, len(winners))
			continue
		}
		w := winners[0]
		bid, _ := dataset.ParseMoney(bids.col(w, "bid_value"))
		contract, _ := dataset.ParseMoney(proc.col(pkg, "contract_value"))
		if bids.col(w, "supplier_name") != supplier || bids.col(w, "supplier_tax_id") != proc.col(pkg, "supplier_tax_id") || bid != contract {
			t.Errorf("%s tender %s: winner %s %s bid %s, package awarded to %s %s for %s", name, id,
				bids.col(w, "supplier_name"), bids.col(w, "supplier_tax_id"), bids.col(w, "bid_value"),
				supplier, proc.col(pkg, "supplier_tax_id"), proc.col(pkg, "contract_value"))
		}
	}
	for id := range byTender {
		if !known[id] {
			t.Errorf("%s: tender %s is not in %s", name, id, filepath.Base(proc.Path))
		}
	}
	return awarded, single
}

// checkKeys fails when a dataset with unique keys repeats one in a feed,
// and warns-by-failing when a budget key repeats (allowed, but avoided).
func checkKeys(t *testing.T, s *dataset.Schema, f feedFile) {
	t.Helper()
	seen := map[[16]byte]int{}
	for i, rec := range f.recs {
		k := s.KeyHash(rec)
		if j, dup := seen[k]; dup {
			t.Errorf("%s: rows %d and %d share a key", filepath.Base(f.Path), j+2, i+2)
		}
		seen[k] = i
	}
}

// checks hold per-dataset realism rules beyond validation.
var checks = map[string]func(*testing.T, feedFile){
	"budget_accounts": func(t *testing.T, f feedFile) {
		levels := map[string]bool{}
		for _, row := range f.rows {
			levels[f.col(row, "stage")+" "+f.col(row, dataset.FieldAccountLevel)] = true
		}
		for _, st := range []string{"murni", "perubahan"} {
			for _, lv := range []string{"1", "2", "3", "6"} {
				if !levels[st+" "+lv] {
					t.Errorf("%s: no %s account of level %s", f.Path, st, lv)
				}
			}
		}
		if levels["realisasi 1"] != (f.Year == 2023) {
			t.Errorf("%s: realisasi present %v in %d", f.Path, levels["realisasi 1"], f.Year)
		}
	},
	"budget": func(t *testing.T, f feedFile) {
		stages := map[string]int{}
		for _, row := range f.rows {
			stages[f.col(row, "stage")]++
		}
		want := map[string]bool{"murni": true, "perubahan": true, "realisasi": f.Year == 2023}
		for _, st := range []string{"murni", "perubahan", "realisasi"} {
			if (stages[st] > 0) != want[st] {
				t.Errorf("%s: %d %s lines, want present=%v", f.Path, stages[st], st, want[st])
			}
		}
	},
	"procurement_bids": func(t *testing.T, f feedFile) {
		winners := map[string]int{}
		for i, row := range f.rows {
			bid, winner := f.col(row, "bid_value"), f.col(row, "winner") == "1"
			switch {
			case bid == "" && (winner || f.col(row, "corrected_bid") != "" || f.col(row, "reason") != ""):
				t.Errorf("%s row %d: no bid, yet winner, corrected bid or reason: %v", f.Path, i+2, row)
			case winner && (f.col(row, "corrected_bid") != bid || f.col(row, "reason") != ""):
				t.Errorf("%s row %d: winner with corrected bid or reason: %v", f.Path, i+2, row)
			}
			if winner {
				winners[f.col(row, "tender_id")]++
			}
		}
		for id, n := range winners {
			if n > 1 {
				t.Errorf("%s: tender %s has %d winners", f.Path, id, n)
			}
		}
	},
	"procurement": func(t *testing.T, f feedFile) {
		for i, row := range f.rows {
			pagu, _ := dataset.ParseMoney(f.col(row, "budget_ceiling"))
			if f.col(row, "method") == "pengadaan langsung" {
				limit := int64(200e6 * 100)
				if f.col(row, "category") == "jasa konsultansi" {
					limit = 100e6 * 100
				}
				if pagu > limit {
					t.Errorf("%s row %d: pengadaan langsung of %s", f.Path, i+2, f.col(row, "budget_ceiling"))
				}
			}
			dates := []string{f.col(row, "announced_at"), f.col(row, "awarded_at"), f.col(row, "contract_date")}
			prev := ""
			for _, d := range dates {
				if d == "" {
					continue
				}
				if d[:4] != strconv.Itoa(f.Year) || d[:10] <= prev {
					t.Errorf("%s row %d: dates %v out of order or year", f.Path, i+2, dates)
				}
				prev = d[:10]
			}
		}
	},
	"revenue": func(t *testing.T, f feedFile) {
		annual, months := map[string]int64{}, map[string]int64{}
		for _, row := range f.rows {
			v, _ := dataset.ParseMoney(f.col(row, "realized"))
			if f.col(row, "period") == "0" {
				annual[f.col(row, "type_code")] = v
			} else {
				months[f.col(row, "type_code")] += v
			}
		}
		if diff := cmp.Diff(annual, months); diff != "" {
			t.Errorf("%s: monthly receipts do not add up to the year (-annual +months):\n%s", f.Path, diff)
		}
	},
}

func TestDeterministic(t *testing.T) {
	opt := Options{Regions: 4, Years: []int{2023, 2024}, Seed: 7, Scale: 0.3}
	read := func(o Options) map[string][]byte {
		dir := t.TempDir()
		feeds, err := Generate(t.Context(), dir, o)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, f := range feeds {
			b, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			out[filepath.Base(f.Path)] = b
		}
		return out
	}
	first, second := read(opt), read(opt)
	opt.Seed = 8
	other := read(opt)
	for _, tc := range []struct {
		name string
		got  map[string][]byte
		same bool
	}{
		{"same seed", second, true},
		{"other seed", other, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for name, want := range first {
				got, ok := tc.got[name]
				if equal := ok && bytes.Equal(got, want); equal != tc.same {
					t.Errorf("%s: identical=%v, want %v", name, equal, tc.same)
				}
			}
		})
	}

	// The participants rebuild procurement's packages from its stream:
	// written alone, each feed is still the one Generate writes.
	for _, ds := range []string{"procurement", "procurement_bids"} {
		t.Run("WriteFeed alone/"+ds, func(t *testing.T) {
			var buf bytes.Buffer
			r := dataset.LoadRegions().Lookup(bandung)
			spec := Spec{Dataset: ds, Region: r, Year: 2023, Seed: 7, Scale: 0.3}
			if _, err := WriteFeed(&buf, spec); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(buf.String(), string(first[ds+"_32.73_2023.csv"])); diff != "" {
				t.Errorf("WriteFeed differs from Generate (-got +want):\n%s", diff)
			}
		})
	}
}

// TestBids runs Kota Bandung's tender participants, of a closed year and of
// the year in progress, through the pipeline's validation and checks them
// against its procurement feeds.
func TestBids(t *testing.T) {
	feeds, err := Generate(t.Context(), t.TempDir(), Options{Regions: 1, Datasets: []string{"procurement", "procurement_bids"}})
	if err != nil {
		t.Fatal(err)
	}
	regions := dataset.LoadRegions()
	var files []feedFile
	for _, f := range feeds {
		if f.Dataset == "procurement_bids" {
			t.Run("intake/"+filepath.Base(f.Path), func(t *testing.T) {
				if f.Rows == 0 {
					t.Fatal("no participants")
				}
				validate(t, f, regions)
			})
		}
		files = append(files, readFeed(t, f))
	}
	if len(files) != 4 {
		t.Fatalf("%d feeds, want procurement and procurement_bids of 2023 and 2024", len(files))
	}
	checkBidsMatchProcurement(t, files)
}

// TestMAK generates budgets and packages of two regions and a province,
// runs the procurement feeds through the pipeline's validation and checks
// their MAKs against the budget feeds.
func TestMAK(t *testing.T) {
	feeds, err := Generate(t.Context(), t.TempDir(), Options{Regions: 2, Provinces: 1, Datasets: []string{"budget", "procurement"}})
	if err != nil {
		t.Fatal(err)
	}
	regions := dataset.LoadRegions()
	var files []feedFile
	for _, f := range feeds {
		if f.Dataset == "procurement" {
			t.Run("intake/"+filepath.Base(f.Path), func(t *testing.T) { validate(t, f, regions) })
		}
		files = append(files, readFeed(t, f))
	}
	checkMAKMatchesBudget(t, files)
}

// checkMAKMatchesBudget checks, for every region-year with an agency-level
// budget, that the packages' MAKs name budget lines: at least 80% of the
// packages with a MAK name a line of the same agency (agency_code, which
// both feeds carry) with the MAK's sub-activity and account, at a stage
// other than realisasi, as the publisher links them; that some name none,
// as real exports do; that a re-tender keeps its plan's MAK; and that a
// construction work, its design and supervision consultancies and a
// self-managed project have the ceiling of the line the budget writes for
// them (its description is the package's title), at the first stage that
// line appears in: murni, or perubahan for works added mid-year. Other
// packages are not summed against their lines: routine purchases are
// drawn apart from the line's amount.
func checkMAKMatchesBudget(t *testing.T, files []feedFile) {
	t.Helper()
	type key struct{ agency, mak string }
	type desc struct {
		key
		desc string
	}
	budgets := map[string]feedFile{}
	for _, f := range files {
		if f.Dataset == "budget" {
			budgets[f.Region+"_"+strconv.Itoa(f.Year)] = f
		}
	}
	checked, unmatched := 0, 0
	for _, f := range files {
		b, ok := budgets[f.Region+"_"+strconv.Itoa(f.Year)]
		if f.Dataset != "procurement" || !ok {
			continue
		}
		checked++
		lines, first := map[key]bool{}, map[desc]string{}
		for _, row := range b.rows {
			sub := b.col(row, "sub_activity_code")
			if sub == "" || b.col(row, "stage") == "realisasi" {
				continue
			}
			k := key{b.col(row, "agency_code"), sub + "." + b.col(row, "account_code")}
			lines[k] = true
			d := desc{k, b.col(row, "description")}
			if _, ok := first[d]; !ok {
				first[d] = b.col(row, "amount")
			}
		}
		withMAK, linked, projects := 0, 0, 0
		plans := map[string]string{}
		for i, row := range f.rows {
			mak, id := f.col(row, dataset.FieldMAK), f.col(row, "package_id")
			if prev, ok := plans[id]; ok && prev != mak {
				t.Errorf("%s row %d: package %s has MAK %q and %q", filepath.Base(f.Path), i+2, id, prev, mak)
			}
			plans[id] = mak
			if mak == "" {
				continue
			}
			withMAK++
			agency, found := f.col(row, "agency_code"), false
			for _, one := range strings.Split(mak, ";") {
				if g := strings.Split(one, "."); len(g) < 10 || g[6] != "5" {
					t.Errorf("%s row %d: MAK %q is not a sub-activity then an expenditure account", filepath.Base(f.Path), i+2, one)
				}
				if lines[key{agency, one}] {
					found = true
				}
			}
			if !found {
				unmatched++
				continue
			}
			linked++
			title := f.col(row, "title")
			for _, p := range [][2]string{{"Jasa Konsultansi Perencanaan Teknis ", "Perencanaan "}, {"Jasa Konsultansi Pengawasan ", "Pengawasan "}} {
				if rest, ok := strings.CutPrefix(title, p[0]); ok {
					title = p[1] + rest
				}
			}
			if amount, ok := first[desc{key{agency, mak}, title}]; ok {
				projects++
				if pagu := f.col(row, "budget_ceiling"); pagu != amount {
					t.Errorf("%s row %d: %q has ceiling %s, its budget line %s", filepath.Base(f.Path), i+2, f.col(row, "title"), pagu, amount)
				}
			}
		}
		share := float64(linked) / float64(max(withMAK, 1))
		t.Logf("%s %d: %d of %d packages carry a MAK, %d (%.1f%%) name a budget line; %d are a project's", f.Region, f.Year, withMAK, len(f.rows), linked, 100*share, projects)
		if share < 0.8 {
			t.Errorf("%s: %d of %d MAKs name a budget line, want at least 80%%", filepath.Base(f.Path), linked, withMAK)
		}
		if projects == 0 {
			t.Errorf("%s: no package has the ceiling of a project's budget line", filepath.Base(f.Path))
		}
	}
	if checked == 0 {
		t.Fatal("no procurement feed with a budget feed of its region and year")
	}
	if unmatched == 0 {
		t.Error("every MAK names a budget line: none left to report as unlinked")
	}
}

func TestWriteFeedRejects(t *testing.T) {
	regions := dataset.LoadRegions()
	for _, tc := range []struct {
		name string
		spec Spec
	}{
		{"unknown dataset", Spec{Dataset: "weather", Region: regions.Lookup(bandung), Year: 2024}},
		{"Jakarta province", Spec{Dataset: "budget", Region: regions.Lookup("31"), Year: 2024}},
		{"no region", Spec{Dataset: "budget", Year: 2024}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := WriteFeed(&bytes.Buffer{}, tc.spec); err == nil {
				t.Error("WriteFeed succeeded, want an error")
			}
		})
	}
}

// TestCitizenConcepts checks that the concepts citizens ask about which
// issue 20 added to the nomenclature reach the feeds of the release the
// search tests index (three cities, 2024, seed 1), as budget lines and,
// where a region buys them, as procurement packages; and that a regency
// builds piped water in rural areas where a city builds it in urban ones.
func TestCitizenConcepts(t *testing.T) {
	feeds, err := Generate(t.Context(), t.TempDir(), Options{Regions: 3, Years: []int{2024}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var files []feedFile
	for _, f := range feeds {
		files = append(files, readFeed(t, f))
	}
	for _, tc := range []struct {
		concept, dataset, column, text string
	}{
		{"beasiswa", "budget", "account_name", "Belanja Beasiswa"},
		{"seragam sekolah", "budget", "description", "seragam sekolah"},
		{"seragam sekolah", "procurement", "title", "Pengadaan Seragam Sekolah"},
		{"BOS", "budget", "sub_activity_name", "Pengelolaan Dana BOS Sekolah Dasar"},
		{"BOS", "budget", "account_name", "Belanja Barang dan Jasa BOS"},
		{"BOS swasta", "budget", "account_name", "Dana BOS yang Diterima oleh Satdikdas Swasta"},
		{"air minum", "budget", "program_name", "Sistem Penyediaan Air Minum"},
		{"air minum", "budget", "account_name", "Air Bersih/Air Baku"},
		{"air minum", "procurement", "title", "Pembangunan SPAM"},
		{"drainase", "budget", "program_name", "Sistem Drainase"},
		{"drainase", "procurement", "title", "Saluran Drainase"},
		{"irigasi", "budget", "sub_activity_name", "Rehabilitasi Jaringan Irigasi"},
		{"irigasi", "procurement", "title", "Jaringan Irigasi"},
		{"banjir", "budget", "sub_activity_name", "Rehabilitasi Tanggul Sungai"},
		{"trotoar", "budget", "description", "trotoar"},
		{"trotoar", "procurement", "title", "Pembangunan Trotoar"},
		{"posyandu", "budget", "program_name", "Pemberdayaan Masyarakat Bidang Kesehatan"},
		{"posyandu", "budget", "description", "posyandu"},
		{"posyandu", "procurement", "title", "Posyandu"},
		{"ambulans", "budget", "description", "Ambulans"},
		{"ambulans", "procurement", "title", "Pengadaan Ambulans"},
		{"lampu lalu lintas", "budget", "description", "APILL"},
		{"lampu lalu lintas", "procurement", "title", "Alat Pemberi Isyarat Lalu Lintas"},
		{"rumah ibadah", "budget", "description", "rumah ibadah"},
		{"RTLH", "budget", "sub_activity_name", "Perbaikan Rumah Tidak Layak Huni"},
		{"RTLH", "procurement", "title", "Rumah Tidak Layak Huni (RTLH)"},
		{"UMKM", "budget", "program_name", "Usaha Mikro (UMKM)"},
		{"UMKM", "procurement", "title", "UMKM"},
		{"pelatihan kerja", "budget", "program_name", "Pelatihan Kerja"},
		{"pelatihan kerja", "procurement", "title", "Pencari Kerja"},
		{"TPA", "budget", "sub_activity_name", "Pemrosesan Akhir Sampah di TPA"},
		{"TPA", "procurement", "title", "TPA"},
	} {
		t.Run(tc.concept+"/"+tc.dataset+"/"+tc.column, func(t *testing.T) {
			hits := 0
			for _, f := range files {
				if f.Dataset != tc.dataset {
					continue
				}
				for _, row := range f.rows {
					if strings.Contains(strings.ToLower(f.col(row, tc.column)), strings.ToLower(tc.text)) {
						hits++
					}
				}
			}
			if hits == 0 {
				t.Errorf("no %s row has %q in %s", tc.dataset, tc.text, tc.column)
			}
		})
	}

	t.Run("piped water by level", func(t *testing.T) {
		regions := dataset.LoadRegions()
		for _, tc := range []struct{ region, sub, other string }{
			{"32.04", spamDesa, spamKota}, // Kabupaten Bandung
			{bandung, spamKota, spamDesa},
		} {
			var buf bytes.Buffer
			spec := Spec{Dataset: "budget", Region: regions.Lookup(tc.region), Year: 2024, Seed: 1}
			if _, err := WriteFeed(&buf, spec); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), ","+tc.sub+",") || strings.Contains(buf.String(), ","+tc.other+",") {
				t.Errorf("%s: want piped water under %s only", tc.region, tc.sub)
			}
		}
	})
}

// flagCounts are the packages of the procurement feeds that have the
// figures of the red flags flagFigures gives a few packages, counted from
// the CSV rows alone, as a reader of the downloads would count them, each
// with the packages it is a share of.
type flagCounts struct {
	// lowBid construction packages were signed under 80 % of their HPS;
	// constructionTenders construction tenders and selections were signed.
	lowBid, constructionTenders int
	// above packages were signed above their HPS or their pagu; awarded
	// packages have a contract value.
	above, awarded int
	// december packages of a closed year were announced in its December,
	// among announced packages of closed years; decemberOpen of the year
	// in progress, whose data stop at 31 October.
	december, announced, decemberOpen int
	// short tenders were awarded in fewer days (calendar days from the
	// announcement's date to the award's) than the lower fence, Q1 − 1.5
	// × IQR, of their method's tenders of their region and year, among
	// fenced tenders, those of a method with at least 20 tenders with
	// both dates and Q3 > Q1 in their region-year; shortSlots region-year
	// methods have one or more.
	short, fenced, shortSlots int
}

// countFlags counts the flag figures of the procurement feeds among files;
// the last year of any feed is the year in progress.
func countFlags(t *testing.T, files []feedFile) flagCounts {
	t.Helper()
	var c flagCounts
	open := 0
	for _, f := range files {
		open = max(open, f.Year)
	}
	money := func(f feedFile, row []string, col string) int64 {
		v, err := dataset.ParseMoney(f.col(row, col))
		if f.col(row, col) != "" && err != nil {
			t.Fatalf("%s %s %q: %v", filepath.Base(f.Path), col, f.col(row, col), err)
		}
		return v
	}
	date := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s[:10])
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, f := range files {
		if f.Dataset != "procurement" {
			continue
		}
		days := map[string][]float64{}
		for _, row := range f.rows {
			method, pagu, hps, contract := f.col(row, "method"), money(f, row, "budget_ceiling"), money(f, row, "owner_estimate"), money(f, row, "contract_value")
			if contract > 0 {
				c.awarded++
				if hps > 0 && contract > hps || pagu > 0 && contract > pagu {
					c.above++
				}
				if f.col(row, "category") == "pekerjaan konstruksi" {
					if tenderMethods[method] {
						c.constructionTenders++
					}
					if hps > 0 && contract*10000 < hps*8000 {
						c.lowBid++
					}
				}
			}
			announced, awarded := f.col(row, "announced_at"), f.col(row, "awarded_at")
			if announced != "" {
				december := date(announced).Month() == time.December && date(announced).Year() == f.Year
				switch {
				case f.Year == open && december:
					c.decemberOpen++
				case f.Year != open:
					c.announced++
					if december {
						c.december++
					}
				}
			}
			if tenderMethods[method] && announced != "" && awarded != "" {
				days[method] = append(days[method], date(awarded).Sub(date(announced)).Hours()/24)
			}
		}
		for _, ds := range days {
			slices.Sort(ds)
			q1, q3 := quantileCont(ds, 0.25), quantileCont(ds, 0.75)
			if len(ds) < 20 || q3 <= q1 {
				continue
			}
			c.fenced += len(ds)
			fence := q1 - 1.5*(q3-q1)
			n := 0
			for _, d := range ds {
				if d < fence {
					n++
				}
			}
			if n > 0 {
				c.short += n
				c.shortSlots++
			}
		}
	}
	return c
}

// quantileCont is the q-quantile of sorted xs as DuckDB's quantile_cont
// computes it: linear interpolation between the ranks around q × (n − 1).
func quantileCont(xs []float64, q float64) float64 {
	pos := q * float64(len(xs)-1)
	lo := math.Floor(pos)
	i := int(lo)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-lo)*(xs[i+1]-xs[i])
}

// checkFlagFigures checks that the default demo has a few packages of each
// red flag the ordinary draws never give, at about the rates of real LKPP
// data: low bids on 2–5 % of construction tenders, contracts above the HPS
// on 0.1–0.5 % of awarded packages, a few December announcements in closed
// years (at most 1 % of their packages) and none in the year in progress,
// and 1–3 % of the fenced tenders below their fence.
func checkFlagFigures(t *testing.T, files []feedFile) {
	t.Helper()
	c := countFlags(t, files)
	share := func(n, of int) float64 { return float64(n) / float64(max(of, 1)) }
	t.Logf("low bids %d of %d construction tenders; above the HPS %d of %d awarded; December %d of %d announced in closed years; short %d of %d fenced tenders (in %d region-year methods)",
		c.lowBid, c.constructionTenders, c.above, c.awarded, c.december, c.announced, c.short, c.fenced, c.shortSlots)
	if s := share(c.lowBid, c.constructionTenders); s < 0.02 || s > 0.05 {
		t.Errorf("%d of %d construction tenders signed under 80 %% of the HPS, want 2–5 %%", c.lowBid, c.constructionTenders)
	}
	if s := share(c.above, c.awarded); s < 0.001 || s > 0.005 {
		t.Errorf("%d of %d awarded packages signed above the HPS or pagu, want 0.1–0.5 %%", c.above, c.awarded)
	}
	if c.december < 10 || share(c.december, c.announced) > 0.01 {
		t.Errorf("%d of %d packages of closed years announced in December, want at least 10 and at most 1 %%", c.december, c.announced)
	}
	if c.decemberOpen > 0 {
		t.Errorf("%d packages of the year in progress announced in December, whose data stop at 31 October", c.decemberOpen)
	}
	if s := share(c.short, c.fenced); c.shortSlots == 0 || s < 0.01 || s > 0.03 {
		t.Errorf("%d of %d fenced tenders below their fence, in %d region-year methods; want 1–3 %%, in one at least", c.short, c.fenced, c.shortSlots)
	}
}

package site

import (
	"cmp"
	"fmt"
	"html"
	"maps"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// TestRegionProfileEqualsParquet checks every figure of the region and
// province profiles against sums computed here, independently: the
// published Parquet files read with parquet-go's generic reader (not the
// portal's record reader), summed with no code shared with the profile.
func TestRegionProfileEqualsParquet(t *testing.T) {
	d := publishDemo(t, demo.Options{Regions: 3, Provinces: 1, Years: []int{2023, 2024}, Seed: 5, Scale: 0.3})
	st, pub, in, out, feeds, regions := d.st, d.pub, d.in, d.release, d.feeds, dataset.LoadRegions()
	ix, err := search.Empty()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srv, err := New(Config{Index: ix, Publisher: pub, Regions: regions, Log: quiet, Store: st, Reports: in})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	data := readAll(t, st, out)
	var pages []string
	flagged := 0 // flag figures shown, across pages
	provinces := map[string]bool{}
	for _, f := range feeds {
		provinces[regions.Lookup(f.Region).ProvinceCode] = true
	}
	codes := slices.Sorted(maps.Keys(data.regions()))
	for _, code := range append(codes, slices.Sorted(maps.Keys(provinces))...) {
		reg := regions.Lookup(code)
		for _, year := range []int{2023, 2024} {
			resp, body := get(t, fmt.Sprintf("%s/wilayah/%s?tahun=%d", ts.URL, code, year))
			if resp.StatusCode != 200 {
				t.Fatalf("%s %d = %d", code, year, resp.StatusCode)
			}
			got := pageFigures(body)
			want := data.expect(regions, reg, year)
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("%s %d: page figures differ from the Parquet sums (-parquet +page):\n%s", reg.Name, year, diff)
			}
			if len(data.keys(reg, year)) > 0 && len(got) < 40 {
				t.Errorf("%s %d: only %d figures on the page", reg.Name, year, len(got))
			}
			pages = append(pages, fmt.Sprintf("%s %d: %d figures", code, year, len(got)))
			for k := range got {
				if strings.HasPrefix(k, "flags|") {
					flagged++
				}
			}
		}
	}
	if flagged == 0 {
		t.Error("no profile shows a red flag; the demo has them")
	}
	t.Log(strings.Join(pages, "; "))
}

var figureToken = regexp.MustCompile(`data-table="([^"]+)"|</table>|<p class="percapita"|<dl class="kpis"|data-key="([^"]*)" data-value="(-?[0-9]+)"`)

// pageFigures reads every keyed figure of a page as table/key → value.
func pageFigures(body string) map[string]int64 {
	out := map[string]int64{}
	table := ""
	for _, m := range figureToken.FindAllStringSubmatch(body, -1) {
		switch {
		case m[1] != "":
			table = m[1]
		case m[0] == "</table>":
			table = ""
		case strings.HasPrefix(m[0], "<p"):
			table = "percapita"
		case strings.HasPrefix(m[0], "<dl"):
			table = "kpis"
		default:
			v, _ := strconv.ParseInt(m[3], 10, 64)
			out[table+"|"+html.UnescapeString(m[2])] = v
		}
	}
	return out
}

// Rows as this test reads them: only the columns it sums.
type budgetRow struct {
	Stage   string  `parquet:"stage"`
	Group   *string `parquet:"account_group,optional"`
	Account string  `parquet:"account_code"`
	Program *string `parquet:"program_code,optional"`
	Agency  string  `parquet:"agency_name"`
	Amount  int64   `parquet:"amount"`
}

type procurementRow struct {
	ID       string  `parquet:"id"`
	Method   *string `parquet:"method,optional"`
	Category *string `parquet:"category,optional"`
	Ceiling  int64   `parquet:"budget_ceiling"`
	Contract *int64  `parquet:"contract_value,optional"`
	Supplier *string `parquet:"supplier_name,optional"`
	Agency   string  `parquet:"agency_name"`
	Flag     *string `parquet:"flag,optional"`
}

type revenueRow struct {
	Period   int32  `parquet:"period"`
	Kind     string `parquet:"kind"`
	Code     string `parquet:"type_code"`
	Target   *int64 `parquet:"target,optional"`
	Realized *int64 `parquet:"realized,optional"`
}

type published struct {
	budget      map[string][]budgetRow // by "region/year"
	procurement map[string][]procurementRow
	revenue     map[string][]revenueRow
}

func readAll(t *testing.T, st store.Store, m *publisher.Manifest) *published {
	t.Helper()
	d := &published{budget: map[string][]budgetRow{}, procurement: map[string][]procurementRow{}, revenue: map[string][]revenueRow{}}
	for _, p := range m.Partitions {
		key := p.Region + "/" + strconv.Itoa(p.Year)
		b, err := store.ReadAll(t.Context(), st, p.Path, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		switch p.Dataset {
		case "budget":
			d.budget[key] = readRows[budgetRow](t, b)
		case "procurement":
			d.procurement[key] = readRows[procurementRow](t, b)
		case "revenue":
			d.revenue[key] = readRows[revenueRow](t, b)
		}
	}
	return d
}

func readRows[T any](t *testing.T, b []byte) []T {
	t.Helper()
	rows, err := parquet.Read[T](strings.NewReader(string(b)), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func (d *published) regions() map[string]bool {
	out := map[string]bool{}
	for _, m := range []map[string][]budgetRow{d.budget} {
		for k := range m {
			out[strings.Split(k, "/")[0]] = true
		}
	}
	return out
}

// keys of the partitions of reg's own government in year. DESIGN.md: a
// region's figures are its own government's; a province's regencies and
// cities are other governments, never added to it.
func (d *published) keys(reg *dataset.Region, year int) []string {
	k := reg.Code + "/" + strconv.Itoa(year)
	for _, m := range []map[string]bool{setOf(d.budget), setOf(d.procurement), setOf(d.revenue)} {
		if m[k] {
			return []string{k}
		}
	}
	return nil
}

func setOf[T any](m map[string][]T) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// expect computes every figure the profile of reg in year must show.
func (d *published) expect(regions *dataset.Regions, reg *dataset.Region, year int) map[string]int64 {
	want := map[string]int64{}
	keys := d.keys(reg, year)

	// Budget.
	byStage := map[string]map[string]int64{} // stage → group → sum
	jenis := map[string]map[string]int64{}
	urusan, agency := map[string]int64{}, map[string]int64{}
	var rows []budgetRow
	for _, k := range keys {
		rows = append(rows, d.budget[k]...)
	}
	for _, r := range rows {
		g := ""
		if r.Group != nil {
			g = *r.Group
		}
		add2(byStage, r.Stage, g, r.Amount)
		parts := strings.Split(r.Account, ".")
		if len(parts) >= 3 {
			add2(jenis, r.Stage, fmt.Sprintf("%s.%s.%02s", parts[0], parts[1], parts[2]), r.Amount)
		}
	}
	plan := ""
	for _, s := range []string{"perubahan", "pergeseran", "murni"} {
		if _, ok := byStage[s]; ok {
			plan = s
			break
		}
	}
	for _, r := range rows {
		if r.Stage != plan || r.Group == nil || *r.Group != "belanja" {
			continue
		}
		u := ""
		if r.Program != nil {
			if p := strings.Split(*r.Program, "."); len(p) >= 2 && p[0] != "X" {
				u = p[0] + "." + p[1]
			}
		}
		urusan[u] += r.Amount
		agency[r.Agency] += r.Amount
	}
	for _, st := range []string{"murni", "pergeseran", "perubahan", "realisasi"} {
		if _, ok := byStage[st]; !ok {
			continue
		}
		for _, g := range []string{"pendapatan", "belanja", "pembiayaan"} {
			want["groups|"+g+"/"+st] = byStage[st][g]
		}
	}
	if plan != "" {
		if reg.Population > 0 {
			for _, g := range []string{"belanja", "pendapatan"} {
				want["percapita|percapita/"+g] = byStage[plan][g] / reg.Population / 100 * 100
			}
		}
		_, hasReal := jenis["realisasi"]
		for code, v := range jenis[plan] {
			if strings.HasPrefix(code, "5.") {
				want["jenis|plan/"+code] = v
				if hasReal {
					want["jenis|real/"+code] = jenis["realisasi"][code]
				}
			}
		}
		topN(want, "urusan", urusan, 10)
		topN(want, "agencies", agency, 10)
	}

	// Procurement.
	var count, ceiling, contracted int64
	type tally struct{ count, ceiling int64 }
	methods, categories, suppliers := map[string]*tally{}, map[string]*tally{}, map[string]int64{}
	type contract struct {
		id    string
		value int64
	}
	var contracts []contract
	// Red flags: packages per flag, and per agency packages with any.
	flags, flagged, agencyAll := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, k := range keys {
		for _, r := range d.procurement[k] {
			agencyAll[r.Agency]++
			if r.Flag != nil && *r.Flag != "" {
				flagged[r.Agency]++
				for _, f := range strings.Split(*r.Flag, ",") {
					flags[f]++
				}
			}
			var c int64
			if r.Contract != nil {
				c = *r.Contract
			}
			count++
			ceiling += r.Ceiling
			contracted += c
			for _, tm := range []struct {
				m map[string]*tally
				k *string
			}{{methods, r.Method}, {categories, r.Category}} {
				if tm.k == nil {
					continue
				}
				if tm.m[*tm.k] == nil {
					tm.m[*tm.k] = &tally{}
				}
				tm.m[*tm.k].count++
				tm.m[*tm.k].ceiling += r.Ceiling
			}
			if r.Supplier != nil && *r.Supplier != "" {
				suppliers[*r.Supplier] += c
			}
			if c > 0 {
				contracts = append(contracts, contract{r.ID, c})
			}
		}
	}
	if count > 0 {
		want["kpis|packages"], want["kpis|ceiling"], want["kpis|contracted"] = count, ceiling, contracted
		slices.SortFunc(contracts, func(a, b contract) int {
			if c := cmp.Compare(b.value, a.value); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
		for _, c := range contracts[:min(10, len(contracts))] {
			want["largest|"+c.id] = c.value
		}
		top := slices.SortedFunc(maps.Keys(suppliers), func(a, b string) int {
			if c := cmp.Compare(suppliers[b], suppliers[a]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		for _, s := range top[:min(10, len(top))] {
			want["suppliers|"+s] = suppliers[s]
		}
		for f, n := range flags {
			want["flags|"+f] = n
		}
		agencies := slices.SortedFunc(maps.Keys(flagged), func(a, b string) int {
			return cmp.Or(cmp.Compare(flagged[b], flagged[a]),
				cmp.Compare(float64(flagged[b])/float64(agencyAll[b]), float64(flagged[a])/float64(agencyAll[a])), cmp.Compare(a, b))
		})
		for _, a := range agencies[:min(10, len(agencies))] {
			want["flag-agencies|"+a] = flagged[a]
		}
		for name, m := range map[string]map[string]*tally{"methods": methods, "categories": categories} {
			for k, t := range m {
				if k == "" {
					continue
				}
				want[name+"|count/"+k], want[name+"|"+k] = t.count, t.ceiling
			}
		}
	}

	// Taxes and levies: the annual line when there is one, else the months.
	target, real := map[string]int64{}, map[string]int64{}
	annual := map[string]bool{}
	monthly := map[string]*[13]int64{"pajak": {}, "retribusi": {}}
	months := 0
	var levyRows []revenueRow
	for _, k := range keys {
		levyRows = append(levyRows, d.revenue[k]...)
	}
	for _, r := range levyRows {
		if r.Period == 0 {
			annual[r.Code] = true
		}
	}
	for _, r := range levyRows {
		v := func(p *int64) int64 {
			if p == nil {
				return 0
			}
			return *p
		}
		if (r.Period == 0) == annual[r.Code] {
			target[r.Code] += v(r.Target)
			real[r.Code] += v(r.Realized)
		}
		if r.Period > 0 && r.Realized != nil {
			monthly[r.Kind][r.Period] += *r.Realized
			months = max(months, int(r.Period))
		}
	}
	for c := range target {
		want["levies|target/"+c], want["levies|real/"+c] = target[c], real[c]
	}
	for m := 1; m <= months; m++ {
		want["months|pajak/"+strconv.Itoa(m)] = monthly["pajak"][m]
		want["months|retribusi/"+strconv.Itoa(m)] = monthly["retribusi"][m]
	}

	// Year by year, every year the region has data.
	for _, y := range []int{2023, 2024} {
		if len(d.keys(reg, y)) == 0 {
			continue
		}
		o := d.expectYear(reg, y)
		for k, v := range o {
			want["history|"+strconv.Itoa(y)+"/"+k] = v
		}
	}
	if reg.IsProvince() {
		published := int64(0)
		for _, child := range regions.Children(reg.Code) {
			if len(d.keys(child, year)) == 0 {
				continue
			}
			published++
			o := d.expectYear(child, year)
			want["members|"+child.Code+"/belanja"] = o["belanja"]
			want["members|"+child.Code+"/contracted"] = o["contracted"]
		}
		want["|members/published"] = published
	}
	return want
}

// expectYear sums the year-by-year row of a region.
func (d *published) expectYear(reg *dataset.Region, year int) map[string]int64 {
	out := map[string]int64{"pendapatan": 0, "belanja": 0, "realisasi": 0, "contracted": 0, "levy": 0}
	stages := map[string]map[string]int64{}
	for _, k := range d.keys(reg, year) {
		for _, r := range d.budget[k] {
			if r.Group != nil {
				add2(stages, r.Stage, *r.Group, r.Amount)
			}
		}
		for _, r := range d.procurement[k] {
			if r.Contract != nil {
				out["contracted"] += *r.Contract
			}
		}
	}
	for _, s := range []string{"perubahan", "pergeseran", "murni"} {
		if g, ok := stages[s]; ok {
			out["pendapatan"], out["belanja"] = g["pendapatan"], g["belanja"]
			break
		}
	}
	out["realisasi"] = stages["realisasi"]["belanja"]
	// Receipts: annual lines where a type has one, else its months.
	for _, k := range d.keys(reg, year) {
		annual := map[string]bool{}
		for _, r := range d.revenue[k] {
			if r.Period == 0 {
				annual[r.Code] = true
			}
		}
		for _, r := range d.revenue[k] {
			if (r.Period == 0) == annual[r.Code] && r.Realized != nil {
				out["levy"] += *r.Realized
			}
		}
	}
	return out
}

func add2(m map[string]map[string]int64, a, b string, v int64) {
	if m[a] == nil {
		m[a] = map[string]int64{}
	}
	m[a][b] += v
}

// topN puts the n largest entries of sums, and the rest as one, in want.
func topN(want map[string]int64, table string, sums map[string]int64, n int) {
	keys := slices.SortedFunc(maps.Keys(sums), func(a, b string) int {
		if c := cmp.Compare(sums[b], sums[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	var rest int64
	for i, k := range keys {
		if i < n {
			want[table+"|"+k] = sums[k]
		} else {
			rest += sums[k]
		}
	}
	if len(keys) > n {
		want[table+"|_other"] = rest
	}
}

package site

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
)

// provinceFeeds are the 2024 murni budgets of Jawa Barat's provincial
// government and two of its cities and regencies. The province's spending
// includes its revenue-sharing transfer to them, which they count again
// as revenue: adding the three would count it twice.
var provinceFeeds = map[string]string{
	"32": "stage,agency_name,account_code,account_name,amount\n" +
		"murni,Badan Pendapatan Daerah,4.1.01.01.01.0001,Pajak Kendaraan Bermotor,9000000000000\n" +
		"murni,Dinas Bina Marga dan Penataan Ruang,5.2.04.01.01.0003,Belanja Modal Jalan Provinsi,1250000000000\n" +
		"murni,Badan Pengelolaan Keuangan dan Aset Daerah,5.4.01.05.01.0001,Belanja Bagi Hasil Pajak Kendaraan Bermotor,3000000000000\n",
	"32.73": "stage,agency_name,account_code,account_name,amount\n" +
		"murni,Badan Keuangan dan Aset Daerah,4.2.02.01.01.0001,Pendapatan Bagi Hasil Pajak Kendaraan Bermotor,400000000000\n" +
		"murni,Dinas Sumber Daya Air dan Bina Marga,5.2.04.01.01.0001,Belanja Modal Jalan Kabupaten/Kota,350000000000\n",
	"32.04": "stage,agency_name,account_code,account_name,amount\n" +
		"murni,Badan Pengelolaan Keuangan Daerah,4.2.02.01.01.0001,Pendapatan Bagi Hasil Pajak Kendaraan Bermotor,520000000000\n" +
		"murni,Dinas Pekerjaan Umum dan Tata Ruang,5.2.04.01.01.0001,Belanja Modal Jalan Kabupaten/Kota,610000000000.25\n",
}

// sumOfFeed is a group's total in one of provinceFeeds, in sen, summed from
// the CSV text: DESIGN.md's definition (a government's belanja is its own
// lines with account codes starting 5), independent of the portal's code.
func sumOfFeed(t *testing.T, csv, prefix string) int64 {
	t.Helper()
	var total int64
	for _, line := range strings.Split(strings.TrimSpace(csv), "\n")[1:] {
		cells := strings.Split(line, ",")
		if !strings.HasPrefix(cells[2], prefix) {
			continue
		}
		whole, frac, _ := strings.Cut(cells[4], ".")
		n, err := strconv.ParseInt(whole+(frac + "00")[:2], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	return total
}

// TestProvinceShowsItsOwnGovernment publishes a province's budget and two
// of its members', and reads the province's page, its JSON and the region
// list as a citizen and a journalist would.
func TestProvinceShowsItsOwnGovernment(t *testing.T) {
	env := newPushEnv(t, Config{})
	for _, code := range []string{"32", "32.73", "32.04"} {
		secret, _, err := env.tokens.Create(t.Context(), code, "BPKAD "+code)
		if err != nil {
			t.Fatal(err)
		}
		if status, rep, _ := env.push(t, "dataset=budget&year=2024", secret, "text/csv", []byte(provinceFeeds[code])); status != http.StatusCreated {
			t.Fatalf("push %s = %d %v", code, status, rep)
		}
	}
	regions := dataset.LoadRegions()
	prov := regions.Lookup("32")
	own := map[string]int64{}
	var all int64
	for code, csv := range provinceFeeds {
		own[code] = sumOfFeed(t, csv, "5")
		all += own[code]
	}

	_, body := get(t, env.ts.URL+"/wilayah/32?tahun=2024")
	got := pageFigures(body)
	if got["groups|belanja/murni"] != own["32"] {
		t.Errorf("province belanja = %d, want its own %d", got["groups|belanja/murni"], own["32"])
	}
	if got["groups|belanja/murni"] == all {
		t.Errorf("province belanja %d is the sum of the province and its members", all)
	}
	if want := sumOfFeed(t, provinceFeeds["32"], "4"); got["groups|pendapatan/murni"] != want {
		t.Errorf("province pendapatan = %d, want %d", got["groups|pendapatan/murni"], want)
	}
	if want := own["32"] / prov.Population / 100 * 100; got["percapita|percapita/belanja"] != want {
		t.Errorf("belanja per resident = %d sen, want %d (its own belanja over %d residents)", got["percapita|percapita/belanja"], want, prov.Population)
	}
	for _, code := range []string{"32.73", "32.04"} {
		if got["members|"+code+"/belanja"] != own[code] {
			t.Errorf("members table: %s belanja = %d, want %d", code, got["members|"+code+"/belanja"], own[code])
		}
	}
	if got["|members/published"] != 2 {
		t.Errorf("members published = %d, want 2", got["|members/published"])
	}
	if want := fmt.Sprintf("2 dari %d kabupaten dan kota sudah menerbitkan data tahun 2024", len(regions.Children("32"))); !strings.Contains(body, want) {
		t.Errorf("province page does not say %q", want)
	}
	// In English, percentages are written with a decimal point.
	if _, en := get(t, env.ts.URL+"/wilayah/32?tahun=2024&lang=en"); !strings.Contains(en, " %") || regexp.MustCompile(`\d,\d %`).MatchString(en) {
		t.Error("the English page writes a percentage with a decimal comma, or none at all")
	}
	// A search link of the province's figures lists its own records only.
	if strings.Contains(body, "province=32") {
		t.Error("a figure of the province links to a search over its members")
	}

	resp, body := get(t, env.ts.URL+"/api/v1/regions/32?year=2024")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/api/v1/regions/32 = %d %s", resp.StatusCode, body)
	}
	var pj struct {
		Code, Name, Level string
		Year              int
		Population        int64
		Published         bool
		Budget            map[string]struct{ Revenue, Spending, Financing string }
		Members           struct {
			Published, Total int
			Regions          []struct {
				Code      string
				Published bool
				Spending  string
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &pj); err != nil {
		t.Fatal(err)
	}
	if pj.Code != "32" || pj.Level != "provinsi" || pj.Year != 2024 || pj.Population != prov.Population || !pj.Published {
		t.Errorf("profile JSON head = %+v", pj)
	}
	if got, want := pj.Budget["murni"].Spending, dataset.FormatMoney(own["32"]); got != want {
		t.Errorf("JSON budget.murni.spending = %q, want %q", got, want)
	}
	if pj.Members.Published != 2 || pj.Members.Total != len(regions.Children("32")) {
		t.Errorf("JSON members = %d of %d", pj.Members.Published, pj.Members.Total)
	}
	for _, m := range pj.Members.Regions {
		if m.Published && m.Spending != dataset.FormatMoney(own[m.Code]) {
			t.Errorf("JSON member %s spending = %q, want %q", m.Code, m.Spending, dataset.FormatMoney(own[m.Code]))
		}
	}

	// The region list says the provincial government published, and how
	// many of its members did.
	_, body = get(t, env.ts.URL+"/wilayah")
	if got := pageFigures(body)["|32/members"]; got != 2 {
		t.Errorf("/wilayah: Jawa Barat members published = %d, want 2", got)
	}
	if !strings.Contains(body, `>Jawa Barat</a> <span class="badge">`) {
		t.Error("/wilayah does not mark Jawa Barat's own government as published")
	}
}

// TestProvinceWithoutOwnData: a province whose government has not
// published shows so, and still compares the members that did.
func TestProvinceWithoutOwnData(t *testing.T) {
	env := newPushEnv(t, Config{})
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", []byte(provinceFeeds["32.73"])); status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	_, body := get(t, env.ts.URL+"/wilayah/32?tahun=2024")
	got := pageFigures(body)
	if _, ok := got["groups|belanja/murni"]; ok {
		t.Errorf("a province that published nothing shows belanja %d", got["groups|belanja/murni"])
	}
	if !strings.Contains(body, "Pemerintah provinsi ini belum menerbitkan data untuk tahun ini.") {
		t.Error("the page does not say the provincial government has not published")
	}
	if got["members|32.73/belanja"] != sumOfFeed(t, provinceFeeds["32.73"], "5") {
		t.Errorf("members table: Kota Bandung belanja = %d", got["members|32.73/belanja"])
	}
	_, body = get(t, env.ts.URL+"/wilayah")
	if strings.Contains(body, `>Jawa Barat</a> <span class="badge">`) {
		t.Error("/wilayah marks Jawa Barat's government as published because one of its cities did")
	}
	resp, body := get(t, env.ts.URL+"/api/v1/regions/32")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"published": false`) {
		t.Errorf("/api/v1/regions/32 = %d %s", resp.StatusCode, body)
	}
	for _, path := range []string{"/api/v1/regions/99.99", "/api/v1/regions/32?year=x"} {
		if resp, body := get(t, env.ts.URL+path); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s = %d %s", path, resp.StatusCode, body)
		}
	}
}

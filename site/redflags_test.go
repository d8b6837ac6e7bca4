package site

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// duckDB returns a command running SQL in DuckDB: bin/terbuka-anchor sql,
// which `make test` builds (make anchor). Without it the test is skipped,
// unless TERBUKA_REQUIRE_SHARED_DATA=1 (CI), where it fails.
func duckDB(t *testing.T) func(statements ...string) [][]string {
	t.Helper()
	bin, _ := filepath.Abs(filepath.Join("..", "bin", "terbuka-anchor"))
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("TERBUKA_REQUIRE_SHARED_DATA") == "1" {
			t.Fatalf("%s not found: run make anchor", bin)
		}
		t.Skipf("%s not found (make anchor builds it); skipping the DuckDB cross-check", bin)
	}
	return func(statements ...string) [][]string {
		t.Helper()
		out, err := exec.CommandContext(t.Context(), bin, append([]string{"sql"}, statements...)...).Output()
		if err != nil {
			msg := ""
			if ee, ok := err.(*exec.ExitError); ok {
				msg = string(ee.Stderr)
			}
			t.Fatalf("duckdb: %v %s", err, msg)
		}
		var rows [][]string
		for line := range strings.Lines(string(out)) {
			rows = append(rows, strings.Split(strings.TrimRight(line, "\n"), "\t"))
		}
		return rows
	}
}

// TestRedFlagsOnRealLKPPExports pushes LKPP's real tender results and
// tender participants (ministry K34, 2024) as they come, through the push
// API, and checks each flag's facet count against DuckDB computing the
// flags from the same two files, by issue 17's definitions. The results
// come first, the participants after, as a region may send them: the
// bids of a release's packages are counted when it is published.
func TestRedFlagsOnRealLKPPExports(t *testing.T) {
	dir := filepath.Join(testfiles.SharedData(t), "indonesia", "lkpp-inaproc-k34")
	duck := duckDB(t)
	tenders, bids := filepath.Join(dir, "tender_tender-selesai-nilai_2024.csv"), filepath.Join(dir, "tender_peserta-tender_2024.csv")

	ix, err := search.Open(search.Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	env := newPushEnv(t, Config{Index: ix})
	push := func(ds, file string) {
		t.Helper()
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		status, rep, _ := env.push(t, "dataset="+ds+"&year=2024", env.bandung, "text/csv", body)
		if status != http.StatusCreated || rep["status"] != intake.StatusPublished {
			t.Fatalf("push %s = %d %v", filepath.Base(file), status, rep)
		}
	}
	follow := func() {
		t.Helper()
		m, err := env.pub.Current(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		sy := &indexer.Syncer{Store: env.st, Index: ix, Log: quiet, TempDir: t.TempDir()}
		if err := sy.Sync(t.Context(), m); err != nil {
			t.Fatal(err)
		}
		env.srv.SetReady()
		env.srv.Followed(m.ID, m.ID)
	}
	facet := func() map[string]int {
		t.Helper()
		resp, body := get(t, env.ts.URL+"/api/v1/search?dataset=procurement&size=1")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("search = %d %s", resp.StatusCode, body)
		}
		var res struct {
			Total  int `json:"total"`
			Facets map[string][]struct {
				Value string `json:"value"`
				Count int    `json:"count"`
			} `json:"facets"`
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatal(err)
		}
		if res.Total != 84 {
			t.Errorf("%d procurement records, the export has 84", res.Total)
		}
		out := map[string]int{}
		for _, v := range res.Facets[dataset.FieldFlag] {
			out[v.Value] = v.Count
		}
		return out
	}

	push("procurement", tenders)
	follow()
	if n := facet()["single_bidder"]; n != 0 {
		t.Errorf("before the participants arrive, %d packages have one bid; nothing says how many bids there were", n)
	}
	push("procurement_bids", bids)
	follow()
	got := facet()

	// The flags from the two files by the definitions. Money is
	// compared as DECIMAL, timestamps (UTC, "Z") are moved to WIB. The
	// export has no method and no category: low_bid (construction),
	// direct_over_threshold and possible_splitting (pengadaan langsung)
	// and short_tender (fences per method) cannot apply, and a package
	// with bids from the tender participants export is a tender.
	rows := duck(
		`create table t as select kd_tender, cast(tahun_anggaran as int) as yr,
			lower(trim(regexp_replace(nama_satker, '\s+', ' ', 'g'))) as agency,
			nullif(regexp_replace(npwp_penyedia, '[^0-9]', '', 'g'), '') as npwp,
			lower(trim(regexp_replace(nama_penyedia, '\s+', ' ', 'g'))) as supplier,
			cast(pagu as decimal(18,2)) as pagu, cast(hps as decimal(18,2)) as hps, cast(nilai_kontrak as decimal(18,2)) as kontrak,
			cast(replace(tgl_pengumuman_tender, 'Z', '') as timestamp) + interval 7 hour as announced
		from read_csv('`+tenders+`', all_varchar = true)`,
		`create table b as select kd_tender, count(nilai_penawaran) as bids from read_csv('`+bids+`', all_varchar = true) group by kd_tender`,
		`create table above as select kd_tender from t where kontrak > 0 and (hps > 0 and kontrak > hps or pagu > 0 and kontrak > pagu)`,
		`create table awards as select agency, yr, coalesce(npwp, supplier) as winner from t where supplier is not null`,
		`select 'single_bidder', count(*) from t join b using (kd_tender) where b.bids = 1
		union all select 'contract_above_hps', count(*) from above
		union all select 'contract_near_hps', count(*) from t where kontrak > 0 and hps > 0 and kontrak >= hps * 0.99 and kd_tender not in (select kd_tender from above)
		union all select 'repeat_winner', coalesce(sum(wins), 0) from (
			select agency, yr, winner, count(*) as wins, any_value(n) as n from (
				select *, count(*) over (partition by agency, yr) as n from awards) group by all)
			where n >= 5 and wins >= 3 and wins * 10000 >= n * 4000
		union all select 'year_end', count(*) from t where month(announced) = 12 and year(announced) = yr`)
	want := map[string]int{}
	for _, r := range rows {
		n, err := strconv.Atoi(r[1])
		if err != nil {
			t.Fatalf("duckdb row %v", r)
		}
		if n > 0 {
			want[r[0]] = n
		}
	}
	t.Logf("flags: %v", got)
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("flag facet counts (-portal +DuckDB over the raw files):\n%s", diff)
	}
	if want["single_bidder"] == 0 || want["contract_near_hps"]+want["contract_above_hps"] == 0 {
		t.Errorf("the real files should carry single bids and contracts at the HPS: %v", want)
	}

	// A flagged package's page says why, with the figures: tender
	// 4531194 had 82 registered participants and one bid, and its
	// contract of Rp 3.250.611.341,02 is 89,0 % of the HPS.
	resp, body := get(t, env.ts.URL+"/search?dataset=procurement&flag=single_bidder&q=4531194")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("search = %d", resp.StatusCode)
	}
	link := regexp.MustCompile(`href="(/data/procurement/32\.73/2024/[0-9a-f]+)[^"]*"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatalf("no record link in the search page for tender 4531194:\n%.3000s", body)
	}
	for _, lg := range []struct{ query, want string }{
		{"", "Hanya 1 penawaran masuk dari 82 peserta terdaftar"},
		{"?lang=en", "Only 1 bid was submitted, of 82 registered participants"},
	} {
		resp, page := get(t, env.ts.URL+link[1]+lg.query)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, lg.want) || !strings.Contains(page, `data-flag="single_bidder"`) || !strings.Contains(page, "/metodologi/tanda-risiko") {
			t.Errorf("record page %s%s = %d, want the single-bid reason %q and a link to the method:\n%.4000s", link[1], lg.query, resp.StatusCode, lg.want, page)
		}
	}
	// Contract above the HPS: tender 5594194's Rp 17.189.080.243 against
	// an HPS of Rp 16.995.414.207,16.
	resp, body = get(t, env.ts.URL+"/search?dataset=procurement&flag=contract_above_hps")
	link = regexp.MustCompile(`href="(/data/procurement/32\.73/2024/[0-9a-f]+)[^"]*"`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || link == nil {
		t.Fatalf("search flag=contract_above_hps = %d, no record link", resp.StatusCode)
	}
	if _, page := get(t, env.ts.URL+link[1]); !strings.Contains(page, "Nilai kontrak Rp 17.189.080.243 melebihi HPS Rp 16.995.414.207,16") {
		t.Errorf("record page %s lacks the contract and HPS figures:\n%.4000s", link[1], page)
	}

	// The published Parquet says the same, read by DuckDB.
	m, err := env.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	part, ok := m.Partition(publisher.PartitionKey("procurement", "32.73", 2024))
	if !ok {
		t.Fatal("no procurement partition")
	}
	f, err := store.Fetch(t.Context(), env.st, part.Path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	parquet := duck(`select f, count(*) from (select unnest(string_split(flag, ',')) as f from read_parquet('` + f.Name() + `')) group by f`)
	fromParquet := map[string]int{}
	for _, r := range parquet {
		n, _ := strconv.Atoi(r[1])
		fromParquet[r[0]] = n
	}
	if diff := cmp.Diff(fromParquet, want); diff != "" {
		t.Errorf("flags in the published Parquet (-parquet +DuckDB over the raw files):\n%s", diff)
	}
}

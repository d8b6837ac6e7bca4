package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/internal/testfiles"
)

// TestCLIRealAPBDByAccount runs the real 2021 APBD export by account
// (prp2pemkab) through the CLI as a region would, the region and year
// given on the command line: validate lists its hierarchy mismatches as
// warnings; run publishes it; the release's changes total it per stage and
// level as the raw file does (summed here with encoding/csv and math/big);
// the portal serves its CSV download whole and finds it in search.
func TestCLIRealAPBDByAccount(t *testing.T) {
	file := filepath.Join(testfiles.SharedData(t), "indonesia", "prp2pemkab-apbd-2021", "apbd_2021_rekening_anggaran.csv")
	args := []string{"--dataset", "budget_accounts", "--region", "12.71", "--year", "2021", file}
	code, out := terbuka(t, nil, append([]string{"validate"}, args...)...)
	if code != 0 || !strings.Contains(out, "valid, 1872 rows, 260 warnings") ||
		!strings.Contains(out, "rekening 4 (akun, tahap murni) bernilai Rp 2.200.000.000, sedangkan jumlah 3 rincian di bawahnya Rp 7.528.548.086.300") {
		t.Fatalf("validate: exit %d\n%.2000s", code, out)
	}
	if code, out := terbuka(t, nil, "validate", "--dataset", "budget", "--region", "12.71", "--year", "2021", file); code != 1 ||
		!strings.Contains(out, "complete for the budget_accounts dataset") {
		t.Errorf("validate as budget lines: exit %d, want 1 saying which dataset fits\n%s", code, out)
	}

	env := storageEnv(t, "dir")
	if code, out := terbuka(t, env, append([]string{"run"}, args...)...); code != 0 || !strings.Contains(out, "1872 accepted rows") {
		t.Fatalf("run: exit %d\n%s", code, out)
	}
	store := strings.TrimPrefix(env[0], "TERBUKA_DATA=")
	b, err := os.ReadFile(filepath.Join(store, "releases", "000001.changes.json"))
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Changes []struct {
			Dataset string
			Added   int
			Totals  []struct{ Group, After string }
		}
	}
	if err := json.Unmarshal(b, &log); err != nil || len(log.Changes) != 1 || log.Changes[0].Added != 1872 {
		t.Fatalf("changes %s: %v", b, err)
	}
	got := map[string]string{}
	for _, tot := range log.Changes[0].Totals {
		got[tot.Group] = tot.After
	}
	if diff := cmp.Diff(got, rawTotals(t, file)); diff != "" {
		t.Errorf("release totals per stage/level (-release +file):\n%s", diff)
	}

	url := startServe(t, env)
	resp, err := http.Get(url + "downloads/latest/budget_accounts/12.71/2021.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || len(rows) != 1873 || !strings.Contains(strings.Join(rows[0], ","), "account_level") {
		t.Errorf("CSV download: %d rows, header %v, %v", len(rows), rows[:min(1, len(rows))], err)
	}
	resp, err = http.Get(url + "api/v1/search?dataset=budget_accounts&q=" + "retribusi+penyewaan+bangunan")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "4.1.02.02.01.0003") {
		t.Errorf("search: %d %.500s", resp.StatusCode, body)
	}
}

// rawTotals sums the export's anggaran per st_anggaran and level, as the
// release totals name them ("murni/1": 1 = APBD murni, 2 = perubahan).
func rawTotals(t *testing.T, file string) map[string]string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	sums := map[string]*big.Int{}
	for _, r := range rows[1:] {
		k := map[string]string{"1": "murni", "2": "perubahan"}[r[col["st_anggaran"]]] + "/" + r[col["level"]]
		v, ok := new(big.Int).SetString(r[col["anggaran"]], 10)
		if !ok {
			t.Fatalf("anggaran %q", r[col["anggaran"]])
		}
		if sums[k] == nil {
			sums[k] = new(big.Int)
		}
		sums[k].Add(sums[k], v)
	}
	out := map[string]string{}
	for k, v := range sums {
		out[k] = v.String() + ".00"
	}
	return out
}

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/store/storetest"
)

const goodBudget = `stage,agency_name,account_code,account_name,amount
murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja Alat Tulis Kantor,1500000
murni,Dinas Pendidikan,5.1.02.01.01.0026,Belanja Bahan Cetak,2500000
`

// TestCLIPush is a region's whole round: the operator creates a token, the
// region validates its file, pushes it to a running portal and finds its
// records by search; a revoked token is refused.
func TestCLIPush(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			open(t)
			env := storageEnv(t, name)
			code, secret := terbuka(t, env, "token", "create", "--region", "32.73", "--name", "BPKAD Kota Bandung")
			lines := strings.Split(strings.TrimSpace(secret), "\n")
			secret = lines[len(lines)-1]
			if code != 0 || !strings.HasPrefix(secret, "tbk_") {
				t.Fatalf("token create = %d %q", code, secret)
			}
			dir := t.TempDir()
			good := filepath.Join(dir, "apbd.csv")
			bad := filepath.Join(dir, "apbd-bad.csv")
			os.WriteFile(good, []byte(goodBudget), 0o644)
			os.WriteFile(bad, []byte(strings.Replace(goodBudget, "2500000", `"2,5,0"`, 1)), 0o644)

			if code, out := terbuka(t, nil, "validate", "--dataset", "budget", "--region", "32.73", "--year", "2024", good); code != 0 || !strings.Contains(out, "valid, 2 rows") {
				t.Errorf("validate good = %d %s", code, out)
			}
			code, out := terbuka(t, nil, "validate", "--dataset", "budget", "--region", "32.73", "--year", "2024", bad)
			if code != 1 || !strings.Contains(out, "3") || !strings.Contains(out, `"2,5,0"`) || !strings.Contains(out, "amount") {
				t.Errorf("validate bad = %d %s; want exit 1 and row 3, column amount, value 2,5,0", code, out)
			}

			url := startServe(t, env)
			tokenEnv := []string{"TERBUKA_TOKEN=" + secret, "TERBUKA_URL=" + url}
			if code, out := terbuka(t, tokenEnv, "push", "--dataset", "budget", "--year", "2024", bad); code != 1 || !strings.Contains(out, "2,5,0") {
				t.Errorf("push bad = %d %s", code, out)
			}
			// Checked first: a dry run reports and publishes nothing, so
			// the real push below still makes the first release.
			if code, out := terbuka(t, tokenEnv, "push", "--dry-run", "--dataset", "budget", "--year", "2024", bad); code != 1 || !strings.Contains(out, "2,5,0") {
				t.Errorf("push --dry-run bad = %d %s", code, out)
			}
			if code, out := terbuka(t, tokenEnv, "push", "--dry-run", "--dataset", "budget", "--year", "2024", good); code != 0 || !strings.Contains(out, "checked: 2 rows") || !strings.Contains(out, "nothing was published") {
				t.Errorf("push --dry-run good = %d %s", code, out)
			}
			if code, out := terbuka(t, tokenEnv, "push", "--dataset", "budget", "--year", "2024", good); code != 0 || !strings.Contains(out, "published: 2 rows, release 000001") {
				t.Fatalf("push good = %d %s", code, out)
			}
			// The serving portal picks the release up.
			testfiles.Eventually(t, 30*time.Second, "the pushed record is searchable", func() error {
				resp, err := http.Get(url + "api/v1/search?q=bahan+cetak&region=32.73")
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var res struct{ Total int }
				if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
					return fmt.Errorf("search answered %d: %v", resp.StatusCode, err)
				}
				if res.Total != 1 {
					return fmt.Errorf("search for it finds %d records", res.Total)
				}
				return nil
			})

			_, list := terbuka(t, env, "token", "list")
			_, rows, _ := strings.Cut(list, "ID  ")
			id := strings.Fields(strings.Split(rows, "\n")[1])[0]
			if code, out := terbuka(t, env, "token", "revoke", id); code != 0 {
				t.Fatalf("revoke = %d %s", code, out)
			}
			if code, out := terbuka(t, tokenEnv, "push", "--dataset", "budget", "--year", "2023", good); code != 1 || !strings.Contains(out, "401") {
				t.Errorf("push with a revoked token = %d %s", code, out)
			}
		})
	}
}

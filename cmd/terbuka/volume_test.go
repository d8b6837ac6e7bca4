package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIEmptyFeedAndWithdraw: a header-only export sent by mistake over a
// published partition is refused and changes nothing; sent with
// --withdraw, it takes the partition out and the release's changes say so.
// A feed that would drop most of a partition needs --confirm-shrink.
func TestCLIEmptyFeedAndWithdraw(t *testing.T) {
	env := storageEnv(t, "dir")
	dir := t.TempDir()
	write := func(body string) string {
		path := filepath.Join(dir, "budget_32.73_2024.csv")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const header = "stage,agency_name,account_code,account_name,amount\n"
	var full strings.Builder
	full.WriteString(header)
	for _, acct := range []string{"0024", "0025", "0026", "0027", "0028"} {
		full.WriteString("murni,Dinas Pendidikan,5.1.02.01.01." + acct + ",Belanja Barang,1500000\n")
	}
	if code, out := terbuka(t, env, "run", write(full.String())); code != 0 || !strings.Contains(out, "published release 000001") {
		t.Fatalf("run: exit %d\n%s", code, out)
	}

	code, out := terbuka(t, env, "run", write(header))
	if code != 1 || !strings.Contains(out, "no data rows") || !strings.Contains(out, "release 000001 stays live") {
		t.Errorf("header-only feed: exit %d, want 1 with the reason and release 000001 live\n%s", code, out)
	}
	code, out = terbuka(t, env, "validate", write(header))
	if code != 1 || !strings.Contains(out, "no data rows") {
		t.Errorf("validate of a header-only feed: exit %d, want 1\n%s", code, out)
	}

	// Two of five rows left: refused, then confirmed.
	shrunk := header + "murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja Barang,1500000\nmurni,Dinas Pendidikan,5.1.02.01.01.0025,Belanja Barang,1500000\n"
	code, out = terbuka(t, env, "run", write(shrunk))
	if code != 1 || !strings.Contains(out, "remove 3 of the 5 published rows") {
		t.Errorf("shrinking feed: exit %d, want 1 naming 3 of 5\n%s", code, out)
	}
	if code, out = terbuka(t, env, "run", "--confirm-shrink", write(shrunk)); code != 0 || !strings.Contains(out, "published release 000002") {
		t.Errorf("confirmed shrink: exit %d\n%s", code, out)
	}

	if code, out = terbuka(t, env, "run", "--withdraw", write(header)); code != 0 || !strings.Contains(out, "published release 000003") {
		t.Fatalf("withdraw: exit %d\n%s", code, out)
	}
	store := strings.TrimPrefix(env[0], "TERBUKA_DATA=")
	manifest, err := os.ReadFile(filepath.Join(store, "releases", "000003.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(manifest), `"region": "32.73"`) {
		t.Errorf("release 000003 still lists the withdrawn partition:\n%s", manifest)
	}
	changes, err := os.ReadFile(filepath.Join(store, "releases", "000003.changes.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(changes), `"withdrawn": true`) || !strings.Contains(string(changes), `"removed": 2`) {
		t.Errorf("the changelog does not record the withdrawal:\n%s", changes)
	}
}

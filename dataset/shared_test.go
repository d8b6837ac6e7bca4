package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// sharedData returns ../shared/data beside the module root. Without it the
// test is skipped with a message, unless TERBUKA_REQUIRE_SHARED_DATA=1
// (set by .ci/run), in which case it fails.
func sharedData(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
	}
	data := filepath.Join(filepath.Dir(dir), "shared", "data")
	if _, err := os.Stat(data); err != nil {
		if os.Getenv("TERBUKA_REQUIRE_SHARED_DATA") == "1" {
			t.Fatalf("shared reference data not found at %s", data)
		}
		t.Skipf("shared reference data not found at %s; skipping", data)
	}
	return data
}

// TestEmbeddedRegionsMatchSource keeps the embedded copy of the region list
// byte-identical to the published source it was taken from.
func TestEmbeddedRegionsMatchSource(t *testing.T) {
	src := filepath.Join(sharedData(t), "wilayah")
	for _, name := range []string{"kemendagri_2025_provinsi.csv", "kemendagri_2025_kabupaten_kota.csv", "kemendagri_2025_penduduk_luas.csv", "LICENSE-cahyadsn-wilayah.txt"} {
		want, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := wilayahFS.ReadFile("wilayah/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("embedded %s differs from %s", name, src)
		}
	}
}

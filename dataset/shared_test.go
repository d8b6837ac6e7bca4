package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/terbuka/terbuka/internal/testfiles"
)

// TestEmbeddedRegionsMatchSource keeps the embedded copy of the region list
// byte-identical to the published source it was taken from.
func TestEmbeddedRegionsMatchSource(t *testing.T) {
	src := filepath.Join(testfiles.SharedData(t), "wilayah")
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

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// scratchBytes is the size of the scratch file system the portal works in.
const scratchBytes = 8 << 20

// TestCLIServeScratchFull runs the portal with its --temp-dir on a file
// system of 8 MiB and pushes feeds it has no room for: one larger than the
// whole file system (refused while it is spooled), and one that fits but
// leaves too little room to write its Parquet partition. Each push is
// refused with a 507 saying why in both languages; nothing is published;
// the scratch directory is left empty, and the store holds nothing new
// under data/ and under raw/ at most the feed's raw copy, as a rejected
// feed keeps it. A small feed pushed next is published.
func TestCLIServeScratchFull(t *testing.T) {
	tests := []struct {
		name string
		size int
	}{
		{"larger than the scratch space", 3 * scratchBytes / 2},
		{"too large to process in it", 15 * scratchBytes / 16},
	}
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			open(t) // skips (or fails under make test) when the backend is unavailable
			scratch := mountTmpfs(t, scratchBytes)
			env := storageEnv(t, name)
			_, secret := terbuka(t, env, "token", "create", "--region", "32.73", "--name", "BPKAD Kota Bandung")
			lines := strings.Split(strings.TrimSpace(secret), "\n")
			url, _ := startServeBound(t, env, "--temp-dir", scratch)
			tokenEnv := []string{"TERBUKA_TOKEN=" + lines[len(lines)-1], "TERBUKA_URL=" + url}
			dir := t.TempDir()
			small := filepath.Join(dir, "apbd.csv")
			os.WriteFile(small, []byte(goodBudget), 0o644)
			if code, out := terbuka(t, tokenEnv, "push", "--dataset", "budget", "--year", "2024", small); code != 0 || !strings.Contains(out, "release 000001") {
				t.Fatalf("push of a small feed = %d %s", code, out)
			}
			st := openEnvStore(t, env)
			pub := publisher.New(st, quietLog)
			for i, tt := range tests {
				before := storeKeys(t, st)
				large := filepath.Join(dir, fmt.Sprintf("apbd-besar-%d.csv", i))
				writeLargeBudget(t, large, tt.size)
				code, out := terbuka(t, tokenEnv, "push", "--dataset", "budget", "--year", "2025", large)
				if code != 1 || !regexp.MustCompile(`push refused \(507 Insufficient Storage\): \S.* / \S`).MatchString(out) ||
					!strings.Contains(out, "penyimpanan sementara") || !strings.Contains(out, "temporary storage") {
					t.Errorf("%s: push = exit %d\n%s\nwant exit 1 and a 507 saying why in Indonesian and English", tt.name, code, out)
				}
				if live, _, err := pub.CurrentID(t.Context()); err != nil || live != "000001" {
					t.Errorf("%s: after the refused feed the live release is %q (%v), want 000001", tt.name, live, err)
				}
				for _, k := range keysAdded(before, storeKeys(t, st)) {
					if !strings.HasPrefix(k, "raw/budget/32.73/2025/") || strings.Count(k, "/") != 4 {
						t.Errorf("%s: the refused feed left %s in the store", tt.name, k)
					}
				}
				checkScratchEmpty(t, scratch)
			}

			os.WriteFile(small, []byte(strings.ReplaceAll(goodBudget, "1500000", "1750000")), 0o644)
			if code, out := terbuka(t, tokenEnv, "push", "--dataset", "budget", "--year", "2024", small); code != 0 || !strings.Contains(out, "release 000002") {
				t.Errorf("push of a small feed after the large ones = %d %s", code, out)
			}
			testfiles.Eventually(t, time.Minute, "the scratch directory is empty once the release is indexed", func() error {
				return scratchLeft(scratch)
			})
		})
	}
}

// mountTmpfs mounts a tmpfs of size bytes on a new directory and returns
// it; it is unmounted when the test ends. Mounting needs root, which CI
// machines have: without it the test fails, saying so.
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, fmt.Sprintf("size=%d,mode=0755", size)); err != nil {
		t.Fatalf("mount a %d-byte tmpfs on %s: %v (this test mounts a small file system, which needs root, as CI has)", size, dir, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			// A process still using it must not keep it mounted.
			t.Errorf("unmount %s: %v", dir, err)
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
	return dir
}

// writeLargeBudget writes a valid budget feed of at least size bytes.
func writeLargeBudget(t *testing.T, path string, size int) {
	t.Helper()
	b := []byte("stage,agency_name,account_code,account_name,amount\n")
	for i := 0; len(b) < size; i++ {
		b = fmt.Appendf(b, "murni,Dinas Pendidikan,5.1.02.01.01.%04d,Belanja Barang Pakai Habis,%d\n", i%10000, 1000+i)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// storeKeys lists the keys under raw/ and data/.
func storeKeys(t *testing.T, st store.Store) []string {
	t.Helper()
	var keys []string
	for _, prefix := range []string{"raw/", "data/"} {
		if err := st.List(t.Context(), prefix, func(o store.Object) error { keys = append(keys, o.Key); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func keysAdded(before, after []string) []string {
	var added []string
	for _, k := range after {
		if !slices.Contains(before, k) {
			added = append(added, k)
		}
	}
	return added
}

// checkScratchEmpty checks that the scratch directory holds only the
// portal's own work directory, and that holds only its lock.
func checkScratchEmpty(t *testing.T, scratch string) {
	t.Helper()
	if err := scratchLeft(scratch); err != nil {
		t.Error(err)
	}
}

func scratchLeft(scratch string) error {
	var left []string
	filepath.WalkDir(scratch, func(path string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(scratch, path)
		if err == nil && !d.IsDir() && filepath.Base(path) != ".lock" {
			left = append(left, rel)
		}
		return nil
	})
	if len(left) > 0 {
		return fmt.Errorf("left in the scratch directory: %v", left)
	}
	return nil
}

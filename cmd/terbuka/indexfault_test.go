package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/terbuka/terbuka/publisher"
)

// TestCLIServeIndexFault starts the portal on an index it cannot use: the
// index directory deleted, every file in it garbled, or only its segment
// files garbled. The portal answers at once: while the index is rebuilt,
// pages and downloads answer 200 and the search page says, in either
// language, that the index is being built; then search finds every record
// and the notice is gone.
//
// So that the checks run before the rebuild ends however fast the machine
// is, the portal's --temp-dir starts too small to fetch a partition into:
// the rebuild fails and is retried at every poll until the test makes
// room, then runs while the test keeps reading pages.
func TestCLIServeIndexFault(t *testing.T) {
	env := storageEnv(t, "dir")
	docs := publishMany(t, env)
	dir := indexDir(env)
	st := openEnvStore(t, env)
	live, err := publisher.New(st, quietLog).Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		damage func(t *testing.T)
	}{
		{"index directory deleted", func(t *testing.T) {
			if err := os.RemoveAll(string(dir)); err != nil {
				t.Fatal(err)
			}
		}},
		{"every file garbled", func(t *testing.T) { garble(t, string(dir), func(string) bool { return true }) }},
		{"segment files garbled", func(t *testing.T) {
			garble(t, string(dir), func(path string) bool { return strings.HasSuffix(path, ".zap") })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.damage(t)
			scratch := mountTmpfs(t, heldScratchBytes)
			url, serverLog := startServeBound(t, env, "--temp-dir", scratch)
			serverLog.waitFor(t, "no space left on device", time.Minute)
			checkWhileRebuilding(t, url, live)
			remountTmpfs(t, scratch, 64<<20)
			readUntilReady(t, url, docs)
			if total := searchTotal(t, url, ""); total != docs {
				t.Errorf("after the rebuild a search for everything finds %d records and budget lines, want %d", total, docs)
			}
			if total := searchTotal(t, url, "belanja"); total == 0 {
				t.Errorf("after the rebuild a search for belanja finds nothing")
			}
			for _, lang := range []string{"id", "en"} {
				if body := get200(t, url+"search?q=belanja&lang="+lang); bytes.Contains(body, []byte(rebuildingNotice[lang])) {
					t.Errorf("after the rebuild the search page (%s) still says the index is being built", lang)
				}
			}
			t.Logf("%d search documents; the server logged:\n%s\n%s", docs, serverLog.matching("search index unusable"), serverLog.matching("index built"))
			if errs := serverLog.matching("panic"); errs != "" {
				t.Errorf("the server panicked:\n%s", errs)
			}
		})
	}
}

// heldScratchBytes is a scratch space too small for any partition of
// publishMany's, which holds a rebuild back.
const heldScratchBytes = 16 << 10

// rebuildingNotice is what the search page says, in each language, while
// the index is being built.
var rebuildingNotice = map[string]string{"id": "Pencarian sedang dibangun ulang", "en": "Search is being rebuilt"}

// remountTmpfs gives a tmpfs mountTmpfs made a new size.
func remountTmpfs(t *testing.T, dir string, size int) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_NOSUID|syscall.MS_NODEV, fmt.Sprintf("size=%d", size)); err != nil {
		t.Fatalf("remount %s with %d bytes: %v", dir, size, err)
	}
}

// readUntilReady reads pages while the index is rebuilt, until /healthz
// says it is ready with every record: each answers 200, and the search
// page says the index is being built until it is.
func readUntilReady(t *testing.T, url string, rows uint64) {
	t.Helper()
	// Searches are paced below the portal's per-client rate (10/s).
	pace := time.NewTicker(250 * time.Millisecond)
	defer pace.Stop()
	deadline := time.NewTimer(3 * time.Minute)
	defer deadline.Stop()
	for n := 0; ; n++ {
		before := getHealth(t, url)
		get200(t, url)
		body := get200(t, url+"search?q=belanja")
		after := getHealth(t, url)
		if !after.IndexReady && !bytes.Contains(body, []byte(rebuildingNotice["id"])) {
			t.Errorf("while the index is rebuilt the search page does not say so")
		}
		if before.IndexReady && after.Documents != rows {
			t.Errorf("healthz says the index is ready with %d documents, want %d", after.Documents, rows)
		}
		if after.IndexReady {
			t.Logf("%d rounds of pages read while the index was rebuilt", n)
			return
		}
		select {
		case <-pace.C:
		case <-deadline.C:
			t.Fatalf("the index was not rebuilt within 3 minutes: %+v", after)
		}
	}
}

// publishMany publishes demo feeds of three regions, about 5,000 records,
// with run and returns the search documents they make (csvDocuments). It
// removes the index snapshot run stored, so that a server must build its
// index from the partitions (TestCLIServeRestoresSnapshot covers a server
// that downloads it).
func publishMany(t *testing.T, env []string) uint64 {
	t.Helper()
	feeds := t.TempDir()
	if code, out := terbuka(t, nil, "generate", "--out", feeds, "--regions", "3", "--years", "2024"); code != 0 {
		t.Fatalf("generate: %s", out)
	}
	files, _ := filepath.Glob(filepath.Join(feeds, "*.csv"))
	code, out := terbuka(t, env, append([]string{"run"}, files...)...)
	m := regexp.MustCompile(`(\d+) accepted rows`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("run: exit %d\n%s", code, out)
	}
	removeSnapshots(t, openEnvStore(t, env))
	return csvDocuments(t, files)
}

// garble overwrites every file under dir that pick chooses with as many
// bytes of garbage.
func garble(t *testing.T, dir string, pick func(path string) bool) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !pick(path) {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n++
		junk := bytes.Repeat([]byte("\x00garbage\xff"), int(info.Size())/9+1)[:info.Size()]
		return os.WriteFile(path, junk, 0o644)
	})
	if err != nil || n == 0 {
		t.Fatalf("garble %s: %d files, %v", dir, n, err)
	}
}

// checkWhileRebuilding checks what the portal answers before its index is
// ready: pages and downloads as always, and a search page saying the
// index is being built. It fails the test if the index was ready before
// the checks ended, since they then checked nothing of the kind.
func checkWhileRebuilding(t *testing.T, url string, live *publisher.Manifest) {
	t.Helper()
	if h := getHealth(t, url); h.IndexReady {
		t.Fatalf("the portal says its index is ready at once (%+v): nothing was rebuilt", h)
	}
	p := live.Partitions[0]
	paths := []string{
		"",
		"releases/" + live.ID,
		fmt.Sprintf("downloads/%s/%s/%s/%d.csv", live.ID, p.Dataset, p.Region, p.Year),
		fmt.Sprintf("downloads/%s/%s/%s/%d.parquet", live.ID, p.Dataset, p.Region, p.Year),
		fmt.Sprintf("downloads/%s/%s.csv.gz", live.ID, p.Dataset),
	}
	for _, path := range paths {
		get200(t, url+path)
	}
	for lang, notice := range rebuildingNotice {
		if body := get200(t, url+"search?q=belanja&lang="+lang); !bytes.Contains(body, []byte(notice)) {
			t.Errorf("while the index is rebuilt the search page (%s) does not say %q", lang, notice)
		}
	}
	if h := getHealth(t, url); h.IndexReady {
		t.Fatalf("the index was rebuilt before the checks ended (%+v), with no room to fetch partitions into", h)
	}
}

// get200 gets url, failing the test unless it answers 200, and returns
// the body.
func get200(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s = %d (%v): %.300s", url, resp.StatusCode, err, body)
	}
	return body
}

// searchTotal is the total of an API search for q.
func searchTotal(t *testing.T, url, q string) uint64 {
	t.Helper()
	var res struct{ Total uint64 }
	if err := json.Unmarshal(get200(t, url+"api/v1/search?q="+q), &res); err != nil {
		t.Fatal(err)
	}
	return res.Total
}

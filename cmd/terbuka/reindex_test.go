package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/search/searchtest"
	"github.com/terbuka/terbuka/store/storetest"
)

// publishFeeds generates demo feeds and publishes them with run, which also
// builds the first index generation. It returns the search documents the
// accepted rows make (csvDocuments).
func publishFeeds(t *testing.T, env []string) uint64 {
	rows, docs := publishFeedsCounted(t, env)
	if rows < docs || docs == 0 {
		t.Fatalf("%d rows make %d documents", rows, docs)
	}
	return docs
}

// csvDocuments counts the search documents the demo feeds' rows make (a
// budget line at several stages is one), from the CSV files themselves.
func csvDocuments(t *testing.T, files []string) uint64 {
	t.Helper()
	var docs int64
	for _, path := range files {
		meta, err := pipeline.MetaFromName(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		s, err := dataset.Lookup(meta.Dataset)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil || len(rows) == 0 {
			t.Fatalf("read %s: %v", path, err)
		}
		recs := func(yield func(dataset.Record, error) bool) {
			for _, row := range rows[1:] {
				rec := make(dataset.Record, len(s.Fields))
				for i, col := range rows[0] {
					if j := s.Index(col); j >= 0 {
						rec[j] = dataset.StringValue(row[i])
					}
				}
				if !yield(rec, nil) {
					return
				}
			}
		}
		n, err := searchtest.Documents(s, recs)
		if err != nil {
			t.Fatal(err)
		}
		docs += n
	}
	return uint64(docs)
}

// publishFeedsCounted is publishFeeds returning the accepted rows too.
func publishFeedsCounted(t *testing.T, env []string) (rows, docs uint64) {
	t.Helper()
	feeds := t.TempDir()
	if code, out := terbuka(t, nil, "generate", "--out", feeds, "--regions", "2", "--years", "2024", "--scale", "0.2"); code != 0 {
		t.Fatalf("generate: %s", out)
	}
	files, _ := filepath.Glob(filepath.Join(feeds, "*.csv"))
	code, out := terbuka(t, env, append([]string{"run"}, files...)...)
	m := regexp.MustCompile(`(\d+) accepted rows`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("run: exit %d\n%s", code, out)
	}
	rows, _ = strconv.ParseUint(m[1], 10, 64)
	return rows, csvDocuments(t, files)
}

// indexDir is the index directory the environment configures.
func indexDir(env []string) search.Dir {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "TERBUKA_INDEX="); ok {
			return search.Dir(v)
		}
	}
	panic("no TERBUKA_INDEX in the test environment")
}

func currentGeneration(t *testing.T, dir search.Dir) string {
	t.Helper()
	gen, err := dir.Current()
	if err != nil {
		t.Fatal(err)
	}
	return gen
}

func TestCLIReindex(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			open(t) // skips (or fails under make test) when the backend is unavailable
			env := storageEnv(t, name)
			rows, docs := publishFeedsCounted(t, env)
			code, out := terbuka(t, env, "reindex")
			if code != 0 || !regexp.MustCompile(`indexed release 000001 \(\d+ partitions, `+strconv.FormatUint(rows, 10)+` rows\)`).MatchString(out) {
				t.Fatalf("reindex: exit %d, want a report of %d rows\n%s", code, rows, out)
			}
			dir := indexDir(env)
			gen := currentGeneration(t, dir)
			if gen != "gen-000002" {
				t.Errorf("CURRENT = %s after run and reindex, want gen-000002", gen)
			}
			ix, err := dir.Open(gen, search.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if n, err := ix.DocCount(); err != nil || n != docs {
				t.Errorf("reindexed: %d documents (%v), want the %d the release's %d rows make", n, err, docs, rows)
			}
			if _, err := os.Stat(dir.Path("gen-000001")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the replaced generation is still there (%v)", err)
			}
		})
	}
}

// health is the answer of /healthz.
type health struct {
	Documents  uint64 `json:"documents"`
	IndexReady bool   `json:"index_ready"`
}

func getHealth(t *testing.T, url string) health {
	t.Helper()
	resp, err := http.Get(url + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h health
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: status %d, %v", resp.StatusCode, err)
	}
	return h
}

// eventually waits until cond holds, failing the test after a minute.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testfiles.Eventually(t, time.Minute, what, func() error {
		if cond() {
			return nil
		}
		return errors.New("not yet")
	})
}

// TestCLIServeRebuildsBrokenIndex starts serve on an index it cannot use:
// it must answer at once and rebuild the index from the live release.
func TestCLIServeRebuildsBrokenIndex(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, dir search.Dir)
	}{
		{"garbage", func(t *testing.T, dir search.Dir) {
			os.WriteFile(filepath.Join(dir.Path(currentGeneration(t, dir)), "index_meta.json"), []byte("\x00garbage"), 0o644)
		}},
		{"other mapping version", func(t *testing.T, dir search.Dir) {
			idx, err := bleve.Open(dir.Path(currentGeneration(t, dir)))
			if err != nil {
				t.Fatal(err)
			}
			idx.SetInternal([]byte("terbuka/mapping-version"), []byte("0.0"))
			idx.Close()
		}},
		{"missing generation", func(t *testing.T, dir search.Dir) {
			os.RemoveAll(dir.Path(currentGeneration(t, dir)))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := storageEnv(t, "dir")
			rows := publishFeeds(t, env)
			dir := indexDir(env)
			tt.damage(t, dir)
			url := startServe(t, env)
			eventually(t, "the index is rebuilt", func() bool {
				h := getHealth(t, url)
				return h.IndexReady && h.Documents == rows
			})
			if gen := currentGeneration(t, dir); gen != "gen-000002" {
				t.Errorf("CURRENT = %s, want the rebuilt gen-000002", gen)
			}
		})
	}
}

// TestCLIServeSwitchesGeneration runs reindex next to a running server: the
// server switches to the new generation at its next poll and removes the
// old one, which reindex had to leave because the server had it open.
func TestCLIServeSwitchesGeneration(t *testing.T) {
	env := storageEnv(t, "dir")
	rows := publishFeeds(t, env)
	dir := indexDir(env)
	url := startServe(t, env)
	if h := getHealth(t, url); h.Documents != rows {
		t.Fatalf("serve: %d documents, want %d", h.Documents, rows)
	}
	if code, out := terbuka(t, env, "reindex"); code != 0 {
		t.Fatalf("reindex next to a server: exit %d\n%s", code, out)
	}
	if gen := currentGeneration(t, dir); gen != "gen-000002" {
		t.Fatalf("CURRENT = %s, want gen-000002", gen)
	}
	eventually(t, "serve switches to gen-000002 and removes gen-000001", func() bool {
		_, err := os.Stat(dir.Path("gen-000001"))
		return errors.Is(err, os.ErrNotExist)
	})
	if h := getHealth(t, url); h.Documents != rows || !h.IndexReady {
		t.Errorf("after the switch: %+v, want %d documents and ready", h, rows)
	}
}

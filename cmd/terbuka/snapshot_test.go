package main

import (
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// removeSnapshots deletes every index snapshot and piece on st.
func removeSnapshots(t *testing.T, st store.Store) {
	t.Helper()
	var keys []string
	if err := st.List(t.Context(), "index/", func(o store.Object) error {
		keys = append(keys, o.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if err := st.Delete(t.Context(), k); err != nil {
			t.Fatal(err)
		}
	}
}

var indexStored = regexp.MustCompile(`index of release (\d+) stored as \S+: (\d+) files, [0-9.]+ MB, of which (\d+) pieces`)

// TestCLIIndexSnapshot: run stores the index of the release it publishes
// beside it; a server on an empty disk downloads that index instead of
// building one; run --no-index publishes without indexing, and index then
// stores the new release's index.
func TestCLIIndexSnapshot(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			open(t) // skips (or fails under make test) when the backend is unavailable
			env := storageEnv(t, name)
			docs := publishFeeds(t, env)
			st := openEnvStore(t, env)
			if _, err := st.Stat(t.Context(), indexer.SnapshotKey("000001")); err != nil {
				t.Fatalf("run stored no index snapshot of release 000001: %v", err)
			}

			// A replica on an empty disk: a later TERBUKA_INDEX wins.
			replica := append(slices.Clone(env), "TERBUKA_INDEX="+filepath.Join(t.TempDir(), "index"))
			url, log := startServeBound(t, replica)
			eventually(t, "the replica's index is ready", func() bool { return getHealth(t, url).IndexReady })
			if log.matching("search index downloaded") == "" || log.matching("index built") != "" {
				t.Errorf("the replica did not download the index but built it; it logged:\n%s\n%s", log.matching("index"), log.matching("built"))
			}
			if got := searchTotal(t, url, ""); got != docs {
				t.Errorf("the replica finds %d records and budget lines, want %d", got, docs)
			}

			// A pipeline worker publishes without indexing.
			feeds := t.TempDir()
			if code, out := terbuka(t, nil, "generate", "--out", feeds, "--regions", "1", "--years", "2024", "--scale", "0.2", "--seed", "9"); code != 0 {
				t.Fatalf("generate: %s", out)
			}
			files, _ := filepath.Glob(filepath.Join(feeds, "procurement_*.csv"))
			code, out := terbuka(t, env, append([]string{"run", "--no-index"}, files...)...)
			if code != 0 || !regexp.MustCompile(`published release 000002`).MatchString(out) {
				t.Fatalf("run --no-index: exit %d\n%s", code, out)
			}
			if _, err := st.Stat(t.Context(), indexer.SnapshotKey("000002")); !errors.Is(err, dataset.ErrNotFound) {
				t.Errorf("run --no-index stored an index snapshot (%v)", err)
			}

			code, out = terbuka(t, env, "index")
			m := indexStored.FindStringSubmatch(out)
			if code != 0 || m == nil || m[1] != "000002" {
				t.Fatalf("index: exit %d\n%s", code, out)
			}
			files2, _ := strconv.Atoi(m[2])
			uploaded, _ := strconv.Atoi(m[3])
			t.Logf("index of release 000002: %d files, %d uploaded", files2, uploaded)
			if uploaded == 0 || uploaded >= files2 {
				t.Errorf("index of release 000002 uploaded %d of its %d files; want the changed ones only, at least the segment of the new partition", uploaded, files2)
			}
			if _, err := st.Stat(t.Context(), indexer.SnapshotKey("000002")); err != nil {
				t.Errorf("index stored no snapshot of release 000002: %v", err)
			}
		})
	}
}

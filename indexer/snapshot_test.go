package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// dataGets wraps a store and counts the partition files read from it, so a
// test can tell a downloaded index from one built from the partitions.
type dataGets struct {
	store.Store
	mu   sync.Mutex
	keys []string
}

func (d *dataGets) Get(ctx context.Context, key string) (io.ReadCloser, store.Object, error) {
	if strings.HasPrefix(key, "data/") {
		d.mu.Lock()
		d.keys = append(d.keys, key)
		d.mu.Unlock()
	}
	return d.Store.Get(ctx, key)
}

func (d *dataGets) read() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.keys...)
}

// changedPartitions returns the partitions of next that prev does not hold
// with the same content.
func changedPartitions(prev, next *publisher.Manifest) []string {
	had := map[string]string{}
	for _, p := range prev.Partitions {
		had[p.Key()] = p.SHA256
	}
	var changed []string
	for _, p := range next.Partitions {
		if had[p.Key()] != p.SHA256 {
			changed = append(changed, p.Path)
		}
	}
	return changed
}

// TestSnapshotRestoreAndCatchUp is a release's index stored, a new server
// restoring it instead of reading any partition, and a server behind a
// newer release restoring it and reading only the partitions that changed.
func TestSnapshotRestoreAndCatchUp(t *testing.T) {
	for name, backend := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			st := backend(t)
			_, m := publishFeeds(t, st, demo.Options{Regions: 2, Years: []int{2024}, Seed: 3, Scale: 0.2})
			ctx := t.Context()

			// The publishing machine: no snapshot yet, so it builds.
			built, err := OpenSynced(ctx, Syncer{Store: st, Log: quiet}, search.Dir(t.TempDir()), m)
			if err != nil {
				t.Fatal(err)
			}
			defer built.Close()
			saved, err := SaveSnapshot(ctx, st, built, m, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			snap := saved.Snapshot
			if len(snap.Files) == 0 || saved.Uploaded != len(snap.Files) || saved.UploadedBytes != snap.Bytes() {
				t.Errorf("first snapshot: %d files, %d uploaded (%d of %d bytes); want every file uploaded", len(snap.Files), saved.Uploaded, saved.UploadedBytes, snap.Bytes())
			}
			checkPieces(t, st, snap)
			again, err := SaveSnapshot(ctx, st, built, m, t.TempDir())
			if err != nil || again.Uploaded != 0 {
				t.Errorf("saving the same release again uploaded %d pieces (%v); want none", again.Uploaded, err)
			}

			// A new server on an empty disk.
			fresh := &dataGets{Store: st}
			restored, err := OpenSynced(ctx, Syncer{Store: fresh, Log: quiet}, search.Dir(t.TempDir()), m)
			if err != nil {
				t.Fatal(err)
			}
			if got := fresh.read(); len(got) > 0 {
				t.Errorf("a server restoring the snapshot read partitions %v; want none", got)
			}
			checkIndex(t, st, restored, m)
			sameSearch(t, built, restored, "jalan")
			restored.Close()

			// One partition changes; a new server restores the older
			// snapshot and replaces only that partition.
			_, next := publishFeeds(t, st, demo.Options{Regions: 1, Years: []int{2024}, Seed: 4, Scale: 0.2, Datasets: []string{"procurement"}})
			if next.ID == m.ID {
				t.Fatal("the changed feed published no new release")
			}
			want := changedPartitions(m, next)
			if len(want) == 0 {
				t.Fatal("the new release changed no partition")
			}
			behind := &dataGets{Store: st}
			caught, err := OpenSynced(ctx, Syncer{Store: behind, Log: quiet}, search.Dir(t.TempDir()), next)
			if err != nil {
				t.Fatal(err)
			}
			defer caught.Close()
			if got := behind.read(); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("catching up from release %s's snapshot to %s read %v; want only the changed %v", m.ID, next.ID, got, want)
			}
			checkIndex(t, st, caught, next)
			if snap, err := FindSnapshot(ctx, st, next.ID); err != nil || snap.Release != m.ID {
				t.Errorf("newest snapshot at or before %s = %v, %v; want release %s's", next.ID, snap, err, m.ID)
			}
		})
	}
}

// checkPieces reads each file of snap back from the store and checks its
// size and sha256.
func checkPieces(t *testing.T, st store.Store, snap *Snapshot) {
	t.Helper()
	for _, f := range snap.Files {
		r, _, err := st.Get(t.Context(), "index/pieces/"+f.SHA256)
		if err != nil {
			t.Errorf("piece of %s: %v", f.Path, err)
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, r)
		r.Close()
		if err != nil || n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
			t.Errorf("piece of %s: %d bytes, sha256 %x (%v); the snapshot lists %d, %s", f.Path, n, h.Sum(nil), err, f.Size, f.SHA256)
		}
	}
}

// sameSearch checks that two indexes answer q with the same hits.
func sameSearch(t *testing.T, a, b *search.Index, q string) {
	t.Helper()
	ra, err := a.Search(t.Context(), search.Query{Text: q, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.Search(t.Context(), search.Query{Text: q, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(r *search.Result) string {
		var s []string
		for _, h := range r.Hits {
			s = append(s, h.ID)
		}
		return strings.Join(s, " ")
	}
	if ra.Total == 0 || ra.Total != rb.Total || ids(ra) != ids(rb) {
		t.Errorf("%q: built index finds %d (%s), restored one %d (%s)", q, ra.Total, ids(ra), rb.Total, ids(rb))
	}
}

// TestSnapshotCorruptPiece: a piece whose bytes are not what the snapshot
// lists is refused, leaves no generation behind, and a server builds the
// index from the release instead.
func TestSnapshotCorruptPiece(t *testing.T) {
	st, _, m := publishDemo(t)
	ctx := t.Context()
	ix, err := OpenSynced(ctx, Syncer{Store: st, Log: quiet}, search.Dir(t.TempDir()), m)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := SaveSnapshot(ctx, st, ix, m, t.TempDir())
	ix.Close()
	if err != nil {
		t.Fatal(err)
	}
	largest := saved.Snapshot.Files[0]
	for _, f := range saved.Snapshot.Files {
		if f.Size > largest.Size {
			largest = f
		}
	}
	key := "index/pieces/" + largest.SHA256
	r, _, err := st.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := st.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(ctx, key, strings.NewReader(string(b)), int64(len(b)), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}

	dir := search.Dir(t.TempDir())
	if _, err := Restore(ctx, st, dir, m, quiet); !errors.Is(err, dataset.ErrInvalid) || !strings.Contains(err.Error(), largest.Path) {
		t.Fatalf("restore with a corrupt piece = %v; want ErrInvalid naming %s", err, largest.Path)
	}
	if gen, err := dir.Current(); err == nil {
		t.Errorf("a failed restore made %s current", gen)
	}
	if entries, _ := os.ReadDir(string(dir)); len(entries) > 0 {
		t.Errorf("a failed restore left %v behind", entries)
	}
	if _, err := Provide(ctx, Syncer{Store: st, Log: quiet}, dir, m); err != nil {
		t.Fatalf("provide after a corrupt snapshot: %v", err)
	}
	checkGeneration(t, st, dir, m)
}

// putSnapshot stores a snapshot document under key as given.
func putSnapshot(t *testing.T, st store.Store, key string, s Snapshot) {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(t.Context(), key, strings.NewReader(string(b)), int64(len(b)), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
}

func fileOf(content string) SnapshotFile {
	sum := sha256.Sum256([]byte(content))
	return SnapshotFile{Path: "store/" + content, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])}
}

// TestFindSnapshot: the newest snapshot at or before a release is chosen,
// snapshots of another mapping version are not, and a snapshot whose files
// would be written outside the index directory is refused.
func TestFindSnapshot(t *testing.T) {
	st := storetest.Dir(t)
	v := search.MappingVersion()
	good := func(id string) Snapshot {
		return Snapshot{Release: id, Mapping: v, Files: []SnapshotFile{fileOf(id)}}
	}
	for _, id := range []string{"000003", "000005", "000009"} {
		putSnapshot(t, st, SnapshotKey(id), good(id))
	}
	old := good("000007")
	old.Mapping = "0.1"
	putSnapshot(t, st, "index/snapshots/0.1/000007.json", old)

	for _, tc := range []struct{ at, want string }{
		{"000009", "000009"},
		{"000008", "000005"},
		{"000005", "000005"},
		{"0000010", "000009"}, // an id past 999999 is one digit longer
	} {
		s, err := FindSnapshot(t.Context(), st, tc.at)
		if err != nil || s.Release != tc.want {
			t.Errorf("FindSnapshot(%s) = %+v, %v; want release %s", tc.at, s, err, tc.want)
		}
	}
	if s, err := FindSnapshot(t.Context(), st, "000002"); !errors.Is(err, ErrNoSnapshot) {
		t.Errorf("FindSnapshot before the first = %+v, %v; want ErrNoSnapshot", s, err)
	}

	for name, file := range map[string]SnapshotFile{
		"parent directory": {Path: "../CURRENT", Size: 1, SHA256: fileOf("x").SHA256},
		"absolute":         {Path: "/etc/cron.d/x", Size: 1, SHA256: fileOf("x").SHA256},
		"bad sum":          {Path: "store/root.bolt", Size: 1, SHA256: "abc"},
		"upper-case sum":   {Path: "store/root.bolt", Size: 1, SHA256: strings.ToUpper(fileOf("x").SHA256)},
		"negative size":    {Path: "store/root.bolt", Size: -1, SHA256: fileOf("x").SHA256},
	} {
		st := storetest.Dir(t)
		bad := good("000004")
		bad.Files = append(bad.Files, file)
		putSnapshot(t, st, SnapshotKey("000004"), bad)
		if _, err := FindSnapshot(t.Context(), st, "000004"); !errors.Is(err, dataset.ErrInvalid) {
			t.Errorf("%s: FindSnapshot = %v; want ErrInvalid", name, err)
		}
	}
}

// TestPruneSnapshots: the newest SnapshotsKept snapshots and the pieces
// they list stay; older snapshots, those of other mapping versions, and
// pieces no snapshot lists go once they are past the grace period.
func TestPruneSnapshots(t *testing.T) {
	st := storetest.Dir(t)
	ctx := t.Context()
	v := search.MappingVersion()
	pieces := map[string]SnapshotFile{}
	for _, c := range []string{"p1", "p2", "p3", "p4", "p5", "p6"} {
		pieces[c] = fileOf(c)
		if _, err := st.Put(ctx, "index/pieces/"+pieces[c].SHA256, strings.NewReader(c), 2, store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	snap := func(id, mapping string, files ...string) {
		s := Snapshot{Release: id, Mapping: mapping}
		for _, f := range files {
			s.Files = append(s.Files, pieces[f])
		}
		putSnapshot(t, st, "index/snapshots/"+mapping+"/"+id+".json", s)
	}
	snap("000001", v, "p1", "p2")
	snap("000002", v, "p2", "p3")
	snap("000003", v, "p3")
	snap("000004", v, "p4")
	snap("000004", "0.1", "p5")
	// p6 is listed by no snapshot: a snapshot being saved.

	keys := func() []string {
		var k []string
		st.List(ctx, "index/", func(o store.Object) error {
			k = append(k, o.Key)
			return nil
		})
		return k
	}
	n, _, err := PruneSnapshots(ctx, st, SnapshotsKept, time.Now())
	if err != nil || n != 2 {
		t.Fatalf("first prune removed %d objects (%v); want the two snapshots", n, err)
	}
	for _, gone := range []string{SnapshotKey("000001"), "index/snapshots/0.1/000004.json"} {
		if _, err := st.Stat(ctx, gone); !errors.Is(err, dataset.ErrNotFound) {
			t.Errorf("%s still there after prune (%v)", gone, err)
		}
	}
	if got := len(keys()); got != 3+6 {
		t.Errorf("within the grace period pieces were removed: %d objects left, want 9: %v", got, keys())
	}

	n, bytes, err := PruneSnapshots(ctx, st, SnapshotsKept, time.Now().Add(2*publisher.PruneGrace))
	if err != nil || n != 3 || bytes != 6 {
		t.Fatalf("prune after the grace period removed %d objects, %d bytes (%v); want p1, p5, p6: 3, 6", n, bytes, err)
	}
	want := []string{"index/pieces/" + pieces["p2"].SHA256, "index/pieces/" + pieces["p3"].SHA256, "index/pieces/" + pieces["p4"].SHA256}
	for _, k := range want {
		if _, err := st.Stat(ctx, k); err != nil {
			t.Errorf("a piece a kept snapshot lists was removed: %s (%v)", k, err)
		}
	}
	for _, id := range []string{"000002", "000003", "000004"} {
		if _, err := FindSnapshot(ctx, st, id); err != nil {
			t.Errorf("kept snapshot %s: %v", id, err)
		}
	}
}

// TestSaveSnapshotRefusesOtherRelease: an index that does not hold the
// release is not stored as its snapshot.
func TestSaveSnapshotRefusesOtherRelease(t *testing.T) {
	st, _, m := publishDemo(t)
	ix, err := OpenSynced(t.Context(), Syncer{Store: st, Log: quiet}, search.Dir(filepath.Join(t.TempDir(), "index")), m)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	other := *m
	other.ID = "999999"
	other.Partitions = m.Partitions[1:]
	if _, err := SaveSnapshot(t.Context(), st, ix, &other, t.TempDir()); !errors.Is(err, dataset.ErrInvalid) {
		t.Errorf("save as a release with a partition fewer = %v; want ErrInvalid", err)
	}
	if _, err := st.Stat(t.Context(), SnapshotKey("999999")); !errors.Is(err, dataset.ErrNotFound) {
		t.Errorf("a refused snapshot was stored (%v)", err)
	}
}

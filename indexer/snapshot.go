package indexer

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// A snapshot is the search index of a release kept on the store beside it,
// so that a server on an empty disk downloads an index instead of building
// one from every partition:
//
//	index/pieces/{sha256}                      one file of an index, stored once
//	                                           however many snapshots list it
//	index/snapshots/{mapping}/{release}.json   the files of release's index,
//	                                           built with that mapping version
//
// Index segments are immutable files, so the snapshots of successive
// releases share most pieces and only what changed is uploaded. A snapshot
// is written after its pieces, and pieces are never overwritten: a listed
// snapshot is complete.
const (
	snapshotsDir = "index/snapshots/"
	piecesDir    = "index/pieces/"
)

// Snapshot lists the files of a release's search index.
type Snapshot struct {
	Release string    `json:"release"`
	Mapping string    `json:"mapping"`
	Created time.Time `json:"created"`
	// Partitions is the index's catalog: partition key → sha256, what it
	// holds.
	Partitions map[string]string `json:"partitions"`
	Files      []SnapshotFile    `json:"files"`
}

// SnapshotFile is one file of an index directory, stored as piece SHA256.
type SnapshotFile struct {
	// Path is slash-separated and relative to the index directory.
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Bytes returns the size of the index.
func (s *Snapshot) Bytes() int64 {
	var n int64
	for _, f := range s.Files {
		n += f.Size
	}
	return n
}

// SnapshotKey returns where the snapshot of release id, built with the
// mapping version this program uses, is stored.
func SnapshotKey(id string) string {
	return snapshotsDir + search.MappingVersion() + "/" + id + ".json"
}

func pieceKey(sum string) string { return piecesDir + sum }

// Saved says what SaveSnapshot stored.
type Saved struct {
	Snapshot *Snapshot
	// Uploaded counts the pieces, and their bytes, that were not on the
	// store yet; the others were shared with earlier snapshots.
	Uploaded      int
	UploadedBytes int64
	Took          time.Duration
}

// SaveSnapshot stores ix, which must hold exactly release m, as m's
// snapshot. It copies the index aside into tempDir (the system's when
// empty) so that the files uploaded are one consistent state even if ix is
// written meanwhile. A snapshot of m already stored is kept as it is, and
// nothing is uploaded.
func SaveSnapshot(ctx context.Context, st store.Store, ix *search.Index, m *publisher.Manifest, tempDir string) (*Saved, error) {
	start := time.Now()
	indexed, err := ix.Indexed()
	if err != nil {
		return nil, fmt.Errorf("save index snapshot: %w", err)
	}
	if diff := catalogDiff(indexed, m); diff != "" {
		return nil, fmt.Errorf("save index snapshot of release %s: the index does not hold that release (%s): %w", m.ID, diff, dataset.ErrInvalid)
	}
	if snap, err := readSnapshot(ctx, st, SnapshotKey(m.ID)); err == nil {
		return &Saved{Snapshot: snap, Took: time.Since(start)}, nil // saved before
	}
	tmp, err := os.MkdirTemp(tempDir, "terbuka-snapshot-*")
	if err != nil {
		return nil, fmt.Errorf("save index snapshot: %w", err)
	}
	defer os.RemoveAll(tmp)
	copyDir := filepath.Join(tmp, "index")
	if err := ix.CopyTo(copyDir); err != nil {
		return nil, fmt.Errorf("save index snapshot: %w", err)
	}
	snap := &Snapshot{Release: m.ID, Mapping: search.MappingVersion(), Created: time.Now().UTC(), Partitions: indexed}
	saved := &Saved{Snapshot: snap}
	err = filepath.WalkDir(copyDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(copyDir, path)
		if err != nil {
			return err
		}
		f, uploaded, err := putPiece(ctx, st, path)
		if err != nil {
			return err
		}
		f.Path = filepath.ToSlash(rel)
		snap.Files = append(snap.Files, f)
		if uploaded {
			saved.Uploaded++
			saved.UploadedBytes += f.Size
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("save index snapshot of release %s: %w", m.ID, err)
	}
	data, err := json.MarshalIndent(snap, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("save index snapshot: %w", err)
	}
	_, err = st.Put(ctx, SnapshotKey(m.ID), bytes.NewReader(data), int64(len(data)), store.PutOptions{IfAbsent: true, ContentType: "application/json"})
	if errors.Is(err, dataset.ErrConflict) {
		// Another process saved the same release's index first; it holds
		// the same partitions.
		if snap, err = readSnapshot(ctx, st, SnapshotKey(m.ID)); err != nil {
			return nil, err
		}
		saved.Snapshot = snap
	} else if err != nil {
		return nil, fmt.Errorf("save index snapshot of release %s: %w", m.ID, err)
	}
	saved.Took = time.Since(start)
	return saved, nil
}

// catalogDiff says, briefly, how an index catalog differs from release m,
// or returns "" when it holds exactly m's partitions.
func catalogDiff(indexed map[string]string, m *publisher.Manifest) string {
	if len(indexed) != len(m.Partitions) {
		return fmt.Sprintf("%d partitions indexed, %d in the release", len(indexed), len(m.Partitions))
	}
	for _, p := range m.Partitions {
		if indexed[p.Key()] != p.SHA256 {
			return "partition " + p.Key() + " differs"
		}
	}
	return ""
}

// putPiece stores the file at path under its sha256 unless a piece with
// that sum is stored already, and reports whether it uploaded it.
func putPiece(ctx context.Context, st store.Store, path string) (SnapshotFile, bool, error) {
	sum, size, err := hashFile(path)
	if err != nil {
		return SnapshotFile{}, false, err
	}
	f := SnapshotFile{Size: size, SHA256: sum}
	if o, err := st.Stat(ctx, pieceKey(sum)); err == nil && o.Size == size {
		return f, false, nil
	}
	_, err = st.PutFile(ctx, pieceKey(sum), path, store.PutOptions{IfAbsent: true})
	if errors.Is(err, dataset.ErrConflict) {
		return f, false, nil // the same content, stored by someone else meanwhile
	}
	if err != nil {
		return SnapshotFile{}, false, err
	}
	return f, true, nil
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// ErrNoSnapshot means the store holds no usable index snapshot.
var ErrNoSnapshot = fmt.Errorf("no index snapshot: %w", dataset.ErrNotFound)

// FindSnapshot returns the newest snapshot, built with this program's
// mapping version, of a release at or before release id: the one closest
// to it, so that the least is left to sync. With none the error wraps
// ErrNoSnapshot.
func FindSnapshot(ctx context.Context, st store.Reader, id string) (*Snapshot, error) {
	dir := snapshotsDir + search.MappingVersion() + "/"
	best := ""
	err := st.List(ctx, dir, func(o store.Object) error {
		rel, ok := strings.CutSuffix(strings.TrimPrefix(o.Key, dir), ".json")
		if ok && !strings.Contains(rel, "/") && compareIDs(rel, id) <= 0 && (best == "" || compareIDs(rel, best) > 0) {
			best = rel
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find an index snapshot: %w", err)
	}
	if best == "" {
		return nil, fmt.Errorf("find an index snapshot at or before release %s for mapping %s: %w", id, search.MappingVersion(), ErrNoSnapshot)
	}
	return readSnapshot(ctx, st, dir+best+".json")
}

// compareIDs orders release ids by age: they are zero-padded numbers
// that rise with time, and a longer one is newer.
func compareIDs(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
}

// readSnapshot reads and checks the snapshot stored under key.
func readSnapshot(ctx context.Context, st store.Reader, key string) (*Snapshot, error) {
	r, _, err := st.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("read index snapshot: %w", err)
	}
	defer r.Close()
	var s Snapshot
	if err := json.NewDecoder(io.LimitReader(r, 64<<20)).Decode(&s); err != nil {
		return nil, fmt.Errorf("read index snapshot %s: %v: %w", key, err, dataset.ErrInvalid)
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("read index snapshot %s: %w", key, err)
	}
	return &s, nil
}

// check refuses a snapshot this program cannot use, or whose file paths
// would leave the directory it is restored into.
func (s *Snapshot) check() error {
	if s.Mapping != search.MappingVersion() {
		return fmt.Errorf("mapping version %q, want %q: %w", s.Mapping, search.MappingVersion(), dataset.ErrInvalid)
	}
	if len(s.Files) == 0 {
		return fmt.Errorf("lists no files: %w", dataset.ErrInvalid)
	}
	for _, f := range s.Files {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) || f.Size < 0 || len(f.SHA256) != sha256.Size*2 || strings.Trim(f.SHA256, "0123456789abcdef") != "" {
			return fmt.Errorf("file %q (%d bytes, sha256 %q) cannot be restored: %w", f.Path, f.Size, f.SHA256, dataset.ErrInvalid)
		}
	}
	return nil
}

// download writes the snapshot's files into dir, an empty directory, and
// checks each one's size and sha256.
func (s *Snapshot) download(ctx context.Context, st store.Reader, dir string) error {
	for _, f := range s.Files {
		if err := downloadPiece(ctx, st, f, filepath.Join(dir, filepath.FromSlash(f.Path))); err != nil {
			return fmt.Errorf("download index snapshot of release %s: %s: %w", s.Release, f.Path, err)
		}
	}
	return nil
}

func downloadPiece(ctx context.Context, st store.Reader, f SnapshotFile, path string) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	r, _, err := st.Get(ctx, pieceKey(f.SHA256))
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(r, f.Size+1))
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); n != f.Size || got != f.SHA256 {
		return fmt.Errorf("piece %s has %d bytes and sha256 %s, the snapshot lists %d bytes: %w", f.SHA256, n, got, f.Size, dataset.ErrInvalid)
	}
	return w.Sync()
}

// Restore makes a new generation in dir from the newest snapshot at or
// before release m and makes it current. The generation holds the
// snapshot's release, which may be older than m: the caller syncs it.
// With no snapshot the error wraps ErrNoSnapshot and dir is left as it
// was.
func Restore(ctx context.Context, st store.Reader, dir search.Dir, m *publisher.Manifest, log *slog.Logger) (string, error) {
	start := time.Now()
	snap, err := FindSnapshot(ctx, st, m.ID)
	if err != nil {
		return "", err
	}
	gen, err := dir.NewGeneration()
	if err != nil {
		return "", fmt.Errorf("restore index snapshot: %w", err)
	}
	log.Info("downloading the search index", "snapshot", snap.Release, "release", m.ID, "files", len(snap.Files), "bytes", snap.Bytes(), "generation", dir.Path(gen))
	err = snap.download(ctx, st, dir.Path(gen))
	if err == nil {
		// Opening checks the copy is a usable index of this mapping.
		var ix *search.Index
		if ix, err = dir.Open(gen, search.Config{LockTimeout: time.Second, Cold: true}); err == nil {
			err = ix.Close()
		}
	}
	if err == nil {
		err = dir.SetCurrent(gen)
	}
	if err != nil {
		if rerr := dir.Remove(gen); rerr != nil {
			log.Warn("remove failed index generation", "generation", gen, "err", rerr)
		}
		return "", fmt.Errorf("restore index snapshot of release %s: %w", snap.Release, err)
	}
	log.Info("search index downloaded", "snapshot", snap.Release, "bytes", snap.Bytes(), "took", time.Since(start).Round(time.Millisecond))
	removeOld(dir, gen, log)
	return gen, nil
}

// Provide makes a current generation in dir for release m (nil when
// nothing is published): restored from a snapshot on the store when there
// is one at or before m, built from m's partitions otherwise, or when the
// snapshot cannot be restored. A restored generation may hold an older
// release than m: the caller syncs it.
func Provide(ctx context.Context, sy Syncer, dir search.Dir, m *publisher.Manifest) (string, error) {
	if m != nil {
		gen, err := Restore(ctx, sy.Store, dir, m, sy.Log)
		switch {
		case err == nil:
			return gen, nil
		case ctx.Err() != nil:
			return "", err
		case !errors.Is(err, ErrNoSnapshot):
			sy.Log.Warn("index snapshot not usable; building the index from the release", "err", err)
		}
	}
	return Rebuild(ctx, sy, dir, m)
}

// SnapshotsKept is how many of the newest snapshots PruneSnapshots keeps:
// a server restores the newest, and the ones before it cover a server
// still downloading when a new one is saved.
const SnapshotsKept = 3

// PruneSnapshots removes every snapshot but the newest keep of this
// program's mapping version (snapshots of other versions are no use to
// it), then every piece no remaining snapshot lists and that is older than
// publisher.PruneGrace: a snapshot being saved has uploaded its pieces
// before it is listed. It returns how many objects and bytes it removed.
func PruneSnapshots(ctx context.Context, st store.Store, keep int, now time.Time) (objects int, bytes int64, err error) {
	type stored struct{ key, mapping, release string }
	var snaps []stored
	err = st.List(ctx, snapshotsDir, func(o store.Object) error {
		rest, ok := strings.CutSuffix(strings.TrimPrefix(o.Key, snapshotsDir), ".json")
		mapping, release, found := strings.Cut(rest, "/")
		if ok && found {
			snaps = append(snaps, stored{o.Key, mapping, release})
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("prune index snapshots: %w", err)
	}
	slices.SortFunc(snaps, func(a, b stored) int { return compareIDs(b.release, a.release) })
	used := map[string]bool{}
	kept := 0
	for _, s := range snaps {
		if s.mapping == search.MappingVersion() && kept < keep {
			snap, err := readSnapshot(ctx, st, s.key)
			if err != nil {
				return objects, bytes, fmt.Errorf("prune index snapshots: %w", err)
			}
			for _, f := range snap.Files {
				used[f.SHA256] = true
			}
			kept++
			continue
		}
		if err := st.Delete(ctx, s.key); err != nil {
			return objects, bytes, fmt.Errorf("prune index snapshots: %w", err)
		}
		objects++
	}
	var stale []store.Object
	err = st.List(ctx, piecesDir, func(o store.Object) error {
		if !used[strings.TrimPrefix(o.Key, piecesDir)] && now.Sub(o.Modified) > publisher.PruneGrace {
			stale = append(stale, o)
		}
		return nil
	})
	if err != nil {
		return objects, bytes, fmt.Errorf("prune index snapshots: %w", err)
	}
	for _, o := range stale {
		if err := st.Delete(ctx, o.Key); err != nil {
			return objects, bytes, fmt.Errorf("prune index snapshots: %w", err)
		}
		objects++
		bytes += o.Size
	}
	return objects, bytes, nil
}

// OpenSynced opens the current generation of dir, or makes one (Provide)
// when there is none that opens, and syncs it with release m. The caller
// closes the index. When another process has the generation open the
// error wraps search.ErrLocked.
func OpenSynced(ctx context.Context, sy Syncer, dir search.Dir, m *publisher.Manifest) (*search.Index, error) {
	gen, err := dir.Current()
	var ix *search.Index
	// The index is written and copied here, never searched: its columns
	// are not built.
	cfg := search.Config{LockTimeout: time.Second, Cold: true}
	if err == nil {
		ix, err = dir.Open(gen, cfg)
		if errors.Is(err, search.ErrLocked) {
			return nil, err
		}
	}
	if err != nil {
		if gen != "" || !errors.Is(err, dataset.ErrNotFound) {
			sy.Log.Warn("search index unusable; making a new one", "index", string(dir), "err", err)
		}
		if gen, err = Provide(ctx, sy, dir, m); err != nil {
			return nil, err
		}
		if ix, err = dir.Open(gen, cfg); err != nil {
			return nil, err
		}
	}
	sy.Index = ix
	if err := sy.Sync(ctx, m); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// Package search keeps the Bleve index of the live release and answers
// portal queries with facets. The mapping is derived from the dataset
// schemas alone; one partition (dataset, region, year) is replaced in one
// atomic batch together with a marker of the Parquet file it came from, so
// the index always knows exactly what it holds.
package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/terbuka/terbuka/dataset"
)

// Keys of the index's internal (non-document) storage.
var (
	// versionKey holds the mappingVersion the index was built with.
	versionKey = []byte("terbuka/mapping-version")
	// catalogKey holds a JSON object of partition key → sha256. Bleve can
	// read an internal key but not list them, so the partitions live under
	// one key, rewritten in the same batch as the documents it describes.
	catalogKey = []byte("terbuka/partitions")
)

// Config configures the index.
type Config struct {
	// Path is the directory of the Bleve index; it is created when missing.
	Path string
	// LockTimeout bounds the wait for another process that holds the index
	// open (one writer at a time); default 30s. Open then fails with ErrLocked.
	LockTimeout time.Duration
	// BatchDocs caps the documents of one batch, and so the memory a
	// Replace or a Loader needs; default maxBatchDocs for Replace, whose
	// partitions up to this size are swapped atomically, and
	// loadBatchDocs for a Loader.
	BatchDocs int
	// Cold opens the index without building its columns (Warm): for a
	// process that only writes or measures it, such as an indexer. A
	// search builds what it needs.
	Cold bool
}

// ErrLocked means another process, or another Index in this one, has the
// index open.
var ErrLocked = fmt.Errorf("another terbuka process is using the index: %w", dataset.ErrUnavailable)

const defaultLockTimeout = 30 * time.Second

// Index is the search index. Safe for concurrent use: searches run in
// parallel with each other and with writes; writes (Replace, Remove) are
// serialised so each sees the catalog and partition the previous one left.
type Index struct {
	idx    bleve.Index
	writes sync.Mutex
	// close closes idx once: scorch panics when closed twice, and a
	// deferred Close after an explicit one is a common shape.
	close func() error
	// batchDocs and loadBatchDocs are Config.BatchDocs with the defaults
	// of Replace and of a Loader applied.
	batchDocs, loadBatchDocs int
	// plan is what queries need to know about the schemas, derived once.
	plan *plan
	// cols are the per-segment columns searches filter, count and sort on.
	cols *columns
	// changes counts the writes searches may see (version.go).
	changes changeCounter
	// expandState holds the synonym and account table (synonyms.go),
	// built on first use with the index's analyzer.
	expandState
}

// Open opens the index at cfg.Path, or creates it with the current mapping
// when there is none. An index built with another mapping version is an
// error wrapping dataset.ErrInvalid: the caller deletes and rebuilds it,
// since an old mapping would silently answer queries wrongly.
func Open(cfg Config) (*Index, error) {
	return open(cfg, true)
}

// open opens the index at cfg.Path; when there is none it creates one if
// create is set, and otherwise fails with an error wrapping
// dataset.ErrNotFound. The index's lock (lock.go) is taken first and held
// until Close.
func open(cfg Config, create bool) (*Index, error) {
	if cfg.Path == "" {
		return nil, fmt.Errorf("open index: empty path: %w", dataset.ErrInvalid)
	}
	wait := cfg.LockTimeout
	if wait <= 0 {
		wait = defaultLockTimeout
	}
	if create {
		// Bleve's own mode for the directories it makes.
		if err := os.MkdirAll(cfg.Path, 0o700); err != nil {
			return nil, fmt.Errorf("create index %s: %w", cfg.Path, err)
		}
	}
	lock, err := lockDir(cfg.Path, wait)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoIndex(cfg.Path)
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", cfg.Path, err)
	}
	return openLocked(cfg, create, wait, lock)
}

// openLocked is open once the lock is held; it releases lock on failure.
func openLocked(cfg Config, create bool, wait time.Duration, lock *dirLock) (*Index, error) {
	idx, err := bleve.OpenUsing(cfg.Path, openOptions(wait))
	if storeLocked(err) {
		err = ErrLocked
	}
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) || errors.Is(err, bleve.ErrorIndexMetaMissing) {
		if !create {
			lock.release()
			return nil, errNoIndex(cfg.Path)
		}
		ix, err := createIndex(cfg.Path, cfg, lock)
		if err != nil {
			lock.release()
		}
		return ix, err
	}
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("open index %s: %w", cfg.Path, err)
	}
	v, err := idx.GetInternal(versionKey)
	if err == nil && string(v) != mappingVersion {
		err = fmt.Errorf("index %s has mapping version %q, want %q: %w", cfg.Path, v, mappingVersion, dataset.ErrInvalid)
	}
	if err != nil {
		idx.Close()
		lock.release()
		return nil, fmt.Errorf("open index: %w", err)
	}
	ix := newIndex(idx, cfg, lock)
	if cfg.Cold {
		return ix, nil
	}
	if err := ix.Warm(); err != nil {
		ix.Close()
		return nil, fmt.Errorf("open index %s: %w", cfg.Path, err)
	}
	return ix, nil
}

// errNoIndex is open's error for a path without an index.
func errNoIndex(path string) error {
	return fmt.Errorf("open index %s: no index there: %w", path, dataset.ErrNotFound)
}

// newIndex wraps idx; lock, when not nil, is released on Close.
func newIndex(idx bleve.Index, cfg Config, lock *dirLock) *Index {
	batch, load := maxBatchDocs, loadBatchDocs
	if cfg.BatchDocs > 0 {
		batch, load = cfg.BatchDocs, cfg.BatchDocs
	}
	p := newPlan()
	closeAll := func() error { return errors.Join(idx.Close(), lock.release()) }
	return &Index{idx: idx, batchDocs: batch, loadBatchDocs: load, plan: p, cols: newColumns(p), close: sync.OnceValue(closeAll)}
}

// createIndex makes a new index. Scorch is used with its defaults:
// "unsafe_batch" would let Batch return before the segment is persisted,
// but Close does not flush such segments (the persister stops at once);
// with one large batch per partition the fsync wait is a small share of
// the indexing time anyway, and a Loader applying two batches at once
// measured no faster with it.
func createIndex(path string, cfg Config, lock *dirLock) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	idx, err := bleve.New(path, m)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	if err := idx.SetInternal(versionKey, []byte(mappingVersion)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("create index %s: record version: %w", path, err)
	}
	return newIndex(idx, cfg, lock), nil
}

// Empty returns an index with no documents, held in memory: what a server
// searches while the index on disk is rebuilt.
func Empty() (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("create empty index: %w", err)
	}
	idx, err := bleve.NewUsing("", m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, nil)
	if err != nil {
		return nil, fmt.Errorf("create empty index: %w", err)
	}
	return newIndex(idx, Config{}, nil), nil
}

// Close closes the index; later calls return the first call's result.
// Completed writes are already persisted.
func (ix *Index) Close() error {
	if err := ix.close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	return nil
}

// DocCount returns the number of documents in the index.
func (ix *Index) DocCount() (uint64, error) {
	n, err := ix.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count documents: %w", err)
	}
	return n, nil
}

// SegmentBytes returns the size of the index's segment files that
// searches read: the index's size on disk once scorch has removed what
// older snapshots held (a small root file and the metadata aside).
func (ix *Index) SegmentBytes() (int64, error) {
	r, err := ix.reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n, err := segmentFileBytes(r)
	if err != nil {
		return 0, fmt.Errorf("measure index: %w", err)
	}
	return n, nil
}

// Indexed returns partition key → sha256 for every partition the index
// holds, including partitions that had no records. The caller compares it
// with the live release to decide what to Replace or Remove.
func (ix *Index) Indexed() (map[string]string, error) {
	c, err := ix.catalog()
	if err != nil {
		return nil, fmt.Errorf("read indexed partitions: %w", err)
	}
	return c, nil
}

func (ix *Index) catalog() (map[string]string, error) {
	c := map[string]string{}
	b, err := ix.idx.GetInternal(catalogKey)
	if err != nil || b == nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("decode partition catalog: %w", err)
	}
	return c, nil
}

// CopyTo writes a copy of the index as it is now into dir, a directory
// that must not exist yet: a complete index that Open opens, without this
// index's lock file. Writes may go on meanwhile; the copy holds the
// committed state of the moment it starts (scorch keeps the segments it
// copies from being removed until it is done).
func (ix *Index) CopyTo(dir string) error {
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("copy index to %s: the directory exists or cannot be checked: %w", dir, dataset.ErrInvalid)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("copy index: %w", err)
	}
	c, ok := ix.idx.(interface {
		CopyTo(index.Directory) error
	})
	if !ok {
		return fmt.Errorf("copy index: this index cannot be copied (an in-memory one): %w", dataset.ErrInvalid)
	}
	if err := c.CopyTo(bleve.FileSystemDirectory(dir)); err != nil {
		return fmt.Errorf("copy index to %s: %w", dir, err)
	}
	return nil
}

// Compact merges the index into as few segments as scorch's single-segment
// merge plan allows and waits for it. A bulk build leaves hundreds of
// small segments, and every query pays per segment: looking words up, and
// expanding typos and code prefixes in each segment's dictionary.
func (ix *Index) Compact(ctx context.Context) error {
	// Merging drops deleted documents from the term statistics, so scores
	// may move: results cached before are not reused.
	defer ix.changes.bump()
	if err := forceMerge(ctx, ix.idx); err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	return ix.Warm()
}

// Warm builds the columns of every segment searches do not know yet, so
// the first search after opening an index does not pay for them. Open
// warms; Compact and a Loader's Finish warm what they merged. Segments
// scorch merges in the background are warmed by the first search that
// meets them.
func (ix *Index) Warm() error {
	r, err := ix.reader()
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := ix.cols.views(r); err != nil {
		return fmt.Errorf("warm index: %w", err)
	}
	return nil
}

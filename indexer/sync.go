// Package indexer keeps a search index equal to the live release: the
// Follower a server runs, the Syncer that replaces changed partitions,
// Rebuild, which fills a new index generation from scratch, and snapshots,
// copies of a release's index on the store that a new server downloads
// instead of building one.
package indexer

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"os"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// Syncer keeps a search index equal to the live release: partitions whose
// content changed are replaced, one batch each, and partitions no longer in
// the release are removed. Unchanged partitions are not touched. Build
// fills a new index from scratch instead.
type Syncer struct {
	Store   store.Store
	Index   *search.Index
	Log     *slog.Logger
	TempDir string
}

// Sync brings the index up to date with manifest m.
func (sy *Syncer) Sync(ctx context.Context, m *publisher.Manifest) error {
	indexed, err := sy.Index.Indexed()
	if err != nil {
		return fmt.Errorf("sync index: %w", err)
	}
	want := map[string]bool{}
	start, replaced := time.Now(), 0
	for _, p := range m.Partitions {
		want[p.Key()] = true
		if indexed[p.Key()] == p.SHA256 {
			continue
		}
		if err := sy.replace(ctx, p); err != nil {
			return err
		}
		replaced++
		sy.Log.Info("indexed partition", "partition", p.Key(), "rows", p.Rows, "progress", fmt.Sprintf("%d/%d", replaced, len(m.Partitions)))
	}
	for key := range indexed {
		if !want[key] {
			if err := sy.Index.Remove(ctx, key); err != nil {
				return fmt.Errorf("sync index: remove %s: %w", key, err)
			}
		}
	}
	if replaced > 0 {
		sy.Log.Info("index in sync", "release", m.ID, "replaced", replaced, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func (sy *Syncer) replace(ctx context.Context, p publisher.Partition) error {
	return sy.withPartition(ctx, p, func(sp search.Partition, recs iter.Seq2[dataset.Record, error]) error {
		return sy.Index.Replace(ctx, sp, recs)
	})
}

// withPartition downloads partition p and calls use with its records.
func (sy *Syncer) withPartition(ctx context.Context, p publisher.Partition, use func(search.Partition, iter.Seq2[dataset.Record, error]) error) error {
	s, err := dataset.Lookup(p.Dataset)
	if err != nil {
		return fmt.Errorf("index %s: %w", p.Path, err)
	}
	sp := search.Partition{Dataset: p.Dataset, Region: p.Region, Year: p.Year, SHA256: p.SHA256, Rows: p.Rows}
	if s.Detail {
		// Not searched: the index only notes the partition as synced,
		// and nothing is downloaded.
		return use(sp, func(func(dataset.Record, error) bool) {})
	}
	f, size, err := sy.download(ctx, p.Path)
	if err != nil {
		return err
	}
	defer store.Discard(f)
	if err := use(sp, partition.Read(f, size, s)); err != nil {
		return fmt.Errorf("index %s: %w", p.Path, err)
	}
	return nil
}

// download copies an object to a temporary file: Parquet readers seek
// around the file, which is cheap on disk and costly as ranged S3 reads.
func (sy *Syncer) download(ctx context.Context, key string) (*os.File, int64, error) {
	f, err := store.Fetch(ctx, sy.Store, key, sy.TempDir)
	if err != nil {
		return nil, 0, fmt.Errorf("download %s: %w", key, err)
	}
	info, err := f.Stat()
	if err != nil {
		store.Discard(f)
		return nil, 0, fmt.Errorf("download %s: %w", key, err)
	}
	return f, info.Size(), nil
}

// progressEvery is how often a long build logs how far it is.
const progressEvery = 5 * time.Second

// Build fills sy.Index, a new and empty index, with every partition of m.
// Unlike Sync it batches records across partitions (search.Loader), which
// is what makes a full rebuild fast; it is meant for a generation nobody
// searches yet.
func (sy *Syncer) Build(ctx context.Context, m *publisher.Manifest) error {
	l, err := sy.Index.NewLoader()
	if err != nil {
		return fmt.Errorf("build index: %w", err)
	}
	start, logged := time.Now(), time.Now()
	var rows int64
	for i, p := range m.Partitions {
		err := sy.withPartition(ctx, p, func(sp search.Partition, recs iter.Seq2[dataset.Record, error]) error {
			return l.Add(ctx, sp, recs)
		})
		if err != nil {
			return fmt.Errorf("build index: %w", err)
		}
		rows += p.Rows
		if time.Since(logged) >= progressEvery {
			sy.Log.Info("building index", "release", m.ID, "progress", fmt.Sprintf("%d/%d", i+1, len(m.Partitions)), "rows", rows)
			logged = time.Now()
		}
	}
	if err := l.Finish(ctx); err != nil {
		return fmt.Errorf("build index: %w", err)
	}
	sy.Log.Info("index built", "release", m.ID, "partitions", len(m.Partitions), "rows", rows, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// Rebuild builds a new generation of the index in dir from release m (nil
// when nothing is published: an empty index), makes it the current one and
// removes the older generations no process has open. sy gives the store,
// logger and temporary directory; its Index is not used.
// It returns the generation's name. A failed build removes its generation
// and leaves the current one as it was.
func Rebuild(ctx context.Context, sy Syncer, dir search.Dir, m *publisher.Manifest) (string, error) {
	if m == nil {
		m = &publisher.Manifest{}
	}
	gen, err := dir.NewGeneration()
	if err != nil {
		return "", fmt.Errorf("rebuild index: %w", err)
	}
	sy.Log.Info("rebuilding index", "generation", dir.Path(gen), "release", m.ID, "partitions", len(m.Partitions))
	err = buildGeneration(ctx, sy, dir, gen, m)
	if err == nil {
		err = dir.SetCurrent(gen)
	}
	if err != nil {
		if rerr := dir.Remove(gen); rerr != nil {
			sy.Log.Warn("remove failed index generation", "generation", gen, "err", rerr)
		}
		return "", fmt.Errorf("rebuild index: %w", err)
	}
	removeOld(dir, gen, sy.Log)
	return gen, nil
}

func buildGeneration(ctx context.Context, sy Syncer, dir search.Dir, gen string, m *publisher.Manifest) error {
	ix, err := search.Open(search.Config{Path: dir.Path(gen)})
	if err != nil {
		return err
	}
	sy.Index = ix
	err = sy.Build(ctx, m)
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	return err
}

// removeOld removes the generations before gen that no process has open,
// logging what it did: a generation left behind costs only disk space.
func removeOld(dir search.Dir, gen string, log *slog.Logger) {
	removed, err := dir.RemoveOld(gen)
	if len(removed) > 0 {
		log.Info("removed old index generations", "index", string(dir), "removed", removed)
	}
	if err != nil {
		log.Warn("remove old index generations", "index", string(dir), "err", err)
	}
}

// Follower keeps the index a server searches equal to the live release. It
// searches the generation CURRENT names in Dir, switches to a newer one
// when reindex has made it, makes a new one when there is none it can open
// (downloading the newest index snapshot on the store, or else building
// from the release), and syncs its generation with each new release.
type Follower struct {
	Store     store.Store
	Publisher *publisher.Publisher
	Dir       search.Dir
	Log       *slog.Logger
	TempDir   string
	// Followed, when set, is told after each of Run's steps, failed ones
	// included, the live release's id and the id of the release the index
	// is in sync with ("" for none, or not known while a new generation
	// is synced); a server reports the index's lag with it.
	Followed func(live, indexed string)

	live *search.Live
	// gen is the generation live searches; "" while it searches an empty
	// stand-in because there is no usable generation.
	gen string
	// release is the release gen was last synced with.
	release string
	// wake cuts Run's wait short (Wake).
	wake chan struct{}
}

// Open opens the current generation and returns the Live the server
// searches. When no generation can be opened, Live searches an empty index
// until Run has built one; only another process holding the index open
// (search.ErrLocked) is an error.
func (f *Follower) Open() (*search.Live, error) {
	ix, gen, err := f.openCurrent(10 * time.Second)
	if errors.Is(err, search.ErrLocked) {
		return nil, err
	}
	if err != nil {
		// Run logs why, when it starts building.
		f.Log.Info("searching an empty index until the search index is built", "index", string(f.Dir))
		if ix, err = search.Empty(); err != nil {
			return nil, err
		}
		gen = ""
	}
	f.live, f.gen = search.NewLive(ix), gen
	f.wake = make(chan struct{}, 1)
	return f.live, nil
}

// openCurrent opens the generation CURRENT names. It returns that name
// also when the generation does not open, and "" when there is none.
func (f *Follower) openCurrent(wait time.Duration) (*search.Index, string, error) {
	gen, err := f.Dir.Current()
	if err != nil {
		return nil, "", err
	}
	ix, err := f.Dir.Open(gen, search.Config{LockTimeout: wait})
	return ix, gen, err
}

// Run follows CURRENT and the live release now and then every interval
// until ctx ends. Failures are logged and retried at the next tick; ready
// is called once the index is a generation in sync with the live release
// (or nothing is published). Call Open first.
func (f *Follower) Run(ctx context.Context, interval time.Duration, ready func()) {
	for {
		err := f.step(ctx)
		switch {
		case err == nil:
			ready()
		case ctx.Err() == nil:
			f.Log.Error("follow live release", "err", err)
		}
		f.report(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		case <-f.wake:
		}
	}
}

// Wake makes Run look for a new release now rather than at its next tick:
// a server that has just published one makes it searchable at once.
// Wakes while Run is busy collapse into one. Call Open first.
func (f *Follower) Wake() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// report tells Followed how far the index is behind. It reads the live
// release again rather than keep what step read: a step that failed
// before reading it (a rebuild, a locked index) is when the lag matters.
func (f *Follower) report(ctx context.Context) {
	if f.Followed == nil || ctx.Err() != nil {
		return
	}
	live, _, err := f.Publisher.CurrentID(ctx)
	if err != nil && !errors.Is(err, dataset.ErrNotFound) {
		return // the store is unreachable: the last report stands
	}
	f.Followed(live, f.release)
}

func (f *Follower) step(ctx context.Context) error {
	if err := f.followGeneration(ctx); err != nil {
		return err
	}
	return f.syncRelease(ctx)
}

// followGeneration makes live search the generation CURRENT names, building
// a new one when there is none that opens.
func (f *Follower) followGeneration(ctx context.Context) error {
	if cur, err := f.Dir.Current(); err == nil && cur == f.gen {
		return nil
	}
	ix, gen, err := f.openCurrent(time.Second)
	if errors.Is(err, search.ErrLocked) {
		return err // another process (run syncing it) has it; the next tick retries
	}
	if err != nil {
		// With no CURRENT at all, this is simply a first start.
		if gen != "" || !errors.Is(err, dataset.ErrNotFound) {
			f.Log.Warn("search index unusable; making a new one", "index", string(f.Dir), "err", err)
		}
		if ix, gen, err = f.provide(ctx); err != nil {
			return err
		}
	}
	if err := f.live.Swap(ix); err != nil {
		f.Log.Warn("close previous index generation", "err", err)
	}
	f.gen, f.release = gen, ""
	f.Log.Info("searching index generation", "generation", f.Dir.Path(gen))
	removeOld(f.Dir, gen, f.Log)
	return nil
}

// provide makes a new generation for the live release, restored from a
// snapshot or built, and opens it; syncRelease catches it up.
func (f *Follower) provide(ctx context.Context) (*search.Index, string, error) {
	m, err := f.Publisher.Current(ctx)
	if errors.Is(err, dataset.ErrNotFound) {
		m, err = nil, nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("rebuild index: %w", err)
	}
	gen, err := Provide(ctx, Syncer{Store: f.Store, Log: f.Log, TempDir: f.TempDir}, f.Dir, m)
	if err != nil {
		return nil, "", err
	}
	ix, err := f.Dir.Open(gen, search.Config{LockTimeout: time.Second})
	if err != nil {
		return nil, "", err
	}
	return ix, gen, nil
}

// syncRelease syncs the generation live searches with the live release
// when that changed since the last sync.
func (f *Follower) syncRelease(ctx context.Context) error {
	id, _, err := f.Publisher.CurrentID(ctx)
	if errors.Is(err, dataset.ErrNotFound) || err == nil && id == f.release {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read live release: %w", err)
	}
	m, err := f.Publisher.Release(ctx, id)
	if err != nil {
		return fmt.Errorf("sync index: %w", err)
	}
	ix, release := f.live.Current()
	defer release()
	sy := &Syncer{Store: f.Store, Index: ix, Log: f.Log, TempDir: f.TempDir}
	if err := sy.Sync(ctx, m); err != nil {
		return fmt.Errorf("sync index with release %s: %w", id, err)
	}
	f.release = id
	return nil
}

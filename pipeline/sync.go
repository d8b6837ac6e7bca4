package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// Syncer keeps a search index equal to the live release: partitions whose
// content changed are replaced, one batch each, and partitions no longer in
// the release are removed. Unchanged partitions are not touched.
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
	s, err := dataset.Lookup(p.Dataset)
	if err != nil {
		return fmt.Errorf("index %s: %w", p.Path, err)
	}
	f, size, err := sy.download(ctx, p.Path)
	if err != nil {
		return err
	}
	defer removeFile(f)
	sp := search.Partition{Dataset: p.Dataset, Region: p.Region, Year: p.Year, SHA256: p.SHA256}
	if err := sy.Index.Replace(ctx, sp, ReadPartition(f, size, s)); err != nil {
		return fmt.Errorf("index %s: %w", p.Path, err)
	}
	return nil
}

// download copies an object to a temporary file: Parquet readers seek
// around the file, which is cheap on disk and costly as ranged S3 reads.
func (sy *Syncer) download(ctx context.Context, key string) (*os.File, int64, error) {
	rc, _, err := sy.Store.Get(ctx, key)
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", key, err)
	}
	defer rc.Close()
	f, err := os.CreateTemp(sy.TempDir, "terbuka-index-*.parquet")
	if err != nil {
		return nil, 0, fmt.Errorf("download %s: %w", key, err)
	}
	n, err := io.Copy(f, rc)
	if err != nil {
		removeFile(f)
		return nil, 0, fmt.Errorf("download %s: %w", key, err)
	}
	return f, n, nil
}

// Follow syncs the index with the live release now and then every
// interval until ctx ends. Failures are logged and retried at the next tick;
// ready is called after the first successful sync (or when nothing is
// published yet).
func (sy *Syncer) Follow(ctx context.Context, pub *publisher.Publisher, interval time.Duration, ready func()) {
	last := ""
	for {
		id, _, err := pub.CurrentID(ctx)
		switch {
		case errors.Is(err, dataset.ErrNotFound):
			ready()
		case err != nil:
			sy.Log.Warn("read live release", "err", err)
		case id != last:
			if err := sy.syncID(ctx, pub, id); err != nil {
				sy.Log.Error("sync index", "release", id, "err", err)
			} else {
				last = id
				ready()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

func (sy *Syncer) syncID(ctx context.Context, pub *publisher.Publisher, id string) error {
	m, err := pub.Release(ctx, id)
	if err != nil {
		return err
	}
	return sy.Sync(ctx, m)
}

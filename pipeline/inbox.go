package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/terbuka/terbuka/publisher"
)

// Inbox takes feeds that regions deliver by file transfer: files named
// {dataset}_{region}_{year}.{csv,xlsx,json} dropped in Dir. Each scan
// publishes the complete files found in one release, then moves every file
// it took to Dir/processed/ (or Dir/rejected/, or Dir/unnamed/ when its name
// says nothing), so no file is processed twice; a file that is moved back
// is the same feed and changes nothing.
type Inbox struct {
	Dir       string
	Ingester  *Ingester
	Publisher *publisher.Publisher
	// Settle is how long a file must stay unchanged before it is taken, so
	// a file still being written is left for the next scan (default 2 s).
	Settle time.Duration
	Now    func() time.Time
}

// Subdirectories of an inbox.
const (
	inboxProcessed = "processed"
	inboxRejected  = "rejected"
	inboxUnnamed   = "unnamed"
)

// Scan processes the settled files in the inbox once; out is nil when
// there were none.
func (b *Inbox) Scan(ctx context.Context, progress func(done int, rep *Report)) (*Outcome, error) {
	entries, err := os.ReadDir(b.Dir)
	if err != nil {
		return nil, fmt.Errorf("read inbox: %w", err)
	}
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	settle := cmpOrDuration(b.Settle, 2*time.Second)
	var feeds []FeedFile
	for _, e := range entries {
		if !e.Type().IsRegular() || e.Name()[0] == '.' {
			continue
		}
		info, err := e.Info()
		if err != nil || now().Sub(info.ModTime()) < settle {
			continue
		}
		path := filepath.Join(b.Dir, e.Name())
		meta, err := MetaFromName(path)
		if err != nil {
			b.Ingester.Log.Warn("inbox: file name says nothing of its feed; moved aside", "file", e.Name(), "err", err)
			if err := moveInto(path, filepath.Join(b.Dir, inboxUnnamed)); err != nil {
				return nil, err
			}
			continue
		}
		meta.Source = "inbox"
		feeds = append(feeds, FeedFile{Path: path, Meta: meta})
	}
	if len(feeds) == 0 {
		return nil, nil
	}
	slices.SortFunc(feeds, func(a, b FeedFile) int { return strings.Compare(a.Path, b.Path) })
	out, err := b.Ingester.Run(ctx, b.Publisher, feeds, progress)
	if err != nil {
		return nil, err
	}
	for i, rep := range out.Reports {
		dest := inboxProcessed
		if !rep.OK() {
			dest = inboxRejected
		}
		if err := moveInto(feeds[i].Path, filepath.Join(b.Dir, dest)); err != nil {
			return out, err
		}
	}
	return out, nil
}

// Watch scans the inbox every poll until ctx ends, logging what each scan
// did; a failed scan is logged and retried at the next.
func (b *Inbox) Watch(ctx context.Context, poll time.Duration, done func(*Outcome)) error {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		out, err := b.Scan(ctx, nil)
		switch {
		case errors.Is(err, context.Canceled):
			return nil
		case err != nil:
			b.Ingester.Log.Error("inbox scan failed", "dir", b.Dir, "err", err)
		case out != nil && done != nil:
			done(out)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// moveInto moves a file into dir, keeping its name; a file already there
// with that name is replaced (the same name is the same partition, and the
// feed reports keep every version).
func moveInto(path, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	if err := os.Rename(path, filepath.Join(dir, filepath.Base(path))); err != nil {
		return fmt.Errorf("inbox: move %s: %w", filepath.Base(path), err)
	}
	return nil
}

func cmpOrDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}


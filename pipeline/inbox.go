package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
)

// Inbox takes feeds that regions deliver by file transfer: files named
// {dataset}_{region}_{year}.{csv,xlsx,json} dropped in a local directory
// (Dir) or under a prefix of the store (Prefix, e.g. "inbox/", for an S3
// bucket regions upload to). Each scan publishes the settled files found
// in one release, then moves every file it took to processed/ (or
// rejected/, or unnamed/ when its name says nothing) beside them, so no
// file is processed twice; a file that is dropped again is the same feed
// and changes nothing.
type Inbox struct {
	Dir    string
	Prefix string
	// Ingester.Store holds the prefix, and takes the feeds.
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

// inboxFile is a file found in an inbox.
type inboxFile struct {
	name     string
	modified time.Time
}

// Scan processes the settled files in the inbox once; out is nil when
// there were none.
func (b *Inbox) Scan(ctx context.Context, progress func(done int, rep *intake.Report)) (*Outcome, error) {
	if b.Dir == "" && !strings.HasSuffix(b.Prefix, "/") {
		b.Prefix += "/"
	}
	files, err := b.list(ctx)
	if err != nil {
		return nil, fmt.Errorf("read inbox: %w", err)
	}
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	settle := b.Settle
	if settle <= 0 {
		settle = 2 * time.Second
	}
	var feeds []FeedFile
	var names []string
	defer func() {
		if b.Dir == "" {
			for _, f := range feeds {
				os.Remove(f.Path)
			}
		}
	}()
	for _, f := range files {
		if now().Sub(f.modified) < settle {
			continue
		}
		meta, err := MetaFromName(f.name)
		if err != nil {
			b.Ingester.Log.Warn("inbox: file name says nothing of its feed; moved aside", "file", f.name, "err", err)
			if err := b.move(ctx, f.name, inboxUnnamed, ""); err != nil {
				return nil, err
			}
			continue
		}
		local, err := b.fetch(ctx, f.name)
		if err != nil {
			return nil, err
		}
		meta.Source = "inbox"
		feeds = append(feeds, FeedFile{Path: local, Meta: meta})
		names = append(names, f.name)
	}
	if len(feeds) == 0 {
		return nil, nil
	}
	out, err := b.Ingester.Run(ctx, b.Publisher, feeds, progress)
	if err != nil {
		return nil, err
	}
	for i, rep := range out.Reports {
		dest := inboxProcessed
		if !rep.OK() {
			dest = inboxRejected
		}
		if err := b.move(ctx, names[i], dest, feeds[i].Path); err != nil {
			return out, err
		}
	}
	return out, nil
}

// list returns the files directly in the inbox, by name.
func (b *Inbox) list(ctx context.Context) ([]inboxFile, error) {
	var out []inboxFile
	if b.Dir != "" {
		entries, err := os.ReadDir(b.Dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			info, err := e.Info()
			if err != nil || !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			out = append(out, inboxFile{e.Name(), info.ModTime()})
		}
		return out, nil
	}
	err := b.Ingester.Store.List(ctx, b.Prefix, func(o store.Object) error {
		name := strings.TrimPrefix(o.Key, b.Prefix)
		if !strings.Contains(name, "/") {
			out = append(out, inboxFile{name, o.Modified})
		}
		return nil
	})
	slices.SortFunc(out, func(a, b inboxFile) int { return strings.Compare(a.name, b.name) })
	return out, err
}

// fetch returns a local path of the named file: the file itself in a
// directory, a temporary copy of a stored object.
func (b *Inbox) fetch(ctx context.Context, name string) (string, error) {
	if b.Dir != "" {
		return filepath.Join(b.Dir, name), nil
	}
	f, err := store.Fetch(ctx, b.Ingester.Store, b.Prefix+name, b.Ingester.TempDir)
	if err != nil {
		return "", fmt.Errorf("inbox: fetch %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("inbox: fetch %s: %w", name, err)
	}
	return f.Name(), nil
}

// move moves the named file into sub, keeping its name; a file already
// there with that name is replaced (the same name is the same partition,
// and the feed reports keep every version). local, when set, is a copy of
// the file to upload instead of fetching it again.
func (b *Inbox) move(ctx context.Context, name, sub, local string) error {
	if b.Dir != "" {
		dir := filepath.Join(b.Dir, sub)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("inbox: %w", err)
		}
		if err := os.Rename(filepath.Join(b.Dir, name), filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("inbox: move %s: %w", name, err)
		}
		return nil
	}
	if local == "" {
		var err error
		if local, err = b.fetch(ctx, name); err != nil {
			return err
		}
		defer os.Remove(local)
	}
	if _, err := b.Ingester.Store.PutFile(ctx, path.Join(strings.TrimSuffix(b.Prefix, "/"), sub, name), local, store.PutOptions{}); err != nil {
		return fmt.Errorf("inbox: move %s: %w", name, err)
	}
	if err := b.Ingester.Store.Delete(ctx, b.Prefix+name); err != nil {
		return fmt.Errorf("inbox: move %s: %w", name, err)
	}
	return nil
}

// Watch scans the inbox every poll until ctx ends; a failed scan is logged
// and retried at the next.
func (b *Inbox) Watch(ctx context.Context, poll time.Duration, done func(*Outcome)) error {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		out, err := b.Scan(ctx, nil)
		switch {
		case errors.Is(err, context.Canceled):
			return nil
		case err != nil:
			b.Ingester.Log.Error("inbox scan failed", "inbox", b.where(), "err", err)
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

func (b *Inbox) where() string {
	if b.Dir != "" {
		return b.Dir
	}
	return b.Ingester.Store.String() + "/" + b.Prefix
}

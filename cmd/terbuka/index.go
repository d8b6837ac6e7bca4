package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
)

// cmdIndex makes the search index of a release (the live one by default)
// and stores it on the store beside the release, where servers starting on
// an empty disk download it. The local index in --index is brought to the
// release first: synced when it is there, else restored from the newest
// snapshot or built.
func cmdIndex(ctx context.Context, args []string) error {
	fs := newFlagSet("index")
	var sf storageFlags
	sf.register(fs, "./data")
	release := fs.String("release", "", "index this release instead of the live one")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "terbuka index: takes no arguments, only flags")
		return exitError{2}
	}
	st, indexDir, log, err := sf.open(ctx)
	if err != nil {
		return err
	}
	work, done, err := sf.workDir(log)
	if err != nil {
		return err
	}
	defer done()
	pub := publisher.New(st, log)
	var m *publisher.Manifest
	if *release == "" {
		m, err = pub.Current(ctx)
	} else {
		m, err = pub.Release(ctx, *release)
	}
	if err != nil {
		return err
	}
	start := time.Now()
	ix, err := indexer.OpenSynced(ctx, indexer.Syncer{Store: st, Log: log, TempDir: work}, search.Dir(indexDir), m)
	if errors.Is(err, search.ErrLocked) {
		return fmt.Errorf("the index in %s is in use by a running server; give terbuka index a directory of its own with --index", indexDir)
	}
	if err != nil {
		return err
	}
	defer ix.Close()
	saved, err := saveSnapshot(ctx, st, ix, m, work, log)
	if err != nil {
		return err
	}
	fmt.Printf("index of release %s stored as %s: %d files, %.1f MB, of which %d pieces, %.1f MB, uploaded; in %s\n",
		m.ID, indexer.SnapshotKey(m.ID), len(saved.Snapshot.Files), float64(saved.Snapshot.Bytes())/1e6,
		saved.Uploaded, float64(saved.UploadedBytes)/1e6, time.Since(start).Round(time.Millisecond))
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
)

// cmdReindex rebuilds the search index from the live release's Parquet
// files into a new generation and makes it current. A running server keeps
// answering from its generation and switches at its next poll.
func cmdReindex(ctx context.Context, args []string) error {
	fs := newFlagSet("reindex")
	var sf storageFlags
	sf.register(fs, "./data")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "terbuka reindex: takes no arguments, only flags")
		return exitError{2}
	}
	st, indexDir, log, err := sf.open(ctx)
	if err != nil {
		return err
	}
	m, err := publisher.New(st, log).Current(ctx)
	if errors.Is(err, dataset.ErrNotFound) {
		log.Info("nothing is published yet; the new index is empty")
		m, err = nil, nil
	}
	if err != nil {
		return err
	}
	start := time.Now()
	dir := search.Dir(indexDir)
	gen, err := indexer.Rebuild(ctx, indexer.Syncer{Store: st, Log: log}, dir, m)
	if err != nil {
		return err
	}
	printRebuilt(dir.Path(gen), m, time.Since(start))
	return nil
}

func printRebuilt(path string, m *publisher.Manifest, took time.Duration) {
	if m == nil {
		fmt.Printf("built an empty index at %s in %s\n", path, took.Round(time.Millisecond))
		return
	}
	var rows int64
	for _, p := range m.Partitions {
		rows += p.Rows
	}
	fmt.Printf("indexed release %s (%d partitions, %d rows) at %s in %s\n", m.ID, len(m.Partitions), rows, path, took.Round(time.Millisecond))
}

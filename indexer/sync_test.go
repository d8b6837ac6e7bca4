package indexer

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/search/searchtest"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

var quiet = slog.New(slog.DiscardHandler)

// publishDemo publishes a small set of demo feeds and returns the store,
// its publisher and the live release.
func publishDemo(t *testing.T) (store.Store, *publisher.Publisher, *publisher.Manifest) {
	t.Helper()
	st := storetest.Dir(t)
	pub, m := publishFeeds(t, st, demo.Options{Regions: 2, Years: []int{2024}, Seed: 3, Scale: 0.2})
	return st, pub, m
}

// publishFeeds generates demo feeds with opts, publishes them on st and
// returns the publisher and the new live release.
func publishFeeds(t *testing.T, st store.Store, opts demo.Options) (*publisher.Publisher, *publisher.Manifest) {
	t.Helper()
	feeds, err := demo.Generate(t.Context(), t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	pub := publisher.New(st, quiet)
	in := &pipeline.Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet}
	var files []pipeline.FeedFile
	for _, f := range feeds {
		files = append(files, pipeline.FeedFile{Path: f.Path, Meta: intake.Meta{Dataset: f.Dataset, Region: f.Region, Year: f.Year}})
	}
	out, err := in.Run(t.Context(), pub, files, nil)
	if err != nil || !out.Published {
		t.Fatalf("publish demo feeds: %v", err)
	}
	return pub, out.Release
}

// checkGeneration opens the current generation of dir and checks that it
// holds exactly release m.
func checkGeneration(t *testing.T, st store.Store, dir search.Dir, m *publisher.Manifest) {
	t.Helper()
	gen, err := dir.Current()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := dir.Open(gen, search.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	checkIndex(t, st, ix, m)
}

// checkIndex checks that ix holds exactly release m.
// partitionDocuments reads a published partition and counts the search
// documents its records make.
func partitionDocuments(t *testing.T, st store.Store, p publisher.Partition) int64 {
	t.Helper()
	s, err := dataset.Lookup(p.Dataset)
	if err != nil {
		t.Fatal(err)
	}
	n, err := searchtest.Documents(s, partition.Read(store.ReaderAt(t.Context(), st, p.Path), p.Bytes, s))
	if err != nil {
		t.Fatalf("read %s: %v", p.Path, err)
	}
	return n
}

func checkIndex(t *testing.T, st store.Store, ix *search.Index, m *publisher.Manifest) {
	t.Helper()
	var docs int64
	want := map[string]string{}
	for _, p := range m.Partitions {
		docs += partitionDocuments(t, st, p)
		want[p.Key()] = p.SHA256
	}
	if n, err := ix.DocCount(); err != nil || int64(n) != docs {
		t.Errorf("index has %d documents (%v), the release's records make %d (a budget line at several stages is one)", n, err, docs)
	}
	got, err := ix.Indexed()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("indexed partitions (-got +want):\n%s", diff)
	}
}

func TestRebuild(t *testing.T) {
	st, _, m := publishDemo(t)
	dir := search.Dir(filepath.Join(t.TempDir(), "index"))
	for i, want := range []string{"gen-000001", "gen-000002"} {
		gen, err := Rebuild(t.Context(), Syncer{Store: st, Log: quiet}, dir, m)
		if err != nil || gen != want {
			t.Fatalf("rebuild %d = %q, %v; want %s", i+1, gen, err, want)
		}
		checkGeneration(t, st, dir, m)
	}
	if _, err := os.Stat(dir.Path("gen-000001")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the replaced generation is still there (%v)", err)
	}
}

func TestRebuildFailureKeepsCurrent(t *testing.T) {
	st, _, m := publishDemo(t)
	dir := search.Dir(filepath.Join(t.TempDir(), "index"))
	if _, err := Rebuild(t.Context(), Syncer{Store: st, Log: quiet}, dir, m); err != nil {
		t.Fatal(err)
	}
	broken := *m
	broken.Partitions = append([]publisher.Partition{{Dataset: "budget", Region: "32.73", Year: 2024, Path: "data/missing.parquet", SHA256: "x"}}, m.Partitions...)
	if _, err := Rebuild(t.Context(), Syncer{Store: st, Log: quiet}, dir, &broken); !errors.Is(err, dataset.ErrNotFound) {
		t.Fatalf("rebuild with a missing partition file = %v, want ErrNotFound", err)
	}
	if gen, err := dir.Current(); err != nil || gen != "gen-000001" {
		t.Errorf("after a failed rebuild, CURRENT = %q, %v; want gen-000001", gen, err)
	}
	if _, err := os.Stat(dir.Path("gen-000002")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the failed generation is still there (%v)", err)
	}
}

// follow opens f and runs it until the test ends; it returns a channel
// closed at the first ready, and the Live f serves.
func follow(t *testing.T, f *Follower) (ready <-chan struct{}, live *search.Live) {
	t.Helper()
	live, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	r := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { f.Run(ctx, 10*time.Millisecond, sync.OnceFunc(func() { close(r) })) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		live.Close()
	})
	return r, live
}

// eventually waits until cond holds, failing the test after a minute.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testfiles.Eventually(t, time.Minute, what, func() error {
		if cond() {
			return nil
		}
		return errors.New("not yet")
	})
}

func waitFor(t *testing.T, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(time.Minute):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// TestFollowerRebuildsBrokenIndex: a server starting on an unreadable
// index searches an empty one at once, builds a new generation from the
// live release, switches to it and only then is ready.
func TestFollowerRebuildsBrokenIndex(t *testing.T) {
	st, pub, m := publishDemo(t)
	dir := search.Dir(filepath.Join(t.TempDir(), "index"))
	if _, err := Rebuild(t.Context(), Syncer{Store: st, Log: quiet}, dir, m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir.Path("gen-000001"), "index_meta.json"), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	ready, live := follow(t, &Follower{Store: st, Publisher: pub, Dir: dir, Log: quiet})
	if n, err := live.DocCount(); err != nil || n != 0 {
		t.Errorf("before the rebuild: %d documents (%v), want an empty index", n, err)
	}
	waitFor(t, "the rebuilt index", ready)
	if gen, err := dir.Current(); err != nil || gen != "gen-000002" {
		t.Errorf("CURRENT = %q, %v; want gen-000002", gen, err)
	}
	ix, release := live.Current()
	defer release()
	checkIndex(t, st, ix, m)
}

// TestFollowerSwitchesGeneration: when reindex makes a new generation
// current, a running server switches to it and removes the old one.
func TestFollowerSwitchesGeneration(t *testing.T) {
	st, pub, m := publishDemo(t)
	dir := search.Dir(filepath.Join(t.TempDir(), "index"))
	if _, err := Rebuild(t.Context(), Syncer{Store: st, Log: quiet}, dir, m); err != nil {
		t.Fatal(err)
	}
	ready, live := follow(t, &Follower{Store: st, Publisher: pub, Dir: dir, Log: quiet})
	waitFor(t, "ready", ready)
	first, release := live.Current()
	release()
	if _, err := Rebuild(t.Context(), Syncer{Store: st, Log: quiet}, dir, m); err != nil {
		t.Fatal(err)
	}
	// The server has gen-000001 open, so the rebuild had to leave it.
	if _, err := os.Stat(dir.Path("gen-000001")); err != nil {
		t.Fatalf("rebuild removed the generation a server has open: %v", err)
	}
	eventually(t, "the server switches to gen-000002 and removes gen-000001", func() bool {
		_, err := os.Stat(dir.Path("gen-000001"))
		return errors.Is(err, os.ErrNotExist)
	})
	if ix, release := live.Current(); ix == first {
		release()
		t.Error("the server still searches the old generation")
	} else {
		release()
	}
}

// TestFollowerReportsLag: Followed is told the live release and the one
// the index is in sync with, also when a sync fails and the index stays
// behind.
func TestFollowerReportsLag(t *testing.T) {
	st, pub, m := publishDemo(t)
	dir := search.Dir(filepath.Join(t.TempDir(), "index"))
	if _, err := Rebuild(t.Context(), Syncer{Store: st, Log: quiet}, dir, m); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var last [2]string
	f := &Follower{Store: st, Publisher: pub, Dir: dir, Log: quiet, Followed: func(live, indexed string) {
		mu.Lock()
		defer mu.Unlock()
		last = [2]string{live, indexed}
	}}
	reported := func(want [2]string) func() bool {
		return func() bool {
			mu.Lock()
			defer mu.Unlock()
			return last == want
		}
	}
	ready, _ := follow(t, f)
	waitFor(t, "ready", ready)
	eventually(t, "release 000001 reported live and indexed", reported([2]string{m.ID, m.ID}))
	// A release whose partition is not in the store cannot be indexed.
	missing := publisher.Partition{Dataset: "budget", Region: "32.73", Year: 2030, SHA256: "0000ffff0000ffff0000ffff", Rows: 1,
		Path: publisher.DataPath("budget", "32.73", 2030, "0000ffff0000ffff0000ffff")}
	next, _, err := pub.Publish(t.Context(), publisher.Replacing(missing))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "release "+next.ID+" reported live, "+m.ID+" indexed", reported([2]string{next.ID, m.ID}))
}

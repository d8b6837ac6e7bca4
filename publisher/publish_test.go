package publisher

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/store"
)

func newPublisher(t *testing.T) (*Publisher, store.Store) {
	t.Helper()
	st, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return New(st, slog.New(slog.NewTextHandler(io.Discard, nil))), st
}

func part(ds, region string, year int, sha string) Partition {
	return Partition{Dataset: ds, Region: region, Year: year, SHA256: sha, Path: DataPath(ds, region, year, sha), Rows: 1}
}

func keysOf(m *Manifest) []string {
	var out []string
	for _, p := range m.Partitions {
		out = append(out, p.Key()+"@"+p.SHA256[:4])
	}
	return out
}

func TestPublishCarriesOverAndReplaces(t *testing.T) {
	pub, st := newPublisher(t)
	ctx := t.Context()
	if _, err := pub.Current(ctx); !errors.Is(err, dataset.ErrNotFound) {
		t.Fatalf("Current before any release: %v, want ErrNotFound", err)
	}
	m1, changed, err := pub.Publish(ctx, Replacing(part("budget", "32.73", 2024, "aaaa1111aaaa1111aaaa"), part("revenue", "32.73", 2024, "bbbb2222bbbb2222bbbb")))
	if err != nil || !changed || m1.ID != "000001" || m1.Parent != "" {
		t.Fatalf("first Publish = %+v, %v, %v", m1, changed, err)
	}
	m2, changed, err := pub.Publish(ctx, Replacing(part("budget", "32.73", 2024, "cccc3333cccc3333cccc")))
	if err != nil || !changed || m2.ID != "000002" || m2.Parent != "000001" {
		t.Fatalf("second Publish = %+v, %v, %v", m2, changed, err)
	}
	if diff := cmp.Diff(keysOf(m2), []string{"budget/32.73/2024@cccc", "revenue/32.73/2024@bbbb"}); diff != "" {
		t.Errorf("release 2 partitions (-got +want):\n%s", diff)
	}
	same, changed, err := pub.Publish(ctx, Replacing(part("budget", "32.73", 2024, "cccc3333cccc3333cccc")))
	if err != nil || changed || same.ID != "000002" {
		t.Errorf("publishing identical content = %s, %v, %v; want release 000002 unchanged", same.ID, changed, err)
	}
	cur, err := store.ReadAll(ctx, st, CurrentKey, 64)
	if err != nil || strings.TrimSpace(string(cur)) != "000002" {
		t.Errorf("releases/current = %q, %v; want 000002 as plain text", cur, err)
	}
	old, err := pub.Release(ctx, "000001")
	if err != nil || len(old.Partitions) != 2 || old.Partitions[0].SHA256 != "aaaa1111aaaa1111aaaa" {
		t.Errorf("release 000001 changed after a newer publish: %+v, %v", old, err)
	}
}

// TestPublishTimed: Timed is told of each publish that made a release
// live, and of no other.
func TestPublishTimed(t *testing.T) {
	pub, _ := newPublisher(t)
	var took []time.Duration
	pub.Timed = func(d time.Duration) { took = append(took, d) }
	for _, sha := range []string{"aaaa1111aaaa1111aaaa", "bbbb2222bbbb2222bbbb", "bbbb2222bbbb2222bbbb"} {
		if _, _, err := pub.Publish(t.Context(), Replacing(part("budget", "32.73", 2024, sha))); err != nil {
			t.Fatal(err)
		}
	}
	if len(took) != 2 || took[0] <= 0 || took[1] <= 0 {
		t.Errorf("Timed got %v; want two positive durations (the third publish changed nothing)", took)
	}
}

func TestPublishRacersLoseNoPartition(t *testing.T) {
	pub, _ := newPublisher(t)
	ctx := t.Context()
	const racers = 8
	var wg sync.WaitGroup
	errs := make(chan error, racers)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each racer has its own Publisher, as separate processes would.
			p := New(pub.store, pub.log)
			_, _, err := p.Publish(ctx, Replacing(part("budget", fmt.Sprintf("32.%02d", i+1), 2024, fmt.Sprintf("%04d%016d", i, i))))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("racer: %v", err)
		}
	}
	m, err := pub.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Partitions) != racers {
		t.Fatalf("live release %s has %d partitions, want all %d racers' partitions: %v", m.ID, len(m.Partitions), racers, keysOf(m))
	}
	// Walk the parent chain: every release builds on the one before.
	for r := m; r.Parent != ""; {
		parent, err := pub.Release(ctx, r.Parent)
		if err != nil {
			t.Fatal(err)
		}
		if len(parent.Partitions) >= len(r.Partitions) {
			t.Errorf("release %s (%d partitions) does not extend its parent %s (%d)", r.ID, len(r.Partitions), parent.ID, len(parent.Partitions))
		}
		r = parent
	}
}

func TestPublishRecognisesItsOwnLostWrites(t *testing.T) {
	pub, st := newPublisher(t)
	ctx := t.Context()
	if _, _, err := pub.Publish(ctx, Replacing(part("budget", "32.73", 2024, "aaaa1111aaaa1111aaaa"))); err != nil {
		t.Fatal(err)
	}
	// A publisher wrote manifest 000002 and moved current, but both answers
	// were lost; it retries from the state it last saw (current at 000001).
	change := Replacing(part("budget", "32.73", 2024, "dddd4444dddd4444dddd"))
	parent, etag, err := pub.live(ctx)
	if err != nil {
		t.Fatal(err)
	}
	parts, _ := apply(parent, change)
	m, err := pub.writeManifest(ctx, parent, parts)
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.moveCurrent(ctx, m.ID, etag); err != nil {
		t.Fatal(err)
	}
	again, err := pub.writeManifest(ctx, parent, parts)
	if err != nil || again.ID != m.ID {
		t.Fatalf("retrying the manifest write = %v, %v; want its own release %s recognised", again, err, m.ID)
	}
	if err := pub.moveCurrent(ctx, m.ID, etag); err != nil {
		t.Fatalf("retrying the pointer move with the stale ETag = %v; want it recognised as done", err)
	}
	// A crash left an orphan manifest 000003 that current never pointed to;
	// the next publish skips the number instead of failing.
	orphan := `{"id":"000003","parent":"000002","partitions":[]}`
	if _, err := st.Put(ctx, ManifestKey("000003"), strings.NewReader(orphan), int64(len(orphan)), store.PutOptions{IfAbsent: true}); err != nil {
		t.Fatal(err)
	}
	next, _, err := pub.Publish(ctx, Replacing(part("revenue", "32.73", 2024, "eeee5555eeee5555eeee")))
	if err != nil || next.ID != "000004" || next.Parent != "000002" {
		t.Fatalf("publish after an orphan = %+v, %v; want 000004 on top of 000002", next, err)
	}
}

package publisher

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/store"
)

// Size caps on what is read back from the store.
const (
	maxCurrentBytes  = 64
	maxManifestBytes = 256 << 20
)

// Publisher reads and writes releases in a store.
type Publisher struct {
	store store.Store
	log   *slog.Logger
	// Now, when set, is the clock releases are stamped with (tests pin
	// it); nil means the wall clock.
	Now func() time.Time
	// TempDir holds the files a changelog is built in; "" is the
	// system's.
	TempDir string
	// Timed, when set, is told how long each Publish that made a release
	// live took, rebases included; a server times publishing with it.
	Timed func(took time.Duration)
	// parents maps the ids of releases known to have been live to their
	// parents' (see history.go).
	parents sync.Map
}

// New returns a Publisher over st.
func New(st store.Store, log *slog.Logger) *Publisher {
	return &Publisher{store: st, log: log}
}

// now is the creation time of a release: UTC, whole seconds.
func (p *Publisher) now() time.Time {
	t := time.Now()
	if p.Now != nil {
		t = p.Now()
	}
	return t.UTC().Truncate(time.Second)
}

// CurrentID returns the live release id and the ETag of releases/current;
// an error wrapping dataset.ErrNotFound means nothing was published yet.
func (p *Publisher) CurrentID(ctx context.Context) (id, etag string, err error) {
	rc, obj, err := p.store.Get(ctx, CurrentKey)
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", CurrentKey, err)
	}
	defer rc.Close()
	// The pointer is a short id; a corrupt huge object must not be read whole.
	b, err := io.ReadAll(io.LimitReader(rc, maxCurrentBytes+1))
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", CurrentKey, err)
	}
	if len(b) > maxCurrentBytes {
		return "", "", fmt.Errorf("%s is larger than %d bytes: %w", CurrentKey, maxCurrentBytes, dataset.ErrInvalid)
	}
	return strings.TrimSpace(string(b)), obj.ETag, nil
}

// Current returns the live release's manifest.
func (p *Publisher) Current(ctx context.Context) (*Manifest, error) {
	id, _, err := p.CurrentID(ctx)
	if err != nil {
		return nil, err
	}
	return p.read(ctx, id)
}

// Release returns the manifest of release id, which must have been live:
// a manifest that lost the race to publish is not found.
func (p *Publisher) Release(ctx context.Context, id string) (*Manifest, error) {
	live, err := p.WasLive(ctx, id)
	if err != nil {
		return nil, err
	}
	if !live {
		return nil, fmt.Errorf("release %s was never live: %w", id, dataset.ErrNotFound)
	}
	return p.read(ctx, id)
}

// read returns the stored manifest of release id, live or not.
func (p *Publisher) read(ctx context.Context, id string) (*Manifest, error) {
	b, err := store.ReadAll(ctx, p.store, ManifestKey(id), maxManifestBytes)
	if err != nil {
		return nil, fmt.Errorf("read release %s: %w", id, err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode release %s: %w", id, err)
	}
	return &m, nil
}

// Publish makes a new release: the live one with changes replacing their
// partitions and everything else carried over. It writes the manifest, then
// moves releases/current with a conditional write. When another publisher
// moved current first, it rebases onto the new release and tries again; when
// a write's answer was lost and the retry is refused, it recognises its own
// manifest or pointer and carries on. If nothing changes it returns the live
// release and false.
//
// Changes that keep part of their slot are built again against the release
// that won (see Change), so two publishers on one store never lose each
// other's rows. The manifest of an attempt that lost the race is deleted:
// only releases that were live are listed and served.
func (p *Publisher) Publish(ctx context.Context, changes []Change) (*Manifest, bool, error) {
	changes = slices.Clone(changes)
	start := time.Now()
	flagged := map[flagInputs]Partition{}
	for range maxRebaseRuns {
		parent, etag, err := p.live(ctx)
		if err != nil {
			return nil, false, err
		}
		if err := rebase(ctx, parent, changes); err != nil {
			return nil, false, err
		}
		parts, _ := apply(parent, changes)
		if parts, err = p.withFlags(ctx, parent, parts, flagged); err != nil {
			return nil, false, err
		}
		// A feed sent again comes back from flagging as the partition
		// live: only what differs after flagging is a change.
		if parent != nil && slices.EqualFunc(parent.Partitions, parts, samePartition) || parent == nil && len(parts) == 0 {
			return parent, false, nil
		}
		m, err := p.writeManifest(ctx, parent, parts)
		if err != nil {
			return nil, false, err
		}
		switch err := p.moveCurrent(ctx, m.ID, etag); {
		case err == nil:
			p.remember(m.ID, m.Parent)
			p.log.Info("published release", "release", m.ID, "parent", m.Parent, "partitions", len(m.Partitions), "changed", len(changes))
			if p.Timed != nil {
				p.Timed(time.Since(start))
			}
			return m, true, nil
		case errors.Is(err, dataset.ErrConflict):
			p.log.Warn("current moved while publishing; rebasing", "release", m.ID)
			p.discard(ctx, m.ID)
		default:
			return nil, false, err
		}
	}
	return nil, false, fmt.Errorf("publish: gave up after %d concurrent releases: %w", maxRebaseRuns, dataset.ErrConflict)
}

// live returns the live manifest (nil before the first release) and the
// ETag of the pointer, "" when there is none.
func (p *Publisher) live(ctx context.Context) (*Manifest, string, error) {
	id, etag, err := p.CurrentID(ctx)
	if errors.Is(err, dataset.ErrNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	m, err := p.read(ctx, id)
	return m, etag, err
}

// writeManifest stores the next release's manifest under the first free
// number. A manifest already there is either ours (an earlier attempt whose
// answer was lost) and reused, or someone else's (a racer, or a crash before
// current moved) and skipped.
func (p *Publisher) writeManifest(ctx context.Context, parent *Manifest, parts []Partition) (*Manifest, error) {
	seq, err := parent.seq()
	if err != nil {
		return nil, err
	}
	m := &Manifest{Created: p.now(), Partitions: parts}
	if parent != nil {
		m.Parent = parent.ID
	}
	for n := seq + 1; n < seq+1+maxRebaseRuns; n++ {
		m.ID = fmt.Sprintf(releaseIDFmt, n)
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("encode release %s: %w", m.ID, err)
		}
		_, err = p.store.Put(ctx, ManifestKey(m.ID), bytes.NewReader(b), int64(len(b)), store.PutOptions{IfAbsent: true, ContentType: "application/json"})
		if err == nil {
			return m, nil
		}
		if !errors.Is(err, dataset.ErrConflict) {
			return nil, fmt.Errorf("write release %s: %w", m.ID, err)
		}
		if other, rerr := p.read(ctx, m.ID); rerr == nil && other.Parent == m.Parent && slices.EqualFunc(other.Partitions, parts, samePartition) {
			return other, nil
		}
	}
	return nil, fmt.Errorf("write release after %s: no free number: %w", m.Parent, dataset.ErrConflict)
}

func samePartition(a, b Partition) bool { return a.Key() == b.Key() && a.SHA256 == b.SHA256 }

// moveCurrent points releases/current at id if it still holds etag (or is
// still absent when etag is ""). A refusal whose cause is our own earlier
// write (current already says id) counts as success.
func (p *Publisher) moveCurrent(ctx context.Context, id, etag string) error {
	opts := store.PutOptions{IfMatch: etag, IfAbsent: etag == "", ContentType: "text/plain"}
	body := id + "\n"
	_, err := p.store.Put(ctx, CurrentKey, strings.NewReader(body), int64(len(body)), opts)
	if err == nil || !errors.Is(err, dataset.ErrConflict) {
		return err
	}
	if now, _, rerr := p.CurrentID(ctx); rerr == nil && now == id {
		return nil
	}
	return err
}

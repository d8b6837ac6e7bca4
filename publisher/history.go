package publisher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/store"
)

// The releases that were live form a chain: releases/current, its parent,
// the parent's parent, and so on. A manifest off the chain lost a race to
// publish, or its publisher crashed before moving current: it was never
// live, so it is neither listed nor served. Publishers that lose delete
// their manifest; Orphans finds what a crash left behind.

// WasLive reports whether release id is on the chain of live releases.
func (p *Publisher) WasLive(ctx context.Context, id string) (bool, error) {
	found := false
	err := p.walk(ctx, func(c string) bool {
		found = c == id
		return !found && c > id // ids are fixed-width and rise along the chain
	})
	return found, err
}

// ReleaseIDs returns the ids of every release that was live and is still
// stored, oldest first.
func (p *Publisher) ReleaseIDs(ctx context.Context) ([]string, error) {
	var ids []string
	err := p.walk(ctx, func(c string) bool {
		ids = append(ids, c)
		return true
	})
	slices.Reverse(ids)
	return ids, err
}

// Orphans returns the ids of stored manifests that were never live and
// never will be: below the live release and off its chain.
func (p *Publisher) Orphans(ctx context.Context) ([]string, error) {
	current, _, err := p.CurrentID(ctx)
	if errors.Is(err, dataset.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	chain, err := p.ReleaseIDs(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	err = p.store.List(ctx, releasesDir, func(o store.Object) error {
		id, ok := strings.CutSuffix(strings.TrimPrefix(o.Key, releasesDir), manifestExt)
		if ok && !strings.Contains(id, ".") && len(id) == len(current) && id < current && !slices.Contains(chain, id) {
			out = append(out, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list releases: %w", err)
	}
	return out, nil
}

// walk calls each for the live release and its ancestors, newest first,
// while each returns true and the chain goes on (a pruned parent ends it).
// Parents are remembered: a release's parent never changes.
func (p *Publisher) walk(ctx context.Context, each func(id string) bool) error {
	c, _, err := p.CurrentID(ctx)
	if errors.Is(err, dataset.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	for c != "" && each(c) {
		parent, ok := p.parents.Load(c)
		if !ok {
			head, err := p.head(ctx, c)
			if errors.Is(err, dataset.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			parent, _ = p.parents.LoadOrStore(c, head.Parent)
		}
		c = parent.(string)
	}
	return nil
}

// remember records that release id became live on top of parent.
func (p *Publisher) remember(id, parent string) { p.parents.Store(id, parent) }

// discard deletes the manifest of an attempt that lost the race to move
// current. A failure is only logged: Orphans finds it later.
func (p *Publisher) discard(ctx context.Context, id string) {
	if err := p.store.Delete(ctx, ManifestKey(id)); err != nil && !errors.Is(err, dataset.ErrNotFound) {
		p.log.Warn("manifest of a release that was never live not deleted", "release", id, "err", err)
	}
}

// manifestHead is the start of a manifest: enough to follow the chain.
type manifestHead struct {
	ID     string `json:"id"`
	Parent string `json:"parent"`
}

// head reads a manifest's id and parent without reading its partitions:
// they come first in the file.
func (p *Publisher) head(ctx context.Context, id string) (manifestHead, error) {
	rc, _, err := p.store.Get(ctx, ManifestKey(id))
	if err != nil {
		return manifestHead{}, fmt.Errorf("read release %s: %w", id, err)
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	var h manifestHead
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return h, fmt.Errorf("read release %s: not a JSON object: %w", id, dataset.ErrInvalid)
	}
	for h.ID == "" || h.Parent == "" {
		t, err := dec.Token()
		if err != nil || t == json.Delim('}') {
			break
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return h, fmt.Errorf("read release %s: %w", id, err)
		}
		switch t {
		case "id":
			h.ID, _ = v.(string)
		case "parent":
			h.Parent, _ = v.(string)
			if h.Parent == "" {
				h.Parent = "\x00" // read, and empty: the first release
			}
		}
	}
	if h.Parent == "\x00" {
		h.Parent = ""
	}
	return h, nil
}

// DeleteRelease removes what release id stored under releases/, its
// manifest last, so an interrupted deletion is finished by the next one.
// Retention calls it for old releases, and for orphans (see Orphans).
func (p *Publisher) DeleteRelease(ctx context.Context, id string) error {
	for _, key := range ReleaseKeys(id) {
		if err := p.store.Delete(ctx, key); err != nil && !errors.Is(err, dataset.ErrNotFound) {
			return fmt.Errorf("delete release %s: %w", id, err)
		}
	}
	return nil
}

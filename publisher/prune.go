package publisher

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/store"
)

// Retention says which releases stay downloadable. A release is kept when
// it is live, among the newest Releases, or younger than Age; zero in both
// keeps every release, the default, so citations never break.
type Retention struct {
	Releases int
	Age      time.Duration
}

// PruneGrace protects objects written recently: a feed being ingested has
// its partition and downloads stored before a release lists them.
const PruneGrace = time.Hour

// PruneResult says what Prune removed.
type PruneResult struct {
	Releases []string // ids of the releases removed
	Objects  int      // data and download objects removed
	Bytes    int64
}

// Prune removes the releases keep does not hold, then every partition and
// download file no remaining release lists. Manifests go first: a crash
// part way leaves only unlisted files, which the next Prune removes. The
// raw feeds and their reports are kept: they are the record of what each
// region sent.
func (p *Publisher) Prune(ctx context.Context, keep Retention, now time.Time) (*PruneResult, error) {
	res := &PruneResult{}
	if keep.Releases <= 0 && keep.Age <= 0 {
		return res, nil
	}
	current, _, err := p.CurrentID(ctx)
	if err != nil {
		return nil, fmt.Errorf("prune: %w", err)
	}
	ids, err := p.ReleaseIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("prune: %w", err)
	}
	for i, id := range ids {
		// A release newer than the live one may be being published.
		if id >= current || keep.Releases > 0 && i >= len(ids)-keep.Releases {
			continue
		}
		if keep.Age > 0 {
			m, err := p.Release(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("prune: %w", err)
			}
			if now.Sub(m.Created) < keep.Age {
				continue
			}
		}
		if err := p.DeleteRelease(ctx, id); err != nil {
			return nil, fmt.Errorf("prune: %w", err)
		}
		res.Releases = append(res.Releases, id)
		p.log.Info("release pruned", "release", id)
	}
	// Manifests that were never live (a publisher died between writing
	// one and losing the race) are no release of anyone's.
	orphans, err := p.Orphans(ctx)
	if err != nil {
		return nil, fmt.Errorf("prune: %w", err)
	}
	for _, id := range orphans {
		if err := p.DeleteRelease(ctx, id); err != nil {
			return nil, fmt.Errorf("prune: %w", err)
		}
		p.log.Info("manifest of a release that was never live removed", "release", id)
	}
	if err := p.sweep(ctx, now, res); err != nil {
		return nil, err
	}
	return res, nil
}

// sweep removes data and download objects no release lists.
func (p *Publisher) sweep(ctx context.Context, now time.Time, res *PruneResult) error {
	listed := map[string]bool{}
	var prefixes []string // per-partition downloads share their partition's prefix
	ids, err := p.ReleaseIDs(ctx)
	if err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	for _, id := range ids {
		m, err := p.Release(ctx, id)
		if errors.Is(err, dataset.ErrNotFound) {
			continue // pruned by another process meanwhile
		}
		if err != nil {
			return fmt.Errorf("prune: %w", err)
		}
		for _, part := range m.Partitions {
			listed[part.Path] = true
			prefixes = append(prefixes, downloadBase(part)+".")
		}
		for _, s := range dataset.All() {
			for _, ext := range []string{"parquet", "csv.gz"} {
				listed[DownloadDatasetPath(m, s.Name, ext)] = true
			}
		}
	}
	slices.Sort(prefixes)
	isListed := func(key string) bool {
		if listed[key] {
			return true
		}
		// The greatest prefix not after key is the only one it can have.
		i, found := slices.BinarySearch(prefixes, key)
		return found || i > 0 && strings.HasPrefix(key, prefixes[i-1])
	}
	var doomed []store.Object
	for _, dir := range []string{"data/", "downloads/"} {
		err := p.store.List(ctx, dir, func(o store.Object) error {
			if !isListed(o.Key) && now.Sub(o.Modified) > PruneGrace {
				doomed = append(doomed, o)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("prune: list %s: %w", dir, err)
		}
	}
	for _, o := range doomed {
		if err := p.store.Delete(ctx, o.Key); err != nil {
			return fmt.Errorf("prune %s: %w", o.Key, err)
		}
		res.Objects++
		res.Bytes += o.Size
	}
	return nil
}

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/publisher"
)

// feedName matches {dataset}_{region}_{year}.{csv,xlsx,json,ndjson}, e.g.
// budget_32.73_2024.csv or budget_accounts_32.73_2024.csv.
var feedName = regexp.MustCompile(`^([a-z]+(?:_[a-z]+)*)_([0-9]{2}(?:\.[0-9]{2})?)_([0-9]{4})\.(?:csv|tsv|txt|xlsx|json|ndjson)$`)

// MetaFromName reads dataset, region and year from a feed file's name.
func MetaFromName(file string) (intake.Meta, error) {
	m := feedName.FindStringSubmatch(filepath.Base(file))
	if m == nil {
		return intake.Meta{}, fmt.Errorf("feed file %s: name must be {dataset}_{region}_{year}.csv (or .xlsx, .json), e.g. budget_32.73_2024.csv, or give --dataset, --region and --year: %w", file, dataset.ErrInvalid)
	}
	year, _ := strconv.Atoi(m[3])
	return intake.Meta{Dataset: m[1], Region: m[2], Year: year, File: filepath.Base(file)}, nil
}

// FeedFile is a feed on local disk with what it claims to be.
type FeedFile struct {
	Path string
	Meta intake.Meta
	// spooled, when set, says Path is a spooled copy (spoolFile) with this
	// hash and size: it is read in place rather than copied again.
	spooled *spooled
}

// Outcome is the result of one run over several feeds.
type Outcome struct {
	Reports []*intake.Report
	// Release is the live release after the run (nil if none exists).
	Release *publisher.Manifest
	// Published says whether the run made a new release.
	Published bool
}

// Rejected returns the reports of feeds that had errors.
func (o *Outcome) Rejected() []*intake.Report {
	var out []*intake.Report
	for _, r := range o.Reports {
		if !r.OK() {
			out = append(out, r)
		}
	}
	return out
}

// Run ingests the feeds, publishes every valid one in a single new release
// and then records in each report whether it was published. Rejected feeds
// change nothing that is live, and checks (intake.Meta.DryRun) publish
// nothing whatever they hold. progress, when set, is called after each feed.
func (in *Ingester) Run(ctx context.Context, pub *publisher.Publisher, feeds []FeedFile, progress func(done int, rep *intake.Report)) (*Outcome, error) {
	out := &Outcome{}
	var batch *Batch
	var err error
	if out.Reports, batch, err = in.IngestFiles(ctx, feeds, progress); err != nil {
		return nil, err
	}
	defer batch.Close()
	live, err := pub.Current(ctx)
	if err != nil && !errors.Is(err, dataset.ErrNotFound) {
		return nil, err
	}
	if len(batch.Changes) > 0 {
		if out.Release, out.Published, err = pub.Publish(ctx, batch.Changes); err != nil {
			return nil, err
		}
	} else {
		out.Release = live
	}
	if out.Published && in.Published != nil {
		in.Published(out.Release)
	}
	if out.Release != nil && !onlyChecks(feeds) {
		// A release is live before its changelog and downloads exist: a
		// failure (or a crash) here leaves them to the next run or start-up,
		// which builds whatever is missing, also of a release made by a
		// publisher that died.
		if err := pub.Complete(ctx, out.Release); err != nil {
			in.Log.Error("changelog or downloads not built", "release", out.Release.ID, "err", err)
		}
	}
	return out, in.markPublished(ctx, out, live)
}

// onlyChecks reports whether every feed is a check (intake.Meta.DryRun): a
// run of checks changes nothing in the store but their reports, not even
// what Complete would repair.
func onlyChecks(feeds []FeedFile) bool {
	for _, f := range feeds {
		if !f.Meta.DryRun {
			return false
		}
	}
	return len(feeds) > 0
}

// Batch is the changes of a run's accepted feeds, in feed order, ready to
// publish. Close it after publishing: stage merges keep local files.
type Batch struct {
	Changes []publisher.Change
	open    []*accepted
}

// Close removes the batch's local files.
func (b *Batch) Close() {
	for _, a := range b.open {
		a.close()
	}
}

// IngestFiles ingests feeds, Workers of them at a time (default: one per
// core), and returns their reports in feed order with the changes of the
// accepted ones. Feeds of the same partition are ingested one after
// another, as Ingest requires. progress, when set, is called after each
// feed, from one goroutine at a time.
func (in *Ingester) IngestFiles(ctx context.Context, feeds []FeedFile, progress func(done int, rep *intake.Report)) ([]*intake.Report, *Batch, error) {
	// Read once: every feed is checked against the release live when the
	// run began, and the publisher rebases what it must.
	live, err := in.liveRelease(ctx)
	if err != nil {
		return nil, nil, err
	}
	reports := make([]*intake.Report, len(feeds))
	parts := make([]*accepted, len(feeds))
	var (
		mu      sync.Mutex // guards done, firstErr and progress
		done    int
		keys    = map[string]*sync.Mutex{}
		next    = make(chan int)
		g, gctx = errgroup.WithContext(ctx)
	)
	for _, f := range feeds {
		k := publisher.PartitionKey(f.Meta.Dataset, f.Meta.Region, f.Meta.Year)
		if keys[k] == nil {
			keys[k] = &sync.Mutex{}
		}
	}
	workers := in.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	for range min(workers, len(feeds)) {
		g.Go(func() error {
			for i := range next {
				f := feeds[i]
				key := keys[publisher.PartitionKey(f.Meta.Dataset, f.Meta.Region, f.Meta.Year)]
				key.Lock()
				rep, part, err := in.ingestFile(gctx, f, live)
				key.Unlock()
				if err != nil {
					return fmt.Errorf("ingest %s: %w", f.Path, err)
				}
				reports[i], parts[i] = rep, part
				mu.Lock()
				done++
				if progress != nil {
					progress(done, rep)
				}
				mu.Unlock()
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(next)
		for i := range feeds {
			select {
			case next <- i:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	err = g.Wait()
	batch := &Batch{}
	for _, a := range parts {
		if a != nil {
			batch.open = append(batch.open, a)
			batch.Changes = append(batch.Changes, a.change)
		}
	}
	if err != nil {
		batch.Close()
		return nil, nil, err
	}
	return reports, batch, nil
}

func (in *Ingester) ingestFile(ctx context.Context, f FeedFile, live *publisher.Manifest) (*intake.Report, *accepted, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, nil, fmt.Errorf("open feed: %w", err)
	}
	defer fh.Close()
	if f.spooled != nil {
		return in.ingestSpooled(ctx, fh, f.spooled.SHA256, f.spooled.Bytes, f.Meta, live)
	}
	return in.ingest(ctx, fh, f.Meta, live)
}

// markPublished updates the reports of accepted feeds with the release that
// carries them, or marks them unchanged when the live release already held
// the same content.
func (in *Ingester) markPublished(ctx context.Context, out *Outcome, before *publisher.Manifest) error {
	for _, rep := range out.Reports {
		if !rep.OK() || rep.Status == intake.StatusChecked || out.Release == nil {
			continue
		}
		key := publisher.PartitionKey(rep.Dataset, rep.Region, rep.Year)
		old, had := partitionOf(before, key)
		now, has := out.Release.Partition(key)
		same := had && has && old.SHA256 == now.SHA256
		switch {
		case rep.Withdrawn && !has && had && out.Published:
			rep.Status, rep.Release = intake.StatusPublished, out.Release.ID
		case rep.Withdrawn && !has, same && (old.Path == rep.Partition || slices.Contains(old.Feeds, rep.FeedID)):
			// Nothing was there to withdraw, or the content was live.
			rep.Status = intake.StatusUnchanged
			if before != nil {
				rep.Release = before.ID
			}
		case has && out.Published && slices.Contains(now.Feeds, rep.FeedID):
			// A stage merged again onto a newer release has another file.
			rep.Status, rep.Release, rep.Partition = intake.StatusPublished, out.Release.ID, now.Path
		}
		if err := in.SaveReport(ctx, rep); err != nil {
			return err
		}
	}
	return nil
}

func partitionOf(m *publisher.Manifest, key string) (publisher.Partition, bool) {
	if m == nil {
		return publisher.Partition{}, false
	}
	return m.Partition(key)
}

package pipeline

import (
	"context"
	"fmt"
	"os"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
)

// stageMerge makes the partition of a budget feed of one stage: the feed's
// rows with the rows of the other stages of whatever the slot holds. The
// feed's rows wait in a local file, sorted, until the release that carries
// them is published, since the publisher merges them again when another
// publisher changed the slot in the meantime.
type stageMerge struct {
	in   *Ingester
	meta intake.Meta
	rep  *intake.Report
	// rows is the local Parquet file of the feed's own rows.
	rows     string
	rowBytes int64
}

// build merges the feed's rows with base's other stages (base may be nil),
// stores the result and returns it with how many rows of the stage it
// replaces. With no rows left at all, the slot is withdrawn.
func (m *stageMerge) build(ctx context.Context, base *publisher.Partition) (publisher.Partition, int64, error) {
	s, err := dataset.Lookup(m.meta.Dataset)
	if err != nil {
		return publisher.Partition{}, 0, err
	}
	out, err := os.CreateTemp(m.in.TempDir, "terbuka-part-*.parquet")
	if err != nil {
		return publisher.Partition{}, 0, fmt.Errorf("create partition file: %w", err)
	}
	defer store.Discard(out)
	pw := partition.NewSortedWriter(out, s, m.in.TempDir)
	var replaced int64
	if base != nil {
		if replaced, err = m.in.keepOtherStages(ctx, m.meta, *base, pw); err != nil {
			return publisher.Partition{}, 0, err
		}
	}
	f, err := os.Open(m.rows)
	if err != nil {
		return publisher.Partition{}, 0, fmt.Errorf("read stage rows: %w", err)
	}
	defer f.Close()
	for r, err := range partition.Read(f, m.rowBytes, s) {
		if err != nil {
			return publisher.Partition{}, 0, fmt.Errorf("read stage rows: %w", err)
		}
		if err := pw.Write(r); err != nil {
			return publisher.Partition{}, 0, err
		}
	}
	if err := pw.Close(); err != nil {
		return publisher.Partition{}, 0, err
	}
	p, err := m.in.storePartition(ctx, m.meta, m.rep, out, pw.Rows())
	return p, replaced, err
}

// rebuild is build for the publisher's rebase.
func (m *stageMerge) rebuild(ctx context.Context, base *publisher.Partition) (publisher.Partition, error) {
	p, _, err := m.build(ctx, base)
	if err == nil {
		m.in.Log.Info("stage merged again onto a newer release", "dataset", m.meta.Dataset, "region", m.meta.Region, "year", m.meta.Year, "stage", m.meta.Stage, "rows", p.Rows)
	}
	return p, err
}

// keepOtherStages copies into pw the rows of live whose stage is not
// meta.Stage, and returns how many rows of meta.Stage it leaves out. With
// a nil pw it only counts them.
func (in *Ingester) keepOtherStages(ctx context.Context, meta intake.Meta, live publisher.Partition, pw *partition.SortedWriter) (replaced int64, err error) {
	s, _ := dataset.Lookup(meta.Dataset)
	stage := s.Index("stage")
	f, err := store.Fetch(ctx, in.Store, live.Path, in.TempDir)
	if err != nil {
		return 0, fmt.Errorf("read live partition %s: %w", live.Path, err)
	}
	defer store.Discard(f)
	for r, err := range partition.Read(f, live.Bytes, s) {
		if err != nil {
			return 0, fmt.Errorf("read live partition %s: %w", live.Path, err)
		}
		if r[stage].Str == meta.Stage {
			replaced++
			continue
		}
		if pw == nil {
			continue
		}
		if err := pw.Write(r); err != nil {
			return 0, err
		}
	}
	return replaced, nil
}

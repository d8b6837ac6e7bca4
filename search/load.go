package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"

	"github.com/terbuka/terbuka/dataset"
)

// loadBatchDocs is the default batch of a Loader. A rebuild reads many
// small partitions (a few hundred records each in the demo data), so
// batching across partitions, and applying two batches at once, is what
// makes it fast. Rebuilding the demo data (112,527 records on 2 cores),
// batches of 1,000 took 21 s at 0.54 GB peak RSS, 2,000 took 19 s at
// 0.93 GB, 5,000 took 20 s at 1.9 GB: up to three batches are in memory
// at once (two being applied, one being filled).
const loadBatchDocs = 2000

// loadWorkers is how many batches a Loader applies at once. Building a
// segment from a batch runs on one core; two at a time keep two cores busy
// while the next batch is read.
const loadWorkers = 2

// Loader fills a new, empty index with whole partitions, in batches of
// Config.BatchDocs documents that span partitions, applied in the
// background, several at once. Until Finish the index holds some of the
// records and an empty catalog, so a Loader is for an index nobody
// searches yet: a generation being built. Its methods are called from one
// goroutine, and not mixed with Replace or Remove.
type Loader struct {
	ix *Index
	b  *bleve.Batch
	// catalog is the partition catalog Finish records.
	catalog map[string]string
	// slots holds a token per batch being applied, at most loadWorkers.
	slots   chan struct{}
	applies sync.WaitGroup
	// failed is the first error of a background apply.
	failed atomic.Pointer[error]
}

// NewLoader returns a Loader for ix, which must hold no documents and no
// partitions: a Loader only adds, so on a filled index it would leave the
// records a partition no longer has.
func (ix *Index) NewLoader() (*Loader, error) {
	n, err := ix.DocCount()
	if err != nil {
		return nil, fmt.Errorf("new loader: %w", err)
	}
	c, err := ix.Indexed()
	if err != nil {
		return nil, fmt.Errorf("new loader: %w", err)
	}
	if n > 0 || len(c) > 0 {
		return nil, fmt.Errorf("new loader: index holds %d documents of %d partitions: %w", n, len(c), dataset.ErrInvalid)
	}
	return &Loader{ix: ix, b: ix.idx.NewBatch(), catalog: map[string]string{}, slots: make(chan struct{}, loadWorkers)}, nil
}

// Add adds the records of partition p, as Replace would. Records go into
// the index batch by batch, in the background, so some of p may be applied
// when Add returns and the rest only by a later Add or Finish. An error
// (also of an earlier batch) means the index is unfinished; no batch is
// being applied when Add returns one.
func (l *Loader) Add(ctx context.Context, p Partition, recs iter.Seq2[dataset.Record, error]) error {
	if err := l.add(ctx, p, recs); err != nil {
		l.applies.Wait()
		return fmt.Errorf("load partition %s: %w", p.Key(), err)
	}
	return nil
}

func (l *Loader) add(ctx context.Context, p Partition, recs iter.Seq2[dataset.Record, error]) error {
	s, err := dataset.Lookup(p.Dataset)
	if err != nil || p.Region == "" || p.Year == 0 || p.SHA256 == "" {
		return fmt.Errorf("need a known dataset, a region, a year and a sha256: %w", dataset.ErrInvalid)
	}
	props := l.ix.plan.props[s.Name]
	n := 0
	for d, err := range documents(s, props, p, recs) {
		if err != nil {
			return err
		}
		n++
		if n%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := l.b.Index(d.id, d.fields); err != nil {
			return fmt.Errorf("map record %s: %w", d.id, err)
		}
		if l.b.Size() >= l.ix.loadBatchDocs {
			if err := l.flush(ctx); err != nil {
				return err
			}
		}
	}
	l.catalog[p.Key()] = p.SHA256
	return errors.Join(ctx.Err(), l.err())
}

// flush hands the batch to a background apply, once one of the slots is
// free, and starts a new batch.
func (l *Loader) flush(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := l.err(); err != nil {
		<-l.slots
		return err
	}
	b := l.b
	l.b = l.ix.idx.NewBatch()
	l.applies.Go(func() {
		defer func() { <-l.slots }()
		if err := l.ix.apply(ctx, b); err != nil {
			l.failed.CompareAndSwap(nil, &err)
		}
	})
	return nil
}

// err returns the first error of a background apply.
func (l *Loader) err() error {
	if e := l.failed.Load(); e != nil {
		return *e
	}
	return nil
}

// Finish waits for the batches being applied, then applies the last one
// together with the catalog of every partition added, and merges the
// index's segments as Index.Compact does, without building the columns: a
// bulk build's process does not search, and whoever opens the index to
// search builds them (about 84 bytes a document, 490 MB at ten million
// records). Like every write, it returns once all of it is on disk.
func (l *Loader) Finish(ctx context.Context) error {
	l.applies.Wait()
	if err := l.err(); err != nil {
		return fmt.Errorf("finish load: %w", err)
	}
	data, err := json.Marshal(l.catalog)
	if err != nil {
		return fmt.Errorf("finish load: encode partition catalog: %w", err)
	}
	l.b.SetInternal(catalogKey, data)
	if err := l.ix.apply(ctx, l.b); err != nil {
		return fmt.Errorf("finish load: %w", err)
	}
	if err := forceMerge(ctx, l.ix.idx); err != nil {
		return fmt.Errorf("finish load: compact index: %w", err)
	}
	return nil
}

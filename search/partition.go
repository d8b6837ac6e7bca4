package search

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/terbuka/terbuka/dataset"
)

// Partition names a partition of the live release: one (dataset, region,
// year) and the sha256 of its Parquet file.
type Partition struct {
	Dataset string
	Region  string
	Year    int
	SHA256  string
	// Rows, when known, is how many records the partition holds: one
	// larger than a batch is written in half-size batches, two at a time.
	Rows int64
}

// Key returns the partition's identity without its content hash, as
// "budget/32.73/2024": a new file for the same partition has the same key.
func (p Partition) Key() string {
	return p.Dataset + "/" + p.Region + "/" + strconv.Itoa(p.Year)
}

// ctxCheckEvery is how many records Replace reads, or documents a search
// pass visits, between checks of ctx: a cancelled rebuild or a search past
// its deadline stops promptly without a check per record.
const ctxCheckEvery = 1024

// maxBatchDocs is the default bound on the documents one bleve batch holds. Bleve keeps
// every analysed document of a batch in memory until the batch is applied:
// measured at about 65 KB of peak RSS per procurement record (1.9 GB for
// 27,000 records, 7.2 GB for 109,000), so one batch per partition would let
// a single large feed exhaust the machine.
const maxBatchDocs = 5000

// Replace makes the index hold exactly recs for the partition (same
// dataset, region and year, whatever its sha256) and records p.SHA256.
//
// A partition of up to Config.BatchDocs records is replaced in one batch, so
// searches see the old partition or the new one, never a mix. A larger one
// (p.Rows says so) is written in batches of upserts (records keep their ids, so
// a changed record replaces its old version in place) and a final batch
// deletes the records that are gone and records the sha256: memory stays
// bounded, and while it runs searches may see some records already in
// their new version. Until the final batch the catalog keeps the old
// sha256, so an interrupted Replace is redone by the next sync.
//
// recs yields records in schema order, with derived fields and the id field
// filled; for a staged dataset it is read twice (documents). Each record must belong to p (its region and year); otherwise
// the error wraps dataset.ErrInvalid and, for a partition that fits one
// batch, nothing is written.
func (ix *Index) Replace(ctx context.Context, p Partition, recs iter.Seq2[dataset.Record, error]) error {
	key := p.Key()
	s, err := dataset.Lookup(p.Dataset)
	if err != nil || p.Region == "" || p.Year == 0 || p.SHA256 == "" {
		return fmt.Errorf("replace partition %s: need a known dataset, a region, a year and a sha256: %w", key, dataset.ErrInvalid)
	}
	ix.writes.Lock()
	defer ix.writes.Unlock()

	// A partition that fits one batch is swapped in that batch. A larger
	// one is written in half-size batches, two applied at a time: scorch
	// builds each batch's segment on one core, and the second batch keeps
	// the other busy. Memory stays that of one full batch.
	size, workers := ix.batchDocs, 1
	if p.Rows > int64(ix.batchDocs) {
		size, workers = max(ix.batchDocs/2, 1), 2
	}
	applying := newApplier(ctx, ix, workers)
	b := ix.idx.NewBatch()
	props := ix.plan.props[s.Name]
	kept := map[string]struct{}{}
	n := 0
	for d, err := range documents(s, props, p, recs) {
		if err != nil {
			applying.wait()
			return fmt.Errorf("replace partition %s: %w", key, err)
		}
		n++
		if n%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				applying.wait()
				return fmt.Errorf("replace partition %s: %w", key, err)
			}
		}
		if err := b.Index(d.id, d.fields); err != nil {
			applying.wait()
			return fmt.Errorf("replace partition %s: map record %s: %w", key, d.id, err)
		}
		kept[d.id] = struct{}{}
		if b.Size() >= size {
			if err := applying.apply(b); err != nil {
				return fmt.Errorf("replace partition %s: %w", key, err)
			}
			b = ix.idx.NewBatch()
		}
	}
	if err := applying.wait(); err != nil {
		return fmt.Errorf("replace partition %s: %w", key, err)
	}
	// The final batch deletes what the partition no longer has; records it
	// still has were (or are now) overwritten under the same id.
	err = ix.deletePartition(ctx, func(id string) {
		if _, ok := kept[id]; !ok {
			b.Delete(id)
		}
	}, key)
	if err != nil {
		return fmt.Errorf("replace partition %s: %w", key, err)
	}
	if err := ix.commit(ctx, b, func(c map[string]string) { c[key] = p.SHA256 }); err != nil {
		return fmt.Errorf("replace partition %s: %w", key, err)
	}
	return nil
}

// applier applies batches, up to its workers at a time, and keeps the
// first error.
type applier struct {
	ctx   context.Context
	ix    *Index
	slots chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	err   error
}

func newApplier(ctx context.Context, ix *Index, workers int) *applier {
	return &applier{ctx: ctx, ix: ix, slots: make(chan struct{}, workers)}
}

// apply applies b once a worker is free, in the background; it returns
// the error of an earlier batch, after which nothing more is applied.
func (a *applier) apply(b *bleve.Batch) error {
	a.slots <- struct{}{}
	if err := a.failed(); err != nil {
		<-a.slots
		return err
	}
	a.wg.Go(func() {
		defer func() { <-a.slots }()
		if err := a.ix.apply(a.ctx, b); err != nil {
			a.mu.Lock()
			a.err = cmp.Or(a.err, err)
			a.mu.Unlock()
		}
	})
	return nil
}

func (a *applier) failed() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// wait waits for the batches being applied and returns the first error.
func (a *applier) wait() error {
	a.wg.Wait()
	return a.failed()
}

// apply applies b unless ctx has ended. Every write goes through here, so
// here is where the index's Version moves: once the batch is visible to
// searches, or has failed part way.
func (ix *Index) apply(ctx context.Context, b *bleve.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer ix.changes.bump()
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	return nil
}

// Remove deletes a partition's documents and its catalog entry in one batch.
// Removing a partition the index does not hold is not an error.
func (ix *Index) Remove(ctx context.Context, key string) error {
	if key == "" {
		return fmt.Errorf("remove partition: empty key: %w", dataset.ErrInvalid)
	}
	ix.writes.Lock()
	defer ix.writes.Unlock()

	b := ix.idx.NewBatch()
	if err := ix.deletePartition(ctx, b.Delete, key); err != nil {
		return fmt.Errorf("remove partition %s: %w", key, err)
	}
	if err := ix.commit(ctx, b, func(c map[string]string) { delete(c, key) }); err != nil {
		return fmt.Errorf("remove partition %s: %w", key, err)
	}
	return nil
}

// commit rewrites the catalog with change applied, adds it to b and applies
// b. It runs under ix.writes, so the catalog read here is current.
func (ix *Index) commit(ctx context.Context, b *bleve.Batch, change func(map[string]string)) error {
	c, err := ix.catalog()
	if err != nil {
		return err
	}
	change(c)
	data, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode partition catalog: %w", err)
	}
	b.SetInternal(catalogKey, data)
	return ix.apply(ctx, b)
}

// deletePartition calls del with the id of every document of the partition.
// It walks the postings of the partition term directly: a search would
// score and sort hundreds of thousands of hits only to read their ids.
func (ix *Index) deletePartition(ctx context.Context, del func(string), key string) error {
	ai, err := ix.idx.Advanced()
	if err != nil {
		return fmt.Errorf("open index reader: %w", err)
	}
	r, err := ai.Reader()
	if err != nil {
		return fmt.Errorf("open index reader: %w", err)
	}
	defer r.Close()
	tfr, err := r.TermFieldReader(ctx, []byte(key), fieldPartition, false, false, false)
	if err != nil {
		return fmt.Errorf("list partition documents: %w", err)
	}
	defer tfr.Close()
	var td index.TermFieldDoc
	for {
		d, err := tfr.Next(&td)
		if err != nil {
			return fmt.Errorf("list partition documents: %w", err)
		}
		if d == nil {
			return nil
		}
		id, err := r.ExternalID(d.ID)
		if err != nil {
			return fmt.Errorf("list partition documents: %w", err)
		}
		del(id)
	}
}

// belongs checks that rec is a complete record of partition p with an id.
func belongs(s *dataset.Schema, p Partition, rec dataset.Record) error {
	if len(rec) != len(s.Fields) {
		return fmt.Errorf("has %d values, schema %s has %d fields: %w", len(rec), s.Name, len(s.Fields), dataset.ErrInvalid)
	}
	id := rec[s.Index(dataset.FieldID)]
	region, year := rec[s.Index(dataset.FieldRegionCode)], rec[s.Index(dataset.FieldFiscalYear)]
	if !id.Valid || id.Str == "" {
		return fmt.Errorf("has no id: %w", dataset.ErrInvalid)
	}
	if region.Str != p.Region || year.Int != int64(p.Year) {
		return fmt.Errorf("record %s is of %s/%d, not of this partition: %w", id.Str, region.Str, year.Int, dataset.ErrInvalid)
	}
	return nil
}

// document turns a record of p, checked by belongs, into its bleve
// document and id.
func document(s *dataset.Schema, props []property, p Partition, rec dataset.Record) (string, map[string]any) {
	id := rec[s.Index(dataset.FieldID)]
	doc := make(map[string]any, len(props)+2)
	doc[fieldDataset] = s.Name
	doc[fieldPartition] = p.Key()
	if v := rec[s.Index(s.Amount)]; v.Valid {
		doc[fieldMoney] = columnValue(numeric.Float64ToInt64(float64(v.Int) / 100))
	}
	if s.Value != "" {
		if v := rec[s.Index(s.Value)]; v.Valid {
			doc[fieldValue] = columnValue(numeric.Float64ToInt64(float64(v.Int) / 100))
		}
	}
	if s.Date != "" {
		if v := rec[s.Index(s.Date)]; v.Valid {
			doc[fieldDate] = columnValue(timeOf(s.Field(s.Date).Type, v).UnixNano())
		}
	}
	var text strings.Builder
	for _, pr := range props {
		if v := rec[pr.field]; v.Valid {
			val := pr.value(v)
			doc[pr.name] = val
			if str, ok := val.(string); ok && pr.text && str != "" {
				addWords(&text, str)
			}
		}
	}
	if text.Len() > 0 {
		doc[fieldText] = text.String()
	}
	return id.Str, doc
}

// addWords adds s to the words of fieldText. They are one string, not a
// value per field: bleve analyses and indexes an array element by element,
// which made a build a quarter slower and its memory a third larger.
func addWords(text *strings.Builder, s string) {
	if text.Len() > 0 {
		// A line break, which every analyzer splits on.
		text.WriteByte('\n')
	}
	text.WriteString(s)
}

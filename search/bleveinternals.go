package search

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
	bolterrors "go.etcd.io/bbolt/errors"
)

// This file is the only one that reaches past Bleve's public API into its
// scorch index; the columns (columns.go) and Compact need to. A Bleve
// upgrade that breaks one of these assumptions then breaks here, and
// TestBleveInternals says which, rather than searches silently answering
// wrongly. It relies on:
//
//   - the reader of Advanced().Reader() being a *scorch.IndexSnapshot, a
//     list of immutable segments, each the same Segment value in every
//     snapshot that holds it;
//   - a document's global number (IndexInternalID.Value()) being the count
//     of documents, deleted ones included, in the segments before its own
//     plus its number within its segment;
//   - segments visiting doc values (segment.DocValueVisitable) and keeping
//     document ids as the terms of the "_id" field, each posting one
//     document;
//   - (*scorch.Scorch).ForceMerge with the single-segment plan compacting;
//   - scorch locking store/root.bolt with bbolt for as long as it is open,
//     its wait bounded by the "bolt_timeout" option. Terbuka's own lock
//     (lock.go) decides who may open an index; this only keeps Open from
//     waiting forever on a process of a version from before that lock.

// storedSegment is one segment of an index snapshot.
type storedSegment struct {
	seg segment.Segment
	// start is the global number of the segment's first document.
	start uint64
	// deleted holds the segment numbers of its deleted documents; may be nil.
	deleted *roaring.Bitmap
}

// segmentKey identifies a segment's data: the same in every snapshot that
// holds the segment, so what is derived from it can be kept until a
// merge drops it.
type segmentKey struct{ seg segment.Segment }

// snapshotSegments returns the segments of r, a reader of the index's
// Advanced() API, in the order of their global numbers.
func snapshotSegments(r index.IndexReader) ([]storedSegment, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("index reader is a %T, not a scorch snapshot", r)
	}
	out := make([]storedSegment, 0, len(snap.Segments()))
	var start uint64
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		out = append(out, storedSegment{seg: seg, start: start, deleted: ss.Deleted()})
		start += seg.Count()
	}
	return out, nil
}

func (s storedSegment) key() segmentKey { return segmentKey{s.seg} }

// count returns the number of documents in the segment, deleted included.
func (s storedSegment) count() uint64 { return s.seg.Count() }

// visitDocValues calls visit with each doc-value term of fields of every
// document of the segment, in document order. term is only valid during
// the call.
func (s storedSegment) visitDocValues(fields []string, visit func(doc uint64, field string, term []byte)) error {
	dv, ok := s.seg.(segment.DocValueVisitable)
	if !ok {
		return fmt.Errorf("segment %T has no doc values", s.seg)
	}
	var doc uint64
	fn := func(field string, term []byte) { visit(doc, field, term) }
	var state segment.DocVisitState
	n := s.count()
	for doc = 0; doc < n; doc++ {
		var err error
		if state, err = dv.VisitDocValues(doc, fields, fn, state); err != nil {
			return fmt.Errorf("read doc values of document %d: %w", doc, err)
		}
	}
	return nil
}

// visitIDs calls visit with the number and id of every document of the
// segment, in the order of the ids.
func (s storedSegment) visitIDs(visit func(doc uint64, id string)) error {
	d, err := s.seg.Dictionary("_id")
	if err != nil {
		return fmt.Errorf("read ids: %w", err)
	}
	it := d.AutomatonIterator(&vellum.AlwaysMatch{}, nil, nil)
	var pl segment.PostingsList
	var pi segment.PostingsIterator
	for {
		e, err := it.Next()
		if err != nil {
			return fmt.Errorf("read ids: %w", err)
		}
		if e == nil {
			return nil
		}
		if pl, err = d.PostingsList([]byte(e.Term), nil, pl); err != nil {
			return fmt.Errorf("read ids: %w", err)
		}
		pi = pl.Iterator(false, false, false, pi)
		for {
			p, err := pi.Next()
			if err != nil {
				return fmt.Errorf("read ids: %w", err)
			}
			if p == nil {
				break
			}
			visit(p.Number(), e.Term)
		}
	}
}

// segmentFileBytes returns the bytes of the segment files the snapshot r
// lists: what searches read, without the files of older snapshots that
// scorch removes in the background after a merge (a process that closes
// the index right after one leaves them for the next to remove).
func segmentFileBytes(r index.IndexReader) (int64, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, fmt.Errorf("index reader is a %T, not a scorch snapshot", r)
	}
	var n int64
	for _, ss := range snap.Segments() {
		n += ss.FileSize()
	}
	return n, nil
}

// forceMerge merges idx into as few segments as scorch's single-segment
// merge plan allows and waits for it. An index that is not scorch's is
// left as it is.
func forceMerge(ctx context.Context, idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	return s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions)
}

// openOptions are the runtime options of bleve.OpenUsing that bound
// scorch's wait for its root.bolt lock.
func openOptions(wait time.Duration) map[string]any {
	return map[string]any{"bolt_timeout": wait.String()}
}

// storeLocked reports whether err is scorch giving up that wait: another
// process holds the index's root.bolt.
func storeLocked(err error) bool {
	return errors.Is(err, bolterrors.ErrTimeout)
}

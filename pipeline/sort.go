package pipeline

import (
	"cmp"
	"container/heap"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"

	"github.com/terbuka/terbuka/dataset"
)

// Partition files hold their rows sorted by record id, so the id's min/max
// statistics let a reader skip row groups, and two releases of a partition
// compare in one pass. Feeds arrive in any order and may be larger than
// memory, so sorting is external: runs of sortRunRows records are sorted in
// memory and spilled to temporary Parquet files, then merged, at most
// sortFanIn at a time.
const (
	sortRunRows = 16 * 1024
	sortFanIn   = 16
)

// SortedPartitionWriter writes records to a PartitionWriter in id order,
// whatever order they are written in. Memory is one run of records plus
// one row group per merged run.
type SortedPartitionWriter struct {
	out     io.Writer
	schema  *dataset.Schema
	tempDir string
	id      int // index of the id field
	runRows int
	fanIn   int
	run     []dataset.Record
	spilled []*os.File
	rows    int64
}

// NewSortedPartitionWriter sorts into zstd Parquet for s on out, spilling
// runs to files in tempDir ("" for the system's).
func NewSortedPartitionWriter(out io.Writer, s *dataset.Schema, tempDir string) *SortedPartitionWriter {
	return &SortedPartitionWriter{out: out, schema: s, tempDir: tempDir, id: s.Index(dataset.FieldID), runRows: sortRunRows, fanIn: sortFanIn}
}

// Write takes a copy of r: callers reuse their records.
func (w *SortedPartitionWriter) Write(r dataset.Record) error {
	w.run = append(w.run, slices.Clone(r))
	w.rows++
	if len(w.run) == w.runRows {
		return w.spill()
	}
	return nil
}

// Rows returns how many records were written.
func (w *SortedPartitionWriter) Rows() int64 { return w.rows }

func (w *SortedPartitionWriter) compare(a, b dataset.Record) int {
	return cmp.Compare(a[w.id].Str, b[w.id].Str)
}

// spill sorts the run in memory and writes it to a temporary file.
func (w *SortedPartitionWriter) spill() error {
	slices.SortStableFunc(w.run, w.compare)
	f, err := os.CreateTemp(w.tempDir, "terbuka-sort-*.parquet")
	if err != nil {
		return fmt.Errorf("sort partition: %w", err)
	}
	w.spilled = append(w.spilled, f)
	pw := NewPartitionWriter(f, w.schema)
	for _, r := range w.run {
		if err := pw.Write(r); err != nil {
			return err
		}
	}
	clear(w.run)
	w.run = w.run[:0]
	if err := pw.Close(); err != nil {
		return fmt.Errorf("sort partition: %w", err)
	}
	return nil
}

// Close merges the runs into the output and removes the temporary files.
func (w *SortedPartitionWriter) Close() error {
	defer func() {
		for _, f := range w.spilled {
			removeFile(f)
		}
	}()
	if len(w.spilled) == 0 {
		// Everything fitted in one run: no file needed.
		slices.SortStableFunc(w.run, w.compare)
		pw := NewPartitionWriter(w.out, w.schema)
		for _, r := range w.run {
			if err := pw.Write(r); err != nil {
				return err
			}
		}
		return pw.Close()
	}
	if len(w.run) > 0 {
		if err := w.spill(); err != nil {
			return err
		}
	}
	w.run = nil
	// Merge in passes so no more than sortFanIn files are open at once.
	for len(w.spilled) > w.fanIn {
		f, err := os.CreateTemp(w.tempDir, "terbuka-sort-*.parquet")
		if err != nil {
			return fmt.Errorf("sort partition: %w", err)
		}
		err = w.merge(f, w.spilled[:w.fanIn])
		for _, g := range w.spilled[:w.fanIn] {
			removeFile(g)
		}
		w.spilled = append(w.spilled[w.fanIn:], f)
		if err != nil {
			return err
		}
	}
	return w.merge(w.out, w.spilled)
}

// merge writes the sorted runs in files to out as one sorted Parquet file.
func (w *SortedPartitionWriter) merge(out io.Writer, files []*os.File) error {
	h := &runHeap{compare: w.compare}
	defer func() {
		for _, r := range h.runs {
			r.stop()
		}
	}()
	for i, f := range files {
		info, err := f.Stat()
		if err != nil {
			return fmt.Errorf("sort partition: %w", err)
		}
		next, stop := iter.Pull2(ReadPartition(f, info.Size(), w.schema))
		r := &sortRun{order: i, next: next, stop: stop}
		ok, err := r.advance()
		if err != nil {
			stop()
			return err
		}
		if ok {
			h.runs = append(h.runs, r)
		} else {
			stop()
		}
	}
	heap.Init(h)
	pw := NewPartitionWriter(out, w.schema)
	for len(h.runs) > 0 {
		r := h.runs[0]
		if err := pw.Write(r.head); err != nil {
			return err
		}
		ok, err := r.advance()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			r.stop()
			heap.Pop(h)
		}
	}
	return pw.Close()
}

// sortRun is one spilled run being merged, with its next record.
type sortRun struct {
	order int
	head  dataset.Record
	next  func() (dataset.Record, error, bool)
	stop  func()
}

func (r *sortRun) advance() (bool, error) {
	rec, err, ok := r.next()
	if !ok {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sort partition: read run: %w", err)
	}
	r.head = rec
	return true, nil
}

type runHeap struct {
	runs    []*sortRun
	compare func(a, b dataset.Record) int
}

func (h *runHeap) Len() int { return len(h.runs) }
func (h *runHeap) Less(i, j int) bool {
	if c := h.compare(h.runs[i].head, h.runs[j].head); c != 0 {
		return c < 0
	}
	return h.runs[i].order < h.runs[j].order
}
func (h *runHeap) Swap(i, j int) { h.runs[i], h.runs[j] = h.runs[j], h.runs[i] }
func (h *runHeap) Push(x any)    { h.runs = append(h.runs, x.(*sortRun)) }
func (h *runHeap) Pop() any {
	old := h.runs
	r := old[len(old)-1]
	h.runs = old[:len(old)-1]
	return r
}

package partition

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/terbuka/terbuka/dataset"
)

// Partition files hold their rows sorted by record id, so the id's min/max
// statistics let a reader skip row groups, and two releases of a partition
// compare in one pass. Feeds arrive in any order and may be larger than
// memory, so sorting is external: records are encoded into an arena of up
// to sortRunBytes, sorted there by id and spilled to a temporary file as a
// run; the runs are then merged, at most sortFanIn at a time. The compact
// encoding costs far less to write and read back than Parquet, and keeps
// no per-record garbage for the collector.
const (
	sortRunBytes = 16 << 20
	sortFanIn    = 128
	// sortBufBytes buffers each run file being read or written.
	sortBufBytes = 32 << 10
)

// SortedWriter writes records to Parquet in id order, whatever
// order they are written in. Memory is one run's arena plus a small buffer
// per run being merged.
type SortedWriter struct {
	out      io.Writer
	schema   *dataset.Schema
	tempDir  string
	id       int // index of the id field
	runBytes int
	fanIn    int
	arena    []byte
	entries  []runEntry
	spilled  []*os.File
	rows     int64
}

// runEntry is a record in the arena: its id and where its encoding lies.
type runEntry struct {
	key      string
	off, end int
}

// NewSortedWriter sorts into zstd Parquet for s on out, spilling
// runs to files in tempDir ("" for the system's).
func NewSortedWriter(out io.Writer, s *dataset.Schema, tempDir string) *SortedWriter {
	return &SortedWriter{out: out, schema: s, tempDir: tempDir, id: s.Index(dataset.FieldID), runBytes: sortRunBytes, fanIn: sortFanIn}
}

// Write encodes r into the arena: callers may reuse r.
func (w *SortedWriter) Write(r dataset.Record) error {
	off := len(w.arena)
	w.arena = appendRecord(w.arena, r)
	w.entries = append(w.entries, runEntry{key: r[w.id].Str, off: off, end: len(w.arena)})
	w.rows++
	if len(w.arena) >= w.runBytes {
		return w.spill()
	}
	return nil
}

// Rows returns how many records were written.
func (w *SortedWriter) Rows() int64 { return w.rows }

func (w *SortedWriter) compare(a, b dataset.Record) int {
	return cmp.Compare(a[w.id].Str, b[w.id].Str)
}

func (w *SortedWriter) sortRun() {
	// Ties keep arrival order; pdqsort with the offset as tie-break is much
	// cheaper than a stable sort's rotations.
	slices.SortFunc(w.entries, func(a, b runEntry) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return a.off - b.off
	})
}

// spill sorts the run and writes it to a temporary file, each record
// preceded by its length.
func (w *SortedWriter) spill() error {
	w.sortRun()
	f, err := os.CreateTemp(w.tempDir, "terbuka-sort-*")
	if err != nil {
		return fmt.Errorf("sort partition: %w", err)
	}
	w.spilled = append(w.spilled, f)
	rw := newRunWriter(f)
	for _, e := range w.entries {
		rw.write(w.arena[e.off:e.end])
	}
	clear(w.entries)
	w.entries, w.arena = w.entries[:0], w.arena[:0]
	if err := rw.Flush(); err != nil {
		return fmt.Errorf("sort partition: %w", err)
	}
	return nil
}

// runWriter writes encoded records to a run file, each preceded by its
// length.
type runWriter struct {
	*bufio.Writer
	hdr, enc []byte
}

func newRunWriter(f *os.File) *runWriter {
	return &runWriter{Writer: bufio.NewWriterSize(f, sortBufBytes)}
}

func (rw *runWriter) write(enc []byte) error {
	rw.hdr = binary.AppendUvarint(rw.hdr[:0], uint64(len(enc)))
	rw.Write(rw.hdr)
	_, err := rw.Write(enc)
	return err
}

// Close writes the sorted records to the output and removes the temporary
// files.
func (w *SortedWriter) Close() error {
	defer func() {
		for _, f := range w.spilled {
			removeFile(f)
		}
	}()
	pw := NewWriter(w.out, w.schema)
	if len(w.spilled) == 0 {
		// Everything fitted in one run: no file needed.
		w.sortRun()
		rec := make(dataset.Record, len(w.schema.Fields))
		for _, e := range w.entries {
			if err := decodeRecord(w.arena[e.off:e.end], rec); err != nil {
				return err
			}
			if err := pw.Write(rec); err != nil {
				return err
			}
		}
		return pw.Close()
	}
	if len(w.entries) > 0 {
		if err := w.spill(); err != nil {
			return err
		}
	}
	w.arena, w.entries = nil, nil
	// Merge in passes so no more than fanIn files are open at once.
	for len(w.spilled) > w.fanIn {
		f, err := os.CreateTemp(w.tempDir, "terbuka-sort-*")
		if err != nil {
			return fmt.Errorf("sort partition: %w", err)
		}
		rw := newRunWriter(f)
		err = w.merge(w.spilled[:w.fanIn], func(r dataset.Record) error {
			rw.enc = appendRecord(rw.enc[:0], r)
			return rw.write(rw.enc)
		})
		if err == nil {
			err = rw.Flush()
		}
		for _, g := range w.spilled[:w.fanIn] {
			removeFile(g)
		}
		w.spilled = append(w.spilled[w.fanIn:], f)
		if err != nil {
			return fmt.Errorf("sort partition: %w", err)
		}
	}
	if err := w.merge(w.spilled, pw.Write); err != nil {
		return err
	}
	return pw.Close()
}

// merge passes the records of the sorted runs in files to emit in order.
func (w *SortedWriter) merge(files []*os.File, emit func(dataset.Record) error) error {
	h := &runHeap{compare: w.compare}
	for i, f := range files {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("sort partition: %w", err)
		}
		r := &sortRun{order: i, in: bufio.NewReaderSize(f, sortBufBytes), head: make(dataset.Record, len(w.schema.Fields))}
		ok, err := r.advance()
		if err != nil {
			return err
		}
		if ok {
			h.runs = append(h.runs, r)
		}
	}
	heap.Init(h)
	for len(h.runs) > 0 {
		r := h.runs[0]
		if err := emit(r.head); err != nil {
			return err
		}
		ok, err := r.advance()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
	}
	return nil
}

// The record encoding: per value a tag byte (0 absent, 1 string, 2
// integer), then a uvarint length and the bytes, or a varint.
const (
	tagAbsent = iota
	tagString
	tagInt
)

func appendRecord(b []byte, r dataset.Record) []byte {
	for _, v := range r {
		switch {
		case !v.Valid:
			b = append(b, tagAbsent)
		case v.Str != "":
			b = append(b, tagString)
			b = binary.AppendUvarint(b, uint64(len(v.Str)))
			b = append(b, v.Str...)
		default:
			b = append(b, tagInt)
			b = binary.AppendVarint(b, v.Int)
		}
	}
	return b
}

var errBadRun = errors.New("sort partition: corrupt run")

// decodeRecord fills rec from one encoded record.
func decodeRecord(b []byte, rec dataset.Record) error {
	for i := range rec {
		if len(b) == 0 {
			return errBadRun
		}
		tag := b[0]
		b = b[1:]
		switch tag {
		case tagAbsent:
			rec[i] = dataset.Value{}
		case tagString:
			n, k := binary.Uvarint(b)
			if k <= 0 || uint64(len(b)-k) < n {
				return errBadRun
			}
			rec[i] = dataset.StringValue(string(b[k : k+int(n)]))
			b = b[k+int(n):]
		case tagInt:
			n, k := binary.Varint(b)
			if k <= 0 {
				return errBadRun
			}
			rec[i] = dataset.IntValue(n)
			b = b[k:]
		default:
			return errBadRun
		}
	}
	return nil
}

// sortRun is one spilled run being merged, with its next record.
type sortRun struct {
	order int
	in    *bufio.Reader
	head  dataset.Record
	buf   []byte
}

// advance reads the next record into head; false at the end of the run.
func (r *sortRun) advance() (bool, error) {
	n, err := binary.ReadUvarint(r.in)
	if err == io.EOF {
		return false, nil
	}
	if err == nil {
		r.buf = slices.Grow(r.buf[:0], int(n))[:n]
		_, err = io.ReadFull(r.in, r.buf)
	}
	if err == nil {
		err = decodeRecord(r.buf, r.head)
	}
	if err != nil {
		return false, fmt.Errorf("sort partition: read run: %w", err)
	}
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

func removeFile(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

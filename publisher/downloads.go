package publisher

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/store"
)

// Downloads are built when a release is published, never on request: a
// gzipped CSV of each partition, beside the partition's Parquet file. A
// download is addressed by its partition's content, so a partition carried
// into later releases is built once.

// downloadBase is where the downloads of a partition are kept, by content.
func downloadBase(p Partition) string {
	return "downloads/" + p.Dataset + "/" + p.Region + "/" + strconv.Itoa(p.Year) + "/" + p.SHA256
}

// DownloadCSVPath is where the gzipped CSV download of a partition is kept.
func DownloadCSVPath(p Partition) string { return downloadBase(p) + ".csv.gz" }

// DownloadNDJSONPath is where the gzipped NDJSON download is kept.
func DownloadNDJSONPath(p Partition) string { return downloadBase(p) + ".ndjson.gz" }

// DownloadXLSXPath is where the Excel download is kept; partitions over
// Excel's row limit have none.
func DownloadXLSXPath(p Partition) string { return downloadBase(p) + ".xlsx" }

// excelMaxRows is the most rows a worksheet holds, header included.
const excelMaxRows = 1_048_576

// BuildDownloads writes the downloads of a release's partitions that do
// not have them yet.
func (p *Publisher) BuildDownloads(ctx context.Context, m *Manifest) error {
	return (&downloadBuilder{store: p.store, tempDir: p.TempDir}).build(ctx, m)
}

// downloadBuilder writes a release's downloads.
type downloadBuilder struct {
	store   store.Store
	tempDir string
}

func (b *downloadBuilder) build(ctx context.Context, m *Manifest) error {
	for _, p := range m.Partitions {
		// The last file written says all of a partition's are there.
		done := DownloadXLSXPath(p)
		if p.Rows >= excelMaxRows {
			done = DownloadNDJSONPath(p)
		}
		_, err := b.store.Stat(ctx, done)
		if err == nil {
			continue
		}
		if !errors.Is(err, dataset.ErrNotFound) {
			return fmt.Errorf("build downloads: %w", err)
		}
		if err := b.partition(ctx, p); err != nil {
			return fmt.Errorf("build downloads of %s: %w", p.Key(), err)
		}
	}
	if err := b.datasets(ctx, m); err != nil {
		return fmt.Errorf("build whole-dataset downloads: %w", err)
	}
	return nil
}

// buildDownloads writes one partition as gzipped UTF-8 CSV, gzipped NDJSON
// and, under Excel's row limit, XLSX, every column of its schema, in one
// pass over the Parquet file.
func (b *downloadBuilder) partition(ctx context.Context, p Partition) error {
	s, err := dataset.Lookup(p.Dataset)
	if err != nil {
		return err
	}
	src, err := store.Fetch(ctx, b.store, p.Path, b.tempDir)
	if err != nil {
		return err
	}
	defer store.Discard(src)
	info, err := src.Stat()
	if err != nil {
		return err
	}
	csvOut, err := newGzipFile(b.tempDir)
	if err != nil {
		return err
	}
	defer store.Discard(csvOut.f)
	jsonOut, err := newGzipFile(b.tempDir)
	if err != nil {
		return err
	}
	defer store.Discard(jsonOut.f)
	var ow *ocdsWriter
	var ocdsOut *os.File
	if p.Dataset == "procurement" {
		if ocdsOut, err = os.CreateTemp(b.tempDir, "terbuka-download-*.json"); err != nil {
			return err
		}
		defer store.Discard(ocdsOut)
		if ow, err = newOCDSWriter(ocdsOut, s, p, p.Published); err != nil {
			return err
		}
	}
	var xw *xlsxWriter
	if p.Rows < excelMaxRows {
		if xw, err = newXLSXWriter(s); err != nil {
			return err
		}
		defer xw.Close()
	}
	cw := csv.NewWriter(csvOut.gz)
	if err := cw.Write(s.Names()); err != nil {
		return err
	}
	row := make([]string, len(s.Fields))
	for r, err := range partition.Read(src, info.Size(), s) {
		if err != nil {
			return err
		}
		for i := range s.Fields {
			row[i] = cellText(&s.Fields[i], r[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
		if err := writeNDJSON(jsonOut.gz, s, r); err != nil {
			return err
		}
		if xw != nil {
			if err := xw.write(r); err != nil {
				return err
			}
		}
		if ow != nil {
			if err := ow.write(r); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := errors.Join(cw.Error(), csvOut.close(), jsonOut.close()); err != nil {
		return err
	}
	type upload struct{ key, file, ctype string }
	uploads := []upload{{DownloadCSVPath(p), csvOut.f.Name(), "application/gzip"}, {DownloadNDJSONPath(p), jsonOut.f.Name(), "application/gzip"}}
	if ow != nil {
		if err := errors.Join(ow.close(), ocdsOut.Sync()); err != nil {
			return err
		}
		uploads = append(uploads, upload{DownloadOCDSPath(p), ocdsOut.Name(), "application/json"})
	}
	if xw != nil {
		path, err := xw.save(b.tempDir)
		if err != nil {
			return err
		}
		defer os.Remove(path)
		uploads = append(uploads, upload{DownloadXLSXPath(p), path, xlsxContentType})
	}
	for _, u := range uploads {
		_, err := b.store.PutFile(ctx, u.key, u.file, store.PutOptions{IfAbsent: true, ContentType: u.ctype})
		if err != nil && !errors.Is(err, dataset.ErrConflict) { // a conflict: built by another publisher
			return err
		}
	}
	return nil
}

// gzipFile is a temporary file written through gzip.
type gzipFile struct {
	f  *os.File
	gz *gzip.Writer
}

func newGzipFile(dir string) (*gzipFile, error) {
	f, err := os.CreateTemp(dir, "terbuka-download-*")
	if err != nil {
		return nil, err
	}
	return &gzipFile{f: f, gz: gzip.NewWriter(f)}, nil
}

func (g *gzipFile) close() error { return errors.Join(g.gz.Close(), g.f.Sync()) }

// writeNDJSON writes a record as one line of JSON (Schema.AppendJSON).
func writeNDJSON(w io.Writer, s *dataset.Schema, r dataset.Record) error {
	b, err := s.AppendJSON(nil, r)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// cellText formats a value for a spreadsheet. Text that a spreadsheet
// would run as a formula (starting with = + - @, a tab or a carriage
// return) gets a leading apostrophe; numbers, money and dates are left as
// they are, so -5 stays the number -5. The Parquet file keeps the value as
// received.
func cellText(f *dataset.Field, v dataset.Value) string {
	if !v.Valid {
		return ""
	}
	t := f.Format(v)
	if f.Type == dataset.Text || f.Type == dataset.Code || f.Type == dataset.Enum {
		return SafeCell(t)
	}
	return t
}

// SafeCell neutralises a CSV or spreadsheet cell that a spreadsheet would
// run as a formula (=, +, -, @, tab or CR first) by putting an apostrophe
// before it. Only text cells: numbers stay numbers.
func SafeCell(s string) string {
	if s != "" {
		switch s[0] {
		case '=', '+', '-', '@', '\t', '\r':
			return "'" + s
		}
	}
	return s
}

// xlsxContentType is the media type of an Excel workbook.
const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// xlsxWriter streams records into a workbook: codes and text as text (so
// leading zeros stay and nothing is read as a formula), money and numbers
// as numbers, dates as text in ISO form.
type xlsxWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	s   *dataset.Schema
	row int
	buf []any
}

func newXLSXWriter(s *dataset.Schema) (*xlsxWriter, error) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		f.Close()
		return nil, err
	}
	x := &xlsxWriter{f: f, sw: sw, s: s, row: 1, buf: make([]any, len(s.Fields))}
	header := make([]any, len(s.Fields))
	for i, n := range s.Names() {
		header[i] = n
	}
	if err := sw.SetRow("A1", header); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

func (x *xlsxWriter) write(r dataset.Record) error {
	x.row++
	for i := range x.s.Fields {
		f := &x.s.Fields[i]
		switch {
		case !r[i].Valid:
			x.buf[i] = nil
		case f.Type == dataset.Money:
			// Exact to the sen as text would be; Excel holds 15
			// significant digits, which rupiah amounts up to a trillion
			// with sen fit.
			x.buf[i], _ = strconv.ParseFloat(f.Format(r[i]), 64)
		case f.Type == dataset.Integer:
			x.buf[i] = r[i].Int
		default:
			// Written as strings: excelize stores them as text cells,
			// never formulas.
			x.buf[i] = f.Format(r[i])
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.buf)
}

func (x *xlsxWriter) save(dir string) (string, error) {
	if err := x.sw.Flush(); err != nil {
		return "", err
	}
	out, err := os.CreateTemp(dir, "terbuka-download-*.xlsx")
	if err != nil {
		return "", err
	}
	out.Close()
	if err := x.f.SaveAs(out.Name()); err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

func (x *xlsxWriter) Close() error { return x.f.Close() }

// DownloadDatasetPath is where the whole of a dataset is kept for a
// release: addressed by a digest of its partitions, so a dataset no
// release changed is not built again.
func DownloadDatasetPath(m *Manifest, ds, ext string) string {
	h := sha256.New()
	for _, p := range datasetPartitions(m, ds) {
		fmt.Fprintf(h, "%s %s\n", p.Key(), p.SHA256)
	}
	return "downloads/" + ds + "/all/" + hex.EncodeToString(h.Sum(nil)) + "." + ext
}

// datasetPartitions are a dataset's partitions in a release, by region
// then year, the order the whole download holds their rows in.
func datasetPartitions(m *Manifest, ds string) []Partition {
	var out []Partition
	for _, p := range m.Partitions {
		if p.Dataset == ds {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Partition) int {
		if c := strings.Compare(a.Region, b.Region); c != 0 {
			return c
		}
		return a.Year - b.Year
	})
	return out
}

// regionRowGroupRows is the least a row group of a whole-dataset file holds
// before it may end at a region's first row: small enough that a query for
// one region reads a small part of the file, large enough that scans stay
// fast.
const regionRowGroupRows = 8 * 1024

// buildDatasetDownloads writes each dataset whole, as Parquet and gzipped
// CSV, rows by region and year, one partition in memory at a time.
func (b *downloadBuilder) datasets(ctx context.Context, m *Manifest) error {
	for _, s := range dataset.All() {
		parts := datasetPartitions(m, s.Name)
		if len(parts) == 0 {
			continue
		}
		done := DownloadDatasetPath(m, s.Name, "parquet")
		if _, err := b.store.Stat(ctx, done); err == nil {
			continue
		} else if !errors.Is(err, dataset.ErrNotFound) {
			return err
		}
		pq, err := os.CreateTemp(b.tempDir, "terbuka-download-*.parquet")
		if err != nil {
			return err
		}
		defer store.Discard(pq)
		csvOut, err := newGzipFile(b.tempDir)
		if err != nil {
			return err
		}
		defer store.Discard(csvOut.f)
		pw := partition.NewWriter(pq, s)
		cw := csv.NewWriter(csvOut.gz)
		if err := cw.Write(s.Names()); err != nil {
			return err
		}
		row := make([]string, len(s.Fields))
		for i, p := range parts {
			if i > 0 && p.Region != parts[i-1].Region {
				if err := pw.EndRowGroup(regionRowGroupRows); err != nil {
					return err
				}
			}
			src, err := store.Fetch(ctx, b.store, p.Path, b.tempDir)
			if err != nil {
				return err
			}
			info, err := src.Stat()
			if err != nil {
				store.Discard(src)
				return err
			}
			for r, err := range partition.Read(src, info.Size(), s) {
				if err == nil {
					err = pw.Write(r)
				}
				if err != nil {
					store.Discard(src)
					return err
				}
				for i := range s.Fields {
					row[i] = cellText(&s.Fields[i], r[i])
				}
				if err := cw.Write(row); err != nil {
					store.Discard(src)
					return err
				}
			}
			store.Discard(src)
		}
		cw.Flush()
		if err := errors.Join(cw.Error(), csvOut.close(), pw.Close(), pq.Sync()); err != nil {
			return err
		}
		// The Parquet file last: its presence says the dataset is built.
		for _, u := range []struct{ key, file, ctype string }{
			{DownloadDatasetPath(m, s.Name, "csv.gz"), csvOut.f.Name(), "application/gzip"},
			{done, pq.Name(), "application/vnd.apache.parquet"},
		} {
			if _, err := b.store.PutFile(ctx, u.key, u.file, store.PutOptions{IfAbsent: true, ContentType: u.ctype}); err != nil && !errors.Is(err, dataset.ErrConflict) {
				return err
			}
		}
	}
	return nil
}

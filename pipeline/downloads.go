package pipeline

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
)

// Downloads are built when a release is published, never on request: a
// gzipped CSV of each partition, beside the partition's Parquet file. A
// download is addressed by its partition's content, so a partition carried
// into later releases is built once.

// DownloadCSVPath is where the CSV download of a partition is kept.
func DownloadCSVPath(p publisher.Partition) string {
	return "downloads/" + p.Dataset + "/" + p.Region + "/" + strconv.Itoa(p.Year) + "/" + p.SHA256 + ".csv.gz"
}

// BuildDownloads writes the downloads of a release's partitions that do
// not have them yet.
func (in *Ingester) BuildDownloads(ctx context.Context, m *publisher.Manifest) error {
	for _, p := range m.Partitions {
		key := DownloadCSVPath(p)
		_, err := in.Store.Stat(ctx, key)
		if err == nil {
			continue
		}
		if !errors.Is(err, dataset.ErrNotFound) {
			return fmt.Errorf("build downloads: %w", err)
		}
		if err := in.buildCSV(ctx, p, key); err != nil {
			return fmt.Errorf("build download of %s: %w", p.Key(), err)
		}
	}
	return nil
}

// buildCSV writes one partition as gzipped UTF-8 CSV, with every column
// of its schema, money as plain decimals.
func (in *Ingester) buildCSV(ctx context.Context, p publisher.Partition, key string) error {
	s, err := dataset.Lookup(p.Dataset)
	if err != nil {
		return err
	}
	src, err := in.fetchTemp(ctx, p.Path)
	if err != nil {
		return err
	}
	defer removeFile(src)
	info, err := src.Stat()
	if err != nil {
		return err
	}
	out, err := os.CreateTemp(in.TempDir, "terbuka-download-*.csv.gz")
	if err != nil {
		return err
	}
	defer removeFile(out)
	gz := gzip.NewWriter(out)
	w := csv.NewWriter(gz)
	if err := w.Write(s.Names()); err != nil {
		return err
	}
	row := make([]string, len(s.Fields))
	for r, err := range ReadPartition(src, info.Size(), s) {
		if err != nil {
			return err
		}
		for i := range s.Fields {
			row[i] = cellText(&s.Fields[i], r[i])
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	if err := errors.Join(w.Error(), gz.Close(), out.Sync()); err != nil {
		return err
	}
	_, err = in.Store.PutFile(ctx, key, out.Name(), store.PutOptions{IfAbsent: true, ContentType: "application/gzip"})
	if errors.Is(err, dataset.ErrConflict) {
		return nil // built by another publisher: the same bytes
	}
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
		return neutralise(t)
	}
	return t
}

func neutralise(s string) string {
	if s != "" {
		switch s[0] {
		case '=', '+', '-', '@', '\t', '\r':
			return "'" + s
		}
	}
	return s
}

// fetchTemp copies a stored object to a temporary file.
func (in *Ingester) fetchTemp(ctx context.Context, key string) (*os.File, error) {
	r, _, err := in.Store.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	f, err := os.CreateTemp(in.TempDir, "terbuka-fetch-*")
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(f, r); err != nil {
		removeFile(f)
		return nil, err
	}
	return f, nil
}

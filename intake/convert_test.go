package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
)

// converter validates feeds and writes their valid records as a sorted
// Parquet partition, as the pipeline does, so a test can tell whether two
// spellings of a feed give the same partition.
type converter struct {
	t *testing.T
}

func newConverter(t *testing.T) *converter { return &converter{t: t} }

// parquet is a converted feed: its Parquet bytes and their SHA-256, which
// is what names a partition in the store.
type parquet struct {
	Path  string
	Bytes []byte
	// Ext is the extension the feed's raw copy is kept under.
	Ext string
}

// Ingest converts body; the partition is nil when the feed has errors.
func (c *converter) Ingest(ctx context.Context, body io.Reader, meta Meta) (*Report, *parquet, error) {
	path := filepath.Join(c.t.TempDir(), "feed")
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		return nil, nil, err
	}
	rep := &Report{}
	var buf bytes.Buffer
	var w *partition.SortedWriter
	if s, err := dataset.Lookup(meta.Dataset); err == nil {
		w = partition.NewSortedWriter(&buf, s, c.t.TempDir())
	}
	if err := ValidateFile(ctx, path, meta, dataset.LoadRegions(), rep, func(r dataset.Record) error { return w.Write(r) }); err != nil {
		return nil, nil, err
	}
	if !rep.OK() {
		return rep, nil, nil
	}
	if err := w.Close(); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sum := sha256.Sum256(buf.Bytes())
	return rep, &parquet{Path: hex.EncodeToString(sum[:]), Bytes: buf.Bytes(), Ext: Extension(f)}, nil
}

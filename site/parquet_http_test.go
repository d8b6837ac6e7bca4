package site

import (
	"bytes"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store/storetest"
)

// httpReaderAt reads a file over HTTP with Range requests, as DuckDB's
// httpfs and pandas' fsspec do.
type httpReaderAt struct {
	url string
}

func (h httpReaderAt) ReadAt(p []byte, off int64) (int, error) {
	req, err := http.NewRequest(http.MethodGet, h.url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+int64(len(p))-1))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent {
		return 0, fmt.Errorf("range %d+%d: %s", off, len(p), resp.Status)
	}
	return io.ReadFull(resp.Body, p)
}

// countingHandler counts the body bytes a handler writes.
type countingHandler struct {
	h     http.Handler
	bytes atomic.Int64
}

func (c *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.h.ServeHTTP(countingWriter{w, &c.bytes}, r)
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n.Add(int64(n))
	return n, err
}

// TestSelectiveReadOverHTTP reads the whole-dataset Parquet download over
// HTTP the way a query engine does for `where region_code = '32.73'`: the
// footer, then only the row groups whose region_code statistics can hold
// the region, and only the columns the query needs. The answer must equal
// the partition's, and the server must have sent a small part of the file.
func TestSelectiveReadOverHTTP(t *testing.T) {
	st := storetest.Dir(t)
	regions := dataset.LoadRegions()
	dir := t.TempDir()
	var feeds []pipeline.FeedFile
	for _, code := range []string{"11.71", "32.04", "32.73", "33.74", "35.78", "51.71", "63.71", "73.71"} {
		path := filepath.Join(dir, "budget_"+code+"_2024.csv")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.WriteFeed(f, demo.Spec{Dataset: "budget", Region: regions.Lookup(code), Year: 2024, Seed: 1, Scale: 8}); err != nil {
			t.Fatal(err)
		}
		f.Close()
		feeds = append(feeds, pipeline.FeedFile{Path: path, Meta: intake.Meta{Dataset: "budget", Region: code, Year: 2024}})
	}
	in := &pipeline.Ingester{Store: st, Regions: regions, Log: quiet, TempDir: t.TempDir()}
	pub := publisher.New(st, quiet)
	out, err := in.Run(t.Context(), pub, feeds, nil)
	if err != nil || !out.Published {
		t.Fatalf("run: %v, published %v", err, out != nil && out.Published)
	}
	part, _ := out.Release.Partition(publisher.PartitionKey("budget", "32.73", 2024))

	// What the partition holds, read whole from the store.
	s, _ := dataset.Lookup("budget")
	amount := s.Index(s.Amount)
	wantSum := new(big.Int)
	rc, _, err := st.Get(t.Context(), part.Path)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(rc)
	rc.Close()
	var wantRows int64
	for r, err := range partition.Read(bytes.NewReader(raw), int64(len(raw)), s) {
		if err != nil {
			t.Fatal(err)
		}
		wantRows++
		wantSum.Add(wantSum, big.NewInt(r[amount].Int))
	}

	ix, err := search.Empty()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srv, err := New(Config{Index: ix, Publisher: pub, Regions: regions, Log: quiet, Store: st, Reports: in})
	if err != nil {
		t.Fatal(err)
	}
	counted := &countingHandler{h: srv}
	ts := httptest.NewServer(counted)
	defer ts.Close()

	url := ts.URL + "/downloads/" + out.Release.ID + "/budget.parquet"
	head, err := http.Head(url)
	if err != nil {
		t.Fatal(err)
	}
	head.Body.Close()
	size, err := strconv.ParseInt(head.Header.Get("Content-Length"), 10, 64)
	if err != nil || head.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("HEAD %s: length %q, ranges %q", url, head.Header.Get("Content-Length"), head.Header.Get("Accept-Ranges"))
	}
	counted.bytes.Store(0)

	f, err := parquet.OpenFile(httpReaderAt{url}, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.ReadBufferSize(64<<10))
	if err != nil {
		t.Fatal(err)
	}
	regionCol, _ := f.Schema().Lookup(dataset.FieldRegionCode)
	amountCol, _ := f.Schema().Lookup(s.Amount)
	var gotRows int64
	gotSum := new(big.Int)
	read, skipped := 0, 0
	for _, rg := range f.RowGroups() {
		chunks := rg.ColumnChunks()
		min, max, ok := chunks[regionCol.ColumnIndex].(*parquet.FileColumnChunk).Bounds()
		if !ok {
			t.Fatal("row group without region_code statistics")
		}
		if string(min.ByteArray()) > "32.73" || string(max.ByteArray()) < "32.73" {
			skipped++
			continue
		}
		read++
		regionsIn := columnValues(t, chunks[regionCol.ColumnIndex])
		amounts := columnValues(t, chunks[amountCol.ColumnIndex])
		for i, v := range regionsIn {
			if string(v.ByteArray()) == "32.73" {
				gotRows++
				gotSum.Add(gotSum, big.NewInt(amounts[i].Int64()))
			}
		}
	}
	served := counted.bytes.Load()
	t.Logf("whole budget file %d bytes, %d row groups: read %d, skipped %d; server sent %d bytes (%.1f%%)",
		size, len(f.RowGroups()), read, skipped, served, 100*float64(served)/float64(size))
	if gotRows != wantRows || gotRows != part.Rows || gotSum.Cmp(wantSum) != 0 {
		t.Errorf("over HTTP: %d rows, sum %s; partition: %d rows (manifest %d), sum %s", gotRows, gotSum, wantRows, part.Rows, wantSum)
	}
	if skipped == 0 || served*5 > size {
		t.Errorf("a one-region query read %d of %d bytes, skipping %d row groups; want under a fifth", served, size, skipped)
	}
}

// columnValues reads every value of a column chunk; the column is not
// repeated and amounts are required, so values line up by row.
func columnValues(t *testing.T, c parquet.ColumnChunk) []parquet.Value {
	t.Helper()
	pages := c.Pages()
	defer pages.Close()
	var out []parquet.Value
	for {
		p, err := pages.ReadPage()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		vals := make([]parquet.Value, p.NumValues())
		n, err := p.Values().ReadValues(vals)
		if err != nil && err != io.EOF {
			t.Fatal(err)
		}
		out = append(out, vals[:n]...)
	}
}

package partition

import (
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/parquet-go/parquet-go"
	"github.com/terbuka/terbuka/dataset"
)

// Read streams the records of a Parquet partition written by
// Writer. Columns are matched by name, so a file with extra
// columns still reads. A missing column of a field that may be null (one
// added by a later schema version, such as procurement's flags) reads as
// null; a missing required column is an error.
func Read(r io.ReaderAt, size int64, s *dataset.Schema) iter.Seq2[dataset.Record, error] {
	return func(yield func(dataset.Record, error) bool) {
		f, err := parquet.OpenFile(r, size)
		if err != nil {
			yield(nil, fmt.Errorf("open parquet: %w", err))
			return
		}
		cols := make([]int, len(s.Fields)) // file column of each schema field, -1 when absent
		for i, name := range s.Names() {
			leaf, ok := f.Schema().Lookup(name)
			if !ok && (s.Fields[i].Required || name == dataset.FieldID) {
				yield(nil, fmt.Errorf("parquet file has no column %q: %w", name, dataset.ErrInvalid))
				return
			}
			cols[i] = -1
			if ok {
				cols[i] = leaf.ColumnIndex
			}
		}
		buf := make([]parquet.Row, 256)
		for _, rg := range f.RowGroups() {
			if !readRowGroup(rg, s, cols, buf, yield) {
				return
			}
		}
	}
}

func readRowGroup(rg parquet.RowGroup, s *dataset.Schema, cols []int, buf []parquet.Row, yield func(dataset.Record, error) bool) bool {
	rows := rg.Rows()
	defer rows.Close()
	for {
		n, err := rows.ReadRows(buf)
		for _, row := range buf[:n] {
			if !yield(recordFromRow(s, cols, row), nil) {
				return false
			}
		}
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return yield(nil, fmt.Errorf("read parquet rows: %w", err)) && false
		}
	}
}

func recordFromRow(s *dataset.Schema, cols []int, row parquet.Row) dataset.Record {
	rec := make(dataset.Record, len(s.Fields))
	for i, c := range cols {
		if c < 0 {
			continue
		}
		v := row[c]
		if v.IsNull() {
			continue
		}
		switch s.Fields[i].Type {
		case dataset.Integer, dataset.Date:
			rec[i] = dataset.IntValue(int64(v.Int32()))
		case dataset.Money, dataset.Timestamp:
			rec[i] = dataset.IntValue(v.Int64())
		default:
			rec[i] = dataset.StringValue(string(v.ByteArray()))
		}
	}
	return rec
}

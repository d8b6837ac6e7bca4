package partition

import (
	"fmt"
	"io"
	"reflect"

	"github.com/parquet-go/parquet-go"
	"github.com/terbuka/terbuka/dataset"
)

// rowGroupRows bounds a row group, and so the writer's memory: parquet-go
// buffers one row group of column data before flushing it.
const rowGroupRows = 64 * 1024

// Schema returns the Parquet schema of a dataset, derived from its
// field definitions, with columns in the schema's order: money as
// DECIMAL(18,2) backed by int64, dates as DATE, timestamps as
// TIMESTAMP(MILLIS, UTC), low-cardinality strings dictionary-encoded.
func Schema(s *dataset.Schema) *parquet.Schema {
	g := orderedGroup{Group: parquet.Group{}}
	for i := range s.Fields {
		f := &s.Fields[i]
		n := parquetNode(f)
		if f.Required || alwaysDerived[f.Name] {
			n = parquet.Required(n)
		} else {
			n = parquet.Optional(n)
		}
		g.Group[f.Name] = n
		g.order = append(g.order, f.Name)
	}
	return parquet.NewSchema(s.Name, g)
}

// alwaysDerived are the derived fields every record has: its id and what
// its region code names. Other derived fields (an account's group, a
// package's flags) may be null.
var alwaysDerived = map[string]bool{dataset.FieldID: true, dataset.FieldRegionName: true, dataset.FieldProvinceCode: true}

func parquetNode(f *dataset.Field) parquet.Node {
	switch f.Type {
	case dataset.Integer:
		return parquet.Int(32)
	case dataset.Money:
		return parquet.Decimal(2, 18, parquet.Int64Type)
	case dataset.Date:
		return parquet.Date()
	case dataset.Timestamp:
		return parquet.Timestamp(parquet.Millisecond)
	}
	if f.Type == dataset.Enum || f.Facet || f.Name == dataset.FieldRegionName {
		return parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
	}
	return parquet.String()
}

// orderedGroup is a parquet.Group whose columns keep the schema's order
// instead of parquet-go's alphabetical one, so readers see region and year
// first, as in the feeds.
type orderedGroup struct {
	parquet.Group
	order []string
}

// Fields returns the group's fields in declaration order.
func (g orderedGroup) Fields() []parquet.Field {
	fields := make([]parquet.Field, len(g.order))
	for i, name := range g.order {
		fields[i] = &namedField{Node: g.Group[name], name: name}
	}
	return fields
}

// GoType is derived from the ordered fields.
func (g orderedGroup) GoType() reflect.Type {
	fields := make([]reflect.StructField, len(g.order))
	for i, name := range g.order {
		fields[i] = reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: g.Group[name].GoType(), Tag: reflect.StructTag(fmt.Sprintf(`parquet:%q`, name))}
	}
	return reflect.StructOf(fields)
}

type namedField struct {
	parquet.Node
	name string
}

func (f *namedField) Name() string { return f.name }

func (f *namedField) Value(base reflect.Value) reflect.Value {
	return base.MapIndex(reflect.ValueOf(f.name))
}

// Writer streams records of one dataset into a Parquet file.
type Writer struct {
	schema *dataset.Schema
	w      *parquet.GenericWriter[any]
	row    parquet.Row
	levels []int // definition level of a present value, per field
	rows   int64
	group  int // rows in the row group being buffered
}

// NewWriter writes zstd-compressed Parquet for s to out.
func NewWriter(out io.Writer, s *dataset.Schema) *Writer {
	ps := Schema(s)
	pw := &Writer{
		schema: s,
		w: parquet.NewGenericWriter[any](out, ps,
			parquet.Compression(&parquet.Zstd),
			parquet.MaxRowsPerRowGroup(rowGroupRows),
			parquet.CreatedBy("terbuka", "", ""),
			parquet.KeyValueMetadata("terbuka.dataset", s.Name),
			parquet.KeyValueMetadata("terbuka.schema_version", fmt.Sprint(dataset.SchemaVersion))),
		row:    make(parquet.Row, len(s.Fields)),
		levels: make([]int, len(s.Fields)),
	}
	for i, name := range s.Names() {
		leaf, ok := ps.Lookup(name)
		if !ok || leaf.ColumnIndex != i {
			panic(fmt.Sprintf("parquet schema of %s: column %s not at %d", s.Name, name, i))
		}
		pw.levels[i] = leaf.MaxDefinitionLevel
	}
	return pw
}

// Write appends one record.
func (pw *Writer) Write(r dataset.Record) error {
	for i, v := range r {
		f := &pw.schema.Fields[i]
		var pv parquet.Value
		switch {
		case !v.Valid:
			pw.row[i] = parquet.NullValue().Level(0, 0, i)
			continue
		case f.Type == dataset.Integer, f.Type == dataset.Date:
			pv = parquet.Int32Value(int32(v.Int))
		case f.Type == dataset.Money, f.Type == dataset.Timestamp:
			pv = parquet.Int64Value(v.Int)
		default:
			pv = parquet.ByteArrayValue([]byte(v.Str))
		}
		pw.row[i] = pv.Level(0, pw.levels[i], i)
	}
	if _, err := pw.w.WriteRows([]parquet.Row{pw.row}); err != nil {
		return fmt.Errorf("write parquet row %d: %w", pw.rows+1, err)
	}
	pw.rows++
	if pw.group++; pw.group == rowGroupRows {
		pw.group = 0 // the writer has flushed the row group
	}
	return nil
}

// EndRowGroup ends the row group being buffered if it holds at least min
// rows. Writing a whole dataset, it is called where the region changes, so
// a row group rarely spans regions and a reader looking for one region
// skips the others by their min/max statistics.
func (pw *Writer) EndRowGroup(min int) error {
	if pw.group == 0 || pw.group < min {
		return nil
	}
	pw.group = 0
	if err := pw.w.Flush(); err != nil {
		return fmt.Errorf("flush parquet row group: %w", err)
	}
	return nil
}

// Rows returns how many records were written.
func (pw *Writer) Rows() int64 { return pw.rows }

// Close flushes the last row group and writes the footer.
func (pw *Writer) Close() error {
	if err := pw.w.Close(); err != nil {
		return fmt.Errorf("close parquet: %w", err)
	}
	return nil
}

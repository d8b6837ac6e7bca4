package intake

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// JSON feeds: an array of objects, or one object per line (NDJSON), with
// column names as keys. Rows are read one object at a time; the first
// object's keys are the header.

// jsonKind says what a feed that starts with '[' or '{' is.
type jsonKind int

const (
	notJSON jsonKind = iota
	jsonArray
	jsonLines
	ocdsPackage
)

// sniffJSON looks at the start of a feed. An object whose first line is a
// whole object is NDJSON, unless it is an OCDS package (it has releases or
// records); any other object is taken as an OCDS package, which says so
// when it has neither.
func sniffJSON(head []byte) jsonKind {
	t := bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(t) == 0 {
		return notJSON
	}
	switch t[0] {
	case '[':
		return jsonArray
	case '{':
		line, _, _ := bytes.Cut(t, []byte("\n"))
		var probe map[string]json.RawMessage
		if json.Unmarshal(line, &probe) == nil {
			if _, ok := probe["releases"]; ok {
				return ocdsPackage
			}
			if _, ok := probe["records"]; ok {
				return ocdsPackage
			}
			return jsonLines
		}
		return ocdsPackage
	}
	return notJSON
}

// jsonChunk is the most a JSON decoder is given at once: what it may hold
// beyond the value it is reading.
const jsonChunk = 64 << 10

// newJSONDecoder returns a decoder of r that fails once one value, counted
// from lim's start, runs past limit: its buffer, which holds a value
// whole, stays bounded. The slack covers what the decoder reads ahead and
// the separators before a value.
func newJSONDecoder(r io.Reader, limit int64) (*json.Decoder, *limitReader) {
	lim := &limitReader{r: bufio.NewReaderSize(r, jsonChunk), max: limit + 2*jsonChunk, chunk: jsonChunk}
	dec := json.NewDecoder(lim)
	dec.UseNumber()
	return dec, lim
}

// jsonRows reads objects as rows.
type jsonRows struct {
	dec    *json.Decoder
	lim    *limitReader
	kind   jsonKind
	header []string
	col    map[string]int
	// first is the first object, read to make the header.
	first []string
	n     int
}

func newJSONRows(r io.Reader, kind jsonKind) *jsonRows {
	dec, lim := newJSONDecoder(r, maxRecordBytes)
	return &jsonRows{dec: dec, lim: lim, kind: kind}
}

// Read returns the header first, then each object's values in its order.
func (j *jsonRows) Read() ([]string, error) {
	if j.header == nil {
		if j.kind == jsonArray {
			if tok, err := j.dec.Token(); err != nil || tok != json.Delim('[') {
				return nil, jsonErr(1, "", "the file does not start a JSON array", err)
			}
		}
		keys, vals, err := j.object()
		if err != nil {
			return nil, err
		}
		j.header, j.first, j.col = keys, vals, map[string]int{}
		for i, k := range keys {
			j.col[k] = i
		}
		return j.header, nil
	}
	if j.first != nil {
		row := j.first
		j.first = nil
		return row, nil
	}
	keys, vals, err := j.object()
	if err != nil {
		return nil, err
	}
	row := make([]string, len(j.header))
	for i, k := range keys {
		c, ok := j.col[k]
		if !ok {
			return nil, jsonErr(j.n, k, fmt.Sprintf("key %q is not among the first object's keys (%s); give every object the same keys", k, strings.Join(j.header, ", ")), nil)
		}
		row[c] = vals[i]
	}
	return row, nil
}

// object reads the next object as keys and text values; io.EOF after the
// last. An object larger than maxRecordBytes is an error before it is
// read whole.
func (j *jsonRows) object() ([]string, []string, error) {
	j.lim.start = j.dec.InputOffset()
	if j.kind == jsonArray && !j.dec.More() {
		if _, err := j.dec.Token(); err != nil {
			return nil, nil, jsonErr(j.n+1, "", "the JSON array is not closed", err)
		}
		return nil, nil, io.EOF
	}
	j.n++
	tok, err := j.dec.Token()
	if errors.Is(err, io.EOF) && j.kind == jsonLines {
		return nil, nil, io.EOF
	}
	if err != nil || tok != json.Delim('{') {
		return nil, nil, jsonErr(j.n, "", "expected a JSON object", err)
	}
	start := j.dec.InputOffset() - 1
	var keys, vals []string
	for j.dec.More() {
		k, err := j.dec.Token()
		if err != nil {
			return nil, nil, jsonErr(j.n, "", "invalid JSON", err)
		}
		var raw json.RawMessage
		if err := j.dec.Decode(&raw); err != nil {
			return nil, nil, jsonErr(j.n, "", "invalid JSON", err)
		}
		v, err := jsonText(raw)
		if err != nil {
			return nil, nil, jsonErr(j.n, k.(string), fmt.Sprintf("key %q: %v", k, err), nil)
		}
		keys, vals = append(keys, k.(string)), append(vals, v)
	}
	if _, err := j.dec.Token(); err != nil {
		return nil, nil, jsonErr(j.n, "", "invalid JSON", err)
	}
	if n := j.dec.InputOffset() - start; n > maxRecordBytes {
		return nil, nil, recordTooLarge(j.n+1, jsonRecord, n)
	}
	return keys, vals, nil
}

// jsonText writes a JSON value as a cell: strings as they are, numbers as
// written (no float rounding of money), true/false, null as empty.
func jsonText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", nil
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case raw[0] == '{' || raw[0] == '[':
		return "", errors.New("nested objects and arrays are not columns; flatten them")
	}
	return string(raw), nil
}

// jsonErr says a JSON feed cannot be read on at an object (the report's
// row is the object's number plus the header's), in the named key if any,
// or that the object is past maxRecordBytes.
func jsonErr(object int, key, msg string, err error) error {
	if errors.Is(err, errOverLimit) {
		return recordTooLarge(object+1, jsonRecord, 0)
	}
	detail := msg
	if err != nil {
		detail += ": " + err.Error()
	}
	return newReadError(object+1, key, "", "json_syntax", dataset.Label{
		ID: fmt.Sprintf("JSON tidak bisa dibaca pada objek ke-%d: %s", object, detail),
		EN: fmt.Sprintf("the JSON cannot be read at object %d: %s", object, detail)})
}

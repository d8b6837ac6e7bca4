package dataset

import (
	"encoding/json"
	"strconv"
)

// AppendJSON appends r as one JSON object keyed by field name, in schema
// order: money and numbers as JSON numbers written exactly (never through
// float64), text as strings, null as null. It is the one JSON form of a
// record: the NDJSON downloads and the record API both write it.
func (s *Schema) AppendJSON(b []byte, r Record) ([]byte, error) {
	b = append(b, '{')
	for i := range s.Fields {
		f := &s.Fields[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, f.Name)
		b = append(b, ':')
		switch {
		case !r[i].Valid:
			b = append(b, "null"...)
		case f.Type == Money || f.Type == Integer:
			b = append(b, f.Format(r[i])...)
		default:
			q, err := json.Marshal(f.Format(r[i]))
			if err != nil {
				return nil, err
			}
			b = append(b, q...)
		}
	}
	return append(b, '}'), nil
}

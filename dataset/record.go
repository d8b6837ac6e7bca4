package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Value is one cell of a record. Which member is meaningful depends on the
// field's Type: Str for Text, Code and Enum; Int for Integer, Money (sen),
// Date (days since 1970-01-01) and Timestamp (milliseconds since the epoch).
// Keeping both in one small struct avoids boxing every cell in an interface.
type Value struct {
	Valid bool
	Str   string
	Int   int64
}

// StringValue returns a present Value holding s.
func StringValue(s string) Value { return Value{Valid: true, Str: s} }

// IntValue returns a present Value holding n.
func IntValue(n int64) Value { return Value{Valid: true, Int: n} }

// Record is one row of a dataset, its values in the schema's field order.
type Record []Value

// Format renders v the way feeds write it: plain numbers, money with a dot
// before the sen, ISO dates. It is the inverse of Field.Parse for valid input.
func (f *Field) Format(v Value) string {
	if !v.Valid {
		return ""
	}
	switch f.Type {
	case Integer:
		return strconv.FormatInt(v.Int, 10)
	case Money:
		return FormatMoney(v.Int)
	case Date:
		return FormatDate(v.Int)
	case Timestamp:
		return FormatTimestamp(v.Int)
	}
	return v.Str
}

// RecordID returns the stable identifier of a record: a hash of the dataset,
// region, year and the schema's key fields, plus an occurrence number when
// the same key appears more than once in a feed (occurrence 1 adds nothing).
// The same feed content therefore always yields the same ids.
func (s *Schema) RecordID(r Record, occurrence int) string {
	h := sha256.New()
	write := func(v string) {
		h.Write([]byte(v))
		h.Write([]byte{0x1f})
	}
	write(s.Name)
	write(r[s.idxRegion].Str)
	write(strconv.FormatInt(r[s.idxYear].Int, 10))
	for _, i := range s.keyIdx {
		write(s.Fields[i].Format(r[i]))
	}
	if occurrence > 1 {
		write("#" + strconv.Itoa(occurrence))
	}
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:8])
}

// KeyHash returns a compact hash of the key fields alone, for spotting
// duplicate keys within a feed without keeping every key in memory.
func (s *Schema) KeyHash(r Record) [16]byte {
	h := sha256.New()
	for _, i := range s.keyIdx {
		h.Write([]byte(s.Fields[i].Format(r[i])))
		h.Write([]byte{0x1f})
	}
	var k [16]byte
	copy(k[:], h.Sum(nil))
	return k
}

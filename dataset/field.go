package dataset

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Type is the kind of value a field holds. It decides how the value is
// parsed, stored in Parquet, indexed and shown.
type Type int

const (
	// Text is free text: names, titles, descriptions. Analysed for search.
	Text Type = iota
	// Code is an identifier kept exactly as written: region, account, package codes.
	Code
	// Enum is a short keyword, usually from a fixed list of allowed values.
	Enum
	// Integer is a whole number such as a fiscal year or a bidder count.
	Integer
	// Money is an amount in rupiah, held exactly as an int64 count of sen.
	Money
	// Date is a calendar date, held as days since 1970-01-01.
	Date
	// Timestamp is an instant, held as milliseconds since the Unix epoch (UTC).
	Timestamp
)

var typeNames = [...]string{"text", "code", "enum", "integer", "money", "date", "timestamp"}

// String returns the lower-case type name used in reports and docs.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("type(%d)", int(t))
}

// Label is a piece of user-facing text in Bahasa Indonesia and English.
type Label struct {
	ID string `json:"id"`
	EN string `json:"en"`
}

// Field describes one column of a dataset. Everything that lists fields
// (parsing, validation, Parquet, the search mapping, CSV headers, docs) is
// derived from these definitions.
type Field struct {
	Name        string
	Label       Label
	Description Label
	Type        Type
	// Required fields must be present and non-empty in every row.
	Required bool
	// Recommended columns are expected in every feed, but a feed without
	// one is taken with a warning: some official exports lack them (LKPP's
	// tender results carry neither the package name nor the method).
	Recommended bool
	// Derived fields are computed by Terbuka, never read from feeds: by
	// Schema.Complete from the record (region name), or by publishing from
	// the release (a package's red flags).
	Derived bool
	// List marks an Enum holding a set of its Allowed values, written
	// comma-separated in one column ("single_bidder,year_end"): each
	// value is a facet value of its own.
	List bool
	// Unindexed fields are kept in partitions and downloads but not in the
	// search index: figures a record page shows, never searched for.
	Unindexed bool
	// ResolvedFrom names the fields a Required field can be worked out
	// from (a revenue line's type from its name or account code): a feed
	// may leave it empty, or leave its column out when it has one of
	// these, and Schema.Complete settles the value or says why it cannot.
	// Parse takes any text for it; the Pattern holds for the value
	// Complete settles on.
	ResolvedFrom []string
	// Allowed lists the only values an Enum field may take (after lower-casing).
	Allowed []string
	// Pattern, when set, must match a Code value in full.
	Pattern *regexp.Regexp
	// Min and Max bound Integer values when Max > Min.
	Min, Max int64
	// Facet marks fields users filter and count by.
	Facet bool
	// Shown marks fields the search result list displays (and so stores).
	Shown bool
	// MaxLen caps text length in characters (0 means the default, 2000).
	MaxLen int
}

// FieldError says why a raw value does not fit its field. It carries a stable
// code for machines and messages in both languages for people.
type FieldError struct {
	Code string
	Msg  Label
}

func (e *FieldError) Error() string { return e.Msg.EN }

func fieldErr(code, id, en string, args ...any) *FieldError {
	return &FieldError{Code: code, Msg: Label{ID: fmt.Sprintf(id, args...), EN: fmt.Sprintf(en, args...)}}
}

const defaultMaxLen = 2000

// Parse turns raw text from a feed into a Value of the field's type. Empty
// input yields a null Value, or an error when the field is required.
func (f *Field) Parse(raw string) (Value, *FieldError) {
	s := strings.TrimSpace(raw)
	if s == "" {
		if f.Required && len(f.ResolvedFrom) == 0 {
			return Value{}, fieldErr("required", "wajib diisi", "is required")
		}
		return Value{}, nil
	}
	switch f.Type {
	case Text:
		return f.parseText(s)
	case Code:
		if f.Name == FieldAccountCode {
			return parseAccount(f, s)
		}
		if f.Pattern != nil && len(f.ResolvedFrom) == 0 && !f.Pattern.MatchString(s) {
			if err := codeHint(f.Name, s); err != nil {
				return Value{}, err
			}
			return Value{}, formatError(f.Pattern)
		}
		return f.parseText(s)
	case Enum:
		if f.List {
			return f.parseList(s)
		}
		v := strings.ToLower(strings.Join(strings.Fields(s), " "))
		if len(f.Allowed) > 0 && !slices.Contains(f.Allowed, v) {
			canon, ok := f.enumValue(v)
			if !ok {
				return Value{}, fieldErr("allowed", "bukan nilai yang diizinkan (%s)", "is not one of the allowed values (%s)", strings.Join(f.Allowed, ", "))
			}
			v = canon
		}
		return StringValue(v), nil
	case Integer:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Value{}, fieldErr("integer", "bukan bilangan bulat", "is not a whole number")
		}
		if f.Max > f.Min && (n < f.Min || n > f.Max) {
			return Value{}, fieldErr("range", "di luar rentang %d–%d", "is outside the range %d–%d", f.Min, f.Max)
		}
		return IntValue(n), nil
	case Money:
		sen, err := ParseMoney(s)
		if err != nil {
			return Value{}, err
		}
		return IntValue(sen), nil
	case Date:
		d, err := ParseDate(s)
		if err != nil {
			return Value{}, err
		}
		return IntValue(d), nil
	case Timestamp:
		ms, err := ParseTimestamp(s)
		if err != nil {
			return Value{}, err
		}
		return IntValue(ms), nil
	}
	panic(fmt.Sprintf("field %s: unknown type %d", f.Name, f.Type))
}

func (f *Field) parseText(s string) (Value, *FieldError) {
	if !utf8.ValidString(s) {
		return Value{}, fieldErr("encoding", "bukan UTF-8 yang sah", "is not valid UTF-8")
	}
	max := f.MaxLen
	if max == 0 {
		max = defaultMaxLen
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Value{}, fieldErr("too_long", "terlalu panjang (%d karakter, maksimum %d)", "is too long (%d characters, at most %d)", n, max)
	}
	return StringValue(s), nil
}

// parseList parses a List enum: comma-separated allowed values, kept once
// each in the order of Allowed.
func (f *Field) parseList(s string) (Value, *FieldError) {
	var have []string
	for _, part := range strings.Split(s, ",") {
		v := strings.ToLower(strings.TrimSpace(part))
		if v == "" {
			continue
		}
		if !slices.Contains(f.Allowed, v) {
			return Value{}, fieldErr("allowed", "%q bukan nilai yang diizinkan (%s)", "%q is not one of the allowed values (%s)", v, strings.Join(f.Allowed, ", "))
		}
		have = append(have, v)
	}
	var out []string
	for _, a := range f.Allowed {
		if slices.Contains(have, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return Value{}, nil
	}
	return StringValue(strings.Join(out, ",")), nil
}

// ListValues splits the value of a List field into its values.
func ListValues(v Value) []string {
	if !v.Valid || v.Str == "" {
		return nil
	}
	return strings.Split(v.Str, ",")
}

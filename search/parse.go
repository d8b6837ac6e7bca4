package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/terbuka/terbuka/dataset"
)

// Limits on what a user's query may ask of the index.
const (
	// maxQueryBytes bounds the query text; the portal's box allows 500
	// characters, so anything longer is not typed by a person.
	maxQueryBytes = 1000
	// maxClauses bounds words, phrases and field filters together: each
	// becomes a disjunction over many fields.
	maxClauses = 32
)

// clauseKind says what a part of the query asks for.
type clauseKind int

const (
	clauseWord   clauseKind = iota // a word, looked up in every searchable field
	clausePhrase                   // "quoted words", in this order
	clauseField                    // name:value, in one field
)

// clause is one part of a parsed query.
type clause struct {
	kind clauseKind
	text string
	// field is the schema field (or "dataset") of a clauseField.
	field string
	// not excludes records that match (a leading "-").
	not bool
}

// fieldAliases are the names users may put before a colon: the field names
// themselves plus the words people know, Indonesian first.
var fieldAliases = map[string]string{
	"wilayah": dataset.FieldRegionCode, "region": dataset.FieldRegionCode,
	"provinsi": dataset.FieldProvinceCode, "province": dataset.FieldProvinceCode,
	"tahun": dataset.FieldFiscalYear, "year": dataset.FieldFiscalYear,
	"tahap": "stage", "metode": "method", "kategori": "category", "jenis": "category",
	"sumber": "funding_source", "kelompok": dataset.FieldAccountGroup,
	"rekening": dataset.FieldAccountCode, "akun": dataset.FieldAccountCode,
	"skpd": "agency_name", "opd": "agency_name", "dinas": "agency_name", "instansi": "agency_name",
	"penyedia": "supplier_name", "supplier": "supplier_name",
	"paket": "title", "judul": "title", "rup": "package_id", "tender": "tender_id",
	"pajak": "type_code", "pungutan": "kind", "program": "program_name", "kegiatan": "activity_name",
}

// parseQuery splits what a user typed into clauses: words, "quoted
// phrases", name:value field filters, each optionally negated with a
// leading "-". Wildcards and regular expressions are refused rather than
// passed on: they scan the whole term dictionary, and codes already match
// by prefix.
func parseQuery(s string) ([]clause, error) {
	if len(s) > maxQueryBytes {
		return nil, invalid("kueri terlalu panjang (%d byte, maksimum %d)", "query is too long (%d bytes, at most %d)", len(s), maxQueryBytes)
	}
	if !utf8.ValidString(s) {
		return nil, invalid("kueri bukan UTF-8 yang sah", "query is not valid UTF-8")
	}
	var out []clause
	for rest := strings.TrimSpace(s); rest != ""; rest = strings.TrimLeftFunc(rest, unicode.IsSpace) {
		c, n, err := nextClause(rest)
		if err != nil {
			return nil, err
		}
		rest = rest[n:]
		if c.text == "" {
			continue
		}
		if out = append(out, c); len(out) > maxClauses {
			return nil, invalid("kueri memiliki lebih dari %d bagian", "query has more than %d parts", maxClauses)
		}
	}
	return out, nil
}

// nextClause reads one clause from the start of s and returns it with the
// number of bytes it used.
func nextClause(s string) (clause, int, error) {
	var c clause
	i := 0
	if s[0] == '-' && len(s) > 1 && !unicode.IsSpace(rune(s[1])) {
		c.not, i = true, 1
	}
	if s[i] == '"' {
		text, n, err := quoted(s[i:])
		c.kind, c.text = clausePhrase, text
		return c, i + n, err
	}
	end := strings.IndexFunc(s[i:], unicode.IsSpace)
	if end < 0 {
		end = len(s) - i
	}
	word := s[i : i+end]
	if name, value, ok := strings.Cut(word, ":"); ok && name != "" && !strings.ContainsAny(name, `"`) {
		field, known := fieldAliases[strings.ToLower(name)]
		if !known {
			field, known = filterField(strings.ToLower(name))
		}
		if !known {
			return c, 0, invalid("kolom %q tidak dikenal; gunakan mis. wilayah:32.73, tahun:2024, tahap:murni, metode:tender", "unknown field %q; use e.g. wilayah:32.73, tahun:2024, tahap:murni, metode:tender", name)
		}
		c.kind, c.field = clauseField, field
		if strings.HasPrefix(value, `"`) {
			text, n, err := quoted(s[i+len(name)+1:])
			c.text = text
			return c, i + len(name) + 1 + n, err
		}
		c.text = value
		return c, i + end, checkWord(value)
	}
	// A question ends in a question mark ("berapa gaji bupati?"): there it
	// is punctuation, not a wildcard.
	word = strings.TrimRight(word, "?")
	c.kind, c.text = clauseWord, word
	return c, i + end, checkWord(word)
}

// quoted reads a "…" string at the start of s.
func quoted(s string) (string, int, error) {
	end := strings.IndexByte(s[1:], '"')
	if end < 0 {
		return "", 0, invalid("tanda kutip tidak ditutup", "unclosed quotation mark")
	}
	return strings.TrimSpace(s[1 : 1+end]), end + 2, nil
}

// checkWord refuses the operators some search engines accept but that
// would be slow here or are not supported.
func checkWord(w string) error {
	switch {
	case strings.ContainsAny(w, "*?"):
		return invalid("wildcard (* atau ?) tidak didukung; kode rekening dan kode lain otomatis dicari menurut awalannya (mis. 5.1.02)", "wildcards (* or ?) are not supported; account and other codes match by prefix on their own (e.g. 5.1.02)")
	case len(w) >= 2 && w[0] == '/' && w[len(w)-1] == '/':
		return invalid("ekspresi reguler tidak didukung", "regular expressions are not supported")
	case strings.ContainsAny(w, "~^"):
		return invalid("operator ~ dan ^ tidak didukung; salah ketik ditoleransi otomatis", "the ~ and ^ operators are not supported; typos are tolerated on their own")
	}
	return nil
}

// filterField accepts a schema field name used directly before a colon.
func filterField(name string) (string, bool) {
	if name == fieldDataset {
		return name, true
	}
	if dataset.FindField(name) == nil || name == dataset.FieldID {
		return "", false
	}
	return name, true
}

// QueryError is a problem with what the user typed, in both languages. It
// wraps dataset.ErrInvalid so the portal answers 400.
type QueryError struct {
	Msg dataset.Label
}

func (e *QueryError) Error() string { return e.Msg.EN }

// Unwrap makes a QueryError an ErrInvalid.
func (e *QueryError) Unwrap() error { return dataset.ErrInvalid }

func invalid(id, en string, args ...any) error {
	return &QueryError{Msg: dataset.Label{ID: fmt.Sprintf(id, args...), EN: fmt.Sprintf(en, args...)}}
}

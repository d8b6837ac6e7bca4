package anchor

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// WriteSphinxDocuments writes the documents of the spec's table name as
// Sphinx's tsvpipe source reads them (`terbuka-anchor sphinx-source` is
// that source): for each row of the table's CSV files, which PostgreSQL
// copies, a line of the document id and the columns of SphinxLayout,
// separated by tabs. Ids are unique across tables, which a SphinxQL
// statement over several indexes needs.
func WriteSphinxDocuments(spec *Spec, name string, w io.Writer) error {
	ti := slices.IndexFunc(spec.Tables, func(t Table) bool { return t.Name == name })
	if ti < 0 {
		return fmt.Errorf("sphinx documents: the spec has no table %q", name)
	}
	t := spec.Tables[ti]
	layout, err := SphinxLayout(t)
	if err != nil {
		return err
	}
	// The files' columns are the spec's, in its order.
	pos := map[string]int{}
	for i, c := range t.Columns {
		pos[c.Name] = i
	}
	src := &tsvSource{t: t, layout: layout, pos: pos, id: int64(ti+1) << 40}
	bw := bufio.NewWriterSize(w, 1<<20)
	for _, path := range t.Files {
		if err := src.file(path, bw); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// tsvSource turns rows into tsvpipe lines.
type tsvSource struct {
	t      Table
	layout []SphinxColumn
	pos    map[string]int
	id     int64
	line   []byte
}

func (s *tsvSource) file(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	r.FieldsPerRecord = len(s.t.Columns)
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("read header of %s: %w", path, err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		if err := s.row(rec); err != nil {
			return fmt.Errorf("%s, row id %d: %w", path, s.id, err)
		}
		if _, err := w.Write(s.line); err != nil {
			return err
		}
	}
}

// row makes s.line of rec.
func (s *tsvSource) row(rec []string) error {
	s.id++
	s.line = strconv.AppendInt(s.line[:0], s.id, 10)
	for _, c := range s.layout {
		s.line = append(s.line, '\t')
		switch {
		case c.Name == SphinxCodes:
			s.line = s.codeTerms(s.line, rec)
		case c.Name == SphinxAmount:
			sen, err := parseSen(rec[s.pos[c.From]])
			if err != nil {
				return err
			}
			s.line = strconv.AppendInt(s.line, sen, 10)
		case c.Prefix > 0:
			v := []rune(rec[s.pos[c.From]])
			s.line = appendClean(s.line, string(v[:min(c.Prefix, len(v))]))
		default:
			s.line = appendClean(s.line, rec[s.pos[c.From]])
		}
	}
	s.line = append(s.line, '\n')
	return nil
}

// codeTerms appends the terms of every code of rec, space-separated.
func (s *tsvSource) codeTerms(line []byte, rec []string) []byte {
	first := true
	for _, c := range s.t.Codes {
		code := rec[s.pos[c]]
		if code == "" {
			continue
		}
		if !first {
			line = append(line, ' ')
		}
		first = false
		line = exactTerm(line, code)
		for i := range len(code) {
			if code[i] == '.' {
				line = underTerm(append(line, ' '), code[:i+1])
			}
		}
	}
	return line
}

// SphinxCodeMatch is the Sphinx full-text query for a code: the code
// itself, or any code under it, in any code column, as PostgreSQL's
// code = $1 OR code LIKE '$1.%'.
func SphinxCodeMatch(code string) string {
	exact := exactTerm(nil, code)
	under := underTerm(nil, strings.TrimSuffix(code, ".")+".")
	return "@" + SphinxCodes + " (" + string(exact) + " | " + string(under) + ")"
}

// A code stands in Sphinx as words it indexes as they are: the term of
// "=5.1.02.01" for the code 5.1.02.01 itself, and of "5.1.02." for any
// code under 5.1.02 (one for each dotted prefix of a code). Codes hold
// dots, dashes and letters, which Sphinx would split on or fold, and may
// run past its 42-byte words, so a term is a 64-bit FNV-1a hash written
// as "c" and 16 hex digits: exact and case-sensitive, as PostgreSQL's =
// and LIKE are.
func exactTerm(line []byte, code string) []byte {
	return appendTerm(line, fnv1a(fnv1a(fnvOffset, "="), code))
}

// underTerm is the term of prefix, which ends with a dot.
func underTerm(line []byte, prefix string) []byte { return appendTerm(line, fnv1a(fnvOffset, prefix)) }

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnv1a(h uint64, s string) uint64 {
	for i := range len(s) {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func appendTerm(line []byte, h uint64) []byte {
	const hex = "0123456789abcdef"
	line = append(line, 'c')
	for shift := 60; shift >= 0; shift -= 4 {
		line = append(line, hex[h>>uint(shift)&0xf])
	}
	return line
}

// appendClean appends v with the tabs and line breaks that would end a
// tsvpipe column or document as spaces, which separate words the same.
func appendClean(line []byte, v string) []byte {
	for i := range len(v) {
		switch c := v[i]; c {
		case '\t', '\n', '\r':
			line = append(line, ' ')
		default:
			line = append(line, c)
		}
	}
	return line
}

// parseSen reads a CSV money value as PostgreSQL's numeric(18,2) does
// ("1234567", "1234567.5", "-12.34"; empty is 0, as NULL adds nothing to
// a sum) into sen, exactly.
func parseSen(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(v, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(v, "-"), ".")
	if len(frac) > 2 || strings.ContainsAny(whole+frac, "+-") || whole+frac == "" {
		return 0, fmt.Errorf("money %q: not an amount with at most two decimals", v)
	}
	n, err := strconv.ParseInt(whole+frac+strings.Repeat("0", 2-len(frac)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("money %q: %w", v, err)
	}
	if neg {
		n = -n
	}
	return n, nil
}

package search

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalize rewrites q into the one form of the queries that ask exactly
// the same of the index, so they share a cached result: the text with its
// clauses written one way, the default page size spelled out, dates in
// UTC. The cache searches the normalised query, not the caller's, so that
// the Next cursor of a shared result continues whichever spelling asks for
// the next page (a cursor holds a hash of the query's text).
//
// Filters need nothing: a map has no order, and the key (cacheKey) lists
// it sorted. An empty filter value is kept: it filters nothing, but a
// field the datasets do not have is still an error.
func normalize(q Query) Query {
	q.Text = normalText(q.Text)
	if q.Size == 0 {
		q.Size = defaultSize
	}
	if !q.DateFrom.IsZero() {
		q.DateFrom = q.DateFrom.UTC()
	}
	if !q.DateTo.IsZero() {
		q.DateTo = q.DateTo.UTC()
	}
	return q
}

// normalText writes the clauses of a query text one way: single spaces
// between them, field aliases as the field's name (wilayah:32.73 →
// region_code:32.73), field values quoted only when they must be, and
// plain words in lower case unless they look like codes, which are
// matched as written. Everything else is kept as typed: a phrase or a
// field value may be matched exactly. A text that does not parse is left
// alone, so that its error is the same.
func normalText(text string) string {
	if len(text) > maxQueryBytes || !utf8.ValidString(text) {
		return text
	}
	clauses, err := parseQuery(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	for i, c := range clauses {
		if i > 0 {
			b.WriteByte(' ')
		}
		if c.not {
			b.WriteByte('-')
		}
		switch c.kind {
		case clausePhrase:
			b.WriteString(`"` + c.text + `"`)
		case clauseField:
			b.WriteString(c.field + ":")
			if strings.ContainsFunc(c.text, unicode.IsSpace) || checkWord(c.text) != nil {
				b.WriteString(`"` + c.text + `"`)
			} else {
				b.WriteString(c.text)
			}
		default:
			b.WriteString(normalWord(c.text))
		}
	}
	return b.String()
}

// normalWord lower-cases the ASCII letters of a plain word: the analyser
// lower-cases words before anything else, and abbreviations and typos are
// looked up lower-cased. A word that looks like a code is kept as typed,
// since codes are matched as written (and upper-cased); so is one with a
// colon, whose meaning depends on what precedes it.
func normalWord(w string) string {
	if looksLikeCode(w) || strings.Contains(w, ":") {
		return w
	}
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, w)
}

// cacheKey is the key of a normalised query in a Cache: every field of
// it, map keys sorted (encoding/json sorts them).
func cacheKey(q Query) string {
	b, err := json.Marshal(q)
	if err != nil {
		// A Query holds strings, numbers and times only; a time past the
		// year 9999 does not marshal, and is not worth caching.
		return ""
	}
	return string(b)
}

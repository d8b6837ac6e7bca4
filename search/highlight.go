package search

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Snippets are marked here rather than by Bleve's highlighter, which needs
// the query run again over the page's records with term positions: with
// scored postings that walk every posting up to each record, it took half
// of a filtered search's time. Re-analysing a page's few shown fields is
// cheap and marks the same words: those whose stem or written form the
// query has, and near misses of long words, as the search matched them.

// snippetRunes bounds a snippet; longer text is cut around its first mark.
const snippetRunes = 200

// marker knows the words of one query.
type marker struct {
	analyzer analysis.Analyzer
	stems    map[string]bool
	written  map[string]bool
	// fuzzy are the written words typos are tolerated in.
	fuzzy []string
	// starts are the written words that may begin longer ones.
	starts []string
}

// longer reports whether w is longer than and starts with a query word
// (honorarium for honor).
func (m *marker) longer(w string) bool {
	for _, s := range m.starts {
		if len(w) > len(s) && strings.HasPrefix(w, s) {
			return true
		}
	}
	return false
}

// newMarker returns the marker of what the user typed, nil when nothing
// could be marked (no words, or only excluded ones).
func (ix *Index) newMarker(text string) *marker {
	clauses, err := parseQuery(text)
	if err != nil {
		return nil
	}
	m := &marker{analyzer: ix.idx.Mapping().AnalyzerNamed(analyzerName), stems: map[string]bool{}, written: map[string]bool{}}
	if m.analyzer == nil {
		return nil
	}
	add := func(s string, fuzzy bool) {
		toks, err := ix.tokens(s)
		if err != nil {
			return
		}
		for _, t := range toks {
			m.stems[t.stem], m.written[t.written] = true, true
			if fuzzy && fuzzyWord(t.written) {
				m.fuzzy = append(m.fuzzy, t.written)
			}
		}
	}
	var words []string
	for _, c := range clauses {
		if c.not {
			continue
		}
		switch c.kind {
		case clauseWord:
			add(c.text, true)
			words = append(words, c.text)
			if w := strings.ToLower(c.text); prefixWord(w, true) {
				m.starts = append(m.starts, w)
			}
		case clausePhrase:
			add(c.text, false)
		case clauseField:
			add(c.text, false)
		}
	}
	// What the synonym table says the words mean is marked too: the
	// record found for "pajak restoran" shows why.
	if us, err := ix.units(words); err == nil {
		for _, u := range us {
			if u.also != nil {
				for _, p := range u.also.phrases {
					add(p, false)
				}
			}
		}
	}
	if len(m.stems) == 0 {
		return nil
	}
	return m
}

// snippet returns text HTML-escaped with the query's words in <mark>, cut
// to about snippetRunes around the first; ok is false when nothing matched.
func (m *marker) snippet(text string) (string, bool) {
	type span struct{ start, end int }
	var spans []span
	for _, tok := range m.analyzer.Analyze([]byte(text)) {
		w := strings.ToLower(text[tok.Start:tok.End])
		if m.stems[string(tok.Term)] || m.written[w] || m.nearMiss(w) || m.longer(w) {
			spans = append(spans, span{tok.Start, tok.End})
		}
	}
	if len(spans) == 0 {
		return "", false
	}
	from, to := window(text, spans[0].start)
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, s := range spans {
		if s.start < at || s.end > to {
			continue
		}
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String(), true
}

// window returns the byte range of text, about snippetRunes long, that
// holds the byte offset first: from a quarter of the snippet before it.
func window(text string, first int) (int, int) {
	if utf8.RuneCountInString(text) <= snippetRunes {
		return 0, len(text)
	}
	from := first
	for n := 0; n < snippetRunes/4 && from > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:from])
		from -= size
	}
	// Start at a word.
	if i := strings.IndexByte(text[from:first], ' '); from > 0 && i >= 0 {
		from += i + 1
	}
	to := from
	for n := 0; n < snippetRunes && to < len(text); n++ {
		_, size := utf8.DecodeRuneInString(text[to:])
		to += size
	}
	if i := strings.LastIndexByte(text[first:to], ' '); to < len(text) && i > 0 {
		to = first + i
	}
	return from, to
}

// nearMiss reports whether w is one edit from a long query word, with the
// same first letter: the typos the search tolerates.
func (m *marker) nearMiss(w string) bool {
	for _, f := range m.fuzzy {
		if w != f && w[0] == f[0] && oneEdit(w, f) {
			return true
		}
	}
	return false
}

// oneEdit reports whether a and b differ by at most one inserted, deleted
// or substituted rune.
func oneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) > 1 {
		return false
	}
	i := 0
	for i < len(rb) && ra[i] == rb[i] {
		i++
	}
	if len(ra) == len(rb) {
		return string(ra[i+min(1, len(ra)-i):]) == string(rb[i+min(1, len(rb)-i):])
	}
	return string(ra[i+1:]) == string(rb[i:])
}

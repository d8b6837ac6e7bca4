package search

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/terbuka/terbuka/dataset"
)

// maxSuggestEdits is how far a word longer than minFuzzyLen may be from
// the word suggested for it: two edits reach "restauran" → "restoran";
// shorter words get one.
const maxSuggestEdits = 2

// suggest returns the query with each word that no record holds replaced
// by the nearest word records do hold (the most frequent, among the
// fewest edits away) or by a word of the synonym table's typed forms; ""
// when no word could be replaced. It runs only when no record holds every
// word, so it may read the term dictionary.
func (ix *Index) suggest(ctx context.Context, r index.IndexReader, text string) (string, error) {
	clauses, err := parseQuery(text)
	if err != nil {
		return "", nil // the search already reported it
	}
	e, err := ix.loadExpansions()
	if err != nil {
		return "", err
	}
	var words []string
	for _, c := range clauses {
		if c.kind == clauseWord && !c.not {
			words = append(words, c.text)
		}
	}
	us, err := ix.units(words)
	if err != nil {
		return "", err
	}
	known := map[string]bool{} // words the tables give a meaning
	for _, u := range us {
		for _, w := range u.words {
			known[w] = known[w] || u.also != nil
		}
	}
	changed := false
	var out []string
	for _, c := range clauses {
		word := c.text
		if c.kind == clauseWord && !c.not && !known[word] && fuzzyish(word) {
			own, err := ix.presence([]string{word})
			if err != nil {
				return "", err
			}
			found, err := own.found(ctx, r)
			if err != nil {
				return "", fmt.Errorf("search: %w", err)
			}
			if !found {
				if s, err := nearestWord(r, e, strings.ToLower(word)); err != nil {
					return "", err
				} else if s != "" {
					word, changed = s, true
				}
			}
		}
		out = append(out, written(c, word))
	}
	if !changed {
		return "", nil
	}
	return strings.Join(out, " "), nil
}

// fuzzyish reports whether a word is worth suggesting for: letters only,
// three or more.
func fuzzyish(w string) bool {
	return prefixWord(strings.ToLower(w), true)
}

// nearestWord returns the word of the records or of the synonym table
// nearest to word, "" when none is within maxSuggestEdits.
func nearestWord(r index.IndexReader, e *expansions, word string) (string, error) {
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return "", fmt.Errorf("search: index reader %T has no fuzzy dictionary", r)
	}
	type candidate struct {
		word  string
		edits int
		n     uint64
	}
	var best candidate
	better := func(c candidate) bool {
		if best.word == "" {
			return true
		}
		return cmp.Or(cmp.Compare(c.edits, best.edits), cmp.Compare(best.n, c.n), strings.Compare(c.word, best.word)) < 0
	}
	// One edit in a short word already makes another word (koran, iuran).
	far := maxSuggestEdits
	if utf8.RuneCountInString(word) <= minFuzzyLen {
		far = 1
	}
	d, err := fr.FieldDictFuzzy(fieldTextExact, word, far, "")
	if err != nil {
		return "", fmt.Errorf("search: words near %q: %w", word, err)
	}
	defer d.Close()
	for {
		de, err := d.Next()
		if err != nil {
			return "", fmt.Errorf("search: words near %q: %w", word, err)
		}
		if de == nil {
			break
		}
		c := candidate{de.Term, edits(word, de.Term, far), de.Count}
		if c.word != word && c.edits <= far && fuzzyish(c.word) && better(c) {
			best = c
		}
	}
	for _, typed := range e.typed {
		c := candidate{typed, edits(word, typed, far), 1}
		if c.word != word && c.edits <= far && better(c) {
			best = c
		}
	}
	return best.word, nil
}

// edits is the edit distance between a and b (a swap of neighbours is
// one), or limit+1 beyond limit.
func edits(a, b string, limit int) int {
	return dataset.EditDistance([]rune(a), []rune(b), limit)
}

// written returns a clause as the user would type it, with word as its text.
func written(c clause, word string) string {
	var b strings.Builder
	if c.not {
		b.WriteByte('-')
	}
	if c.kind == clauseField {
		b.WriteString(c.field + ":")
	}
	if c.kind == clausePhrase || (c.kind == clauseField && strings.Contains(word, " ")) {
		b.WriteString(`"` + word + `"`)
	} else {
		b.WriteString(word)
	}
	return b.String()
}

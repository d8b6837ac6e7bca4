package search

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/terbuka/terbuka/dataset"
)

// Citizens ask in everyday words and abbreviations ("pajak restoran",
// "bansos", "mobil dinas") for what records spell in the words of the
// regulations ("PBJT atas Makanan dan/atau Minuman", "Belanja Bantuan
// Sosial", "Kendaraan Dinas Jabatan"), and for the names of the account
// hierarchy a line sits in ("belanja pegawai") that the line itself never
// says. Both are applied at query time: a word or run of words found in
// the table also matches what it means, ranked below the words themselves,
// so the table can be reviewed and changed without rebuilding the index.

// synonymsTSV is the reviewed table: typed form, what records say (phrases
// separated by " | "), and the source of the equivalence.
//
//go:embed synonyms.tsv
var synonymsTSV string

// synonym is one entry of the table.
type synonym struct {
	typed  string
	means  []string
	source string
	line   int
}

// parseSynonyms reads the table, refusing entries without a source, empty
// meanings, upper-case or punctuated typed forms and repeated typed forms.
func parseSynonyms(text string) ([]synonym, error) {
	var out []synonym
	seen := map[string]int{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n := i + 1
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			return nil, fmt.Errorf("synonyms.tsv line %d: %d columns, want 3 (typed, means, source)", n, len(cols))
		}
		s := synonym{typed: strings.Join(strings.Fields(cols[0]), " "), source: strings.TrimSpace(cols[2]), line: n}
		for _, m := range strings.Split(cols[1], "|") {
			if m = strings.Join(strings.Fields(m), " "); m != "" {
				s.means = append(s.means, m)
			}
		}
		switch {
		case s.typed == "":
			return nil, fmt.Errorf("synonyms.tsv line %d: no typed form", n)
		case strings.IndexFunc(s.typed, func(r rune) bool {
			return unicode.IsUpper(r) || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-')
		}) >= 0:
			return nil, fmt.Errorf("synonyms.tsv line %d: typed form %q must be lower-case words", n, s.typed)
		case len(s.means) == 0:
			return nil, fmt.Errorf("synonyms.tsv line %d: %q means nothing", n, s.typed)
		case s.source == "":
			return nil, fmt.Errorf("synonyms.tsv line %d: %q has no source", n, s.typed)
		}
		if j, dup := seen[s.typed]; dup {
			return nil, fmt.Errorf("synonyms.tsv lines %d and %d both define %q", j, n, s.typed)
		}
		seen[s.typed] = n
		out = append(out, s)
	}
	return out, nil
}

// expansion is what a run of query words also matches: phrases as records
// write them, or the accounts below a node of the account hierarchy.
type expansion struct {
	phrases []string
	// accounts are the nodes whose whole name (or its abbreviation) the
	// words are; byWord those one of whose name's words the unit is.
	accounts, byWord []string
}

// expansions maps runs of query words, as their stems joined by spaces, to
// what they also match.
type expansions struct {
	byStems map[string]*expansion
	// longest is the most words a key has.
	longest int
	// typed are the words of the table's typed forms, which suggestions
	// may offer.
	typed []string
}

// Limits on how a single word of an account name reaches the accounts
// below it. A word in the names of more nodes than maxWordAccounts
// ("daerah", "lain") says nothing about which; the account groups
// themselves (pendapatan, belanja, pembiayaan) are already words of every
// line.
const maxWordAccounts = 3

// loadExpansions builds the table for an index: keys and account names go
// through the index's own analyzer, so they meet query words as stems.
func (ix *Index) loadExpansions() (*expansions, error) {
	ix.expandOnce.Do(func() {
		syns, err := parseSynonyms(synonymsTSV)
		if err != nil {
			ix.expandErr = err
			return
		}
		ix.expand, ix.expandErr = ix.buildExpansions(syns)
	})
	return ix.expand, ix.expandErr
}

func (ix *Index) buildExpansions(syns []synonym) (*expansions, error) {
	e := &expansions{byStems: map[string]*expansion{}}
	add := func(typed string) (*expansion, error) {
		toks, err := ix.tokens(typed)
		if err != nil || len(toks) == 0 {
			return nil, err
		}
		stems := make([]string, len(toks))
		for i, t := range toks {
			stems[i] = t.stem
		}
		key := strings.Join(stems, " ")
		x := e.byStems[key]
		if x == nil {
			x = &expansion{}
			e.byStems[key] = x
			e.longest = max(e.longest, len(stems))
		}
		return x, nil
	}
	for _, s := range syns {
		x, err := add(s.typed)
		if err != nil {
			return nil, err
		}
		if x == nil {
			return nil, fmt.Errorf("synonyms.tsv line %d: %q is only stop words", s.line, s.typed)
		}
		for _, w := range strings.Fields(s.typed) {
			if !slices.Contains(e.typed, w) {
				e.typed = append(e.typed, w)
			}
		}
		for _, m := range s.means {
			if !slices.Contains(x.phrases, m) {
				x.phrases = append(x.phrases, m)
			}
		}
	}
	// The account hierarchy: a node's whole name, the abbreviation in its
	// brackets ("(PAD)", "(SiLPA)"), and each word of it that few nodes
	// share, reach the accounts below the node.
	byWord := map[string][]string{}
	codes := slices.Sorted(maps.Keys(maps.Collect(dataset.AccountNames())))
	for _, code := range codes {
		if !strings.Contains(code, ".") {
			continue // an account group: its name is a word of every line
		}
		name := dataset.AccountName(code).ID
		full, abbr, _ := strings.Cut(name, "(")
		for _, typed := range []string{full, strings.TrimSuffix(abbr, ")")} {
			if strings.TrimSpace(typed) == "" {
				continue
			}
			x, err := add(typed)
			if err != nil {
				return nil, err
			}
			if x != nil && !slices.Contains(x.accounts, code) {
				x.accounts = append(x.accounts, code)
			}
		}
		toks, err := ix.tokens(full)
		if err != nil {
			return nil, err
		}
		for _, t := range toks {
			if !slices.Contains(dataset.AccountGroups, t.written) {
				byWord[t.stem] = append(byWord[t.stem], code)
			}
		}
	}
	for stem, codes := range byWord {
		codes = topAccounts(codes)
		if len(codes) > maxWordAccounts {
			continue
		}
		x := e.byStems[stem]
		if x == nil {
			x = &expansion{}
			e.byStems[stem] = x
			e.longest = max(e.longest, 1)
		}
		for _, c := range codes {
			if !slices.Contains(x.byWord, c) {
				x.byWord = append(x.byWord, c)
			}
		}
	}
	return e, nil
}

// topAccounts drops the codes that lie below another code of the list:
// the accounts below 5.2 include those below 5.2.04.
func topAccounts(codes []string) []string {
	var out []string
	for _, c := range codes {
		if !slices.ContainsFunc(codes, func(a string) bool { return a != c && strings.HasPrefix(c, a+".") }) &&
			!slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// unit is one thing a query asks for: a word, or a run of consecutive
// words that the table knows as one ("pajak restoran", "mobil dinas"),
// with what the table says the run also means.
type unit struct {
	words []string
	also  *expansion
}

// units groups the words of a query, longest runs first: "pajak restoran
// kota bandung" is [pajak restoran] [kota] [bandung]. Words that are only
// stop words are dropped, as the query would drop them.
func (ix *Index) units(words []string) ([]unit, error) {
	e, err := ix.loadExpansions()
	if err != nil {
		return nil, err
	}
	type analysed struct {
		word  string
		stems []string
	}
	var seq []analysed
	for _, w := range words {
		toks, err := ix.tokens(w)
		if err != nil {
			return nil, err
		}
		a := analysed{word: w}
		for _, t := range toks {
			a.stems = append(a.stems, t.stem)
		}
		if len(a.stems) > 0 || looksLikeCode(w) {
			seq = append(seq, a)
		}
	}
	var out []unit
	for i := 0; i < len(seq); {
		n := 1
		var also *expansion
		for l := min(e.longest, len(seq)-i); l >= 1; l-- {
			var key []string
			for _, a := range seq[i : i+l] {
				key = append(key, a.stems...)
			}
			if x, ok := e.byStems[strings.Join(key, " ")]; ok && len(key) > 0 {
				n, also = l, x
				break
			}
		}
		u := unit{also: also}
		for _, a := range seq[i : i+n] {
			u.words = append(u.words, a.word)
		}
		out = append(out, u)
		i += n
	}
	return out, nil
}

// expandOnce guards the lazily built table of an Index.
type expandState struct {
	expandOnce sync.Once
	expand     *expansions
	expandErr  error
}

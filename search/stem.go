package search

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// StemFilterName is the name under which the Indonesian stemming token
// filter is registered with bleve. Mappings stored in an index refer to it
// by this name, so renaming it needs a new mappingRevision.
const StemFilterName = "stem_id_tala"

// stemDerivationalKey is the optional filter setting that, when false,
// strips only particles and possessive pronouns, like Lucene's
// IndonesianStemFilter with stemDerivational=false. The default is full
// stemming.
const stemDerivationalKey = "stem_derivational"

// The filter is registered from init, unlike anything else in this
// project, because bleve resolves the type of every token filter named in
// a stored mapping through its process-wide registry when an index is
// opened: any process that opens the index, including one that only reads
// it, must have the type registered first, or analysis fails at the first
// query. Every bleve analysis package (lowercase, stop, unicode) registers
// itself the same way.
func init() {
	if err := registry.RegisterTokenFilter(StemFilterName, newStemFilter); err != nil {
		panic(err)
	}
}

// stemFilter is a bleve token filter that replaces each term by its stem.
type stemFilter struct {
	derivational bool
}

// newStemFilter is the registry constructor. It accepts an optional
// boolean stemDerivationalKey.
func newStemFilter(config map[string]any, _ *registry.Cache) (analysis.TokenFilter, error) {
	f := &stemFilter{derivational: true}
	if v, ok := config[stemDerivationalKey]; ok {
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("token filter %s: %s must be a boolean, not %T", StemFilterName, stemDerivationalKey, v)
		}
		f.derivational = b
	}
	return f, nil
}

// Filter stems every term in place. A stem is never longer than its word,
// so the term's own bytes suffice; the token filters before it (the
// tokenizer, lowercase) already share the analysed buffer this way, and
// bleve copies a stored field's value before analysing it. Start and End
// still span the whole word, so highlights mark what was written.
func (f *stemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.KeyWord {
			continue
		}
		lead, start, end := stemSpan(tok.Term, f.derivational)
		if lead == 0 {
			// A capacity cut at the stem keeps a later filter that appends
			// from writing over the rest of the buffer.
			tok.Term = tok.Term[start:end:end]
			continue
		}
		// start is at least 3 here, so the stem moves left onto bytes of
		// the removed prefix and the lead is written in front of it.
		n := copy(tok.Term[1:], tok.Term[start:end])
		tok.Term[0] = lead
		tok.Term = tok.Term[: 1+n : 1+n]
	}
	return input
}

// Stem returns the stem of a lower-case Indonesian word, following the
// dictionary-free algorithm of Tala (2003), "A Study of Stemming Effects on
// Information Retrieval in Bahasa Indonesia", exactly as Lucene's
// IndonesianStemmer implements it with stemDerivational=true. It is a
// light stemmer: it strips affixes by rule and often leaves a stem that is
// not a dictionary word ("memukul" → "ukul", "sekolah" → "seko"). A query
// word is stemmed the same way, so a word always finds itself, and forms
// built with the same kind of affixes meet on one stem. Words of two syllables or fewer, and words containing a
// digit or a dot (years, account codes such as 5.1.02.01.01.0024), are
// returned unchanged. The result is never empty and never longer than
// word, and it allocates only when a prefix is replaced by a consonant
// ("menyapu" → "sapu").
func Stem(word string) string {
	lead, start, end := stemSpan(word, true)
	if lead == 0 {
		return word[start:end]
	}
	var b strings.Builder
	b.Grow(1 + end - start)
	b.WriteByte(lead)
	b.WriteString(word[start:end])
	return b.String()
}

// stemSpan stems w and returns the stem as w[start:end], preceded by the
// byte lead unless lead is 0. Returning a span rather than a new word lets
// both Stem (on strings) and the filter (on a token's bytes) stem without
// allocating.
func stemSpan[T ~string | ~[]byte](w T, derivational bool) (lead byte, start, end int) {
	vowels := 0
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c == '.' || '0' <= c && c <= '9':
			return 0, 0, len(w)
		case isVowel(c):
			vowels++
		}
	}
	s := stemmer[T]{w: w, end: len(w), vowels: vowels}
	s.stem(derivational)
	if s.len() == 0 {
		// Unreachable: each removal takes one vowel and needs three, so
		// at least two remain. Kept so an edited rule cannot empty a term.
		return 0, 0, len(w)
	}
	return s.lead, s.start, s.end
}

// Flags recording which prefix was removed; they decide which derivational
// suffix may be removed after it. Lucene sets no flag for per- and for the
// pel- of "pelajar".
const (
	removedKe = 1 << iota
	removedPeng
	removedDi
	removedMeng
	removedTer
	removedBer
	removedPe
)

// stemmer holds a word being stemmed: the current stem is lead (when not
// 0) followed by w[start:end]. Lucene rewrites a char array in place; a
// span over the unchanged word plus one replaced byte is enough, because
// the only replacement is a prefix's last letter becoming s or t, and it
// happens at most once, at the front.
type stemmer[T ~string | ~[]byte] struct {
	w          T
	lead       byte
	start, end int
	// vowels counts a, e, i, o and u in the current stem: Tala's
	// "syllables". Every rule removes exactly one vowel.
	vowels int
	flags  int
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

func (s *stemmer[T]) len() int {
	if s.lead != 0 {
		return 1 + s.end - s.start
	}
	return s.end - s.start
}

// at returns the byte at index i of the current stem.
func (s *stemmer[T]) at(i int) byte {
	if s.lead != 0 {
		if i == 0 {
			return s.lead
		}
		i--
	}
	return s.w[s.start+i]
}

func (s *stemmer[T]) hasPrefix(p string) bool {
	if s.len() < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if s.at(i) != p[i] {
			return false
		}
	}
	return true
}

func (s *stemmer[T]) hasSuffix(p string) bool {
	off := s.len() - len(p)
	if off < 0 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if s.at(off+i) != p[i] {
			return false
		}
	}
	return true
}

// is reports whether the current stem is exactly p.
func (s *stemmer[T]) is(p string) bool {
	return s.len() == len(p) && s.hasPrefix(p)
}

// cutPrefix removes the first n bytes and one syllable, and records flag.
func (s *stemmer[T]) cutPrefix(n, flag int) bool {
	if s.lead != 0 {
		s.lead = 0
		n--
	}
	s.start += n
	s.vowels--
	s.flags |= flag
	return true
}

// replacePrefix removes the first n bytes and puts c in their place, as
// in meny-+vowel → s-: Lucene overwrites the prefix's last letter and
// deletes the rest.
func (s *stemmer[T]) replacePrefix(n int, c byte, flag int) bool {
	s.cutPrefix(n, flag)
	s.lead = c
	return true
}

// cutSuffix removes the last n bytes and one syllable.
func (s *stemmer[T]) cutSuffix(n int) bool {
	s.end -= n
	s.vowels--
	return true
}

// stem applies the rules in Lucene's order, each only while the word still
// has more than two syllables.
func (s *stemmer[T]) stem(derivational bool) {
	if s.vowels > 2 {
		s.removeParticle()
	}
	if s.vowels > 2 {
		s.removePossessive()
	}
	if !derivational || s.vowels <= 2 {
		return
	}
	// Tala's two paths: prefix-suffix-prefix when a first-order prefix is
	// found, else second-order prefix then suffix. After a first-order
	// prefix, a second-order one is only looked for if a suffix was
	// removed in between (mem-per-hati-kan), as in Lucene.
	if s.removeFirstOrderPrefix() {
		if s.vowels > 2 && s.removeSuffix() && s.vowels > 2 {
			s.removeSecondOrderPrefix()
		}
		return
	}
	s.removeSecondOrderPrefix()
	if s.vowels > 2 {
		s.removeSuffix()
	}
}

// removeParticle strips -kah, -lah or -pun. Tala and Lucene do not strip
// -tah.
func (s *stemmer[T]) removeParticle() bool {
	if s.hasSuffix("kah") || s.hasSuffix("lah") || s.hasSuffix("pun") {
		return s.cutSuffix(3)
	}
	return false
}

// removePossessive strips -ku, -mu or -nya.
func (s *stemmer[T]) removePossessive() bool {
	switch {
	case s.hasSuffix("ku") || s.hasSuffix("mu"):
		return s.cutSuffix(2)
	case s.hasSuffix("nya"):
		return s.cutSuffix(3)
	}
	return false
}

// removeFirstOrderPrefix strips meng-, me-, peng-, pe-, di-, ter- or ke-
// in their nasal forms. Order matters: longer forms are tried first. The
// only sound changes restored are the ones Lucene restores: meny-/peny-
// before a vowel give s- (menyapu → sapu) and pen- before a vowel gives t-
// (penerangan → terang). Lucene restores no p- after mem-/pem- (memukul →
// ukul) and no t- after men- (menuduh → uduh): memukul, pemukul and
// pemukulan still meet on "ukul", but not with dipukul or pukul.
func (s *stemmer[T]) removeFirstOrderPrefix() bool {
	switch {
	case s.hasPrefix("meng"):
		return s.cutPrefix(4, removedMeng)
	case s.hasPrefix("meny") && s.len() > 4 && isVowel(s.at(4)):
		return s.replacePrefix(4, 's', removedMeng)
	case s.hasPrefix("men"), s.hasPrefix("mem"):
		return s.cutPrefix(3, removedMeng)
	case s.hasPrefix("me"):
		return s.cutPrefix(2, removedMeng)
	case s.hasPrefix("peng"):
		return s.cutPrefix(4, removedPeng)
	case s.hasPrefix("peny") && s.len() > 4 && isVowel(s.at(4)):
		return s.replacePrefix(4, 's', removedPeng)
	case s.hasPrefix("peny"):
		return s.cutPrefix(4, removedPeng)
	case s.hasPrefix("pen") && s.len() > 3 && isVowel(s.at(3)):
		return s.replacePrefix(3, 't', removedPeng)
	case s.hasPrefix("pen"), s.hasPrefix("pem"):
		return s.cutPrefix(3, removedPeng)
	case s.hasPrefix("di"):
		return s.cutPrefix(2, removedDi)
	case s.hasPrefix("ter"):
		return s.cutPrefix(3, removedTer)
	case s.hasPrefix("ke"):
		return s.cutPrefix(2, removedKe)
	}
	return false
}

// removeSecondOrderPrefix strips ber-, be-, per- or pe-. "belajar" and
// "pelajar" lose bel- and pel- (→ ajar) but only as whole words, as in
// Lucene: "pelajaran" loses pe- and gives "lajar". be- is removed only
// before consonant+"er" (bekerja → kerja), so "belanja" keeps it.
func (s *stemmer[T]) removeSecondOrderPrefix() bool {
	switch {
	case s.hasPrefix("ber"):
		return s.cutPrefix(3, removedBer)
	case s.is("belajar"):
		return s.cutPrefix(3, removedBer)
	case s.hasPrefix("be") && s.beforeEr():
		return s.cutPrefix(2, removedBer)
	case s.hasPrefix("per"), s.is("pelajar"):
		return s.cutPrefix(3, 0)
	case s.hasPrefix("pe"):
		return s.cutPrefix(2, removedPe)
	}
	return false
}

// beforeEr reports whether the character after "be" is not a vowel and is
// followed by "er". Lucene compares UTF-16 chars; the character is decoded
// here so that a non-ASCII letter counts as one character as it does
// there, and one outside the BMP (two chars in Java) never matches.
func (s *stemmer[T]) beforeEr() bool {
	if s.len() <= 4 || isVowel(s.at(2)) {
		return false
	}
	n := utf8SeqLen(s.at(2))
	if n == 4 {
		return false
	}
	i := 2 + n
	return i+1 < s.len() && s.at(i) == 'e' && s.at(i+1) == 'r'
}

// utf8SeqLen returns the length of the UTF-8 sequence that starts with b,
// or 1 for a byte that cannot start one.
func utf8SeqLen(b byte) int {
	switch {
	case b >= 0xf0:
		return 4
	case b >= 0xe0:
		return 3
	case b >= 0xc0:
		return 2
	}
	return 1
}

// removeSuffix strips -kan, -an or -i unless the prefix already removed
// forbids it, as in Lucene: -kan not after ke-, peng- or pe-; -an not
// after di-, meng- or ter-; -i not after ber-, ke- or peng-, nor after s
// (which protects loanwords in -si: rehabilitasi, retribusi). When -kan is
// forbidden, -an is still tried (kenaikan → naik).
func (s *stemmer[T]) removeSuffix() bool {
	switch {
	case s.hasSuffix("kan") && s.flags&(removedKe|removedPeng|removedPe) == 0:
		return s.cutSuffix(3)
	case s.hasSuffix("an") && s.flags&(removedDi|removedMeng|removedTer) == 0:
		return s.cutSuffix(2)
	case s.hasSuffix("i") && !s.hasSuffix("si") && s.flags&(removedBer|removedKe|removedPeng) == 0:
		return s.cutSuffix(1)
	}
	return false
}

package search

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/terbuka/terbuka/dataset"
)

// Boosts of the ways a word can match, relative to a stemmed match in a
// body field (1). Words as written rank above words that only share a stem,
// and both above a near-miss spelling.
const (
	boostExact  = 3
	boostFuzzy  = 0.3
	boostPrefix = 3
	// boostTitleAll rewards a title that holds every word of the query.
	boostTitleAll = 2
	// minFuzzyLen is the shortest word typos are tolerated in: in shorter
	// words one edit changes the word (dana, desa, jasa, kasa).
	minFuzzyLen = 5
	// boostStart ranks a longer word a query word starts (honor →
	// honorarium) below the word itself and its stem.
	boostStart = 0.5
	// minStartLen is the shortest word that matches the start of longer
	// ones; the last word of a query, perhaps still being typed, may be
	// shorter by one.
	minStartLen = 4
	// bandMeans bounds the scores of what the synonym table says a unit's
	// words mean, and bandApart those of the accounts the hierarchy says
	// they name and of a run's words found apart (scaled): below the
	// words themselves, in that order.
	bandMeans = 0.2
	bandApart = 0.1
)

// searchField is a property a query word is looked up in, with its boost.
type searchField struct {
	property string
	boost    float64
}

// match says how much of a query a record must hold.
type match int

const (
	// matchAll: every word, phrase and field filter.
	matchAll match = iota
	// matchMost: the field filters and most of the words and phrases,
	// ranked by how many; what follows the records that hold them all
	// when those are few (Search).
	matchMost
	// matchAny: the field filters and any word or phrase, when not even
	// most of them are found together.
	matchAny
)

// framingWords say that a query is about public money or a government
// without saying about what: "anggaran pilkada 2024", "dana BOS", "proyek
// jembatan", "tukin pegawai pemda". Beside other words they are optional,
// raising the records that hold them; alone they are required.
var framingWords = []string{"anggaran", "biaya", "dana", "duit", "jumlah", "nilai", "pemda", "pemkab", "pemkot", "pemprov", "proyek", "total", "uang"}

// framing reports whether a unit is one framing word the synonym table
// does not expand. The account names may hold it ("Dana Cadangan").
func (u unit) framing() bool {
	return (u.also == nil || len(u.also.phrases) == 0) && len(u.words) == 1 && slices.Contains(framingWords, strings.ToLower(u.words[0]))
}

// textQuery turns what the user typed into a query (nil: no restriction)
// and says how many parts (words or runs of words the synonym table knows
// as one, and phrases) it has. With matchAll every part and field filter
// must match; with matchMost, the filters and at least half the parts;
// with matchAny, the filters and one part.
// Negated parts must not match. A query of stop words only matches nothing:
// it says nothing about what is wanted, and pretending that everything
// matched would mislead.
func (ix *Index) textQuery(text string, schemas []*dataset.Schema, m match) (query.Query, int, error) {
	clauses, err := parseQuery(text)
	if err != nil || len(clauses) == 0 {
		return nil, 0, err
	}
	var must, mustNot, parts []query.Query
	var words []string
	for i, c := range clauses {
		if c.kind == clauseWord && !c.not {
			words = append(words, c.text)
			continue
		}
		q, err := ix.clauseQuery(c, schemas, i == len(clauses)-1)
		if err != nil {
			return nil, 0, err
		}
		switch {
		case q == nil:
		case c.not:
			mustNot = append(mustNot, q)
		case c.kind == clausePhrase:
			parts = append(parts, q)
		default:
			must = append(must, q)
		}
	}
	us, err := ix.units(words)
	if err != nil {
		return nil, 0, err
	}
	lastIsWord := clauses[len(clauses)-1].kind == clauseWord && !clauses[len(clauses)-1].not
	var optional []query.Query
	topical := slices.ContainsFunc(us, func(u unit) bool { return !u.framing() }) || len(parts) > 0
	for i, u := range us {
		q, err := ix.unitQuery(u, schemas, lastIsWord && i == len(us)-1, len(us)+len(parts) > 1)
		if err != nil {
			return nil, 0, err
		}
		switch {
		case q == nil:
		case topical && u.framing():
			optional = append(optional, q)
		default:
			parts = append(parts, q)
		}
	}
	n := len(parts)
	if m != matchAll && n > 1 {
		dq := bleve.NewDisjunctionQuery(parts...)
		dq.SetMin(1)
		if m == matchMost {
			dq.SetMin(float64(mostOf(n)))
		}
		parts = []query.Query{dq}
	}
	must = append(must, parts...)
	if len(must)+len(mustNot) == 0 {
		return bleve.NewMatchNoneQuery(), 0, nil
	}
	bonus, err := ix.bonuses(clauses, words, schemas)
	if err != nil {
		return nil, 0, err
	}
	if len(optional) > 0 {
		if bonus != nil {
			optional = append(optional, bonus)
		}
		bonus = anyOf(optional)
	}
	if len(must) == 1 && len(mustNot) == 0 && bonus == nil {
		// Every wrapping searcher costs a step per match.
		return must[0], n, nil
	}
	bq := bleve.NewBooleanQuery()
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	bq.AddMust(must...)
	bq.AddMustNot(mustNot...)
	if bonus != nil {
		bq.AddShould(bonus)
	}
	return bq, n, nil
}

// mostOf is how many of n parts a partial match must hold: half, rounded
// up, so that of "jalan rusak" either word will do and of "anggaran
// perjalanan dinas DPRD" two.
func mostOf(n int) int { return (n + 1) / 2 }

// unitQuery matches a unit: its words, each as wordQuery does, and what
// the synonym table and the account hierarchy say they mean. The words
// themselves rank first: one word as found, or a run of words as a phrase
// ("mobil dinas"). What they mean follows, and last the run's words found
// apart (a "mobil" in the title, a "dinas" in the agency). When a word of
// the unit is in no record at all ("bansos", "lansia"), there is nothing
// to rank below, and what the words mean scores as found.
//
// A word of an account's name reaches the accounts below it only beside
// other words: "gaji pegawai" finds the salaries under Belanja Pegawai,
// which never say pegawai; alone, "jalan" would add every irrigation line
// under Belanja Modal Jalan, Jaringan, dan Irigasi below the roads.
func (ix *Index) unitQuery(u unit, schemas []*dataset.Schema, last, others bool) (query.Query, error) {
	var lit []query.Query
	for i, w := range u.words {
		q, err := ix.wordQuery(w, schemas, last && i == len(u.words)-1)
		if err != nil {
			return nil, err
		}
		if q != nil {
			lit = append(lit, q)
		}
	}
	var alts []query.Query
	if u.also == nil || len(u.words) == 1 {
		if len(lit) > 0 {
			alts = append(alts, conjunction(lit))
		}
	} else {
		pq, err := ix.phraseQuery(strings.Join(u.words, " "), schemas)
		if err != nil {
			return nil, err
		}
		if pq != nil {
			alts = append(alts, pq)
		}
		if len(lit) > 0 {
			alts = append(alts, scaled{q: conjunction(lit), hi: bandApart})
		}
	}
	if u.also != nil {
		own, err := ix.presence(u.words)
		if err != nil {
			return nil, err
		}
		for _, p := range u.also.phrases {
			pq, err := ix.phraseQuery(p, schemas)
			if err != nil {
				return nil, err
			}
			if pq != nil {
				alts = append(alts, scaled{q: pq, lo: bandApart, hi: bandMeans, unless: own})
			}
		}
		if inScope([]string{"budget", "budget_accounts", "revenue"}, schemas) {
			codes := u.also.accounts
			if others {
				codes = slices.Concat(codes, u.also.byWord)
			}
			for _, code := range codes {
				pq := bleve.NewPrefixQuery(code + ".")
				pq.SetField(dataset.FieldAccountCode)
				alts = append(alts, scaled{q: pq, hi: bandApart, unless: own})
			}
		}
	}
	return oneOf(alts), nil
}

// bonuses rewards, beyond matching, records whose title holds every word
// (titleBonus) and records holding neighbouring words of the query next to
// each other: for "betonisasi jalan lingkungan", "Peningkatan Jalan
// Lingkungan" over a road in the Dinas Lingkungan Hidup's records.
func (ix *Index) bonuses(clauses []clause, words []string, schemas []*dataset.Schema) (query.Query, error) {
	var qs []query.Query
	if tb := ix.titleBonus(clauses, schemas); tb != nil {
		qs = append(qs, tb)
	}
	for i := 1; i < len(words); i++ {
		pq, err := ix.phraseQuery(words[i-1]+" "+words[i], schemas)
		if err != nil {
			return nil, err
		}
		if _, pair := pq.(anyOf); pair {
			qs = append(qs, pq)
		}
	}
	return oneOf(qs), nil
}

// titleBonus rewards records whose title holds every word of the query.
// Each field keeps its own term statistics, so without it a word that is
// rare in budget account names can lift a budget line above the levy
// whose title says exactly what was asked ("retribusi parkir").
func (ix *Index) titleBonus(clauses []clause, schemas []*dataset.Schema) query.Query {
	var words []string
	for _, c := range clauses {
		if c.kind == clauseWord && !c.not {
			words = append(words, c.text)
		}
	}
	if len(words) < 2 {
		return nil
	}
	toks, err := ix.tokens(strings.Join(words, " "))
	if err != nil || len(toks) < 2 {
		return nil
	}
	var per []query.Query
	for _, f := range titleFields(schemas) {
		// The boost is the terms': Bleve ignores a conjunction's.
		parts := make([]query.Query, len(toks))
		for i, t := range toks {
			parts[i] = term(t.stem, f, boostTitleAll)
		}
		per = append(per, bleve.NewConjunctionQuery(parts...))
	}
	return bleve.NewDisjunctionQuery(per...)
}

// titleFields returns the title field of each schema in scope.
func titleFields(schemas []*dataset.Schema) []string {
	var out []string
	for _, s := range schemas {
		if !slices.Contains(out, s.Title) {
			out = append(out, s.Title)
		}
	}
	return out
}

func (ix *Index) clauseQuery(c clause, schemas []*dataset.Schema, last bool) (query.Query, error) {
	switch c.kind {
	case clausePhrase:
		return ix.phraseQuery(c.text, schemas)
	case clauseField:
		return ix.fieldQuery(c.field, c.text)
	}
	return ix.wordQuery(c.text, schemas, last)
}

// wordQuery matches one whitespace-separated word as written: what it
// also means is unitQuery's. The analyzer may split it further
// ("Kabupaten/Kota"); every part must match some field. A word that looks
// like a code also matches code fields exactly or, with dots, as the start
// of a code: 5.1.02 finds every account below it. The last word of a query,
// perhaps still being typed, may be a shorter start of longer words
// (tokenQuery).
func (ix *Index) wordQuery(word string, schemas []*dataset.Schema, last bool) (query.Query, error) {
	toks, err := ix.tokens(word)
	if err != nil {
		return nil, err
	}
	var alts []query.Query
	if len(toks) > 0 {
		parts := make([]query.Query, len(toks))
		for i, t := range toks {
			parts[i] = tokenQuery(t, last && i == len(toks)-1)
		}
		alts = append(alts, conjunction(parts))
	}
	if looksLikeCode(word) {
		alts = append(alts, codeQuery(word, codeFields(schemas)))
	}
	switch len(alts) {
	case 0:
		return nil, nil
	case 1:
		return alts[0], nil
	}
	return bleve.NewDisjunctionQuery(alts...), nil
}

// oneOf matches what any of qs matches: nil for none, and no wrapping
// searcher for one.
func oneOf(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return anyOf(qs)
}

// conjunction requires every one of qs; one needs no wrapping searcher.
func conjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

// token is one analysed query word: its stem and its lower-cased written form.
type token struct{ stem, written string }

// tokens analyses s as text fields were analysed at indexing, keeping for
// each term the word as written, for the exact and keyword fields. Term
// queries are built from them rather than match queries because a match
// query for a lone stop word matches nothing, which would sink a conjunction.
func (ix *Index) tokens(s string) ([]token, error) {
	a := ix.idx.Mapping().AnalyzerNamed(analyzerName)
	if a == nil {
		return nil, fmt.Errorf("analyzer %q missing from the index mapping", analyzerName)
	}
	var out []token
	for _, tok := range a.Analyze([]byte(s)) {
		t := token{stem: string(tok.Term), written: strings.ToLower(s[tok.Start:tok.End])}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// tokenQuery matches a token: its stem in a record's words (fieldText),
// its written form in their exact twin, boosted, and, when the written
// form itself is rare, near-misses of long words and longer words it
// starts. A record's words are those of its text fields, enums and years
// (stages, methods, "2024"); a title holding every word of a query of
// several adds titleBonus. That is two to four term searchers: one per
// field made a common word, found in several fields of most records, cost
// a disjunction step per field and record.
func tokenQuery(t token, last bool) query.Query {
	qs := []query.Query{term(t.stem, fieldText, 1), term(t.written, fieldTextExact, boostExact)}
	written := &writtenCount{word: t.written, field: fieldTextExact}
	if fuzzyWord(t.written) {
		qs = append(qs, &otherWords{word: t.written, field: fieldTextExact, boost: boostFuzzy, written: written, related: nearWords})
	}
	if prefixWord(t.written, last) {
		qs = append(qs, &otherWords{word: t.written, field: fieldTextExact, boost: boostStart, written: written, related: longerWords})
	}
	return anyOf(qs)
}

func term(t, field string, boost float64) query.Query {
	tq := bleve.NewTermQuery(t)
	tq.SetField(field)
	tq.SetBoost(boost)
	return tq
}

// fuzzyWord reports whether typos are tolerated in w: letters only (codes
// and numbers must match as typed) and long enough.
func fuzzyWord(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n >= minFuzzyLen
}

// prefixWord reports whether w may match the start of longer words:
// letters only, and long enough.
func prefixWord(w string, last bool) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	if last {
		return n >= minStartLen-1
	}
	return n >= minStartLen
}

// looksLikeCode reports whether a word could be a code: it has a digit and
// only letters, digits, dots and dashes (5.1.02, 47859361, PBB-P2).
func looksLikeCode(w string) bool {
	digit := false
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r == '.' || r == '-' || unicode.IsLetter(r):
		default:
			return false
		}
	}
	return digit || strings.Contains(w, "-")
}

// codeQuery matches a code as written (and upper-cased: tax codes are
// stored upper case) and, for dotted codes, every code below it.
func codeQuery(w string, fields []searchField) query.Query {
	var qs []query.Query
	for _, v := range slices.Compact([]string{w, strings.ToUpper(w)}) {
		for _, f := range fields {
			qs = append(qs, term(v, f.property, f.boost))
			if strings.Contains(v, ".") && len(v) >= 3 {
				pq := bleve.NewPrefixQuery(strings.TrimSuffix(v, ".") + ".")
				pq.SetField(f.property)
				pq.SetBoost(boostPrefix)
				qs = append(qs, pq)
			}
		}
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// phraseQuery matches words in this order in one text field: every pair of
// neighbouring words is looked up in the field's pairs twin. Two words are
// matched exactly; longer phrases when each of their pairs is in the field,
// which in titles and names is where the phrase is. Pairs need no word
// positions, which were most of a phrase search's time.
func (ix *Index) phraseQuery(text string, schemas []*dataset.Schema) (query.Query, error) {
	a := ix.idx.Mapping().AnalyzerNamed(pairsAnalyzerName)
	if a == nil {
		return nil, fmt.Errorf("analyzer %q missing from the index mapping", pairsAnalyzerName)
	}
	var pairs []string
	for _, tok := range a.Analyze([]byte(text)) {
		if p := string(tok.Term); !slices.Contains(pairs, p) {
			pairs = append(pairs, p)
		}
	}
	if len(pairs) == 0 {
		// One word (or one left after stop words): a word query.
		return ix.wordsQuery(text, schemas)
	}
	var qs []query.Query
	for _, f := range textFields(schemas) {
		parts := make([]query.Query, len(pairs))
		for i, p := range pairs {
			parts[i] = term(p, f.property+pairsSuffix, f.boost)
		}
		qs = append(qs, conjunction(parts))
	}
	return anyOf(qs), nil
}

// wordsQuery requires every word of text, as the search box does.
func (ix *Index) wordsQuery(text string, schemas []*dataset.Schema) (query.Query, error) {
	var parts []query.Query
	for _, w := range strings.Fields(text) {
		q, err := ix.wordQuery(w, schemas, false)
		if err != nil {
			return nil, err
		}
		if q != nil {
			parts = append(parts, q)
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	return conjunction(parts), nil
}

// fieldQuery matches name:value. Text fields need all of value's words in
// that field; codes match exactly or as a prefix at a dot (wilayah:32 is
// Jawa Barat and its regencies); enums and years match exactly.
func (ix *Index) fieldQuery(name, value string) (query.Query, error) {
	if name == fieldDataset {
		return term(value, fieldDataset, 1), nil
	}
	f := dataset.FindField(name) // parseQuery admits only known fields
	switch f.Type {
	case dataset.Text:
		toks, err := ix.tokens(value)
		if err != nil || len(toks) == 0 {
			return nil, err
		}
		parts := make([]query.Query, len(toks))
		for i, t := range toks {
			parts[i] = term(t.stem, name, 1)
		}
		return bleve.NewConjunctionQuery(parts...), nil
	case dataset.Code:
		pq := bleve.NewPrefixQuery(strings.TrimSuffix(value, ".") + ".")
		pq.SetField(name)
		return bleve.NewDisjunctionQuery(term(value, name, 1), term(strings.ToUpper(value), name, 1), pq), nil
	case dataset.Enum:
		return term(strings.ToLower(strings.Join(strings.Fields(value), " ")), name, 1), nil
	case dataset.Integer:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return nil, invalid("%s harus bilangan bulat, bukan %q", "%s must be a whole number, not %q", name, value)
		}
		return term(strconv.FormatInt(n, 10), name+kwSuffix, 1), nil
	}
	return nil, invalid("kolom %s tidak bisa dicari dengan nama:nilai; gunakan parameter min/max", "field %s cannot be searched as name:value; use the min/max parameters", name)
}

// textFields returns the Text fields of the schemas, titles boosted.
func textFields(schemas []*dataset.Schema) []searchField {
	return collect(schemas, func(s *dataset.Schema, f *dataset.Field) (searchField, bool) {
		boost := 1.0
		if f.Name == s.Title {
			boost = boostTitle
		}
		return searchField{f.Name, boost}, f.Type == dataset.Text
	})
}

// codeFields returns every Code field, where codes are looked up as written.
func codeFields(schemas []*dataset.Schema) []searchField {
	return collect(schemas, func(_ *dataset.Schema, f *dataset.Field) (searchField, bool) {
		return searchField{f.Name, boostCode}, f.Type == dataset.Code
	})
}

// collect gathers one searchField per property over the schemas, keeping
// the highest boost when datasets share a field name.
func collect(schemas []*dataset.Schema, pick func(*dataset.Schema, *dataset.Field) (searchField, bool)) []searchField {
	var out []searchField
	seen := map[string]int{}
	for _, s := range schemas {
		for i := range s.Fields {
			sf, ok := pick(s, &s.Fields[i])
			if !ok {
				continue
			}
			if j, dup := seen[sf.property]; dup {
				out[j].boost = max(out[j].boost, sf.boost)
				continue
			}
			seen[sf.property] = len(out)
			out = append(out, sf)
		}
	}
	return out
}

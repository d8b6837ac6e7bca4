package benchmark

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
)

// vocabulary is what the generated data holds that a citizen could
// search for, read from the CSV files every system loads: the words of
// their text columns with how many rows hold each, a sample of those
// columns' values as runs of words (for phrases and words typed
// together), account-code prefixes, and the values of every filter the
// portal offers, with how many rows have each.
type vocabulary struct {
	// words are the searchable words, most rows first; df the same by
	// word. sampled is the rows counted, of which they are a share.
	words   []counted
	df      map[string]int
	sampled int
	// texts are sampled text values, each as its lower-case words in
	// order, stop words and numbers included.
	texts [][]string
	// codes are account-code prefixes of three to five levels (5.1.02,
	// 5.1.02.01, …), most rows first.
	codes   []counted
	regions []string
	years   []int
	// rows counts the rows of each dataset.
	rows map[string]int64
	// filters holds, per dataset, the values of each of its filter fields
	// (stage, agency_name, method…), most rows first.
	filters map[string]map[string][]counted
	// months are the months (2024-03) procurement packages were
	// announced in, for date ranges.
	months []counted
}

// counted is a value and how many rows have it.
type counted struct {
	value string
	n     int
}

// vocabularySample is about how many rows readVocabulary tokenises: a
// larger run is read through, but only every so many rows of it counted.
const vocabularySample = 200_000

// textSample bounds vocabulary.texts.
const textSample = 20_000

// readVocabulary reads the vocabulary of the feeds. It is deterministic
// for the same files and seed.
func readVocabulary(feeds []demo.Feed, seed int64) (*vocabulary, error) {
	var total int64
	for _, f := range feeds {
		total += int64(f.Rows)
	}
	r := &vocabReader{
		every: max(1, int(total/vocabularySample)), rng: rand.New(rand.NewPCG(uint64(seed), 0x766f63)),
		words: map[string]int{}, codes: map[string]int{}, months: map[string]int{}, regions: map[string]bool{}, years: map[int]bool{},
		rows: map[string]int64{}, filters: map[string]map[string]map[string]int{},
	}
	for _, f := range feeds {
		if err := r.read(f); err != nil {
			return nil, err
		}
	}
	return r.vocabulary()
}

// vocabReader gathers a vocabulary over the files.
type vocabReader struct {
	every int
	// seen counts the rows read, values the text values sampled from.
	seen, values int
	rng          *rand.Rand
	words        map[string]int
	texts        [][]string
	codes        map[string]int
	months       map[string]int
	regions      map[string]bool
	years        map[int]bool
	rows         map[string]int64
	filters      map[string]map[string]map[string]int
}

// read counts one feed.
func (r *vocabReader) read(f demo.Feed) error {
	s, err := dataset.Lookup(f.Dataset)
	if err != nil {
		return err
	}
	file, err := os.Open(f.Path)
	if err != nil {
		return err
	}
	defer file.Close()
	cr := csv.NewReader(file)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("read header of %s: %w", f.Path, err)
	}
	cols := columnsOf(s, header)
	r.regions[f.Region], r.years[f.Year] = true, true
	if r.filters[s.Name] == nil {
		r.filters[s.Name] = map[string]map[string]int{}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", f.Path, err)
		}
		r.rows[s.Name]++
		if r.seen++; r.seen%r.every == 0 {
			r.row(s, cols, rec)
		}
	}
}

// columns are the positions of the columns a vocabulary is read from.
type columns struct {
	text    []int
	filters map[string]int
	account int // -1 when the dataset has no account code
	date    int // the schema's date column, or -1
}

// columnsOf finds, by the schema, the text columns and the filter columns
// (facets other than place and year, which have their own parameters).
func columnsOf(s *dataset.Schema, header []string) columns {
	c := columns{filters: map[string]int{}, account: -1, date: -1}
	for i, name := range header {
		f := s.Field(name)
		switch {
		case f == nil:
		case name == dataset.FieldAccountCode:
			c.account = i
		case name == s.Date:
			c.date = i
		case f.Type == dataset.Text:
			c.text = append(c.text, i)
		}
		if f != nil && f.Facet && name != dataset.FieldRegionCode && name != dataset.FieldFiscalYear {
			c.filters[name] = i
		}
	}
	return c
}

// row counts one sampled row.
func (r *vocabReader) row(s *dataset.Schema, c columns, rec []string) {
	seen := map[string]bool{}
	for _, i := range c.text {
		words := tokens(rec[i])
		for _, w := range words {
			if searchable(w) && !seen[w] {
				seen[w] = true
				r.words[w]++
			}
		}
		if len(words) < 2 {
			continue
		}
		// A reservoir sample gives every value an equal chance.
		if r.values++; len(r.texts) < textSample {
			r.texts = append(r.texts, words)
		} else if j := r.rng.IntN(r.values); j < textSample {
			r.texts[j] = words
		}
	}
	add := func(field, value string) {
		if value == "" {
			return
		}
		m := r.filters[s.Name][field]
		if m == nil {
			m = map[string]int{}
			r.filters[s.Name][field] = m
		}
		m[value]++
	}
	for field, i := range c.filters {
		add(field, rec[i])
	}
	if c.account >= 0 {
		code := rec[c.account]
		if s.Field(dataset.FieldAccountGroup) != nil {
			add(dataset.FieldAccountGroup, dataset.AccountGroup(code))
		}
		parts := strings.Split(code, ".")
		for n := 3; n <= min(5, len(parts)); n++ {
			r.codes[strings.Join(parts[:n], ".")]++
		}
	}
	if c.date >= 0 && len(rec[c.date]) >= 7 {
		r.months[rec[c.date][:7]]++
	}
}

// vocabulary orders what was counted.
func (r *vocabReader) vocabulary() (*vocabulary, error) {
	v := &vocabulary{words: byCount(r.words), df: r.words, sampled: r.seen / r.every, texts: r.texts, codes: byCount(r.codes), months: byCount(r.months),
		regions: slices.Sorted(maps.Keys(r.regions)), years: slices.Sorted(maps.Keys(r.years)), rows: r.rows,
		filters: map[string]map[string][]counted{}}
	for ds, fields := range r.filters {
		v.filters[ds] = map[string][]counted{}
		for field, values := range fields {
			v.filters[ds][field] = byCount(values)
		}
	}
	if len(v.words) == 0 || len(v.regions) == 0 {
		return nil, errors.New("query log: the data has no words to search for")
	}
	return v, nil
}

// byCount lists m's values, most rows first, ties in lexical order.
func byCount(m map[string]int) []counted {
	out := make([]counted, 0, len(m))
	for v, n := range m {
		out = append(out, counted{v, n})
	}
	slices.SortFunc(out, func(a, b counted) int {
		return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.value, b.value))
	})
	return out
}

// tokens splits s into lower-case words of letters and digits, as the
// portal's analyser does before it drops stop words.
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// stopWords are function words of the generated text no one searches for
// alone, and the "tahap" of package titles (Tahap II).
var stopWords = map[string]bool{"dan": true, "yang": true, "untuk": true, "dari": true, "pada": true, "dengan": true,
	"atau": true, "oleh": true, "serta": true, "bagi": true, "atas": true, "per": true, "tahap": true, "secara": true}

// searchable reports whether w is a word a citizen would type: three or
// more letters, neither a stop word nor a Roman numeral of a title's
// part (III, VII, XII).
func searchable(w string) bool {
	if len(w) < 3 || stopWords[w] || strings.Trim(w, "ivx") == "" {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

package benchmark

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/search"
)

// The query log the serving phase replays: queryLogSize distinct search
// pages of the portal, made from the vocabulary of the benchmark's own
// data, ranked by popularity, and queryLogDraws requests drawn from them
// by a Zipf law of exponent zipfExponent: the query of rank r is asked
// with probability proportional to 1/r^s.
//
// Search engine logs show query frequency following a Zipf law (Xie and
// O'Hallaron, "Locality in search engine queries and its implications
// for caching", INFOCOM 2002, doi:10.1109/INFCOM.2002.1019374, on two
// engines' traces). The exponents reported for the popularity of web
// requests range from 0.60 to 1.03 (the studies compiled by Krashakov,
// Teslyuk and Shchur, "On the universality of rank distributions of
// website popularity", 2004, arXiv cs/0404010); Cunha, Bestavros and
// Crovella's client traces ("Characteristics of WWW client-based
// traces", Boston University, 1995) fit a slope of −0.986. s = 1, Zipf's
// law proper, is at the heavy-headed end of that range, the kind side
// for a result cache: a smaller exponent spreads the requests over more
// of the queries.
const (
	queryLogSize  = 2_500
	queryLogDraws = 100_000
	zipfExponent  = 1.0
)

// share is one value of a query's shape and the share of the distinct
// queries that have it.
type share struct {
	value string
	share float64
}

// The shapes of the distinct queries. Each is met exactly, to rounding,
// by quotas dealt out and shuffled, not left to chance.
var (
	// queryKinds: one word, two or three words of one title or name,
	// a quoted phrase of two or three words as they stand in one, an
	// account-code prefix, or no text at all (browsing by filters).
	queryKinds = []share{{"word", 0.35}, {"words2", 0.20}, {"words3", 0.08}, {"phrase", 0.15}, {"code", 0.08}, {"browse", 0.14}}
	// textFilters are the filters of queries with text: 30 % have one
	// to three; browseFilters those of queries without, which have at
	// least one.
	textFilters   = []share{{"0", 0.70}, {"1", 0.15}, {"2", 0.10}, {"3", 0.05}}
	browseFilters = []share{{"1", 0.50}, {"2", 0.35}, {"3", 0.15}}
	// querySorts: 15 % by amount, 7 % by date, the rest by relevance.
	querySorts = []share{{"", 0.78}, {"-amount", 0.11}, {"amount", 0.04}, {"-date", 0.05}, {"date", 0.02}}
	// queryPages: 10 % pages 2 to 5, 3 % pages 6 to 50.
	queryPages = []share{{"1", 0.87}, {"2-5", 0.10}, {"6-50", 0.03}}
)

// queryLog is the log: distinct queries by rank and the drawn requests.
type queryLog struct {
	queries []loggedQuery
	// draws are the requests in order, as indexes into queries.
	draws []int32
}

// loggedQuery is one distinct search page and its shape.
type loggedQuery struct {
	path    string
	kind    string
	filters int
	sort    string
	page    int
	// weight is the probability of its rank; draws how often the log
	// asks for it.
	weight float64
	draws  int
	// score orders the queries by popularity before they are ranked.
	score float64
}

// newQueryLog makes the log of n distinct queries from v and draws
// requests from it, all from seed.
func newQueryLog(v *vocabulary, seed int64, n, draws int, s float64) (*queryLog, error) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x716c6f67))
	kinds := quota(rng, n, queryKinds)
	browse := 0
	for _, k := range kinds {
		if k == "browse" {
			browse++
		}
	}
	textF, browseF := quota(rng, n-browse, textFilters), quota(rng, browse, browseFilters)
	sorts, pages := quota(rng, n, querySorts), quota(rng, n, queryPages)
	g := &queryMaker{v: v, rng: rng}
	seen := map[string]bool{}
	ql := &queryLog{}
	for i, kind := range kinds {
		var f string
		if kind == "browse" {
			f, browseF = browseF[0], browseF[1:]
		} else {
			f, textF = textF[0], textF[1:]
		}
		filters, _ := strconv.Atoi(f)
		q, err := g.unique(seen, kind, filters, sorts[i], pages[i])
		if err != nil {
			return nil, err
		}
		ql.queries = append(ql.queries, q)
	}
	// Popular queries are short, common and plain (queryMaker.score).
	slices.SortStableFunc(ql.queries, func(a, b loggedQuery) int { return cmp.Compare(b.score, a.score) })
	ql.draw(rng, draws, s)
	return ql, nil
}

// quota deals n values in the given shares, in a shuffled order.
func quota(rng *rand.Rand, n int, shares []share) []string {
	out := make([]string, 0, n)
	var sum float64
	for i, s := range shares {
		sum += s.share
		upTo := int(math.Round(sum * float64(n)))
		if i == len(shares)-1 {
			upTo = n
		}
		for len(out) < upTo {
			out = append(out, s.value)
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// draw weighs the ranks by the Zipf law of exponent s and draws n
// requests.
func (ql *queryLog) draw(rng *rand.Rand, n int, s float64) {
	cum := make([]float64, len(ql.queries))
	var total float64
	for r := range ql.queries {
		total += math.Pow(float64(r+1), -s)
		cum[r] = total
	}
	for r := range ql.queries {
		ql.queries[r].weight = math.Pow(float64(r+1), -s) / total
	}
	ql.draws = make([]int32, n)
	for i := range ql.draws {
		r, _ := slices.BinarySearch(cum, rng.Float64()*total)
		r = min(r, len(cum)-1)
		ql.draws[i] = int32(r)
		ql.queries[r].draws++
	}
}

// queryMaker fills queries of a given shape with values of the data.
type queryMaker struct {
	v   *vocabulary
	rng *rand.Rand
}

// unique makes a query of the shape no other query has made, trying
// other values of the vocabulary.
func (g *queryMaker) unique(seen map[string]bool, kind string, filters int, sort, pages string) (loggedQuery, error) {
	for range 200 {
		q, ok := g.make(kind, filters, sort, pages)
		if ok && !seen[q.path] {
			seen[q.path] = true
			return q, nil
		}
	}
	return loggedQuery{}, fmt.Errorf("query log: the data's vocabulary (%d words, %d regions) makes too few distinct %s queries with %d filters, sort %q, page %s",
		len(g.v.words), len(g.v.regions), kind, filters, sort, pages)
}

// make fills one query of the shape; false when the draw found no
// values for it.
func (g *queryMaker) make(kind string, filters int, sort, pages string) (loggedQuery, bool) {
	v := url.Values{}
	q := loggedQuery{kind: kind, filters: filters, sort: sort, page: 1}
	text, freq, ok := g.text(kind)
	if !ok {
		return q, false
	}
	if text != "" {
		v.Set("q", text)
	}
	if !g.filter(v, filters) {
		return q, false
	}
	if sort != "" {
		v.Set("sort", sort)
	}
	switch pages {
	case "2-5":
		q.page = 2 + g.rng.IntN(4)
	case "6-50":
		q.page = 6 + g.rng.IntN(45)
	}
	if q.page > 1 {
		v.Set("page", strconv.Itoa(q.page))
	}
	q.path = "/search?" + v.Encode()
	q.score = g.score(q, freq, len(strings.Fields(text)))
	return q, true
}

// score orders queries by popularity, higher first: the log of how
// common the query's rarest word is in the data, words in a twentieth of
// the rows or more all alike (they are the domain's own stop words,
// "kota", "daerah", "program", as likely as "jalan"); less for each
// further word (Xie and O'Hallaron: multi-word queries are shared less),
// filter, sort and page, and for an account code, which only the few who
// know the chart of accounts type; plus noise, so that shapes mix at
// every rank.
func (g *queryMaker) score(q loggedQuery, freq float64, words int) float64 {
	s := math.Log10(min(max(freq, 1e-5), 0.05)) - 0.5*float64(max(words-1, 0)) - 0.4*float64(q.filters)
	if q.sort != "" {
		s -= 0.5
	}
	if q.page > 1 {
		s -= 0.8
	}
	if q.kind == "code" {
		s -= 1
	}
	return s + 0.5*g.rng.NormFloat64()
}

// head picks an index below n, the first ones (the most common values)
// more often: the index is n·u² for u uniform.
func (g *queryMaker) head(n int) int {
	u := g.rng.Float64()
	return min(int(float64(n)*u*u), n-1)
}

// text is the search box text of a kind and the share of sampled rows
// that hold its rarest word (or code), a measure of how common it is.
func (g *queryMaker) text(kind string) (string, float64, bool) {
	v := g.v
	rows := float64(max(v.sampled, 1))
	switch kind {
	case "word":
		w := v.words[g.head(len(v.words))]
		return w.value, float64(w.n) / rows, true
	case "code":
		if len(v.codes) == 0 {
			return "", 0, false
		}
		c := v.codes[g.head(len(v.codes))]
		return c.value, float64(c.n) / rows, true
	case "words2", "words3", "phrase":
		n := 2
		if kind == "words3" || kind == "phrase" && g.rng.IntN(3) == 0 {
			n = 3
		}
		words, ok := g.words(n, kind == "phrase")
		if !ok {
			return "", 0, false
		}
		rarest := math.Inf(1)
		for _, w := range words {
			if n, ok := v.df[w]; ok {
				rarest = min(rarest, float64(n))
			}
		}
		text := strings.Join(words, " ")
		if kind == "phrase" {
			text = `"` + text + `"`
		}
		return text, rarest / rows, true
	}
	// Browsing by a filter counts as common as the commonest words.
	return "", 0.05, true
}

// words picks n words of one sampled text value: as they stand, for a
// phrase (neither end a stop word, no numbers inside), or any n of its
// searchable words in their order.
func (g *queryMaker) words(n int, phrase bool) ([]string, bool) {
	if len(g.v.texts) == 0 {
		return nil, false
	}
	t := g.v.texts[g.rng.IntN(len(g.v.texts))]
	if phrase {
		if len(t) < n {
			return nil, false
		}
		i := g.rng.IntN(len(t) - n + 1)
		run := t[i : i+n]
		if !searchable(run[0]) || !searchable(run[n-1]) {
			return nil, false
		}
		for _, w := range run {
			if len(w) < 2 || strings.ContainsFunc(w, func(r rune) bool { return r >= '0' && r <= '9' }) {
				return nil, false
			}
		}
		return slices.Clone(run), true
	}
	var pool []string
	for _, w := range t {
		if searchable(w) && !slices.Contains(pool, w) {
			pool = append(pool, w)
		}
	}
	if len(pool) < n {
		return nil, false
	}
	keep := g.rng.Perm(len(pool))[:n]
	slices.Sort(keep)
	out := make([]string, n)
	for i, k := range keep {
		out[i] = pool[k]
	}
	return out, true
}

// filter sets n filters on v, as the portal's facets and filter form
// set them: the dataset, the year, a region or province, an amount
// bucket, and the filters of one dataset (stage, agency, method…), which
// come with that dataset when there is room for it, as its facets are
// shown only once a search is narrowed to it.
func (g *queryMaker) filter(v url.Values, n int) bool {
	kinds := []string{"dataset", "year", "place", "amount", "field", "field", "field"}
	added := 0
	for tries := 0; added < n; tries++ {
		if tries == 50 {
			return false
		}
		switch kinds[g.rng.IntN(len(kinds))] {
		case "dataset":
			if v.Get("dataset") == "" {
				v.Set("dataset", g.dataset())
				added++
			}
		case "year":
			if v.Get("year") == "" {
				v.Set("year", strconv.Itoa(g.v.years[g.rng.IntN(len(g.v.years))]))
				added++
			}
		case "place":
			if v.Get("region") == "" && v.Get("province") == "" {
				r := g.v.regions[g.rng.IntN(len(g.v.regions))]
				if p, _, ok := strings.Cut(r, "."); ok && g.rng.IntN(10) < 3 {
					v.Set("province", p)
				} else {
					v.Set("region", r)
				}
				added++
			}
		case "amount":
			if v.Get("min") == "" && v.Get("max") == "" {
				// As the amount facet's links write a bucket.
				b := search.AmountBuckets[g.rng.IntN(len(search.AmountBuckets))]
				if b.Min != nil {
					v.Set("min", dataset.FormatMoney(*b.Min))
				}
				if b.Max != nil {
					v.Set("max", dataset.FormatMoney(*b.Max-1))
				}
				added++
			}
		case "field":
			ds, need := v.Get("dataset"), 1
			if ds == "" {
				ds, need = g.dataset(), 2
			}
			// Without room for the dataset, the filter stands alone, as
			// a link from an agency's or a supplier's page sets it.
			if added+need > n {
				need = 1
			} else {
				v.Set("dataset", ds)
			}
			if !g.field(v, ds) {
				if need == 2 {
					v.Del("dataset")
				}
				continue
			}
			added += need
		}
	}
	return true
}

// dataset picks a dataset in proportion to its rows.
func (g *queryMaker) dataset() string {
	var total int64
	for _, name := range datasets {
		total += g.v.rows[name]
	}
	k := g.rng.Int64N(max(total, 1))
	for _, name := range datasets {
		if k -= g.v.rows[name]; k < 0 {
			return name
		}
	}
	return datasets[0]
}

// field sets a filter of dataset ds's own not yet set, or a month of its
// dates; false when it has none left.
func (g *queryMaker) field(v url.Values, ds string) bool {
	var names []string
	for _, name := range slices.Sorted(maps.Keys(g.v.filters[ds])) {
		if v.Get(name) == "" {
			names = append(names, name)
		}
	}
	if s, _ := dataset.Lookup(ds); s != nil && s.Date != "" && len(g.v.months) > 0 && v.Get("date_from") == "" {
		names = append(names, "date")
	}
	if len(names) == 0 {
		return false
	}
	name := names[g.rng.IntN(len(names))]
	if name == "date" {
		m := g.v.months[g.head(len(g.v.months))].value
		first, err := time.Parse("2006-01", m)
		if err != nil {
			return false
		}
		v.Set("date_from", first.Format(time.DateOnly))
		v.Set("date_to", first.AddDate(0, 1, -1).Format(time.DateOnly))
		return true
	}
	values := g.v.filters[ds][name]
	v.Set(name, values[g.head(len(values))].value)
	return true
}

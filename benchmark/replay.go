package benchmark

import (
	"bufio"
	"cmp"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// QueryLog describes the query log a run's serving phase replayed.
type QueryLog struct {
	Distinct int   `json:"distinct"`
	Draws    int   `json:"draws"`
	Seed     int64 `json:"seed"`
	// Exponent is the Zipf law's; Fitted the exponent fitted on the
	// draws' rank-frequency (least squares of log draws on log rank over
	// the ranks drawn at least fitMinDraws times).
	Exponent float64 `json:"zipf_exponent"`
	Fitted   float64 `json:"fitted_exponent"`
	// Words and Regions are the vocabulary's sizes.
	Words   int `json:"words"`
	Regions int `json:"regions"`
	// Shares are the shares of the distinct queries of each shape (see
	// shapes); Requests the same over the drawn requests.
	Shares   map[string]float64 `json:"shares"`
	Requests map[string]float64 `json:"request_shares"`
	// Top10 and Top100 are the shares of the requests asking the 10 and
	// 100 most asked queries; Repeats the share asking a query the log
	// asked before: the most any result cache could answer.
	Top10   float64 `json:"top10_share"`
	Top100  float64 `json:"top100_share"`
	Repeats float64 `json:"repeat_share"`
	// File is the TSV of the distinct queries, written beside the
	// results.
	File string `json:"file,omitempty"`
	// Replayed is the requests wrk made from the log in the serving
	// phase, and ReplayRepeats the share of them asking a query asked
	// before in the replay: the most a result cache could have answered.
	Replayed      int     `json:"replayed,omitempty"`
	ReplayRepeats float64 `json:"replay_repeat_share,omitempty"`
}

// fitMinDraws is the fewest draws a rank needs to be in the fit: below,
// sampling noise flattens the tail.
const fitMinDraws = 20

// shapes are the shapes q has, of: its kind (word, words2, words3,
// phrase, code, browse), filtered, sort-amount, sort-date, page-2-5 and
// page-6-50.
func shapes(q loggedQuery) []string {
	out := []string{q.kind}
	if q.filters > 0 {
		out = append(out, "filtered")
	}
	switch strings.TrimPrefix(q.sort, "-") {
	case "amount":
		out = append(out, "sort-amount")
	case "date":
		out = append(out, "sort-date")
	}
	switch {
	case q.page > 5:
		out = append(out, "page-6-50")
	case q.page > 1:
		out = append(out, "page-2-5")
	}
	return out
}

// summary describes ql.
func (ql *queryLog) summary(seed int64, s float64, v *vocabulary) *QueryLog {
	sum := &QueryLog{Distinct: len(ql.queries), Draws: len(ql.draws), Seed: seed, Exponent: s, Words: len(v.words), Regions: len(v.regions),
		Shares: map[string]float64{}, Requests: map[string]float64{}}
	counts := make([]int, len(ql.queries))
	queries, requests := map[string]int{}, map[string]int{}
	for i, q := range ql.queries {
		counts[i] = q.draws
		for _, sh := range shapes(q) {
			queries[sh]++
			requests[sh] += q.draws
		}
	}
	for sh, n := range queries {
		sum.Shares[sh] = float64(n) / float64(len(ql.queries))
		sum.Requests[sh] = float64(requests[sh]) / float64(len(ql.draws))
	}
	slices.SortFunc(counts, func(a, b int) int { return b - a })
	for i, n := range counts {
		if i < 10 {
			sum.Top10 += float64(n) / float64(len(ql.draws))
		}
		if i < 100 {
			sum.Top100 += float64(n) / float64(len(ql.draws))
		}
	}
	sum.Fitted = fitZipf(counts)
	asked := make([]bool, len(ql.queries))
	repeats := 0
	for _, r := range ql.draws {
		if asked[r] {
			repeats++
		}
		asked[r] = true
	}
	sum.Repeats = float64(repeats) / float64(len(ql.draws))
	return sum
}

// replayRepeats is the share of requests asking a query asked before
// among the first done requests of a replay by threads threads, each
// walking the log from its own place as the wrk script does.
func (ql *queryLog) replayRepeats(threads, done int) float64 {
	if done == 0 {
		return 0
	}
	asked := make([]bool, len(ql.queries))
	repeats := 0
	for i := range done {
		t, k := i%threads, i/threads
		r := ql.draws[(len(ql.draws)*t/threads+k)%len(ql.draws)]
		if asked[r] {
			repeats++
		}
		asked[r] = true
	}
	return float64(repeats) / float64(done)
}

// fitZipf fits the exponent of a Zipf law to counts sorted most first:
// minus the least-squares slope of log count on log rank over the ranks
// with at least fitMinDraws.
func fitZipf(counts []int) float64 {
	var n, sx, sy, sxx, sxy float64
	for i, c := range counts {
		if c < fitMinDraws {
			break
		}
		x, y := math.Log(float64(i+1)), math.Log(float64(c))
		n++
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	if n < 2 {
		return 0
	}
	return -(n*sxy - sx*sy) / (n*sxx - sx*sx)
}

// writeTSV writes the distinct queries by rank, with their weights and
// draws, under a header saying how the log was made.
func (ql *queryLog) writeTSV(path string, sum *QueryLog) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "# The query log of terbuka-bench's serving phase: %d distinct search pages of the portal made from the benchmark data's\n", sum.Distinct)
	fmt.Fprintf(w, "# vocabulary (%d words, %d regions), ranked, and %d requests drawn by a Zipf law of exponent %.2f (fitted on the draws: %.3f), seed %d.\n",
		sum.Words, sum.Regions, sum.Draws, sum.Exponent, sum.Fitted, sum.Seed)
	fmt.Fprintf(w, "# The 10 most asked take %.1f %% of requests, the 100 most asked %.1f %%; %.1f %% of requests repeat an earlier one.\n",
		100*sum.Top10, 100*sum.Top100, 100*sum.Repeats)
	fmt.Fprintf(w, "# Shapes, of the distinct queries / of the requests: %s.\n", shareList(sum))
	fmt.Fprintf(w, "rank\tweight\tdraws\tkind\tfilters\tsort\tpage\tpath\n")
	for i, q := range ql.queries {
		fmt.Fprintf(w, "%d\t%.6f\t%d\t%s\t%d\t%s\t%d\t%s\n", i+1, q.weight, q.draws, q.kind, q.filters, cmp.Or(q.sort, "-"), q.page, q.path)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// shapeLabels name the shapes in the report, in its order.
var shapeLabels = []struct{ key, label string }{
	{"word", "one word"}, {"words2", "two words"}, {"words3", "three words"}, {"phrase", "a quoted phrase"},
	{"code", "an account-code prefix"}, {"browse", "no text"}, {"filtered", "1–3 filters"},
	{"sort-amount", "sorted by amount"}, {"sort-date", "sorted by date"}, {"page-2-5", "page 2–5"}, {"page-6-50", "page 6–50"},
}

// shareList lists the shares of each shape, of the distinct queries and
// of the requests.
func shareList(sum *QueryLog) string {
	var parts []string
	for _, s := range shapeLabels {
		parts = append(parts, fmt.Sprintf("%s %.0f %% / %.0f %%", s.label, 100*sum.Shares[s.key], 100*sum.Requests[s.key]))
	}
	return strings.Join(parts, ", ")
}

// writeWrkScript writes the wrk script that replays the log: each of
// threads threads walks the drawn requests from its own place in the
// log (thread t from t/threads of the way), continuing after the
// requests of the earlier runs (the script's argument, their total), so
// the runs of a series together replay the log as one stream, and no
// two threads or runs ask the same requests in lockstep. (wrk calls the
// first thread's request function once to check the script: that
// thread skips one draw.)
func (ql *queryLog) writeWrkScript(path string, threads int) error {
	var b strings.Builder
	b.WriteString("-- Written by terbuka-bench: replays the query log (querylog.tsv).\nlocal paths = {\n")
	for _, q := range ql.queries {
		fmt.Fprintf(&b, "  %q,\n", q.path)
	}
	// The draws are a string parsed in init: a table constructor of
	// 100,000 constants is past LuaJIT's limits.
	b.WriteString("}\nlocal log = \"")
	for i, r := range ql.draws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(int(r) + 1))
	}
	fmt.Fprintf(&b, "\"\nlocal threads = %d\n", threads)
	b.WriteString(`local started = 0
function setup(thread)
  thread:set("id", started)
  started = started + 1
end
local seq = {}
function init(args)
  for n in log:gmatch("%d+") do seq[#seq + 1] = tonumber(n) end
  local done = tonumber(args[1]) or 0
  pos = (math.floor(id * #seq / threads) + math.floor(done / threads)) % #seq
end
function request()
  pos = pos % #seq + 1
  return wrk.format("GET", paths[seq[pos]])
end
`)
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

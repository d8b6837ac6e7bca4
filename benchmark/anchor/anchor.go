// Package anchor is the contract between `terbuka-bench` and the
// terbuka-anchor program (module benchmark/anchordb), which runs DuckDB,
// PostgreSQL and Sphinx: the spec the bench hands over, as JSON, the results
// it reads back, and the layout of a Sphinx index, from which the bench
// writes the Sphinx configuration and terbuka-anchor the documents. Both
// sides use these types, so the contract is written once.
package anchor

import (
	"fmt"
	"slices"
	"time"
)

// Spec is the same files and queries Terbuka is measured on.
type Spec struct {
	Tables  []Table `json:"tables"`
	Queries []Query `json:"queries"`
}

// Table is one dataset: its CSV files and columns in file order, typed
// from Terbuka's schema.
type Table struct {
	Name    string   `json:"name"`
	Files   []string `json:"files"`
	Columns []Column `json:"columns"`
	// Text columns make up the full-text document, the title first; Codes
	// are matched exactly or by dotted prefix; Facets are counted per
	// value; Amount is the money column ranges and sorts use.
	Text   []string `json:"text"`
	Codes  []string `json:"codes"`
	Facets []Facet  `json:"facets"`
	Amount string   `json:"amount"`
	// Lines is set when Terbuka searches the table's rows as lines, each
	// shown once whatever its stages (budget lines).
	Lines *Lines `json:"lines,omitempty"`
}

// Lines says how a table's rows make up lines: the rows that share Key,
// the table's key without the Stage column, are the stages of one line.
// When a key repeats at a stage, its n-th row at that stage belongs to the
// line of the n-th row at every other stage. A line's lead row speaks for
// it (its text, amount and year): the row of the first of Lead the line
// has.
type Lines struct {
	// Table names the table of lines an anchor builds beside the table of
	// rows.
	Table string   `json:"table"`
	Key   []string `json:"key"`
	Stage string   `json:"stage"`
	// Stages are the stages in the order of the year; Lead the stages a
	// lead row is taken from, the preferred first.
	Stages []string `json:"stages"`
	Lead   []string `json:"lead"`
}

// Facet is a column whose matching rows are counted per value, or per
// value of its first Prefix characters when Prefix is more than 0 (the
// province is the first two characters of the region code).
type Facet struct {
	Column string `json:"column"`
	Prefix int    `json:"prefix,omitempty"`
}

// Name names the facet's values: the column, or the column and the
// prefix length (region_code_2).
func (f Facet) Name() string {
	if f.Prefix > 0 {
		return fmt.Sprintf("%s_%d", f.Column, f.Prefix)
	}
	return f.Column
}

// Column is a CSV column with its schema type name: text, code, enum,
// integer, money, date or timestamp.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Query is one kind of the query mix.
type Query struct {
	Kind string `json:"kind"`
	// At most one of Words, Phrase and Code is set.
	Words   string            `json:"words,omitempty"`
	Phrase  string            `json:"phrase,omitempty"`
	Code    string            `json:"code,omitempty"`
	Dataset string            `json:"dataset,omitempty"`
	Year    int               `json:"year,omitempty"`
	Filters map[string]string `json:"filters,omitempty"`
	// MinAmount and MaxAmount are in sen, inclusive.
	MinAmount *int64 `json:"min_amount,omitempty"`
	MaxAmount *int64 `json:"max_amount,omitempty"`
	Sort      string `json:"sort,omitempty"`
	From      int    `json:"from,omitempty"`
	Size      int    `json:"size"`
	// Facets asks for the counts per value of every facet column, which
	// the portal's sidebar shows; Terbuka computes them for every query.
	Facets bool `json:"facets,omitempty"`
}

// Textual reports whether q matches words, where Terbuka's stemming and
// typo tolerance may find more than PostgreSQL's simple configuration or
// Sphinx without morphology.
func (q Query) Textual() bool { return q.Words != "" || q.Phrase != "" }

// TableResult is what one system made of one dataset, read back from its
// output.
type TableResult struct {
	Name string `json:"name"`
	Rows int64  `json:"rows"`
	// AmountSum is the sum of the amount column in sen.
	AmountSum int64   `json:"amount_sum_sen"`
	Bytes     int64   `json:"bytes"`
	Seconds   float64 `json:"seconds"`
	// Lines counts the table's lines (Table.Lines), when it has them.
	Lines int64 `json:"lines,omitempty"`
}

// Ingest is DuckDB's answer to `terbuka-anchor duckdb`.
type Ingest struct {
	Tables  []TableResult `json:"tables"`
	Seconds float64       `json:"seconds"`
	Version string        `json:"version"`
}

// Load is PostgreSQL's answer to `terbuka-anchor pg-load`.
type Load struct {
	Tables []TableResult `json:"tables"`
	// CopySeconds is COPY alone (with the stored tsvector computed per
	// row); IndexSeconds the GIN and B-tree builds and ANALYZE.
	CopySeconds  float64 `json:"copy_seconds"`
	IndexSeconds float64 `json:"index_seconds"`
	Seconds      float64 `json:"seconds"`
	// Bytes is the tables with their indexes and TOAST.
	Bytes   int64  `json:"bytes"`
	Version string `json:"version"`
}

// QueryResult is one kind's latency over its runs, and its hit count.
type QueryResult struct {
	Kind string  `json:"kind"`
	Hits int64   `json:"hits"`
	Runs int     `json:"runs"`
	P50  float64 `json:"p50_ms"`
	P95  float64 `json:"p95_ms"`
	P99  float64 `json:"p99_ms"`
	// Lines is PostgreSQL's count of the hits with each table that has
	// lines (Table.Lines) searched as its table of lines: the count
	// Terbuka's must equal. Only PostgreSQL reports it, and not in runs
	// from before Terbuka searched lines.
	Lines *int64 `json:"lines,omitempty"`
}

// QueryResults is a system's answer to the query mix.
type QueryResults struct {
	Queries []QueryResult `json:"queries"`
	// Tables is what the system holds per dataset, read back before the
	// queries, when the load did not report it (Sphinx's indexer cannot).
	Tables []TableResult `json:"tables,omitempty"`
}

// Warmup is the runs of each query before the measured ones.
const Warmup = 3

// Measure runs search Warmup times, then runs times timed, and summarises
// the timed runs with the hit count search last returned.
func Measure(kind string, runs int, search func() (hits int64, err error)) (QueryResult, error) {
	var hits int64
	var lat []time.Duration
	for i := range runs + Warmup {
		t0 := time.Now()
		n, err := search()
		if err != nil {
			return QueryResult{}, fmt.Errorf("query %s: %w", kind, err)
		}
		if i >= Warmup {
			lat = append(lat, time.Since(t0))
		}
		hits = n
	}
	return Summarise(kind, hits, lat), nil
}

// Summarise sorts lat and returns its percentiles in milliseconds.
func Summarise(kind string, hits int64, lat []time.Duration) QueryResult {
	slices.Sort(lat)
	at := func(p int) float64 {
		i := min(len(lat)*p/100, len(lat)-1)
		return float64(lat[i].Microseconds()) / 1000
	}
	return QueryResult{Kind: kind, Hits: hits, Runs: len(lat), P50: at(50), P95: at(95), P99: at(99)}
}

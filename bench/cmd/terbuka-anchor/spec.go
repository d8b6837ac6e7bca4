package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"
)

// Spec is what `terbuka bench` hands the anchors: the same files and the
// same queries it measures Terbuka on. Its JSON is the contract between
// the two modules (see benchmark.AnchorSpec in the main module).
type Spec struct {
	Tables  []Table `json:"tables"`
	Queries []Query `json:"queries"`
}

// Table is one dataset: its CSV files and columns in file order.
type Table struct {
	Name    string   `json:"name"`
	Files   []string `json:"files"`
	Columns []Column `json:"columns"`
	// Text columns make up the full-text document; Codes are matched
	// exactly or by dotted prefix; Facets are counted; Amount is the money
	// column ranges and sorts use.
	Text   []string `json:"text"`
	Codes  []string `json:"codes"`
	Facets []string `json:"facets"`
	Amount string   `json:"amount"`
}

// Column is a CSV column and its type: text, code, enum, integer, money,
// date or timestamp.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Query is one kind of the mix.
type Query struct {
	Kind string `json:"kind"`
	// Exactly one of Words, Phrase and Code is set, or none.
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
	// Facets asks for counts per value of every facet column, as the
	// portal's sidebar shows.
	Facets bool `json:"facets,omitempty"`
}

func readSpec(path string) (*Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	var s Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("read spec %s: %w", path, err)
	}
	if len(s.Tables) == 0 {
		return nil, fmt.Errorf("spec %s has no tables", path)
	}
	return &s, nil
}

// TableResult is what one system made of one table.
type TableResult struct {
	Name string `json:"name"`
	Rows int64  `json:"rows"`
	// AmountSum is the sum of the amount column in sen, read back from
	// what the system wrote.
	AmountSum int64   `json:"amount_sum_sen"`
	Bytes     int64   `json:"bytes"`
	Seconds   float64 `json:"seconds"`
}

// QueryResult is the latency of one kind over its runs, and its hit count.
type QueryResult struct {
	Kind string  `json:"kind"`
	Hits int64   `json:"hits"`
	Runs int     `json:"runs"`
	P50  float64 `json:"p50_ms"`
	P95  float64 `json:"p95_ms"`
	P99  float64 `json:"p99_ms"`
}

// summarise sorts lat and returns its percentiles in milliseconds.
func summarise(kind string, hits int64, lat []time.Duration) QueryResult {
	slices.Sort(lat)
	at := func(p int) float64 {
		i := min(len(lat)*p/100, len(lat)-1)
		return float64(lat[i].Microseconds()) / 1000
	}
	return QueryResult{Kind: kind, Hits: hits, Runs: len(lat), P50: at(50), P95: at(95), P99: at(99)}
}

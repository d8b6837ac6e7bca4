// Package benchmark measures Terbuka side by side with what its users would
// otherwise pick, on the same generated files, in one run on one machine:
// DuckDB for turning CSV into Parquet, PostgreSQL full-text search with a
// GIN index and Sphinx for queries. Absolute times on a shared machine
// mean little; the ratios are the result.
//
// Each phase runs in a child process, so its peak memory is its own:
// Terbuka's phases in `terbuka-bench bench-child`, the anchors in
// `terbuka-anchor` (module benchmark/anchordb, separate so that this binary
// never links DuckDB or a database driver) and Sphinx's own indexer.
package benchmark

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/terbuka/terbuka/benchmark/anchor"
)

// Config is one benchmark run. Zero values take the defaults noted.
type Config struct {
	// Rows is the number of generated rows (default 1,000,000).
	Rows int
	Seed int64
	// Work is the scratch directory (default: a temporary one, removed at
	// the end).
	Work string
	// Out is where RESULTS.md and {Name}.json are written ("" writes
	// nothing); Name defaults to "results".
	Out, Name string
	// Self is the harness's own binary (terbuka-bench), which runs each
	// measured phase in a process of its own; Terbuka the terbuka binary,
	// which serves and takes pushes; Anchor the terbuka-anchor binary;
	// Minio the MinIO server the replica phase stores the release on
	// (make minio builds it into .tools/).
	Self, Terbuka, Anchor, Minio string
	// Runs is the runs of each query kind (default 200).
	Runs int
	// WrkDuration is each wrk run's length (default 30 s), at each of
	// WrkConns connections (default 2, 4, 8, 16, 32, 64).
	WrkDuration time.Duration
	WrkConns    []int
	// FreshRows is the size of the pushed feed (default 10,000).
	FreshRows int
	// Phases limits the run to these of ingest, index, replica, query,
	// serve and fresh (default: all). Index and later phases need ingest;
	// replica needs index.
	Phases []string
	Log    *slog.Logger
}

func (c *Config) defaults() {
	if c.Rows <= 0 {
		c.Rows = 1_000_000
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Name == "" {
		c.Name = "results"
	}
	if c.Runs <= 0 {
		c.Runs = 200
	}
	if c.WrkDuration <= 0 {
		c.WrkDuration = 30 * time.Second
	}
	if len(c.WrkConns) == 0 {
		c.WrkConns = []int{2, 4, 8, 16, 32, 64}
	}
	if c.FreshRows <= 0 {
		c.FreshRows = 10_000
	}
	if len(c.Phases) == 0 {
		c.Phases = []string{"ingest", "index", "replica", "query", "serve", "fresh"}
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
}

// Results is everything one run measured; its JSON is results.json.
type Results struct {
	Name    string    `json:"name"`
	Date    time.Time `json:"date"`
	Machine Machine   `json:"machine"`
	Runs    int       `json:"query_runs"`
	WrkSecs float64   `json:"wrk_seconds"`
	Data    *Data     `json:"data"`
	// Ingest and Index hold each system's result by name ("terbuka",
	// "duckdb", "postgresql", "sphinx").
	Ingest    map[string]*SystemResult `json:"ingest,omitempty"`
	Downloads *SystemResult            `json:"downloads,omitempty"`
	Index     map[string]*SystemResult `json:"index,omitempty"`
	Queries   []QueryComparison        `json:"queries,omitempty"`
	Serving   map[string]*Serving      `json:"serving,omitempty"`
	// QueryLog is the log the serving phase replayed; absent from runs
	// before it had one, whose "search-mix" rotated the query mix.
	QueryLog  *QueryLog  `json:"query_log,omitempty"`
	Freshness *Freshness `json:"freshness,omitempty"`
	// Replica is absent from runs before the replica phase.
	Replica *Replica `json:"replica,omitempty"`
	Checks  []Check  `json:"checks"`
	Seconds float64  `json:"seconds"`
}

// QueryComparison is one kind of the mix on every system.
type QueryComparison struct {
	Kind       string             `json:"kind"`
	Terbuka    anchor.QueryResult `json:"terbuka"`
	PostgreSQL anchor.QueryResult `json:"postgresql"`
	// Agreement says whether Terbuka's hit count agrees with PostgreSQL's
	// count of lines (PostgreSQL.Lines), or why not; in runs from before
	// Terbuka searched lines, with PostgreSQL's hits.
	Agreement string `json:"agreement"`
	// Sphinx is absent from the results of runs before it was an anchor.
	Sphinx *anchor.QueryResult `json:"sphinx,omitempty"`
	// SphinxAgreement compares Sphinx's hit count with PostgreSQL's.
	SphinxAgreement string `json:"sphinx_agreement,omitempty"`
}

// Check is a cross-check of the systems' outputs; a failed one fails the
// run, since a comparison of different results compares nothing.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Failed returns the checks that failed.
func (r *Results) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

func (r *Results) check(name string, ok bool, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, OK: ok, Detail: fmt.Sprintf(format, args...)})
}

// Run runs the benchmark and writes its results when cfg.Out is set.
func Run(ctx context.Context, cfg Config) (*Results, error) {
	cfg.defaults()
	began := time.Now()
	work := cfg.Work
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "terbuka-bench-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(work)
	}
	res := &Results{Name: cfg.Name, Date: began.UTC(), Machine: readMachine(), Runs: cfg.Runs, WrkSecs: cfg.WrkDuration.Seconds()}
	b := &bench{cfg: cfg, work: work, res: res, store: filepath.Join(work, "store")}
	if b.wants("query") {
		// The query anchors are checked before the long phases, not after.
		if _, err := postgresBin(); err != nil {
			return res, err
		}
		if _, _, err := sphinxBins(); err != nil {
			return res, err
		}
	}
	if b.wants("replica") {
		if _, err := os.Stat(cfg.Minio); err != nil {
			return res, fmt.Errorf("the MinIO server for the replica phase: %w (make minio builds it)", err)
		}
	}
	// Servers stop whether the run ends well or not, before the scratch
	// directory goes.
	defer b.stopServers(ctx)
	steps := []struct {
		phase string
		run   func(context.Context) error
	}{
		{"", b.generate},
		{"ingest", b.ingest},
		{"index", b.index},
		{"query", b.queries},
		// After the query phase, which stops the anchors' servers.
		{"replica", b.replica},
		{"serve", b.serve},
		{"fresh", b.fresh},
	}
	for _, s := range steps {
		if s.phase != "" && !slices.Contains(cfg.Phases, s.phase) {
			continue
		}
		if err := s.run(ctx); err != nil {
			return res, err
		}
	}
	res.Seconds = time.Since(began).Seconds()
	if cfg.Out != "" {
		if err := write(cfg.Out, res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// bench is the state of one run.
type bench struct {
	cfg   Config
	work  string
	store string
	res   *Results
	spec  string
	pg    *postgres
	sx    *sphinx
	minio *minioServer
}

func (b *bench) log(msg string, args ...any) { b.cfg.Log.Info(msg, args...) }

// stopServers stops the servers still running: the anchors' and MinIO.
func (b *bench) stopServers(ctx context.Context) {
	b.stopMinio()
	if b.pg != nil {
		if err := b.pg.stop(ctx); err != nil {
			b.cfg.Log.Warn("stop postgresql", "err", err)
		}
		b.pg = nil
	}
	if b.sx != nil {
		if err := b.sx.stop(); err != nil {
			b.cfg.Log.Warn("stop sphinx", "err", err)
		}
		b.sx = nil
	}
}

// stopMinio stops the replica phase's MinIO if it runs.
func (b *bench) stopMinio() {
	if b.minio != nil {
		b.minio.stop()
		b.minio = nil
	}
}

// child runs a measuring process, decodes its JSON answer into out and
// returns its peak resident memory in bytes.
func (b *bench) child(ctx context.Context, out any, bin string, args ...string) (int64, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%s %s: %w", filepath.Base(bin), args[0], err)
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		return 0, fmt.Errorf("%s %s answered %q: %w", filepath.Base(bin), args[0], stdout.String(), err)
	}
	return maxRSS(cmd.ProcessState), nil
}

// maxRSS is an exited process's peak resident memory in bytes, from
// getrusage: the largest of the process and the children it waited for.
func maxRSS(ps *os.ProcessState) int64 {
	ru, _ := ps.SysUsage().(*syscall.Rusage)
	if ru == nil {
		return 0
	}
	return ru.Maxrss * 1024
}

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/terbuka/terbuka/benchmark"
)

// cmdBench measures Terbuka side by side with DuckDB and PostgreSQL and
// writes the results; it fails when the systems' outputs disagree.
func cmdBench(ctx context.Context, args []string) error {
	fs := newFlagSet("bench")
	rows := fs.Int("rows", int(intEnv("bench_rows", 1_000_000)), "rows of generated data")
	out := fs.String("out", env("bench_out", "bench"), "directory for RESULTS.md and the results JSON")
	name := fs.String("name", env("bench_name", "results"), "results file name, without .json")
	anchor := fs.String("anchor", env("bench_anchor", "bin/terbuka-anchor"), "the terbuka-anchor binary (make bench builds it from bench/)")
	work := fs.String("work", env("bench_work", ""), "scratch directory, kept afterwards (default: a temporary one, removed)")
	runs := fs.Int("runs", int(intEnv("bench_runs", 200)), "runs of each query kind")
	wrkDur := fs.Duration("wrk-duration", durationEnv("bench_wrk_duration", 0), "length of each wrk run (default 30s)")
	conns := fs.String("wrk-connections", env("bench_wrk_connections", ""), "wrk connection counts, comma-separated (default 2,4,8,16,32,64)")
	freshRows := fs.Int("fresh-rows", int(intEnv("bench_fresh_rows", 10_000)), "rows of the pushed feed")
	phases := fs.String("phases", env("bench_phases", ""), "only these of ingest,index,query,serve,fresh (default all)")
	logLevel := fs.String("log-level", env("log-level", "info"), "debug, info, warn or error")
	render := fs.Bool("render", false, "only render OUT/RESULTS.md again from the results files in OUT")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *render {
		return benchmark.Report(*out)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	anchorPath, err := filepath.Abs(*anchor)
	if err != nil {
		return err
	}
	if _, err := os.Stat(anchorPath); err != nil {
		return fmt.Errorf("the anchor binary: %w (make bench builds it: cd bench && go build -o ../bin/terbuka-anchor ./cmd/terbuka-anchor)", err)
	}
	cfg := benchmark.Config{Rows: *rows, Out: *out, Name: *name, Self: self, Anchor: anchorPath, Work: *work,
		Runs: *runs, WrkDuration: *wrkDur, FreshRows: *freshRows, Log: newLogger(*logLevel)}
	if *phases != "" {
		cfg.Phases = strings.Split(*phases, ",")
	}
	for _, c := range strings.Split(*conns, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		n, err := strconv.Atoi(c)
		if err != nil || n < 2 {
			return fmt.Errorf("--wrk-connections: %q is not a count ≥ 2 (wrk runs 2 threads)", c)
		}
		cfg.WrkConns = append(cfg.WrkConns, n)
	}
	res, err := benchmark.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if *out != "" {
		fmt.Printf("wrote %s and %s\n", filepath.Join(*out, "RESULTS.md"), filepath.Join(*out, *name+".json"))
	}
	benchmark.Render(os.Stdout, res, nil)
	if failed := res.Failed(); len(failed) > 0 {
		for _, c := range failed {
			fmt.Fprintf(os.Stderr, "cross-check failed: %s: %s\n", c.Name, c.Detail)
		}
		return exitError{1}
	}
	return nil
}

// cmdBenchChild runs one measured phase for cmdBench in its own process.
func cmdBenchChild(ctx context.Context, args []string) error {
	return benchmark.Child(ctx, args, os.Stdout)
}

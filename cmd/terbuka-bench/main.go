// Command terbuka-bench measures Terbuka side by side with DuckDB and
// PostgreSQL and writes the results; it fails when the systems' outputs
// disagree. It is a tool for developers, kept out of the product binary:
//
//	terbuka-bench --terbuka bin/terbuka --anchor bin/terbuka-anchor [--rows N] [--out benchmark/results]
//	terbuka-bench --render --out benchmark/results
//	terbuka-bench load --terbuka bin/terbuka [--rate 40] [--duration 2m]
//
// Each of Terbuka's measured phases runs in a process of its own
// (terbuka-bench bench-child PHASE), and the portal is bin/terbuka serve.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/terbuka/terbuka/benchmark"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch {
	case len(os.Args) > 1 && os.Args[1] == "bench-child":
		err = benchmark.Child(ctx, os.Args[2:], os.Stdout)
	case len(os.Args) > 1 && os.Args[1] == "load":
		err = runLoad(ctx, os.Args[2:])
	default:
		err = run(ctx, os.Args[1:])
	}
	var code exitCode
	switch {
	case errors.As(err, &code):
		os.Exit(int(code))
	case err != nil:
		fmt.Fprintln(os.Stderr, "terbuka-bench:", err)
		os.Exit(1)
	}
}

// exitCode is an exit status that says all there is to say.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("terbuka-bench", flag.ContinueOnError)
	rows := fs.Int("rows", 1_000_000, "rows of generated data")
	out := fs.String("out", "benchmark/results", "directory for RESULTS.md and the results JSON")
	name := fs.String("name", "results", "results file name, without .json")
	terbuka := fs.String("terbuka", "bin/terbuka", "the terbuka binary measured (make bench builds it)")
	anchor := fs.String("anchor", "bin/terbuka-anchor", "the terbuka-anchor binary (make anchor builds it from benchmark/anchordb/)")
	minio := fs.String("minio", ".tools/minio", "the MinIO server the replica phase stores the release on (make minio builds it)")
	work := fs.String("work", "", "scratch directory, kept afterwards (default: a temporary one, removed)")
	runs := fs.Int("runs", 200, "runs of each query kind")
	wrkDur := fs.Duration("wrk-duration", 0, "length of each wrk run (default 30s)")
	conns := fs.String("wrk-connections", "", "wrk connection counts, comma-separated (default 2,4,8,16,32,64)")
	freshRows := fs.Int("fresh-rows", 10_000, "rows of the pushed feed")
	phases := fs.String("phases", "", "only these of ingest,index,replica,query,serve,fresh (default all)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	render := fs.Bool("render", false, "only render OUT/RESULTS.md again from the results files in OUT")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitCode(2)
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
		return fmt.Errorf("the anchor binary: %w (make anchor builds it: cd benchmark/anchordb && go build -o ../../bin/terbuka-anchor ./cmd/terbuka-anchor)", err)
	}
	terbukaPath, err := filepath.Abs(*terbuka)
	if err != nil {
		return err
	}
	if _, err := os.Stat(terbukaPath); err != nil {
		return fmt.Errorf("the terbuka binary: %w (make build builds it)", err)
	}
	minioPath, err := filepath.Abs(*minio)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("--log-level %q: debug, info, warn or error", *logLevel)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	cfg := benchmark.Config{Rows: *rows, Out: *out, Name: *name, Self: self, Terbuka: terbukaPath, Anchor: anchorPath, Minio: minioPath, Work: *work,
		Runs: *runs, WrkDuration: *wrkDur, FreshRows: *freshRows, Log: log}
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
		return exitCode(1)
	}
	return nil
}

// runLoad is terbuka-bench load: the load suite against a demo portal.
func runLoad(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("terbuka-bench load", flag.ContinueOnError)
	terbuka := fs.String("terbuka", "bin/terbuka", "the terbuka binary (make build builds it)")
	rate := fs.Float64("rate", 40, "requests per second of the first phase; the second runs at twice it")
	dur := fs.Duration("duration", 2*time.Minute, "length of each phase")
	regions := fs.Int("regions", 10, "demo regions")
	work := fs.String("work", "", "scratch directory, kept afterwards (default: a temporary one, removed)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitCode(2)
	}
	if *rate <= 0 || *dur <= 0 || *regions <= 0 {
		fmt.Fprintln(os.Stderr, "terbuka-bench load: --rate, --duration and --regions must be more than 0")
		return exitCode(2)
	}
	bin, err := filepath.Abs(*terbuka)
	if err != nil {
		return err
	}
	dir := *work
	if dir == "" {
		if dir, err = os.MkdirTemp("", "terbuka-load-*"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	_, err = benchmark.RunLoad(ctx, benchmark.LoadOptions{Terbuka: bin, Rate: *rate, Duration: *dur, Work: dir, Regions: *regions, Out: os.Stdout})
	return err
}

// Command terbuka-anchor runs the systems Terbuka is measured against, on
// the same files and the same query mix as `terbuka-bench`: DuckDB turning
// CSV into Parquet, PostgreSQL full-text search with a GIN index, and
// Sphinx. It lives in its own module so the product binary never links
// DuckDB or a database driver.
//
//	terbuka-anchor duckdb        --spec SPEC --out DIR [--threads 2]
//	terbuka-anchor pg-load       --spec SPEC --dsn DSN
//	terbuka-anchor pg-query      --spec SPEC --dsn DSN [--runs 200]
//	terbuka-anchor sphinx-source --spec SPEC --table NAME
//	terbuka-anchor sphinx-query  --spec SPEC --addr HOST:PORT [--runs 200]
//	terbuka-anchor sql           STATEMENT...
//
// SPEC is the JSON `terbuka-bench` writes: the tables (files, columns and
// their types) and the queries. Each command prints its measurements as
// one JSON object on stdout, but sphinx-source, which Sphinx's indexer
// runs as its tsvpipe source (`terbuka-bench` writes the configuration):
// it prints the table's documents. sql runs statements in an in-memory
// DuckDB and prints the last one's rows as tab-separated text: tests check
// what Terbuka computes against it, an engine Terbuka does not use.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/terbuka/terbuka/benchmark/anchor"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: terbuka-anchor duckdb|pg-load|pg-query|sphinx-source|sphinx-query --spec SPEC ... | sql STATEMENT...")
		os.Exit(2)
	}
	if os.Args[1] == "sql" {
		if err := runSQL(os.Stdout, os.Args[2:]); err != nil {
			fail(err)
		}
		return
	}
	fs := flag.NewFlagSet("terbuka-anchor "+os.Args[1], flag.ExitOnError)
	specPath := fs.String("spec", "", "the bench spec JSON (required)")
	out := fs.String("out", "", "duckdb: directory for the Parquet files")
	threads := fs.Int("threads", 2, "duckdb: threads")
	dsn := fs.String("dsn", "", "pg-*: PostgreSQL connection string")
	runs := fs.Int("runs", 200, "pg-query, sphinx-query: runs of each query")
	table := fs.String("table", "", "sphinx-source: the table whose documents to print")
	addr := fs.String("addr", "", "sphinx-query: searchd's SphinxQL (MySQL protocol) address")
	fs.Parse(os.Args[2:])
	spec, err := readSpec(*specPath)
	if err != nil {
		fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var res any
	switch os.Args[1] {
	case "duckdb":
		res, err = duckIngest(ctx, spec, *out, *threads)
	case "pg-load":
		res, err = pgLoad(ctx, spec, *dsn)
	case "pg-query":
		res, err = pgQueries(ctx, spec, *dsn, *runs)
	case "sphinx-source":
		if err := anchor.WriteSphinxDocuments(spec, *table, os.Stdout); err != nil {
			fail(err)
		}
		return
	case "sphinx-query":
		res, err = sphinxQueries(ctx, spec, *addr, *runs)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "terbuka-anchor:", err)
	os.Exit(1)
}

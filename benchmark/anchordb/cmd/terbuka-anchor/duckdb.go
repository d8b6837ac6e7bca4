package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/terbuka/terbuka/benchmark/anchor"
)

// duckTypes are the DuckDB types of the spec's column types: the explicit
// schema, so DuckDB does no type sniffing, as Terbuka does none.
var duckTypes = map[string]string{
	"text": "VARCHAR", "code": "VARCHAR", "enum": "VARCHAR", "integer": "BIGINT",
	"money": "DECIMAL(18,2)", "date": "DATE", "timestamp": "TIMESTAMP",
}

// duckIngest turns each table's CSV files into one zstd Parquet file with
// COPY, timed, then reads the files back for rows and the amount sum.
func duckIngest(ctx context.Context, spec *anchor.Spec, out string, threads int) (*anchor.Ingest, error) {
	if out == "" {
		return nil, fmt.Errorf("duckdb: --out DIR is required")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, fmt.Sprintf("SET threads = %d", threads)); err != nil {
		return nil, fmt.Errorf("duckdb threads: %w", err)
	}
	res := &anchor.Ingest{}
	if err := db.QueryRowContext(ctx, "SELECT version()").Scan(&res.Version); err != nil {
		return nil, err
	}
	for _, t := range spec.Tables {
		path := filepath.Join(out, t.Name+".parquet")
		began := time.Now()
		copySQL := fmt.Sprintf("COPY (SELECT * FROM %s) TO %s (FORMAT parquet, COMPRESSION zstd)", readCSV(t), quote(path))
		if _, err := db.ExecContext(ctx, copySQL); err != nil {
			return nil, fmt.Errorf("duckdb copy %s: %w", t.Name, err)
		}
		tr := anchor.TableResult{Name: t.Name, Seconds: time.Since(began).Seconds()}
		res.Seconds += tr.Seconds
		check := fmt.Sprintf("SELECT count(*), coalesce(CAST(sum(%s) * 100 AS BIGINT), 0) FROM read_parquet(%s)", ident(t.Amount), quote(path))
		if err := db.QueryRowContext(ctx, check).Scan(&tr.Rows, &tr.AmountSum); err != nil {
			return nil, fmt.Errorf("duckdb read back %s: %w", t.Name, err)
		}
		info, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		tr.Bytes = info.Size()
		res.Tables = append(res.Tables, tr)
	}
	return res, nil
}

// readCSV is the read_csv call for a table's files with its explicit schema.
func readCSV(t anchor.Table) string {
	files := make([]string, len(t.Files))
	for i, f := range t.Files {
		files[i] = quote(f)
	}
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quote(c.Name) + ": " + quote(duckTypes[c.Type])
	}
	return fmt.Sprintf("read_csv([%s], header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', columns = {%s})",
		strings.Join(files, ", "), strings.Join(cols, ", "))
}

// quote is a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// ident is a quoted SQL identifier.
func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

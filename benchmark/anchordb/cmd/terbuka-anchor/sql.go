package main

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
)

// runSQL runs statements in an in-memory DuckDB and writes the rows of
// the last as tab-separated text, NULL as an empty field.
func runSQL(w io.Writer, statements []string) error {
	if len(statements) == 0 {
		return errors.New("sql: no statement")
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	last := len(statements) - 1
	for _, q := range statements[:last] {
		if _, err := db.Exec(q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	rows, err := db.Query(statements[last])
	if err != nil {
		return fmt.Errorf("%s: %w", statements[last], err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		out := make([]string, len(vals))
		for i, v := range vals {
			if v != nil {
				out[i] = fmt.Sprint(v)
			}
		}
		if _, err := fmt.Fprintln(w, strings.Join(out, "\t")); err != nil {
			return err
		}
	}
	return rows.Err()
}

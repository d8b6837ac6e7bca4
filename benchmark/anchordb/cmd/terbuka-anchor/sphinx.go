package main

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/terbuka/terbuka/benchmark/anchor"
)

// sphinxQueries connects to searchd's SphinxQL listener at addr, reads
// back each index's documents and amount sum, then runs each query of the
// mix runs times, after the warm-up runs, timing what the portal's search
// page would need from Sphinx: the page with its total and, when asked,
// the facets (a FACET clause) and the other datasets' counts.
func sphinxQueries(ctx context.Context, spec *anchor.Spec, addr string, runs int) (*anchor.QueryResults, error) {
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr = "tcp", addr
	// searchd prepares no statements: the driver writes the arguments in.
	cfg.InterpolateParams = true
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to searchd at %s: %w", addr, err)
	}
	defer conn.Close()
	out := &anchor.QueryResults{}
	if out.Tables, err = sphinxTables(ctx, conn, spec); err != nil {
		return nil, err
	}
	for _, q := range spec.Queries {
		stmts, err := sphinxQL(spec, q)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", q.Kind, err)
		}
		r, err := anchor.Measure(q.Kind, runs, func() (int64, error) { return runSphinx(ctx, conn, stmts) })
		if err != nil {
			return nil, err
		}
		out.Queries = append(out.Queries, r)
	}
	return out, nil
}

// sphinxTables reads back the documents and the amount sum of each index.
func sphinxTables(ctx context.Context, conn *sql.Conn, spec *anchor.Spec) ([]anchor.TableResult, error) {
	var out []anchor.TableResult
	for _, t := range spec.Tables {
		tr := anchor.TableResult{Name: t.Name}
		var sum sql.NullInt64
		q := fmt.Sprintf("SELECT COUNT(*), SUM(%s) FROM %s", anchor.SphinxAmount, t.Name)
		if err := conn.QueryRowContext(ctx, q).Scan(&tr.Rows, &sum); err != nil {
			return nil, fmt.Errorf("read back %s: %w", t.Name, err)
		}
		tr.AmountSum = sum.Int64
		out = append(out, tr)
	}
	return out, nil
}

// runSphinx runs one search and returns its total: total_found from the
// SHOW META after the statement marked count.
func runSphinx(ctx context.Context, conn *sql.Conn, stmts []statement) (int64, error) {
	var hits int64
	for _, s := range stmts {
		rows, err := conn.QueryContext(ctx, s.sql, s.args...)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", s.sql, err)
		}
		for more := true; more; more = rows.NextResultSet() {
			cols, _ := rows.Columns()
			meta := s.count && len(cols) == 2 && cols[0] == "Variable_name"
			for rows.Next() {
				var name, value string
				if meta && rows.Scan(&name, &value) == nil && name == "total_found" {
					hits, err = strconv.ParseInt(value, 10, 64)
				}
			}
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", s.sql, err)
		}
	}
	return hits, nil
}

// sphinxQL is the statements of one search: the page over every index in
// scope with SHOW META for its total, its facets as FACET clauses, and
// the other datasets' counts, as PostgreSQL's searchSQL has them.
func sphinxQL(spec *anchor.Spec, q anchor.Query) ([]statement, error) {
	var scope []anchor.Table
	for _, t := range spec.Tables {
		if q.Dataset == "" || q.Dataset == t.Name {
			scope = append(scope, t)
		}
	}
	if len(scope) == 0 {
		return nil, fmt.Errorf("no dataset %q", q.Dataset)
	}
	var args []any
	cond, err := sphinxWhere(scope, q, &args)
	if err != nil {
		return nil, err
	}
	maxMatches := max(1000, q.From+q.Size)
	page := fmt.Sprintf("SELECT id, %s, %s, WEIGHT() AS w FROM %s%s ORDER BY %s LIMIT %d, %d OPTION max_matches = %d",
		anchor.SphinxTitle, anchor.SphinxAmount, names(scope), cond, sphinxOrder(q), q.From, q.Size, maxMatches)
	var facetStmts []statement
	if q.Facets {
		if len(scope) == 1 {
			page += facetClauses(scope[0], maxMatches)
		} else {
			// One FACET statement per index: each has its own facets.
			for _, t := range scope {
				facetStmts = append(facetStmts, statement{sql: fmt.Sprintf("SELECT id FROM %s%s LIMIT 1 OPTION max_matches = %d%s",
					t.Name, cond, maxMatches, facetClauses(t, maxMatches)), args: args})
			}
		}
	}
	stmts := append([]statement{{sql: page + "; SHOW META", args: args, count: true}}, facetStmts...)
	if q.Facets && q.Dataset != "" {
		others, err := otherCounts(spec, q)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, others...)
	}
	return stmts, nil
}

// otherCounts counts the matches in the datasets q is not narrowed to,
// without its filters and amounts, as the portal's dataset facet shows.
func otherCounts(spec *anchor.Spec, q anchor.Query) ([]statement, error) {
	other := q
	other.Filters, other.MinAmount, other.MaxAmount = nil, nil, nil
	var out []statement
	for _, t := range spec.Tables {
		if t.Name == q.Dataset {
			continue
		}
		var args []any
		cond, err := sphinxWhere([]anchor.Table{t}, other, &args)
		if err != nil {
			return nil, err
		}
		out = append(out, statement{sql: "SELECT COUNT(*) FROM " + t.Name + cond, args: args})
	}
	return out, nil
}

func names(ts []anchor.Table) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return strings.Join(out, ", ")
}

// facetClauses counts the matches per value of each facet of t, every
// value as PostgreSQL's GROUPING SETS returns them, most frequent first.
func facetClauses(t anchor.Table, limit int) string {
	var b strings.Builder
	for _, f := range t.Facets {
		fmt.Fprintf(&b, " FACET %s ORDER BY COUNT(*) DESC LIMIT %d", f.Name(), limit)
	}
	return b.String()
}

// sphinxOrder is the ORDER BY of a page: by amount when the query sorts
// so, otherwise by relevance, best first.
func sphinxOrder(q anchor.Query) string {
	switch q.Sort {
	case "-amount":
		return anchor.SphinxAmount + " DESC"
	case "amount":
		return anchor.SphinxAmount + " ASC"
	}
	return "WEIGHT() DESC"
}

// sphinxWhere is the WHERE clause of q on the indexes of ts, empty for a
// full scan, adding its arguments to args. Every filter must be an
// attribute of each index.
func sphinxWhere(ts []anchor.Table, q anchor.Query, args *[]any) (string, error) {
	var conds []string
	add := func(cond string, v any) { conds = append(conds, cond); *args = append(*args, v) }
	switch {
	case q.Words != "":
		add("MATCH(?)", escapeMatch(q.Words))
	case q.Phrase != "":
		add("MATCH(?)", `"`+escapeMatch(q.Phrase)+`"`)
	case q.Code != "":
		add("MATCH(?)", anchor.SphinxCodeMatch(q.Code))
	}
	if q.Year != 0 {
		add(anchor.SphinxYear+" = ?", q.Year)
	}
	for _, k := range slices.Sorted(maps.Keys(q.Filters)) {
		for _, t := range ts {
			if err := isAttribute(t, k); err != nil {
				return "", err
			}
		}
		add(k+" = ?", q.Filters[k])
	}
	if q.MinAmount != nil {
		add(anchor.SphinxAmount+" >= ?", *q.MinAmount)
	}
	if q.MaxAmount != nil {
		add(anchor.SphinxAmount+" <= ?", *q.MaxAmount)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), nil
}

func isAttribute(t anchor.Table, name string) error {
	layout, err := anchor.SphinxLayout(t)
	if err != nil {
		return err
	}
	for _, c := range layout {
		if c.Name == name && c.Attribute() {
			return nil
		}
	}
	return fmt.Errorf("filter %q is not a Sphinx attribute of %s", name, t.Name)
}

// escapeMatch escapes the characters of Sphinx's extended query syntax,
// so words are searched as words.
func escapeMatch(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\()|-!@~"&/^$=<`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

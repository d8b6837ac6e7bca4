package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/terbuka/terbuka/benchmark/anchor"
)

// pgTypes are the PostgreSQL types of the spec's column types.
var pgTypes = map[string]string{
	"text": "text", "code": "text", "enum": "text", "integer": "bigint",
	"money": "numeric(18,2)", "date": "date", "timestamp": "timestamp",
}

// pgLoad creates one table per dataset with a stored tsvector (the simple
// configuration: no stemming) over its text columns, COPYs the CSV files
// in, and builds a GIN index on the tsvector and B-trees on the year, the
// region, the amount and the codes (text_pattern_ops, for prefixes): what
// a CKAN DataStore table with full-text search would have.
func pgLoad(ctx context.Context, spec *anchor.Spec, dsn string) (*anchor.Load, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect postgresql: %w", err)
	}
	defer conn.Close(ctx)
	res := &anchor.Load{}
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&res.Version); err != nil {
		return nil, err
	}
	began := time.Now()
	for _, t := range spec.Tables {
		if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+ident(t.Name)+"; "+createTable(t)); err != nil {
			return nil, fmt.Errorf("create %s: %w", t.Name, err)
		}
		tr := anchor.TableResult{Name: t.Name}
		t0 := time.Now()
		for _, f := range t.Files {
			n, err := copyFile(ctx, conn, t, f)
			if err != nil {
				return nil, err
			}
			tr.Rows += n
		}
		tr.Seconds = time.Since(t0).Seconds()
		res.CopySeconds += tr.Seconds
		res.Tables = append(res.Tables, tr)
	}
	t0 := time.Now()
	for _, t := range spec.Tables {
		for _, stmt := range indexes(t) {
			if _, err := conn.Exec(ctx, stmt); err != nil {
				return nil, fmt.Errorf("%s: %w", stmt, err)
			}
		}
	}
	res.IndexSeconds = time.Since(t0).Seconds()
	res.Seconds = time.Since(began).Seconds()
	for i, t := range spec.Tables {
		var size int64
		q := fmt.Sprintf("SELECT pg_total_relation_size('%s'), coalesce(CAST(sum(%s) * 100 AS bigint), 0) FROM %s", t.Name, ident(t.Amount), ident(t.Name))
		if err := conn.QueryRow(ctx, q).Scan(&size, &res.Tables[i].AmountSum); err != nil {
			return nil, fmt.Errorf("size of %s: %w", t.Name, err)
		}
		res.Tables[i].Bytes = size
		res.Bytes += size
	}
	// Off the clock and out of the bytes: the tables of lines are there
	// to count what Terbuka counts, not part of what a CKAN DataStore
	// would hold.
	for i, t := range spec.Tables {
		if t.Lines == nil {
			continue
		}
		if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+ident(t.Lines.Table)+"; "+createLines(t)+"; ANALYZE "+ident(t.Lines.Table)); err != nil {
			return nil, fmt.Errorf("create %s: %w", t.Lines.Table, err)
		}
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+ident(t.Lines.Table)).Scan(&res.Tables[i].Lines); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.Lines.Table, err)
		}
	}
	return res, nil
}

func createTable(t anchor.Table) string {
	var cols, doc []string
	for _, c := range t.Columns {
		cols = append(cols, ident(c.Name)+" "+pgTypes[c.Type])
	}
	for _, c := range t.Text {
		doc = append(doc, "coalesce("+ident(c)+", '')")
	}
	cols = append(cols, "tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', "+strings.Join(doc, " || ' ' || ")+")) STORED")
	return "CREATE TABLE " + ident(t.Name) + " (" + strings.Join(cols, ", ") + ")"
}

// stagesColumn is the column of a table of lines that lists the line's
// stages, in the order of the year.
const stagesColumn = "stages"

// createLines creates t's table of lines (anchor.Lines) from t's rows: the
// lead row of each line, every column but the stage, with the tsvector
// taken as it is, and the line's stages. The n-th row of a key at a stage,
// in the order COPY loaded them, pairs with the n-th at every other stage.
func createLines(t anchor.Table) string {
	l := t.Lines
	key := make([]string, len(l.Key))
	for i, c := range l.Key {
		key[i] = ident(c)
	}
	var cols []string
	for _, c := range t.Columns {
		if c.Name != l.Stage {
			cols = append(cols, ident(c.Name))
		}
	}
	keys, stage := strings.Join(key, ", "), ident(l.Stage)
	return fmt.Sprintf(`CREATE TABLE %s AS
WITH staged AS (SELECT *, row_number() OVER (PARTITION BY %s, %s ORDER BY ctid) AS line_repeat FROM %s)
SELECT DISTINCT ON (%s, line_repeat) %s, tsv,
  array_agg(%s) OVER (PARTITION BY %s, line_repeat ORDER BY array_position(%s, %s) ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS %s
FROM staged ORDER BY %s, line_repeat, array_position(%s, %s)`,
		ident(l.Table), keys, stage, ident(t.Name),
		keys, strings.Join(cols, ", "),
		stage, keys, textArray(l.Stages), stage, ident(stagesColumn),
		keys, textArray(l.Lead), stage)
}

// textArray is a text[] literal of ss.
func textArray(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "ARRAY[" + strings.Join(q, ", ") + "]::text[]"
}

func indexes(t anchor.Table) []string {
	name := func(s string) string { return ident(t.Name + "_" + s) }
	on := "ON " + ident(t.Name)
	out := []string{
		"CREATE INDEX " + name("tsv") + " " + on + " USING gin (tsv)",
		"CREATE INDEX " + name("year") + " " + on + " (fiscal_year)",
		"CREATE INDEX " + name("amount") + " " + on + " (" + ident(t.Amount) + ")",
	}
	for _, c := range t.Codes {
		out = append(out, "CREATE INDEX "+name(c)+" "+on+" ("+ident(c)+" text_pattern_ops)")
	}
	return append(out, "ANALYZE "+ident(t.Name))
}

// copyFile streams one CSV file into t with COPY FROM STDIN.
func copyFile(ctx context.Context, conn *pgx.Conn, t anchor.Table, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = ident(c.Name)
	}
	tag, err := conn.PgConn().CopyFrom(ctx, f, "COPY "+ident(t.Name)+" ("+strings.Join(cols, ", ")+") FROM STDIN WITH (FORMAT csv, HEADER true)")
	if err != nil {
		return 0, fmt.Errorf("copy %s into %s: %w", path, t.Name, err)
	}
	return tag.RowsAffected(), nil
}

// pgQueries runs each query of the mix runs times, after three warm-up
// runs, timing every statement the portal's search page would need from
// PostgreSQL: the count, the page and, when asked, the facet counts.
func pgQueries(ctx context.Context, spec *anchor.Spec, dsn string, runs int) (*anchor.QueryResults, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect postgresql: %w", err)
	}
	defer conn.Close(ctx)
	out := &anchor.QueryResults{}
	for _, q := range spec.Queries {
		stmts := searchSQL(spec, q)
		r, err := anchor.Measure(q.Kind, runs, func() (int64, error) { return runSearch(ctx, conn, stmts) })
		if err != nil {
			return nil, err
		}
		// Once and untimed: the count Terbuka's, which counts a budget
		// line once, must equal.
		lines, err := runSearch(ctx, conn, []statement{lineCountSQL(spec, q)})
		if err != nil {
			return nil, fmt.Errorf("query %s on lines: %w", q.Kind, err)
		}
		r.Lines = &lines
		out.Queries = append(out.Queries, r)
	}
	return out, nil
}

// statement is one SQL statement with its arguments; count marks the one
// whose single value is the hit count.
type statement struct {
	sql   string
	args  []any
	count bool
}

func runSearch(ctx context.Context, conn *pgx.Conn, stmts []statement) (int64, error) {
	var hits int64
	for _, s := range stmts {
		rows, err := conn.Query(ctx, s.sql, s.args...)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", s.sql, err)
		}
		for rows.Next() {
			if s.count {
				if err := rows.Scan(&hits); err != nil {
					rows.Close()
					return 0, err
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, fmt.Errorf("%s: %w", s.sql, err)
		}
	}
	return hits, nil
}

// lineCountSQL is the count of one search over every table in scope, with
// a table that has lines searched as its table of lines.
func lineCountSQL(spec *anchor.Spec, q anchor.Query) statement {
	var counts []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	for _, t := range spec.Tables {
		if q.Dataset != "" && q.Dataset != t.Name {
			continue
		}
		name := t.Name
		if t.Lines != nil {
			name = t.Lines.Table
		}
		cond, _ := where(t, q, arg, true)
		counts = append(counts, "(SELECT count(*) FROM "+ident(name)+" WHERE "+cond+")")
	}
	return statement{sql: "SELECT " + strings.Join(counts, " + "), args: args, count: true}
}

// searchSQL is the statements of one search: the count over every table in
// scope, the page, and the facets.
func searchSQL(spec *anchor.Spec, q anchor.Query) []statement {
	var counts, pages []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	for _, t := range spec.Tables {
		if q.Dataset != "" && q.Dataset != t.Name {
			continue
		}
		cond, rank := where(t, q, arg, false)
		counts = append(counts, "(SELECT count(*) FROM "+ident(t.Name)+" WHERE "+cond+")")
		order := orderBy(q.Sort, ident(t.Amount), rank)
		pages = append(pages, fmt.Sprintf("(SELECT %s AS title, %s AS amount, %s AS rank FROM %s WHERE %s ORDER BY %s LIMIT %d)",
			ident(t.Text[0]), ident(t.Amount), rank, ident(t.Name), cond, order, q.From+q.Size))
	}
	stmts := []statement{
		{sql: "SELECT " + strings.Join(counts, " + "), args: args, count: true},
		{sql: fmt.Sprintf("SELECT * FROM (%s) AS page ORDER BY %s LIMIT %d OFFSET %d", strings.Join(pages, " UNION ALL "), orderBy(q.Sort, "amount", "rank"), q.Size, q.From), args: args},
	}
	if q.Facets {
		stmts = append(stmts, facetSQL(spec, q)...)
	}
	return stmts
}

// orderBy is the ORDER BY of a page: by amount when the query sorts so,
// otherwise by rank, best first.
func orderBy(sort, amount, rank string) string {
	switch sort {
	case "-amount":
		return amount + " DESC NULLS LAST"
	case "amount":
		return amount + " ASC NULLS LAST"
	}
	return rank + " DESC"
}

// facetSQL counts the matching rows per value of each facet column, in one
// scan per table with GROUPING SETS, and, when the query is narrowed to a
// dataset, the matches in the other datasets, as the portal's dataset
// facet shows them.
func facetSQL(spec *anchor.Spec, q anchor.Query) []statement {
	var out []statement
	for _, t := range spec.Tables {
		var args []any
		arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
		if q.Dataset != "" && q.Dataset != t.Name {
			other := q
			other.Filters, other.MinAmount, other.MaxAmount = nil, nil, nil
			cond, _ := where(t, other, arg, false)
			out = append(out, statement{sql: "SELECT count(*) FROM " + ident(t.Name) + " WHERE " + cond, args: args})
			continue
		}
		cond, _ := where(t, q, arg, false)
		exprs, sets := make([]string, len(t.Facets)), make([]string, len(t.Facets))
		for i, f := range t.Facets {
			exprs[i] = ident(f.Column)
			if f.Prefix > 0 {
				exprs[i] = fmt.Sprintf("left(%s, %d)", exprs[i], f.Prefix)
			}
			sets[i] = "(" + exprs[i] + ")"
		}
		out = append(out, statement{sql: fmt.Sprintf("SELECT %s, count(*) FROM %s WHERE %s GROUP BY GROUPING SETS (%s)",
			strings.Join(exprs, ", "), ident(t.Name), cond, strings.Join(sets, ", ")), args: args})
	}
	return out
}

// where is the WHERE condition of q on t, or on t's table of lines when
// lines is set, and the rank expression its page is ordered by.
func where(t anchor.Table, q anchor.Query, arg func(any) string, lines bool) (cond, rank string) {
	conds := []string{"true"}
	rank = "0::real"
	switch {
	case q.Words != "":
		p := arg(q.Words)
		conds = append(conds, "tsv @@ plainto_tsquery('simple', "+p+")")
		rank = "ts_rank(tsv, plainto_tsquery('simple', " + p + "))"
	case q.Phrase != "":
		p := arg(q.Phrase)
		conds = append(conds, "tsv @@ phraseto_tsquery('simple', "+p+")")
		rank = "ts_rank(tsv, phraseto_tsquery('simple', " + p + "))"
	case q.Code != "":
		exact, prefix := arg(q.Code), arg(strings.TrimSuffix(q.Code, ".")+".%")
		var alts []string
		for _, c := range t.Codes {
			alts = append(alts, ident(c)+" = "+exact, ident(c)+" LIKE "+prefix)
		}
		conds = append(conds, "("+strings.Join(alts, " OR ")+")")
	}
	if q.Year != 0 {
		conds = append(conds, "fiscal_year = "+arg(q.Year))
	}
	for _, k := range slices.Sorted(maps.Keys(q.Filters)) {
		if lines && t.Lines != nil && k == t.Lines.Stage {
			// A line has the stage when any of its rows has it.
			conds = append(conds, arg(q.Filters[k])+" = ANY("+ident(stagesColumn)+")")
			continue
		}
		conds = append(conds, ident(k)+" = "+arg(q.Filters[k]))
	}
	if q.MinAmount != nil {
		conds = append(conds, ident(t.Amount)+" >= "+arg(*q.MinAmount)+"::numeric / 100")
	}
	if q.MaxAmount != nil {
		conds = append(conds, ident(t.Amount)+" <= "+arg(*q.MaxAmount)+"::numeric / 100")
	}
	return strings.Join(conds, " AND "), rank
}

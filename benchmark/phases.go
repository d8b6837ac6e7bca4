package benchmark

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/terbuka/terbuka/benchmark/anchor"
	"github.com/terbuka/terbuka/dataset"
)

// generate writes the data and the anchor spec every later phase reads.
func (b *bench) generate(ctx context.Context) error {
	b.log("generating data", "rows", b.cfg.Rows)
	d, err := generate(ctx, b.work, b.cfg.Rows, b.cfg.Seed)
	if err != nil {
		return err
	}
	b.res.Data = d
	b.log("data written", "rows", d.Rows, "files", d.Files, "csv_mb", d.CSVBytes/1e6, "regions", d.Regions, "years", d.Years)
	spec := anchor.Spec{Queries: Mix()}
	for _, name := range datasets {
		var files []string
		for _, f := range d.Feeds {
			if f.Dataset == name {
				files = append(files, f.Path)
			}
		}
		s, err := dataset.Lookup(name)
		if err != nil {
			return err
		}
		t, err := tableOf(s, files)
		if err != nil {
			return err
		}
		spec.Tables = append(spec.Tables, t)
		if t.Lines != nil {
			c, err := countLines(t, d.Feeds)
			if err != nil {
				return err
			}
			if d.Lines == nil {
				d.Lines = map[string]int64{}
			}
			d.Lines[name] = c.lines
			d.LineRepeats += c.repeats
			b.log("lines counted", "dataset", name, "lines", c.lines, "repeats", c.repeats)
		}
	}
	b.spec = filepath.Join(b.work, "spec.json")
	if err := writeJSON(b.spec, spec); err != nil {
		return err
	}
	return writeJSON(filepath.Join(b.work, "feeds.json"), d.Feeds)
}

// ingest runs Terbuka's ingest and DuckDB's COPY on the same files and
// checks they hold the same rows and money.
func (b *bench) ingest(ctx context.Context) error {
	b.res.Ingest = map[string]*SystemResult{}
	b.log("terbuka ingest")
	t := &SystemResult{}
	rss, err := b.child(ctx, t, b.cfg.Self, "bench-child", "ingest", "--data", b.store, "--feeds", filepath.Join(b.work, "feeds.json"))
	if err != nil {
		return err
	}
	t.PeakRSS = rss
	b.res.Ingest["terbuka"] = t
	b.log("terbuka ingest done", "rows_per_s", int(float64(t.Rows)/t.Seconds), "peak_rss_mb", rss>>20)

	b.log("duckdb copy")
	var dr anchor.Ingest
	rss, err = b.child(ctx, &dr, b.cfg.Anchor, "duckdb", "--spec", b.spec, "--out", filepath.Join(b.work, "duckdb"), "--threads", "2")
	if err != nil {
		return err
	}
	d := &SystemResult{Seconds: dr.Seconds, Tables: dr.Tables, PeakRSS: rss, Version: "DuckDB " + dr.Version}
	for _, tr := range dr.Tables {
		d.Rows += tr.Rows
		d.Bytes += tr.Bytes
	}
	b.res.Ingest["duckdb"] = d
	b.log("duckdb copy done", "rows_per_s", int(float64(d.Rows)/d.Seconds), "peak_rss_mb", rss>>20)
	b.compareTables("ingest", t.Tables, d.Tables, true)

	// The portal phases serve a complete release, downloads and all; a
	// portal would build what is missing when it starts.
	if !b.wants("serve") && !b.wants("fresh") && !b.wants("replica") {
		return nil
	}
	b.log("terbuka downloads")
	dl := &SystemResult{}
	rss, err = b.child(ctx, dl, b.cfg.Self, "bench-child", "downloads", "--data", b.store)
	dl.PeakRSS = rss
	b.res.Downloads = dl
	return err
}

// compareTables checks two systems' per-dataset rows (and sums) against
// each other and against the generated rows.
func (b *bench) compareTables(phase string, terbuka, other []anchor.TableResult, sums bool) {
	want := map[string]int64{}
	for _, f := range b.res.Data.Feeds {
		want[f.Dataset] += int64(f.Rows)
	}
	for _, name := range datasets {
		t, o := find(terbuka, name), find(other, name)
		b.res.check(phase+" rows "+name, t.Rows == want[name] && o.Rows == want[name],
			"generated %d, Terbuka %d, anchor %d", want[name], t.Rows, o.Rows)
		if sums {
			b.res.check(phase+" amount sum "+name, t.AmountSum == o.AmountSum,
				"Terbuka %s, anchor %s (sen)", strconv.FormatInt(t.AmountSum, 10), strconv.FormatInt(o.AmountSum, 10))
		}
	}
}

func find(ts []anchor.TableResult, name string) anchor.TableResult {
	for _, t := range ts {
		if t.Name == name {
			return t
		}
	}
	return anchor.TableResult{Name: name}
}

func (b *bench) wants(phase string) bool { return slices.Contains(b.cfg.Phases, phase) }

// index builds Terbuka's search index, PostgreSQL's tables and indexes
// and Sphinx's indexes.
func (b *bench) index(ctx context.Context) error {
	b.res.Index = map[string]*SystemResult{}
	b.log("terbuka index build")
	t := &SystemResult{}
	rss, err := b.child(ctx, t, b.cfg.Self, "bench-child", "index", "--data", b.store)
	if err != nil {
		return err
	}
	t.PeakRSS = rss
	b.res.Index["terbuka"] = t
	b.log("terbuka index done", "rows_per_s", int(rate(t)), "documents", t.Documents, "index_mb", t.Bytes>>20, "peak_rss_mb", rss>>20)
	d := b.res.Data
	b.res.check("index rows", t.Rows == d.Rows, "generated %d rows, the release Terbuka indexed holds %d", d.Rows, t.Rows)
	b.res.check("index documents", t.Documents == d.documents(), "%s; index holds %d documents", d.documentsDetail(), t.Documents)
	if !b.wants("query") {
		return nil
	}
	b.log("postgresql load")
	if b.pg, err = startPostgres(ctx); err != nil {
		return err
	}
	var pr anchor.Load
	if _, err := b.child(ctx, &pr, b.cfg.Anchor, "pg-load", "--spec", b.spec, "--dsn", b.pg.DSN()); err != nil {
		return err
	}
	p := &SystemResult{Seconds: pr.Seconds, Bytes: pr.Bytes, Tables: pr.Tables, Version: "PostgreSQL " + pr.Version,
		Extra: map[string]float64{"copy_seconds": pr.CopySeconds, "index_seconds": pr.IndexSeconds}}
	for _, tr := range pr.Tables {
		p.Rows += tr.Rows
	}
	b.res.Index["postgresql"] = p
	b.log("postgresql load done", "rows_per_s", int(float64(p.Rows)/p.Seconds), "mb", p.Bytes>>20)
	b.compareTables("index", b.res.Ingest["terbuka"].Tables, p.Tables, true)
	for _, name := range slices.Sorted(maps.Keys(b.res.Data.Lines)) {
		want, got := b.res.Data.Lines[name], find(p.Tables, name).Lines
		b.res.check("postgresql lines "+name, got == want, "the CSV files hold %d lines, PostgreSQL's table of lines %d rows", want, got)
	}
	return b.sphinxIndex(ctx)
}

// sphinxIndex builds Sphinx's indexes with indexer from the CSV files
// PostgreSQL loaded, and starts searchd on them.
func (b *bench) sphinxIndex(ctx context.Context) error {
	b.log("sphinx index build")
	var spec anchor.Spec
	if err := readJSON(b.spec, &spec); err != nil {
		return err
	}
	specPath, err := filepath.Abs(b.spec)
	if err != nil {
		return err
	}
	// b.sx is set before any error, so that the run removes what was made.
	if b.sx, err = newSphinx(filepath.Join(b.work, "sphinx"), &spec, specPath, b.cfg.Anchor); err != nil {
		return err
	}
	s, err := b.sx.build(ctx)
	if err != nil {
		return err
	}
	b.res.Index["sphinx"] = s
	b.log("sphinx index done", "rows_per_s", int(rate(s)), "mb", s.Bytes>>20, "peak_rss_mb", s.PeakRSS>>20)
	b.res.check("sphinx documents", s.Rows == b.res.Data.Rows, "generated %d rows, indexer collected %d documents", b.res.Data.Rows, s.Rows)
	return b.sx.start(ctx)
}

// queries runs the mix on every system and compares hit counts.
func (b *bench) queries(ctx context.Context) error {
	if b.pg == nil || b.sx == nil {
		return fmt.Errorf("the query phase needs the index phase")
	}
	// The servers stop before the portal phases, which they would slow.
	defer b.stopServers(ctx)
	runs := strconv.Itoa(b.cfg.Runs)
	b.log("terbuka queries", "runs", b.cfg.Runs)
	var tq, pq, sq anchor.QueryResults
	if _, err := b.child(ctx, &tq, b.cfg.Self, "bench-child", "query", "--data", b.store, "--spec", b.spec, "--runs", runs); err != nil {
		return err
	}
	b.log("postgresql queries", "runs", b.cfg.Runs)
	if _, err := b.child(ctx, &pq, b.cfg.Anchor, "pg-query", "--spec", b.spec, "--dsn", b.pg.DSN(), "--runs", runs); err != nil {
		return err
	}
	b.log("sphinx queries", "runs", b.cfg.Runs)
	if _, err := b.child(ctx, &sq, b.cfg.Anchor, "sphinx-query", "--spec", b.spec, "--addr", b.sx.Addr(), "--runs", runs); err != nil {
		return err
	}
	b.compareTables("sphinx index", b.res.Ingest["terbuka"].Tables, sq.Tables, true)
	for i, t := range b.res.Index["sphinx"].Tables {
		b.res.Index["sphinx"].Tables[i].AmountSum = find(sq.Tables, t.Name).AmountSum
	}
	mix := Mix()
	for i, q := range mix {
		if i >= len(tq.Queries) || i >= len(pq.Queries) || i >= len(sq.Queries) {
			return fmt.Errorf("query results are missing kinds")
		}
		c := QueryComparison{Kind: q.Kind, Terbuka: tq.Queries[i], PostgreSQL: pq.Queries[i], Sphinx: &sq.Queries[i]}
		if c.PostgreSQL.Lines == nil {
			return fmt.Errorf("terbuka-anchor pg-query counted no lines for %s: an anchor built before Terbuka searched lines", q.Kind)
		}
		// Terbuka counts a budget line once, whatever its stages.
		lines := *c.PostgreSQL.Lines
		c.Agreement = agreement(q, c.Terbuka.Hits, lines)
		ok := c.Terbuka.Hits == lines || (q.Textual() && c.Terbuka.Hits > lines)
		b.res.check("hits "+q.Kind, ok, "Terbuka %d, PostgreSQL %d lines (%d rows): %s", c.Terbuka.Hits, lines, c.PostgreSQL.Hits, c.Agreement)
		c.SphinxAgreement = sphinxAgreement(c.Sphinx.Hits, c.PostgreSQL.Hits)
		b.res.check("sphinx hits "+q.Kind, c.Sphinx.Hits == c.PostgreSQL.Hits, "Sphinx %d, PostgreSQL %d: %s", c.Sphinx.Hits, c.PostgreSQL.Hits, c.SphinxAgreement)
		b.res.Queries = append(b.res.Queries, c)
	}
	return nil
}

// agreement explains how two hit counts compare.
func agreement(q anchor.Query, terbuka, pg int64) string {
	switch {
	case terbuka == pg:
		return "equal"
	case q.Textual() && terbuka > pg:
		return fmt.Sprintf("Terbuka +%d: Terbuka's word search also matches the keyword fields it derives (every budget line under a 5.x account is in account group \"belanja\") and, for a word found in 10 records or fewer, words one typo away; PostgreSQL's document is the file's text, word for word", terbuka-pg)
	}
	return fmt.Sprintf("differ by %d, unexplained", terbuka-pg)
}

// sphinxAgreement explains how Sphinx's hit count compares with
// PostgreSQL's. Neither stems nor forgives typos, and both index the
// same text, so they must find the same rows.
func sphinxAgreement(sphinx, pg int64) string {
	if sphinx == pg {
		return "equal"
	}
	return fmt.Sprintf("differ by %d, unexplained", sphinx-pg)
}

// fresh pushes a feed to a running portal and times it to readers.
func (b *bench) fresh(ctx context.Context) error {
	p, err := startPortal(ctx, b.cfg.Terbuka, b.store, filepath.Join(b.work, "portal-fresh.log"))
	if err != nil {
		return err
	}
	defer p.stop()
	b.log("pushing a feed", "rows", b.cfg.FreshRows)
	f, err := freshness(ctx, b.cfg.Terbuka, b.store, p.base, b.cfg.FreshRows, b.cfg.Seed, b.res.Data.Feeds)
	b.res.Freshness = f
	if err != nil {
		return err
	}
	b.log("feed searchable", "seconds", f.Searchable, "downloadable_seconds", f.Downloadable)
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

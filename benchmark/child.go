package benchmark

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/terbuka/terbuka/benchmark/anchor"
	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// Child runs one phase of the benchmark in this process, which `terbuka
// bench` started so that the phase's peak memory is its own, and writes
// the phase's measurements as JSON to w. args are the phase and its flags.
func Child(ctx context.Context, args []string, w io.Writer) error {
	if len(args) == 0 {
		return errors.New("bench-child: no phase")
	}
	fl := flag.NewFlagSet("bench-child "+args[0], flag.ContinueOnError)
	data := fl.String("data", "", "directory store")
	feedsPath := fl.String("feeds", "", "ingest: JSON list of the feeds")
	specPath := fl.String("spec", "", "query: the anchor spec with the mix")
	runs := fl.Int("runs", 200, "query: runs of each kind")
	if err := fl.Parse(args[1:]); err != nil {
		return err
	}
	st, err := store.OpenDir(*data)
	if err != nil {
		return err
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if dir := os.Getenv("TERBUKA_BENCH_PROFILE"); dir != "" {
		stop, err := profileCPU(filepath.Join(dir, args[0]+".cpu.pprof"))
		if err != nil {
			return err
		}
		defer stop()
	}
	anon := sampleAnon()
	var res any
	switch args[0] {
	case "ingest":
		res, err = childIngest(ctx, st, *data, *feedsPath, log)
	case "downloads":
		res, err = childDownloads(ctx, st, log)
	case "index":
		res, err = childIndex(ctx, st, *data, log)
	case "query":
		res, err = childQueries(ctx, *data, *specPath, *runs)
	default:
		err = fmt.Errorf("bench-child: unknown phase %q", args[0])
	}
	if err != nil {
		return err
	}
	if sr, ok := res.(*SystemResult); ok {
		sr.PeakAnon = anon()
	}
	return json.NewEncoder(w).Encode(res)
}

// sampleAnon samples the process's anonymous resident memory (heap and
// stacks, not the mapped index files the kernel may drop) every 50 ms
// until the returned function is called, which returns the largest seen.
func sampleAnon() func() int64 {
	var peak atomic.Int64
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if kb, err := strconv.ParseInt(strings.TrimSuffix(procField("/proc/self/status", "RssAnon"), " kB"), 10, 64); err == nil {
				if b := kb << 10; b > peak.Load() {
					peak.Store(b)
				}
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 { close(stop); return peak.Load() }
}

// profileCPU writes a CPU profile of the phase to path, for finding
// where a missed target's time goes (TERBUKA_BENCH_PROFILE=DIR).
func profileCPU(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// SystemResult is what one system did in one phase.
type SystemResult struct {
	Rows    int64                `json:"rows"`
	Seconds float64              `json:"seconds"`
	Bytes   int64                `json:"bytes"`
	Tables  []anchor.TableResult `json:"tables,omitempty"`
	// PeakRSS is the process's peak resident memory in bytes, from
	// getrusage; for PostgreSQL it is not measured (a server of many
	// processes).
	PeakRSS int64 `json:"peak_rss_bytes,omitempty"`
	// PeakAnon is the largest anonymous resident memory sampled in a
	// Terbuka phase: RSS without the memory-mapped index segments, which
	// the kernel can drop and reread.
	PeakAnon int64  `json:"peak_anon_bytes,omitempty"`
	Version  string `json:"version,omitempty"`
	// Extra holds phase-specific figures (PostgreSQL's COPY and index
	// seconds apart).
	Extra map[string]float64 `json:"extra,omitempty"`
	// Documents is the documents of Terbuka's index: one per budget line
	// and one per row of the other datasets. Absent from runs before
	// Terbuka searched lines, whose index held a document per row.
	Documents int64 `json:"documents,omitempty"`
}

// childIngest ingests the feeds as `terbuka run` does, validated, sorted
// and written as Parquet partitions, and publishes them; then, off the
// clock, reads every partition back for its rows and amount sum.
func childIngest(ctx context.Context, st store.Store, dir, feedsPath string, log *slog.Logger) (*SystemResult, error) {
	b, err := os.ReadFile(feedsPath)
	if err != nil {
		return nil, err
	}
	var feeds []demo.Feed
	if err := json.Unmarshal(b, &feeds); err != nil {
		return nil, fmt.Errorf("read %s: %w", feedsPath, err)
	}
	files := make([]pipeline.FeedFile, len(feeds))
	for i, f := range feeds {
		files[i] = pipeline.FeedFile{Path: f.Path, Meta: intake.Meta{Dataset: f.Dataset, Region: f.Region, Year: f.Year, File: filepath.Base(f.Path), Source: "bench"}}
	}
	in := &pipeline.Ingester{Store: st, Regions: dataset.LoadRegions(), Log: log, TempDir: filepath.Join(dir, ".tmp")}
	if err := os.MkdirAll(in.TempDir, 0o755); err != nil {
		return nil, err
	}
	began := time.Now()
	reps, batch, err := in.IngestFiles(ctx, files, nil)
	if err != nil {
		return nil, err
	}
	defer batch.Close()
	for _, r := range reps {
		if !r.OK() {
			return nil, fmt.Errorf("feed %s rejected: %d errors, first %+v", r.File, r.ErrorCount, r.Errors[0])
		}
	}
	m, _, err := publisher.New(st, log).Publish(ctx, batch.Changes)
	if err != nil {
		return nil, err
	}
	res := &SystemResult{Seconds: time.Since(began).Seconds()}
	byName := map[string]*anchor.TableResult{}
	for _, p := range m.Partitions {
		t := byName[p.Dataset]
		if t == nil {
			t = &anchor.TableResult{Name: p.Dataset}
			byName[p.Dataset] = t
		}
		n, sum, err := readBack(filepath.Join(dir, filepath.FromSlash(p.Path)), p.Dataset)
		if err != nil {
			return nil, err
		}
		t.Rows += n
		t.AmountSum += sum
		t.Bytes += p.Bytes
		res.Rows += n
		res.Bytes += p.Bytes
	}
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		res.Tables = append(res.Tables, *byName[name])
	}
	return res, nil
}

// readBack counts a partition's rows and sums its amount in sen.
func readBack(path, name string) (int64, int64, error) {
	s, err := dataset.Lookup(name)
	if err != nil {
		return 0, 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	amount := s.Index(s.Amount)
	var n, sum int64
	for rec, err := range partition.Read(f, info.Size(), s) {
		if err != nil {
			return 0, 0, fmt.Errorf("read back %s: %w", path, err)
		}
		n++
		sum += rec[amount].Int
	}
	return n, sum, nil
}

// childDownloads builds the live release's downloads, as publishing does,
// so the portal measured later serves what a real one would; then, timed
// apart, its changelog, which completes the release as terbuka run does:
// a portal starting on an incomplete release builds what is missing
// beside what it is measured on.
func childDownloads(ctx context.Context, st store.Store, log *slog.Logger) (*SystemResult, error) {
	pub := publisher.New(st, log)
	m, err := pub.Current(ctx)
	if err != nil {
		return nil, err
	}
	began := time.Now()
	if err := pub.BuildDownloads(ctx, m); err != nil {
		return nil, err
	}
	res := &SystemResult{Seconds: time.Since(began).Seconds()}
	began = time.Now()
	if err := pub.BuildChangelog(ctx, m); err != nil {
		return nil, err
	}
	res.Extra = map[string]float64{"changelog_seconds": time.Since(began).Seconds()}
	return res, nil
}

// childIndex builds the search index of the live release from its
// partitions, as `terbuka reindex` does, into the directory the portal
// opens.
func childIndex(ctx context.Context, st store.Store, dir string, log *slog.Logger) (*SystemResult, error) {
	m, err := publisher.New(st, log).Current(ctx)
	if err != nil {
		return nil, err
	}
	idx := search.Dir(filepath.Join(dir, ".index"))
	began := time.Now()
	gen, err := indexer.Rebuild(ctx, indexer.Syncer{Store: st, Log: log}, idx, m)
	if err != nil {
		return nil, err
	}
	// Rows are the release's rows, the work the rate is of; a budget line
	// of several stages is one document of the index.
	res := &SystemResult{Seconds: time.Since(began).Seconds()}
	for _, p := range m.Partitions {
		res.Rows += p.Rows
	}
	// Cold: the columns a server builds on opening are not the build's
	// memory.
	ix, err := idx.Open(gen, search.Config{Cold: true})
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	docs, err := ix.DocCount()
	if err != nil {
		return nil, err
	}
	res.Documents = int64(docs)
	// The segment files searches read, and the small files beside them:
	// not the directory, which after the final merge still holds the
	// merged segments until scorch's background cleanup, which the
	// build's closing cut short, runs at the next open.
	segs, err := ix.SegmentBytes()
	res.Bytes = segs + dirSize(idx.Path(gen), func(name string) bool { return !strings.HasSuffix(name, ".zap") })
	return res, err
}

// childQueries runs each kind of the mix on the built index runs times,
// after three warm-up runs, as the portal's search page does: the count,
// the page of hits with their fields and highlights, and the facets.
func childQueries(ctx context.Context, dir, specPath string, runs int) (*anchor.QueryResults, error) {
	var spec anchor.Spec
	if err := readJSON(specPath, &spec); err != nil {
		return nil, err
	}
	idx := search.Dir(filepath.Join(dir, ".index"))
	gen, err := idx.Current()
	if err != nil {
		return nil, err
	}
	ix, err := idx.Open(gen, search.Config{})
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	out := &anchor.QueryResults{}
	for _, q := range spec.Queries {
		r, err := anchor.Measure(q.Kind, runs, func() (int64, error) {
			res, err := ix.Search(ctx, searchQuery(q))
			if err != nil {
				return 0, err
			}
			return int64(res.Total), nil
		})
		if err != nil {
			return nil, err
		}
		out.Queries = append(out.Queries, r)
	}
	return out, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// dirSize returns the bytes of the files under dir whose names count
// says to count (every file when count is nil).
func dirSize(dir string, count func(name string) bool) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (count == nil || count(d.Name())) {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

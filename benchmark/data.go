package benchmark

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/terbuka/terbuka/demo"
)

// datasets are the datasets of the benchmark data: budget lines and
// procurement packages, the two that are searched most.
var datasets = []string{"budget", "procurement"}

// Data is the generated input every system reads.
type Data struct {
	Feeds []demo.Feed `json:"-"`
	Files int         `json:"files"`
	Rows  int64       `json:"rows"`
	// CSVBytes is the files' size; GzipBytes their size gzipped at the
	// default level, what a CSV download would weigh.
	CSVBytes  int64   `json:"csv_bytes"`
	GzipBytes int64   `json:"csv_gzip_bytes"`
	Regions   int     `json:"regions"`
	Years     []int   `json:"years"`
	Scale     float64 `json:"scale"`
	// Lines counts the lines of each dataset whose rows are the stages of
	// lines (budget), from the files (countLines); LineRepeats how many of
	// them repeat another line's key. Absent from runs before Terbuka
	// searched lines.
	Lines       map[string]int64 `json:"lines,omitempty"`
	LineRepeats int64            `json:"line_repeats,omitempty"`
}

// documents is how many search documents Terbuka should make of d: one
// per line of a dataset with lines, one per row of the others.
func (d *Data) documents() int64 {
	var n int64
	for _, f := range d.Feeds {
		if _, ok := d.Lines[f.Dataset]; !ok {
			n += int64(f.Rows)
		}
	}
	for _, lines := range d.Lines {
		n += lines
	}
	return n
}

// generate writes about rows rows of seeded demo feeds into dir. Budget
// lines per region-year are capped by the nomenclature, so a large run
// spreads over more regions and years; the scale is then tuned on a
// sample to land near rows.
func generate(ctx context.Context, dir string, rows int, seed int64) (*Data, error) {
	years := []int{2023, 2024}
	if rows > 2_500_000 {
		years = []int{2019, 2020, 2021, 2022, 2023, 2024}
	}
	perRegionYear := 1550.0 // budget and procurement rows at scale 1
	regions := int(math.Round(float64(rows) / (perRegionYear * float64(len(years)))))
	regions = min(max(regions, 2), 500)
	scale := 1.0
	for range 4 {
		n, err := sampleRows(ctx, filepath.Join(dir, "sample"), min(regions, 4), years, seed, scale)
		if err != nil {
			return nil, err
		}
		est := n * float64(regions*len(years))
		if math.Abs(est-float64(rows)) < 0.02*float64(rows) {
			break
		}
		scale = min(max(scale*float64(rows)/est, 0.02), 50)
	}
	os.RemoveAll(filepath.Join(dir, "sample"))
	feeds, err := demo.Generate(ctx, filepath.Join(dir, "csv"), demo.Options{Regions: regions, Years: years, Seed: seed, Scale: scale, Datasets: datasets, AccountRegions: -1})
	if err != nil {
		return nil, fmt.Errorf("generate data: %w", err)
	}
	d := &Data{Feeds: feeds, Files: len(feeds), Regions: regions, Years: years, Scale: scale}
	for _, f := range feeds {
		d.Rows += int64(f.Rows)
		n, gz, err := gzipSize(f.Path)
		if err != nil {
			return nil, err
		}
		d.CSVBytes += n
		d.GzipBytes += gz
	}
	return d, nil
}

// documentsDetail says how d.documents() is made up.
func (d *Data) documentsDetail() string {
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(d.Lines)) {
		parts = append(parts, fmt.Sprintf("%d %s lines", d.Lines[name], name))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("generated %d rows, a document each", d.Rows)
	}
	var others int64
	for _, f := range d.Feeds {
		if _, ok := d.Lines[f.Dataset]; !ok {
			others += int64(f.Rows)
		}
	}
	s := fmt.Sprintf("generated %d rows: %s and %d rows of other datasets, counted from the CSV files", d.Rows, strings.Join(parts, ", "), others)
	if d.LineRepeats > 0 {
		s += fmt.Sprintf(" (%d of the lines repeat another's key)", d.LineRepeats)
	}
	return s
}

// sampleRows is the mean number of rows of one region-year at scale.
func sampleRows(ctx context.Context, dir string, regions int, years []int, seed int64, scale float64) (float64, error) {
	feeds, err := demo.Generate(ctx, dir, demo.Options{Regions: regions, Years: years, Seed: seed, Scale: scale, Datasets: datasets, AccountRegions: -1})
	if err != nil {
		return 0, fmt.Errorf("sample data: %w", err)
	}
	n := 0
	for _, f := range feeds {
		n += f.Rows
	}
	return float64(n) / float64(regions*len(years)), nil
}

// gzipSize returns the size of the file and of its gzip.
func gzipSize(path string) (int64, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var out countWriter
	zw := gzip.NewWriter(&out)
	n, err := io.Copy(zw, f)
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return 0, 0, fmt.Errorf("gzip %s: %w", path, err)
	}
	return n, int64(out), nil
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

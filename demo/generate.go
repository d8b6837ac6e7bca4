// Package demo generates realistic, deterministic demo feeds for Terbuka's
// datasets, so the pipeline, search and portal can be run and shown
// without a real region's data. Region and district names and the budget
// nomenclature are real; amounts, villages, suppliers and tax ids are
// invented. Every value passes the dataset package's validation.
package demo

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// Options configure Generate. Zero values take the documented defaults.
type Options struct {
	// Regions is the number of regencies and cities (default 30). They are
	// picked from the seed, one per province as far as possible, and always
	// include Kota Bandung (32.73).
	Regions int
	// Provinces is the number of provincial governments (Pemerintah
	// Provinsi) whose own feeds are generated besides the regencies' and
	// cities' (default 0, none): Jawa Barat (32) first, then the provinces
	// of the other picked regions in seeded order, then others; never DKI
	// Jakarta, whose cities are administrative.
	Provinces int
	// Years are the fiscal years (default 2023 and 2024). The last one is the
	// year in progress: its budget has no realisasi, procurement is under
	// way and revenue is realised to the end of October.
	Years []int
	// Seed makes the output reproducible (default 1).
	Seed int64
	// Scale roughly multiplies the number of budget lines and procurement
	// packages (default 1); revenue always has one row per levy and period.
	Scale float64
	// Datasets limits the feeds to these datasets (default: every one).
	Datasets []string
	// AccountRegions is how many regencies and cities (never Kota
	// Bandung) publish no agency-level budget, only their budget by
	// account (budget_accounts: a Perda APBD summary and its LRA); one more
	// publishes both. 0 means one region in ten (3 of the default 30, none
	// below 10); a negative number none.
	AccountRegions int
}

// Feed is one generated file.
type Feed struct {
	// Dataset is "budget", "budget_accounts", "procurement",
	// "procurement_bids" or "revenue".
	Dataset string
	// Region is the Kemendagri code of the regency, city or province,
	// e.g. 32.73 or 32.
	Region string
	Year   int
	Path   string
	// Rows counts data rows, the header excluded.
	Rows int
}

// Spec describes one feed for WriteFeed. Generate fills it from Options;
// benchmarks and tests can write a single feed with it.
type Spec struct {
	// Dataset is "budget", "budget_accounts", "procurement",
	// "procurement_bids" or "revenue".
	Dataset string
	// Region is a regency, a city or a province other than DKI Jakarta.
	Region *dataset.Region
	Year   int
	// Open marks the fiscal year still in progress, shown as of 31
	// October: no realisasi, procurement under way, revenue to October.
	Open bool
	// Seed is used as given (Generate turns 0 into 1).
	Seed int64
	// Scale is as in Options; 0 means 1.
	Scale float64
}

// bandung is always generated: it is the region the documentation and
// the search examples ("jalan desa Bandung 2024") refer to.
const bandung = "32.73"

func (o Options) withDefaults() Options {
	if o.Regions <= 0 {
		o.Regions = 30
	}
	if len(o.Years) == 0 {
		o.Years = []int{2023, 2024}
	}
	o.Years = slices.Sorted(slices.Values(o.Years))
	o.Years = slices.Compact(o.Years)
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	if o.AccountRegions == 0 {
		o.AccountRegions = o.Regions / 10
	}
	return o
}

// Generate writes one CSV per (dataset, region, year) into dir, named
// {dataset}_{region}_{year}.csv (e.g. budget_32.73_2024.csv, budget_32_2024.csv
// for the province), and returns what it wrote, in dataset, region and year
// order. Regions publish their budget as agency-level lines (budget), but
// Options.AccountRegions of them by account only (budget_accounts), and
// one more both. Every region-year's tender participants (procurement_bids)
// are those of the tenders in its procurement feed, and its packages' MAKs
// name lines of its agency-level budget (see assignMAKs).
func Generate(ctx context.Context, dir string, opt Options) ([]Feed, error) {
	opt = opt.withDefaults()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create demo directory: %w", err)
	}
	t := dataset.LoadRegions()
	regions := pickRegions(t, opt.Regions, opt.Seed)
	if opt.Provinces > 0 {
		regions = append(regions, pickProvinces(t, opt.Provinces, opt.Seed, regions)...)
		slices.SortFunc(regions, func(a, b *dataset.Region) int { return strings.Compare(a.Code, b.Code) })
	}
	last := opt.Years[len(opt.Years)-1]
	accountsOnly, both := pickAccountRegions(regions, opt.AccountRegions, opt.Seed)
	publishes := func(ds, region string) bool {
		switch ds {
		case "budget":
			return !accountsOnly[region]
		case "budget_accounts":
			return accountsOnly[region] || region == both
		}
		return true
	}
	var feeds []Feed
	for _, s := range dataset.All() {
		if len(opt.Datasets) > 0 && !slices.Contains(opt.Datasets, s.Name) {
			continue
		}
		for _, r := range regions {
			if !publishes(s.Name, r.Code) {
				continue
			}
			for _, y := range opt.Years {
				if err := ctx.Err(); err != nil {
					return feeds, err
				}
				f := Feed{Dataset: s.Name, Region: r.Code, Year: y,
					Path: filepath.Join(dir, fmt.Sprintf("%s_%s_%d.csv", s.Name, r.Code, y))}
				spec := Spec{Dataset: s.Name, Region: r, Year: y, Open: y == last, Seed: opt.Seed, Scale: opt.Scale}
				n, err := writeFile(f.Path, spec)
				if err != nil {
					return feeds, err
				}
				f.Rows = n
				feeds = append(feeds, f)
			}
		}
	}
	return feeds, nil
}

// writeFile writes a feed through a temporary file, so a crash never leaves
// a half-written feed that would later fail validation.
func writeFile(path string, s Spec) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".demo-*.csv")
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<16)
	n, err := WriteFeed(w, s)
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// CreateTemp makes the file private; feeds are meant to be shared.
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	return n, nil
}

// WriteFeed writes one feed as CSV with the dataset's canonical header and
// returns the number of data rows. The same Spec always yields the same
// bytes.
func WriteFeed(w io.Writer, s Spec) (rows int, err error) {
	schema, err := dataset.Lookup(s.Dataset)
	if err != nil {
		return 0, err
	}
	if s.Region == nil || s.Region.Code == jakarta {
		return 0, fmt.Errorf("demo feed: region must be a regency, a city or a province other than DKI Jakarta: %w", dataset.ErrInvalid)
	}
	if s.Scale <= 0 {
		s.Scale = 1
	}
	rw, err := newRowWriter(w, schema, s)
	if err != nil {
		return 0, err
	}
	p := newPlan(s)
	stream := s.Dataset
	switch stream {
	case "budget_accounts":
		// The budget lines' own stream: the accounts sum those lines.
		stream = "budget"
	case "procurement_bids":
		// The packages' own stream: the participants bid for those
		// tenders.
		stream = "procurement"
	}
	rng := newRand(s.Seed, stream, s.Region.Code, itoa(s.Year))
	switch s.Dataset {
	case "budget":
		err = writeBudget(rw, p, rng)
	case "budget_accounts":
		err = writeAccounts(rw, p, rng)
	case "procurement":
		err = writeProcurement(rw, p, rng)
	case "procurement_bids":
		// The participants draw from a stream of their own, so that
		// the packages drawn from rng stay procurement's.
		err = writeBids(rw, p, rng, newRand(s.Seed, s.Dataset, s.Region.Code, itoa(s.Year)))
	case "revenue":
		err = writeRevenue(rw, p, rng)
	}
	if err == nil {
		err = rw.close()
	}
	return rw.rows, err
}

// pickRegions returns n regencies and cities: Kota Bandung, then the
// curated pool (one per province, real district names) in seeded order,
// then any other region. Jakarta's cities are left out: they are
// administrative and have no budget of their own.
func pickRegions(t *dataset.Regions, n int, seed int64) []*dataset.Region {
	rng := newRand(seed, "regions")
	pool := make([]string, 0, len(curated))
	for _, c := range curated {
		if c.code != bandung {
			pool = append(pool, c.code)
		}
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	var rest []string
	for _, r := range t.All() {
		if !r.IsProvince() && r.ProvinceCode != "31" && r.Code != bandung && !slices.Contains(pool, r.Code) {
			rest = append(rest, r.Code)
		}
	}
	rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	codes := append(append([]string{bandung}, pool...), rest...)
	codes = codes[:min(n, len(codes))]
	slices.Sort(codes)
	out := make([]*dataset.Region, len(codes))
	for i, c := range codes {
		out[i] = t.Lookup(c)
	}
	return out
}

// pickAccountRegions picks n regencies and cities (never Kota Bandung)
// that publish their budget by account only, and one more that publishes
// it both ways ("" when there is none), in seeded order.
func pickAccountRegions(regions []*dataset.Region, n int, seed int64) (only map[string]bool, both string) {
	var pool []string
	for _, r := range regions {
		if !r.IsProvince() && r.Code != bandung {
			pool = append(pool, r.Code)
		}
	}
	rng := newRand(seed, "budget_accounts")
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	only = map[string]bool{}
	if n <= 0 {
		return only, ""
	}
	for _, c := range pool[:min(n, len(pool))] {
		only[c] = true
	}
	if n < len(pool) {
		both = pool[n]
	}
	return only, both
}

// newRand returns a PCG stream for one purpose, keyed by the seed and the
// given parts, so each file (and each shared plan) is reproducible alone.
func newRand(seed int64, parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// rowWriter writes rows in the schema's column order, so the header is
// derived from the schema and never written out twice.
type rowWriter struct {
	csv   *csv.Writer
	index map[string]int
	vals  []string
	fixed []string
	rows  int
}

func newRowWriter(w io.Writer, s *dataset.Schema, spec Spec) (*rowWriter, error) {
	cols := s.Columns()
	rw := &rowWriter{csv: csv.NewWriter(w), index: make(map[string]int, len(cols)), vals: make([]string, len(cols))}
	for i, c := range cols {
		rw.index[c] = i
	}
	rw.fixed = []string{dataset.FieldRegionCode, spec.Region.Code, dataset.FieldFiscalYear, itoa(spec.Year)}
	if err := rw.csv.Write(cols); err != nil {
		return nil, fmt.Errorf("write header: %w", err)
	}
	return rw, nil
}

// set fills a column of the current row; an unknown column is a bug.
func (rw *rowWriter) set(col, v string) {
	i, ok := rw.index[col]
	if !ok {
		panic("demo: no column " + col)
	}
	rw.vals[i] = v
}

// write emits the current row and starts an empty one.
func (rw *rowWriter) write() error {
	for i := 0; i < len(rw.fixed); i += 2 {
		rw.set(rw.fixed[i], rw.fixed[i+1])
	}
	if err := rw.csv.Write(rw.vals); err != nil {
		return fmt.Errorf("write row: %w", err)
	}
	clear(rw.vals)
	rw.rows++
	return nil
}

func (rw *rowWriter) close() error {
	rw.csv.Flush()
	return rw.csv.Error()
}

// money writes sen as plain rupiah, with two decimals only when there are
// sen: 1234567 or 1234567.50.
func money(sen int64) string {
	if sen%100 == 0 {
		return strconv.FormatInt(sen/100, 10)
	}
	return dataset.FormatMoney(sen)
}

func itoa(n int) string { return strconv.Itoa(n) }

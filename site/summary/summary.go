// Package summary sums the published records of a region into the figures
// its profile page shows: budget by account group, jenis, urusan and
// agency per stage; the budget by account (budget_accounts) per level, by
// group and jenis of its deepest accounts, and where its parents are not
// their children's sum; procurement by method, category and supplier, with
// the largest contracts; tax and levy targets and receipts per type and
// month.
//
// Each partition is summed once and kept by its sha256: partitions are
// immutable, so a summary never goes stale, and a region, province or the
// whole country is the sum of small summaries.
package summary

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
)

// Stages of the budget in the order they happen.
var Stages = dataset.Stages()

// Budget sums a budget in sen, each map keyed by stage first.
type Budget struct {
	Rows   int64
	Group  map[string]map[string]int64 // stage → pendapatan/belanja/pembiayaan
	Jenis  map[string]map[string]int64 // stage → jenis (5.1.02)
	Urusan map[string]map[string]int64 // stage → urusan (1.03), belanja only
	Agency map[string]map[string]int64 // stage → agency name, belanja only
}

// Stages returns the stages present, in order.
func (b *Budget) Stages() []string {
	var out []string
	for _, s := range Stages {
		if _, ok := b.Group[s]; ok {
			out = append(out, s)
		}
	}
	return out
}

// Plan returns the latest planning stage present (perubahan, else
// pergeseran, else murni), "" when there is none.
func (b *Budget) Plan() string {
	for _, s := range []string{"perubahan", "pergeseran", "murni"} {
		if _, ok := b.Group[s]; ok {
			return s
		}
	}
	return ""
}

// Tally counts procurement packages and sums their money, in sen.
type Tally struct {
	Count    int64
	Ceiling  int64 // pagu
	Contract int64 // nilai kontrak, of packages with a contract value
}

func (t *Tally) add(o Tally) { t.Count += o.Count; t.Ceiling += o.Ceiling; t.Contract += o.Contract }

// Contract is one contracted procurement package.
type Contract struct {
	ID, Title, Agency, Supplier, Method string
	Region                              string
	Year                                int
	Value                               int64
}

// Procurement sums procurement packages.
type Procurement struct {
	Total    Tally
	Method   map[string]*Tally
	Category map[string]*Tally
	Supplier map[string]*Tally // packages with a supplier
	Largest  []Contract        // by contract value, at most maxLargest
	// Flag tallies the packages with each red flag (a package with two
	// is in both); Agency every package by agency, and Flagged those
	// with any flag by agency.
	Flag, Agency, Flagged map[string]*Tally
}

const maxLargest = 10

// DirectShare is the share of the ceiling (pagu) of packages procured
// without open competition (penunjukan langsung and pengadaan langsung),
// between 0 and 1; 0 when there is nothing.
func (p *Procurement) DirectShare() float64 {
	if p.Total.Ceiling <= 0 {
		return 0
	}
	var direct int64
	for _, m := range []string{"penunjukan langsung", "pengadaan langsung"} {
		if t := p.Method[m]; t != nil {
			direct += t.Ceiling
		}
	}
	return float64(direct) / float64(p.Total.Ceiling)
}

// TopSuppliers returns the n suppliers with the largest contract value.
func (p *Procurement) TopSuppliers(n int) []Named {
	return top(p.Supplier, n, func(t *Tally) int64 { return t.Contract })
}

// Named is a name with its tally.
type Named struct {
	Name string
	*Tally
}

func top(m map[string]*Tally, n int, by func(*Tally) int64) []Named {
	out := make([]Named, 0, len(m))
	for k, t := range m {
		out = append(out, Named{k, t})
	}
	slices.SortFunc(out, func(a, b Named) int {
		if c := cmp.Compare(by(b.Tally), by(a.Tally)); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out[:min(n, len(out))]
}

// LevyType is one tax or levy's target and receipts, in sen.
type LevyType struct {
	Code, Name, Kind string
	Target, Realized int64
	// Monthly receipts, January at index 1; index 0 is unused.
	Monthly [13]int64
	// Months is how many months have reported receipts.
	Months int
}

// Revenue sums taxes and levies.
type Revenue struct {
	Types map[string]*LevyType // by type code
}

// Kind sums the types of one kind (pajak or retribusi).
func (r *Revenue) Kind(kind string) LevyType {
	out := LevyType{Kind: kind}
	for _, t := range r.Types {
		if t.Kind != kind {
			continue
		}
		out.Target += t.Target
		out.Realized += t.Realized
		for m := 1; m <= 12; m++ {
			out.Monthly[m] += t.Monthly[m]
		}
		out.Months = max(out.Months, t.Months)
	}
	return out
}

// Summary holds the sums of one partition, or of several merged.
type Summary struct {
	Budget      *Budget
	Accounts    *Accounts
	Procurement *Procurement
	Revenue     *Revenue
}

// ShownBudget is the budget a profile shows: the agency-level lines when
// there are any, else the budget by account (byAccount). The two are never
// added: each account-level total is a total of the lines.
func (sum *Summary) ShownBudget() (b *Budget, byAccount bool) {
	if sum.Budget.Rows == 0 && sum.Accounts.Rows > 0 {
		return sum.Accounts.Budget(), true
	}
	return sum.Budget, false
}

func newSummary() *Summary {
	return &Summary{
		Budget: &Budget{Group: map[string]map[string]int64{}, Jenis: map[string]map[string]int64{},
			Urusan: map[string]map[string]int64{}, Agency: map[string]map[string]int64{}},
		Accounts: &Accounts{Levels: map[string]map[int]LevelSum{}, Group: map[string]map[string]int64{}, Jenis: map[string]map[string]int64{},
			Deepest: map[string]int{}, Parents: map[string]int{}, Mismatches: map[string]int{}},
		Procurement: &Procurement{Method: map[string]*Tally{}, Category: map[string]*Tally{}, Supplier: map[string]*Tally{},
			Flag: map[string]*Tally{}, Agency: map[string]*Tally{}, Flagged: map[string]*Tally{}},
		Revenue: &Revenue{Types: map[string]*LevyType{}},
	}
}

// Summarizer sums partitions and remembers each sum by content.
type Summarizer struct {
	Store store.Reader
	// Cached, when set, is told of each partition asked for whether its
	// sums were remembered (hit) or had to be read (miss).
	Cached func(hit bool)
	mu     sync.Mutex
	sums   map[string]*Summary // by partition sha256
}

// Partition returns the sums of one partition, reading it the first time.
func (z *Summarizer) Partition(ctx context.Context, p publisher.Partition) (*Summary, error) {
	z.mu.Lock()
	sum, ok := z.sums[p.SHA256]
	z.mu.Unlock()
	if z.Cached != nil {
		z.Cached(ok)
	}
	if ok {
		return sum, nil
	}
	sum, err := z.read(ctx, p)
	if err != nil {
		return nil, err
	}
	z.mu.Lock()
	if z.sums == nil {
		z.sums = map[string]*Summary{}
	}
	z.sums[p.SHA256] = sum
	z.mu.Unlock()
	return sum, nil
}

// Retain forgets the sums of partitions m does not list, so memory follows
// the live release rather than every release served.
func (z *Summarizer) Retain(m *publisher.Manifest) {
	keep := make(map[string]bool, len(m.Partitions))
	for _, p := range m.Partitions {
		keep[p.SHA256] = true
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	for sha := range z.sums {
		if !keep[sha] {
			delete(z.sums, sha)
		}
	}
}

func (z *Summarizer) read(ctx context.Context, p publisher.Partition) (*Summary, error) {
	s, err := dataset.Lookup(p.Dataset)
	if err != nil {
		return nil, err
	}
	sum := newSummary()
	add, done := sum.adder(s, p)
	for r, err := range partition.Read(store.ReaderAt(ctx, z.Store, p.Path), p.Bytes, s) {
		if err != nil {
			return nil, fmt.Errorf("sum %s: %w", p.Path, err)
		}
		add(r)
	}
	done()
	return sum, nil
}

// adder returns the function that adds one record of partition p, and the
// one to call once every record is added.
func (sum *Summary) adder(s *dataset.Schema, p publisher.Partition) (add func(dataset.Record), done func()) {
	if s.Hierarchy {
		return sum.Accounts.adder(s)
	}
	return sum.lineAdder(s, p), func() {}
}

// lineAdder returns the function that adds one record of partition p of a
// dataset of lines (budget, procurement, revenue).
func (sum *Summary) lineAdder(s *dataset.Schema, p publisher.Partition) func(dataset.Record) {
	col := func(name string) int { return s.Index(name) }
	switch s.Name {
	case "budget":
		stage, group, account, program, agency, amount := col("stage"), col(dataset.FieldAccountGroup), col(dataset.FieldAccountCode), col("program_code"), col("agency_name"), col("amount")
		b := sum.Budget
		return func(r dataset.Record) {
			st, g, v := r[stage].Str, r[group].Str, r[amount].Int
			b.Rows++
			addTo(b.Group, st, g, v)
			if j := dataset.AccountJenis(r[account].Str); j != "" {
				addTo(b.Jenis, st, j, v)
			}
			if g == "belanja" {
				addTo(b.Urusan, st, dataset.Urusan(r[program].Str), v)
				addTo(b.Agency, st, r[agency].Str, v)
			}
		}
	case "procurement":
		id, title, agency, method, category, ceiling, contract, supplier := col(dataset.FieldID), col("title"), col("agency_name"), col("method"), col("category"), col("budget_ceiling"), col("contract_value"), col("supplier_name")
		flag := col(dataset.FieldFlag)
		pr := sum.Procurement
		return func(r dataset.Record) {
			t := Tally{Count: 1, Ceiling: r[ceiling].Int}
			if r[contract].Valid {
				t.Contract = r[contract].Int
			}
			pr.Total.add(t)
			tally(pr.Method, r[method].Str).add(t)
			tally(pr.Category, r[category].Str).add(t)
			if r[supplier].Valid && r[supplier].Str != "" {
				tally(pr.Supplier, r[supplier].Str).add(t)
			}
			tally(pr.Agency, r[agency].Str).add(t)
			if flags := dataset.ListValues(r[flag]); len(flags) > 0 {
				tally(pr.Flagged, r[agency].Str).add(t)
				for _, f := range flags {
					tally(pr.Flag, f).add(t)
				}
			}
			if r[contract].Valid && r[contract].Int > 0 {
				pr.Largest = appendLargest(pr.Largest, Contract{ID: r[id].Str, Title: r[title].Str, Agency: r[agency].Str,
					Supplier: r[supplier].Str, Method: r[method].Str, Region: p.Region, Year: p.Year, Value: r[contract].Int})
			}
		}
	case "revenue":
		period, kind, code, name, target, realized := col("period"), col("kind"), col("type_code"), col("type_name"), col("target"), col("realized")
		rv := sum.Revenue
		// Annual lines (period 0) carry the year's figures; without one, a
		// type's months are summed. annual remembers which types had one.
		annual := map[string]bool{}
		return func(r dataset.Record) {
			c := r[code].Str
			t := rv.Types[c]
			if t == nil {
				t = &LevyType{Code: c, Name: r[name].Str, Kind: r[kind].Str}
				rv.Types[c] = t
			}
			m := int(r[period].Int)
			if m == 0 {
				if !annual[c] {
					annual[c] = true
					t.Target, t.Realized = 0, 0
				}
				t.Target += r[target].Int
				t.Realized += r[realized].Int
				return
			}
			if r[realized].Valid {
				t.Monthly[m] += r[realized].Int
				t.Months = max(t.Months, m)
			}
			if !annual[c] {
				t.Target += r[target].Int
				t.Realized += r[realized].Int
			}
		}
	}
	return func(dataset.Record) {}
}

func addTo(m map[string]map[string]int64, outer, inner string, v int64) {
	in := m[outer]
	if in == nil {
		in = map[string]int64{}
		m[outer] = in
	}
	in[inner] += v
}

func tally(m map[string]*Tally, k string) *Tally {
	t := m[k]
	if t == nil {
		t = &Tally{}
		m[k] = t
	}
	return t
}

// appendLargest keeps the maxLargest largest contracts, largest first.
func appendLargest(list []Contract, c Contract) []Contract {
	i, _ := slices.BinarySearchFunc(list, c, func(a, b Contract) int {
		if x := cmp.Compare(b.Value, a.Value); x != 0 {
			return x
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if i >= maxLargest {
		return list
	}
	list = slices.Insert(list, i, c)
	return list[:min(len(list), maxLargest)]
}

// merge adds o into sum.
func (sum *Summary) merge(o *Summary) {
	b, ob := sum.Budget, o.Budget
	b.Rows += ob.Rows
	for _, pair := range [][2]map[string]map[string]int64{{b.Group, ob.Group}, {b.Jenis, ob.Jenis}, {b.Urusan, ob.Urusan}, {b.Agency, ob.Agency}} {
		addAll(pair[0], pair[1])
	}
	sum.Accounts.merge(o.Accounts)
	p, op := sum.Procurement, o.Procurement
	p.Total.add(op.Total)
	for _, pair := range [][2]map[string]*Tally{{p.Method, op.Method}, {p.Category, op.Category}, {p.Supplier, op.Supplier},
		{p.Flag, op.Flag}, {p.Agency, op.Agency}, {p.Flagged, op.Flagged}} {
		for k, t := range pair[1] {
			tally(pair[0], k).add(*t)
		}
	}
	for _, c := range op.Largest {
		p.Largest = appendLargest(p.Largest, c)
	}
	for c, t := range o.Revenue.Types {
		mine := sum.Revenue.Types[c]
		if mine == nil {
			cp := *t
			sum.Revenue.Types[c] = &cp
			continue
		}
		mine.Target += t.Target
		mine.Realized += t.Realized
		for m := 1; m <= 12; m++ {
			mine.Monthly[m] += t.Monthly[m]
		}
		mine.Months = max(mine.Months, t.Months)
	}
}

// Sum returns the merged sums of the partitions of release m for which
// keep is true (for example one region's, for one year).
func (z *Summarizer) Sum(ctx context.Context, m *publisher.Manifest, keep func(publisher.Partition) bool) (*Summary, error) {
	out := newSummary()
	for _, p := range m.Partitions {
		if !keep(p) {
			continue
		}
		s, err := z.Partition(ctx, p)
		if err != nil {
			return nil, err
		}
		out.merge(s)
	}
	return out, nil
}

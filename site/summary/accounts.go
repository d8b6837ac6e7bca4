package summary

import (
	"cmp"
	"maps"
	"slices"

	"github.com/terbuka/terbuka/dataset"
)

// Accounts sums a budget by account (budget_accounts), in sen. Its levels
// are totals of one another, so the group and jenis sums are of each
// stage's deepest accounts only (those without accounts below them in the
// feed: see dataset.Hierarchy), each counted once.
type Accounts struct {
	Rows int64
	// Levels sums each stage's accounts per level (1–6), for showing how
	// a feed's levels compare, never for adding.
	Levels map[string]map[int]LevelSum
	Group  map[string]map[string]int64 // stage → pendapatan/belanja/pembiayaan, deepest accounts
	Jenis  map[string]map[string]int64 // stage → jenis (5.1.02), deepest accounts
	// Deepest is the deepest level each stage has.
	Deepest map[string]int
	// Parents counts the accounts with accounts below them, per stage;
	// Mismatches those whose amount is not their sum.
	Parents, Mismatches map[string]int
	// Worst lists the mismatches of the highest levels, at most
	// maxMismatches, as dataset.Hierarchy orders them.
	Worst []dataset.Mismatch
}

// LevelSum counts and sums the accounts of one level.
type LevelSum struct {
	Count  int64
	Amount int64
}

const maxMismatches = 5

// Mismatched is the number of parents, over all stages, whose amount is
// not the sum of their children's.
func (a *Accounts) Mismatched() int {
	n := 0
	for _, m := range a.Mismatches {
		n += m
	}
	return n
}

// Budget is the budget by account as a Budget: its deepest accounts by
// group and jenis, with no urusan or agency, which the format does not
// have.
func (a *Accounts) Budget() *Budget {
	return &Budget{Rows: a.Rows, Group: a.Group, Jenis: a.Jenis, Urusan: map[string]map[string]int64{}, Agency: map[string]map[string]int64{}}
}

// adder returns the functions that add the records of a budget by
// account and, once all are in, sum its deepest accounts and compare its
// parents with their children. The partition's accounts are held until
// then: intake bounds how many a feed has.
func (a *Accounts) adder(s *dataset.Schema) (func(dataset.Record), func()) {
	stage, code, level, amount := s.Index("stage"), s.Index(dataset.FieldAccountCode), s.Index(dataset.FieldAccountLevel), s.Index(s.Amount)
	var h dataset.Hierarchy
	add := func(r dataset.Record) {
		st, lv, v := r[stage].Str, int(r[level].Int), r[amount].Int
		a.Rows++
		h.Add(st, r[code].Str, v, 0)
		in := a.Levels[st]
		if in == nil {
			in = map[int]LevelSum{}
			a.Levels[st] = in
		}
		ls := in[lv]
		ls.Count++
		ls.Amount += v
		in[lv] = ls
		a.Deepest[st] = max(a.Deepest[st], lv)
	}
	done := func() {
		h.Leaves(func(st, c string, v int64) {
			addTo(a.Group, st, dataset.AccountGroup(c), v)
			if j := dataset.AccountJenis(c); j != "" {
				addTo(a.Jenis, st, j, v)
			}
		})
		maps.Copy(a.Parents, h.Parents())
		all := h.Mismatches()
		for _, m := range all {
			a.Mismatches[m.Stage]++
		}
		a.Worst = all[:min(len(all), maxMismatches)]
	}
	return add, done
}

// merge adds o into a.
func (a *Accounts) merge(o *Accounts) {
	a.Rows += o.Rows
	for st, in := range o.Levels {
		mine := a.Levels[st]
		if mine == nil {
			mine = map[int]LevelSum{}
			a.Levels[st] = mine
		}
		for lv, ls := range in {
			m := mine[lv]
			m.Count += ls.Count
			m.Amount += ls.Amount
			mine[lv] = m
		}
	}
	addAll(a.Group, o.Group)
	addAll(a.Jenis, o.Jenis)
	for st, d := range o.Deepest {
		a.Deepest[st] = max(a.Deepest[st], d)
	}
	for st, n := range o.Parents {
		a.Parents[st] += n
	}
	for st, n := range o.Mismatches {
		a.Mismatches[st] += n
	}
	a.Worst = append(a.Worst, o.Worst...)
	slices.SortStableFunc(a.Worst, func(x, y dataset.Mismatch) int { return cmp.Compare(x.Level, y.Level) })
	a.Worst = a.Worst[:min(len(a.Worst), maxMismatches)]
}

// addAll adds every sum of from into to.
func addAll(to, from map[string]map[string]int64) {
	for st, in := range from {
		for k, v := range in {
			addTo(to, st, k, v)
		}
	}
}

package dataset

import (
	"cmp"
	"slices"
)

// Hierarchy holds the accounts of one account-level budget (a feed, or a
// partition of budget_accounts) to check it as a whole: each account that
// has children in it should hold their sum, and the accounts without
// children are the most detailed ones, which a profile sums without
// counting anything twice.
//
// An account's parent is its nearest ancestor present in the same stage
// (5.1.02.01's parent is 5.1.02, or 5.1 when the feed skips the jenis),
// so a feed that leaves a level out is still checked, and its deepest
// accounts still cover it once. It keeps one small entry per account: its
// callers bound how many they add (intake caps account-level feeds).
type Hierarchy struct {
	accounts map[hierarchyKey]*hierarchyAccount
	settled  bool
}

type hierarchyKey struct{ stage, code string }

type hierarchyAccount struct {
	amount int64
	row    int
	// children sums the amounts of the accounts whose nearest present
	// ancestor this is; overflow says the sum left int64.
	children   int64
	childCount int
	overflow   bool
}

// Mismatch is a parent account whose amount is not the sum of its
// children's.
type Mismatch struct {
	Stage string
	Code  string
	Level int
	// Row is the parent's row in its feed, 0 when unknown.
	Row int
	// Parent is the parent's amount and Children the sum of its
	// children's, in sen; ChildrenOverflow says that sum is too large for
	// an int64, Children then being meaningless.
	Parent, Children int64
	ChildrenOverflow bool
	ChildCount       int
}

// Difference is the parent's amount less its children's sum.
func (m Mismatch) Difference() int64 { return m.Parent - m.Children }

// Add adds an account of a stage with its amount in sen and its row in the
// feed (0 when unknown). Each stage and code is added once; a repeat
// replaces the earlier one.
func (h *Hierarchy) Add(stage, code string, amount int64, row int) {
	if h.accounts == nil {
		h.accounts = map[hierarchyKey]*hierarchyAccount{}
	}
	h.accounts[hierarchyKey{stage, code}] = &hierarchyAccount{amount: amount, row: row}
	h.settled = false
}

// Len is the number of accounts added.
func (h *Hierarchy) Len() int { return len(h.accounts) }

// settle links each account to its nearest present ancestor.
func (h *Hierarchy) settle() {
	if h.settled {
		return
	}
	for _, a := range h.accounts {
		a.children, a.childCount, a.overflow = 0, 0, false
	}
	for k, a := range h.accounts {
		for p := AccountParent(k.code); p != ""; p = AccountParent(p) {
			parent, ok := h.accounts[hierarchyKey{k.stage, p}]
			if !ok {
				continue
			}
			parent.childCount++
			sum, ok := addChecked(parent.children, a.amount)
			parent.children, parent.overflow = sum, parent.overflow || !ok
			break
		}
	}
	h.settled = true
}

// Mismatches returns the parents whose amount differs from their
// children's sum, from the top level down (the differences that matter
// most first), then by stage in the order a year goes through them, then
// by code.
func (h *Hierarchy) Mismatches() []Mismatch {
	h.settle()
	var out []Mismatch
	for k, a := range h.accounts {
		if a.childCount == 0 || !a.overflow && a.children == a.amount {
			continue
		}
		out = append(out, Mismatch{Stage: k.stage, Code: k.code, Level: AccountLevel(k.code), Row: a.row,
			Parent: a.amount, Children: a.children, ChildrenOverflow: a.overflow, ChildCount: a.childCount})
	}
	slices.SortFunc(out, func(a, b Mismatch) int {
		return cmp.Or(cmp.Compare(a.Level, b.Level), cmp.Compare(StageOrder(a.Stage), StageOrder(b.Stage)), cmp.Compare(a.Stage, b.Stage),
			cmp.Compare(a.Code, b.Code))
	})
	return out
}

// Parents counts the accounts that have children, the ones Mismatches
// compares, per stage.
func (h *Hierarchy) Parents() map[string]int {
	h.settle()
	out := map[string]int{}
	for k, a := range h.accounts {
		if a.childCount > 0 {
			out[k.stage]++
		}
	}
	return out
}

// Leaves calls yield with each account that has no children, the most
// detailed accounts of their branch: together they cover each stage once.
func (h *Hierarchy) Leaves(yield func(stage, code string, amount int64)) {
	h.settle()
	for k, a := range h.accounts {
		if a.childCount == 0 {
			yield(k.stage, k.code, a.amount)
		}
	}
}

// StageOrder is a stage's place in the year (murni, pergeseran,
// perubahan, realisasi), unknown stages last.
func StageOrder(stage string) int {
	if i := slices.Index(budgetStages, stage); i >= 0 {
		return i
	}
	return len(budgetStages)
}

// addChecked returns a+b, and false when the sum overflows int64.
func addChecked(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

package intake

import (
	"fmt"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// accountCheck holds what only a whole feed tells about its account
// codes: whether codes written with a one-digit jenis are Permendagri
// 90/2019 (dataset.AccountNotation), and, for an account-level dataset,
// whether each parent account holds its children's sum
// (dataset.Hierarchy). Memory is bounded: the pending codes keep at most
// perCodeListed details, and a hierarchical feed is refused past
// maxAccountRows rows.
type accountCheck struct {
	column   string // the account code column as the header names it
	notation dataset.AccountNotation
	// pending lists the first rows whose code waits on the notation;
	// morePending counts the others.
	pending     []Problem
	morePending int
	// hierarchy is nil for datasets whose lines are not accounts.
	hierarchy *dataset.Hierarchy
	stage     int
	amount    int
}

func newAccountCheck(s *dataset.Schema, column string) *accountCheck {
	a := &accountCheck{column: column}
	if s.Hierarchy {
		a.hierarchy = &dataset.Hierarchy{}
		a.stage, a.amount = s.Index("stage"), s.Index(s.Amount)
	}
	return a
}

// read parses the account code of a row.
func (a *accountCheck) read(f *dataset.Field, row int, raw string) (dataset.Value, *dataset.FieldError) {
	if strings.TrimSpace(raw) == "" {
		return f.Parse(raw)
	}
	v, pending, err := a.notation.Read(f, raw)
	if pending {
		if len(a.pending) < perCodeListed {
			a.pending = append(a.pending, Problem{Row: row, Column: a.column, Value: raw, Code: "account_legacy", Message: a.notation.Pending(v.Str).Msg})
		} else {
			a.morePending++
		}
	}
	return v, err
}

// add adds a valid record to the hierarchy.
func (a *accountCheck) add(s *dataset.Schema, row int, r dataset.Record) {
	if a.hierarchy != nil {
		a.hierarchy.Add(r[a.stage].Str, r[s.Index(dataset.FieldAccountCode)].Str, r[a.amount].Int, row)
	}
}

// finish reports what the whole feed shows: codes of ambiguous form in a
// feed that did not settle them are errors; parents whose amount is not
// their children's sum are warnings.
func (a *accountCheck) finish(rep *Report) {
	if !a.notation.Settled() {
		for _, p := range a.pending {
			rep.AddError(p)
		}
		for range a.morePending {
			rep.AddError(Problem{Code: "account_legacy"})
		}
	}
	if a.hierarchy == nil || !rep.OK() {
		return
	}
	for _, m := range a.hierarchy.Mismatches() {
		rep.AddWarning(mismatchProblem(a.column, m))
	}
}

// mismatchProblem says how a parent account differs from its children.
func mismatchProblem(column string, m dataset.Mismatch) Problem {
	level := dataset.AccountLevelName(m.Level)
	children, diff := rupiah(m.Children), rupiah(m.Difference())
	if m.ChildrenOverflow {
		children = dataset.Label{ID: "lebih dari batas angka", EN: "beyond the range of numbers"}
		diff = children
	}
	parent := rupiah(m.Parent)
	return Problem{Row: m.Row, Column: column, Value: m.Code, Code: "hierarchy_mismatch", Message: dataset.Label{
		ID: fmt.Sprintf("jumlah rincian tidak sama dengan induknya: rekening %s (%s, tahap %s) bernilai %s, sedangkan jumlah %d rincian di bawahnya %s; selisih %s",
			m.Code, level.ID, m.Stage, parent.ID, m.ChildCount, children.ID, diff.ID),
		EN: fmt.Sprintf("the details do not add up to their parent: account %s (%s, stage %s) holds %s, while the accounts below it (%d) sum to %s; difference %s",
			m.Code, level.EN, m.Stage, parent.EN, m.ChildCount, children.EN, diff.EN)}}
}

// rupiah writes an amount in sen as people read it: Rp 1.234.567,89 in
// Indonesian, Rp 1,234,567.89 in English; the sen only when there are some.
func rupiah(sen int64) dataset.Label {
	sign := ""
	if sen < 0 {
		sign, sen = "-", -sen
	}
	id, en := sign+"Rp "+groupDigits(sen/100, '.'), sign+"Rp "+groupDigits(sen/100, ',')
	if c := sen % 100; c != 0 {
		id += fmt.Sprintf(",%02d", c)
		en += fmt.Sprintf(".%02d", c)
	}
	return dataset.Label{ID: id, EN: en}
}

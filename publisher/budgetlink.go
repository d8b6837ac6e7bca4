package publisher

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/store"
)

// Following the money: a procurement package names the budget line that
// funds it in its MAK, as SIRUP lists it: for an APBD, the sub-activity
// code (six groups, 1.03.10.2.01.0017) then the account code
// (5.2.04.01.01.0012). The line is the budget record of the same region
// and year with that sub-activity and account, at the same agency (by code
// where both have one, else by name), at its latest budget stage:
// perubahan, else pergeseran, else murni; realisasi is spending, not a
// budget. Where several records share the three, the largest is the line
// (then the smallest id): detail rows of one account are one line to a
// reader following a package. A MAK listing several lines (separated by
// semicolons) links to the first that matches. A central government MAK
// (DL.4057.SCH.006.060.0A.521211) names no APBD line and links to none.

// subActivityGroups is how many groups of a MAK are the sub-activity code.
const subActivityGroups = 6

// lineKey is what a MAK and a budget record are matched on.
type lineKey struct{ agency, sub, account string }

// budgetLine is the record a key links to.
type budgetLine struct {
	id     string
	stage  int
	amount int64
}

// fundingLines are the budget lines of one region and year by key, with
// the agency as code and as normalised name.
type fundingLines struct {
	byCode, byName map[lineKey]budgetLine
}

// budgetLines reads a budget partition's linkable lines; none when budget
// is nil.
func (p *Publisher) budgetLines(ctx context.Context, budget *Partition) (fundingLines, error) {
	out := fundingLines{byCode: map[lineKey]budgetLine{}, byName: map[lineKey]budgetLine{}}
	if budget == nil {
		return out, nil
	}
	s, err := dataset.Lookup(budgetDataset)
	if err != nil {
		return out, err
	}
	f, err := store.Fetch(ctx, p.store, budget.Path, p.TempDir)
	if err != nil {
		return out, err
	}
	defer store.Discard(f)
	info, err := f.Stat()
	if err != nil {
		return out, err
	}
	get := func(rec dataset.Record, name string) dataset.Value { return rec[s.Index(name)] }
	realised := dataset.StageOrder("realisasi")
	for rec, err := range partition.Read(f, info.Size(), s) {
		if err != nil {
			return out, fmt.Errorf("read %s: %w", budget.Path, err)
		}
		stage := dataset.StageOrder(get(rec, dataset.FieldStage).Str)
		sub, account := get(rec, "sub_activity_code").Str, get(rec, dataset.FieldAccountCode).Str
		if stage >= realised || sub == "" || account == "" {
			continue
		}
		line := budgetLine{id: get(rec, dataset.FieldID).Str, stage: stage, amount: get(rec, "amount").Int}
		if code := get(rec, "agency_code").Str; code != "" {
			out.byCode[lineKey{code, sub, account}] = better(out.byCode[lineKey{code, sub, account}], line)
		}
		name := agencyKey(get(rec, "agency_name").Str)
		out.byName[lineKey{name, sub, account}] = better(out.byName[lineKey{name, sub, account}], line)
	}
	return out, nil
}

// better is the line a key links to of two: the later stage, the larger
// amount, the smaller id.
func better(a, b budgetLine) budgetLine {
	switch {
	case a.id == "":
		return b
	case a.stage != b.stage:
		return max2(a, b, a.stage > b.stage)
	case a.amount != b.amount:
		return max2(a, b, a.amount > b.amount)
	}
	return max2(a, b, cmp.Less(a.id, b.id))
}

func max2(a, b budgetLine, aWins bool) budgetLine {
	if aWins {
		return a
	}
	return b
}

// link sets a procurement record's budget_id and budget_link.
func (l fundingLines) link(s *dataset.Schema, rec dataset.Record) {
	id, status := l.fund(s, rec), "linked"
	switch {
	case !rec[s.Index(dataset.FieldMAK)].Valid:
		status = "no_mak"
	case !id.Valid:
		status = "unmatched"
	}
	rec[s.Index(dataset.FieldBudgetID)] = id
	rec[s.Index(dataset.FieldBudgetLink)] = dataset.StringValue(status)
}

// fund returns the id of the budget line funding a procurement record, or
// null.
func (l fundingLines) fund(s *dataset.Schema, rec dataset.Record) dataset.Value {
	mak := rec[s.Index(dataset.FieldMAK)].Str
	code, name := rec[s.Index("agency_code")].Str, agencyKey(rec[s.Index("agency_name")].Str)
	for _, one := range strings.Split(mak, ";") {
		sub, account, ok := SplitMAK(one)
		if !ok {
			continue
		}
		if line, ok := l.byCode[lineKey{code, sub, account}]; ok && code != "" {
			return dataset.StringValue(line.id)
		}
		if line, ok := l.byName[lineKey{name, sub, account}]; ok {
			return dataset.StringValue(line.id)
		}
	}
	return dataset.Value{}
}

// SplitMAK splits an APBD MAK into its sub-activity code and account code;
// false when it is not one (a central government MAK, a typo).
func SplitMAK(mak string) (sub, account string, ok bool) {
	groups := strings.Split(strings.TrimSpace(mak), ".")
	if len(groups) <= subActivityGroups {
		return "", "", false
	}
	sub, account = strings.Join(groups[:subActivityGroups], "."), strings.Join(groups[subActivityGroups:], ".")
	if dataset.AccountGroup(account) == "" {
		return "", "", false
	}
	for _, g := range groups {
		if g == "" || strings.Trim(g, "0123456789X") != "" {
			return "", "", false
		}
	}
	return sub, account, true
}

// agencyKey is an agency name compared across datasets: lower case, single
// spaces.
func agencyKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

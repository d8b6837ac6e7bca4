package site

import (
	"slices"
	"strconv"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/site/summary"
)

// budgetAccountsName is the dataset of budgets by account: the Perda APBD
// summary or LRA of regions that publish no agency-level (DPA) detail.
const budgetAccountsName = "budget_accounts"

// accountsView is what a profile says of a region's budget by account.
//
// Its levels are totals of one another and of the region's agency-level
// lines, so it is never added to them: when the region has lines for the
// year, the profile shows those and only says the budget by account
// exists; otherwise it shows the budget by account's deepest accounts and
// says so.
type accountsView struct {
	// Shown says the budget figures of the page come from it.
	Shown bool
	// Deepest is the deepest level it has ("sub rincian objek", level 6).
	Deepest      int
	DeepestLabel string
	// Levels compares each level's total per stage, one row a level.
	Levels []stageRow
	// Parents counts the accounts with accounts below them, Mismatched
	// those whose amount is not their sum, over every stage; Worst lists
	// the mismatches of the highest levels.
	Parents, Mismatched int
	Worst               []mismatchRow
	Search              string
}

// mismatchRow is a parent account whose children do not add up to it.
type mismatchRow struct {
	dataset.Mismatch
	Label, StageLabel, URL string
}

// accountsOf describes a region-year's budget by account; nil when it has
// none. shown says the page's budget figures come from it.
func accountsOf(l lang, a *summary.Accounts, shown bool, search func(string, ...string) string) *accountsView {
	if a.Rows == 0 {
		return nil
	}
	v := &accountsView{Shown: shown, Search: search(budgetAccountsName), Mismatched: a.Mismatched()}
	var stages []string
	for _, st := range summary.Stages {
		if _, ok := a.Levels[st]; ok {
			stages = append(stages, st)
			v.Deepest = max(v.Deepest, a.Deepest[st])
		}
	}
	for _, n := range a.Parents {
		v.Parents += n
	}
	v.DeepestLabel = l.label(dataset.AccountLevelName(v.Deepest))
	for level := 1; level <= len(dataset.AccountLevels); level++ {
		row := stageRow{Group: strconv.Itoa(level), Label: l.label(dataset.AccountLevelName(level))}
		present := false
		for _, st := range stages {
			ls, ok := a.Levels[st][level]
			present = present || ok
			row.Cells = append(row.Cells, figure{Key: st + "/" + strconv.Itoa(level), Value: ls.Amount, Of: ls.Count,
				URL: search(budgetAccountsName, "stage", st, dataset.FieldAccountLevel, strconv.Itoa(level))})
		}
		if present {
			v.Levels = append(v.Levels, row)
		}
	}
	for _, m := range a.Worst {
		v.Worst = append(v.Worst, mismatchRow{Mismatch: m, Label: l.label(dataset.AccountLevelName(m.Level)),
			StageLabel: l.label(stageLabels[m.Stage]), URL: search(budgetAccountsName, "q", m.Code, "stage", m.Stage)})
	}
	slices.SortStableFunc(v.Worst, func(a, b mismatchRow) int { return a.Level - b.Level })
	return v
}

// hasBudgetLines lists the region-years ("32.73/2024") of a release that
// have agency-level budget lines, whose budget by account, if any, is
// therefore not counted.
func hasBudgetLines(m *publisher.Manifest) map[string]bool {
	out := map[string]bool{}
	for _, p := range m.Partitions {
		if p.Dataset == "budget" {
			out[p.Region+"/"+strconv.Itoa(p.Year)] = true
		}
	}
	return out
}

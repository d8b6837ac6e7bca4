package demo

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/terbuka/terbuka/dataset"
)

// writeAccounts writes a region's budget by account (budget_accounts), as
// a region that publishes no agency-level detail does: the Perda APBD
// summary of the original and amended budgets and, for a closed year, the
// budget realisation report (LRA). Its accounts are the lines writeBudget
// would write for the region, summed per account code, and every level
// above them that has a name; rng must be the stream writeBudget takes, so
// that a region publishing both has figures that agree.
//
// About half of these feeds carry a stale kelompok in the original budget,
// as real exports do (the 2021 export in the shared data has hundreds):
// Belanja Operasi typed from a draft, no longer the sum of its jenis.
func writeAccounts(rw *rowWriter, p *plan, rng *rand.Rand) error {
	stages := p.budgetStages(rng)
	stale := rng.Float64() < 0.5
	for _, st := range stages {
		sums, names := map[string]int64{}, map[string]string{}
		for _, l := range st.lines {
			for code := l.acct; code != ""; code = dataset.AccountParent(code) {
				name := l.name
				if code != l.acct {
					name = levelAccountName(code)
				}
				if name == "" {
					continue
				}
				if _, ok := names[code]; !ok {
					names[code] = name
				}
				sums[code] += l.amount
			}
		}
		if stale && st.name == "murni" {
			sums["5.1"] = roundTo(jitter(rng, sums["5.1"], 0.97, 0.995), 1e8)
		}
		for _, code := range slices.Sorted(maps.Keys(sums)) {
			rw.set("stage", st.name)
			rw.set(dataset.FieldAccountCode, code)
			rw.set("account_name", names[code])
			rw.set(dataset.FieldAccountLevel, strconv.Itoa(dataset.AccountLevel(code)))
			rw.set("amount", money(sums[code]))
			if err := rw.write(); err != nil {
				return err
			}
		}
	}
	return nil
}

// levelAccountName names an account above a budget line: the akun,
// kelompok and jenis from the nomenclature, objek and rincian objek where
// the demo's tables have them; "" for the others, which the feed leaves
// out as some Perda summaries do.
func levelAccountName(code string) string {
	if dataset.AccountLevel(code) <= 3 {
		if l := dataset.AccountName(code); l.ID != code {
			return l.ID
		}
		return ""
	}
	return accountNames[code]
}

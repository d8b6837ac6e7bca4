package demo

import (
	"cmp"
	"slices"
	"strings"
)

// fund is a budget line that may pay for a package: a sub-activity code
// and an account code. Sub-activity codes are written as supportLines and
// the works write them: X.XX for the agency's urusan and bidang, the
// kabupaten/kota level digit of a parallel programme (a province's plan
// reads them at its own level); "" stands for any sub-activity of the
// agency with that account.
type fund struct{ sub, acct string }

// paidFrom lists funds as sub-activity and account pairs, best first.
func paidFrom(pairs ...string) []fund {
	if len(pairs)%2 != 0 {
		panic("demo: paidFrom takes sub-activity and account pairs")
	}
	out := make([]fund, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, fund{pairs[i], pairs[i+1]})
	}
	return out
}

// unlinkableShare is the share of packages paid from a line of the budget
// feed whose MAK nevertheless matches none, as happens in SIRUP exports: a
// third have it left empty, the rest have it cut after the account's
// rincian objek (5.1.02.01.01), a level the budget details further.
const unlinkableShare = 0.05

// lineKey is a budget line as a MAK names it: a sub-activity and an
// account of an agency.
type lineKey struct{ sub, acct string }

// fundingLines returns the lines of the budget feed writeBudget writes for
// the plan's region and year (the same stream, every stage), by agency
// code, each agency's in code order. Lines without a sub-activity
// (revenue, financing, the finance office's grants and transfers) pay for
// no package.
func (p *plan) fundingLines() map[string][]lineKey {
	rng := newRand(p.spec.Seed, "budget", p.region.Code, itoa(p.spec.Year))
	out := map[string][]lineKey{}
	for _, st := range p.budgetStages(rng) {
		for _, l := range st.lines {
			if l.sub == "" || !l.spend {
				continue
			}
			k := lineKey{l.sub, l.acct}
			if !slices.Contains(out[l.agency.code], k) {
				out[l.agency.code] = append(out[l.agency.code], k)
			}
		}
	}
	for _, ks := range out {
		slices.SortFunc(ks, func(a, b lineKey) int { return cmp.Or(strings.Compare(a.sub, b.sub), strings.Compare(a.acct, b.acct)) })
	}
	return out
}

// assignMAKs writes each package's MAK: the first of its funds the
// agency's budget has, or every one it has for a package paid from several
// lines (joint), as sub-activity then account code; empty when the budget
// has none. A re-tender keeps its plan's MAK. A few packages get a MAK the
// budget cannot be matched on (unlinkableShare), drawn from a stream of
// their own so the packages themselves stay as they were.
func (p *plan) assignMAKs(pkgs []*pkg) {
	lines := p.fundingLines()
	rng := newRand(p.spec.Seed, "mak", p.region.Code, itoa(p.spec.Year))
	byRUP := map[int64]string{}
	for _, k := range pkgs {
		if mak, ok := byRUP[k.rup]; ok {
			k.mak = mak
			continue
		}
		var maks []string
		for _, f := range k.funds {
			sub := f.sub
			if sub != "" {
				sub = p.levelSub(sub)
				if strings.HasPrefix(sub, "X.XX") {
					sub = k.agency.unit + strings.TrimPrefix(sub, "X.XX")
				}
			}
			for _, l := range lines[k.agency.code] {
				if (sub == "" || l.sub == sub) && l.acct == f.acct {
					maks = append(maks, l.sub+"."+l.acct)
					break
				}
			}
			if len(maks) > 0 && !k.joint {
				break
			}
		}
		k.mak = strings.Join(maks, ";")
		if x := rng.Float64(); x < unlinkableShare && k.mak != "" {
			if x < unlinkableShare/3 {
				k.mak = ""
			} else {
				k.mak = maks[0][:strings.LastIndexByte(maks[0], '.')]
			}
		}
		byRUP[k.rup] = k.mak
	}
}

package redflag

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

// TestFlagNames: the flags the rules give are the values the Parquet
// column and the search facet allow, in the same order.
func TestFlagNames(t *testing.T) {
	var names []string
	for _, f := range Flags {
		names = append(names, string(f))
	}
	if diff := cmp.Diff(dataset.ProcurementFlags, names); diff != "" {
		t.Errorf("dataset.ProcurementFlags and redflag.Flags differ (-dataset +redflag):\n%s", diff)
	}
}

const juta = 1_000_000 * rupiah

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, wib) }

// flagsOf runs Check and returns the flag names of each package.
func flagsOf(pkgs []Package) map[string][]Flag {
	out := map[string][]Flag{}
	for id, fs := range Check(pkgs) {
		for _, f := range fs {
			out[id] = append(out[id], f.Flag)
		}
	}
	return out
}

// flagged returns the IDs of the packages Check gives flag, sorted.
func flagged(pkgs []Package, flag Flag) []string {
	var out []string
	for id, fs := range flagsOf(pkgs) {
		if slices.Contains(fs, flag) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// TestSinglePackageFlags covers the flags a package earns on its own
// figures, each at and beside its threshold.
func TestSinglePackageFlags(t *testing.T) {
	tender := Package{Method: "tender", Category: "barang", Year: 2024, Announced: day(2024, 3, 1)}
	with := func(p Package, f func(*Package)) Package { f(&p); return p }
	tests := []struct {
		name string
		p    Package
		want []Flag
	}{
		{"nothing known", tender, nil},
		{"one bid in a tender", with(tender, func(p *Package) { p.Bidders, p.HasBidders = 1, true }), []Flag{SingleBidder}},
		{"two bids", with(tender, func(p *Package) { p.Bidders, p.HasBidders = 2, true }), nil},
		{"bids unknown", with(tender, func(p *Package) { p.Bidders = 1 }), nil},
		{"one bid in a direct procurement is the rule", Package{Method: "pengadaan langsung", Category: "barang", Bidders: 1, HasBidders: true, HPS: 50 * juta}, nil},
		{"one bid in a selection", Package{Method: "seleksi", Category: "jasa konsultansi", Bidders: 1, HasBidders: true}, []Flag{SingleBidder}},
		// LKPP's tender results carry no method; their bids come from
		// the tender participants export, so the package was a tender.
		{"one bid, method not given", Package{Bidders: 1, HasBidders: true}, []Flag{SingleBidder}},
		{"one bid in e-purchasing", Package{Method: "e-purchasing", Bidders: 1, HasBidders: true}, nil},
		// 99 % of the HPS and up to it.
		{"contract at 99 % of HPS", with(tender, func(p *Package) { p.HPS, p.Contract = 1000*juta, 990*juta }), []Flag{ContractNearHPS}},
		{"contract equal to HPS", with(tender, func(p *Package) { p.HPS, p.Contract = 1000*juta, 1000*juta }), []Flag{ContractNearHPS}},
		{"contract at 98.9 % of HPS", with(tender, func(p *Package) { p.HPS, p.Contract = 1000*juta, 989*juta }), nil},
		{"no HPS, no near flag", with(tender, func(p *Package) { p.Contract = 990 * juta }), nil},
		{"contract above HPS", with(tender, func(p *Package) { p.HPS, p.Contract = 1000*juta, 1001*juta }), []Flag{ContractAboveHPS}},
		{"contract above pagu", with(tender, func(p *Package) { p.Ceiling, p.HPS, p.Contract = 900*juta, 1000*juta, 950*juta }), []Flag{ContractAboveHPS}},
		// Low bids: construction only, under 80 %.
		{"construction at 79 % of HPS", Package{Method: "tender", Category: "pekerjaan konstruksi", HPS: 1000 * juta, Contract: 790 * juta}, []Flag{LowBid}},
		{"construction at 80 % of HPS", Package{Method: "tender", Category: "pekerjaan konstruksi", HPS: 1000 * juta, Contract: 800 * juta}, nil},
		{"goods at 70 % of HPS", Package{Method: "tender", Category: "barang", HPS: 1000 * juta, Contract: 700 * juta}, nil},
		// Direct procurement against the ceiling in force on its date.
		{"direct goods over Rp 200 million", Package{Method: "pengadaan langsung", Category: "barang", HPS: 201 * juta, Announced: day(2024, 5, 2)}, []Flag{DirectOverThreshold}},
		{"direct goods at 95 % of the ceiling", Package{Method: "pengadaan langsung", Category: "barang", HPS: 190 * juta, Announced: day(2024, 5, 2)}, []Flag{DirectOverThreshold}},
		{"direct goods at 94.5 % of the ceiling", Package{Method: "pengadaan langsung", Category: "barang", HPS: 189 * juta, Announced: day(2024, 5, 2)}, nil},
		{"direct construction of Rp 300 million in 2024", Package{Method: "pengadaan langsung", Category: "pekerjaan konstruksi", HPS: 300 * juta, Announced: day(2024, 5, 2)}, []Flag{DirectOverThreshold}},
		{"direct construction of Rp 300 million after Perpres 46/2025", Package{Method: "pengadaan langsung", Category: "pekerjaan konstruksi", HPS: 300 * juta, Announced: day(2025, 5, 2)}, nil},
		{"direct consultancy over Rp 100 million", Package{Method: "pengadaan langsung", Category: "jasa konsultansi", Ceiling: 120 * juta, Announced: day(2024, 5, 2)}, []Flag{DirectOverThreshold}},
		{"penunjukan langsung has no ceiling", Package{Method: "penunjukan langsung", Category: "barang", HPS: 900 * juta, Announced: day(2024, 5, 2)}, nil},
		{"before Perpres 16/2018 nothing is known", Package{Method: "pengadaan langsung", Category: "barang", HPS: 300 * juta, Announced: day(2017, 5, 2)}, nil},
		// The last month of the fiscal year.
		{"announced 1 December", Package{Method: "tender", Year: 2024, Announced: day(2024, 12, 1)}, []Flag{YearEnd}},
		{"announced 30 November", Package{Method: "tender", Year: 2024, Announced: day(2024, 11, 30)}, nil},
		{"announced December of the year before", Package{Method: "tender", Year: 2025, Announced: day(2024, 12, 15)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.p.ID = "x"
			got := flagsOf([]Package{tt.p})["x"]
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindingFigures(t *testing.T) {
	p := Package{ID: "x", Method: "tender", Category: "pekerjaan konstruksi", Ceiling: 1200 * juta, HPS: 1000 * juta, Contract: 995 * juta}
	got := Check([]Package{p})["x"]
	want := []Finding{{ContractNearHPS, map[string]int64{"contract": 995 * juta, "hps": 1000 * juta, "ceiling": 1200 * juta}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDirectCeiling(t *testing.T) {
	tests := []struct {
		category string
		on       time.Time
		want     int64
		ok       bool
	}{
		{"barang", day(2018, 6, 30), 0, false},
		{"barang", day(2018, 7, 1), 200 * juta, true},
		{"barang", day(2026, 1, 1), 200 * juta, true},
		{"pekerjaan konstruksi", day(2025, 4, 29), 200 * juta, true},
		{"pekerjaan konstruksi", day(2025, 4, 30), 400 * juta, true},
		{"jasa konsultansi", day(2025, 6, 1), 100 * juta, true},
		{"jasa lainnya", day(2021, 3, 1), 200 * juta, true},
		{"terintegrasi", day(2024, 1, 1), 0, false},
	}
	for _, tt := range tests {
		c, ok := DirectCeiling(tt.category, tt.on)
		if ok != tt.ok || c.Limit != tt.want || ok && c.Source == "" {
			t.Errorf("DirectCeiling(%q, %s) = %d %q %t, want %d %t", tt.category, tt.on.Format(time.DateOnly), c.Limit, c.Source, ok, tt.want, tt.ok)
		}
	}
}

func TestPossibleSplitting(t *testing.T) {
	direct := func(id, supplier string, hps int64, on time.Time) Package {
		return Package{ID: id, Agency: "Dinas Pendidikan", Year: 2024, Method: "pengadaan langsung", Category: "barang", HPS: hps, Supplier: supplier, Announced: on}
	}
	tests := []struct {
		name string
		pkgs []Package
		want []string // IDs flagged possible_splitting
	}{
		{"three pieces within 90 days over the ceiling", []Package{
			direct("a", "CV X", 150*juta, day(2024, 2, 1)),
			direct("b", "CV X", 100*juta, day(2024, 3, 1)),
			direct("c", "CV X", 80*juta, day(2024, 4, 30)),
		}, []string{"a", "b", "c"}},
		{"91 days apart", []Package{
			direct("a", "CV X", 150*juta, day(2024, 1, 1)),
			direct("b", "CV X", 150*juta, day(2024, 4, 2)),
		}, nil},
		{"under the ceiling together", []Package{
			direct("a", "CV X", 90*juta, day(2024, 2, 1)),
			direct("b", "CV X", 100*juta, day(2024, 3, 1)),
		}, nil},
		{"different suppliers", []Package{
			direct("a", "CV X", 150*juta, day(2024, 2, 1)),
			direct("b", "CV Y", 150*juta, day(2024, 3, 1)),
		}, nil},
		{"a tender beside a direct one", []Package{
			direct("a", "CV X", 150*juta, day(2024, 2, 1)),
			{ID: "b", Agency: "Dinas Pendidikan", Year: 2024, Method: "tender", Category: "barang", HPS: 150 * juta, Supplier: "CV X", Announced: day(2024, 3, 1)},
		}, nil},
		{"only the packages in the window", []Package{
			direct("a", "CV X", 50*juta, day(2024, 1, 1)),
			direct("b", "CV X", 150*juta, day(2024, 6, 1)),
			direct("c", "CV X", 150*juta, day(2024, 7, 1)),
		}, []string{"b", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := flagged(tt.pkgs, PossibleSplitting)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("flagged (-want +got):\n%s", diff)
			}
		})
	}
}

// tenders returns n tenders announced on 1 March and awarded after the
// given numbers of days, cycling through them.
func tenders(n int, days ...int) []Package {
	var out []Package
	for i := range n {
		a := day(2024, 3, 1)
		out = append(out, Package{ID: fmt.Sprintf("t%02d", i), Method: "tender", Category: "barang", Year: 2024,
			Announced: a, Awarded: a.AddDate(0, 0, days[i%len(days)])})
	}
	return out
}

func TestShortTender(t *testing.T) {
	// 20 tenders: 19 take 30 to 48 days, one 3 days. Sorted days are
	// 3, 30, 31, …, 48; Q1 at rank 4.75 is 30+3.75 = 33.75, Q3 at rank
	// 14.25 is 43.25; the fence is 33.75 − 1.5 × 9.5 = 19.5 days.
	var pkgs []Package
	for i, d := range append([]int{3}, seq(30, 48)...) {
		a := day(2024, 3, 1)
		pkgs = append(pkgs, Package{ID: fmt.Sprintf("t%02d", i), Method: "tender", Year: 2024, Announced: a, Awarded: a.AddDate(0, 0, d)})
	}
	fs := Fences(pkgs)
	if f := fs[0]; f.Method != "tender" || f.Packages != 20 || f.Q1 != 33.75 || f.Q3 != 43.25 || f.Days != 19.5 || !f.Applicable {
		t.Errorf("tender fence %+v, want 20 packages, Q1 33.75, Q3 43.25, fence 19.5 days", f)
	}
	got := flagsOf(pkgs)
	if !slices.Contains(got["t00"], ShortTender) {
		t.Errorf("the 3-day tender is not flagged: %v", got["t00"])
	}
	for id, f := range got {
		if id != "t00" && slices.Contains(f, ShortTender) {
			t.Errorf("%s flagged short", id)
		}
	}
	tests := []struct {
		name string
		pkgs []Package
	}{
		// 19 packages: too few for quartiles to mean much.
		{"fewer than 20 packages", tenders(19, 3, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47)},
		// Every tender took 30 days but one: Q1 = Q3, no spread.
		{"no spread", append(tenders(24, 30), Package{ID: "short", Method: "tender", Year: 2024, Announced: day(2024, 3, 1), Awarded: day(2024, 3, 2)})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for id, f := range flagsOf(tt.pkgs) {
				if slices.Contains(f, ShortTender) {
					t.Errorf("%s flagged short although the fence is skipped", id)
				}
			}
			if f := Fences(tt.pkgs)[0]; f.Applicable {
				t.Errorf("fence %+v applicable", f)
			}
		})
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func TestRepeatWinner(t *testing.T) {
	award := func(id, agency, supplier string) Package {
		return Package{ID: id, Agency: agency, Year: 2024, Method: "tender", Supplier: supplier}
	}
	tests := []struct {
		name string
		pkgs []Package
		want []string
	}{
		// 3 of 5 = 60 %.
		{"three of five", []Package{award("a", "D", "X"), award("b", "D", "X"), award("c", "D", "X"), award("d", "D", "Y"), award("e", "D", "Z")}, []string{"a", "b", "c"}},
		// 2 of 5: too few wins.
		{"two of five", []Package{award("a", "D", "X"), award("b", "D", "X"), award("c", "D", "W"), award("d", "D", "Y"), award("e", "D", "Z")}, nil},
		// 3 of 8 = 37.5 %: under 40 %.
		{"three of eight", []Package{award("a", "D", "X"), award("b", "D", "X"), award("c", "D", "X"), award("d", "D", "Y"), award("e", "D", "Z"), award("f", "D", "V"), award("g", "D", "U"), award("h", "D", "T")}, nil},
		// 3 of 4: the agency awarded too few to judge.
		{"three of four", []Package{award("a", "D", "X"), award("b", "D", "X"), award("c", "D", "X"), award("d", "D", "Y")}, nil},
		// Wins at another agency do not count.
		{"across agencies", []Package{award("a", "D", "X"), award("b", "D", "X"), award("c", "E", "X"), award("d", "D", "Y"), award("e", "D", "Z"), award("f", "D", "V")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := flagged(tt.pkgs, RepeatWinner)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("flagged (-want +got):\n%s", diff)
			}
		})
	}
}

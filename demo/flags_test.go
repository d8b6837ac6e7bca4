package demo

import (
	"fmt"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/redflag"
)

// ruleCounts runs every region-year's packages through the red-flag rules
// as publishing does (publisher.RedFlags: one region-year at a time, bids
// from its procurement_bids feed) and returns the number of packages each
// flag marks.
func ruleCounts(t *testing.T, files []feedFile) map[redflag.Flag]int {
	t.Helper()
	type slot struct {
		region string
		year   int
	}
	bids := map[slot][]dataset.Record{}
	for _, f := range files {
		if f.Dataset == "procurement_bids" {
			bids[slot{f.Region, f.Year}] = f.recs
		}
	}
	counts := map[redflag.Flag]int{}
	for _, f := range files {
		if f.Dataset != "procurement" {
			continue
		}
		for _, fs := range publisher.RedFlags(f.recs, bids[slot{f.Region, f.Year}]) {
			for _, x := range fs {
				counts[x.Flag]++
			}
		}
	}
	return counts
}

// TestRedFlagRules runs the packages of the demo the portal serves (cmd
// terbuka demo: 30 regions and 3 provinces) through the red-flag rules,
// as publishing would, and checks that every flag marks some packages,
// and that the rules mark the packages the feeds' own figures say they
// should (countFlags).
func TestRedFlagRules(t *testing.T) {
	feeds, err := Generate(t.Context(), t.TempDir(), Options{Provinces: 3, Datasets: []string{"procurement", "procurement_bids"}})
	if err != nil {
		t.Fatal(err)
	}
	var files []feedFile
	for _, f := range feeds {
		files = append(files, readFeed(t, f))
	}
	got := ruleCounts(t, files)
	var b strings.Builder
	for _, f := range redflag.Flags {
		fmt.Fprintf(&b, " %s=%d", f, got[f])
		if got[f] == 0 {
			t.Errorf("no package flagged %s", f)
		}
	}
	t.Logf("packages by flag:%s", b.String())
	c := countFlags(t, files)
	for f, want := range map[redflag.Flag]int{
		redflag.LowBid:           c.lowBid,
		redflag.ContractAboveHPS: c.above,
		redflag.YearEnd:          c.december + c.decemberOpen,
		redflag.ShortTender:      c.short,
	} {
		if got[f] != want {
			t.Errorf("%s: the rules flag %d packages, the feeds' figures %d", f, got[f], want)
		}
	}
}

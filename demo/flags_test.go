package demo

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/redflag"
)

// ruleCounts runs every region-year's packages through the red-flag rules
// as publishing does (one Check per procurement partition, bids from its
// procurement_bids feed, packages built as publisher's packageOf builds
// them) and returns the number of packages each flag marks.
func ruleCounts(t *testing.T, files []feedFile) map[redflag.Flag]int {
	t.Helper()
	type slot struct {
		region string
		year   int
	}
	type tenderBids struct{ participants, bids int }
	bids := map[slot]map[string]tenderBids{}
	for _, f := range files {
		if f.Dataset != "procurement_bids" {
			continue
		}
		s, _ := dataset.Lookup(f.Dataset)
		m := map[string]tenderBids{}
		for _, r := range f.recs {
			tb := m[r[s.Index("tender_id")].Str]
			if r[s.Index("participant_id")].Valid || r[s.Index("supplier_name")].Valid {
				tb.participants++
			}
			if r[s.Index("bid_value")].Valid {
				tb.bids++
			}
			m[r[s.Index("tender_id")].Str] = tb
		}
		bids[slot{f.Region, f.Year}] = m
	}
	counts := map[redflag.Flag]int{}
	for _, f := range files {
		if f.Dataset != "procurement" {
			continue
		}
		s, _ := dataset.Lookup(f.Dataset)
		tb := bids[slot{f.Region, f.Year}]
		var pkgs []redflag.Package
		for i, r := range f.recs {
			get := func(name string) dataset.Value { return r[s.Index(name)] }
			p := redflag.Package{
				// package_id repeats for a re-tender: the row number
				// identifies a package within the feed.
				ID:       itoa(i),
				Agency:   strings.ToLower(strings.Join(strings.Fields(get("agency_name").Str), " ")),
				Year:     int(get(dataset.FieldFiscalYear).Int),
				Method:   get("method").Str,
				Category: get("category").Str,
				Ceiling:  get("budget_ceiling").Int,
				HPS:      get("owner_estimate").Int,
				Contract: get("contract_value").Int,
				Supplier: supplierKey(get("supplier_tax_id").Str, get("supplier_name").Str),
			}
			if v := get("tender_id"); v.Valid {
				b := tb[v.Str]
				if b.bids > 0 {
					p.Bidders, p.HasBidders = b.bids, true
				}
				p.Participants = b.participants
			}
			if n := get("bidder_count"); !p.HasBidders && n.Valid && n.Int == 1 {
				p.Bidders, p.HasBidders = 1, true
			}
			if v := get("announced_at"); v.Valid {
				p.Announced = time.UnixMilli(v.Int).In(dataset.WIB)
			}
			if v := get("awarded_at"); v.Valid {
				d := time.Unix(v.Int*86400, 0).UTC()
				p.Awarded = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, dataset.WIB)
			}
			pkgs = append(pkgs, p)
		}
		for _, fs := range redflag.Check(pkgs) {
			for _, x := range fs {
				counts[x.Flag]++
			}
		}
	}
	return counts
}

// supplierKey is publisher's: the NPWP's digits when there are 15 or
// more, else the name in lower case with single spaces.
func supplierKey(taxID, name string) string {
	id := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, taxID)
	if len(id) >= 15 {
		return "npwp:" + id
	}
	if n := strings.ToLower(strings.Join(strings.Fields(name), " ")); n != "" {
		return "name:" + n
	}
	return ""
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

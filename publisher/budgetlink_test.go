package publisher_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

func TestSplitMAK(t *testing.T) {
	tests := []struct {
		mak, sub, account string
		ok                bool
	}{
		{"1.03.10.2.01.0017.5.2.04.01.01.0012", "1.03.10.2.01.0017", "5.2.04.01.01.0012", true},
		{" 1.03.10.2.01.0017.5.1.02.01.01.0024 ", "1.03.10.2.01.0017", "5.1.02.01.01.0024", true},
		{"X.XX.01.2.01.0001.5.1.01.01.01.0001", "X.XX.01.2.01.0001", "5.1.01.01.01.0001", true},
		// Real LKPP exports of a ministry: an APBN MAK names no APBD line.
		{"DL.4057.SCH.006.060.0A.521211", "", "", false},
		{"1.03.10.2.01.0017", "", "", false},            // a sub-activity alone
		{"1.03.10.2.01.0017.9.9", "", "", false},        // 9 starts no account
		{"1.03.10.2.01..0017.5.2.04.01", "", "", false}, // an empty group
		{"", "", "", false},
	}
	for _, tt := range tests {
		sub, account, ok := publisher.SplitMAK(tt.mak)
		if sub != tt.sub || account != tt.account || ok != tt.ok {
			t.Errorf("SplitMAK(%q) = %q, %q, %v; want %q, %q, %v", tt.mak, sub, account, ok, tt.sub, tt.account, tt.ok)
		}
	}
}

// TestPackagesLinkToTheirBudgetLine publishes a budget and procurement as
// a region sends them and reads the budget_id each package gets, by the
// rule: same region and year, agency, sub-activity and account as the
// MAK; the latest budget stage; realisation is never a budget. Sending
// the amended budget later moves the links to its lines.
func TestPackagesLinkToTheirBudgetLine(t *testing.T) {
	st := storetest.Dir(t)
	dir := t.TempDir()
	in := &pipeline.Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir()}
	pub := publisher.New(st, quiet)
	run := func(ds, stage, csv string) {
		t.Helper()
		f := filepath.Join(dir, ds+stage+".csv")
		if err := os.WriteFile(f, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := in.Run(t.Context(), pub, []pipeline.FeedFile{{Path: f, Meta: intake.Meta{Dataset: ds, Region: "32.73", Year: 2024, Stage: stage}}}, nil)
		if err != nil || len(out.Rejected()) > 0 {
			t.Fatalf("run %s %s: %v %+v", ds, stage, err, out.Reports[0].Errors)
		}
	}
	const budgetHeader = "stage,agency_code,agency_name,sub_activity_code,sub_activity_name,account_code,account_name,amount,description\n"
	run("budget", "murni", budgetHeader+
		"murni,1.03.0.00.0.00.01.0000,Dinas PUPR,1.03.10.2.01.0017,Rehabilitasi Jalan,5.2.04.01.01.0012,Belanja Modal Jalan Kota,2000000000,Ruas A\n"+
		"murni,1.03.0.00.0.00.01.0000,Dinas PUPR,1.03.10.2.01.0017,Rehabilitasi Jalan,5.2.04.01.01.0012,Belanja Modal Jalan Kota,3000000000,Ruas B\n"+
		"murni,1.01.0.00.0.00.01.0000,Dinas Pendidikan,1.01.02.2.01.0001,Pengelolaan SD,5.1.02.01.01.0024,Belanja ATK,50000000,\n")
	run("budget", "realisasi", budgetHeader+
		"realisasi,1.03.0.00.0.00.01.0000,Dinas PUPR,1.03.10.2.01.0017,Rehabilitasi Jalan,5.2.04.01.01.0012,Belanja Modal Jalan Kota,2900000000,Ruas B\n")
	run("procurement", "", "package_id,title,agency_code,agency_name,method,budget_ceiling,mak\n"+
		// By agency code, to the larger of two lines of the account.
		"1001,Rehabilitasi Jalan Ruas B,1.03.0.00.0.00.01.0000,Dinas PUPR,tender,2900000000,1.03.10.2.01.0017.5.2.04.01.01.0012\n"+
		// By name (no code), the first of two MAKs that matches.
		"1002,Pengadaan ATK,,dinas  pendidikan,pengadaan langsung,45000000,9.99.99.9.99.9999.5.1.02.01.01.0024;1.01.02.2.01.0001.5.1.02.01.01.0024\n"+
		// Another agency's line is not this package's.
		"1003,ATK Dinas PUPR,1.03.0.00.0.00.01.0000,Dinas PUPR,pengadaan langsung,10000000,1.01.02.2.01.0001.5.1.02.01.01.0024\n"+
		// A ministry's MAK, and none.
		"1004,Paket APBN,,Dinas PUPR,tender,100000000,DL.4057.SCH.006.060.0A.521211\n"+
		"1005,Tanpa MAK,,Dinas PUPR,tender,100000000,\n")

	ids := func(ds string, key func(dataset.Record, *dataset.Schema) string) map[string]string {
		t.Helper()
		m, err := pub.Current(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		part, _ := m.Partition(publisher.PartitionKey(ds, "32.73", 2024))
		s, _ := dataset.Lookup(ds)
		out := map[string]string{}
		for rec, err := range partition.Read(store.ReaderAt(t.Context(), st, part.Path), part.Bytes, s) {
			if err != nil {
				t.Fatal(err)
			}
			out[key(rec, s)] = rec[s.Index(dataset.FieldID)].Str
			if ds == "procurement" {
				out[key(rec, s)] = rec[s.Index(dataset.FieldBudgetLink)].Str + " " + rec[s.Index(dataset.FieldBudgetID)].Str
			}
		}
		return out
	}
	budgetIDs := func() map[string]string {
		return ids("budget", func(r dataset.Record, s *dataset.Schema) string {
			return r[s.Index(dataset.FieldStage)].Str + " " + r[s.Index("agency_name")].Str + " " + r[s.Index("description")].Str
		})
	}
	links := func() map[string]string {
		return ids("procurement", func(r dataset.Record, s *dataset.Schema) string { return r[s.Index("package_id")].Str })
	}
	b := budgetIDs()
	want := map[string]string{"1001": "linked " + b["murni Dinas PUPR Ruas B"], "1002": "linked " + b["murni Dinas Pendidikan "],
		"1003": "unmatched ", "1004": "unmatched ", "1005": "no_mak "}
	if diff := cmp.Diff(links(), want); diff != "" {
		t.Errorf("budget lines of the packages (-got +want):\n%s", diff)
	}

	run("budget", "perubahan", budgetHeader+
		"perubahan,1.03.0.00.0.00.01.0000,Dinas PUPR,1.03.10.2.01.0017,Rehabilitasi Jalan,5.2.04.01.01.0012,Belanja Modal Jalan Kota,3100000000,Ruas B\n")
	b = budgetIDs()
	want["1001"] = "linked " + b["perubahan Dinas PUPR Ruas B"]
	if diff := cmp.Diff(links(), want); diff != "" {
		t.Errorf("after the amended budget (-got +want):\n%s", diff)
	}
	if b["perubahan Dinas PUPR Ruas B"] == "" || b["murni Dinas Pendidikan "] == "" {
		t.Fatalf("budget ids not found: %v", b)
	}
}

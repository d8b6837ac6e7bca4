package intake

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

var bandungAccounts2021 = Meta{Dataset: "budget_accounts", Region: "32.73", Year: 2021}

// TestAccountFeedAsExported: the columns and values of the 2021 export
// (kode_rekening with a one-digit jenis, st_anggaran 1/2, level, jenis)
// are read as they come.
func TestAccountFeedAsExported(t *testing.T) {
	feed := "kode_rekening,uraian,level,tahun,anggaran,jenis,st_anggaran\n" +
		"4,PENDAPATAN DAERAH,1,2021,300,1,1\n" +
		"4.1,PENDAPATAN ASLI DAERAH (PAD),2,2021,300,1,1\n" +
		"4.1.2,Retribusi Daerah,3,2021,300,1,1\n" +
		"4.1.2.02.01.0003,Retribusi Penyewaan Bangunan,6,2021,250,1,1\n" +
		"4,PENDAPATAN DAERAH,1,2021,400,1,2\n"
	rep, recs := validate(t, bandungAccounts2021, feed)
	if !rep.OK() {
		t.Fatalf("rejected: %+v", rep.Errors)
	}
	s, _ := dataset.Lookup("budget_accounts")
	var got []string
	for _, r := range recs {
		got = append(got, strings.Join([]string{r[s.Index("stage")].Str, r[s.Index(dataset.FieldAccountCode)].Str,
			dataset.FormatMoney(r[s.Index("amount")].Int), r[s.Index(dataset.FieldAccountGroup)].Str}, " "))
	}
	want := []string{"murni 4 300.00 pendapatan", "murni 4.1 300.00 pendapatan", "murni 4.1.02 300.00 pendapatan",
		"murni 4.1.02.02.01.0003 250.00 pendapatan", "perubahan 4 400.00 pendapatan"}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("records (-got +want):\n%s", diff)
	}
	// 4.1.02 holds 300, its only child 250: one mismatch, at its row.
	var mismatches []Problem
	for _, p := range rep.Warnings {
		if p.Code == "hierarchy_mismatch" {
			mismatches = append(mismatches, p)
		}
	}
	if len(mismatches) != 1 || mismatches[0].Row != 4 || mismatches[0].Value != "4.1.02" || mismatches[0].Column != "kode_rekening" ||
		!strings.Contains(mismatches[0].Message.EN, "holds Rp 300, while the accounts below it (1) sum to Rp 250; difference Rp 50") {
		t.Errorf("mismatches %+v", mismatches)
	}
}

// TestAmbiguousAccountCodes: codes of levels 3-5 written with a one-digit
// jenis are refused unless the feed also writes a sub rincian objek so.
func TestAmbiguousAccountCodes(t *testing.T) {
	header := "stage,account_code,account_name,amount\n"
	rep, _ := validate(t, bandungAccounts2021, header+"murni,5.2.2,Belanja Barang dan Jasa,10\nmurni,5.2.2.01.01,Belanja ATK,10\n")
	if rep.ErrorCodes["account_legacy"] != 2 || rep.Errors[0].Row != 2 || rep.Errors[0].Value != "5.2.2" ||
		!strings.Contains(rep.Errors[0].Message.EN, "Permendagri 13/2006") {
		t.Errorf("13/2006-shaped codes alone: %+v", rep.Errors)
	}
	// The same codes in a budget feed.
	rep, _ = validate(t, Meta{Dataset: "budget", Region: "32.73", Year: 2021}, "stage,agency_name,account_code,account_name,amount\nmurni,Dinas,5.2.2.01.01,Belanja ATK,10\n")
	if rep.ErrorCodes["account_legacy"] != 1 {
		t.Errorf("budget line with a 13/2006-shaped code: %+v", rep.Errors)
	}
	rep, _ = validate(t, bandungAccounts2021, header+"murni,5.2.2,Belanja Barang dan Jasa,10\nmurni,5.2.2.01.01.0001,Belanja ATK,10\n")
	if !rep.OK() {
		t.Errorf("settled by a sub rincian objek: %+v", rep.Errors)
	}
}

// TestAccountFeedSentAsBudget: an export by account sent as budget lines
// lacks the agency, and the error says which dataset it is complete for.
func TestAccountFeedSentAsBudget(t *testing.T) {
	rep, _ := validate(t, Meta{Dataset: "budget", Region: "32.73", Year: 2021}, "kode_rekening,uraian,level,anggaran,st_anggaran\n4,PENDAPATAN DAERAH,1,300,1\n")
	if p := findProblem(rep, "column_missing"); p == nil || p.Column != "agency_name" || !strings.Contains(p.Message.EN, "complete for the budget_accounts dataset") {
		t.Errorf("budget by account sent as budget: %+v", rep.Errors)
	}
	rep, _ = validate(t, Meta{Dataset: "budget", Region: "32.73", Year: 2021}, "account_code,amount\n4,300\n")
	if p := findProblem(rep, "column_missing"); p == nil || strings.Contains(p.Message.EN, "budget_accounts") {
		t.Errorf("an incomplete header is hinted to another dataset: %+v", rep.Errors)
	}
}

func TestCodedStageColumn(t *testing.T) {
	rep, _ := validate(t, bandungAccounts2021, "st_anggaran,account_code,account_name,amount\n3,4,Pendapatan,10\n")
	if p := findProblem(rep, "allowed"); p == nil || p.Column != "st_anggaran" {
		t.Errorf("st_anggaran 3: %+v", rep.Errors)
	}
	// In a column not known to hold numbers, a number is no stage.
	rep, _ = validate(t, bandungAccounts2021, "tahap,account_code,account_name,amount\n1,4,Pendapatan,10\n")
	if findProblem(rep, "allowed") == nil {
		t.Errorf("tahap 1 taken: %+v", rep.Errors)
	}
	rep, _ = validate(t, bandungAccounts2021, "tahap,account_code,account_name,amount,level\nP-APBD,4,Pendapatan,10,2\n")
	if p := findProblem(rep, "account_level"); p == nil || p.Row != 2 {
		t.Errorf("level 2 for an akun: %+v", rep.Errors)
	}
	rep, _ = validate(t, bandungAccounts2021, "stage,account_code,account_name,amount\nmurni,4,Pendapatan,10\nAPBD,4,Pendapatan,10\n")
	if p := findProblem(rep, "duplicate_key"); p == nil || p.Row != 3 {
		t.Errorf("one account twice in one stage: %+v", rep.Errors)
	}
}

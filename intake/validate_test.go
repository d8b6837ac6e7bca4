package intake

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/terbuka/terbuka/dataset"
)

const budgetHeader = "region_code,fiscal_year,stage,agency_code,agency_name,program_code,program_name,activity_code,activity_name,sub_activity_code,sub_activity_name,account_code,account_name,amount,description\n"

func validate(t *testing.T, meta Meta, csv string) (*Report, []dataset.Record) {
	t.Helper()
	rep := &Report{}
	var recs []dataset.Record
	err := Validate(t.Context(), strings.NewReader(csv), meta, dataset.LoadRegions(), rep, func(r dataset.Record) error {
		recs = append(recs, append(dataset.Record(nil), r...))
		return nil
	})
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	return rep, recs
}

var bandung2024 = Meta{Dataset: "budget", Region: "32.73", Year: 2024}

func TestValidateGoodFeed(t *testing.T) {
	csv := "\ufeff" + budgetHeader +
		"32.73,2024,murni,1.01.01,Dinas Pendidikan,1.01.02,Program Pengelolaan Pendidikan,1.01.02.1.01,Pengelolaan Pendidikan SD,1.01.02.1.01.0001,Pembangunan Unit Sekolah Baru,5.1.02.01.01.0024,Belanja ATK,1.500.000,\r\n" +
		"32.73,2024,perubahan,1.01.01,Dinas Pendidikan,,,,,,,5.2.04.01.01.0001,\"Belanja Modal Jalan, Irigasi\",\"2,500,000.50\",jalan desa\r\n"
	rep, recs := validate(t, bandung2024, csv)
	if !rep.OK() || rep.Rows != 2 || len(recs) != 2 {
		t.Fatalf("report = %+v, %d records; want 2 valid rows", rep, len(recs))
	}
	s, _ := dataset.Lookup("budget")
	if got := recs[1][s.Index("amount")].Int; got != 250000050 {
		t.Errorf("amount = %d sen, want 250000050", got)
	}
	if got := recs[0][s.Index("region_name")].Str; got != "Kota Bandung" {
		t.Errorf("region_name = %q", got)
	}
	if recs[0][s.Index("id")].Str == recs[1][s.Index("id")].Str {
		t.Error("two different lines got the same id")
	}
}

func TestValidateReportsEachProblem(t *testing.T) {
	tests := []struct {
		name string
		meta Meta
		csv  string
		want []Problem
	}{
		{
			name: "unknown region code",
			meta: bandung2024,
			csv:  budgetHeader + "32.99,2024,murni,,Dinas,,,,,,,5.1,Belanja,100,\n",
			want: []Problem{{Row: 2, Column: "region_code", Value: "32.99", Code: "region_unknown"}},
		},
		{
			name: "another region's row",
			meta: bandung2024,
			csv:  budgetHeader + "32.04,2024,murni,,Dinas,,,,,,,5.1,Belanja,100,\n",
			want: []Problem{{Row: 2, Column: "region_code", Value: "32.04", Code: "partition_mismatch"}},
		},
		{
			name: "another year's row",
			meta: bandung2024,
			csv:  budgetHeader + "32.73,2023,murni,,Dinas,,,,,,,5.1,Belanja,100,\n",
			want: []Problem{{Row: 2, Column: "fiscal_year", Value: "2023", Code: "partition_mismatch"}},
		},
		{
			name: "ambiguous money",
			meta: bandung2024,
			csv:  budgetHeader + "32.73,2024,murni,,Dinas,,,,,,,5.1,Belanja,\"12,5,0\",\n",
			want: []Problem{{Row: 2, Column: "amount", Value: "12,5,0", Code: "money"}},
		},
		{
			name: "missing required field",
			meta: bandung2024,
			csv:  budgetHeader + "32.73,2024,murni,,,,,,,,,5.1,Belanja,100,\n",
			want: []Problem{{Row: 2, Column: "agency_name", Code: "required"}},
		},
		{
			name: "stage not allowed and bad account code on row 3",
			meta: bandung2024,
			csv: budgetHeader + "32.73,2024,murni,,Dinas,,,,,,,5.1,Belanja,100,\n" +
				"32.73,2024,awal,,Dinas,,,,,,,7.1,Belanja,100,\n",
			want: []Problem{{Row: 3, Column: "stage", Value: "awal", Code: "allowed"}, {Row: 3, Column: "account_code", Value: "7.1", Code: "pattern"}},
		},
		{
			name: "region not in reference list",
			meta: Meta{Dataset: "budget", Region: "32.99", Year: 2024},
			csv:  budgetHeader,
			want: []Problem{{Code: "region_unknown"}},
		},
		{
			name: "missing column",
			meta: bandung2024,
			csv:  "stage,agency_name,account_code,account_name\nmurni,Dinas,5.1,Belanja\n",
			want: []Problem{{Row: 1, Column: "amount", Code: "column_missing"}},
		},
		{
			name: "short row",
			meta: bandung2024,
			csv:  budgetHeader + "32.73,2024,murni\n",
			want: []Problem{{Row: 2, Code: "column_count"}},
		},
		{
			name: "bad quoting",
			meta: bandung2024,
			csv:  budgetHeader + "32.73,2024,murni,,\"Dinas,,,,,,,5.1,Belanja,100,\n",
			want: []Problem{{Row: 2, Code: "csv_syntax"}},
		},
		{
			name: "empty file",
			meta: bandung2024,
			csv:  "",
			want: []Problem{{Code: "empty"}},
		},
		{
			name: "duplicate procurement package",
			meta: Meta{Dataset: "procurement", Region: "32.73", Year: 2024},
			csv: "package_id,title,agency_name,method,budget_ceiling\n" +
				"111,Pengadaan ATK,Dinas,pengadaan langsung,1000000\n" +
				"111,Pengadaan ATK lagi,Dinas,pengadaan langsung,2000000\n",
			want: []Problem{{Row: 3, Column: "package_id+tender_id", Code: "duplicate_key"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, _ := validate(t, tt.meta, tt.csv)
			for _, p := range rep.Errors {
				if p.Message.ID == "" || p.Message.EN == "" {
					t.Errorf("problem %+v lacks a message in both languages", p)
				}
			}
			if diff := cmp.Diff(rep.Errors, tt.want, cmpopts.IgnoreFields(Problem{}, "Message")); diff != "" {
				t.Errorf("errors (-got +want):\n%s", diff)
			}
		})
	}
}

func TestValidateStopsEmittingAfterFirstError(t *testing.T) {
	csv := budgetHeader + "32.73,2024,murni,,Dinas,,,,,,,5.1,Belanja,xx,\n" + "32.73,2024,murni,,Dinas,,,,,,,5.2,Belanja,100,\n"
	rep, recs := validate(t, bandung2024, csv)
	if len(recs) != 0 || rep.Rows != 2 || rep.ErrorCount != 1 {
		t.Errorf("rows=%d errors=%d emitted=%d; want 2 rows read, 1 error, nothing emitted", rep.Rows, rep.ErrorCount, len(recs))
	}
}

func TestValidateColumnsFilledFromFeed(t *testing.T) {
	csv := "stage,agency_name,account_code,account_name,amount,region_name,extra\nmurni,Dinas,5.1,Belanja,100,Bogus,x\n"
	rep, recs := validate(t, bandung2024, csv)
	if !rep.OK() || len(recs) != 1 {
		t.Fatalf("report = %+v", rep)
	}
	s, _ := dataset.Lookup("budget")
	if got := recs[0][s.Index("region_code")].Str; got != "32.73" {
		t.Errorf("region_code = %q, want it filled from the feed", got)
	}
	if got := recs[0][s.Index("region_name")].Str; got != "Kota Bandung" {
		t.Errorf("region_name = %q, want the reference name, not the file's", got)
	}
	if rep.WarningCount != 2 {
		t.Errorf("warnings = %+v, want the derived and the unknown column reported", rep.Warnings)
	}
}

func FuzzValidate(f *testing.F) {
	f.Add(budgetHeader + "32.73,2024,murni,,Dinas,,,,,,,5.1,Belanja,100,\n")
	f.Add("stage,amount\n\"a\"\"b\",1.234,5\n")
	f.Add("\ufeffregion_code\n32.73\n")
	f.Add("stage;agency_name;account_code;account_name;amount\r\nmurni;Dinas Pariwisata \x96 Caf\xe9;5.1.02;Belanja;1.500.000,00\r\n")
	f.Add("stage\tagency_name\tKode Rekening\tUraian\tNilai\nmurni\tDinas\t5.1\tBelanja\t100\n")
	f.Add("stage,amount\nmurni,\x81\n")
	f.Add("Tahap,Nama SKPD,Kode Rekening,Nama Rekening,Uraian,Pagu Angaran,uraian\nmurni,Dinas,5.1,Belanja,ATK,1,x\n")
	f.Add("Pagu,pagu,PAGU (Rp),Nilai Anggran,kd_rekening\n1,2,3,4,5.1\n")
	f.Fuzz(func(t *testing.T, csv string) {
		rep := &Report{}
		emitted := 0
		err := Validate(t.Context(), strings.NewReader(csv), bandung2024, dataset.LoadRegions(), rep, func(dataset.Record) error {
			emitted++
			return nil
		})
		if err != nil {
			t.Fatalf("Validate returned an I/O error for in-memory input: %v", err)
		}
		if rep.ErrorCount > 0 && len(rep.Errors) == 0 {
			t.Fatal("errors counted but none listed")
		}
		for _, p := range rep.Errors {
			if p.Code == "" || p.Message.EN == "" {
				t.Fatalf("problem without code or message: %+v", p)
			}
		}
		if !rep.OK() && int64(emitted) > rep.Rows {
			t.Fatalf("emitted %d of %d rows", emitted, rep.Rows)
		}
	})
}

package intake

import (
	"encoding/csv"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/partition"
)

// TestXLSXGivesTheCSVPartition writes the dialect feed as an Excel user
// would (codes as text, amounts as numbers, a date as a date cell) and
// checks it becomes the same partition as the CSV.
func TestXLSXGivesTheCSVPartition(t *testing.T) {
	dir := t.TempDir()
	csvFeed := "package_id,title,agency_name,method,budget_ceiling,contract_value,supplier_tax_id,awarded_at\n" +
		"051554309,Pembangunan Jalan Desa Cibiru,Dinas PUPR,Tender,2309880000,2029932492.5,01.572.337.2-014.000,2024-06-19\n" +
		"51554310,Pengadaan Laptop,Dinas Pendidikan,E-Purchasing,450000000,,,\n"
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"Kode RUP", "Nama Paket", "Nama Satker", "Metode Pemilihan", "Pagu", "Nilai Kontrak", "NPWP Penyedia", "Tgl Penetapan Pemenang"},
		{"051554309", "Pembangunan Jalan Desa Cibiru", "Dinas PUPR", "Tender", 2309880000, 2029932492.5, "01.572.337.2-014.000", 45462},
		{},
		{"51554310", "Pengadaan Laptop", "Dinas Pendidikan", "E-Purchasing", 450000000},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // a date format
	f.SetCellStyle(sheet, "H2", "H2", style)
	xlsxPath := filepath.Join(dir, "paket.xlsx")
	if err := f.SaveAs(xlsxPath); err != nil {
		t.Fatal(err)
	}
	in := newConverter(t)
	meta := Meta{Dataset: "procurement", Region: "32.73", Year: 2024}
	repCSV, partCSV, err := in.Ingest(t.Context(), strings.NewReader(csvFeed), meta)
	if err != nil || !repCSV.OK() {
		t.Fatalf("CSV: %v %+v", err, repCSV.Errors)
	}
	xf, _ := os.Open(xlsxPath)
	defer xf.Close()
	repX, partX, err := in.Ingest(t.Context(), xf, meta)
	if err != nil || !repX.OK() {
		t.Fatalf("XLSX: %v %+v", err, repX.Errors)
	}
	if partX.Path != partCSV.Path || repX.Rows != 2 {
		t.Errorf("XLSX partition %s (%d rows), CSV partition %s", partX.Path, repX.Rows, partCSV.Path)
	}
	if ext := Extension(xf); ext != ".xlsx" {
		t.Errorf("a workbook is kept as %q", ext)
	}
}

func TestXLSXRefusals(t *testing.T) {
	dir := t.TempDir()
	notZip := filepath.Join(dir, "broken.xlsx")
	os.WriteFile(notZip, []byte("PK\x03\x04 not really a zip"), 0o644)
	f := excelize.NewFile()
	good := filepath.Join(dir, "one-sheet.xlsx")
	f.SaveAs(good)
	for _, tc := range []struct {
		path, sheet, code string
	}{
		{notZip, "", "xlsx_unreadable"},
		{good, "Lembar9", "xlsx_sheet"},
		{good, "", "empty"},
	} {
		rep := &Report{}
		err := ValidateFile(t.Context(), tc.path, Meta{Dataset: "budget", Region: "32.73", Year: 2024, Sheet: tc.sheet}, dataset.LoadRegions(), rep, func(dataset.Record) error { return nil })
		if err != nil || len(rep.Errors) == 0 || rep.Errors[0].Code != tc.code {
			t.Errorf("%s sheet %q: %v %+v, want %s", filepath.Base(tc.path), tc.sheet, err, rep.Errors, tc.code)
		}
	}
}

// TestLKPPWorkbookReadsAsItsCSV reads the real LKPP tender results export
// as a workbook and as the CSV made from it: the same rows, with pagu,
// HPS and contract values intact.
func TestLKPPWorkbookReadsAsItsCSV(t *testing.T) {
	base := filepath.Join(testfiles.SharedData(t), "indonesia", "lkpp-inaproc-k34")
	csvRows := readAll(t, func() rowReader {
		f, err := os.Open(filepath.Join(base, "tender_tender-selesai-nilai_2024.csv"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return openCSV(f, "", &Report{})
	}())
	x, err := openXLSX(t.Context(), filepath.Join(base, "xlsx", "tender_tender-selesai-nilai_2024.xlsx"), "", &Report{})
	if err != nil || x == nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer x.Close()
	xRows := readAll(t, x)
	if len(xRows) != len(csvRows) || len(csvRows) < 2 {
		t.Fatalf("workbook has %d rows, CSV %d", len(xRows), len(csvRows))
	}
	col := map[string]int{}
	for i, h := range csvRows[0] {
		col[h] = i
	}
	xcol := map[string]int{}
	for i, h := range xRows[0] {
		xcol[h] = i
	}
	for _, name := range []string{"kd_tender", "pagu", "hps", "nilai_kontrak", "nama_penyedia", "npwp_penyedia"} {
		for r := 1; r < len(csvRows); r++ {
			want, got := csvRows[r][col[name]], xRows[r][xcol[name]]
			if money(want) != money(got) {
				t.Errorf("row %d %s: workbook %q, CSV %q", r+1, name, got, want)
			}
		}
	}
}

// money compares amounts by value: the workbook stores 520000000, the CSV
// may write 520000000.0.
func money(s string) string {
	if v, err := dataset.ParseMoney(s); err == nil {
		return dataset.FormatMoney(v)
	}
	return s
}

func readAll(t *testing.T, r rowReader) [][]string {
	t.Helper()
	var out [][]string
	for {
		row, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]string(nil), row...))
	}
}

func FuzzValidateXLSX(f *testing.F) {
	wb := excelize.NewFile()
	wb.SetSheetRow("Sheet1", "A1", &[]any{"stage", "agency_name", "account_code", "account_name", "amount"})
	wb.SetSheetRow("Sheet1", "A2", &[]any{"murni", "Dinas", "5.1.02.01.01.0024", "Belanja", 1500000})
	buf, err := wb.WriteToBuffer()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "feed.xlsx")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		rep := &Report{}
		err := ValidateFile(t.Context(), path, Meta{Dataset: "budget", Region: "32.73", Year: 2024}, dataset.LoadRegions(), rep, func(dataset.Record) error { return nil })
		if err != nil {
			t.Fatalf("ValidateFile returned an I/O error for a readable file: %v", err)
		}
		for _, p := range rep.Errors {
			if p.Code == "" || p.Message.EN == "" {
				t.Fatalf("problem without code or message: %+v", p)
			}
		}
	})
}

// TestLKPPTenderResultsAsTheyCome ingests the real LKPP tender results
// export untouched, from the CSV and from the workbook: both are taken as
// procurement (the ISB column names are known aliases; the package name
// and method they lack are warnings), to the same partition, with pagu,
// HPS and contract values summing exactly to the raw text's.
func TestLKPPTenderResultsAsTheyCome(t *testing.T) {
	base := filepath.Join(testfiles.SharedData(t), "indonesia", "lkpp-inaproc-k34")
	in := newConverter(t)
	// A ministry is no region; Jakarta stands in, as in TestRealLKPPTenderResults.
	meta := Meta{Dataset: "procurement", Region: "31", Year: 2024}
	var parts []string
	for _, name := range []string{"tender_tender-selesai-nilai_2024.csv", filepath.Join("xlsx", "tender_tender-selesai-nilai_2024.xlsx")} {
		f, err := os.Open(filepath.Join(base, name))
		if err != nil {
			t.Fatal(err)
		}
		rep, part, err := in.Ingest(t.Context(), f, meta)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() {
			t.Fatalf("%s rejected: %d errors, first %+v", name, rep.ErrorCount, rep.Errors[0])
		}
		if rep.WarningCodes["column_recommended"] != 2 {
			t.Errorf("%s: warnings %v, want the missing title and method", name, rep.WarningCodes)
		}
		parts = append(parts, part.Path)
		b := part.Bytes
		s, _ := dataset.Lookup("procurement")
		var recs []dataset.Record
		for r, err := range partition.Read(strings.NewReader(string(b)), int64(len(b)), s) {
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, append(dataset.Record(nil), r...))
		}
		raw := rawSums(t, filepath.Join(base, "tender_tender-selesai-nilai_2024.csv"), map[string]string{"pagu": "budget_ceiling", "hps": "owner_estimate", "nilai_kontrak": "contract_value"})
		for field, want := range raw {
			var got int64
			for _, r := range recs {
				got += r[s.Index(field)].Int
			}
			if got != want {
				t.Errorf("%s %s: %d sen, raw text sums to %d", name, field, got, want)
			}
		}
	}
	if parts[0] != parts[1] {
		t.Errorf("CSV gave %s, workbook %s", parts[0], parts[1])
	}
}

// rawSums adds up money columns of a CSV as exact sen, independently of
// dataset.ParseMoney.
func rawSums(t *testing.T, path string, cols map[string]string) map[string]int64 {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]*big.Rat{}
	for _, c := range cols {
		sums[c] = new(big.Rat)
	}
	for _, r := range rows[1:] {
		for i, h := range rows[0] {
			if c, ok := cols[h]; ok && r[i] != "" {
				v, ok := new(big.Rat).SetString(r[i])
				if !ok {
					t.Fatalf("raw %s %q", h, r[i])
				}
				sums[c].Add(sums[c], v)
			}
		}
	}
	out := map[string]int64{}
	for c, s := range sums {
		sen := new(big.Rat).Mul(s, big.NewRat(100, 1))
		if !sen.IsInt() {
			t.Fatalf("%s sums to a fraction of a sen", c)
		}
		out[c] = sen.Num().Int64()
	}
	return out
}

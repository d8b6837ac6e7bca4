package intake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/terbuka/terbuka/dataset"
)

// Limits on an Excel feed. A workbook is a zip: a small file can unzip to
// gigabytes, so what is unpacked is bounded, and so are the rows and cells
// read from the sheet.
const (
	xlsxMaxUnzipped = 1 << 30
	xlsxMaxRows     = 2_000_000
	xlsxMaxCols     = 500
)

// isXLSX reports whether f starts as a zip file does (an .xlsx workbook).
func isXLSX(f *os.File) bool {
	magic := make([]byte, 4)
	n, _ := f.ReadAt(magic, 0)
	return n == 4 && bytes.Equal(magic, []byte("PK\x03\x04"))
}

// xlsxRows reads one worksheet as rows of text. Cells come as Excel stores
// them, not as formatted for display: a code typed as text keeps its
// leading zeros, money is the plain number, a date is its serial (which
// date columns read, see dataset.ParseDate).
type xlsxRows struct {
	f      *excelize.File
	rows   *excelize.Rows
	n      int
	header int
}

// openXLSX opens a workbook's sheet (the first when sheet is ""). A
// workbook that cannot be read, or has no such sheet, is an error in rep
// and no rows.
func openXLSX(path, sheet string, rep *Report) (*xlsxRows, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: xlsxMaxUnzipped})
	if err != nil {
		rep.AddError(FileProblem("xlsx_unreadable",
			"berkas Excel tidak bisa dibaca: "+err.Error(), "the Excel file cannot be read: "+err.Error()))
		return nil, nil
	}
	sheets := f.GetSheetList()
	if sheet == "" && len(sheets) > 0 {
		sheet = sheets[0]
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		rep.AddError(FileProblem("xlsx_sheet",
			fmt.Sprintf("lembar %q tidak ada; lembar berkas ini: %s", sheet, strings.Join(sheets, ", ")),
			fmt.Sprintf("no sheet %q; this file's sheets: %s", sheet, strings.Join(sheets, ", "))))
		return nil, nil
	}
	return &xlsxRows{f: f, rows: rows}, nil
}

// Read returns the next row that has a value, padded to the header's width:
// Excel leaves out trailing empty cells and keeps empty rows.
func (x *xlsxRows) Read() ([]string, error) {
	for x.rows.Next() {
		x.n++
		if x.n > xlsxMaxRows {
			return nil, newReadError(x.n, "", "", "xlsx_rows", dataset.Label{
				ID: fmt.Sprintf("lembar memiliki lebih dari %d baris; bagi berkas per wilayah dan tahun", xlsxMaxRows),
				EN: fmt.Sprintf("the sheet has more than %d rows; split the file by region and year", xlsxMaxRows)})
		}
		cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, newReadError(x.n, "", "", "xlsx_unreadable", dataset.Label{
				ID: "baris Excel ini tidak bisa dibaca: " + err.Error(), EN: "this Excel row cannot be read: " + err.Error()})
		}
		if len(cells) > xlsxMaxCols {
			return nil, newReadError(x.n, "", "", "xlsx_columns", dataset.Label{
				ID: fmt.Sprintf("baris ini memiliki lebih dari %d kolom", xlsxMaxCols),
				EN: fmt.Sprintf("this row has more than %d columns", xlsxMaxCols)})
		}
		empty := true
		for i, c := range cells {
			cells[i] = plainNumber(c)
			if strings.TrimSpace(c) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		if x.header == 0 {
			x.header = len(cells)
		}
		for len(cells) < x.header {
			cells = append(cells, "")
		}
		return cells, nil
	}
	if err := x.rows.Error(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

func (x *xlsxRows) Close() error {
	return errors.Join(x.rows.Close(), x.f.Close())
}

// plainNumber writes a number Excel stored in exponent form (1.5E+13) out
// in full, as a clerk typed it.
func plainNumber(s string) string {
	if !strings.ContainsAny(s, "eE") || strings.ContainsAny(s, " ,") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

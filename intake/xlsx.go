package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/terbuka/terbuka/dataset"
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
// workbook past a limit (see checkWorkbook), that cannot be read, or has
// no such sheet, is an error in rep and no rows.
func openXLSX(ctx context.Context, path, sheet string, rep *Report) (*xlsxRows, error) {
	if p, err := checkWorkbook(ctx, path); p != nil || err != nil {
		if p != nil {
			rep.AddError(*p)
		}
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: xlsxMaxUnzipped, UnzipXMLSizeLimit: xlsxStreamedPart})
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
// Excel leaves out trailing empty cells and keeps empty rows. The row's
// size was checked by checkWorkbook, its columns and cells are checked as
// every format's are.
func (x *xlsxRows) Read() ([]string, error) {
	for x.rows.Next() {
		x.n++
		cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, newReadError(x.n, "", "", "xlsx_unreadable", dataset.Label{
				ID: "baris Excel ini tidak bisa dibaca: " + err.Error(), EN: "this Excel row cannot be read: " + err.Error()})
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

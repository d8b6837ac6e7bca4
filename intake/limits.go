package intake

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/terbuka/terbuka/dataset"
)

// The limits on one feed, whatever its format, enforced while it is read
// so that the memory a feed can take stays bounded. docs/limits.md gives
// each with the real exports it was measured on; a test holds the two
// together.
const (
	// maxRecordBytes bounds one record as the file spells it: a CSV record
	// with its separators, quotes and line end; a JSON object from { to };
	// an Excel row's XML with the shared strings it uses. The largest in
	// the real LKPP and APBD exports is 8,249 bytes (CSV) or 8,901 (XLSX).
	maxRecordBytes = 1 << 20
	// maxReleaseBytes bounds one OCDS release or record as the file spells
	// it. The largest in the real OCDS samples is 156,278 bytes (a
	// Paraguayan record with every version of its releases).
	maxReleaseBytes = 4 << 20
	// maxCellBytes bounds one value, in UTF-8. Excel holds at most 32,767
	// characters in a cell, 131,068 bytes at 4 bytes each; the longest
	// real value is 7,522 bytes.
	maxCellBytes = 128 << 10
	// maxColumns bounds the columns of a feed; the widest real export has
	// 51.
	maxColumns = 500
	// maxRows bounds the data rows of one feed, one partition (dataset,
	// region, year): the largest real export has 20,217.
	maxRows = 2_000_000
	// maxAccountRows bounds the rows of an account-level feed
	// (budget_accounts), whose accounts are checked against each other
	// once the whole feed is read: each is kept until then. The real 2021
	// APBD export has 1,872 rows (936 accounts at two stages); one stage
	// of a region's whole chart of accounts is a few thousand.
	maxAccountRows = 100_000
)

// Limits on an Excel workbook. It is a zip: a small file can unpack to
// gigabytes, and parts other than the sheets are read whole.
const (
	// xlsxMaxUnzipped bounds the whole workbook unpacked; the real LKPP
	// workbooks unpack to 3.4 MB at most.
	xlsxMaxUnzipped = 1 << 30
	// xlsxMaxParts bounds the files in the zip; the real workbooks have 11.
	xlsxMaxParts = 1000
	// xlsxMaxInMemory bounds the parts excelize keeps in memory: all but
	// worksheets and the shared strings larger than xlsxStreamedPart,
	// which it reads from temporary files. Parsed, such XML takes about
	// ten times its size (8 MiB of styles: 85 MiB at the peak). Real
	// workbooks hold 15 KB of them; 64,000 styles, Excel's most, are
	// about 6 MB.
	xlsxMaxInMemory = 8 << 20
	// xlsxStreamedPart is the size above which a worksheet or the shared
	// strings are unpacked to a temporary file (excelize's
	// UnzipXMLSizeLimit).
	xlsxStreamedPart = 1 << 20
	// xlsxMaxSharedStrings bounds the distinct texts of a workbook:
	// excelize keeps an index entry for each.
	xlsxMaxSharedStrings = 1_000_000
	// xlsxMaxDepth bounds how deep XML elements nest (a worksheet's cell
	// text is 7 deep).
	xlsxMaxDepth = 64
)

// Values copied into a report are clipped: a report, and the public page
// showing it, never carries a huge value.
const (
	maxShownChars   = 200  // a value, a column name, a file name
	maxMessageChars = 1000 // a message, which may quote the file
	// clipRoom is what clip adds at most, so that a clipped text is not
	// clipped again.
	clipRoom = 48
)

// clip returns s, or its first maxChars characters followed by how many it
// has.
func clip(s string, maxChars int) string {
	if len(s) <= maxChars+clipRoom {
		return s
	}
	n := utf8.RuneCountInString(s)
	if n <= maxChars+clipRoom {
		return s
	}
	cut := 0
	for range maxChars {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	return fmt.Sprintf("%s… (%s karakter / characters)", s[:cut], groupDigits(int64(n), '.'))
}

// groupDigits writes n with sep between groups of three digits: 1.048.576
// in Indonesian, 1,048,576 in English.
func groupDigits(n int64, sep byte) string {
	s := strconv.FormatInt(n, 10)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out = append(out, sep)
		}
		out = append(out, s[i])
	}
	return string(out)
}

// size says a limit in bytes in both languages: "1 MiB (1.048.576 byte)".
func size(n int64) dataset.Label {
	unit := ""
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		unit = fmt.Sprintf("%d MiB ", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		unit = fmt.Sprintf("%d KiB ", n>>10)
	}
	return dataset.Label{ID: fmt.Sprintf("%s(%s byte)", unit, groupDigits(n, '.')), EN: fmt.Sprintf("%s(%s bytes)", unit, groupDigits(n, ','))}
}

// count says a number in both languages.
func count(n int64) dataset.Label {
	return dataset.Label{ID: groupDigits(n, '.'), EN: groupDigits(n, ',')}
}

// recordKind names what one record of a format is, in both languages,
// what its size counts, and what to do about one too large.
type recordKind struct {
	id, en        string
	limit         int64
	measure, hint dataset.Label
}

var (
	csvRecord = recordKind{id: "baris", en: "row", limit: maxRecordBytes, hint: dataset.Label{
		ID: "; periksa tanda kutip yang tidak ditutup, atau persingkat isi yang sangat panjang",
		EN: "; look for a quote that is not closed, or shorten very long values"}}
	jsonRecord = recordKind{id: "objek", en: "object", limit: maxRecordBytes}
	xlsxRecord = recordKind{id: "baris", en: "row", limit: maxRecordBytes, measure: dataset.Label{
		ID: " (XML baris dan teks bersama yang dipakainya)", EN: " (the row's XML and the shared strings it uses)"}}
	ocdsRecord = recordKind{id: "rilis OCDS", en: "OCDS release", limit: maxReleaseBytes}
	ocdsPart   = recordKind{id: "bagian paket OCDS", en: "part of an OCDS package", limit: maxReleaseBytes}
)

// recordTooLarge is the error for a record past its kind's limit; found is
// its size, or 0 when reading stopped before its end.
func recordTooLarge(row int, k recordKind, found int64) error {
	return &readError{recordProblem(row, k, found)}
}

// recordProblem is the problem recordTooLarge's error carries.
func recordProblem(row int, k recordKind, found int64) Problem {
	lim := size(k.limit)
	got := dataset.Label{ID: "pembacaan dihentikan di situ", EN: "reading stopped there"}
	if found > 0 {
		got = dataset.Label{ID: "ditemukan " + groupDigits(found, '.') + " byte", EN: "found " + groupDigits(found, ',') + " bytes"}
	}
	return Problem{Row: row, Code: "record_too_large", Message: dataset.Label{
		ID: fmt.Sprintf("%s ini lebih dari %s, batas satu %s%s; %s%s", k.id, lim.ID, k.id, k.measure.ID, got.ID, k.hint.ID),
		EN: fmt.Sprintf("this %s is larger than %s, the limit for one %s%s; %s%s", k.en, lim.EN, k.en, k.measure.EN, got.EN, k.hint.EN)}}
}

// cellTooLarge is the problem of a value longer than maxCellBytes in the
// index-th column (from 0), named column ("" in the header).
func cellTooLarge(row int, column string, index int, value string) Problem {
	lim := size(maxCellBytes)
	n := int64(len(value))
	return Problem{Row: row, Column: column, Value: value, Code: "cell_too_large", Message: dataset.Label{
		ID: fmt.Sprintf("sel ini (kolom ke-%d) berisi %s byte, lebih dari batas %s per sel", index+1, groupDigits(n, '.'), lim.ID),
		EN: fmt.Sprintf("this cell (column %d) holds %s bytes, more than the limit of %s per cell", index+1, groupDigits(n, ','), lim.EN)}}
}

// tooManyColumns is the problem of a row wider than maxColumns.
func tooManyColumns(row, found int) Problem {
	n := count(int64(found))
	return Problem{Row: row, Code: "too_many_columns", Message: dataset.Label{
		ID: fmt.Sprintf("baris ini memiliki %s kolom, lebih dari batas %d kolom", n.ID, maxColumns),
		EN: fmt.Sprintf("this row has %s columns, more than the limit of %d", n.EN, maxColumns)}}
}

// tooManyRows is the problem of a feed longer than maxRows, found at row.
func tooManyRows(row int) Problem {
	n := count(maxRows)
	return Problem{Row: row, Code: "too_many_rows", Message: dataset.Label{
		ID: fmt.Sprintf("berkas memiliki lebih dari %s baris data, batas satu kiriman; bagi berkas per wilayah, tahun dan tahap", n.ID),
		EN: fmt.Sprintf("the file has more than %s data rows, the limit for one submission; split it by region, year and stage", n.EN)}}
}

// tooManyAccounts is the problem of an account-level feed longer than
// maxAccountRows, found at row.
func tooManyAccounts(row int) Problem {
	n := count(maxAccountRows)
	return Problem{Row: row, Code: "too_many_rows", Message: dataset.Label{
		ID: fmt.Sprintf("berkas memiliki lebih dari %s baris data, batas satu kiriman APBD per rekening; kirim satu baris per rekening dan tahap", n.ID),
		EN: fmt.Sprintf("the file has more than %s data rows, the limit for one submission of the budget by account; send one row per account and stage", n.EN)}}
}

// workbookTooLarge is the problem of a workbook past one of the Excel
// limits: what says which, in both languages.
func workbookTooLarge(what dataset.Label) Problem {
	return Problem{Code: "xlsx_too_large", Message: dataset.Label{
		ID: "berkas Excel terlalu besar untuk dibaca: " + what.ID + "; simpan lembarnya sebagai CSV UTF-8",
		EN: "the Excel file is too large to read: " + what.EN + "; save its sheet as CSV UTF-8"}}
}

// checkRow applies the column and cell limits to one row; header is nil
// for the header itself.
func checkRow(row int, cells, header []string) *Problem {
	if len(cells) > maxColumns {
		return problemOf(tooManyColumns(row, len(cells)))
	}
	for c, v := range cells {
		if len(v) <= maxCellBytes {
			continue
		}
		column := ""
		if c < len(header) {
			column = header[c]
		}
		return problemOf(cellTooLarge(row, column, c, v))
	}
	return nil
}

func problemOf(p Problem) *Problem { return &p }

// errOverLimit is a limitReader's error once its window is exceeded.
var errOverLimit = errors.New("record over the size limit")

// limitReader passes bytes through, failing with errOverLimit once more
// than max have been read since start: a reader above it can never hold
// more than max bytes of one record, however long the record is.
type limitReader struct {
	r     io.Reader
	max   int64
	n     int64 // bytes read in all
	start int64 // where the record being read starts, as n counts
	chunk int   // the most one Read passes, 0 for no bound
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n-l.start > l.max {
		return 0, errOverLimit
	}
	if l.chunk > 0 && len(p) > l.chunk {
		p = p[:l.chunk]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

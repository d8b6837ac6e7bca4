package intake

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// A workbook is checked before excelize opens it, because excelize reads
// some parts whole: the zip's directory, every part but the worksheets and
// shared strings, one shared string, one row with the texts it uses. The
// check reads the zip's directory within a budget, adds up the sizes the
// directory declares (which archive/zip holds each part to), then streams
// every part's XML token by token through a reader that stops a token, a
// row or a shared string at maxRecordBytes. Only then is excelize, bounded
// by the same sizes, given the file.

// xlsxDirectoryBudget bounds what reading a zip's directory may read: its
// end record, searched for in the last 65 KiB, and the entries.
const xlsxDirectoryBudget = 65<<10 + 1<<20

// checkWorkbook returns the problem of a workbook past a limit, or nil. A
// file that is not a zip is left to excelize to describe. The error is for
// I/O and ctx.
func checkWorkbook(ctx context.Context, path string) (*Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	budget := &budgetReaderAt{r: f, left: xlsxDirectoryBudget}
	zr, err := zip.NewReader(budget, info.Size())
	// The parts are read through the same reader, without a budget: each
	// is held to the size its entry declares.
	budget.left = math.MaxInt64
	switch {
	case errors.Is(err, errOverLimit) || err == nil && len(zr.File) > xlsxMaxParts:
		return problemOf(workbookTooLarge(dataset.Label{
			ID: fmt.Sprintf("berisi lebih dari %s berkas (bagian), batasnya", count(xlsxMaxParts).ID),
			EN: fmt.Sprintf("it holds more than %s files (parts), the limit", count(xlsxMaxParts).EN)})), nil
	case err != nil:
		return nil, nil
	}
	sst, p := checkParts(zr.File)
	if p != nil {
		return p, nil
	}
	sc := &xmlScan{ctx: ctx}
	if sst != nil {
		if p, err := sc.part(sst, true); p != nil || err != nil {
			return p, err
		}
	}
	for _, zf := range zr.File {
		if zf == sst {
			continue
		}
		if p, err := sc.part(zf, false); p != nil || err != nil {
			return p, err
		}
	}
	return nil, nil
}

// checkParts checks the sizes the zip's directory declares: in all, and
// of the parts excelize keeps in memory. It returns the shared strings
// part, if any. A part named twice is refused: which of the two excelize
// would read is its own business.
func checkParts(files []*zip.File) (sst *zip.File, p *Problem) {
	var total, inMemory uint64
	seen := map[string]bool{}
	for _, zf := range files {
		name := strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))
		if seen[name] {
			return nil, problemOf(FileProblem("xlsx_unreadable",
				fmt.Sprintf("berkas Excel tidak bisa dibaca: bagian %q muncul dua kali", clip(zf.Name, maxShownChars)),
				fmt.Sprintf("the Excel file cannot be read: it holds the part %q twice", clip(zf.Name, maxShownChars))))
		}
		seen[name] = true
		n := zf.UncompressedSize64
		if total += n; n > math.MaxInt64 || total > xlsxMaxUnzipped {
			return nil, problemOf(workbookTooLarge(dataset.Label{
				ID: "isinya bila dibuka lebih dari " + size(xlsxMaxUnzipped).ID + ", batasnya",
				EN: "it unpacks to more than " + size(xlsxMaxUnzipped).EN + ", the limit"}))
		}
		streamed := name == "xl/sharedstrings.xml" || strings.HasPrefix(name, "xl/worksheets/sheet")
		if !streamed || n <= xlsxStreamedPart {
			inMemory += n
		}
		if inMemory > xlsxMaxInMemory {
			return nil, problemOf(workbookTooLarge(dataset.Label{
				ID: "bagian yang dibaca utuh ke memori (gaya, gambar, lembar kecil, dan lainnya) lebih dari " + size(xlsxMaxInMemory).ID + ", batasnya",
				EN: "the parts read whole into memory (styles, pictures, small sheets and others) unpack to more than " + size(xlsxMaxInMemory).EN + ", the limit"}))
		}
		if name == "xl/sharedstrings.xml" {
			sst = zf
		}
	}
	return sst, nil
}

// xmlScan streams the XML parts of one workbook. It keeps the size of
// each shared string, so that a row is measured with the texts it uses.
type xmlScan struct {
	ctx     context.Context
	strings []uint32
}

// part scans one part: every token, row (<row>) and shared string (<si>)
// at most maxRecordBytes, elements at most xlsxMaxDepth deep, at most
// maxRows rows and xlsxMaxSharedStrings shared strings. A part that is not
// XML (a picture) ends its scan quietly: excelize fails on it, if it is
// ever read as XML, at the same token.
func (s *xmlScan) part(zf *zip.File, shared bool) (*Problem, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, nil
	}
	defer rc.Close()
	lim := &xmlLimit{r: bufio.NewReaderSize(rc, 64<<10), max: maxRecordBytes + 1}
	dec := xml.NewDecoder(lim)
	var (
		p     partState
		depth int
	)
	for i := 0; ; i++ {
		if i%65536 == 0 && s.ctx.Err() != nil {
			return nil, s.ctx.Err()
		}
		if !p.inRecord() {
			lim.start = dec.InputOffset()
		}
		tok, err := dec.RawToken()
		if errors.Is(err, errOverLimit) {
			return s.overLimit(zf.Name, &p), nil
		}
		if err != nil {
			return nil, nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > xlsxMaxDepth {
				return problemOf(workbookTooLarge(dataset.Label{
					ID: fmt.Sprintf("bagian %q bersarang lebih dari %d tingkat", clip(zf.Name, maxShownChars), xlsxMaxDepth),
					EN: fmt.Sprintf("its part %q nests elements more than %d deep", clip(zf.Name, maxShownChars), xlsxMaxDepth)})), nil
			}
			if q := s.start(&p, t, lim.start, shared); q != nil {
				return q, nil
			}
		case xml.EndElement:
			depth--
			if q := s.end(&p, t.Name.Local, dec.InputOffset()); q != nil {
				return q, nil
			}
		case xml.CharData:
			if q := s.text(&p, t, dec.InputOffset()); q != nil {
				return q, nil
			}
		}
	}
}

// partState is where a part's scan is.
type partState struct {
	rows     int
	inRow    bool
	row      int   // the row being read: its r attribute, or its count
	rowStart int64 // offset of its <row>
	refs     int64 // bytes of the shared strings it uses so far
	inSI     bool
	siStart  int64 // offset of the <si> being read
	inShared bool  // in a cell whose value is a shared string's index
	inValue  bool  // in that cell's <v>
}

func (p *partState) inRecord() bool { return p.inRow || p.inSI }

func (s *xmlScan) start(p *partState, t xml.StartElement, off int64, shared bool) *Problem {
	switch t.Name.Local {
	case "row":
		p.rows++
		if p.rows > maxRows+1 {
			return problemOf(tooManyRows(p.rows))
		}
		p.inRow, p.row, p.rowStart, p.refs = true, p.rows, off, 0
		for _, a := range t.Attr {
			if r, err := strconv.Atoi(a.Value); a.Name.Local == "r" && err == nil && r > 0 {
				p.row = r
			}
		}
	case "si":
		if shared {
			if len(s.strings) >= xlsxMaxSharedStrings {
				return problemOf(workbookTooLarge(dataset.Label{
					ID: fmt.Sprintf("berisi lebih dari %s teks berbeda (teks bersama), batasnya", count(xlsxMaxSharedStrings).ID),
					EN: fmt.Sprintf("it holds more than %s distinct texts (shared strings), the limit", count(xlsxMaxSharedStrings).EN)}))
			}
			p.inSI, p.siStart = true, off
		}
	case "c":
		p.inShared = false
		for _, a := range t.Attr {
			if a.Name.Local == "t" && a.Value == "s" {
				p.inShared = true
			}
		}
	case "v":
		p.inValue = p.inShared
	}
	return nil
}

func (s *xmlScan) end(p *partState, name string, off int64) *Problem {
	switch {
	case name == "row" && p.inRow:
		p.inRow = false
		if n := off - p.rowStart + p.refs; n > maxRecordBytes {
			return problemOf(recordProblem(p.row, xlsxRecord, n))
		}
	case name == "si" && p.inSI:
		p.inSI = false
		n := off - p.siStart
		if n > maxRecordBytes {
			return problemOf(sharedStringTooLarge(len(s.strings), n))
		}
		s.strings = append(s.strings, uint32(n))
	case name == "v":
		p.inValue = false
	case name == "c":
		p.inShared = false
	}
	return nil
}

// text adds the size of a shared string a row's cell uses to the row's.
func (s *xmlScan) text(p *partState, t xml.CharData, off int64) *Problem {
	if !p.inValue || !p.inRow {
		return nil
	}
	i, err := strconv.Atoi(string(bytes.TrimSpace(t)))
	if err != nil || i < 0 || i >= len(s.strings) {
		return nil
	}
	p.refs += int64(s.strings[i])
	if off-p.rowStart+p.refs > maxRecordBytes {
		return problemOf(recordProblem(p.row, xlsxRecord, 0))
	}
	return nil
}

// overLimit is the problem of a token, row or shared string that ran past
// maxRecordBytes before it ended.
func (s *xmlScan) overLimit(part string, p *partState) *Problem {
	switch {
	case p.inRow:
		return problemOf(recordProblem(p.row, xlsxRecord, 0))
	case p.inSI:
		return problemOf(sharedStringTooLarge(len(s.strings), 0))
	}
	return problemOf(workbookTooLarge(dataset.Label{
		ID: fmt.Sprintf("bagian %q memuat unsur XML lebih dari %s", clip(part, maxShownChars), size(maxRecordBytes).ID),
		EN: fmt.Sprintf("its part %q holds an XML element larger than %s", clip(part, maxShownChars), size(maxRecordBytes).EN)}))
}

// sharedStringTooLarge is the problem of the i-th shared string (from 0)
// past maxRecordBytes; n is its size, 0 when reading stopped before its
// end.
func sharedStringTooLarge(i int, n int64) Problem {
	found := dataset.Label{ID: "pembacaan dihentikan di situ", EN: "reading stopped there"}
	if n > 0 {
		found = dataset.Label{ID: "ditemukan " + groupDigits(n, '.') + " byte", EN: "found " + groupDigits(n, ',') + " bytes"}
	}
	return Problem{Code: "cell_too_large", Message: dataset.Label{
		ID: fmt.Sprintf("teks bersama ke-%d berkas Excel ini (isi sebuah sel) lebih dari %s; %s. Satu sel paling banyak %s", i+1, size(maxRecordBytes).ID, found.ID, size(maxCellBytes).ID),
		EN: fmt.Sprintf("shared string %d of this Excel file (a cell's text) is larger than %s; %s. A cell holds at most %s", i+1, size(maxRecordBytes).EN, found.EN, size(maxCellBytes).EN)}}
}

// xmlLimit gives an XML decoder its bytes one at a time (so that it reads
// nothing ahead), failing once more than max have been read since start.
type xmlLimit struct {
	r        *bufio.Reader
	n, start int64
	max      int64
}

func (l *xmlLimit) ReadByte() (byte, error) {
	if l.n-l.start >= l.max {
		return 0, errOverLimit
	}
	b, err := l.r.ReadByte()
	if err == nil {
		l.n++
	}
	return b, err
}

func (l *xmlLimit) Read(p []byte) (int, error) {
	for i := range p {
		b, err := l.ReadByte()
		if err != nil {
			return i, err
		}
		p[i] = b
	}
	return len(p), nil
}

// budgetReaderAt fails once left bytes have been read through it.
type budgetReaderAt struct {
	r    io.ReaderAt
	left int64
}

func (b *budgetReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if int64(len(p)) > b.left {
		return 0, errOverLimit
	}
	b.left -= int64(len(p))
	return b.r.ReadAt(p, off)
}

package intake

import (
	"archive/zip"
	"bufio"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
)

// inlineRows writes a header and rows as a worksheet's rows of inline
// strings.
func inlineRows(rows ...[]string) string {
	var b strings.Builder
	for r, cells := range rows {
		b.WriteString(inlineRow(r+1, cells))
	}
	return b.String()
}

func inlineRow(r int, cells []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for _, c := range cells {
		b.WriteString(`<c t="inlineStr"><is><t>`)
		xml := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(c)
		b.WriteString(xml)
		b.WriteString(`</t></is></c>`)
	}
	b.WriteString("</row>")
	return b.String()
}

// writeWorkbook writes a workbook by hand, as no spreadsheet program
// would: one sheet of the given rows, the shared strings sst (none when
// ""), and extra parts. It returns the file's path.
func writeWorkbook(t testing.TB, rows, sst string, extra func(*zip.Writer)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "feed.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook ` + ns + ` xmlns:r="` + rel + `"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<worksheet ` + ns + `><sheetData>` + rows + `</sheetData></worksheet>`},
	}
	if sst != "" {
		parts = append(parts, struct{ name, body string }{"xl/sharedStrings.xml", `<sst ` + ns + `>` + sst + `</sst>`})
	}
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.body)
	}
	if extra != nil {
		extra(zw)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// validatePath validates the feed at path as Kota Bandung's 2024 budget.
func validatePath(t testing.TB, path string) *Report {
	t.Helper()
	rep := &Report{}
	if err := ValidateFile(t.Context(), path, bandung2024, dataset.LoadRegions(), rep, func(dataset.Record) error { return nil }); err != nil {
		t.Fatal(err)
	}
	return rep
}

// xlsxRowOf is a worksheet row r of exactly n bytes of XML, from <row> to
// </row>: a valid budget line and notes as inline strings.
func xlsxRowOf(t *testing.T, r, n int) string {
	t.Helper()
	const notes = 9
	base := inlineRow(r, append(strings.Split(budgetLineRow, ","), make([]string, notes)...))
	row := inlineRow(r, append(strings.Split(budgetLineRow, ","), fillers(n-len(base), notes, limit(t, docCell))...))
	if len(row) != n {
		t.Fatalf("built a row of %d bytes, want %d", len(row), n)
	}
	return row
}

func TestXLSXRowLimit(t *testing.T) {
	lim := limit(t, docRecord)
	header := inlineRow(1, append(strings.Split(budgetLineHeader, ","), strings.Split(",n1,n2,n3,n4,n5,n6,n7,n8,n9", ",")[1:]...))
	rep := validatePath(t, writeWorkbook(t, header+xlsxRowOf(t, 2, lim), "", nil))
	if !rep.OK() || rep.Rows != 1 {
		t.Errorf("a row of %d bytes, the limit: %v", lim, rep.Errors)
	}
	rep = validatePath(t, writeWorkbook(t, header+xlsxRowOf(t, 2, lim+1), "", nil))
	if p := findProblem(rep, "record_too_large"); p == nil || p.Row != 2 || !strings.Contains(p.Message.EN, groupDigits(int64(lim+1), ',')) {
		t.Errorf("a row of %d bytes: %v, want record_too_large at row 2 giving its size", lim+1, rep.Errors)
	}

	// A shared string counts each time a row uses it: a row of a few cells
	// that all name one long text is a long row.
	long := "<si><t>" + strings.Repeat("x", limit(t, docCell)-64) + "</t></si>"
	var cells strings.Builder
	for range lim / len(long) {
		cells.WriteString(`<c t="s"><v>0</v></c>`)
	}
	few := inlineRow(1, strings.Split(budgetLineHeader, ",")) + `<row r="2">` + cells.String() + `</row>`
	rep = validatePath(t, writeWorkbook(t, few, long, nil))
	if findProblem(rep, "record_too_large") != nil {
		t.Errorf("a row using a shared string %d times, under the limit: %v", lim/len(long), rep.Errors)
	}
	many := few[:len(few)-len("</row>")] + `<c t="s"><v>0</v></c></row>`
	rep = validatePath(t, writeWorkbook(t, many, long, nil))
	if p := findProblem(rep, "record_too_large"); p == nil || p.Row != 2 {
		t.Errorf("a row using a shared string %d times: %v, want record_too_large at row 2", lim/len(long)+1, rep.Errors)
	}

	// One shared string past the limit is refused before it is held.
	rep = validatePath(t, writeWorkbook(t, few, "<si><t>"+strings.Repeat("x", lim)+"</t></si>", nil))
	if p := findProblem(rep, "cell_too_large"); p == nil || !strings.Contains(p.Message.EN, "shared string 1") {
		t.Errorf("a shared string of %d bytes: %v, want cell_too_large", lim, rep.Errors)
	}
}

// rawPart adds a part whose directory entry declares size bytes: archive/zip
// refuses to read it, but the sizes are what the workbook check adds up.
func rawPart(name string, size uint64) func(*zip.Writer) {
	return func(zw *zip.Writer) {
		body := []byte("<x/>")
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(len(body)), UncompressedSize64: size})
		if err != nil {
			panic(err)
		}
		w.Write(body)
	}
}

// declared is what a workbook's directory declares in all, and for the
// parts read whole into memory: all but worksheets over 1 MiB.
func declared(t *testing.T, path string) (total, inMemory uint64) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if !strings.HasPrefix(f.Name, "xl/worksheets/") || f.UncompressedSize64 <= xlsxStreamedPart {
			inMemory += f.UncompressedSize64
		}
	}
	return total, inMemory
}

func TestXLSXWorkbookLimits(t *testing.T) {
	rows := inlineRows(strings.Split(budgetLineHeader, ","), strings.Split(budgetLineRow, ","))
	base := writeWorkbook(t, rows, "", nil)
	baseTotal, baseMemory := declared(t, base)
	unzipped, inMemory := uint64(limit(t, docUnzipped)), uint64(limit(t, docInMemory))
	parts, depth, shared := limit(t, docParts), limit(t, docDepth), limit(t, docShared)
	// The base workbook has 5 parts.
	manyParts := func(n int) func(*zip.Writer) {
		return func(zw *zip.Writer) {
			for i := range n - 5 {
				w, _ := zw.Create(fmt.Sprintf("docProps/custom%d.xml", i))
				io.WriteString(w, "<x/>")
			}
		}
	}
	nested := func(n int) func(*zip.Writer) {
		return func(zw *zip.Writer) {
			w, _ := zw.Create("docProps/deep.xml")
			io.WriteString(w, strings.Repeat("<a>", n)+strings.Repeat("</a>", n))
		}
	}
	sharedStrings := func(n int) string { return strings.Repeat("<si/>", n) }
	for _, tc := range []struct {
		name        string
		at, past    string
		wantAtLimit bool // whether the feed at the limit is valid
	}{
		{"unpacked", writeWorkbook(t, rows, "", rawPart("xl/worksheets/sheet2.xml", unzipped-baseTotal)),
			writeWorkbook(t, rows, "", rawPart("xl/worksheets/sheet2.xml", unzipped-baseTotal+1)), false},
		{"held in memory", writeWorkbook(t, rows, "", rawPart("xl/media/image1.png", inMemory-baseMemory)),
			writeWorkbook(t, rows, "", rawPart("xl/media/image1.png", inMemory-baseMemory+1)), false},
		{"parts", writeWorkbook(t, rows, "", manyParts(parts)), writeWorkbook(t, rows, "", manyParts(parts+1)), true},
		{"depth", writeWorkbook(t, rows, "", nested(depth)), writeWorkbook(t, rows, "", nested(depth+1)), true},
		{"shared strings", writeWorkbook(t, rows, sharedStrings(shared), nil), writeWorkbook(t, rows, sharedStrings(shared+1), nil), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := validatePath(t, tc.at)
			if findProblem(rep, "xlsx_too_large") != nil || tc.wantAtLimit && !rep.OK() {
				t.Errorf("at the limit: %v", rep.Errors)
			}
			rep = validatePath(t, tc.past)
			if p := findProblem(rep, "xlsx_too_large"); p == nil || len(rep.Errors) != 1 {
				t.Errorf("past the limit: %v, want xlsx_too_large only", rep.Errors)
			}
		})
	}
}

// bomb writes a workbook whose one shared string unpacks to n bytes,
// compressed as it is written.
func bomb(t testing.TB, n int64) string {
	t.Helper()
	rows := `<row r="1"><c t="s"><v>0</v></c></row>`
	return writeWorkbook(t, rows, "", func(zw *zip.Writer) {
		w, _ := zw.Create("xl/sharedStrings.xml")
		bw := bufio.NewWriterSize(w, 1<<20)
		io.Copy(bw, repeated(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`, 'a', n, `</t></si></sst>`))
		bw.Flush()
	})
}

package intake

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/terbuka/terbuka/dataset"
)

// The tests of the limits take their figures from docs/limits.md, the
// page senders read, not from the constants: TestLimitsAsDocumented holds
// the two together, the others check that the documented figure is where
// a feed is refused.

// Names of the limits in docs/limits.md's English table.
const (
	docRecord   = "One CSV record, one JSON object, one Excel row"
	docRelease  = "One OCDS release or record"
	docCell     = "One cell"
	docColumns  = "Columns"
	docRows     = "Data rows per feed"
	docAccounts = "Rows of a feed of the budget by account (`budget_accounts`)"
	docUnzipped = "Excel: unpacked"
	docParts    = "Excel: parts (files in the zip)"
	docInMemory = "Excel: parts held in memory"
	docShared   = "Excel: shared strings"
	docDepth    = "Excel: XML depth"
	docShown    = "A value in a report"
	docMessage  = "A message in a report"
	docListed   = "Problems listed"
)

// documentedLimits reads the value of every limit in docs/limits.md's
// table of language lang ("English" or "Bahasa Indonesia"), in the order
// listed, by name.
func documentedLimits(t testing.TB, lang string) (names []string, values map[string]int64) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docs", "limits.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## "+lang+"\n")
	if !ok {
		t.Fatalf("docs/limits.md has no section %q", lang)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	sep := ","
	if lang != "English" {
		sep = "."
	}
	number := regexp.MustCompile(`^[0-9]{1,3}(` + regexp.QuoteMeta(sep) + `[0-9]{3})*`)
	values = map[string]int64{}
	for line := range strings.SplitSeq(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			continue
		}
		name, value := strings.TrimSpace(cells[1]), strings.TrimSpace(cells[2])
		m := number.FindString(value)
		if m == "" {
			continue // the header
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(m, sep, ""), 10, 64)
		if err != nil {
			t.Fatalf("docs/limits.md: %s: %q: %v", name, value, err)
		}
		names = append(names, name)
		values[name] = n
	}
	return names, values
}

// limit is the documented value of the named limit.
func limit(t testing.TB, name string) int {
	t.Helper()
	_, values := documentedLimits(t, "English")
	v, ok := values[name]
	if !ok {
		t.Fatalf("docs/limits.md does not list %q", name)
	}
	return int(v)
}

func TestLimitsAsDocumented(t *testing.T) {
	names, en := documentedLimits(t, "English")
	idNames, id := documentedLimits(t, "Bahasa Indonesia")
	if len(idNames) != len(names) {
		t.Fatalf("the Indonesian table lists %d limits, the English one %d", len(idNames), len(names))
	}
	for i, name := range names {
		if id[idNames[i]] != en[name] {
			t.Errorf("%s is %d in English, %s = %d in Indonesian", name, en[name], idNames[i], id[idNames[i]])
		}
	}
	for name, want := range map[string]int64{
		docRecord: maxRecordBytes, docRelease: maxReleaseBytes, docCell: maxCellBytes, docColumns: maxColumns,
		docRows: maxRows, docAccounts: maxAccountRows, docUnzipped: xlsxMaxUnzipped, docParts: xlsxMaxParts, docInMemory: xlsxMaxInMemory,
		docShared: xlsxMaxSharedStrings, docDepth: xlsxMaxDepth, docShown: maxShownChars, docMessage: maxMessageChars,
		docListed: maxListed,
	} {
		if got, ok := en[name]; !ok || got != want {
			t.Errorf("docs/limits.md gives %q as %d, the code %d", name, got, want)
		}
	}
}

// findProblem returns the error of the given code, or nil.
func findProblem(rep *Report, code string) *Problem {
	for i := range rep.Errors {
		if rep.Errors[i].Code == code {
			return &rep.Errors[i]
		}
	}
	return nil
}

// A valid budget header and row, to which tests add columns.
const (
	budgetLineHeader = "stage,agency_name,account_code,account_name,amount"
	budgetLineRow    = "murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1500000"
)

// fillers splits n bytes of 'x' into k cells of at most most bytes each.
func fillers(n, k, most int) []string {
	out := make([]string, k)
	for i := range out {
		size := n / k
		if i < n%k {
			size++
		}
		if size > most {
			panic(fmt.Sprintf("filler of %d bytes is over %d", size, most))
		}
		out[i] = strings.Repeat("x", size)
	}
	return out
}

// csvWithRecord is a budget CSV whose data record, its line end included,
// is exactly n bytes: a valid budget line and 9 note columns.
func csvWithRecord(t *testing.T, n int) string {
	t.Helper()
	const notes = 9
	header := budgetLineHeader
	for i := range notes {
		header += fmt.Sprintf(",catatan_%d", i+1)
	}
	free := n - len(budgetLineRow) - notes - 1 // a comma before each note, the line end
	row := budgetLineRow + "," + strings.Join(fillers(free, notes, limit(t, docCell)), ",") + "\n"
	if len(row) != n {
		t.Fatalf("built a record of %d bytes, want %d", len(row), n)
	}
	return header + "\n" + row
}

func TestCSVRecordLimit(t *testing.T) {
	lim := limit(t, docRecord)
	rep, _ := validate(t, bandung2024, csvWithRecord(t, lim))
	if !rep.OK() || rep.Rows != 1 {
		t.Errorf("a record of %d bytes, the limit: %v", lim, rep.Errors)
	}
	rep, _ = validate(t, bandung2024, csvWithRecord(t, lim+1))
	p := findProblem(rep, "record_too_large")
	if p == nil || p.Row != 2 || !strings.Contains(p.Message.EN, groupDigits(int64(lim+1), ',')+" bytes") {
		t.Errorf("a record of %d bytes: %+v, want record_too_large at row 2 giving its size", lim+1, rep.Errors)
	}
	// A quote left open runs to the end of the file: reading stops at the
	// limit.
	rep, _ = validate(t, bandung2024, budgetLineHeader+"\nmurni,\"Dinas"+strings.Repeat("pendidikan ", lim/5))
	if p := findProblem(rep, "record_too_large"); p == nil || p.Row != 2 || !strings.Contains(p.Message.EN, "not closed") {
		t.Errorf("an open quote: %+v, want record_too_large at row 2", rep.Errors)
	}
}

// jsonObject is a budget object of exactly n bytes, from { to }.
func jsonObject(t *testing.T, n int) string {
	t.Helper()
	const notes = 9
	head := `{"stage":"murni","agency_name":"Dinas","account_code":"5.1.02.01.01.0024","account_name":"Belanja","amount":1500000`
	overhead := len(head) + 1
	for i := range notes {
		overhead += len(fmt.Sprintf(`,"catatan_%d":""`, i+1))
	}
	obj := head
	for i, f := range fillers(n-overhead, notes, limit(t, docCell)) {
		obj += fmt.Sprintf(`,"catatan_%d":"%s"`, i+1, f)
	}
	obj += "}"
	if len(obj) != n {
		t.Fatalf("built an object of %d bytes, want %d", len(obj), n)
	}
	return obj
}

func TestJSONObjectLimit(t *testing.T) {
	lim := limit(t, docRecord)
	for _, tc := range []struct {
		name string
		feed func(obj string) string
	}{
		{"array", func(obj string) string { return "[\n" + jsonObject(t, 400) + ",\n" + obj + "\n]" }},
		{"ndjson", func(obj string) string { return jsonObject(t, 400) + "\n" + obj + "\n" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := validateFile(t, bandung2024, tc.feed(jsonObject(t, lim)))
			if !rep.OK() || rep.Rows != 2 {
				t.Errorf("an object of %d bytes, the limit: %v", lim, rep.Errors)
			}
			rep = validateFile(t, bandung2024, tc.feed(jsonObject(t, lim+1)))
			if p := findProblem(rep, "record_too_large"); p == nil || p.Row != 3 {
				t.Errorf("an object of %d bytes: %+v, want record_too_large at row 3", lim+1, rep.Errors)
			}
		})
	}
}

// ocdsRelease is a release of exactly n bytes, padded in a field the
// procurement row does not use.
func ocdsReleaseOf(t *testing.T, n int) string {
	t.Helper()
	head := `{"ocid":"ocds-x-1","buyer":{"name":"Dinas PUPR"},"tender":{"id":"1","title":"Jalan","procurementMethod":"open","mainProcurementCategory":"works","value":{"amount":1000,"currency":"IDR"}},"description":"`
	rel := head + strings.Repeat("x", n-len(head)-2) + `"}`
	if len(rel) != n {
		t.Fatalf("built a release of %d bytes, want %d", len(rel), n)
	}
	return rel
}

func TestOCDSReleaseLimit(t *testing.T) {
	lim := limit(t, docRelease)
	meta := Meta{Dataset: "procurement", Region: "32.73", Year: 2024}
	rep := validateFile(t, meta, `{"version":"1.1","releases":[`+ocdsReleaseOf(t, lim)+`]}`)
	if findProblem(rep, "record_too_large") != nil || rep.Rows != 1 {
		t.Errorf("a release of %d bytes, the limit: %v", lim, rep.Errors)
	}
	rep = validateFile(t, meta, `{"version":"1.1","releases":[`+ocdsReleaseOf(t, 400)+",\n  "+ocdsReleaseOf(t, lim+1)+`]}`)
	if p := findProblem(rep, "record_too_large"); p == nil || p.Row != 3 || !strings.Contains(p.Message.EN, "OCDS release") {
		t.Errorf("a release of %d bytes: %+v, want record_too_large at row 3", lim+1, rep.Errors)
	}
	// A package's other members are bounded alike.
	rep = validateFile(t, meta, `{"extensions":["`+strings.Repeat("x", lim+1)+`"],"releases":[]}`)
	if p := findProblem(rep, "record_too_large"); p == nil || p.Row != 1 {
		t.Errorf("a package member of %d bytes: %+v, want record_too_large", lim+1, rep.Errors)
	}
}

func TestCellLimit(t *testing.T) {
	lim := limit(t, docCell)
	csvFeed := func(n int) string {
		return budgetLineHeader + ",keterangan_lain\n" + budgetLineRow + "," + strings.Repeat("é", n/2) + strings.Repeat("x", n%2) + "\n"
	}
	jsonFeed := func(n int) string {
		return `[{"stage":"murni","agency_name":"Dinas","account_code":"5.1.02","account_name":"Belanja","amount":1,"keterangan_lain":"` + strings.Repeat("x", n) + `"}]`
	}
	xlsxFeed := func(n int) string {
		return string(readFile(t, writeWorkbook(t, inlineRows([]string{"stage", "agency_name", "account_code", "account_name", "amount", "keterangan_lain"},
			[]string{"murni", "Dinas", "5.1.02", "Belanja", "1", strings.Repeat("x", n)}), "", nil)))
	}
	for _, tc := range []struct {
		name string
		feed func(n int) string
	}{{"csv", csvFeed}, {"json", jsonFeed}, {"xlsx", xlsxFeed}} {
		t.Run(tc.name, func(t *testing.T) {
			rep := validateFile(t, bandung2024, tc.feed(lim))
			if !rep.OK() {
				t.Errorf("a cell of %d bytes, the limit: %v", lim, rep.Errors)
			}
			rep = validateFile(t, bandung2024, tc.feed(lim+1))
			p := findProblem(rep, "cell_too_large")
			if p == nil || p.Row != 2 || p.Column != "keterangan_lain" || !strings.Contains(p.Message.EN, groupDigits(int64(lim+1), ',')) {
				t.Fatalf("a cell of %d bytes: %+v, want cell_too_large at row 2, keterangan_lain", lim+1, rep.Errors)
			}
			if n := utf8.RuneCountInString(p.Value); n > limit(t, docShown)+clipRoom || !strings.HasSuffix(p.Value, "characters)") {
				t.Errorf("the report copies %d characters of the cell: %q", n, p.Value)
			}
		})
	}
}

func TestColumnLimit(t *testing.T) {
	lim := limit(t, docColumns)
	names := func(n int) []string {
		cols := strings.Split(budgetLineHeader, ",")
		for i := len(cols); i < n; i++ {
			cols = append(cols, fmt.Sprintf("catatan_%d", i))
		}
		return cols
	}
	values := func(n int) []string {
		vals := strings.Split(budgetLineRow, ",")
		for len(vals) < n {
			vals = append(vals, "x")
		}
		return vals
	}
	feeds := map[string]func(n int) string{
		"csv": func(n int) string {
			return strings.Join(names(n), ",") + "\n" + strings.Join(values(n), ",") + "\n"
		},
		"json": func(n int) string {
			obj := map[string]string{}
			for i, c := range names(n) {
				obj[c] = values(n)[i]
			}
			b, _ := json.Marshal([]any{obj})
			return string(b)
		},
		"xlsx": func(n int) string {
			return string(readFile(t, writeWorkbook(t, inlineRows(names(n), values(n)), "", nil)))
		},
	}
	for name, feed := range feeds {
		t.Run(name, func(t *testing.T) {
			rep := validateFile(t, bandung2024, feed(lim))
			if !rep.OK() || rep.Rows != 1 {
				t.Errorf("%d columns, the limit: %v", lim, rep.Errors)
			}
			rep = validateFile(t, bandung2024, feed(lim+1))
			if p := findProblem(rep, "too_many_columns"); p == nil || p.Row != 1 || !strings.Contains(p.Message.EN, strconv.Itoa(lim+1)) || len(rep.Warnings) > 0 {
				t.Errorf("%d columns: %v (and %d warnings), want too_many_columns at row 1 and nothing else", lim+1, rep.Errors, len(rep.Warnings))
			}
		})
	}
}

func TestRowLimit(t *testing.T) {
	lim := limit(t, docRows)
	// Rows of one cell under a header of five: each is an error of its own,
	// which costs little to find. The feed one row past the limit shows
	// both sides of it: every row up to the limit is read, the next one is
	// refused.
	feed := budgetLineHeader + "\n" + strings.Repeat("x\n", lim+1)
	rep, _ := validate(t, bandung2024, feed)
	p := findProblem(rep, "too_many_rows")
	if rep.Rows != int64(lim) || p == nil || p.Row != lim+2 || !strings.Contains(p.Message.EN, groupDigits(int64(lim), ',')) {
		t.Errorf("%d rows: %d read, then %+v; want %d read, then too_many_rows at row %d", lim+1, rep.Rows, p, lim, lim+2)
	}
}

// TestAccountRowLimit: an account-level feed, whose accounts are kept
// until the whole feed is read, stops at its own, lower limit.
func TestAccountRowLimit(t *testing.T) {
	lim := limit(t, docAccounts)
	if lim >= limit(t, docRows) {
		t.Fatalf("the account-level limit %d is not below the feed limit", lim)
	}
	feed := "stage,account_code,account_name,amount\n" + strings.Repeat("x\n", lim+1)
	rep, _ := validate(t, Meta{Dataset: "budget_accounts", Region: "32.73", Year: 2024}, feed)
	p := findProblem(rep, "too_many_rows")
	if rep.Rows != int64(lim) || p == nil || p.Row != lim+2 || !strings.Contains(p.Message.EN, groupDigits(int64(lim), ',')) {
		t.Errorf("%d rows: %d read, then %+v; want %d read, then too_many_rows at row %d", lim+1, rep.Rows, p, lim, lim+2)
	}
}

// allocated returns how many bytes f allocates in all.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// repeated reads as text head, then n bytes b, then tail.
func repeated(head string, b byte, n int64, tail string) io.Reader {
	block := &repeater{bytes.Repeat([]byte{b}, 32<<10)}
	return io.MultiReader(strings.NewReader(head), io.LimitReader(block, n), strings.NewReader(tail))
}

// repeater reads its block over and over.
type repeater struct{ block []byte }

func (r *repeater) Read(p []byte) (int, error) { return copy(p, r.block), nil }

// writeFeed writes r to a file and returns its path.
func writeFeed(t testing.TB, r io.Reader) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "feed")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, r); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHugeFeedsTakeLittleMemory reads feeds far past the limits, each
// made of one huge token, and checks they are refused having allocated a
// small part of their size: the limits hold while reading.
func TestHugeFeedsTakeLittleMemory(t *testing.T) {
	const huge = 32 << 20
	const bound = 24 << 20
	for _, tc := range []struct {
		name, code string
		path       func(t *testing.T) string
	}{
		{"CSV header line", "record_too_large", func(t *testing.T) string { return writeFeed(t, repeated("stage,", 'x', huge, "\n")) }},
		{"CSV cell", "record_too_large", func(t *testing.T) string {
			return writeFeed(t, repeated(budgetLineHeader+",catatan\n"+budgetLineRow+",", 'x', huge, "\n"))
		}},
		{"CSV open quote", "record_too_large", func(t *testing.T) string {
			return writeFeed(t, repeated(budgetLineHeader+"\n\"", 'x', huge, ""))
		}},
		{"CSV columns", "too_many_columns", func(t *testing.T) string {
			return writeFeed(t, strings.NewReader(strings.Repeat("x,", 100_000)+"x\n"))
		}},
		{"JSON string", "record_too_large", func(t *testing.T) string { return writeFeed(t, repeated(`[{"stage":"`, 'x', huge, `"}]`)) }},
		{"NDJSON key", "record_too_large", func(t *testing.T) string {
			return writeFeed(t, repeated(budgetObject+"\n"+`{"`, 'x', huge, `":1}`+"\n"))
		}},
		{"OCDS release", "record_too_large", func(t *testing.T) string {
			return writeFeed(t, repeated(`{"releases":[{"ocid":"`, 'x', huge, `"}]}`))
		}},
		{"XLSX shared string", "cell_too_large", func(t *testing.T) string { return bomb(t, huge) }},
		{"XLSX inline string", "record_too_large", func(t *testing.T) string {
			return writeWorkbook(t, "", "", func(zw *zip.Writer) {
				w, _ := zw.Create("xl/worksheets/sheet2.xml")
				io.Copy(w, repeated(`<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>`, 'a', huge, `</t></is></c></row></sheetData></worksheet>`))
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			meta := bandung2024
			if strings.HasPrefix(tc.name, "OCDS") {
				meta.Dataset = "procurement"
			}
			var rep Report
			n := allocated(func() {
				if err := ValidateFile(t.Context(), path, meta, dataset.LoadRegions(), &rep, func(dataset.Record) error { return nil }); err != nil {
					t.Fatal(err)
				}
			})
			if p := findProblem(&rep, tc.code); p == nil || len(rep.Errors) != 1 {
				t.Errorf("errors %v, want %s only", rep.Errors, tc.code)
			}
			if n > bound {
				t.Errorf("refusing it allocated %d MiB, want at most %d", n>>20, bound>>20)
			}
			t.Logf("refused as %s having allocated %d KiB", tc.code, n>>10)
			if b, _ := json.Marshal(rep); len(b) > 4096 {
				t.Errorf("the report is %d bytes: %.500s", len(b), b)
			}
		})
	}
}

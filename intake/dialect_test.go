package intake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/terbuka/terbuka/dataset"
)

// dialectFeed is one budget feed, with words Windows-1252 can hold.
const dialectFeed = `stage,agency_name,account_code,account_name,amount,description
murni,Dinas Kebudayaan dan Pariwisata,5.1.02.02.01.0003,Belanja Jasa Tenaga Ahli – Kurator,"25000000,00",Festival “Cap Go Meh” di Café Braga
murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja Alat Tulis Kantor,1500000,ATK sekolah
`

// to1252 encodes s in Windows-1252; the test's words all have a byte there.
func to1252(t *testing.T, s string) []byte {
	var out []byte
	for _, r := range s {
		switch {
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			out = append(out, byte(r))
		default:
			i := strings.IndexRune(string(win1252Runes[:]), r)
			if i < 0 {
				t.Fatalf("%q has no Windows-1252 byte", r)
			}
			out = append(out, 0x80+byte(utf8.RuneCountInString(string(win1252Runes[:])[:i])))
		}
	}
	return out
}

func TestDialectsGiveOnePartition(t *testing.T) {
	semicolon := strings.Replace(strings.ReplaceAll(dialectFeed, ",", ";"), `"25000000;00"`, "25.000.000,00", 1)
	tab := strings.NewReplacer(",", "\t").Replace(strings.Replace(dialectFeed, `"25000000,00"`, "25000000", 1))
	pipe := strings.NewReplacer(",", "|").Replace(strings.Replace(dialectFeed, `"25000000,00"`, "25000000", 1))
	aliases := strings.Replace(dialectFeed, "stage,agency_name,account_code,account_name,amount,description",
		"Tahap,Nama SKPD,KODE REKENING,Uraian,Nilai (Rp),Keterangan", 1)
	variants := map[string]struct {
		body     []byte
		encoding string
	}{
		"utf-8":                 {[]byte(dialectFeed), ""},
		"bom":                   {append([]byte("\ufeff"), dialectFeed...), ""},
		"crlf":                  {[]byte(strings.ReplaceAll(dialectFeed, "\n", "\r\n")), ""},
		"windows-1252 detected": {to1252(t, dialectFeed), ""},
		"windows-1252 declared": {to1252(t, dialectFeed), "windows-1252"},
		"semicolon, excel":      {to1252(t, strings.ReplaceAll(semicolon, "\n", "\r\n")), ""},
		"tab":                   {[]byte(tab), ""},
		"pipe":                  {[]byte(pipe), ""},
		"column aliases":        {[]byte(aliases), ""},
	}
	in := newConverter(t)
	partitions := map[string][]string{}
	for name, v := range variants {
		meta := Meta{Dataset: "budget", Region: "32.73", Year: 2024, Encoding: v.encoding}
		rep, part, err := in.Ingest(t.Context(), bytes.NewReader(v.body), meta)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || part == nil || rep.Rows != 2 {
			t.Errorf("%s: rows %d, errors %+v", name, rep.Rows, rep.Errors)
			continue
		}
		partitions[part.Path] = append(partitions[part.Path], name)
	}
	if len(partitions) != 1 {
		t.Errorf("variants of one feed gave %d partitions: %v", len(partitions), partitions)
	}
}

func TestEncodingErrors(t *testing.T) {
	// Valid UTF-8 for the first 64 KiB, then a Latin-1 byte: an error
	// that says where, never a silent replacement.
	long := "stage,agency_name,account_code,account_name,amount\n" +
		strings.Repeat("murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja Alat Tulis Kantor – ATK,1500000\n", 1000)
	bad := long + "murni,Dinas Caf\xe9,5.1.02.01.01.0024,Belanja,1\n"
	for _, tc := range []struct {
		name, feed, encoding, code string
		row                        int
		offset                     string
	}{
		{"invalid utf-8 after the sample", bad, "", "encoding_invalid", 1002, "not valid UTF-8"},
		{"undefined windows-1252 byte", "stage,amount\nmurni,1\x81\n", "", "encoding_invalid", 2, "byte 20 (0x81) is not valid Windows-1252"},
		{"utf-8 declared, not utf-8", "stage,amount\nmurni,caf\xe9\n", "utf-8", "encoding_invalid", 2, "byte 22 (0xE9) is not valid UTF-8"},
		{"unknown encoding", "stage,amount\n", "ebcdic", "encoding_unknown", 0, "ebcdic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := &Report{}
			err := Validate(t.Context(), strings.NewReader(tc.feed), Meta{Dataset: "budget", Region: "32.73", Year: 2024, Encoding: tc.encoding}, dataset.LoadRegions(), rep, func(dataset.Record) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Errors) == 0 {
				t.Fatal("no error")
			}
			p := rep.Errors[len(rep.Errors)-1]
			if p.Code != tc.code || p.Row != tc.row || !strings.Contains(p.Message.EN, tc.offset) {
				t.Errorf("problem = %+v, want code %s at row %d saying %q", p, tc.code, tc.row, tc.offset)
			}
		})
	}
	// The offset counts bytes from the start of the file.
	_, err := io.ReadAll(&utf8Check{r: strings.NewReader(bad)})
	var ee *EncodingError
	if !errors.As(err, &ee) || ee.Offset != int64(strings.Index(bad, "\xe9")) || ee.Byte != 0xE9 {
		t.Errorf("utf8Check error = %v, want offset %d", err, strings.Index(bad, "\xe9"))
	}
}

func TestSniffDelimiter(t *testing.T) {
	for line, want := range map[string]byte{
		"a,b,c":                ',',
		"a;b;c":                ';',
		"a\tb\tc":              '\t',
		"a|b|c":                '|',
		`"x;y;z",b,c`:          ',',
		"kode;nama, lengkap;n": ';',
		"single":               ',',
	} {
		if got := sniffDelimiter([]byte(line)); got != want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", line, got, want)
		}
	}
}

// TestReportListsEveryKindOfProblem checks that a large bad file's report
// counts every problem but lists a bounded number of each kind, so the
// rarer kinds are not crowded out.
func TestReportListsEveryKindOfProblem(t *testing.T) {
	var b strings.Builder
	b.WriteString("stage,agency_name,account_code,account_name,amount\n")
	for range 5000 {
		b.WriteString(`murni,Dinas,5.1.02.01.01.0024,Belanja,"12,5,0"` + "\n")
	}
	b.WriteString("murni,,5.1.02.01.01.0024,Belanja,1\n")
	rep := &Report{}
	if err := Validate(t.Context(), strings.NewReader(b.String()), Meta{Dataset: "budget", Region: "32.73", Year: 2024}, dataset.LoadRegions(), rep, func(dataset.Record) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if rep.ErrorCount != 5001 || len(rep.ErrorCodes) != 2 {
		t.Fatalf("counted %d errors by code %v; want 5,000 bad amounts and one missing agency", rep.ErrorCount, rep.ErrorCodes)
	}
	listed := map[string]int{}
	for _, p := range rep.Errors {
		listed[p.Code]++
	}
	for code, n := range rep.ErrorCodes {
		if listed[code] == 0 || listed[code] > perCodeListed || listed[code] > n {
			t.Errorf("code %s: %d counted, %d listed", code, n, listed[code])
		}
	}
}

// TestPrivacyGuard checks that personal data in columns Terbuka does not
// publish still rejects the feed, saying where, without repeating it.
func TestPrivacyGuard(t *testing.T) {
	const nik = "3273012505800007"
	procurement := Meta{Dataset: "procurement", Region: "32.73", Year: 2024}
	for _, tc := range []struct {
		name, feed string
		meta       Meta
		code, col  string
		row        int
	}{
		{"NIK in an unknown column", "stage,agency_name,account_code,account_name,amount,nik_bendahara\nmurni,Dinas,5.1.02,Belanja,1," + nik + "\n",
			Meta{Dataset: "budget", Region: "32.73", Year: 2024}, "privacy_nik", "nik_bendahara", 2},
		{"supplier address", "package_id,title,agency_name,method,budget_ceiling,alamat_penyedia\n1,Jalan,Dinas,tender,1,Jl. Mawar 3\n",
			procurement, "privacy_address", "alamat_penyedia", 1},
	} {
		rep := validateFile(t, tc.meta, tc.feed)
		if rep.OK() || rep.Errors[0].Code != tc.code || rep.Errors[0].Column != tc.col || rep.Errors[0].Row != tc.row {
			t.Errorf("%s: errors %+v, want %s in column %s row %d", tc.name, rep.Errors, tc.code, tc.col, tc.row)
		}
		for _, p := range rep.Errors {
			if strings.Contains(p.Value, nik) || strings.Contains(p.Message.EN, nik) {
				t.Errorf("%s: the report repeats the NIK", tc.name)
			}
		}
	}
	// An agency's office address is public, not personal.
	rep := validateFile(t, procurement, "package_id,title,agency_name,method,budget_ceiling,alamat_satker\n1,Jalan,Dinas,tender,1,Jl. Merdeka 1\n")
	if !rep.OK() {
		t.Errorf("agency address refused: %+v", rep.Errors)
	}
}

// TestExcelSerialDateVariant checks that dates written as Excel serials, as
// spreadsheets export them, give the partition ISO dates give.
func TestExcelSerialDateVariant(t *testing.T) {
	in := newConverter(t)
	meta := Meta{Dataset: "procurement", Region: "32.73", Year: 2024}
	feed := "package_id,title,agency_name,method,budget_ceiling,awarded_at,announced_at\n51554309,Jalan,Dinas,tender,1000000,%s,%s\n"
	var paths []string
	for _, dates := range [][2]string{{"2024-06-19", "2024-03-01 08:00:00"}, {"45462", "45352.333333333336"}, {"19/06/2024", "01/03/2024 08:00"}} {
		rep, part, err := in.Ingest(t.Context(), strings.NewReader(fmt.Sprintf(feed, dates[0], dates[1])), meta)
		if err != nil || !rep.OK() {
			t.Fatalf("%v: %v %+v", dates, err, rep.Errors)
		}
		paths = append(paths, part.Path)
	}
	if paths[0] != paths[1] || paths[1] != paths[2] {
		t.Errorf("date variants gave %v", paths)
	}
}

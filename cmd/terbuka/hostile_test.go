package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hostilePeakRSS is the most memory the server may have held at once
// after taking every hostile feed in.
const hostilePeakRSS = 300 << 20

// TestHostileFeeds pushes a running server feeds made to exhaust its
// memory: a workbook of 1 MB whose one cell unpacks to 0.9 GiB, a CSV
// header line of 60 MB, a CSV cell of 20 MB, a CSV of 100,000 columns, and
// one made to bloat its report, a cell of 512 KiB in a short record. Each
// must be refused within the client's timeout with a report, and a report
// page, that name the limit (docs/limits.md) without copying the file,
// having published nothing, while the server's peak memory stays small;
// then a normal feed still publishes.
func TestHostileFeeds(t *testing.T) {
	env := storageEnv(t, "dir")
	_, out := terbuka(t, env, "token", "create", "--region", "32.73", "--name", "BPKAD Kota Bandung")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]
	srv := startServeProcess(t, env)
	client := &http.Client{Timeout: 30 * time.Second}

	const header = "stage,agency_name,account_code,account_name,amount"
	for _, tc := range []struct {
		name string
		body func(t *testing.T) io.Reader
		code string
		says string // the limit, as the report's English message gives it
	}{
		{"workbook whose cell unpacks to 0.9 GiB", func(t *testing.T) io.Reader { return openFile(t, xlsxBomb(t, 900<<20)) },
			"cell_too_large", "larger than 1 MiB"},
		{"CSV header line of 60 MB", func(*testing.T) io.Reader { return repeat("stage,", 'x', 60<<20, "\n") },
			"record_too_large", "larger than 1 MiB"},
		{"CSV cell of 20 MB", func(*testing.T) io.Reader {
			return repeat(header+",catatan\nmurni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1500000,", 'x', 20<<20, "\n")
		}, "record_too_large", "larger than 1 MiB"},
		{"CSV of 100,000 columns", func(*testing.T) io.Reader {
			return strings.NewReader(header + strings.Repeat(",catatan", 100_000-5) + "\n")
		}, "too_many_columns", "more than the limit of 500"},
		{"CSV cell of 512 KiB", func(*testing.T) io.Reader {
			return repeat(header+",catatan\nmurni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1500000,", 'x', 512<<10, "\n")
		}, "cell_too_large", "more than the limit of 128 KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := pushFeed(t, client, srv.url, secret, tc.body(t))
			var rep struct {
				FeedID  string `json:"feed_id"`
				Status  string
				Release string
				Errors  []struct {
					Code      string
					MessageEN string `json:"message_en"`
				}
			}
			if err := json.Unmarshal(body, &rep); err != nil {
				t.Fatalf("push answered %d: %v\n%.2000s", status, err, body)
			}
			if status != http.StatusUnprocessableEntity && status != http.StatusRequestEntityTooLarge {
				t.Errorf("push answered %d, want 422 or 413\n%.2000s", status, body)
			}
			if rep.Status != "rejected" || rep.Release != "" || len(rep.Errors) != 1 || rep.Errors[0].Code != tc.code || !strings.Contains(rep.Errors[0].MessageEN, tc.says) {
				t.Errorf("report %s, release %q, errors %+v; want rejected with %s saying %q", rep.Status, rep.Release, rep.Errors, tc.code, tc.says)
			}
			if len(body) > 16<<10 {
				t.Errorf("the report is %d bytes", len(body))
			}
			page := getPage(t, client, srv.url+"feeds/"+rep.FeedID)
			if strings.Contains(page, strings.Repeat("x", 1000)) || !strings.Contains(page, tc.says) {
				t.Errorf("the report's page (%d bytes) copies the file, or does not say %q", len(page), tc.says)
			}
		})
	}

	peak := peakRSS(t, srv.pid)
	t.Logf("the server's peak RSS (VmHWM) after the hostile feeds: %.1f MiB", float64(peak)/(1<<20))
	if peak > hostilePeakRSS {
		t.Errorf("the server's peak RSS is %d MiB, want under %d MiB", peak>>20, hostilePeakRSS>>20)
	}

	status, body := pushFeed(t, client, srv.url, secret, strings.NewReader(goodBudget))
	if status != http.StatusCreated || !strings.Contains(string(body), `"status": "published"`) && !strings.Contains(string(body), `"status":"published"`) {
		t.Errorf("a normal feed after the hostile ones: %d %.2000s", status, body)
	}
	if !strings.Contains(string(body), `000001`) {
		t.Errorf("the normal feed is not the first release: the hostile ones published something: %.2000s", body)
	}
}

// pushFeed pushes body as Kota Bandung's 2024 budget and returns the
// answer. The client's timeout bounds how long the server may take.
func pushFeed(t *testing.T, client *http.Client, url, secret string, body io.Reader) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"api/v1/feeds?dataset=budget&year=2024", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatalf("read the push's answer: %v", err)
	}
	return resp.StatusCode, b
}

// getPage returns the page at url, which must answer 200.
func getPage(t *testing.T, client *http.Client, url string) string {
	t.Helper()
	resp, err := client.Get(url + "?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}

// served is a server started by startServeProcess.
type served struct {
	url string
	pid int
}

// startServeProcess is startServe, giving the server's process id too.
func startServeProcess(t *testing.T, env []string) served {
	t.Helper()
	cmd, url, _ := startServeCmd(t, env)
	return served{url: url, pid: cmd.Process.Pid}
}

// peakRSS is the most resident memory process pid has held (VmHWM).
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc to read the server's memory from: %v", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", v, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("/proc/%d/status has no VmHWM", pid)
	return 0
}

// repeat reads head, n bytes b, then tail, without holding them.
func repeat(head string, b byte, n int64, tail string) io.Reader {
	block := &repeater{bytes.Repeat([]byte{b}, 32<<10)}
	return io.MultiReader(strings.NewReader(head), io.LimitReader(block, n), strings.NewReader(tail))
}

// repeater reads its block over and over.
type repeater struct{ block []byte }

func (r *repeater) Read(p []byte) (int, error) { return copy(p, r.block), nil }

// xlsxBomb writes a workbook whose one shared string, used by its one
// cell, unpacks to n bytes (a multiple of 1 MiB) of 'a': a file of about
// n/1000 bytes, made without holding n bytes (see deflateRun).
func xlsxBomb(t *testing.T, n int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "apbd.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	for _, p := range []struct{ name, body string }{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook ` + ns + ` xmlns:r="` + rel + `"><sheets><sheet name="APBD" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="` + rel + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<worksheet ` + ns + `><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`},
	} {
		w, err := zw.Create(p.name)
		if err == nil {
			_, err = io.WriteString(w, p.body)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	fh := deflateRun(t, `<sst `+ns+` count="1" uniqueCount="1"><si><t>`, 'a', n, `</t></si></sst>`)
	fh.Name = "xl/sharedStrings.xml"
	w, err := zw.CreateRaw(&fh.FileHeader)
	if err == nil {
		_, err = w.Write(fh.data)
	}
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// rawPart is a zip entry's header and its compressed bytes.
type rawPart struct {
	zip.FileHeader
	data []byte
}

// deflateRun deflates head, n bytes b (a multiple of 1 MiB) and tail,
// without compressing the n bytes: once the window is full of b, each
// megabyte of b deflates, after a flush, to the same bytes, which are
// repeated. Compressing 0.9 GiB would take a second, and half a minute
// under the race detector.
func deflateRun(t *testing.T, head string, b byte, n int64, tail string) rawPart {
	t.Helper()
	const chunk = 1 << 20
	block := bytes.Repeat([]byte{b}, chunk)
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, flate.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	// flushed deflates p and returns what it came to.
	flushed := func(p []byte) []byte {
		out.Reset()
		fw.Write(p)
		fw.Flush()
		return bytes.Clone(out.Bytes())
	}
	first := flushed(append([]byte(head), block...))
	steady := flushed(block)
	if again := flushed(block); !bytes.Equal(again, steady) {
		t.Fatal("a megabyte of one byte does not deflate to the same bytes twice")
	}
	out.Reset()
	io.WriteString(fw, tail)
	fw.Close()
	data := append(first, bytes.Repeat(steady, int(n/chunk-1))...)
	data = append(data, out.Bytes()...)
	crc := crc32.Update(0, crc32.IEEETable, []byte(head))
	for range n / chunk {
		crc = crc32.Update(crc, crc32.IEEETable, block)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	return rawPart{FileHeader: zip.FileHeader{Method: zip.Deflate, CRC32: crc, CompressedSize64: uint64(len(data)),
		UncompressedSize64: uint64(len(head)) + uint64(n) + uint64(len(tail))}, data: data}
}

// openFile opens path for the test's length.
func openFile(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

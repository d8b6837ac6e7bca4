package site

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xuri/excelize/v2"

	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

func TestDownloads(t *testing.T) {
	env := newPushEnv(t, Config{})
	feed := "stage,agency_name,account_code,account_name,amount,description\n" +
		`murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,-5,"=HYPERLINK(""http://x"")"` + "\n" +
		"murni,Dinas Kesehatan,5.1.02.01.01.0026,Belanja Cetak,2500000,+62 cetak\n"
	status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", []byte(feed))
	if status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	release := rep["release"].(string)

	// latest redirects to the release's address, which is cached for good.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(env.ts.URL + "/downloads/latest/budget/32.73/2024.parquet")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := "/downloads/" + release + "/budget/32.73/2024.parquet"
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != want {
		t.Fatalf("latest = %d %s, want a redirect to %s", resp.StatusCode, resp.Header.Get("Location"), want)
	}

	// A range of the Parquet file, as DuckDB reads its footer.
	req, _ := http.NewRequest(http.MethodGet, env.ts.URL+want, nil)
	req.Header.Set("Range", "bytes=0-3")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	head, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	h := resp.Header
	if resp.StatusCode != http.StatusPartialContent || string(head) != "PAR1" || !strings.Contains(h.Get("Cache-Control"), "immutable") ||
		h.Get("Content-Disposition") != "attachment; filename=budget_32.73_2024.parquet" || h.Get("ETag") == "" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("range of the Parquet file = %d %q, headers %v", resp.StatusCode, head, h)
	}
	// The ETag answers conditional requests.
	req, _ = http.NewRequest(http.MethodGet, env.ts.URL+want, nil)
	req.Header.Set("If-None-Match", h.Get("ETag"))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match = %v %v", resp.StatusCode, err)
	}

	// The CSV: formulas neutralised in text, money still a number.
	rows, _ := getGzipCSV(t, env.ts.URL+"/downloads/"+release+"/budget/32.73/2024.csv.gz")
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if len(rows) != 3 {
		t.Fatalf("csv has %d rows", len(rows))
	}
	for _, r := range rows[1:] {
		if d := r[col["description"]]; strings.HasPrefix(d, "=") || strings.HasPrefix(d, "+") {
			t.Errorf("description %q is a live formula", d)
		}
	}
	// Rows are sorted by id, not in feed order: find the ATK row.
	atk := slices.IndexFunc(rows, func(r []string) bool { return r[col["account_code"]] == "5.1.02.01.01.0024" })
	if atk < 0 || rows[atk][col["amount"]] != "-5.00" {
		t.Errorf("ATK row %d: amount %q, want the number -5.00", atk, rows[max(atk, 0)][col["amount"]])
	}

	// Plain CSV, with a byte-order mark for Excel on request.
	for q, bom := range map[string]bool{"": false, "?bom=1": true} {
		r, body := get(t, env.ts.URL+"/downloads/"+release+"/budget/32.73/2024.csv"+q)
		if r.StatusCode != http.StatusOK || strings.HasPrefix(body, "\ufeff") != bom || !strings.HasPrefix(strings.TrimPrefix(body, "\ufeff"), "id,") {
			t.Errorf("csv%s = %d %q", q, r.StatusCode, body[:min(len(body), 40)])
		}
	}

	// NDJSON: money as exact numbers.
	resp, err = http.Get(env.ts.URL + "/downloads/" + release + "/budget/32.73/2024.ndjson.gz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("ndjson.gz = %v %v", resp.StatusCode, err)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(zr)
	dec.UseNumber()
	var found map[string]any
	for {
		var rec map[string]any
		if err := dec.Decode(&rec); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if rec["account_code"] == "5.1.02.01.01.0024" {
			found = rec
		}
	}
	resp.Body.Close()
	if found["amount"] != json.Number("-5.00") || found["region_code"] != "32.73" {
		t.Errorf("ATK NDJSON record: %v", found)
	}

	// XLSX: text cells are text, money is a number.
	resp, err = http.Get(env.ts.URL + "/downloads/" + release + "/budget/32.73/2024.xlsx")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("xlsx = %v %v", resp.StatusCode, err)
	}
	wb, err := excelize.OpenReader(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	xrows, _ := wb.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	xcol := map[string]int{}
	for i, h := range xrows[0] {
		xcol[h] = i
	}
	xatk := slices.IndexFunc(xrows, func(r []string) bool { return r[xcol["account_code"]] == "5.1.02.01.01.0024" })
	if xatk < 0 {
		t.Fatal("no ATK row in the workbook")
	}
	desc, _ := excelize.CoordinatesToCellName(xcol["description"]+1, xatk+1)
	amount, _ := excelize.CoordinatesToCellName(xcol["amount"]+1, xatk+1)
	if f, _ := wb.GetCellFormula("Sheet1", desc); f != "" {
		t.Errorf("description cell is the formula %q", f)
	}
	if typ, _ := wb.GetCellType("Sheet1", amount); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("amount cell has type %v, want a number", typ)
	}
	if v, _ := wb.GetCellValue("Sheet1", amount, excelize.Options{RawCellValue: true}); v != "-5" {
		t.Errorf("amount cell = %q, want -5", v)
	}

	for _, path := range []string{"/downloads/999999/budget/32.73/2024.parquet", "/downloads/" + release + "/budget/32.04/2024.parquet",
		"/downloads/" + release + "/budget/32.73/2024.exe", "/downloads/" + release + "/budget/32.73/x.parquet"} {
		if resp, _ := get(t, env.ts.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s = %d, want 404", path, resp.StatusCode)
		}
	}
}

// TestDatasetDownload checks a dataset's whole download holds every
// partition's rows, by region then year.
func TestDatasetDownload(t *testing.T) {
	env := newPushEnv(t, Config{})
	feed := "stage,agency_name,account_code,account_name,amount\nmurni,Dinas,5.1.02.01.01.0024,Belanja ATK,1000\n"
	for _, year := range []string{"2024", "2023"} {
		if status, rep, _ := env.push(t, "dataset=budget&year="+year, env.bandung, "text/csv", []byte(feed)); status != http.StatusCreated {
			t.Fatalf("push %s = %d %v", year, status, rep)
		}
	}
	rows, h := getGzipCSV(t, env.ts.URL+"/downloads/latest/budget.csv.gz")
	var years []string
	for _, r := range rows[1:] {
		years = append(years, r[4])
	}
	if strings.Join(years, ",") != "2023,2024" || !strings.Contains(h.Get("Content-Disposition"), "budget_") {
		t.Errorf("years %v, disposition %s", years, h.Get("Content-Disposition"))
	}
	// The whole dataset as plain CSV holds the same rows.
	plainResp, plain := get(t, env.ts.URL+"/downloads/latest/budget.csv")
	plainRows, err := csv.NewReader(strings.NewReader(plain)).ReadAll()
	if err != nil || plainResp.StatusCode != http.StatusOK || !strings.HasPrefix(plainResp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("budget.csv = %d %s: %v", plainResp.StatusCode, plainResp.Header.Get("Content-Type"), err)
	}
	if diff := cmp.Diff(plainRows, rows); diff != "" {
		t.Errorf("budget.csv and budget.csv.gz differ (-plain +gzip):\n%s", diff)
	}
	if r, _ := get(t, env.ts.URL+"/downloads/latest/budget.parquet"); r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/vnd.apache.parquet" {
		t.Errorf("budget.parquet = %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if r, _ := get(t, env.ts.URL+"/downloads/latest/pajak.parquet"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown dataset = %d", r.StatusCode)
	}
}

// TestPresignedDownload checks that on S3, with PresignDownloads, a
// download redirects to a presigned URL of the bucket that serves the file.
func TestPresignedDownload(t *testing.T) {
	env := newPushEnvOn(t, storetest.S3(t), Config{PresignDownloads: true})
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget); status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	live, _ := env.pub.Current(t.Context())
	resp, err := noFollow.Get(env.ts.URL + "/downloads/" + live.ID + "/budget/32.73/2024.parquet")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.Contains(loc, "X-Amz-Signature") || strings.HasPrefix(loc, env.ts.URL) {
		t.Fatalf("download = %d %s, want a redirect to a presigned S3 URL", resp.StatusCode, loc)
	}
	resp, err = http.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	p, _ := live.Partition(publisher.PartitionKey("budget", "32.73", 2024))
	if resp.StatusCode != http.StatusOK || int64(len(b)) != p.Bytes || string(b[:4]) != "PAR1" || !strings.Contains(resp.Header.Get("Content-Disposition"), "budget_32.73_2024.parquet") {
		t.Errorf("presigned URL = %d, %d bytes, disposition %q", resp.StatusCode, len(b), resp.Header.Get("Content-Disposition"))
	}
}

// getGzipCSV downloads a gzipped CSV and returns its rows and headers.
// TestContentDisposition checks that a download's file name survives
// quotes and non-ASCII letters (RFC 2231), as mime.ParseMediaType reads it.
func TestContentDisposition(t *testing.T) {
	st := storetest.Dir(t)
	if _, err := st.Put(t.Context(), "f.csv", strings.NewReader("a,b\n"), 4, store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: Config{Store: st}}
	tests := []struct{ name, filename, want string }{
		{"token", "budget_32.73_2024.csv", "attachment; filename=budget_32.73_2024.csv"},
		{"space", "APBD 2024.csv", `attachment; filename="APBD 2024.csv"`},
		{"quote", `apbd "murni".csv`, `attachment; filename="apbd \"murni\".csv"`},
		{"non-ASCII", "anggaran–2024.csv", "attachment; filename*=utf-8''anggaran%E2%80%932024.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := s.serveObject(rec, httptest.NewRequest("GET", "/", nil), "f.csv", tt.filename, "text/csv", ""); err != nil {
				t.Fatal(err)
			}
			got := rec.Header().Get("Content-Disposition")
			if got != tt.want {
				t.Errorf("Content-Disposition = %s, want %s", got, tt.want)
			}
			if _, params, err := mime.ParseMediaType(got); err != nil || params["filename"] != tt.filename {
				t.Errorf("read back as %q, %v; want %q", params["filename"], err, tt.filename)
			}
		})
	}
}

func getGzipCSV(t *testing.T, url string) ([][]string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s = %v %v", url, resp.StatusCode, err)
	}
	defer resp.Body.Close()
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows, resp.Header
}

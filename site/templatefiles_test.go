package site

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/publisher"
)

// expectedTemplateColumns are the columns a region sends, worked out from
// the schema apart from templateColumns: every field Terbuka does not
// compute, in schema order, but the region code and the year, which the
// push gives.
func expectedTemplateColumns(s *dataset.Schema) []string {
	var cols []string
	for _, f := range s.Fields {
		if !f.Derived && f.Name != "region_code" && f.Name != "fiscal_year" {
			cols = append(cols, f.Name)
		}
	}
	return cols
}

// templateHeader reads the header row of a downloaded template.
func templateHeader(t *testing.T, ext string, body []byte) []string {
	t.Helper()
	if ext == "csv" {
		text, ok := bytes.CutPrefix(body, []byte("\ufeff"))
		if !ok {
			t.Error("the CSV template has no byte order mark: Excel would read it in the Windows code page")
		}
		rows, err := csv.NewReader(bytes.NewReader(text)).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("CSV template: %d rows, %v; want a header and one example row", len(rows), err)
		}
		// Every column shows how its values are written.
		for i, v := range rows[1] {
			if v == "" {
				t.Errorf("the example row leaves %s empty", rows[0][i])
			}
		}
		return rows[0]
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) != 2 {
		t.Fatalf("XLSX template: %d rows, %v; want a header and one example row", len(rows), err)
	}
	return rows[0]
}

// downloadTemplate gets a template over HTTP and checks how it is served.
func downloadTemplate(t *testing.T, base, name, ext string) []byte {
	t.Helper()
	resp, body := get(t, base+"/datasets/"+name+"/template."+ext)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET template.%s = %d %s", ext, resp.StatusCode, body)
	}
	if want := `attachment; filename="templat_` + name + `.` + ext + `"`; resp.Header.Get("Content-Disposition") != want {
		t.Errorf("Content-Disposition = %q, want %q", resp.Header.Get("Content-Disposition"), want)
	}
	if resp.Header.Get("ETag") == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "public") {
		t.Errorf("template.%s is not cacheable: ETag %q, Cache-Control %q", ext, resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
	}
	return []byte(body)
}

var templateTypes = map[string]string{"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

// TestTemplatesValidate downloads the CSV and Excel templates of every
// dataset, checks their columns, and pushes each as downloaded, its
// example row in it, through the push API as a check (dry_run=1) with a
// token of the region the examples are of: each must come back checked,
// with no error and no warning. One is then sent for real, and publishes.
func TestTemplatesValidate(t *testing.T) {
	env := newPushEnv(t, Config{})
	secret, _, err := env.tokens.Create(t.Context(), templateRegion, "template test")
	if err != nil {
		t.Fatal(err)
	}
	year := "2024"
	if templateYear != 2024 {
		t.Fatalf("the examples are of %d; this test pushes them for %s", templateYear, year)
	}
	for _, sc := range dataset.All() {
		for _, ext := range []string{"csv", "xlsx"} {
			t.Run(sc.Name+"."+ext, func(t *testing.T) {
				body := downloadTemplate(t, env.ts.URL, sc.Name, ext)
				if diff := cmp.Diff(templateHeader(t, ext, body), expectedTemplateColumns(sc)); diff != "" {
					t.Errorf("header (-got +want):\n%s", diff)
				}
				status, rep, _ := env.push(t, "dataset="+sc.Name+"&year="+year+"&dry_run=1", secret, templateTypes[ext], body)
				if status != http.StatusOK || rep["status"] != intake.StatusChecked || rep["error_count"] != 0.0 || rep["warning_count"] != 0.0 || rep["rows"] != 1.0 {
					t.Errorf("the template as a check = %d: status %v, %v errors %v, %v warnings %v, %v rows",
						status, rep["status"], rep["error_count"], rep["errors"], rep["warning_count"], rep["warnings"], rep["rows"])
				}
			})
		}
	}
	if live, err := env.pub.Current(t.Context()); err == nil {
		t.Fatalf("the checks published release %s", live.ID)
	}

	body := downloadTemplate(t, env.ts.URL, "budget", "xlsx")
	status, rep, _ := env.push(t, "dataset=budget&year="+year, secret, templateTypes["xlsx"], body)
	if status != http.StatusCreated || rep["status"] != intake.StatusPublished {
		t.Fatalf("the budget template sent for real = %d %v", status, rep)
	}
	live, err := env.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := live.Partition(publisher.PartitionKey("budget", templateRegion, templateYear)); !ok || p.Rows != 1 {
		t.Errorf("release %s: budget partition %+v, %v; want the example row", live.ID, p, ok)
	}
}

// TestTemplateRefusals: no template of a dataset that does not exist,
// nor of another extension.
func TestTemplateRefusals(t *testing.T) {
	env := newPushEnv(t, Config{})
	for path, want := range map[string]int{
		"/datasets/nope/template.csv":   http.StatusNotFound,
		"/datasets/budget/template.ods": http.StatusNotFound,
		"/datasets/budget/template.csv": http.StatusOK,
	} {
		if resp, body := get(t, env.ts.URL+path); resp.StatusCode != want {
			t.Errorf("GET %s = %d %.200s, want %d", path, resp.StatusCode, body, want)
		}
	}
	_, page := get(t, env.ts.URL+"/datasets/budget")
	for _, link := range []string{`href="/datasets/budget/template.xlsx"`, `href="/datasets/budget/template.csv"`} {
		if !strings.Contains(page, link) {
			t.Errorf("the dataset page has no link %s", link)
		}
	}
}

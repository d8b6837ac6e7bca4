package intake

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/internal/testfiles"
)

func TestJSONFeedsGiveTheCSVPartition(t *testing.T) {
	in := newConverter(t)
	meta := Meta{Dataset: "budget", Region: "32.73", Year: 2024}
	csvFeed := "stage,agency_name,account_code,account_name,amount\n" +
		"murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja Alat Tulis Kantor,1500000.50\n" +
		"murni,Dinas Kesehatan,5.1.02.01.01.0026,Belanja Bahan Cetak,2500000\n"
	array := `[{"stage":"murni","agency_name":"Dinas Pendidikan","account_code":"5.1.02.01.01.0024","account_name":"Belanja Alat Tulis Kantor","amount":1500000.50},
	 {"account_name":"Belanja Bahan Cetak","stage":"murni","agency_name":"Dinas Kesehatan","account_code":"5.1.02.01.01.0026","amount":"2500000"}]`
	lines := `{"stage":"murni","agency_name":"Dinas Pendidikan","account_code":"5.1.02.01.01.0024","account_name":"Belanja Alat Tulis Kantor","amount":1500000.50}
{"stage":"murni","agency_name":"Dinas Kesehatan","account_code":"5.1.02.01.01.0026","account_name":"Belanja Bahan Cetak","amount":2500000}
`
	var paths []string
	for _, v := range []struct{ name, body string }{{"csv", csvFeed}, {"json array", array}, {"ndjson", lines}} {
		rep, part, err := in.Ingest(t.Context(), strings.NewReader(v.body), meta)
		if err != nil || !rep.OK() || rep.Rows != 2 {
			t.Fatalf("%s: %v rows %d %+v", v.name, err, rep.Rows, rep.Errors)
		}
		if v.name != "csv" && part.Ext != ".json" {
			t.Errorf("%s kept as %q", v.name, part.Ext)
		}
		paths = append(paths, part.Path)
	}
	if paths[0] != paths[1] || paths[1] != paths[2] {
		t.Errorf("CSV, JSON and NDJSON gave partitions %v", paths)
	}
}

const budgetObject = `{"stage":"murni","agency_name":"Dinas","account_code":"5.1.02","account_name":"Belanja","amount":1}`

func TestJSONFeedRefusals(t *testing.T) {
	for _, tc := range []struct{ name, feed, says string }{
		{"nested", `[{"stage":"murni","amount":{"value":1}}]`, "flatten"},
		{"other keys", `[` + budgetObject + `,{"stage":"murni","amonut":1}]`, `key "amonut"`},
		{"broken", `[` + budgetObject + `,{"stage":`, "object 2"},
		{"not an array of objects", `[1,2]`, "expected a JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := validateFile(t, Meta{Dataset: "budget", Region: "32.73", Year: 2024}, tc.feed)
			if rep.OK() || !strings.Contains(rep.Errors[len(rep.Errors)-1].Message.EN, tc.says) {
				t.Errorf("errors %+v, want one saying %q", rep.Errors, tc.says)
			}
		})
	}
}

func validateFile(t *testing.T, meta Meta, body string) *Report {
	t.Helper()
	path := filepath.Join(t.TempDir(), "feed")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := &Report{}
	if err := ValidateFile(t.Context(), path, meta, dataset.LoadRegions(), rep, func(dataset.Record) error { return nil }); err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestOCDSPackages(t *testing.T) {
	release := map[string]any{
		"ocid": "ocds-abc123-2024-0001", "date": "2024-06-19T10:00:00+07:00",
		"buyer":    map[string]any{"name": "Dinas Pekerjaan Umum dan Penataan Ruang"},
		"planning": map[string]any{"budget": map[string]any{"amount": map[string]any{"amount": 2309880000, "currency": "IDR"}}},
		"tender": map[string]any{"id": "4528194", "title": "Pembangunan Jalan Desa Cibiru", "status": "complete",
			"procurementMethod": "open", "mainProcurementCategory": "works", "numberOfTenderers": 7,
			"value": map[string]any{"amount": 2200000000, "currency": "IDR"}, "tenderPeriod": map[string]any{"startDate": "2024-03-01T08:00:00+07:00"}},
		"awards":    []any{map[string]any{"date": "2024-06-19T10:00:00+07:00", "suppliers": []any{map[string]any{"name": "PT Karya Jalan Nusantara"}}, "value": map[string]any{"amount": 2029932492.5, "currency": "IDR"}}},
		"contracts": []any{map[string]any{"dateSigned": "2024-07-01T09:00:00+07:00", "value": map[string]any{"amount": 2029932492.5, "currency": "IDR"}}},
	}
	releases, _ := json.Marshal(map[string]any{"uri": "https://example.org", "version": "1.1", "releases": []any{release}})
	records, _ := json.Marshal(map[string]any{"version": "1.1", "records": []any{map[string]any{"ocid": "ocds-abc123-2024-0001", "compiledRelease": release}}})
	meta := Meta{Dataset: "procurement", Region: "32.73", Year: 2024}
	in := newConverter(t)
	var paths []string
	for _, v := range []struct {
		name string
		body []byte
	}{{"release package", releases}, {"record package", records}} {
		rep, part, err := in.Ingest(t.Context(), strings.NewReader(string(v.body)), meta)
		if err != nil || !rep.OK() || rep.Rows != 1 {
			t.Fatalf("%s: %v %+v", v.name, err, rep.Errors)
		}
		paths = append(paths, part.Path)
	}
	if paths[0] != paths[1] {
		t.Errorf("release and record package gave %v", paths)
	}
	// The fictional OCDS example is in pounds: refused, saying so.
	b, err := os.ReadFile(filepath.Join(testfiles.SharedData(t), "ocds", "fictional-example-1.1", "ocds-213czf-000-00001.json"))
	if err != nil {
		t.Fatal(err)
	}
	rep := validateFile(t, meta, string(b))
	if rep.OK() || rep.Errors[0].Code != "currency" || !strings.Contains(rep.Errors[0].Value, "GBP") {
		t.Errorf("GBP package: %+v", rep.Errors)
	}
	if rep := validateFile(t, Meta{Dataset: "budget", Region: "32.73", Year: 2024}, string(releases)); rep.OK() || rep.Errors[0].Code != "ocds_dataset" {
		t.Errorf("OCDS as budget: %+v", rep.Errors)
	}
}

// TestEverySharedFile feeds every file of the real reference data to the
// validator as the dataset it looks like: each is taken or refused with
// reasons, none crashes or hangs.
func TestEverySharedFile(t *testing.T) {
	data := testfiles.SharedData(t)
	taken, refused := 0, 0
	for _, dir := range []string{"indonesia", "ocds"} {
		err := filepath.WalkDir(filepath.Join(data, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			ds := "procurement"
			switch {
			case strings.Contains(path, "apbd"), strings.Contains(path, "dana-desa"):
				ds = "budget"
			case strings.Contains(path, "pajak"), strings.Contains(path, "bapenda"):
				ds = "revenue"
			}
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			rep := &Report{}
			if err := ValidateFile(ctx, path, Meta{Dataset: ds, Region: "32.73", Year: 2024}, dataset.LoadRegions(), rep, func(dataset.Record) error { return nil }); err != nil {
				t.Errorf("%s: %v", path, err)
				return nil
			}
			if rep.OK() {
				taken++
				return nil
			}
			refused++
			for _, p := range rep.Errors {
				if p.Code == "" || p.Message.ID == "" || p.Message.EN == "" {
					t.Errorf("%s: a problem without code or reasons: %+v", path, p)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d files taken, %d refused with reasons", taken, refused)
	if taken+refused < 500 {
		t.Errorf("only %d files checked", taken+refused)
	}
}

func FuzzValidateJSON(f *testing.F) {
	f.Add(`[` + budgetObject + `]`)
	f.Add(budgetObject + "\n" + budgetObject + "\n")
	f.Add(`{"version":"1.1","releases":[{"ocid":"ocds-x-1","tender":{"title":"Jalan","value":{"amount":1,"currency":"IDR"}}}]}`)
	f.Add(`{"records":[{"ocid":"ocds-x-1","releases":[]}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, ds := range []string{"budget", "procurement"} {
			rep := validateFile(t, Meta{Dataset: ds, Region: "32.73", Year: 2024}, body)
			for _, p := range rep.Errors {
				if p.Code == "" || p.Message.EN == "" {
					t.Fatalf("problem without code or message: %+v", p)
				}
			}
		}
	})
}

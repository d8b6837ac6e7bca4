package intake

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/terbuka/terbuka/dataset"
)

// TestReportMasksIDs checks that a report, which is public, never repeats
// a NIK or an NPWP in full: not in a problem's value, column or message,
// whether the problem comes from validation or from a report kept before
// problems were masked.
func TestReportMasksIDs(t *testing.T) {
	ids := []string{"3273011203900010", "3273011203900011", "3273011203900012", "092542943407002", "3273011203900013", "3273011203900014"}
	feed := "package_id,title,agency_name,method,budget_ceiling,bidder_count,awarded_at,supplier_tax_id,nik_pptk\n" +
		"1,Jalan,Dinas,tender,3273-0112-0390-0010,09.254.294.3-407.002,32.73.01.120390.0011,NIK 3273 0112 0390 0012,-\n" +
		"2,Jembatan,Dinas,tender,1000,1,,,3273.0112.0390.0013\n"
	rep := validateFile(t, Meta{Dataset: "procurement", Region: "32.73", Year: 2024}, feed)
	codes := map[string]int{}
	for _, p := range rep.Errors {
		codes[p.Code]++
	}
	if want := map[string]int{"money": 1, "integer": 1, "date": 1, "pattern": 1, "privacy_nik": 1}; !maps.Equal(codes, want) {
		t.Errorf("error codes %v, want %v", codes, want)
	}

	// A report written before problems were masked is masked as it is read.
	old := `{"feed_id":"x","errors":[{"row":2,"column":"nik 3273 0112 0390 0014","value":"3273-0112-0390-0010","code":"money","message_id":"a","message_en":"b"}],"warnings":[]}`
	var kept Report
	if err := json.Unmarshal([]byte(old), &kept); err != nil {
		t.Fatal(err)
	}
	rep.Errors = append(rep.Errors, kept.Errors...)

	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	digits := strings.NewReplacer(" ", "", ".", "", "-", "").Replace(string(b))
	for _, id := range ids {
		if strings.Contains(digits, id) {
			t.Errorf("the report repeats %s: %s", id, b)
		}
	}
	if n := strings.Count(string(b), dataset.MaskedValue); n < 6 {
		t.Errorf("the report shows %s %d times, want every id masked where it was: %s", dataset.MaskedValue, n, b)
	}
}

// TestReportClipsValues checks that a report, and so its public page,
// copies no huge value: values, column names, messages and the file name
// are clipped, and stay clipped when read back.
func TestReportClipsValues(t *testing.T) {
	shown := limit(t, docShown)
	huge := strings.Repeat("é", 1_000_000)
	rep := &Report{File: strings.Repeat("berkas-", 1000) + ".csv"}
	rep.AddError(Problem{Row: 2, Column: strings.Repeat("kolom ", 100), Value: huge, Code: "money", Message: dataset.Label{ID: "x " + huge, EN: "y " + huge}})
	p := rep.Errors[0]
	want := strings.Repeat("é", shown) + "… (1.000.000 karakter / characters)"
	if p.Value != want {
		t.Errorf("the value is listed as %.300q…, want %q", p.Value, want)
	}
	if got := clip(p.Value, shown); got != p.Value {
		t.Errorf("a clipped value is clipped again: %q", got)
	}
	if utf8.RuneCountInString(p.Column) > shown+clipRoom || utf8.RuneCountInString(p.Message.EN) > limit(t, docMessage)+clipRoom {
		t.Errorf("column %q or message %.100q… not clipped", p.Column, p.Message.EN)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 8<<10 {
		t.Errorf("the report is %d bytes", len(b))
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(back.File, "(7.004 karakter / characters)") || utf8.RuneCountInString(back.File) > shown+clipRoom {
		t.Errorf("the file name is kept as %q", back.File)
	}
	// A report kept before values were clipped is clipped as it is read.
	old, _ := json.Marshal(map[string]any{"file": rep.File, "errors": []map[string]any{{"row": 2, "value": huge, "code": "money"}}})
	if err := json.Unmarshal(old, &back); err != nil {
		t.Fatal(err)
	}
	if back.Errors[0].Value != want || utf8.RuneCountInString(back.File) > shown+clipRoom {
		t.Errorf("a kept report reads back with a value of %d bytes and file %q", len(back.Errors[0].Value), back.File)
	}
	if got := clip(strings.Repeat("x", shown+clipRoom), shown); len(got) != shown+clipRoom {
		t.Errorf("a value just over %d characters is clipped to %q", shown, got)
	}
	if !bytes.Contains(b, []byte(`"file":"berkas-berkas-`)) {
		t.Errorf("the file name is missing: %s", b)
	}
}

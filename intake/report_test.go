package intake

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

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

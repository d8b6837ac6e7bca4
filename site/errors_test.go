package site

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"testing"
)

// internals are what a response must never show: store keys, file paths,
// and the text of wrapped Go errors.
var internals = regexp.MustCompile(`feeds/[0-9a-f]{20}\.json|releases/\d{6}\.json|data/(budget|procurement|revenue)/year=|downloads/(budget|procurement|revenue)/|/tmp/|/work/|terbuka-\w+-|: not found|no such file|unexpected EOF|invalid character|json: |strconv\.|%!`)

// TestErrorsTellNoInternals asks for an unknown feed, release and download
// and pushes malformed JSON: every answer says what is wrong in the
// user's words, with the internal cause only in the log.
func TestErrorsTellNoInternals(t *testing.T) {
	env := newPushEnv(t, Config{})
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget); status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	for _, path := range []string{
		"/api/v1/feeds/0123456789abcdef0123", "/feeds/0123456789abcdef0123", "/api/v1/feeds/nope",
		"/releases/000099.json", "/releases/000099", "/releases/000099/changes.json", "/releases/000099/changes.csv",
		"/downloads/000099/budget/32.73/2024.csv", "/downloads/000001/budget/32.73/2031.parquet", "/downloads/000001/pajak.parquet",
		"/api/v1/regions/99.99", "/api/v1/search?year=20x4", "/api/v1/search?min=12,5,0", "/data/budget/32.73/2024/ffffffffffffffff",
	} {
		resp, body := get(t, env.ts.URL+path)
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("%s = %d, want 4xx", path, resp.StatusCode)
		}
		if m := internals.FindString(body); m != "" {
			t.Errorf("%s (%d) shows %q:\n%.400s", path, resp.StatusCode, m, body)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, env.ts.URL+"/api/v1/feeds?dataset=budget&year=2024", bytes.NewReader([]byte(`[{"stage": "murni", "amount": `)))
	req.Header.Set("Authorization", "Bearer "+env.bandung)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("malformed JSON push = %d, want 422:\n%s", resp.StatusCode, b)
	}
	if m := internals.FindString(string(b)); m != "" {
		t.Errorf("malformed JSON push shows %q:\n%.600s", m, b)
	}
}

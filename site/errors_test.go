package site

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store/storetest"
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
		"/api/3/action/package_show?id=pajak", "/api/3/action/resource_show?id=budget-99.99-2024-csv",
		"/api/3/action/datastore_search?resource_id=budget&filters=%7B", "/api/3/action/datastore_search?resource_id=budget&limit=x",
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

// TestFailureNamesItsRequest fails a handler as Terbuka can fail (a disk, a
// store): the page says something went wrong and shows the request id the
// answer's header carries, the log has the cause under that id, and the
// cause's text is not on the page.
func TestFailureNamesItsRequest(t *testing.T) {
	var logged bytes.Buffer
	srv, err := New(Config{Publisher: publisher.New(storetest.Dir(t), quiet), Regions: dataset.LoadRegions(), Log: slog.New(slog.NewJSONHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv.router.Handle("/gagal", srv.page(func(http.ResponseWriter, *http.Request) error {
		return fmt.Errorf("write /tmp/terbuka-part-1.parquet: %w", syscall.ENOSPC)
	}))
	for _, tc := range []struct{ sent, want string }{
		{"", ""},                             // made here
		{"req-0123456789", "req-0123456789"}, // a proxy's
		{"<script>alert(1)</script>", ""},    // not an id
	} {
		req := httptest.NewRequest(http.MethodGet, "/gagal", nil)
		if tc.sent != "" {
			req.Header.Set("X-Request-Id", tc.sent)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		id := rec.Header().Get("X-Request-Id")
		// A full disk is 507: a failure of Terbuka's all the same.
		if rec.Code != http.StatusInsufficientStorage || id == "" || tc.want != "" && id != tc.want || tc.want == "" && id == tc.sent {
			t.Fatalf("sent id %q: status %d, id %q", tc.sent, rec.Code, id)
		}
		body := rec.Body.String()
		if !strings.Contains(body, "<code>"+id+"</code>") {
			t.Errorf("the page does not show request id %s:\n%s", id, body)
		}
		if m := internals.FindString(body); m != "" || strings.Contains(body, "no space") {
			t.Errorf("the page shows the cause (%q):\n%s", m, body)
		}
		if !strings.Contains(logged.String(), `"request_id":"`+id+`"`) || !strings.Contains(logged.String(), "no space left on device") {
			t.Errorf("the log lacks the cause under request id %s:\n%s", id, logged.String())
		}
	}
}

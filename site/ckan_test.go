package site

import (
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/internal/testfiles"
)

// TestCKANGolden pins the CKAN Action API answers, in CKAN's shapes, on a
// portal with the fixture feeds published (Kota Bandung's budget and
// procurement). What follows the Parquet library, the files' hashes and
// sizes, is masked.
func TestCKANGolden(t *testing.T) {
	e := newCacheEnv(t)
	host := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	hash := regexp.MustCompile(`"sha256:[0-9a-f]{64}"`)
	size := regexp.MustCompile(`"size": \d+`)
	for _, tc := range []struct {
		name, path string
		status     int
	}{
		{"package_list", "package_list", 200},
		{"package_show", "package_show?id=procurement", 200},
		{"package_search", "package_search?q=pengadaan&facet.field=" + url.QueryEscape(`["tags"]`), 200},
		{"datastore_search", "datastore_search?resource_id=procurement&q=jalan", 200},
		{"datastore_search_filters", "datastore_search?resource_id=budget&filters=" + url.QueryEscape(`{"region_code":"32.73","stage":"murni"}`) + "&sort=" + url.QueryEscape("amount desc") + "&fields=account_code,amount&limit=1", 200},
		{"datastore_search_sort", "datastore_search?resource_id=procurement-32.73-2024-parquet&sort=" + url.QueryEscape("budget_ceiling asc") + "&fields=package_id,title,budget_ceiling,contract_value", 200},
		{"organization_list", "organization_list?all_fields=true", 200},
		{"organization_show", "organization_show?id=32.73", 200},
		{"status_show", "status_show", 200},
		{"package_show_unknown", "package_show?id=pajak", 404},
		{"resource_show_unknown", "resource_show?id=budget-99.99-2024-csv", 404},
		{"organization_show_unknown", "organization_show?id=99.99", 404},
		{"unknown_action", "group_list", 400},
		{"bad_filters", "datastore_search?resource_id=budget&filters=x", 409},
		{"bad_sort", "datastore_search?resource_id=procurement&sort=" + url.QueryEscape("title desc"), 409},
		{"datastore_search_detail", "datastore_search?resource_id=procurement_bids", 409},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, e.ts.URL+"/api/3/action/"+tc.path)
			if resp.StatusCode != tc.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			body = host.ReplaceAllString(body, "http://HOST")
			body = hash.ReplaceAllString(body, `"sha256:…"`)
			body = size.ReplaceAllString(body, `"size": "…"`)
			testfiles.Golden(t, filepath.Join("testdata", "ckan_"+tc.name+".json"), body)
		})
	}
	_ = http.StatusOK
}

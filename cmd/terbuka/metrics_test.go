package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/metrics/metricstest"
)

var metricsLine = regexp.MustCompile(`Terbuka serves metrics at (http://\S+/metrics)`)

// publishOneRegion generates a small region's feeds and publishes them
// with run.
func publishOneRegion(t *testing.T, env []string) {
	t.Helper()
	feeds := t.TempDir()
	if code, out := terbuka(t, nil, "generate", "--out", feeds, "--regions", "1", "--years", "2024", "--scale", "0.2"); code != 0 {
		t.Fatalf("generate: %s", out)
	}
	files, _ := filepath.Glob(filepath.Join(feeds, "*.csv"))
	if code, out := terbuka(t, env, append([]string{"run"}, files...)...); code != 0 {
		t.Fatalf("run: %s", out)
	}
}

// TestCLIServeMetricsAddr: with TERBUKA_METRICS_ADDR, serve answers
// /metrics on that address and not on the portal's, and what it shows
// moves with the portal's requests and the index following the release.
func TestCLIServeMetricsAddr(t *testing.T) {
	env := storageEnv(t, "dir")
	publishOneRegion(t, env)
	portal, log := startServeLogged(t, append(env, "TERBUKA_METRICS_ADDR=127.0.0.1:0"))
	m := metricsLine.FindStringSubmatch(log.matching("Terbuka serves metrics at"))
	if m == nil {
		t.Fatalf("serve did not say where its metrics are:\n%s", log.matching(""))
	}
	metricsURL := m[1]
	for _, path := range []string{"metrics", "api/v1/search?q=jalan"} {
		resp, err := http.Get(portal + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := map[string]int{"metrics": http.StatusNotFound}[path]; want != 0 && resp.StatusCode != want {
			t.Errorf("portal %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
	testfiles.Eventually(t, 30*time.Second, "release 000001 live and indexed", func() error {
		got := metricstest.Scrape(t, metricsURL)
		live, indexed := got.Value("terbuka_release_live"), got.Value("terbuka_release_indexed")
		if live != 1 || indexed != 1 || got.Value("terbuka_index_lag_releases") != 0 {
			return fmt.Errorf("live %v, indexed %v", live, indexed)
		}
		return nil
	})
	got := metricstest.Scrape(t, metricsURL)
	for _, c := range []struct {
		labels []string
		want   float64
	}{
		{[]string{"route", "unmatched", "code", "404"}, 1}, // the portal's /metrics
		{[]string{"route", "/api/v1/search", "code", "200"}, 1},
		{[]string{"route", "/metrics", "code", "200"}, 0}, // scrapes are not the portal's
	} {
		if v := got.Value("terbuka_http_requests_total", c.labels...); v != c.want {
			t.Errorf("terbuka_http_requests_total%v = %v, want %v", c.labels, v, c.want)
		}
	}
}

// TestCLIServeSearchCache: serve searches through a cache of results whose
// counts /metrics shows, and once the index is in sync with the live
// release its search answers carry an ETag that a repeated request
// revalidates with a 304.
func TestCLIServeSearchCache(t *testing.T) {
	env := storageEnv(t, "dir")
	publishOneRegion(t, env)
	portal, _ := startServeLogged(t, env)
	var etag string
	testfiles.Eventually(t, 30*time.Second, "an ETag once the index is in sync", func() error {
		resp, err := http.Get(portal + "api/v1/search?q=belanja")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if etag = resp.Header.Get("ETag"); etag == "" {
			return fmt.Errorf("status %d, Cache-Control %q, no ETag", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		return nil
	})
	// Asked again: the same version of the index, the cached result.
	if resp, err := http.Get(portal + "api/v1/search?q=belanja"); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	req, _ := http.NewRequest(http.MethodGet, portal+"api/v1/search?q=belanja", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: status %d, want 304", etag, resp.StatusCode)
	}
	got := metricstest.Scrape(t, portal+"metrics")
	if hits, misses := got.Value("terbuka_search_cache_hits_total"), got.Value("terbuka_search_cache_misses_total"); hits < 1 || misses < 1 {
		t.Errorf("search cache hits %v, misses %v: want both counted", hits, misses)
	}
	if b, limit := got.Value("terbuka_search_cache_bytes"), got.Value("terbuka_search_cache_max_bytes"); b <= 0 || b > limit || limit != 64<<20 {
		t.Errorf("search cache holds %v bytes of %v", b, limit)
	}
}

package site

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/metrics"
	"github.com/terbuka/terbuka/metrics/metricstest"
)

// TestMetrics: /metrics, scraped and parsed as Prometheus does, shows what
// the portal has just done: requests by route template (never by path)
// and status, pushes by dataset and outcome with their rows, the publish
// one made, the limits hit and the profile sums' cache.
func TestMetrics(t *testing.T) {
	m := metrics.New(quiet)
	env := newPushEnv(t, Config{Metrics: m, MaxFeedBytes: 4 << 10})
	// As terbuka serve wires them.
	env.pub.Timed = m.Published
	env.in.Processed = func(rep *intake.Report) { m.Feed(rep.Dataset, rep.Status, rep.Rows) }
	base := env.ts.URL

	before := metricstest.Scrape(t, base+"/metrics")
	for _, kind := range []string{"rate_search", "rate_download", "rate_push", "bad_token", "conn_cap", "submit_busy", "too_slow", "too_large"} {
		if !before.Has("terbuka_limit_hits_total", "kind", kind) || before.Value("terbuka_limit_hits_total", "kind", kind) != 0 {
			t.Errorf("before any request, limit kind %s is not shown at 0", kind)
		}
	}

	get(t, base+"/api/v1/openapi.json")
	get(t, base+"/wilayah/32.73")
	get(t, base+"/no/such/page")
	get(t, base+"/no/such/other/page")
	// A feed with a bad amount is rejected; the good one is published.
	bad := strings.Replace(string(bandungBudget), "25000000000", "25 miliar", 1)
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", []byte(bad)); status != http.StatusUnprocessableEntity {
		t.Fatalf("bad feed: %d %v", status, rep)
	}
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget); status != http.StatusCreated {
		t.Fatalf("good feed: %d %v", status, rep)
	}
	if status, _, _ := env.push(t, "dataset=budget&year=2024", "not-a-token", "text/csv", bandungBudget); status != http.StatusUnauthorized {
		t.Fatalf("unknown token: %d", status)
	}
	if status, _, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bytes.Repeat([]byte("x"), 5<<10)); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("feed past --max-feed-bytes: %d", status)
	}
	// The home page sums the one live partition: read the first time,
	// remembered the second.
	get(t, base+"/")
	get(t, base+"/")
	// Searches until the client is over its rate.
	searched := 0
	for ; searched < 1000; searched++ {
		if resp, _ := get(t, base+"/api/v1/search?q=jalan"); resp.StatusCode == http.StatusTooManyRequests {
			break
		} else if resp.StatusCode != http.StatusOK {
			t.Fatalf("search: %d", resp.StatusCode)
		}
	}

	got := metricstest.Scrape(t, base+"/metrics")
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"terbuka_http_requests_total", []string{"route", "/metrics", "code", "200"}, 1},
		{"terbuka_http_requests_total", []string{"route", "/api/v1/openapi.json", "code", "200"}, 1},
		{"terbuka_http_requests_total", []string{"route", "/wilayah/{code}", "code", "200"}, 1},
		{"terbuka_http_requests_total", []string{"route", metrics.UnmatchedRoute, "code", "404"}, 2},
		{"terbuka_http_requests_total", []string{"route", "/api/v1/feeds", "code", "422"}, 1},
		{"terbuka_http_requests_total", []string{"route", "/api/v1/feeds", "code", "201"}, 1},
		{"terbuka_http_requests_total", []string{"route", "/api/v1/feeds", "code", "401"}, 1},
		{"terbuka_http_requests_total", []string{"route", "/api/v1/feeds", "code", "413"}, 1},
		{"terbuka_http_requests_total", []string{"route", "/", "code", "200"}, 2},
		{"terbuka_http_requests_total", []string{"route", "/api/v1/search", "code", "200"}, float64(searched)},
		{"terbuka_http_requests_total", []string{"route", "/api/v1/search", "code", "429"}, 1},
		{"terbuka_http_request_duration_seconds", []string{"route", "/api/v1/feeds"}, 4},
		{"terbuka_http_request_duration_seconds", []string{"route", metrics.UnmatchedRoute}, 2},
		{"terbuka_feeds_total", []string{"dataset", "budget", "outcome", "rejected"}, 1},
		{"terbuka_feeds_total", []string{"dataset", "budget", "outcome", "published"}, 1},
		{"terbuka_feed_rows_total", []string{"dataset", "budget", "outcome", "rejected"}, 2},
		{"terbuka_feed_rows_total", []string{"dataset", "budget", "outcome", "published"}, 2},
		{"terbuka_publish_duration_seconds", nil, 1},
		{"terbuka_limit_hits_total", []string{"kind", "rate_search"}, 1},
		{"terbuka_limit_hits_total", []string{"kind", "bad_token"}, 1},
		{"terbuka_limit_hits_total", []string{"kind", "too_large"}, 1},
		{"terbuka_limit_hits_total", []string{"kind", "rate_push"}, 0},
		{"terbuka_summary_cache_misses_total", nil, 1},
		{"terbuka_summary_cache_hits_total", nil, 1},
	} {
		if v := got.Value(c.name, c.labels...); v != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, v, c.want)
		}
	}
	// Raw paths never become labels.
	for _, mt := range got["terbuka_http_requests_total"].GetMetric() {
		for _, l := range mt.GetLabel() {
			if strings.Contains(l.GetValue(), "no/such") || strings.Contains(l.GetValue(), "32.73") {
				t.Errorf("a request's path is a label value: %s=%q", l.GetName(), l.GetValue())
			}
		}
	}
	// The process's own collectors are there too.
	if got["go_goroutines"] == nil || got["process_start_time_seconds"] == nil {
		t.Error("the Go and process collectors are missing")
	}
}

// limitHits scrapes m and returns how often the limit kind was hit.
func limitHits(t *testing.T, m *metrics.Set, kind metrics.Limit) float64 {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	return metricstest.Scrape(t, srv.URL).Value("terbuka_limit_hits_total", "kind", string(kind))
}

// TestMetricsElsewhere: with /metrics on an address of its own, the
// portal does not serve it, and still counts.
func TestMetricsElsewhere(t *testing.T) {
	m := metrics.New(quiet)
	env := newPushEnv(t, Config{Metrics: m, MetricsElsewhere: true})
	if resp, _ := get(t, env.ts.URL+"/metrics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("portal /metrics = %d, want 404", resp.StatusCode)
	}
	apart := httptest.NewServer(m.Handler())
	defer apart.Close()
	got := metricstest.Scrape(t, apart.URL)
	if v := got.Value("terbuka_http_requests_total", "route", metrics.UnmatchedRoute, "code", "404"); v != 1 {
		t.Errorf("the portal's 404 for /metrics counted %v times, want 1", v)
	}
}

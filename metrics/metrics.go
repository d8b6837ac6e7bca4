// Package metrics keeps what a server counts and times for /metrics, in
// the Prometheus text format: requests by route and status, their latency,
// feeds taken in by dataset and outcome, how long publishing takes, how
// far the search index is behind the live release, the profile sums' and
// the search results' caches, and the limits clients hit.
//
// A Set owns every collector and a registry of its own (with the Go
// runtime's and the process's collectors), never Prometheus's global one,
// so servers side by side in one test binary count apart. The packages
// that do the work do not import this one: they offer hooks (func fields,
// nil meaning none) that cmd/terbuka, or site for its own, wires to a Set.
package metrics

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Limit is a kind of refusal a client meets: a rate, a cap or a check.
type Limit string

// The limits, as the terbuka_limit_hits_total kind label names them.
const (
	RateSearch   Limit = "rate_search"   // a client's searches past their rate (429)
	RateDownload Limit = "rate_download" // a client's downloads past their rate (429)
	RatePush     Limit = "rate_push"     // a token's pushes past their rate (429)
	BadToken     Limit = "bad_token"     // an unknown or revoked push token (401, or 429 once locked out)
	ConnCap      Limit = "conn_cap"      // a connection past --max-conns (503)
	SubmitBusy   Limit = "submit_busy"   // a push while the intake's queue is full (503)
	TooSlow      Limit = "too_slow"      // a feed sent below the minimum rate, or stalled (408)
	TooLarge     Limit = "too_large"     // a feed or form past its size (413)
)

var limits = []Limit{RateSearch, RateDownload, RatePush, BadToken, ConnCap, SubmitBusy, TooSlow, TooLarge}

// UnmatchedRoute is the route label of requests no route matched, so
// that scanners' paths never become label values.
const UnmatchedRoute = "unmatched"

// Set is one process's metrics. Its methods are safe for concurrent use,
// and on a nil *Set they record nothing.
type Set struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	feeds      *prometheus.CounterVec
	feedRows   *prometheus.CounterVec
	publish    prometheus.Histogram
	live       prometheus.Gauge
	indexed    prometheus.Gauge
	lag        prometheus.Gauge
	limitHits  *prometheus.CounterVec
	cacheHits  prometheus.Counter
	cacheMiss  prometheus.Counter
	handlerLog *slog.Logger
}

// CacheStats are the counts of a cache: of search results, of answers.
type CacheStats struct {
	Hits, Misses, Evictions uint64
	// Bytes is the estimated size of what is held, MaxBytes its bound.
	Bytes, MaxBytes int64
	Entries         int
}

// New returns a Set on a registry of its own; log receives the errors of
// serving /metrics (nil: slog's default).
func New(log *slog.Logger) *Set {
	if log == nil {
		log = slog.Default()
	}
	s := &Set{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "terbuka_http_requests_total",
			Help: "HTTP requests answered, by route template and status code."}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "terbuka_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, body included, by route template.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 120}}, []string{"route"}),
		feeds: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "terbuka_feeds_total",
			Help: "Pushed feeds taken in, by dataset and final outcome (published, unchanged, rejected, failed)."}, []string{"dataset", "outcome"}),
		feedRows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "terbuka_feed_rows_total",
			Help: "Rows of the pushed feeds taken in, by dataset and final outcome."}, []string{"dataset", "outcome"}),
		publish: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "terbuka_publish_duration_seconds",
			Help:    "Time to make a release live (manifest written, releases/current moved, rebases included).",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 13)}),
		live: prometheus.NewGauge(prometheus.GaugeOpts{Name: "terbuka_release_live",
			Help: "Number of the live release, as the index follower last read it (0: none)."}),
		indexed: prometheus.NewGauge(prometheus.GaugeOpts{Name: "terbuka_release_indexed",
			Help: "Number of the release the search index is in sync with (0: none or not known)."}),
		lag: prometheus.NewGauge(prometheus.GaugeOpts{Name: "terbuka_index_lag_releases",
			Help: "Releases the search index is behind the live one."}),
		limitHits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "terbuka_limit_hits_total",
			Help: "Requests and connections refused by a limit, by kind."}, []string{"kind"}),
		cacheHits: prometheus.NewCounter(prometheus.CounterOpts{Name: "terbuka_summary_cache_hits_total",
			Help: "Partition sums for profiles found in memory."}),
		cacheMiss: prometheus.NewCounter(prometheus.CounterOpts{Name: "terbuka_summary_cache_misses_total",
			Help: "Partition sums for profiles read from the store (warming after a release included)."}),
		handlerLog: log,
	}
	s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		s.requests, s.latency, s.feeds, s.feedRows, s.publish, s.live, s.indexed, s.lag, s.limitHits, s.cacheHits, s.cacheMiss)
	// Every kind is shown from the start, at 0, so a rate over it is
	// defined before the first refusal.
	for _, l := range limits {
		s.limitHits.WithLabelValues(string(l))
	}
	return s
}

// Handler serves the metrics in the Prometheus exposition format.
func (s *Set) Handler() http.Handler {
	return promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(s.handlerLog.Handler(), slog.LevelError),
		Registry: s.reg, // counts its own errors, as promhttp_metric_handler_errors_total
	})
}

// Request counts an answered request: route is its route template
// (UnmatchedRoute when none matched), code its status.
func (s *Set) Request(route string, code int, took time.Duration) {
	if s == nil {
		return
	}
	s.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	s.latency.WithLabelValues(route).Observe(took.Seconds())
}

// Feed counts a pushed feed taken in, with its dataset, final status and
// rows.
func (s *Set) Feed(dataset, outcome string, rows int64) {
	if s == nil {
		return
	}
	s.feeds.WithLabelValues(dataset, outcome).Inc()
	s.feedRows.WithLabelValues(dataset, outcome).Add(float64(rows))
}

// Published times a publish that made a release live.
func (s *Set) Published(took time.Duration) {
	if s == nil {
		return
	}
	s.publish.Observe(took.Seconds())
}

// Releases sets the live release and the one the index is in sync with,
// by id ("" for none); the lag is their difference. Release ids are
// numbers; one that is not leaves the gauges as they were.
func (s *Set) Releases(live, indexed string) {
	if s == nil {
		return
	}
	l, lok := releaseNumber(live)
	i, iok := releaseNumber(indexed)
	if !lok || !iok {
		return
	}
	s.live.Set(float64(l))
	s.indexed.Set(float64(i))
	s.lag.Set(float64(max(l-i, 0)))
}

func releaseNumber(id string) (int, bool) {
	if id == "" {
		return 0, true
	}
	n, err := strconv.Atoi(id)
	return n, err == nil && n >= 0
}

// LimitHit counts a refusal by a limit.
func (s *Set) LimitHit(kind Limit) {
	if s == nil {
		return
	}
	s.limitHits.WithLabelValues(string(kind)).Inc()
}

// SummaryCache counts a look-up of a partition's profile sums: hit when
// they were in memory.
func (s *Set) SummaryCache(hit bool) {
	if s == nil {
		return
	}
	if hit {
		s.cacheHits.Inc()
		return
	}
	s.cacheMiss.Inc()
}

// WatchSearchCache exposes a cache of search results, read through read at
// each scrape: its hits, misses and evictions (results dropped to make
// room), and the bytes and results it holds. Call it once.
func (s *Set) WatchSearchCache(read func() CacheStats) {
	s.watchCache("terbuka_search_cache", "search results", "Searches", "--search-cache-mb", read)
}

// WatchAnswerCache exposes the portal's cache of whole answers (pages, API
// answers) as WatchSearchCache does the search results'. Call it once.
func (s *Set) WatchAnswerCache(read func() CacheStats) {
	s.watchCache("terbuka_answer_cache", "answers", "Answers", "--answer-cache-mb", read)
}

// watchCache registers the metrics of a cache: prefix names them, what is
// what it holds, asked what it is asked for, flag what bounds it.
func (s *Set) watchCache(prefix, what, asked, flag string, read func() CacheStats) {
	if s == nil {
		return
	}
	counter := func(name, help string, v func(CacheStats) uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: prefix + name, Help: help}, func() float64 { return float64(v(read())) })
	}
	gauge := func(name, help string, v func(CacheStats) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: prefix + name, Help: help}, func() float64 { return v(read()) })
	}
	s.reg.MustRegister(
		counter("_hits_total", asked+" answered from the cache of "+what+".",
			func(st CacheStats) uint64 { return st.Hits }),
		counter("_misses_total", asked+" the cache of "+what+" did not hold.",
			func(st CacheStats) uint64 { return st.Misses }),
		counter("_evictions_total", "Entries dropped from the cache of "+what+" to make room (not those dropped because the index changed).",
			func(st CacheStats) uint64 { return st.Evictions }),
		gauge("_bytes", "Estimated bytes of the "+what+" cached.",
			func(st CacheStats) float64 { return float64(st.Bytes) }),
		gauge("_max_bytes", "The bound on the bytes of "+what+" cached ("+flag+").",
			func(st CacheStats) float64 { return float64(st.MaxBytes) }),
		gauge("_entries", "Entries in the cache of "+what+".",
			func(st CacheStats) float64 { return float64(st.Entries) }),
	)
}

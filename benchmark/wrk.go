package benchmark

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Load is one wrk run at a number of connections.
type Load struct {
	Connections int     `json:"connections"`
	RPS         float64 `json:"requests_per_second"`
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	// Requests is the requests the run made.
	Requests int `json:"requests,omitempty"`
	// Non2xx counts answers other than 2xx and 3xx, Errors wrk's socket
	// errors (connect, read, write, timeout). In runs before non_2xx was
	// recorded, Errors counts both.
	Non2xx int `json:"non_2xx"`
	Errors int `json:"errors"`
}

// Serving is the load test of one address: every run, and the most
// requests per second any run served with p99 under 100 ms.
type Serving struct {
	Path string  `json:"path"`
	Runs []Load  `json:"runs"`
	Best float64 `json:"best_rps_p99_under_100ms"`
	// SearchCache says how the portal measured cached search results:
	// "on" (terbuka serve's default), "off" (--search-cache-mb 0), or
	// "none" when terbuka serve had no result cache. Absent from runs
	// before it had one.
	SearchCache string `json:"search_cache,omitempty"`
	// AnswerCache is the same for terbuka serve's cache of whole pages
	// (--answer-cache-mb): "on", "off", or absent before it had one.
	AnswerCache string `json:"answer_cache,omitempty"`
}

// p99Limit is the latency a served request per second must stay under.
const p99Limit = 100.0

// wrkThreads is the threads of every wrk run but the single-connection
// one: one per core of the machine the results were measured on, which
// the server shares.
const wrkThreads = 2

// loadTest runs wrk with 2 threads for dur at each number of connections,
// stopping once p99 passes the limit. paths rotate request by request
// (through a wrk Lua script) so no single query's cache decides the result.
func loadTest(ctx context.Context, base string, paths []string, conns []int, dur time.Duration, work string) (*Serving, error) {
	script := filepath.Join(work, fmt.Sprintf("wrk-%d.lua", len(paths)))
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "  %q,\n", p)
	}
	b.WriteString("}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n")
	if err := os.WriteFile(script, []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	return series(ctx, base+paths[0], script, conns, dur, strings.Join(paths, " | "))
}

// series runs wrk with script for dur at each number of connections,
// stopping once p99 passes the limit. The script gets the requests of
// the earlier runs as its argument. path is what the report shows.
func series(ctx context.Context, url, script string, conns []int, dur time.Duration, path string) (*Serving, error) {
	s := &Serving{Path: path}
	done := 0
	for _, c := range conns {
		l, err := runWrk(ctx, url, script, wrkThreads, c, dur, strconv.Itoa(done))
		if err != nil {
			return nil, err
		}
		done += l.Requests
		s.Runs = append(s.Runs, l)
		if l.P99 < p99Limit && l.Errors == 0 && l.Non2xx == 0 {
			s.Best = max(s.Best, l.RPS)
		}
		if l.P99 >= p99Limit {
			break
		}
	}
	return s, nil
}

// runWrk runs wrk once; script and args may be empty.
func runWrk(ctx context.Context, url, script string, threads, conns int, dur time.Duration, args ...string) (Load, error) {
	cmd := []string{fmt.Sprintf("-t%d", threads), fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", max(1, int(dur.Seconds()))), "--latency", "--timeout", "10s"}
	if script != "" {
		cmd = append(cmd, "-s", script)
	}
	cmd = append(cmd, url)
	if len(args) > 0 {
		cmd = append(append(cmd, "--"), args...)
	}
	out, err := exec.CommandContext(ctx, "wrk", cmd...).CombinedOutput()
	if err != nil {
		return Load{}, fmt.Errorf("wrk: %w: %s", err, out)
	}
	l, err := parseWrk(string(out))
	l.Connections = conns
	return l, err
}

var (
	wrkRPS      = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPct      = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkRequests = regexp.MustCompile(`(?m)^\s+(\d+) requests in `)
	wrkErrors   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	unitToMsec  = map[string]float64{"us": 0.001, "ms": 1, "s": 1000}
)

// parseWrk reads requests/s, p50, p99, the requests made, non-2xx answers
// and socket errors from wrk --latency output.
func parseWrk(out string) (Load, error) {
	var l Load
	m := wrkRPS.FindStringSubmatch(out)
	if m == nil {
		return l, fmt.Errorf("wrk output has no Requests/sec: %q", out)
	}
	l.RPS, _ = strconv.ParseFloat(m[1], 64)
	found := 0
	for _, m := range wrkPct.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		v *= unitToMsec[m[3]]
		if m[1] == "50" {
			l.P50 = v
		} else {
			l.P99 = v
		}
		found++
	}
	if found != 2 {
		return l, fmt.Errorf("wrk output lacks the 50%% and 99%% latencies (run with --latency): %q", out)
	}
	if m := wrkRequests.FindStringSubmatch(out); m != nil {
		l.Requests, _ = strconv.Atoi(m[1])
	}
	if m := wrkErrors.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			l.Errors += n
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		l.Non2xx, _ = strconv.Atoi(m[1])
	}
	return l, nil
}

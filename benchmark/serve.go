package benchmark

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// portal is a `terbuka serve` process on a free loopback port.
type portal struct {
	cmd  *exec.Cmd
	log  *os.File
	base string
}

// startPortal serves the store in dir, logging to logPath, and waits until
// its index is ready.
func startPortal(ctx context.Context, self, dir, logPath string) (*portal, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	// The per-client rate limits are off: the harness is one client
	// measuring the engine, and would measure the limiter otherwise.
	cmd := exec.Command(self, "serve", "--data", dir, "--addr", addr, "--log-level", "info", "--search-rate", "0", "--download-rate", "0")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start portal: %w", err)
	}
	p := &portal{cmd: cmd, log: logFile, base: "http://" + addr}
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		var h struct {
			IndexReady bool `json:"index_ready"`
		}
		if err := getJSON(ctx, p.base+"/healthz", &h); err == nil && h.IndexReady {
			return p, nil
		}
		if err := ctx.Err(); err != nil {
			p.stop()
			return nil, err
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.stop()
	return nil, fmt.Errorf("portal at %s not ready after 5 minutes (log: %s)", p.base, logFile.Name())
}

func (p *portal) stop() {
	p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
	p.log.Close()
}

func getJSON(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Load is one wrk run at a number of connections.
type Load struct {
	Connections int     `json:"connections"`
	RPS         float64 `json:"requests_per_second"`
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	Errors      int     `json:"errors"`
}

// Serving is the load test of one address: every run, and the most
// requests per second any run served with p99 under 100 ms.
type Serving struct {
	Path string  `json:"path"`
	Runs []Load  `json:"runs"`
	Best float64 `json:"best_rps_p99_under_100ms"`
}

// p99Limit is the latency a served request per second must stay under.
const p99Limit = 100.0

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
	s := &Serving{Path: strings.Join(paths, " | ")}
	for _, c := range conns {
		out, err := exec.CommandContext(ctx, "wrk", "-t2", fmt.Sprintf("-c%d", c), fmt.Sprintf("-d%ds", int(dur.Seconds())),
			"--latency", "--timeout", "10s", "-s", script, base+paths[0]).CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("wrk: %w: %s", err, out)
		}
		l, err := parseWrk(string(out))
		if err != nil {
			return nil, err
		}
		l.Connections = c
		s.Runs = append(s.Runs, l)
		if l.P99 < p99Limit && l.Errors == 0 {
			s.Best = max(s.Best, l.RPS)
		}
		if l.P99 >= p99Limit {
			break
		}
	}
	return s, nil
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkErrors  = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	unitToMsec = map[string]float64{"us": 0.001, "ms": 1, "s": 1000}
)

// parseWrk reads requests/s, p50, p99 and errors from wrk --latency output.
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
	if m := wrkErrors.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			l.Errors += n
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		l.Errors += n
	}
	return l, nil
}

// lines returns the non-empty lines of s.
func lines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			out = append(out, t)
		}
	}
	return out
}

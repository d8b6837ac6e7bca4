package benchmark

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The load suite drives a demo portal the way a crowd after a news story
// does, with a few regions pushing meanwhile: an open-loop generator (a
// request every 1/rate seconds, whether earlier ones have answered or not,
// as real users arrive) sends 70 % searches, 25 % downloads and 5 % pushes
// from a pool of client addresses behind a trusted proxy. It runs at the
// rate given and then at twice it, and checks that the server is back to
// its baseline afterwards.

// LoadOptions configure a load run.
type LoadOptions struct {
	Terbuka  string        // the terbuka binary
	Rate     float64       // requests per second of the first phase
	Duration time.Duration // length of each phase
	Work     string        // scratch directory (the demo's data)
	Regions  int           // demo regions
	Out      io.Writer     // where the table goes
}

// LoadPhase is what one phase measured.
type LoadPhase struct {
	Name     string
	Rate     float64
	Requests int
	Codes    map[int]int // answers by status; 0 is a transport error
	P50, P99 time.Duration
}

// Process is a snapshot of the server's resources.
type Process struct {
	RSSKiB     int64
	Goroutines int // -1 when /metrics does not say
	OpenFiles  int
}

// LoadResult is a whole load run.
type LoadResult struct {
	Phases           []LoadPhase
	Baseline, After  Process
	BackToBaseline   bool
	UnexpectedAnswer []string // what broke the rules, if anything
}

// RunLoad runs the load suite and prints its table. It fails when, at the
// first rate, anything but 429 went wrong; at twice the rate, anything but
// 429 and 503; or when the server did not come back to its baseline.
func RunLoad(ctx context.Context, o LoadOptions) (*LoadResult, error) {
	if err := os.MkdirAll(o.Work, 0o755); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	logFile, err := os.Create(filepath.Join(o.Work, "portal.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(o.Terbuka, "demo", "--dir", o.Work, "--addr", addr, "--regions", strconv.Itoa(o.Regions), "--provinces", "1", "--log-level", "warn")
	// Clients are told apart by X-Forwarded-For, as behind a real proxy.
	cmd.Env = append(os.Environ(), "TERBUKA_TRUSTED_PROXIES=127.0.0.1")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start portal: %w", err)
	}
	p := &portal{cmd: cmd, log: logFile, base: "http://" + addr}
	defer p.stop()
	if err := waitReady(ctx, p.base, 10*time.Minute); err != nil {
		return nil, fmt.Errorf("%w (log: %s)", err, logFile.Name())
	}
	targets, err := loadTargets(ctx, o, p.base)
	if err != nil {
		return nil, err
	}
	pid := cmd.Process.Pid
	// Warm up, then take the baseline the server must come back to.
	if _, err := runPhase(ctx, "warm-up", p.base, targets, o.Rate/2, min(o.Duration, 10*time.Second)); err != nil {
		return nil, err
	}
	res := &LoadResult{Baseline: snapshot(ctx, p.base, pid)}
	for i, rate := range []float64{o.Rate, 2 * o.Rate} {
		ph, err := runPhase(ctx, fmt.Sprintf("%g×", float64(i+1)), p.base, targets, rate, o.Duration)
		if err != nil {
			return nil, err
		}
		res.Phases = append(res.Phases, *ph)
		for code, n := range ph.Codes {
			if !allowedUnderLoad(i > 0, code) {
				res.UnexpectedAnswer = append(res.UnexpectedAnswer, fmt.Sprintf("%s: %d answers %s", ph.Name, n, statusName(code)))
			}
		}
	}
	// Idle connections time out, the crowd is gone: the server must be
	// back where it started, within a margin for caches the load filled.
	res.After = settle(ctx, p.base, pid, res.Baseline, 30*time.Second)
	res.BackToBaseline = backToBaseline(res.Baseline, res.After)
	printLoad(o.Out, res)
	if len(res.UnexpectedAnswer) > 0 || !res.BackToBaseline {
		return res, fmt.Errorf("load: %s; back to baseline: %v", strings.Join(res.UnexpectedAnswer, "; "), res.BackToBaseline)
	}
	return res, nil
}

// allowedUnderLoad says whether an answer is one the server may give under
// load: success, 429 for a client over its rate and, only when overloaded
// (twice the rate), 503. A transport error (0) or a 5xx never is.
func allowedUnderLoad(overloaded bool, code int) bool {
	return code > 0 && code < 400 || code == http.StatusTooManyRequests || overloaded && code == http.StatusServiceUnavailable
}

func waitReady(ctx context.Context, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		var h struct {
			IndexReady bool `json:"index_ready"`
		}
		if err := getJSON(ctx, base+"/healthz", &h); err == nil && h.IndexReady {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("portal at %s not ready after %v", base, limit)
}

// loadTarget is one kind of request the generator sends.
type loadTarget struct {
	kind string // search, download or push
	do   func(ctx context.Context, client string, n int) (*http.Request, error)
}

// loadTargets reads the live release to have real download addresses and
// makes a push token.
func loadTargets(ctx context.Context, o LoadOptions, base string) ([]loadTarget, error) {
	var live struct {
		ID         string `json:"id"`
		Partitions []struct {
			Dataset, Region string
			Year            int
		} `json:"partitions"`
	}
	var h struct {
		Release string `json:"release"`
	}
	if err := getJSON(ctx, base+"/healthz", &h); err != nil {
		return nil, err
	}
	if err := getJSON(ctx, base+"/releases/"+h.Release+".json", &live); err != nil {
		return nil, err
	}
	if len(live.Partitions) == 0 {
		return nil, errors.New("load: the demo published nothing")
	}
	out, err := exec.CommandContext(ctx, o.Terbuka, "token", "create", "--data", filepath.Join(o.Work, "store"), "--region", "32.73", "--name", "terbuka-bench load").Output()
	if err != nil {
		return nil, fmt.Errorf("load: create token: %w", err)
	}
	ls := lines(string(out))
	if len(ls) == 0 {
		return nil, errors.New("load: token create printed nothing")
	}
	secret := ls[len(ls)-1]
	words := []string{"jalan", "belanja pegawai", "pendidikan", "kesehatan", "gedung", "alat tulis kantor", "pajak hotel", "konsultansi", "air bersih", "jembatan"}
	search := loadTarget{"search", func(ctx context.Context, client string, n int) (*http.Request, error) {
		q := words[n%len(words)]
		path := "/search?q=" + strings.ReplaceAll(q, " ", "+")
		if n%3 == 0 {
			path = "/api/v1/search?q=" + strings.ReplaceAll(q, " ", "+") + "&year=2024"
		}
		return http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	}}
	download := loadTarget{"download", func(ctx context.Context, client string, n int) (*http.Request, error) {
		pt := live.Partitions[n%len(live.Partitions)]
		ext := []string{"csv.gz", "parquet"}[n%2]
		return http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/downloads/%s/%s/%s/%d.%s", base, live.ID, pt.Dataset, pt.Region, pt.Year, ext), nil)
	}}
	push := loadTarget{"push", func(ctx context.Context, client string, n int) (*http.Request, error) {
		// Each push is new content, so each is validated and published.
		body := fmt.Sprintf("stage,agency_name,account_code,account_name,amount\nmurni,Dinas Pekerjaan Umum,5.1.02.01.01.0024,Belanja Alat Tulis Kantor,%d\n", 1_000_000+n)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/feeds?dataset=budget&year=2025", strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "text/csv")
		return req, nil
	}}
	// 70 % searches, 25 % downloads, 5 % pushes.
	var mix []loadTarget
	for range 14 {
		mix = append(mix, search)
	}
	for range 5 {
		mix = append(mix, download)
	}
	return append(mix, push), nil
}

// runPhase sends rate requests a second for d, open loop, and waits for
// the answers (each bounded by a client timeout).
func runPhase(ctx context.Context, name, base string, mix []loadTarget, rate float64, d time.Duration) (*LoadPhase, error) {
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ph := &LoadPhase{Name: name, Rate: rate, Codes: map[int]int{}}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		wg        sync.WaitGroup
	)
	rng := rand.New(rand.NewPCG(1, uint64(rate*1000)))
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	end := time.Now().Add(d)
	for n := 0; time.Now().Before(end); n++ {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
		}
		t := mix[rng.IntN(len(mix))]
		clientAddr := fmt.Sprintf("198.51.100.%d", rng.IntN(200)+1)
		req, err := t.do(ctx, clientAddr, n)
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-Forwarded-For", clientAddr)
		wg.Go(func() {
			start := time.Now()
			code := 0
			if resp, err := client.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				code = resp.StatusCode
			}
			took := time.Since(start)
			mu.Lock()
			ph.Codes[code]++
			latencies = append(latencies, took)
			mu.Unlock()
		})
	}
	wg.Wait()
	ph.Requests = len(latencies)
	slices.Sort(latencies)
	if len(latencies) > 0 {
		ph.P50 = latencies[len(latencies)*50/100]
		ph.P99 = latencies[min(len(latencies)-1, len(latencies)*99/100)]
	}
	return ph, nil
}

// snapshot reads the server's resident memory and open files from /proc,
// and its goroutines from /metrics when it serves them.
func snapshot(ctx context.Context, base string, pid int) Process {
	p := Process{Goroutines: -1}
	if kb, err := strconv.ParseInt(strings.Fields(procField(fmt.Sprintf("/proc/%d/status", pid), "VmRSS") + " 0")[0], 10, 64); err == nil {
		p.RSSKiB = kb
	}
	if fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid)); err == nil {
		p.OpenFiles = len(fds)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for line := range bytes.Lines(b) {
			if v, ok := strings.CutPrefix(strings.TrimSpace(string(line)), "go_goroutines "); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					p.Goroutines = int(f)
				}
			}
		}
	}
	return p
}

// settle waits, up to limit, for the server to come back to its baseline,
// and returns the last snapshot.
func settle(ctx context.Context, base string, pid int, baseline Process, limit time.Duration) Process {
	deadline := time.Now().Add(limit)
	for {
		now := snapshot(ctx, base, pid)
		if backToBaseline(baseline, now) || time.Now().After(deadline) {
			return now
		}
		time.Sleep(time.Second)
	}
}

// backToBaseline allows the heap the load grew to stay (Go returns memory
// to the system lazily) up to half again the baseline, and a few
// goroutines and files for connections still closing.
func backToBaseline(b, a Process) bool {
	const slackKiB = 64 << 10
	return a.RSSKiB <= b.RSSKiB*3/2+slackKiB &&
		(b.Goroutines < 0 || a.Goroutines <= b.Goroutines+10) &&
		a.OpenFiles <= b.OpenFiles+10
}

func statusName(code int) string {
	if code == 0 {
		return "transport errors"
	}
	return strconv.Itoa(code)
}

func printLoad(w io.Writer, r *LoadResult) {
	fmt.Fprintln(w, "| phase | rate/s | requests | answers by status | p50 | p99 |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
	for _, ph := range r.Phases {
		codes := slices.Sorted(maps.Keys(ph.Codes))
		var parts []string
		for _, c := range codes {
			parts = append(parts, fmt.Sprintf("%s: %d", statusName(c), ph.Codes[c]))
		}
		fmt.Fprintf(w, "| %s | %g | %d | %s | %s | %s |\n", ph.Name, ph.Rate, ph.Requests, strings.Join(parts, ", "), ph.P50.Round(100*time.Microsecond), ph.P99.Round(100*time.Microsecond))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| server | before | after |")
	fmt.Fprintln(w, "| --- | --- | --- |")
	fmt.Fprintf(w, "| RSS | %.1f MB | %.1f MB |\n", float64(r.Baseline.RSSKiB)/1024, float64(r.After.RSSKiB)/1024)
	fmt.Fprintf(w, "| goroutines | %s | %s |\n", goroutines(r.Baseline), goroutines(r.After))
	fmt.Fprintf(w, "| open files | %d | %d |\n", r.Baseline.OpenFiles, r.After.OpenFiles)
	fmt.Fprintf(w, "\nback to baseline: %v\n", r.BackToBaseline)
}

func goroutines(p Process) string {
	if p.Goroutines < 0 {
		return "—"
	}
	return strconv.Itoa(p.Goroutines)
}

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
	"strings"
	"time"
)

// serve measures running portals with wrk. On one with terbuka serve's
// defaults (its search result cache on): the search page of a typical
// query, then the query log, then /healthz, the ceiling of the HTTP stack
// itself. Then the typical query at one connection, request after
// request, on a portal with the result cache off: its latency uncached.
func (b *bench) serve(ctx context.Context) error {
	ql, err := b.queryLog()
	if err != nil {
		return err
	}
	// Until terbuka serve has a result cache, every search is uncached.
	cache, err := hasServeFlag(ctx, b.cfg.Terbuka, searchCacheFlag)
	if err != nil {
		return err
	}
	state := "none"
	if cache {
		state = "on"
	}
	answers, err := hasServeFlag(ctx, b.cfg.Terbuka, answerCacheFlag)
	if err != nil {
		return err
	}
	p, err := startPortal(ctx, b.cfg.Terbuka, b.store, filepath.Join(b.work, "portal.log"))
	if err != nil {
		return err
	}
	defer func() {
		if p != nil {
			p.stop()
		}
	}()
	b.res.Serving = map[string]*Serving{}
	if err := b.loads(ctx, p, ql, state); err != nil {
		return err
	}
	if answers {
		for _, s := range b.res.Serving {
			if s.SearchCache != "" {
				s.AnswerCache = "on"
			}
		}
	}
	if !cache {
		return b.uncached(ctx, p.base, state)
	}
	p.stop()
	off := []string{"--" + searchCacheFlag, "0"}
	if answers {
		off = append(off, "--"+answerCacheFlag, "0")
	}
	if p, err = startPortal(ctx, b.cfg.Terbuka, b.store, filepath.Join(b.work, "portal-uncached.log"), off...); err != nil {
		return err
	}
	if err := b.uncached(ctx, p.base, "off"); err != nil {
		return err
	}
	if answers {
		b.res.Serving["search-uncached"].AnswerCache = "off"
	}
	return nil
}

// loads runs the series of wrk runs on portal p, whose result cache is
// in the given state: the typical search first, as before the query log
// (its runs also bring the index into memory), then the query log, then
// /healthz.
func (b *bench) loads(ctx context.Context, p *portal, ql *queryLog, state string) error {
	conns, dur := b.cfg.WrkConns, b.cfg.WrkDuration
	b.log("wrk", "load", "search", "seconds_each", dur.Seconds(), "connections", conns, "search_cache", state)
	s, err := loadTest(ctx, p.base, []string{typicalSearch}, conns, dur, b.work)
	if err != nil {
		return err
	}
	s.SearchCache, b.res.Serving["search"] = state, s

	b.log("wrk", "load", "query-log", "seconds_each", dur.Seconds(), "connections", conns, "search_cache", state)
	script := filepath.Join(b.work, "wrk-querylog.lua")
	if err := ql.writeWrkScript(script, wrkThreads); err != nil {
		return err
	}
	s, err = series(ctx, p.base+ql.queries[0].path, script, conns, dur, fmt.Sprintf("%s distinct search pages, Zipf s = %.2f", num(float64(len(ql.queries))), zipfExponent))
	if err != nil {
		return err
	}
	s.SearchCache, b.res.Serving["query-log"] = state, s
	for _, l := range s.Runs {
		b.res.QueryLog.Replayed += l.Requests
	}
	b.res.QueryLog.ReplayRepeats = ql.replayRepeats(wrkThreads, b.res.QueryLog.Replayed)
	// The first run's answers say whether the log's queries are valid:
	// later runs may be refused for load, which is not a wrong query.
	first := s.Runs[0]
	b.res.check("serving query log answers", first.Non2xx == 0, "%d of %d requests at %d connections answered other than 2xx or 3xx",
		first.Non2xx, first.Requests, first.Connections)

	b.log("wrk", "load", "healthz", "seconds_each", dur.Seconds(), "connections", conns)
	b.res.Serving["healthz"], err = loadTest(ctx, p.base, []string{"/healthz"}, conns, dur, b.work)
	return err
}

// typicalSearch is the search page the serving target is measured on: a
// common word of public works, as a citizen would type it, with the first
// page of hits and every facet.
const typicalSearch = "/search?q=jalan"

// searchCacheFlag is the flag of terbuka serve that sizes its search
// result cache; 0 turns it off.
const searchCacheFlag = "search-cache-mb"

// answerCacheFlag is the flag of terbuka serve that sizes its cache of
// whole pages; 0 turns it off.
const answerCacheFlag = "answer-cache-mb"

// uncached measures typicalSearch at one connection, each request after
// the answer to the last, so its latency is the search's, not a queue's.
// The portal's cache state is as given.
func (b *bench) uncached(ctx context.Context, base, state string) error {
	dur := min(b.cfg.WrkDuration, 10*time.Second)
	b.log("wrk", "load", "search-uncached", "seconds", dur.Seconds(), "search_cache", state)
	l, err := runWrk(ctx, base+typicalSearch, "", 1, 1, dur)
	if err != nil {
		return err
	}
	s := &Serving{Path: typicalSearch, Runs: []Load{l}, SearchCache: state}
	if l.P99 < p99Limit && l.Errors == 0 && l.Non2xx == 0 {
		s.Best = l.RPS
	}
	b.res.Serving["search-uncached"] = s
	return nil
}

// hasServeFlag reports whether terbuka serve at bin has the flag.
func hasServeFlag(ctx context.Context, bin, flag string) (bool, error) {
	// -h exits with a status of its own choosing; its text is the answer.
	out, _ := exec.CommandContext(ctx, bin, "serve", "-h").CombinedOutput()
	if !strings.Contains(string(out), "-addr") {
		return false, fmt.Errorf("%s serve -h lists no flags: %s", bin, out)
	}
	return strings.Contains(string(out), "-"+flag+" "), nil
}

// queryLog makes the serving phase's query log from the generated data
// and writes its distinct queries beside the results.
func (b *bench) queryLog() (*queryLog, error) {
	v, err := readVocabulary(b.res.Data.Feeds, b.cfg.Seed)
	if err != nil {
		return nil, err
	}
	ql, err := newQueryLog(v, b.cfg.Seed, queryLogSize, queryLogDraws, zipfExponent)
	if err != nil {
		return nil, err
	}
	sum := ql.summary(b.cfg.Seed, zipfExponent, v)
	if b.cfg.Out != "" {
		if err := os.MkdirAll(b.cfg.Out, 0o755); err != nil {
			return nil, err
		}
		sum.File = "querylog.tsv"
		if err := ql.writeTSV(filepath.Join(b.cfg.Out, sum.File), sum); err != nil {
			return nil, err
		}
	}
	b.res.QueryLog = sum
	b.log("query log", "distinct", sum.Distinct, "draws", sum.Draws, "words", sum.Words, "fitted_exponent", fmt.Sprintf("%.3f", sum.Fitted),
		"top10_share", fmt.Sprintf("%.3f", sum.Top10), "repeat_share", fmt.Sprintf("%.3f", sum.Repeats))
	return ql, nil
}

// portal is a `terbuka serve` process on a free loopback port.
type portal struct {
	cmd     *exec.Cmd
	log     *os.File
	base    string
	started time.Time
}

// startPortal serves the store in dir, logging to logPath, and waits until
// its index is ready. extra are more flags of terbuka serve.
func startPortal(ctx context.Context, self, dir, logPath string, extra ...string) (*portal, error) {
	p, err := launchPortal(self, logPath, append([]string{"--data", dir}, extra...)...)
	if err != nil {
		return nil, err
	}
	if _, err := p.waitReady(ctx); err != nil {
		p.stop()
		return nil, err
	}
	if err := p.waitSettled(ctx); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

// settledLine is what terbuka serve logs once it has summed the live
// release's partitions for the region profiles, work it starts when its
// index is ready and that takes both cores for about 20 s at 1M rows:
// a measurement in that time measures the summing too.
const settledLine = `msg="profile sums ready"`

// settleLimit bounds the wait for settledLine.
const settleLimit = 5 * time.Minute

// waitSettled waits until the portal has logged settledLine.
func (p *portal) waitSettled(ctx context.Context) error {
	deadline := time.Now().Add(settleLimit)
	for time.Now().Before(deadline) {
		b, err := os.ReadFile(p.log.Name())
		if err != nil {
			return err
		}
		if strings.Contains(string(b), settledLine) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("portal at %s did not finish its start-up work within %v (log: %s)", p.base, settleLimit, p.log.Name())
}

// launchPortal starts terbuka serve on a free loopback port with args (the
// store's flags and any more), logging to logPath, and returns at once.
func launchPortal(self, logPath string, args ...string) (*portal, error) {
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
	args = append([]string{"serve", "--addr", addr, "--log-level", "info", "--search-rate", "0", "--download-rate", "0"}, args...)
	cmd := exec.Command(self, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	started := time.Now()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start portal: %w", err)
	}
	return &portal{cmd: cmd, log: logFile, base: "http://" + addr, started: started}, nil
}

// health is what a portal's /healthz answers.
type health struct {
	Documents  int64 `json:"documents"`
	IndexReady bool  `json:"index_ready"`
}

// portalReadyLimit bounds how long a portal may take to have its index
// ready.
const portalReadyLimit = 5 * time.Minute

// waitReady polls /healthz until the portal's index is ready, and returns
// that answer.
func (p *portal) waitReady(ctx context.Context) (health, error) {
	deadline := time.Now().Add(portalReadyLimit)
	for time.Now().Before(deadline) {
		var h health
		if err := getJSON(ctx, p.base+"/healthz", &h); err == nil && h.IndexReady {
			return h, nil
		}
		select {
		case <-ctx.Done():
			return health{}, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return health{}, fmt.Errorf("portal at %s not ready after %v (log: %s)", p.base, portalReadyLimit, p.log.Name())
}

func (p *portal) stop() {
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	terminate(p.cmd, done, os.Interrupt, 10*time.Second)
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

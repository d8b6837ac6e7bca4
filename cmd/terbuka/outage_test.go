package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
)

// Bounds of TestCLIServeStoreOutage: every request, every phase, and how
// many requests each client sends.
const (
	// outageRequestTimeout is when a request is taken to hang: the store's
	// calls time out after 30 s, and a push the store stops under waits
	// that out twice (processing, then saving its report).
	outageRequestTimeout = 90 * time.Second
	outagePhaseTimeout   = 3 * time.Minute
	outageMaxPushes      = 20 // one token's burst is 30
	outageMaxRequests    = 200
	outagePace           = 500 * time.Millisecond
	outageFirstYear      = 2040 // push n is budget 32.73 of year 2040+n: a partition of its own
)

// The general message of a 503, as site says it in both languages.
const (
	unavailableID = "layanan sedang tidak tersedia"
	unavailableEN = "the service is unavailable"
)

// TestCLIServeStoreOutage stops the portal's MinIO (SIGSTOP: it answers
// nothing), kills it (SIGKILL: connections are refused) and restarts it on
// the same directory while a region pushes feeds and users read pages and
// downloads. While the store is gone every answer is a prompt 503 with
// Retry-After and a message in both languages, never a 500 or a hang;
// afterwards every release manifest lists partitions that exist with the
// sha256 it says, every push answered 201 is in the live release, and
// every push refused during the outage, sent again, is published.
func TestCLIServeStoreOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("about a minute of waiting out the store's timeouts; make test runs it")
	}
	m := startMinio(t)
	env := append(m.env(t, "terbuka-outage"), "TERBUKA_TEMP_DIR="+t.TempDir(), "TERBUKA_PUSH_WAIT=2m")
	publishFeeds(t, env)
	_, secret := terbuka(t, env, "token", "create", "--region", "32.73", "--name", "BPKAD Kota Bandung")
	lines := strings.Split(strings.TrimSpace(secret), "\n")
	secret = lines[len(lines)-1]
	url, serverLog := startServeBound(t, env)
	serverLog.waitFor(t, "live release complete", time.Minute)
	st := openEnvStore(t, env)
	pub := publisher.New(st, quietLog)
	first, err := pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}

	o := &outage{t0: time.Now(), url: url, secret: secret}
	o.download = "downloads/" + first.ID + "/budget/32.73/2024.csv"
	stop := make(chan struct{})
	var clients sync.WaitGroup
	for _, kind := range []string{"push", "download", "page"} {
		clients.Go(func() { o.client(kind, stop) })
	}
	stopped := false
	stopClients := func() {
		if !stopped {
			stopped = true
			close(stop)
			clients.Wait()
		}
	}
	t.Cleanup(stopClients)
	// A test that fails while MinIO is stopped ends without waiting out
	// the store's timeouts in every request still running.
	t.Cleanup(func() {
		if t.Failed() {
			m.kill()
		}
	})

	o.waitEach(t, "a success before the outage", func(a answer) bool { return a.ok() })
	// The store stops while the portal processes a push.
	waitLogged(t, serverLog, "feed received", serverLog.count("feed received")+1, outagePhaseTimeout)
	paused := o.mark("paused")
	m.pause(t)
	// The push the store stopped under answers once its processing and
	// the saving of its report have each waited out the store's timeout;
	// the readers do not wait for it.
	o.waitEach(t, "an answer while MinIO is stopped", func(a answer) bool { return a.end > paused }, "download", "page")
	killed := o.mark("killed")
	m.kill()
	o.waitEach(t, "an answer to a request sent after MinIO was killed", func(a answer) bool { return a.start > killed })
	restarted := o.mark("restarted")
	m.start(t)
	o.waitEach(t, "a success after MinIO restarted", func(a answer) bool { return a.start > restarted && a.ok() })
	stopClients()

	o.checkAnswers(t)
	acked := o.resend(t)
	checkManifests(t, st)
	live, err := pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for year, feed := range acked {
		p, ok := live.Partition(publisher.PartitionKey("budget", "32.73", year))
		if !ok || !slices.Contains(p.Feeds, feed) {
			t.Errorf("feed %s (budget 32.73 %d) was answered 201, but the live release %s does not list it (partition: %+v)", feed, year, live.ID, p)
		}
	}
	// The downloads of the partitions published around the outage, and of
	// the budget dataset whole, were all built.
	for _, path := range liveDownloads(live) {
		if !strings.Contains(path, "/budget") || strings.Contains(path, "/2024.") {
			continue
		}
		if status := getPaced(t, url+strings.TrimPrefix(path, "/")); status != http.StatusOK {
			t.Errorf("after the outage, %s = %d", path, status)
		}
	}
	if t.Failed() {
		t.Logf("the server's errors:\n%s", serverLog.matching("level=ERROR"))
	}
	if errs := serverLog.matching("panic"); errs != "" {
		t.Errorf("the server panicked:\n%s", errs)
	}
}

// answer is one request of a client during the outage test.
type answer struct {
	kind       string
	start, end time.Duration // since the test's start
	status     int
	retryAfter string
	body       []byte
	err        error
	year       int    // a push's fiscal year
	feed       string // a push's feed id, when the answer has a report
	csv        []byte // a push's body
}

func (a answer) ok() bool { return a.err == nil && a.status >= 200 && a.status < 300 }

func (a answer) String() string {
	s := fmt.Sprintf("%s at %v, took %v: %d", a.kind, a.start.Round(time.Millisecond), (a.end - a.start).Round(time.Millisecond), a.status)
	if a.retryAfter != "" {
		s += ", Retry-After " + a.retryAfter
	}
	if a.err != nil {
		s += fmt.Sprintf(", %v", a.err)
	}
	return s
}

// detail is the answer with the start of its body.
func (a answer) detail() string { return fmt.Sprintf("%v\n%.400s", a, a.body) }

// outage holds what the clients of TestCLIServeStoreOutage were answered,
// and when each phase began.
type outage struct {
	t0       time.Time
	url      string
	secret   string
	download string

	mu      sync.Mutex
	answers []answer
	phases  map[string]time.Duration
}

// mark notes that a phase begins now, and returns when.
func (o *outage) mark(phase string) time.Duration {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.phases == nil {
		o.phases = map[string]time.Duration{}
	}
	o.phases[phase] = time.Since(o.t0)
	return o.phases[phase]
}

// client sends one kind of request, one at a time, paced, until stop is
// closed or it has sent its share.
func (o *outage) client(kind string, stop <-chan struct{}) {
	pace := time.NewTicker(outagePace)
	defer pace.Stop()
	pushes := 0
	for range outageMaxRequests {
		select {
		case <-stop:
			return
		case <-pace.C:
		}
		var a answer
		switch kind {
		case "push":
			if pushes == outageMaxPushes {
				return
			}
			year := outageFirstYear + pushes
			pushes++
			a = o.push(year, outageFeed(year))
		case "download":
			a = o.get(kind, o.url+o.download)
		case "page":
			a = o.get(kind, o.url)
		}
		o.mu.Lock()
		o.answers = append(o.answers, a)
		o.mu.Unlock()
	}
}

// outageFeed is a budget feed whose amounts differ by year, large enough
// that the store can stop while the portal processes it.
func outageFeed(year int) []byte {
	b := []byte("stage,agency_name,account_code,account_name,amount\n")
	for i := range raceRows {
		b = fmt.Appendf(b, "murni,Dinas Pendidikan,5.1.02.01.01.%04d,Belanja Barang,%d\n", 24+i, 1000*year+i)
	}
	return b
}

var outageHTTP = &http.Client{Timeout: outageRequestTimeout}

func (o *outage) get(kind, url string) answer {
	a := answer{kind: kind, start: time.Since(o.t0)}
	resp, err := outageHTTP.Get(url)
	a.fill(resp, err)
	a.end = time.Since(o.t0)
	return a
}

func (o *outage) push(year int, body []byte) answer {
	a := answer{kind: "push", start: time.Since(o.t0), year: year, csv: body}
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%sapi/v1/feeds?dataset=budget&year=%d", o.url, year), bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Authorization", "Bearer "+o.secret)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := outageHTTP.Do(req)
	a.fill(resp, err)
	a.end = time.Since(o.t0)
	var rep struct {
		FeedID string `json:"feed_id"`
	}
	if a.err == nil && json.Unmarshal(a.body, &rep) == nil {
		a.feed = rep.FeedID
	}
	return a
}

func (a *answer) fill(resp *http.Response, err error) {
	if err != nil {
		a.err = err
		return
	}
	defer resp.Body.Close()
	a.status, a.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	a.body, a.err = io.ReadAll(resp.Body)
}

// waitEach waits until every kind of client (or those named) has an
// answer that cond holds for.
func (o *outage) waitEach(t *testing.T, what string, cond func(answer) bool, kinds ...string) {
	t.Helper()
	if len(kinds) == 0 {
		kinds = []string{"push", "download", "page"}
	}
	testfiles.Eventually(t, outagePhaseTimeout, "every client has "+what, func() error {
		o.mu.Lock()
		defer o.mu.Unlock()
		for _, kind := range kinds {
			if !slices.ContainsFunc(o.answers, func(a answer) bool { return a.kind == kind && cond(a) }) {
				return fmt.Errorf("%s has none yet", kind)
			}
		}
		return nil
	})
}

// checkAnswers checks every answer: a success, or a 503 that says when to
// come back and why in both languages; at least one 503 of each kind.
func (o *outage) checkAnswers(t *testing.T) {
	t.Helper()
	unavailable := map[string]int{}
	for _, a := range o.answers {
		t.Log(a)
		switch {
		case a.err != nil:
			t.Errorf("no answer: %v", a.detail())
		case a.ok():
		case a.status == http.StatusServiceUnavailable:
			unavailable[a.kind]++
			if n, err := strconv.Atoi(a.retryAfter); err != nil || n <= 0 {
				t.Errorf("a 503 without a Retry-After in seconds: %v", a.detail())
			}
			if !bilingualUnavailable(a) {
				t.Errorf("a 503 that does not say, in both languages, that the service is unavailable: %v", a.detail())
			}
		default:
			t.Errorf("neither a success nor a 503: %v", a.detail())
		}
	}
	for _, kind := range []string{"push", "download", "page"} {
		if unavailable[kind] == 0 {
			t.Errorf("no %s was answered 503 during the outage", kind)
		}
	}
	t.Logf("phases: %v; 503s: %v", o.phases, unavailable)
}

// bilingualUnavailable reports whether a 503 says the service is
// unavailable in Bahasa Indonesia and in English: as a JSON error, or on a
// page.
func bilingualUnavailable(a answer) bool {
	var e struct {
		Error struct {
			Code      string `json:"code"`
			Message   string `json:"message"`
			MessageEN string `json:"message_en"`
		} `json:"error"`
	}
	if json.Unmarshal(a.body, &e) == nil && e.Error.Code != "" {
		return e.Error.Code == "unavailable" && strings.Contains(e.Error.Message, unavailableID) && strings.Contains(e.Error.MessageEN, unavailableEN)
	}
	return bytes.Contains(a.body, []byte(unavailableID)) && bytes.Contains(a.body, []byte(unavailableEN))
}

// resend sends again, as a region would, every push not answered 201, and
// returns the feed of every year answered 201, then or now.
func (o *outage) resend(t *testing.T) map[int]string {
	t.Helper()
	acked := map[int]string{}
	for _, a := range o.answers {
		if a.kind != "push" {
			continue
		}
		if a.status != http.StatusCreated {
			if a = o.push(a.year, a.csv); a.status != http.StatusCreated {
				t.Errorf("a push refused during the outage, sent again: %v", a.detail())
				continue
			}
		}
		acked[a.year] = a.feed
	}
	return acked
}

// checkManifests checks every release manifest in the store, live or not:
// each partition it lists exists, with the sha256 and size it says.
func checkManifests(t *testing.T, st store.Store) {
	t.Helper()
	ctx := t.Context()
	checked := map[string]bool{}
	var manifests []string
	err := st.List(ctx, "releases/", func(obj store.Object) error {
		if name := filepath.Base(obj.Key); strings.Count(name, ".") == 1 && strings.HasSuffix(name, ".json") {
			manifests = append(manifests, obj.Key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range manifests {
		b, err := store.ReadAll(ctx, st, key, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		var m publisher.Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		for _, p := range m.Partitions {
			if p.Withdrawn() || checked[p.Path] {
				continue
			}
			checked[p.Path] = true
			rc, _, err := st.Get(ctx, p.Path)
			if err != nil {
				t.Errorf("release %s lists %s: %v", m.ID, p.Path, err)
				continue
			}
			h := sha256.New()
			n, err := io.Copy(h, rc)
			rc.Close()
			if sum := hex.EncodeToString(h.Sum(nil)); err != nil || sum != p.SHA256 || n != p.Bytes {
				t.Errorf("release %s lists %s with sha256 %s, %d bytes; it has %s, %d bytes (%v)", m.ID, p.Path, p.SHA256, p.Bytes, sum, n, err)
			}
		}
	}
	t.Logf("%d manifests, %d partition files checked", len(manifests), len(checked))
}

// waitLogged waits until the server has logged n lines containing substr.
func waitLogged(t *testing.T, l *serveLog, substr string, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		changed := l.changed
		l.mu.Unlock()
		if l.count(substr) >= n {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("the server did not log %q %d times within %v", substr, n, timeout)
		}
	}
}

// getPaced gets url and returns the status, waiting as Retry-After says
// whenever the portal's rate limit answers 429, at most ten times.
func getPaced(t *testing.T, url string) int {
	t.Helper()
	for range 10 {
		resp, err := outageHTTP.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
		if resp.StatusCode != http.StatusTooManyRequests || err != nil || secs > 10 {
			return resp.StatusCode
		}
		// The rate limit is the scenario's, not a wait for an event.
		time.Sleep(time.Duration(max(secs, 1)) * time.Second)
	}
	return http.StatusTooManyRequests
}

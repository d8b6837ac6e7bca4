package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/publisher"
)

// Bounds of TestCLIServeReplicasBehindNginx.
const (
	// replicaSearchable is how soon after a push is acknowledged its rows
	// must be searchable on every replica.
	replicaSearchable = 5 * time.Second
	// replicaRounds is how many times both replicas take a push at once.
	replicaRounds = 3
	// replicaFirstYear is the fiscal year of the first push; each push has
	// a year, and so a partition, of its own.
	replicaFirstYear = 2031
	replicaWorkers   = 4
	// replicaLoadBefore is how many searches each replica answers before
	// one is killed; replicaLoadAfter how many are sent after the kill.
	replicaLoadBefore = 150
	replicaLoadAfter  = 600
)

// replicaWords name the pushed feeds: each feed's rows, and only they, have
// its word in their account name.
var replicaWords = []string{"gamelan", "angklung", "sasando", "kecapi", "serunai", "talempong", "kolintang", "tarawangsa"}

// TestCLIServeReplicasBehindNginx runs two portal replicas on one bucket,
// each building an index of its own from the store, behind Debian's nginx
// balancing round robin, as DESIGN.md's "Scaling out" has it. A feed
// pushed through the balancer, or to both replicas at once, is searchable
// on both within replicaSearchable of its acknowledgement, and the live
// release keeps every one. When one replica is killed with SIGKILL under a
// steady load of searches, no more requests fail than the killed replica
// was answering at that moment.
func TestCLIServeReplicasBehindNginx(t *testing.T) {
	requireNginx(t)
	m := startMinio(t)
	env := append(m.env(t, "terbuka-replicas"), "TERBUKA_PUSH_WAIT=30s")
	publishFeeds(t, env)
	_, out := terbuka(t, env, "token", "create", "--region", "32.73", "--name", "BPKAD Kota Bandung")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]
	st := openEnvStore(t, env)
	pub := publisher.New(st, quietLog)

	// Searches come from one address, the balancer's: no per-client limit.
	// The replicas look for a release the other published at serve's
	// default --poll.
	args := []string{"--search-rate", "0"}
	victim := startKillable(t, ownIndex(t, env), args...)
	_, survivorURL, survivorLog := startServeCmd(t, ownIndex(t, env), args...)
	replicas := []replica{{"a", victim.url, victim.log}, {"b", survivorURL, survivorLog}}
	for _, r := range replicas {
		r.waitReady(t, pub)
	}
	lb := startNginx(t, replicas[0].addr(), replicas[1].addr())
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("nginx:\n%s", lb.logs())
			for _, r := range replicas {
				t.Logf("replica %s's errors:\n%s", r.name, r.log.matching("level=ERROR"))
			}
		}
	})

	ps := &replicaPushes{secret: secret, replicas: replicas}
	ps.throughBalancer(t, lb.url)
	ps.toBoth(t)
	ps.checkLive(t, pub)

	l := &replicaLoad{url: lb.url + "search?q=jalan",
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: replicaWorkers}}}
	killed := l.run(t, func() { victim.kill() }, replicas[0].addr(), replicas[1].addr())
	l.check(t, killed, replicas[0].addr())
	if errs := survivorLog.matching("panic"); errs != "" {
		t.Errorf("replica b panicked:\n%s", errs)
	}
}

// replicaPushes pushes the feeds of TestCLIServeReplicasBehindNginx.
type replicaPushes struct {
	secret   string
	replicas []replica
	all      []*pushed
}

// next is a new feed, with a word and a year of its own.
func (ps *replicaPushes) next() *pushed {
	p := &pushed{word: replicaWords[len(ps.all)], year: replicaFirstYear + len(ps.all), rows: 3}
	ps.all = append(ps.all, p)
	return p
}

// throughBalancer pushes two feeds through nginx, one after the other:
// round robin lands them on each replica in turn.
func (ps *replicaPushes) throughBalancer(t *testing.T, lb string) {
	t.Helper()
	landed := map[string]bool{}
	for range 2 {
		p := ps.next()
		if err := p.pushAndFind(lb, ps.secret, ps.replicas); err != nil {
			t.Fatal(err)
		}
		landed[p.via] = true
		checkSearchable(t, ps.replicas, p)
	}
	if len(landed) != 2 {
		t.Errorf("two pushes through nginx landed on %v; want one on each replica", landed)
	}
}

// toBoth pushes a feed to each replica at the same moment, round after
// round: both publish a release at once, one moves current first and the
// other rebases onto it.
func (ps *replicaPushes) toBoth(t *testing.T) {
	t.Helper()
	for range replicaRounds {
		both := []*pushed{ps.next(), ps.next()}
		start := make(chan struct{})
		errs := make([]error, len(ps.replicas))
		var wg sync.WaitGroup
		for i, r := range ps.replicas {
			wg.Go(func() {
				<-start
				errs[i] = both[i].pushAndFind(r.url, ps.secret, ps.replicas)
			})
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		checkSearchable(t, ps.replicas, both...)
	}
}

// checkLive fails the test unless the live release lists every feed
// answered 201.
func (ps *replicaPushes) checkLive(t *testing.T, pub *publisher.Publisher) {
	t.Helper()
	live, err := pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps.all {
		part, ok := live.Partition(publisher.PartitionKey("budget", "32.73", p.year))
		if !ok || !slices.Contains(part.Feeds, p.feed) {
			t.Errorf("feed %s (budget 32.73 %d) was answered 201 by %s, but the live release %s does not list it (partition: %+v)", p.feed, p.year, p.via, live.ID, part)
		}
	}
	t.Logf("live release %s; publishers that lost the race to move current and rebased: %d on a, %d on b",
		live.ID, ps.replicas[0].log.count("rebasing"), ps.replicas[1].log.count("rebasing"))
}

// ownIndex is env with an empty index directory of its own.
func ownIndex(t *testing.T, env []string) []string {
	return append(slices.Clip(env), "TERBUKA_INDEX="+filepath.Join(t.TempDir(), "index"))
}

// replica is one portal process of TestCLIServeReplicasBehindNginx.
type replica struct {
	name string
	url  string
	log  *serveLog
}

// addr is the replica's host:port, as nginx's $upstream_addr names it.
func (r replica) addr() string {
	return strings.TrimSuffix(strings.TrimPrefix(r.url, "http://"), "/")
}

// waitReady waits until the replica has built its index and synced it
// with the live release.
func (r replica) waitReady(t *testing.T, pub *publisher.Publisher) {
	t.Helper()
	want, _, err := pub.CurrentID(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	testfiles.Eventually(t, time.Minute, "replica "+r.name+" has indexed release "+want, func() error {
		resp, err := http.Get(r.url + "healthz")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var h struct {
			Release    string `json:"release"`
			IndexReady bool   `json:"index_ready"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
			return fmt.Errorf("healthz answered %d: %v", resp.StatusCode, err)
		}
		if h.Release != want || !h.IndexReady {
			return fmt.Errorf("healthz: release %s, index ready %v", h.Release, h.IndexReady)
		}
		return nil
	})
}

// pushed is a feed of TestCLIServeReplicasBehindNginx and what its push
// was answered.
type pushed struct {
	word string
	year int
	rows int

	feed, release string
	via           string    // host:port of the replica that took it
	sent, acked   time.Time // when the push was sent, and its 201 read
	// found is how long after acked each replica found the rows, and
	// missed why one did not.
	found  []time.Duration
	missed []error
}

// csv is the feed: rows budget lines whose account names hold p.word.
func (p *pushed) csv() []byte {
	b := []byte("stage,agency_name,account_code,account_name,amount\n")
	for i := range p.rows {
		b = fmt.Appendf(b, "murni,Dinas Kebudayaan,5.1.02.01.01.%04d,Belanja Sewa %s %d,%d\n", 24+i, p.word, i+1, 1500000+1000*i)
	}
	return b
}

// push sends the feed to the portal at base with the push API and wants a
// 201: published.
func (p *pushed) push(base, secret string) error {
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%sapi/v1/feeds?dataset=budget&year=%d", base, p.year), bytes.NewReader(p.csv()))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "text/csv")
	p.sent = time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("push %s to %s: %w", p.word, base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	p.acked = time.Now()
	if err != nil || resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("push %s to %s: %d, want 201 (%v)\n%.400s", p.word, base, resp.StatusCode, err, body)
	}
	var rep struct {
		FeedID  string `json:"feed_id"`
		Release string `json:"release"`
	}
	if err := json.Unmarshal(body, &rep); err != nil {
		return fmt.Errorf("push %s to %s: %v\n%.400s", p.word, base, err, body)
	}
	p.feed, p.release = rep.FeedID, rep.Release
	p.via = resp.Header.Get("X-Upstream")
	if p.via == "" {
		p.via = strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
	}
	return nil
}

// pushAndFind pushes the feed to the portal at base, then searches every
// replica for its rows at once.
func (p *pushed) pushAndFind(base, secret string, replicas []replica) error {
	if err := p.push(base, secret); err != nil {
		return err
	}
	p.found, p.missed = make([]time.Duration, len(replicas)), make([]error, len(replicas))
	var wg sync.WaitGroup
	for i, r := range replicas {
		wg.Go(func() { p.found[i], p.missed[i] = searchableAfter(r.url, p) })
	}
	wg.Wait()
	return nil
}

// checkSearchable logs how long after its acknowledgement each replica
// found the rows of each push, and fails the test if one did not within
// replicaSearchable.
func checkSearchable(t *testing.T, replicas []replica, ps ...*pushed) {
	t.Helper()
	for _, p := range ps {
		var on []string
		via := p.via
		for i, r := range replicas {
			if r.addr() == p.via {
				via = "replica " + r.name
			}
			if err := p.missed[i]; err != nil {
				t.Errorf("push of %s via %s: replica %s: %v", p.word, p.via, r.name, err)
				continue
			}
			on = append(on, fmt.Sprintf("%s after %v", r.name, p.found[i].Round(time.Millisecond)))
			if p.found[i] > replicaSearchable {
				t.Errorf("push of %s via %s: replica %s found it %v after the 201, want at most %v", p.word, p.via, r.name, p.found[i], replicaSearchable)
			}
		}
		t.Logf("push of %s (budget 32.73 %d) to %s: 201 after %v, release %s; searchable on %s", p.word, p.year, via,
			p.acked.Sub(p.sent).Round(time.Millisecond), p.release, strings.Join(on, ", "))
	}
}

// searchableAfter searches the replica at base for p's rows every 20 ms
// until it finds them all, and returns how long after p's acknowledgement
// that was. It gives up three times replicaSearchable after it, so that a
// slow replica's figure is still known.
func searchableAfter(base string, p *pushed) (time.Duration, error) {
	u := fmt.Sprintf("%sapi/v1/search?q=%s&region=32.73&year=%d", base, url.QueryEscape(p.word), p.year)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		total, err := foundRows(u)
		if err == nil && total == p.rows {
			return time.Since(p.acked), nil
		}
		if since := time.Since(p.acked); since > 3*replicaSearchable {
			return 0, fmt.Errorf("not searchable %v after the 201: found %d of %d rows (%v)", since.Round(time.Millisecond), total, p.rows, err)
		}
		<-tick.C
	}
}

func foundRows(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var res struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("search answered %d (%v)", resp.StatusCode, err)
	}
	return res.Total, nil
}

// loadAnswer is one search of the steady load.
type loadAnswer struct {
	start, end time.Time
	status     int
	upstream   string // nginx's $upstream_addr: "a" or, retried, "a, b"
	err        error
}

func (a loadAnswer) ok() bool { return a.err == nil && a.status >= 200 && a.status < 300 }

// replicaLoad is a steady load of searches through the balancer: a few
// workers, each sending the next search as soon as the last is answered.
type replicaLoad struct {
	url    string
	client *http.Client

	mu      sync.Mutex
	answers []loadAnswer
}

// run keeps the load up until each upstream has answered
// replicaLoadBefore searches, calls kill, and goes on until
// replicaLoadAfter more searches were sent and answered. It returns when
// kill was called.
func (l *replicaLoad) run(t *testing.T, kill func(), upstreams ...string) time.Time {
	t.Helper()
	stop := make(chan struct{})
	var workers sync.WaitGroup
	for range replicaWorkers {
		workers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				a := l.get()
				l.mu.Lock()
				l.answers = append(l.answers, a)
				l.mu.Unlock()
			}
		})
	}
	stopped := false
	stopLoad := func() {
		if !stopped {
			stopped = true
			close(stop)
			workers.Wait()
			l.client.CloseIdleConnections()
		}
	}
	defer stopLoad()
	testfiles.Eventually(t, time.Minute, fmt.Sprintf("each replica answers %d searches through nginx", replicaLoadBefore), func() error {
		return l.count(func(a loadAnswer) bool { return a.ok() }, upstreams)
	})
	killed := time.Now()
	kill()
	testfiles.Eventually(t, time.Minute, fmt.Sprintf("%d searches sent after the kill are answered", replicaLoadAfter), func() error {
		l.mu.Lock()
		defer l.mu.Unlock()
		n := 0
		for _, a := range l.answers {
			if a.start.After(killed) {
				n++
			}
		}
		if n < replicaLoadAfter {
			return fmt.Errorf("%d so far", n)
		}
		return nil
	})
	stopLoad()
	return killed
}

// count returns an error unless each upstream was the first to take
// replicaLoadBefore answers that cond holds for.
func (l *replicaLoad) count(cond func(loadAnswer) bool, upstreams []string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, u := range upstreams {
		n := 0
		for _, a := range l.answers {
			if cond(a) && firstUpstream(a.upstream) == u {
				n++
			}
		}
		if n < replicaLoadBefore {
			return fmt.Errorf("%s answered %d", u, n)
		}
	}
	return nil
}

func (l *replicaLoad) get() loadAnswer {
	a := loadAnswer{start: time.Now()}
	resp, err := l.client.Get(l.url)
	if err == nil {
		a.status, a.upstream = resp.StatusCode, resp.Header.Get("X-Upstream")
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	a.err, a.end = err, time.Now()
	return a
}

// check fails the test if more searches failed (an error status, or no
// whole answer) than were in flight on the killed replica when it was
// killed: sent before and answered after, first passed to it by nginx.
func (l *replicaLoad) check(t *testing.T, killed time.Time, victim string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var failed, inFlight, inFlightAll, retried, after int
	first, last := killed, killed
	for _, a := range l.answers {
		first, last = minTime(first, a.start), maxTime(last, a.end)
		if a.start.Before(killed) && a.end.After(killed) {
			inFlightAll++
			if firstUpstream(a.upstream) == victim {
				inFlight++
			}
		}
		if strings.Contains(a.upstream, ",") {
			retried++
		}
		if a.start.After(killed) {
			after++
		}
		if !a.ok() {
			failed++
			t.Logf("failed: sent %v after the kill, took %v: status %d, upstream %q, %v",
				a.start.Sub(killed).Round(time.Microsecond), a.end.Sub(a.start).Round(time.Microsecond), a.status, a.upstream, a.err)
		}
	}
	t.Logf("searches through nginx: %d in %v (%d sent after the kill), failed %d; in flight at the kill: %d on the killed replica, %d in all; passed on to the next upstream by nginx: %d",
		len(l.answers), last.Sub(first).Round(time.Millisecond), after, failed, inFlight, inFlightAll, retried)
	if failed > inFlight {
		t.Errorf("%d searches failed, more than the %d in flight on the killed replica", failed, inFlight)
	}
}

// firstUpstream is the first upstream nginx passed a request to.
func firstUpstream(upstreams string) string {
	first, _, _ := strings.Cut(upstreams, ",")
	return strings.TrimSpace(first)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

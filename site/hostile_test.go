package site

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/metrics"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// slowRequest sends a request's head at once and then its body a byte at a
// time, every gap, and returns when the server closes the connection (or
// after limit), with what the server answered.
func slowRequest(t *testing.T, addr, head string, body []byte, gap, limit time.Duration) (answer string, took time.Duration) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Error(err)
		return "", 0
	}
	defer c.Close()
	start := time.Now()
	read := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(c)
		read <- string(b)
	}()
	io.WriteString(c, head)
	for _, b := range body {
		if _, err := c.Write([]byte{b}); err != nil {
			break // cut
		}
		select {
		case a := <-read:
			return a, time.Since(start)
		case <-time.After(gap):
		}
		if time.Since(start) > limit {
			break
		}
	}
	select {
	case a := <-read:
		return a, time.Since(start)
	case <-time.After(limit):
		return "", time.Since(start)
	}
}

// TestSlowBodiesAreCut sends 50 anonymous slow bodies to /kirim and to the
// push API at once, as a crowd of slow-loris clients would: each is cut
// within the body timeout, and nothing of them reaches the disk.
func TestSlowBodiesAreCut(t *testing.T) {
	const timeout = time.Second
	env := newPushEnv(t, Config{BodyTimeout: timeout})
	addr := strings.TrimPrefix(env.ts.URL, "http://")
	form := "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + strings.Repeat("A", 32) + "\r\n--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\ntbk_x\r\n--b--\r\n"
	kirim := fmt.Sprintf("POST /kirim HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\nCookie: csrf=%s\r\n\r\n", addr, len(form)+1000, strings.Repeat("A", 32))
	feed := strings.Repeat("stage,agency_name,account_code,account_name,amount\n", 20)
	push := fmt.Sprintf("POST /api/v1/feeds?dataset=budget&year=2024 HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n\r\n", addr, len(feed)+1000)
	var wg sync.WaitGroup
	for i := range 50 {
		head, body := kirim, form
		if i%2 == 1 {
			head, body = push, feed
		}
		wg.Go(func() {
			answer, took := slowRequest(t, addr, head, []byte(body), 100*time.Millisecond, 10*timeout)
			if took > 5*timeout {
				t.Errorf("a slow body was held %v (timeout %v)", took.Round(time.Millisecond), timeout)
			}
			if answer != "" && !strings.HasPrefix(answer, "HTTP/1.1 4") {
				t.Errorf("a slow body was answered %.60q", answer)
			}
		})
	}
	wg.Wait()
	left, _ := os.ReadDir(env.in.TempDir)
	if len(left) != 0 {
		t.Errorf("slow bodies left %d files in the work directory", len(left))
	}
	var keys []string
	env.st.List(t.Context(), "raw/", func(o store.Object) error { keys = append(keys, o.Key); return nil })
	if len(keys) != 0 {
		t.Errorf("slow bodies reached the store: %v", keys)
	}
}

// TestStalledPushIsCut: an authorised push that stops sending is answered
// 408 within the body timeout, leaves nothing behind and is counted.
func TestStalledPushIsCut(t *testing.T) {
	const timeout = time.Second
	m := metrics.New(quiet)
	env := newPushEnv(t, Config{BodyTimeout: timeout, Metrics: m})
	addr := strings.TrimPrefix(env.ts.URL, "http://")
	head := fmt.Sprintf("POST /api/v1/feeds?dataset=budget&year=2024 HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nAuthorization: Bearer %s\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n", addr, env.bandung)
	answer, took := slowRequest(t, addr, head+"stage,agency_name", nil, 0, 10*timeout)
	if !strings.HasPrefix(answer, "HTTP/1.1 408") || took > 5*timeout {
		t.Errorf("a stalled push was answered %.80q after %v", answer, took)
	}
	if left, _ := os.ReadDir(env.in.TempDir); len(left) != 0 {
		t.Errorf("a stalled push left %d files", len(left))
	}
	if n := limitHits(t, m, metrics.TooSlow); n != 1 {
		t.Errorf("stalled pushes counted: %v, want 1", n)
	}
}

// TestSlowDownloadCompletes reads a 70 MB download at 200 KB/s, about six
// minutes, with the server's default timeouts: a reader at a steady rate
// gets the whole file, though it takes three times the page write timeout.
func TestSlowDownloadCompletes(t *testing.T) {
	if testing.Short() {
		t.Skip("six minutes of reading at 200 KB/s; make test runs it")
	}
	t.Parallel() // it mostly waits
	env := newPushEnv(t, Config{})
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget); status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	live, err := env.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// The download's bytes are the test's: 70 MB that gzip cannot shrink.
	big := make([]byte, 70<<20)
	rand.Read(big)
	p := live.Partitions[0]
	if _, err := env.st.Put(t.Context(), publisher.DownloadCSVPath(p), bytes.NewReader(big), int64(len(big)), store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(env.ts.URL + "/downloads/" + live.ID + "/budget/32.73/2024.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	var got bytes.Buffer
	br := bufio.NewReaderSize(resp.Body, 20<<10)
	for {
		n, err := io.CopyN(&got, br, 20<<10)
		if err != nil || n == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond) // the reader's pace: 200 KB/s is the scenario
	}
	if !bytes.Equal(got.Bytes(), big) {
		t.Errorf("read %d of %d bytes in %v", got.Len(), len(big), time.Since(start).Round(time.Millisecond))
	}
}

// TestConnectionCap: past the cap, a connection is answered 503 with
// Retry-After at once, not left hanging, and counted.
func TestConnectionCap(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })}
	m := metrics.New(quiet)
	go srv.Serve(LimitListener(ln, 2, m))
	t.Cleanup(func() { srv.Close() })
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
		defer c.Close()
	}
	// The first two are accepted; make sure the server has them.
	for _, c := range held {
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		if line, err := bufio.NewReader(c).ReadString('\n'); err != nil || !strings.Contains(line, "200") {
			t.Fatalf("held connection: %q %v", line, err)
		}
	}
	// A raw connection: the refusal may arrive before the request is
	// written, which net/http's client takes for a broken connection.
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n") // may fail: the server has answered
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third connection = %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if n := limitHits(t, m, metrics.ConnCap); n != 1 {
		t.Errorf("refused connections counted: %v, want 1", n)
	}
}

// TestPushesBeyondTheQueueAreRefused: with the queue full, a push is
// answered 503 with Retry-After before its body is read, and counted.
func TestPushesBeyondTheQueueAreRefused(t *testing.T) {
	m := metrics.New(quiet)
	env := newPushEnv(t, Config{BodyTimeout: 3 * time.Second, Metrics: m})
	env.in.MaxSubmitted = 1
	addr := strings.TrimPrefix(env.ts.URL, "http://")
	// One push holds the only place, sending slowly.
	head := fmt.Sprintf("POST /api/v1/feeds?dataset=budget&year=2024 HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nAuthorization: Bearer %s\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n\r\n", addr, env.bandung, len(bandungBudget))
	holding := make(chan string, 1)
	go func() {
		a, _ := slowRequest(t, addr, head, bandungBudget, 4*time.Millisecond, time.Minute)
		holding <- a
	}()
	time.Sleep(300 * time.Millisecond) // the first push is now sending its body: that is the scenario
	status, body, h := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget)
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" {
		t.Errorf("push with the queue full = %d %v (Retry-After %q), want 503 with Retry-After", status, body, h.Get("Retry-After"))
	}
	if a := <-holding; !strings.HasPrefix(a, "HTTP/1.1 201") {
		t.Errorf("the slow push was answered %.80q", a)
	}
	if n := limitHits(t, m, metrics.SubmitBusy); n != 1 {
		t.Errorf("pushes refused while busy counted: %v, want 1", n)
	}
}

// TestSearchRateLimitPerClient: one client searching in a loop is slowed
// with 429 and Retry-After; clients behind a trusted proxy are told apart
// by X-Forwarded-For, and the header of an untrusted peer is ignored.
func TestSearchRateLimitPerClient(t *testing.T) {
	env := newPushEnv(t, Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	search := func(forwardedFor string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, env.ts.URL+"/api/v1/search?q=jalan", nil)
		if forwardedFor != "" {
			req.Header.Set("X-Forwarded-For", forwardedFor)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	limited := 0
	for range clientLimit(0, defaultSearchRate, 6).burst + 20 {
		if resp := search("203.0.113.7"); resp.StatusCode == http.StatusTooManyRequests {
			limited++
			if resp.Header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
		}
	}
	if limited == 0 {
		t.Errorf("%d searches in a burst from one client: none limited", clientLimit(0, defaultSearchRate, 6).burst+20)
	}
	if resp := search("203.0.113.8"); resp.StatusCode != http.StatusOK {
		t.Errorf("another client behind the proxy = %d, want 200", resp.StatusCode)
	}
	// Without trusted proxies, the header names nobody.
	untrusting := newPushEnv(t, Config{})
	for i := range clientLimit(0, defaultSearchRate, 6).burst + 20 {
		req, _ := http.NewRequest(http.MethodGet, untrusting.ts.URL+"/api/v1/search?q=jalan", nil)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			return
		}
	}
	t.Error("an untrusted X-Forwarded-For escaped the per-client limit")
}

// TestLinksNeverFromHostHeader: without a public URL, a request's Host
// header never becomes a link in an answer others may be served from a
// cache.
func TestLinksNeverFromHostHeader(t *testing.T) {
	env := newPushEnv(t, Config{})
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget); status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	ix, err := search.Empty()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	srv, err := New(Config{Publisher: env.pub, Store: env.st, Regions: dataset.LoadRegions(), Log: quiet, Index: ix})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/releases/000001.json", "/releases/000001/datapackage.json", "/catalog.jsonld", "/releases.atom", "/api/3/action/package_show?id=budget"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Host = "evil.example"
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if strings.Contains(rec.Body.String(), "evil.example") {
			t.Errorf("%s (%d) links to the Host header:\n%.300s", path, rec.Code, rec.Body.String())
		}
	}
}

// TestAPISaysIndexRebuilding: while the index is being built, the search
// API says so (and is not cached), so a script does not take an empty or
// partial answer for the data; once ready it says nothing.
func TestAPISaysIndexRebuilding(t *testing.T) {
	srv, _ := newEmptyServer(t)
	ask := func() (string, http.Header) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/search?q=jalan", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("search = %d %s", rec.Code, rec.Body)
		}
		return rec.Body.String(), rec.Header()
	}
	body, h := ask()
	if !strings.Contains(body, `"rebuilding": true`) || !strings.Contains(body, "Pencarian sedang dibangun ulang") || h.Get("Cache-Control") != "no-store" {
		t.Errorf("while rebuilding: Cache-Control %q\n%s", h.Get("Cache-Control"), body)
	}
	srv.ready.Store(true) // as SetReady, without its background sums
	if body, _ := ask(); strings.Contains(body, "rebuilding") || strings.Contains(body, "notice") {
		t.Errorf("once ready the answer still says it is rebuilding:\n%s", body)
	}
}

// newEmptyServer is a portal over an empty index and an empty store.
func newEmptyServer(t *testing.T) (*Server, *search.Index) {
	t.Helper()
	ix, err := search.Empty()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	srv, err := New(Config{Index: ix, Publisher: publisher.New(storetest.Dir(t), quiet), Regions: dataset.LoadRegions(), Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return srv, ix
}

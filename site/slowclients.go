package site

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/terbuka/terbuka/metrics"
)

// Slow clients are cut by rates, not by fixed totals: a region on a slow
// line may take an hour to send a large feed and a citizen an hour to
// fetch a large download, but nobody may hold a connection while sending
// or reading next to nothing.
const (
	defaultBodyTimeout = 30 * time.Second
	// defaultMinBodyRate is the least average rate, in bytes per second, at
	// which an authorised sender must send once the first BodyTimeout has
	// passed.
	defaultMinBodyRate = 8 << 10
	// defaultPageWriteTimeout bounds writing a page or an API answer;
	// downloads instead get BodyTimeout for every chunk.
	defaultPageWriteTimeout = 2 * time.Minute
	// defaultMaxConns is how many connections the server keeps open at once.
	defaultMaxConns = 512
	// busyRetryAfter is what Retry-After says when the server is full.
	busyRetryAfter = "10"
	// unavailableRetryAfter is what it says when the store or the index
	// cannot answer.
	unavailableRetryAfter = "30"
)

// HTTPServer returns the http.Server to run the portal with: headers must
// arrive within 10 s, and the rest of each request's deadlines are set per
// request (see deadlines), so a fixed total never cuts a slow but steady
// upload or download.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(s.cfg.Log.Handler(), slog.LevelWarn)}
}

func (s *Server) bodyTimeout() time.Duration { return cmp.Or(s.cfg.BodyTimeout, defaultBodyTimeout) }

// deadlines gives every request BodyTimeout to send its body and
// PageWriteTimeout to be answered; handlers that stream extend them as
// they go (minRateBody, steadyWriter).
//
// The read deadline lasts only while there is a body to read: once it has
// been read (at once, when there is none) net/http watches the connection
// with a read of its own, and a deadline passing under that read cancels
// the context of this request and of every later one on the connection,
// so a handler slower than BodyTimeout (a store that does not answer)
// would fail, and so would all that its client asked next.
func (s *Server) deadlines(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		now := time.Now()
		if r.Body != nil && r.Body != http.NoBody {
			_ = rc.SetReadDeadline(now.Add(s.bodyTimeout()))
			r.Body = &bodyDeadline{ReadCloser: r.Body, rc: rc}
		}
		_ = rc.SetWriteDeadline(now.Add(cmp.Or(s.cfg.PageWriteTimeout, defaultPageWriteTimeout)))
		next.ServeHTTP(w, r)
	})
}

// bodyDeadline lifts the connection's read deadline when the body has been
// read to its end.
type bodyDeadline struct {
	io.ReadCloser
	rc *http.ResponseController
}

func (b *bodyDeadline) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// errTooSlow is minRateBody's error for a sender below the minimum rate.
var errTooSlow = errors.New("the body arrives too slowly")

// minRateBody reads an authorised sender's body: each read may wait up to
// BodyTimeout, and after the first BodyTimeout the average rate must stay
// at least MinBodyRate.
type minRateBody struct {
	r       io.Reader
	rc      *http.ResponseController
	idle    time.Duration
	minRate int64
	start   time.Time
	n       int64
}

func (s *Server) minRateBody(w http.ResponseWriter, r io.Reader) *minRateBody {
	return &minRateBody{r: r, rc: http.NewResponseController(w), idle: s.bodyTimeout(),
		minRate: int64(cmp.Or(s.cfg.MinBodyRate, defaultMinBodyRate)), start: time.Now()}
}

func (b *minRateBody) Read(p []byte) (int, error) {
	if el := time.Since(b.start); el > b.idle && float64(b.n) < el.Seconds()*float64(b.minRate) {
		return 0, errTooSlow
	}
	_ = b.rc.SetReadDeadline(time.Now().Add(b.idle))
	n, err := b.r.Read(p)
	b.n += int64(n)
	return n, err
}

// steadyWriter writes a download: each write may take up to BodyTimeout,
// so a reader at any reasonable rate gets the whole file and one who stops
// reading is cut.
type steadyWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration
}

func (s *Server) steadyWriter(w http.ResponseWriter) *steadyWriter {
	return &steadyWriter{ResponseWriter: w, rc: http.NewResponseController(w), idle: s.bodyTimeout()}
}

func (w *steadyWriter) Write(p []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.idle))
	return w.ResponseWriter.Write(p)
}

func (w *steadyWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// LimitListener keeps at most max connections open (0: 512). A connection
// past it is answered 503 with Retry-After and closed, rather than left
// waiting in the kernel's queue where the client cannot tell why; m, when
// set, counts it.
func LimitListener(ln net.Listener, max int, m *metrics.Set) net.Listener {
	return &limitListener{Listener: ln, max: int64(cmp.Or(max, defaultMaxConns)), metrics: m}
}

type limitListener struct {
	net.Listener
	max     int64
	open    atomic.Int64
	metrics *metrics.Set
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.open.Add(1) <= l.max {
			return &countedConn{Conn: c, release: func() { l.open.Add(-1) }}, nil
		}
		l.open.Add(-1)
		l.metrics.LimitHit(metrics.ConnCap)
		go refuse(c)
	}
}

// refuse answers a connection the server has no room for.
func refuse(c net.Conn) {
	const msg = "server sibuk; coba lagi sebentar lagi / server busy; try again shortly\n"
	_ = c.SetDeadline(time.Now().Add(time.Second))
	fmt.Fprintf(c, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: %s\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", busyRetryAfter, len(msg), msg)
	c.Close()
}

type countedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *countedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}

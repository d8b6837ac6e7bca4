package site

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/metrics"
)

// Request rates a deployment can live with: a newsroom behind one address
// searching hard stays under them; a scraper in a loop does not. Pushes are
// counted per token, so regions behind one proxy never share a budget.
var (
	searchRate   = limit{every: 10, burst: 60}  // per client, per second
	downloadRate = limit{every: 2, burst: 20}   // per client, per second
	pushRate     = limit{every: 0.1, burst: 30} // per token: a batch, then one each 10 s
)

// limit is a token bucket's rate (per second) and burst.
type limit struct {
	every float64
	burst int
}

// limiter keeps a token bucket per key (a client address, a token id).
type limiter struct {
	limit
	// kind names the limit in the metrics.
	kind    metrics.Limit
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

func newLimiter(l limit, kind metrics.Limit) *limiter {
	return &limiter{limit: l, kind: kind, buckets: map[string]*rate.Limiter{}}
}

// allow takes one request of key from its bucket, or says how long to wait.
func (l *limiter) allow(key string) (bool, time.Duration) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buckets) > 10_000 {
		// Full buckets are those of clients gone quiet: drop them, so a
		// scan from many addresses cannot fill memory.
		for k, b := range l.buckets {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
	}
	b := l.buckets[key]
	if b == nil {
		b = rate.NewLimiter(rate.Limit(l.every), l.burst)
		l.buckets[key] = b
	}
	res := b.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// tooMany is the 429 of a request over the limit kind.
func tooMany(wait time.Duration, kind metrics.Limit) error {
	secs := int(math.Ceil(wait.Seconds()))
	return &userError{status: http.StatusTooManyRequests, retryAfter: fmt.Sprint(secs), limit: kind,
		msg: dataset.Label{ID: fmt.Sprintf("terlalu banyak permintaan; coba lagi dalam %d detik", secs), EN: fmt.Sprintf("too many requests; try again in %d s", secs)},
		err: errRateLimited}
}

var errRateLimited = fmt.Errorf("rate limited")

// perClient limits h's requests per client address.
func (s *Server) perClient(l *limiter, h appHandler) appHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if ok, wait := l.allow(s.clientAddr(r)); !ok {
			return tooMany(wait, l.kind)
		}
		return h(w, r)
	}
}

// clientAddr is the address of the request's client: the connection's
// peer, or, when that peer is a trusted proxy, the nearest address in
// X-Forwarded-For that is not one. Without trusted proxies the header is
// ignored, since anyone can write it.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(addr) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled hop: trust nothing before it
		}
		if !s.trusted(hop) {
			return hop.String()
		}
	}
	return host
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

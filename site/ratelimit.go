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

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/metrics"
)

// Request rates a deployment can live with: a newsroom behind one address
// searching hard stays under them; a scraper in a loop does not. Pushes are
// counted per token, so regions behind one proxy never share a budget.
// Config.SearchRate and DownloadRate change the per-client rates (bursts
// follow: six and ten seconds' worth).
const (
	defaultSearchRate   = 10 // per client, per second
	defaultDownloadRate = 2  // per client, per second
)

var pushRate = limit{every: 0.1, burst: 30} // per token: a batch, then one each 10 s

// clientLimit is the bucket of a per-client rate r (per second) whose
// burst lasts for burstSeconds; r < 0 turns the limit off.
func clientLimit(r float64, def float64, burstSeconds int) limit {
	if r == 0 {
		r = def
	}
	if r < 0 {
		return limit{}
	}
	return limit{every: r, burst: max(1, int(r*float64(burstSeconds)))}
}

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
	if l.every == 0 {
		return true, 0 // turned off
	}
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

// perClientDownload limits downloads per client; a download of "latest"
// is only a redirect to the release's address, which is limited.
func (s *Server) perClientDownload(h appHandler) appHandler {
	limited := s.perClient(s.downloads, h)
	return func(w http.ResponseWriter, r *http.Request) error {
		if mux.Vars(r)["release"] == "latest" {
			return h(w, r)
		}
		return limited(w, r)
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

package site

import (
	"bytes"
	"container/list"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/terbuka/terbuka/metrics"
)

// answerCache keeps whole answers (a search page, a profile, an API
// answer) by their ETag. The ETag is a hash of everything an answer is a
// function of (cached, etag), so an answer found under it is the one the
// handler would write again: a hit costs a map lookup and a copy, where
// rendering a search page from cached results took most of a millisecond.
// A new release or index changes every ETag; the answers of the old one
// are never asked for again and leave as the least recently used.
//
// It holds at most maxBytes of bodies, least recently used first out, and
// no answer over maxAnswerBytes (downloads and long CSVs stream past it).
// Safe for concurrent use.
type answerCache struct {
	maxBytes int64

	mu      sync.Mutex
	entries map[string]*list.Element // of *cachedAnswer, by ETag
	lru     list.List                // most recently used at the front
	bytes   int64

	hits, misses, evictions atomic.Uint64
}

// maxAnswerBytes is the largest answer kept: a few times a search page
// (30–50 KB), so that one export does not push out a thousand pages.
const maxAnswerBytes = 256 << 10

// cachedAnswer is one answer: the headers its handler set, and its body.
type cachedAnswer struct {
	etag   string
	header http.Header
	body   []byte
}

// size is what an answer costs the cache: its body, headers and entry.
func (a *cachedAnswer) size() int64 {
	n := len(a.body) + len(a.etag) + 200
	for k, vs := range a.header {
		n += len(k) + 16
		for _, v := range vs {
			n += len(v) + 16
		}
	}
	return int64(n)
}

// newAnswerCache returns a cache of at most maxBytes; nil when maxBytes
// is 0 or less, which keeps nothing.
func newAnswerCache(maxBytes int64) *answerCache {
	if maxBytes <= 0 {
		return nil
	}
	return &answerCache{maxBytes: maxBytes, entries: map[string]*list.Element{}}
}

// get returns the answer kept under etag.
func (c *answerCache) get(etag string) (*cachedAnswer, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[etag]
	if !ok {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	c.lru.MoveToFront(e)
	return e.Value.(*cachedAnswer), true
}

// put keeps a, dropping the least recently used answers to make room.
func (c *answerCache) put(a *cachedAnswer) {
	n := a.size()
	if c == nil || n > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[a.etag]; ok {
		c.remove(e)
	}
	for c.bytes+n > c.maxBytes {
		c.remove(c.lru.Back())
		c.evictions.Add(1)
	}
	c.entries[a.etag] = c.lru.PushFront(a)
	c.bytes += n
}

func (c *answerCache) remove(e *list.Element) {
	a := c.lru.Remove(e).(*cachedAnswer)
	delete(c.entries, a.etag)
	c.bytes -= a.size()
}

// stats reads the cache's counts for /metrics.
func (c *answerCache) stats() metrics.CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return metrics.CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Evictions: c.evictions.Load(),
		Bytes: c.bytes, MaxBytes: c.maxBytes, Entries: len(c.entries)}
}

// serve writes a kept answer: the headers its handler set over those the
// middleware set for this request, then its body (none for HEAD).
func (a *cachedAnswer) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, vs := range a.header {
		if k == "Vary" {
			for _, v := range vs {
				addVary(h, v)
			}
			continue
		}
		h[k] = vs
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(a.body)
	}
}

// answerRecorder copies what a handler writes, up to maxAnswerBytes, so
// that a complete answer can be kept; statusRecorder keeps its status. What
// it sees must be the answer as any reader would get it: a 200 without a
// cookie, of a GET.
type answerRecorder struct {
	statusRecorder
	// before holds the headers the middleware had set when the handler
	// began: the handler's own are the others.
	before http.Header
	// cacheControl is what cached said of the answer; a handler that
	// says otherwise (no-store for a form's token) is not to be kept.
	cacheControl string
	body         bytes.Buffer
	overflow     bool
}

func (w *answerRecorder) Write(p []byte) (int, error) {
	if !w.overflow {
		if w.body.Len()+len(p) > maxAnswerBytes {
			w.overflow = true
			w.body = bytes.Buffer{}
		} else {
			w.body.Write(p)
		}
	}
	return w.statusRecorder.Write(p)
}

// answer returns what was written as an answer to keep under etag, and
// false when it may not be kept: not a complete 200, one that sets a
// cookie (the reader's own), one whose handler changed how it may be
// cached, or one too large.
func (w *answerRecorder) answer(etag string) (*cachedAnswer, bool) {
	h := w.ResponseWriter.Header()
	if w.status() != http.StatusOK || w.overflow || h.Get("Set-Cookie") != "" || h.Get("Cache-Control") != w.cacheControl || h.Get("ETag") != etag {
		return nil, false
	}
	own := http.Header{}
	for k, vs := range h {
		if k == "Etag" || k == "Cache-Control" {
			continue // cached sets them for each request
		}
		if old, ok := w.before[k]; !ok || !slices.Equal(old, vs) {
			own[k] = slices.Clone(vs)
		}
	}
	return &cachedAnswer{etag: etag, header: own, body: bytes.Clone(w.body.Bytes())}, true
}

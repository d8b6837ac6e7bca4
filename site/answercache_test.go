package site

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAnswerCache: with the answer cache on, the same request of the same
// release is answered from memory with the same body and headers and
// without searching; a new release, a reader's own cookie, an error or a
// HEAD request first are never answered from it.
func TestAnswerCache(t *testing.T) {
	e := newCacheEnvWith(t, Config{AnswerCacheBytes: 1 << 20})
	c := rawClient(t)
	type seen struct {
		status                                int
		contentType, etag, cacheControl, vary string
		cookie                                bool
		body                                  string
	}
	get := func(method, path string, header map[string]string) seen {
		t.Helper()
		resp, body := fetch(t, c, method, e.ts.URL+path, header)
		return seen{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"),
			strings.Join(resp.Header.Values("Vary"), ", "), len(resp.Header.Values("Set-Cookie")) > 0, string(body)}
	}
	searches := func() int64 { return e.counted.searches.Load() }

	for _, path := range []string{"/search?q=jalan", "/api/v1/search?q=jalan", "/"} {
		first := get(http.MethodGet, path, nil)
		before := searches()
		again := get(http.MethodGet, path, nil)
		if diff := cmp.Diff(again, first, cmp.AllowUnexported(seen{})); diff != "" {
			t.Errorf("%s asked again (-again +first):\n%s", path, diff)
		}
		if first.status != http.StatusOK || first.etag == "" || first.contentType == "" || len(first.body) < 1000 {
			t.Errorf("%s: status %d, ETag %q, Content-Type %q, %d bytes: not an answer worth keeping", path, first.status, first.etag, first.contentType, len(first.body))
		}
		if n := searches() - before; n != 0 {
			t.Errorf("%s asked again searched %d times, want 0: the answer is kept", path, n)
		}
	}
	if st := e.srv.answers.stats(); st.Hits != 3 || st.Entries != 3 || st.Bytes <= 0 {
		t.Errorf("answer cache after three answers asked twice: %+v, want 3 hits of 3 entries", st)
	}

	// A HEAD request first keeps nothing; one after a GET is answered
	// from the kept answer, with its headers and no body.
	head := get(http.MethodHead, "/search?q=pendidikan", nil)
	before := searches()
	full := get(http.MethodGet, "/search?q=pendidikan", nil)
	if searches() == before {
		t.Error("GET after HEAD did not search: HEAD kept an answer")
	}
	before = searches()
	headAgain := get(http.MethodHead, "/search?q=pendidikan", nil)
	if searches() != before || headAgain.body != "" || headAgain.contentType != full.contentType || headAgain.etag != full.etag || head.etag != full.etag {
		t.Errorf("HEAD after GET: searched %d times, %d bytes, Content-Type %q (GET %q), ETag %q (GET %q, first HEAD %q)",
			searches()-before, len(headAgain.body), headAgain.contentType, full.contentType, headAgain.etag, full.etag, head.etag)
	}

	// Answers never kept: one that sets the reader's language cookie, and
	// an error page.
	for _, path := range []string{"/search?q=jalan&lang=en", "/data/budget/32.73/2024/0000000000000000"} {
		first := get(http.MethodGet, path, nil)
		before := searches()
		entries := e.srv.answers.stats().Entries
		again := get(http.MethodGet, path, nil)
		if again.body != first.body {
			t.Errorf("%s: answers differ", path)
		}
		if got := e.srv.answers.stats().Entries; got != entries {
			t.Errorf("%s kept: %d entries, was %d", path, got, entries)
		}
		if strings.HasPrefix(path, "/search") && searches() == before {
			t.Errorf("%s asked again did not search", path)
		}
	}

	// A new release, once indexed: the kept page is not the answer. The
	// amended account's line now has its perubahan stage.
	const amended = "/search?q=5.1.02.01.01.0024"
	old := get(http.MethodGet, amended, nil)
	e.publishAmendment(t)
	e.follow(t)
	before = searches()
	fresh := get(http.MethodGet, amended, nil)
	if searches() == before || fresh.etag == old.etag || fresh.body == old.body {
		t.Errorf("search after a new release: searched %d times, ETag %q (was %q), body changed %v", searches()-before, fresh.etag, old.etag, fresh.body != old.body)
	}
}

// TestAnswerCacheBounds: the cache holds at most its bytes, dropping the
// least recently used answer first, and keeps no answer larger than
// maxAnswerBytes or than the whole cache.
func TestAnswerCacheBounds(t *testing.T) {
	answer := func(tag string, n int) *cachedAnswer {
		return &cachedAnswer{etag: tag, header: http.Header{"Content-Type": {"text/html"}}, body: bytes.Repeat([]byte("x"), n)}
	}
	one := answer("a", 1000).size()
	c := newAnswerCache(3 * one)
	for _, tag := range []string{"a", "b", "c"} {
		c.put(answer(tag, 1000))
	}
	c.get("a") // b is now the least recently used
	c.put(answer("d", 1000))
	var held []string
	for _, tag := range []string{"a", "b", "c", "d"} {
		if _, ok := c.get(tag); ok {
			held = append(held, tag)
		}
	}
	if !slices.Equal(held, []string{"a", "c", "d"}) {
		t.Errorf("held %v, want a, c, d: b was the least recently used", held)
	}
	st := c.stats()
	if st.Bytes > st.MaxBytes || st.Evictions != 1 || st.Entries != 3 {
		t.Errorf("stats %+v, want 3 entries within %d bytes after 1 eviction", st, st.MaxBytes)
	}
	c.put(answer("huge", int(3*one)))
	if _, ok := c.get("huge"); ok {
		t.Error("an answer larger than the cache was kept")
	}
	if newAnswerCache(0) != nil {
		t.Error("a cache of 0 bytes is not off")
	}

	// The recorder lets a long answer through whole but keeps none of it.
	recorder := func() *answerRecorder {
		dw := newDiscardWriter()
		dw.h.Set("ETag", `"t"`)
		dw.h.Set("Cache-Control", sharedCacheControl)
		return &answerRecorder{statusRecorder: statusRecorder{ResponseWriter: dw}, before: dw.h.Clone(), cacheControl: sharedCacheControl}
	}
	w := recorder()
	for range maxAnswerBytes / 1000 {
		w.Write(bytes.Repeat([]byte("y"), 1000))
	}
	if _, ok := w.answer(`"t"`); !ok {
		t.Errorf("an answer of %d bytes was not kept", w.body.Len())
	}
	w.Write(bytes.Repeat([]byte("y"), 1000))
	if _, ok := w.answer(`"t"`); ok {
		t.Errorf("an answer over %d bytes was kept", maxAnswerBytes)
	}
	// A handler that says its answer is not to be stored (a form's
	// token) is not kept either.
	w = recorder()
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("<form>"))
	if _, ok := w.answer(`"t"`); ok {
		t.Error("an answer the handler marked no-store was kept")
	}
}

// discardWriter is a ResponseWriter that forgets what it is sent.
type discardWriter struct{ h http.Header }

func newDiscardWriter() *discardWriter               { return &discardWriter{h: http.Header{}} }
func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

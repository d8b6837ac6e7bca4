package site

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/search"
)

// HTTP caching. A release is immutable, so a page or an API answer is a
// function of the live release (or, for a search, of the index of it),
// the program that renders it and the request. Such answers carry a
// strong ETag made of exactly these, and may be kept by nginx or a CDN in
// front for a short while; a request whose If-None-Match names the
// current ETag is answered 304 before any work is done. While the index
// is not in sync with the live release, the answer is a function of
// neither: it is sent "no-cache", without an ETag. Answers named by a
// release id (downloads, a release's JSON, its changes) are marked
// immutable by their handlers; everything else is "no-cache" (secure).

// answerSource is what an answer is computed from, and so what its ETag
// must change with.
type answerSource int

const (
	// fromBuild: the program alone (the API docs, the methodology).
	fromBuild answerSource = iota
	// fromIndex: the search index, in sync with the live release.
	fromIndex
	// fromRelease: the live release's manifests, changelogs and files,
	// and possibly the index too.
	fromRelease
)

// cacheLifetime is how long a shared cache may keep an answer of the live
// release, and then serve it stale while it asks again (seconds): after a
// new release, readers may see the previous one for up to two minutes.
const cacheLifetime = "max-age=60, stale-while-revalidate=60"

// Cache-Control of the answers of the live release, when anyone may keep
// them, and when only the reader may (the answer sets a cookie).
const (
	sharedCacheControl  = "public, " + cacheLifetime
	privateCacheControl = "private, " + cacheLifetime
)

// syncState is what the index follower last reported: the live release,
// the release the index is in sync with, and the index's version then.
type syncState struct {
	live, indexed string
	version       search.Version
}

// Followed records the index follower's report: the live release and the
// release the index is in sync with ("" for none). Answers that depend on
// them are cached only while the two are the same, and the index has not
// changed since (a new release being indexed, another generation swapped
// in). Call it from the goroutine that writes the index, after its
// writes, as indexer.Follower's Followed hook is.
func (s *Server) Followed(live, indexed string) {
	s.followed.Store(&syncState{live: live, indexed: indexed, version: s.cfg.Index.Version()})
}

// syncedRelease returns the release the index is in sync with, and
// whether it is in sync with the live one as far as the follower knows.
func (s *Server) syncedRelease() (string, bool) {
	st := s.followed.Load()
	if st == nil || !s.ready.Load() || st.live != st.indexed || s.cfg.Index.Version() != st.version {
		return "", false
	}
	return st.indexed, true
}

// answerState returns the state an answer from src is a function of, and
// false when the answer is not a function of any (not in sync). An answer
// from the release reads the live release's id first: had it been read
// after the handler's own reads, a release published in between could
// give new content the previous release's ETag.
func (s *Server) answerState(r *http.Request, src answerSource) (string, bool) {
	if src == fromBuild {
		return "", true
	}
	synced, ok := s.syncedRelease()
	if !ok || src == fromIndex {
		return synced, ok
	}
	if s.cfg.Publisher == nil {
		return "", false
	}
	live, _, err := s.cfg.Publisher.CurrentID(r.Context())
	if errors.Is(err, dataset.ErrNotFound) {
		live, err = "", nil
	}
	return live, err == nil && live == synced
}

// cachedPage makes an HTML page from src cacheable: it is in the reader's
// language, so it varies with the lang cookie and Accept-Language too.
// Every page's footer names the live release, and says so while search is
// being rebuilt, so a page of the program alone is one of the release too.
func (s *Server) cachedPage(src answerSource, next http.Handler) http.Handler {
	if src == fromBuild {
		src = fromRelease
	}
	return s.cached(src, true, next)
}

// cachedData makes a JSON, CSV or feed answer from src cacheable: it is
// the same in any language.
func (s *Server) cachedData(src answerSource, next http.Handler) http.Handler {
	return s.cached(src, false, next)
}

func (s *Server) cached(src answerSource, inLang bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if inLang {
			addVary(h, "Accept-Language", "Cookie")
		}
		state, ok := s.answerState(r, src)
		if !ok {
			h.Set("Cache-Control", "no-cache")
			next.ServeHTTP(w, r)
			return
		}
		tag := s.etag(r, src, inLang, state)
		cc := sharedCacheControl
		if h.Get("Set-Cookie") != "" {
			// secure remembered a ?lang= choice: the cookie is the reader's.
			cc = privateCacheControl
		}
		h.Set("ETag", tag)
		h.Set("Cache-Control", cc)
		if etagMatches(r.Header.Values("If-None-Match"), tag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if a, ok := s.answers.get(tag); ok {
			a.serve(w, r)
			return
		}
		guard := &cacheGuard{ResponseWriter: w, etag: tag, cacheControl: cc}
		if s.answers == nil || r.Method != http.MethodGet {
			next.ServeHTTP(guard, r)
			return
		}
		rec := &answerRecorder{statusRecorder: statusRecorder{ResponseWriter: guard}, before: h.Clone(), cacheControl: cc}
		next.ServeHTTP(rec, r)
		if a, ok := rec.answer(tag); ok {
			s.answers.put(a)
		}
	})
}

// etag is the strong validator of r's answer from src at state: a hash of
// everything the answer is a function of. The full request URI is in it,
// parameters as sent; the public address, for absolute links; the
// language, for a page.
func (s *Server) etag(r *http.Request, src answerSource, inLang bool, state string) string {
	h := sha256.New()
	l := ""
	if inLang {
		l = langOf(r).code()
	}
	for _, part := range []string{s.build(), strconv.Itoa(int(src)), state, s.cfg.PublicURL, l, r.URL.RequestURI()} {
		io.WriteString(h, part)
		h.Write([]byte{0})
	}
	return `"` + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18]) + `"`
}

// etagMatches reports whether If-None-Match values name tag, by the weak
// comparison RFC 9110 (13.1.2) prescribes for it, or are "*".
func etagMatches(values []string, tag string) bool {
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == tag {
				return true
			}
		}
	}
	return false
}

// cacheGuard takes the ETag and Cache-Control of cached off an answer that
// turns out not to be the page: an error, a redirect. It also makes an
// answer that sets a cookie private.
type cacheGuard struct {
	http.ResponseWriter
	etag, cacheControl string
	wrote              bool
}

func (w *cacheGuard) WriteHeader(code int) {
	if !w.wrote && code >= 200 {
		w.wrote = true
		h := w.Header()
		switch {
		case code != http.StatusOK:
			if h.Get("ETag") == w.etag {
				h.Del("ETag")
			}
			if h.Get("Cache-Control") == w.cacheControl {
				h.Set("Cache-Control", "no-cache")
			}
		case h.Get("Set-Cookie") != "" && h.Get("Cache-Control") == sharedCacheControl:
			h.Set("Cache-Control", privateCacheControl)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *cacheGuard) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Flush is for the writers wrapped around this one that flush only what
// implements http.Flusher.
func (w *cacheGuard) Flush() {
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *cacheGuard) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// buildID names the program serving, for ETags, so that a deploy changes
// every one: pages are rendered by its templates and code. It is the VCS
// revision the binary was built from, with its Go version, when the tree
// was clean; else a hash of the executable itself (a build of a modified
// tree, go run, a test binary); else, if the executable cannot be read,
// the process's start, so that a restart counts as a new build.
var buildID = sync.OnceValue(func() string {
	h := sha256.New()
	if bi, ok := debug.ReadBuildInfo(); ok {
		io.WriteString(h, bi.GoVersion+"\x00"+bi.Main.Path+"\x00")
		settings := map[string]string{}
		for _, st := range bi.Settings {
			settings[st.Key] = st.Value
		}
		if rev := settings["vcs.revision"]; rev != "" && settings["vcs.modified"] == "false" {
			io.WriteString(h, rev)
			return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12])
		}
	}
	if err := hashExecutable(h); err != nil {
		io.WriteString(h, strconv.Itoa(os.Getpid())+time.Now().String())
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12])
})

// hashExecutable writes the running program's bytes to w.
func hashExecutable(w io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	f, err := os.Open(exe)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

package site

import (
	"net/http"
	"strconv"
	"strings"
)

// gzipETagSuffix is what gzhttp adds to the ETag of a body it gzips
// (secure): the gzipped bytes are another representation, with a strong
// validator of their own.
const gzipETagSuffix = "-gzip"

// gzipValidators lets a client revalidate a gzipped answer. It holds the
// ETag gzhttp gave it, "X-gzip", which the handler, comparing with its own
// "X", would never match: every revalidation would be answered 200 with
// the whole body. So the suffix is taken off the tags of If-None-Match
// before the handler sees them, and a 304 that one of those matched gets
// the tag back as the client knows it, naming the representation it
// holds.
func gzipValidators(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := r.Header.Values("If-None-Match")
		if !strings.Contains(strings.Join(values, ","), gzipETagSuffix+`"`) {
			next.ServeHTTP(w, r)
			return
		}
		tags, gzipped, plain := stripGzipTags(values)
		r = r.Clone(r.Context())
		r.Header.Set("If-None-Match", strings.Join(tags, ", "))
		next.ServeHTTP(&gzipNotModified{ResponseWriter: w, gzipped: gzipped, plain: plain, acceptsGzip: acceptsGzip(r)}, r)
	})
}

// stripGzipTags splits If-None-Match values into their entity tags with
// any gzip suffix removed, and notes, by opaque tag ("X", without W/),
// which were sent with the suffix and which without.
func stripGzipTags(values []string) (tags []string, gzipped, plain map[string]bool) {
	gzipped, plain = map[string]bool{}, map[string]bool{}
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if t == "" {
				continue
			}
			weak, opaque := strings.HasPrefix(t, "W/"), strings.TrimPrefix(t, "W/")
			if base, ok := strings.CutSuffix(opaque, gzipETagSuffix+`"`); ok && len(base) > 0 {
				opaque = base + `"`
				gzipped[opaque] = true
			} else {
				plain[opaque] = true
			}
			if weak {
				t = "W/" + opaque
			} else {
				t = opaque
			}
			tags = append(tags, t)
		}
	}
	return tags, gzipped, plain
}

// gzipNotModified puts the gzip suffix back on the ETag of a 304 when the
// client holds the gzipped representation: it sent that tag, and not the
// plain one too (a cache may hold both), or it did and asks for gzip.
type gzipNotModified struct {
	http.ResponseWriter
	gzipped, plain map[string]bool
	acceptsGzip    bool
}

func (w *gzipNotModified) WriteHeader(code int) {
	if code == http.StatusNotModified {
		h := w.Header()
		tag := h.Get("ETag")
		weak, opaque := strings.HasPrefix(tag, "W/"), strings.TrimPrefix(tag, "W/")
		if w.gzipped[opaque] && (!w.plain[opaque] || w.acceptsGzip) && strings.HasSuffix(opaque, `"`) {
			tag = strings.TrimSuffix(opaque, `"`) + gzipETagSuffix + `"`
			if weak {
				tag = "W/" + tag
			}
			h.Set("ETag", tag)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// Flush is for the writers wrapped around this one (gzip) that flush only
// what implements http.Flusher.
func (w *gzipNotModified) Flush() {
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *gzipNotModified) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// acceptsGzip reports whether r accepts a gzipped answer: Accept-Encoding
// names gzip with a quality above 0.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, coding := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(coding, ";")
			if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
				continue
			}
			q := 1.0
			if k, val, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				if err != nil {
					return false
				}
				q = f
			}
			return q > 0
		}
	}
	return false
}

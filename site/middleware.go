package site

import (
	"compress/gzip"
	"context"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// securityHeaders are set on every response of the portal. The policy
// allows no inline script or style: templates link /static files only.
var securityHeaders = [][2]string{
	{"Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"X-Frame-Options", "DENY"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
}

// secure wraps next so that every answer, errors and redirects included,
// carries the security headers, remembers a ?lang= choice and is gzipped
// when that helps.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range securityHeaders {
			h.Set(kv[0], kv[1])
		}
		rememberLang(w, r)
		r = r.WithContext(context.WithValue(r.Context(), langKey{}, negotiateLang(r)))
		gw := newGzipWriter(w, r)
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

// compressible are the media types worth gzipping. Anything else, such as
// Parquet, XLSX or .gz downloads, is already compressed or binary.
var compressible = map[string]bool{
	"text/html":            true,
	"text/css":             true,
	"text/csv":             true,
	"application/json":     true,
	"application/ld+json":  true,
	"application/atom+xml": true,
	"image/svg+xml":        true,
}

// minGzipSize is the length under which a body whose length is known is
// sent as it is: gzip would save less than a packet.
const minGzipSize = 512

var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// gzipWriter compresses a response whose type is compressible when the
// client accepts gzip. It decides when the header is written, as only
// then are the status, type and length known.
type gzipWriter struct {
	http.ResponseWriter
	accept      bool // the client accepts gzip
	head        bool // the request is HEAD: headers as for GET, no body
	wroteHeader bool
	gzipping    bool
	gz          *gzip.Writer // non-nil while compressing a body
}

func newGzipWriter(w http.ResponseWriter, r *http.Request) *gzipWriter {
	return &gzipWriter{ResponseWriter: w, accept: acceptsGzip(r.Header.Values("Accept-Encoding")), head: r.Method == http.MethodHead}
}

// WriteHeader decides whether to compress and sends the header.
func (g *gzipWriter) WriteHeader(code int) {
	if g.wroteHeader || (code >= 100 && code < 200) {
		g.ResponseWriter.WriteHeader(code)
		return
	}
	g.wroteHeader = true
	if g.compress(code) {
		h := g.Header()
		h.Del("Content-Length")
		h.Del("Accept-Ranges") // ranges are of the uncompressed bytes
		h.Set("Content-Encoding", "gzip")
		// The gzipped bytes are another representation: a strong
		// validator would claim them byte-equal to the plain ones.
		if et := h.Get("ETag"); strings.HasPrefix(et, `"`) {
			h.Set("ETag", "W/"+et)
		}
		g.gzipping = true
		if !g.head {
			g.gz = gzipWriters.Get().(*gzip.Writer)
			g.gz.Reset(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(code)
}

// compress reports whether a response with this status and the header set
// so far should be gzipped, and adds Vary where the answer depends on it.
func (g *gzipWriter) compress(code int) bool {
	h := g.Header()
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if code == http.StatusNotModified || compressible[mt] {
		addVary(h, "Accept-Encoding")
	}
	switch {
	case !g.accept || !compressible[mt]:
		return false
	case code == http.StatusNoContent || code == http.StatusPartialContent || code == http.StatusNotModified:
		return false
	case h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "":
		return false
	}
	if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil && n < minGzipSize {
		return false
	}
	return true
}

func (g *gzipWriter) Write(p []byte) (int, error) {
	if !g.wroteHeader {
		if _, ok := g.Header()["Content-Type"]; !ok {
			// Leave the type to net/http's sniffing, uncompressed.
			g.wroteHeader = true
		} else {
			g.WriteHeader(http.StatusOK)
		}
	}
	switch {
	case g.gz != nil:
		return g.gz.Write(p)
	case g.gzipping:
		// HEAD: net/http would count the plain bytes as Content-Length.
		return len(p), nil
	}
	return g.ResponseWriter.Write(p)
}

// Flush sends what is compressed so far, and flushes the underlying writer
// if it can.
func (g *gzipWriter) Flush() {
	if !g.wroteHeader {
		g.WriteHeader(http.StatusOK)
	}
	if g.gz != nil {
		g.gz.Flush()
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// close ends the gzip stream, if any, and returns its writer to the pool.
func (g *gzipWriter) close() {
	if g.gz == nil {
		return
	}
	g.gz.Close()
	g.gz.Reset(nil)
	gzipWriters.Put(g.gz)
	g.gz = nil
}

// acceptsGzip reads Accept-Encoding: gzip (or x-gzip, or *) with a
// non-zero quality.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip", "*":
				if q, ok := qValue(params); ok && q > 0 {
					return true
				}
			}
		}
	}
	return false
}

// qValue reads the weight of an Accept-* element's parameters, 1 without
// one; ok is false when the weight is malformed.
func qValue(params string) (q float64, ok bool) {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			w, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || w < 0 || w > 1 {
				return 0, false
			}
			return w, true
		}
	}
	return 1, true
}

// addVary adds each field name to the Vary header unless it is there.
func addVary(h http.Header, names ...string) {
	have := map[string]bool{}
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			have[strings.ToLower(strings.TrimSpace(f))] = true
		}
	}
	for _, n := range names {
		if !have[strings.ToLower(n)] && !have["*"] {
			h.Add("Vary", n)
			have[strings.ToLower(n)] = true
		}
	}
}

// isLocalPath reports whether target names a path on this site: it starts
// with one "/" and a browser cannot read it as another host ("//host",
// "/\host").
func isLocalPath(target string) bool {
	if target == "" || target[0] != '/' {
		return false
	}
	if len(target) > 1 && (target[1] == '/' || target[1] == '\\') {
		return false
	}
	// Browsers drop tabs and newlines from URLs, so "/\t/host" is "//host".
	return !strings.ContainsAny(target, "\t\n\r")
}

// localRedirect redirects to target if it is a local path, else home, so
// that no redirect built from user input leads off the site.
func localRedirect(w http.ResponseWriter, r *http.Request, target string, code int) {
	if !isLocalPath(target) {
		target = "/"
	}
	http.Redirect(w, r, target, code)
}

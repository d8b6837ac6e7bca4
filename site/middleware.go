package site

import (
	"context"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
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
// when that helps. An answer is "no-cache" unless its handler says more:
// what a proxy in front may keep is for each route to decide (httpcache.go).
func secure(next http.Handler) http.Handler {
	gz, err := gzhttp.NewWrapper(
		gzhttp.ContentTypes(compressible),
		gzhttp.MinSize(minGzipSize),
		// A strong validator must change with the bytes (RFC 9110, 8.8.3),
		// else an If-Range could splice plain bytes into gzipped ones.
		gzhttp.SuffixETag(gzipETagSuffix),
		// gzip only, as before: zstd would change what clients are sent.
		gzhttp.EnableZstd(false),
	)
	if err != nil {
		panic(err) // the options above are constant
	}
	compressed := gzipValidators(gz(next))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range securityHeaders {
			h.Set(kv[0], kv[1])
		}
		h.Set("Cache-Control", "no-cache")
		rememberLang(w, r)
		r = r.WithContext(context.WithValue(r.Context(), langKey{}, negotiateLang(r)))
		compressed.ServeHTTP(w, r)
	})
}

// compressible are the media types worth gzipping. Anything else, such as
// Parquet, XLSX or .gz downloads, is already compressed or binary.
var compressible = []string{"text/html", "text/css", "text/csv", "application/json", "application/ld+json", "application/atom+xml", "image/svg+xml"}

// minGzipSize is the length under which a body is sent as it is: gzip
// would save less than a packet.
const minGzipSize = 512

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

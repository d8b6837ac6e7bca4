package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/site/chart"
)

// rawClient neither follows redirects nor asks for or undoes gzip by
// itself, so tests see responses as sent.
func rawClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetch sends one request with the headers given and returns the response
// and its body as sent.
func fetch(t *testing.T, c *http.Client, method, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return string(out)
}

// styleURL is the hashed address of style.css, computed here from the file.
func styleURL(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return "/static/style." + hex.EncodeToString(sum[:])[:8] + ".css"
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	ts := newTestServer(t)
	c := rawClient(t)
	tests := []struct {
		name, method, path string
		status             int
	}{
		{"home", "GET", "/", 200},
		{"search page", "GET", "/search?q=jalan", 200},
		{"search API", "GET", "/api/v1/search", 200},
		{"static hashed", "GET", styleURL(t), 200},
		{"static plain", "GET", "/static/style.css", 200},
		{"static stale hash", "GET", "/static/style.00000000.css", 302},
		{"static missing", "GET", "/static/nope.js", 404},
		{"not found", "GET", "/nonexistent", 404},
		{"health", "GET", "/healthz", 200},
		{"head", "HEAD", "/", 200},
		{"bad query", "GET", "/api/v1/search?size=abc", 400},
		{"download refused", "GET", "/downloads/latest/budget.parquet", 404},
		{"wrong method", "DELETE", "/", 405},
		{"unclean path redirect", "GET", "/search/../", 301},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := fetch(t, c, tt.method, ts.URL+tt.path, map[string]string{"Accept-Encoding": "gzip"})
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, kv := range securityHeaders {
				if got := resp.Header.Get(kv[0]); got != kv[1] {
					t.Errorf("%s = %q, want %q", kv[0], got, kv[1])
				}
			}
		})
	}
}

func TestSecurityHeadersPolicy(t *testing.T) {
	want := map[string][]string{
		"Content-Security-Policy":    {"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"},
		"X-Content-Type-Options":     {"nosniff"},
		"Referrer-Policy":            {"strict-origin-when-cross-origin"},
		"X-Frame-Options":            {"DENY"},
		"Permissions-Policy":         {"camera=()"},
		"Cross-Origin-Opener-Policy": {"same-origin"},
	}
	rec := httptest.NewRecorder()
	secure(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	for h, parts := range want {
		for _, p := range parts {
			if !strings.Contains(rec.Header().Get(h), p) {
				t.Errorf("%s = %q, lacks %q", h, rec.Header().Get(h), p)
			}
		}
	}
	if strings.Contains(rec.Header().Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("the policy allows inline code")
	}
}

// TestTemplatesHaveNoInlineCode keeps the templates within the policy:
// no inline script (JSON-LD data aside), style or event handler.
func TestTemplatesHaveNoInlineCode(t *testing.T) {
	files, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := templateFS.ReadFile("templates/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		// JSON-LD is a data block, which the policy does not block.
		s := strings.ReplaceAll(strings.ToLower(string(b)), `<script type="application/ld+json">`, "")
		for _, bad := range []string{"<script", "<style", " style=", " onclick=", " onload=", " onchange=", " onsubmit=", "javascript:"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s has %q, which the Content-Security-Policy blocks", f.Name(), bad)
			}
		}
	}
}

func TestGzipThroughServer(t *testing.T) {
	ts := newTestServer(t)
	c := rawClient(t)
	tests := []struct {
		name, method, path string
		header             map[string]string
		status             int
		gzipped            bool
		emptyBody          bool
		contains           string
	}{
		{"page gzipped", "GET", "/", map[string]string{"Accept-Encoding": "gzip, deflate, br"}, 200, true, false, "<html"},
		{"page plain without Accept-Encoding", "GET", "/", nil, 200, false, false, "<html"},
		{"gzip refused with q=0", "GET", "/", map[string]string{"Accept-Encoding": "gzip;q=0, br"}, 200, false, false, "<html"},
		{"JSON API gzipped", "GET", "/api/v1/search?q=jalan", map[string]string{"Accept-Encoding": "gzip"}, 200, true, false, `"total": 2`},
		{"small JSON error plain", "GET", "/api/v1/search?size=abc", map[string]string{"Accept-Encoding": "gzip"}, 400, false, false, "size must be"},
		{"CSS gzipped", "GET", styleURL(t), map[string]string{"Accept-Encoding": "gzip"}, 200, true, false, ".brand"},
		// gzhttp never gzips HEAD (nginx ticket 358, golang.org/issue/5522).
		{"HEAD has headers, no body", "HEAD", "/", map[string]string{"Accept-Encoding": "gzip"}, 200, false, true, ""},
		{"range is never gzipped", "GET", "/static/style.css", map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-9"}, 206, false, false, ":root{--in"},
		{"304 has no body", "GET", "/static/style.css", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": `W/"` + styleURL(t)[len("/static/style."):len("/static/style.")+8] + `"`}, 304, false, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, c, tt.method, ts.URL+tt.path, tt.header)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Content-Encoding") == "gzip"; got != tt.gzipped {
				t.Errorf("Content-Encoding = %q, want gzip %v", resp.Header.Get("Content-Encoding"), tt.gzipped)
			}
			if cl := resp.Header.Get("Content-Length"); cl != "" && tt.method == "GET" && cl != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length %s, body %d bytes", cl, len(body))
			}
			if tt.status == 200 && !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("Vary = %q, lacks Accept-Encoding", resp.Header.Values("Vary"))
			}
			if tt.emptyBody {
				if len(body) != 0 {
					t.Errorf("body of %d bytes, want none", len(body))
				}
				return
			}
			text := string(body)
			if tt.gzipped {
				text = gunzip(t, body)
			}
			if !strings.Contains(text, tt.contains) {
				t.Errorf("body lacks %q: %.200s", tt.contains, text)
			}
		})
	}
}

func TestGzipDecision(t *testing.T) {
	big := strings.Repeat("Pembangunan jalan lingkar ", 100)
	tests := []struct {
		name        string
		header      map[string]string
		status      int
		small       bool // a body of 40 bytes, under minGzipSize
		want        bool
		keepsLength bool
	}{
		{"html", map[string]string{"Content-Type": "text/html; charset=utf-8"}, 200, false, true, false},
		{"csv download", map[string]string{"Content-Type": "text/csv; charset=utf-8"}, 200, false, true, false},
		{"ld+json", map[string]string{"Content-Type": "application/ld+json"}, 200, false, true, false},
		{"atom", map[string]string{"Content-Type": "application/atom+xml; charset=utf-8"}, 200, false, true, false},
		{"svg", map[string]string{"Content-Type": "image/svg+xml"}, 200, false, true, false},
		{"error page", map[string]string{"Content-Type": "text/html; charset=utf-8"}, 404, false, true, false},
		{"known length", map[string]string{"Content-Type": "application/json", "Content-Length": strconv.Itoa(len(big))}, 200, false, true, false},
		{"small known length", map[string]string{"Content-Type": "application/json", "Content-Length": "40"}, 200, true, false, true},
		{"small unknown length", map[string]string{"Content-Type": "application/json"}, 200, true, false, false},
		{"already encoded", map[string]string{"Content-Type": "text/html", "Content-Encoding": "br"}, 200, false, false, false},
		{"gz download", map[string]string{"Content-Type": "application/gzip"}, 200, false, false, false},
		{"parquet", map[string]string{"Content-Type": "application/vnd.apache.parquet"}, 200, false, false, false},
		{"xlsx", map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, 200, false, false, false},
		{"plain text", map[string]string{"Content-Type": "text/plain; charset=utf-8"}, 200, false, false, false},
		{"partial content", map[string]string{"Content-Type": "text/csv", "Content-Range": "bytes 0-9/100"}, 206, false, false, false},
		{"no type", nil, 200, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := big
			if tt.small {
				body = big[:40]
			}
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				if tt.status != 200 {
					w.WriteHeader(tt.status)
				}
				io.WriteString(w, body)
			})
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			secure(h).ServeHTTP(rec, req)
			res := rec.Result()
			if res.StatusCode != tt.status {
				t.Errorf("status %d, want %d", res.StatusCode, tt.status)
			}
			if got := res.Header.Get("Content-Encoding") == "gzip"; got != tt.want {
				t.Fatalf("Content-Encoding = %q, want gzip %v", res.Header.Get("Content-Encoding"), tt.want)
			}
			// Every answer varies: the type decides only once it is known.
			if !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("Vary = %q, lacks Accept-Encoding", res.Header.Values("Vary"))
			}
			if got := res.Header.Get("Content-Length") != ""; got != tt.keepsLength {
				t.Errorf("Content-Length = %q, want kept %v", res.Header.Get("Content-Length"), tt.keepsLength)
			}
			got := rec.Body.String()
			if tt.want {
				got = gunzip(t, rec.Body.Bytes())
			}
			if got != body {
				t.Errorf("body changed: %.80q", got)
			}
		})
	}
}

// TestGzipAcceptEncoding checks which Accept-Encoding values get gzip.
func TestGzipAcceptEncoding(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"deflate, gzip;q=0.5", true},
		{"gzip, deflate, br, zstd", true},
		{"zstd", false},
		{"gzip;q=0", false},
		{"gzip; q=0.0", false},
		{"gzip;q=abc", false},
		{"br", false},
		{"identity", false},
		// gzhttp names gzip only: neither the alias nor a wildcard.
		{"x-gzip", false},
		{"br, *", false},
	}
	body := strings.Repeat("Pembangunan jalan lingkar ", 100)
	h := secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	}))
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Accept-Encoding", tt.header)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if got := rec.Header().Get("Content-Encoding"); (got == "gzip") != tt.want || (got != "" && got != "gzip") {
				t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want gzip %v", tt.header, got, tt.want)
			}
		})
	}
}

// TestGzipETag checks that a gzipped body gets its own strong validator,
// so a range asked with If-Range cannot mix plain and gzipped bytes.
func TestGzipETag(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"abc"`)
		w.Header().Set("Accept-Ranges", "bytes")
		io.WriteString(w, strings.Repeat("{}", 1000))
	})
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	secure(h).ServeHTTP(rec, req)
	if got := rec.Header().Get("ETag"); got != `"abc-gzip"` {
		t.Errorf(`ETag = %s, want "abc-gzip"`, got)
	}
	if got := rec.Header().Get("Accept-Ranges"); got != "" {
		t.Errorf("Accept-Ranges = %q on a gzipped body", got)
	}
}

func TestGzipFlushPassesThrough(t *testing.T) {
	rec := httptest.NewRecorder()
	var flushedMidway bool
	var midwayBody []byte
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		io.WriteString(w, "a,b\n1,2\n")
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("flush: %v", err)
		}
		flushedMidway, midwayBody = rec.Flushed, bytes.Clone(rec.Body.Bytes())
		io.WriteString(w, "3,4\n")
	})
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	secure(h).ServeHTTP(rec, req)
	if !flushedMidway {
		t.Error("Flush did not reach the underlying writer")
	}
	// What was flushed already decompresses to what was written.
	zr, err := gzip.NewReader(bytes.NewReader(midwayBody))
	if err != nil {
		t.Fatal(err)
	}
	part := make([]byte, 8)
	if _, err := io.ReadFull(zr, part); err != nil || string(part) != "a,b\n1,2\n" {
		t.Errorf("flushed part = %q, %v", part, err)
	}
	if got := gunzip(t, rec.Body.Bytes()); got != "a,b\n1,2\n3,4\n" {
		t.Errorf("body = %q", got)
	}
}

func TestStaticAssets(t *testing.T) {
	ts := newTestServer(t)
	c := rawClient(t)
	hashed := styleURL(t)
	tests := []struct {
		name, path   string
		status       int
		cacheControl string
		location     string
	}{
		{"hashed", hashed, 200, "public, max-age=31536000, immutable", ""},
		{"plain", "/static/style.css", 200, "public, max-age=300", ""},
		{"stale hash", "/static/style.0123abcd.css", 302, "no-cache", hashed},
		// What is not there may be tomorrow: never kept (secure's default).
		{"missing", "/static/app.0123abcd.js", 404, "no-cache", ""},
		{"directory", "/static/", 404, "no-cache", ""},
		{"not a hash", "/static/style.zzzzzzzz.css", 404, "no-cache", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, c, "GET", ts.URL+tt.path, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.cacheControl {
				t.Errorf("Cache-Control = %q, want %q", got, tt.cacheControl)
			}
			if got := resp.Header.Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			if tt.status == 200 {
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
					t.Errorf("Content-Type = %q", ct)
				}
				if !strings.Contains(string(body), ".brand") {
					t.Errorf("body is not the style sheet: %.80s", body)
				}
			}
		})
	}
	_, home := get(t, ts.URL+"/")
	if !strings.Contains(home, `<link rel="stylesheet" href="`+hashed+`">`) {
		t.Errorf("layout does not link %s", hashed)
	}
}

func TestSplitAssetHash(t *testing.T) {
	tests := []struct{ in, name, hash string }{
		{"style.css", "style.css", ""},
		{"style.0123abcd.css", "style.css", "0123abcd"},
		{"img/logo.0123abcd.svg", "img/logo.svg", "0123abcd"},
		{"LICENSE.0123abcd", "LICENSE", "0123abcd"},
		{"style.0123ABCD.css", "style.0123ABCD.css", ""},
		{"style.123abcd.css", "style.123abcd.css", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			name, hash := splitAssetHash(tt.in)
			if name != tt.name || hash != tt.hash {
				t.Errorf("splitAssetHash(%q) = %q, %q; want %q, %q", tt.in, name, hash, tt.name, tt.hash)
			}
			if hash != "" && hashedName(name, hash) != tt.in {
				t.Errorf("hashedName(%q, %q) = %q, want %q", name, hash, hashedName(name, hash), tt.in)
			}
		})
	}
	if _, err := assetURL("nope.css"); err == nil {
		t.Error("asset of a file not embedded gives no error")
	}
}

func TestIsLocalPath(t *testing.T) {
	tests := []struct {
		target string
		want   bool
	}{
		{"/", true},
		{"/search?q=jalan", true},
		{"/downloads/2024-01-01/budget.parquet", true},
		{"", false},
		{"search", false},
		{"//evil.example", false},
		{"/\\evil.example", false},
		{"/\t/evil.example", false},
		{"https://evil.example/", false},
		{"javascript:alert(1)", false},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			if got := isLocalPath(tt.target); got != tt.want {
				t.Errorf("isLocalPath(%q) = %v, want %v", tt.target, got, tt.want)
			}
			rec := httptest.NewRecorder()
			localRedirect(rec, httptest.NewRequest("GET", "/", nil), tt.target, http.StatusFound)
			loc := rec.Header().Get("Location")
			if !isLocalPath(loc) || (tt.want && loc != tt.target) {
				t.Errorf("localRedirect(%q) went to %q", tt.target, loc)
			}
		})
	}
}

// TestNoOpenRedirect sends paths crafted to turn a redirect of the portal
// (gorilla/mux's path cleaning, static hashes, latest downloads) into one
// to another host.
func TestNoOpenRedirect(t *testing.T) {
	ts := newTestServer(t)
	c := rawClient(t)
	for _, p := range []string{
		"//evil.example/",
		"//evil.example/%2e%2e",
		"/.//evil.example",
		"/./%5Cevil.example",
		"/%5C%5Cevil.example/",
		"/static//evil.example",
		"/static/..%2F%2Fevil.example",
		"/static/style.0123abcd.css",
		"/search/..//evil.example",
		"/downloads/latest/budget.parquet",
		"/downloads/latest/budget/%2F%2Fevil.example/2024.parquet",
	} {
		t.Run(p, func(t *testing.T) {
			resp, _ := fetch(t, c, "GET", ts.URL+p, nil)
			loc := resp.Header.Get("Location")
			t.Logf("%d %q", resp.StatusCode, loc)
			if loc != "" && !isLocalPath(loc) {
				t.Errorf("%d redirect to %q", resp.StatusCode, loc)
			}
		})
	}
}

// TestStylesheetHasChartCSS keeps the site's stylesheet in step with the
// chart package's CSS, which the stylesheet carries a copy of.
func TestStylesheetHasChartCSS(t *testing.T) {
	css, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(css), chart.Stylesheet) {
		t.Error("static/style.css lacks chart.Stylesheet; append it again")
	}
}

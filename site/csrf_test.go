package site

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestCSRFToken(t *testing.T) {
	s := &Server{}
	const valid = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	tests := []struct {
		name, cookie string
		wantNew      bool
	}{
		{"no cookie", "", true},
		{"valid cookie reused", valid, false},
		{"short cookie replaced", "ABC", true},
		{"odd characters replaced", strings.Repeat("a<", 20), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/upload", nil)
			if tt.cookie != "" {
				r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tt.cookie})
			}
			rec := httptest.NewRecorder()
			tok := s.csrfToken(rec, r)
			cookies := rec.Result().Cookies()
			if !tt.wantNew {
				if tok != tt.cookie || len(cookies) != 0 {
					t.Errorf("token %q, cookies %v; want the cookie's token and no new cookie", tok, cookies)
				}
				return
			}
			if len(cookies) != 1 {
				t.Fatalf("cookies %v, want one", cookies)
			}
			c := cookies[0]
			if c.Name != "csrf" || c.Value != tok || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Secure {
				t.Errorf("cookie %s, want csrf=%s; Path=/; HttpOnly; SameSite=Strict", c, tok)
			}
			if !validCSRFToken(tok) {
				t.Errorf("new token %q is not valid", tok)
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", rec.Header().Get("Cache-Control"))
			}
		})
	}
	a, b := s.csrfToken(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)), s.csrfToken(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if a == b {
		t.Error("two new tokens are the same")
	}
	https := &Server{cfg: Config{PublicURL: "https://terbuka.example"}}
	rec := httptest.NewRecorder()
	https.csrfToken(rec, httptest.NewRequest("GET", "/", nil))
	if c := rec.Result().Cookies(); len(c) != 1 || !c[0].Secure {
		t.Errorf("cookie behind https = %v, want Secure", c)
	}
}

func TestCheckCSRF(t *testing.T) {
	const tok = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	tests := []struct {
		name           string
		publicURL      string
		cookie, form   string
		site, origin   string
		wantOK         bool
		wantMsgContain string
	}{
		{"same token", "", tok, tok, "", "", true, ""},
		{"same-origin fetch", "", tok, tok, "same-origin", "http://portal.example", true, ""},
		{"typed in address bar", "", tok, tok, "none", "", true, ""},
		{"old browser, own origin", "", tok, tok, "", "http://portal.example", true, ""},
		{"no cookie", "", "", tok, "", "", false, "no csrf cookie"},
		{"no form value", "", tok, "", "", "", false, "no csrf form value"},
		{"different token", "", tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234568", "", "", false, "does not match"},
		{"prefix of token", "", tok, tok[:10], "", "", false, "does not match"},
		{"cross-site fetch", "", tok, tok, "cross-site", "", false, `Sec-Fetch-Site "cross-site"`},
		{"same-site fetch", "", tok, tok, "same-site", "", false, `Sec-Fetch-Site "same-site"`},
		{"other origin", "", tok, tok, "", "https://evil.example", false, `Origin "https://evil.example"`},
		{"null origin", "", tok, tok, "", "null", false, `Origin "null"`},
		{"origin of a subdomain", "", tok, tok, "", "http://x.portal.example", false, "Origin"},
		{"public URL behind a proxy", "https://terbuka.example/", tok, tok, "", "https://terbuka.example", true, ""},
		{"public host, other scheme", "https://terbuka.example", tok, tok, "", "http://terbuka.example", false, `Origin "http://terbuka.example"`},
		{"public URL still needs the token", "https://terbuka.example", tok, "", "", "https://terbuka.example", false, "no csrf form value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{cfg: Config{PublicURL: tt.publicURL}}
			r := httptest.NewRequest("POST", "http://portal.example/upload", strings.NewReader(url.Values{"csrf": {tt.form}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.cookie != "" {
				r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tt.cookie})
			}
			if tt.site != "" {
				r.Header.Set("Sec-Fetch-Site", tt.site)
			}
			if tt.origin != "" {
				r.Header.Set("Origin", tt.origin)
			}
			err := s.checkCSRF(r)
			if tt.wantOK {
				if err != nil {
					t.Errorf("checkCSRF = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("checkCSRF = nil, want a refusal")
			}
			if !errors.Is(err, errCSRF) || statusOf(err) != http.StatusForbidden || !strings.Contains(err.Error(), tt.wantMsgContain) {
				t.Errorf("checkCSRF = %v (status %d), want errCSRF, 403, mentioning %q", err, statusOf(err), tt.wantMsgContain)
			}
		})
	}
}

func TestCheckCSRFMultipart(t *testing.T) {
	const tok = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", tok)
	fw, _ := mw.CreateFormFile("file", "apbd.csv")
	fw.Write([]byte("stage,amount\nmurni,1\n"))
	mw.Close()
	r := httptest.NewRequest("POST", "/upload", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tok})
	if err := (&Server{}).checkCSRF(r); err != nil {
		t.Errorf("multipart form with the token: %v", err)
	}
}

// TestCSRFRefusalPage checks that a refused form, whether by net/http's
// cross-origin check or by the token, answers 403 with the message in both
// languages through the page adapter, never the cause.
func TestCSRFRefusalPage(t *testing.T) {
	s, err := New(Config{Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	const tok = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	tests := []struct {
		name   string
		header map[string]string
	}{
		{"no token", nil},
		{"cross-site", map[string]string{"Sec-Fetch-Site": "cross-site", "Cookie": csrfCookie + "=" + tok}},
		{"other origin", map[string]string{"Origin": "https://evil.example", "Cookie": csrfCookie + "=" + tok}},
	}
	h := s.page(func(w http.ResponseWriter, r *http.Request) error { return s.checkCSRF(r) })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/upload", strings.NewReader("csrf="+tok))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusForbidden {
				t.Errorf("status %d, want 403", rec.Code)
			}
			body := rec.Body.String()
			for _, want := range []string{"formulir ditolak", "the form was refused", "<html"} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if strings.Contains(body, "cross-origin") || strings.Contains(body, "csrf") {
				t.Errorf("page shows the cause: %.300s", body)
			}
		})
	}
}

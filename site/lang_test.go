package site

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAcceptLanguage(t *testing.T) {
	tests := []struct {
		header string
		want   lang
	}{
		{"en-US,en;q=0.9,id;q=0.8", langEN},
		{"id,en;q=0.5", langID},
		{"id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7", langID},
		{"fr-FR,fr;q=0.9", langID},
		{"", langID},
		{"*", langID},
		{"fr,en;q=0.5", langEN},
		{"EN-gb", langEN},
		{"en;q=0", langID},
		{"en;q=0.2, id;q=0.3", langID},
		{"id;q=0.2, en;q=0.3", langEN},
		{"en;q=0.5, id;q=0.5", langEN},
		{"in", langID},
		{" en ; q = 0.8 ", langEN},
		{"zh-CN,zh;q=0.9,en;q=0.8", langEN},
		// Languages close to Indonesian, by CLDR, read it.
		{"ms", langID},
		{"jv", langID},
		{"su-ID", langID},
		{"nl", langID},
		// An exact match of a later language beats a close one.
		{"ms-MY,en;q=0.5", langEN},
		// A weight over 1 is read as the highest.
		{"en;q=2", langEN},
		// A malformed header counts as none at all.
		{"en;q=abc, id;q=0.1", langID},
		{"en, fr;q=abc", langID},
		{",,;,", langID},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := acceptLanguage([]string{tt.header}); got != tt.want {
				t.Errorf("acceptLanguage(%q) = %s, want %s", tt.header, got.code(), tt.want.code())
			}
		})
	}
	// Header lines are one list (RFC 9110, 5.3).
	if got := acceptLanguage([]string{"fr", "en;q=0.5"}); got != langEN {
		t.Errorf("acceptLanguage of two lines fr, en = %s, want en", got.code())
	}
}

func FuzzAcceptLanguage(f *testing.F) {
	for _, s := range []string{"en-US,en;q=0.9,id;q=0.8", "id,en;q=0.5", "", "*;q=0", "en;q=1.0e0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if l := acceptLanguage([]string{header}); l != langID && l != langEN {
			t.Errorf("acceptLanguage(%q) = %d", header, l)
		}
	})
}

func TestLangOf(t *testing.T) {
	tests := []struct {
		name, query, cookie, accept string
		want                        lang
	}{
		{"default", "", "", "", langID},
		{"query en", "lang=en", "", "", langEN},
		{"query id", "lang=id", "", "en", langID},
		{"query beats cookie", "lang=en", "id", "", langEN},
		{"query id beats cookie en", "lang=id", "en", "en", langID},
		{"cookie", "", "en", "", langEN},
		{"cookie beats Accept-Language", "", "id", "en-US,en;q=0.9", langID},
		{"Accept-Language", "", "", "en-US,en;q=0.9,id;q=0.8", langEN},
		{"unknown query falls through", "lang=fr", "en", "", langEN},
		{"unknown cookie falls through", "", "xx", "en", langEN},
		{"unknown everything", "lang=fr", "xx", "fr", langID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/search?"+tt.query, nil)
			if tt.cookie != "" {
				r.AddCookie(&http.Cookie{Name: langCookie, Value: tt.cookie})
			}
			if tt.accept != "" {
				r.Header.Set("Accept-Language", tt.accept)
			}
			if got := langOf(r); got != tt.want {
				t.Errorf("langOf = %s, want %s", got.code(), tt.want.code())
			}
		})
	}
}

func TestLangCookieSticks(t *testing.T) {
	ts := newTestServer(t)
	c := rawClient(t)
	tests := []struct {
		name, path, cookie, accept string
		wantCookie                 string // the Set-Cookie value, "" for none
		wantHTML                   string
	}{
		{"default", "/", "", "", "", `<html lang="id">`},
		{"query sets cookie", "/?lang=en", "", "", "en", `<html lang="en">`},
		{"cookie kept", "/", "en", "", "", `<html lang="en">`},
		{"same choice not set again", "/search?q=jalan&lang=en", "en", "", "", `<html lang="en">`},
		{"query switches back", "/?lang=id", "en", "", "id", `<html lang="id">`},
		{"Accept-Language", "/", "", "en-US,en;q=0.9,id;q=0.8", "", `<html lang="en">`},
		{"cookie beats Accept-Language", "/", "id", "en", "", `<html lang="id">`},
		{"unknown language ignored", "/?lang=fr", "", "", "", `<html lang="id">`},
		{"error page in English", "/tidak-ada?lang=en", "", "", "en", `<html lang="en">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.cookie != "" {
				h["Cookie"] = langCookie + "=" + tt.cookie
			}
			if tt.accept != "" {
				h["Accept-Language"] = tt.accept
			}
			resp, body := fetch(t, c, "GET", ts.URL+tt.path, h)
			if !strings.Contains(string(body), tt.wantHTML) {
				t.Errorf("page lacks %s", tt.wantHTML)
			}
			var set *http.Cookie
			for _, ck := range resp.Cookies() {
				if ck.Name == langCookie {
					set = ck
				}
			}
			switch {
			case tt.wantCookie == "" && set != nil:
				t.Errorf("Set-Cookie %s, want none", set)
			case tt.wantCookie != "" && set == nil:
				t.Errorf("no lang cookie set, want %s", tt.wantCookie)
			case set != nil:
				if set.Value != tt.wantCookie || set.Path != "/" || set.MaxAge != 365*24*3600 || !set.HttpOnly || set.SameSite != http.SameSiteLaxMode {
					t.Errorf("Set-Cookie %s, want %s; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax", set, tt.wantCookie)
				}
			}
			vary := strings.Join(resp.Header.Values("Vary"), ", ")
			for _, v := range []string{"Accept-Language", "Cookie"} {
				if !strings.Contains(vary, v) {
					t.Errorf("Vary = %q, lacks %s", vary, v)
				}
			}
		})
	}
}

func TestLangSwitchLink(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct{ name, path, want string }{
		{"home", "/", `<a href="/?lang=en" hreflang="en" lang="en">English</a>`},
		{"home in English", "/?lang=en", `<a href="/?lang=id" hreflang="id" lang="id">Bahasa Indonesia</a>`},
		{"search keeps its parameters", "/search?q=jalan&dataset=procurement&page=1", `<a href="/search?dataset=procurement&amp;lang=en&amp;page=1&amp;q=jalan" hreflang="en"`},
		{"search in English", "/search?q=jalan+desa&lang=en", `<a href="/search?lang=id&amp;q=jalan&#43;desa" hreflang="id"`},
		{"error page", "/tidak-ada?x=%3Cb%3E", `<a href="/tidak-ada?lang=en&amp;x=%3Cb%3E" hreflang="en"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := get(t, ts.URL+tt.path)
			if !strings.Contains(body, tt.want) {
				i := strings.Index(body, `class="langs"`)
				t.Errorf("page lacks %s; switch is %.200s", tt.want, body[max(i, 0):])
			}
		})
	}
}

func TestLangSwitchURLStaysLocal(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/search", "/search?lang=en"},
		{"//evil.example/x", "/?lang=en"},
		{"/\\evil.example", "/?lang=en"},
		{"", "/?lang=en"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.URL.Path = tt.path
			if got := langSwitchURL(r, langEN); got != tt.want {
				t.Errorf("langSwitchURL(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

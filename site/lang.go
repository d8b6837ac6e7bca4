package site

import (
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/text/language"
)

// langCookie remembers the language a reader chose with ?lang=.
const langCookie = "lang"

// langCookieMaxAge keeps the choice for a year, in seconds.
const langCookieMaxAge = 365 * 24 * 60 * 60

// parseLang reads a language code of the portal: "id" or "en".
func parseLang(code string) (lang, bool) {
	switch strings.ToLower(strings.TrimSpace(code)) {
	case "id":
		return langID, true
	case "en":
		return langEN, true
	}
	return langID, false
}

// negotiateLang picks the page language: ?lang= first, then the lang
// cookie, then Accept-Language; Bahasa Indonesia when none names one of
// the portal's languages.
func negotiateLang(r *http.Request) lang {
	if l, ok := parseLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := parseLang(c.Value); ok {
			return l
		}
	}
	return acceptLanguage(r.Header.Values("Accept-Language"))
}

// langMatcher finds the portal language closest to what a reader
// accepts, by CLDR's language distances (so "ms" or "jv" reads
// Indonesian); it answers Bahasa Indonesia, the first, when none is close.
var langMatcher = language.NewMatcher([]language.Tag{langID: language.Indonesian, langEN: language.English})

// acceptLanguage picks the portal language of Accept-Language header
// values; a malformed header counts as none.
func acceptLanguage(values []string) lang {
	_, i := language.MatchStrings(langMatcher, strings.Join(values, ","))
	return lang(i)
}

// rememberLang sets the lang cookie when ?lang= names a language other
// than the one the cookie holds, so the choice sticks across pages.
func rememberLang(w http.ResponseWriter, r *http.Request) {
	l, ok := parseLang(r.URL.Query().Get("lang"))
	if !ok {
		return
	}
	if c, err := r.Cookie(langCookie); err == nil && c.Value == l.code() {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     langCookie,
		Value:    l.code(),
		Path:     "/",
		MaxAge:   langCookieMaxAge,
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
}

// other is the portal's other language.
func (l lang) other() lang {
	if l == langEN {
		return langID
	}
	return langEN
}

// langSwitchURL is the address of this page in language to: the same path
// and query with lang set.
func langSwitchURL(r *http.Request, to lang) string {
	p := r.URL.Path
	if !isLocalPath(p) {
		p = "/"
	}
	q := r.URL.Query()
	q.Set("lang", to.code())
	u := url.URL{Path: p, RawQuery: q.Encode()}
	return u.String()
}

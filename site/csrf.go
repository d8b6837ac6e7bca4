package site

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// csrfCookie holds the double-submit token of HTML forms that POST; the
// form repeats it in a hidden input of the same name.
const csrfCookie = "csrf"

// errCSRF is the cause of every refused form post.
var errCSRF = errors.New("csrf check failed")

// csrfToken returns the token to put in a form's hidden input named csrf:
// the one the csrf cookie holds, or a new one set in that cookie. A page
// that calls it is the reader's own, so it is not to be cached.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	w.Header().Set("Cache-Control", "no-store")
	if c, err := r.Cookie(csrfCookie); err == nil && validCSRFToken(c.Value) {
		return c.Value
	}
	tok := rand.Text()
	http.SetCookie(w, &http.Cookie{
		Name:     csrfCookie,
		Value:    tok,
		Path:     "/",
		HttpOnly: true,
		Secure:   r.TLS != nil || strings.HasPrefix(s.cfg.PublicURL, "https://"),
		SameSite: http.SameSiteStrictMode,
	})
	return tok
}

// validCSRFToken reports whether tok looks like one csrfToken made (the
// base-32 text of crypto/rand, at least 128 bits), so that a cookie set
// by someone else, short or odd, is replaced rather than echoed.
func validCSRFToken(tok string) bool {
	if len(tok) < 26 || len(tok) > 128 {
		return false
	}
	for _, c := range tok {
		if !('A' <= c && c <= 'Z' || '2' <= c && c <= '7') {
			return false
		}
	}
	return true
}

// checkCSRF accepts a form post only if it comes from this site: the
// origin check passes (checkOrigin) and its csrf form value equals the csrf
// cookie. It parses the form; a handler that streams its form calls
// checkOrigin before reading and checkCSRFToken with the field instead.
// The error it returns is a 403.
func (s *Server) checkCSRF(r *http.Request) error {
	if err := s.checkOrigin(r); err != nil {
		return err
	}
	return s.checkCSRFToken(r, r.PostFormValue(csrfCookie))
}

// checkOrigin is net/http's cross-origin check (Sec-Fetch-Site, else
// Origin against Host or the PublicURL), from the headers alone.
func (s *Server) checkOrigin(r *http.Request) error {
	cop := http.NewCrossOriginProtection()
	if s.cfg.PublicURL != "" {
		// A PublicURL that is no origin is only not trusted: Host still is.
		_ = cop.AddTrustedOrigin(strings.TrimSuffix(s.cfg.PublicURL, "/"))
	}
	if err := cop.Check(r); err != nil {
		return csrfError(fmt.Sprintf("%v (Sec-Fetch-Site %q, Origin %q)", err, r.Header.Get("Sec-Fetch-Site"), r.Header.Get("Origin")))
	}
	return nil
}

// checkCSRFToken compares a form's csrf value with the cookie: the token
// stays because CrossOriginProtection passes posts with neither
// Sec-Fetch-Site nor Origin.
func (s *Server) checkCSRFToken(r *http.Request, form string) error {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return csrfError("no csrf cookie")
	}
	if form == "" {
		return csrfError("no csrf form value")
	}
	if subtle.ConstantTimeCompare([]byte(form), []byte(c.Value)) != 1 {
		return csrfError("csrf form value does not match the cookie")
	}
	return nil
}

// csrfError is a 403 with a bilingual message, reason being the logged cause.
func csrfError(reason string) error {
	return &userError{
		status: http.StatusForbidden,
		msg: dataset.Label{ID: "formulir ditolak karena tidak dapat dipastikan dikirim dari situs ini; muat ulang halamannya lalu kirim lagi",
			EN: "the form was refused because it could not be shown to come from this site; reload the page and send it again"},
		err: fmt.Errorf("%w: %s", errCSRF, reason),
	}
}

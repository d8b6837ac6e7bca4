package site

import (
	"context"
	"crypto/rand"
	"net/http"
	"regexp"
)

// requestIDHeader carries a request's id: the one a proxy in front sent
// (nginx's $request_id), when it looks like one, else one made here. The
// answer returns it and every log line about the request carries it, so
// a user reporting a failure can quote it and an operator can find it.
const requestIDHeader = "X-Request-Id"

var plausibleRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

type requestIDKey struct{}

// withRequestID gives every request an id.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(requestIDHeader)
		if !plausibleRequestID.MatchString(id) {
			id = rand.Text()[:16]
		}
		w.Header().Set(requestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// requestID is the id withRequestID gave r ("" outside it).
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

package site

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/metrics"
)

// The portal counts its requests by route template, never by path, so a
// scan of made-up paths adds one label value (metrics.UnmatchedRoute), not
// one per path; it counts the limits clients hit where their errors are
// handled (logError), and the connections LimitListener refuses.

// routeKey holds, in a request's context, where routeLabel writes the
// template of the route that matched.
type routeKey struct{}

// observe counts and times every request when the portal has metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	if s.cfg.Metrics == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := metrics.UnmatchedRoute
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeKey{}, &route)))
		s.cfg.Metrics.Request(route, rec.status(), time.Since(start))
	})
}

// routeLabel, a middleware of the router (it runs only when a route
// matched), tells observe the route's template.
func routeLabel(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			if t, err := mux.CurrentRoute(r).GetPathTemplate(); err == nil {
				*p = t
			}
		}
		next.ServeHTTP(w, r)
	})
}

// statusRecorder keeps the status of an answer. It unwraps, so that
// http.ResponseController still reaches the connection's deadlines.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.code == 0 && code >= 200 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Flush is here for the writers wrapped around this one (gzip) that flush
// only what implements http.Flusher.
func (w *statusRecorder) Flush() {
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// status is the answer's status: 200 when the handler wrote nothing.
func (w *statusRecorder) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// countLimit counts the limit err was refused by, if any.
func (s *Server) countLimit(err error) {
	var ue *userError
	if errors.As(err, &ue) && ue.limit != "" {
		s.cfg.Metrics.LimitHit(ue.limit)
	}
}

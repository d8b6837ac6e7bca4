// Package site serves the public portal and its JSON API: gorilla/mux
// routes, server-rendered pages from embedded templates, and one place that
// turns errors into HTTP answers.
package site

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"
	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/token"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Searcher is what the portal needs of the search index: *search.Index,
// and *search.Live, which a server swaps to a new index generation while
// it runs.
type Searcher interface {
	Search(ctx context.Context, q search.Query) (*search.Result, error)
	DocCount() (uint64, error)
}

// Config wires the portal to its data.
type Config struct {
	Index     Searcher
	Publisher *publisher.Publisher
	Regions   *dataset.Regions
	Log       *slog.Logger
	// Tokens and Ingester take regions' pushed feeds in; with either nil
	// the push API answers 404.
	Tokens   *token.Registry
	Ingester *pipeline.Ingester
	// MaxFeedBytes caps a pushed feed (default 200 MiB).
	MaxFeedBytes int64
	// PushWait is how long a push waits for its feed to be validated and
	// published before answering 202 (default 10 s).
	PushWait time.Duration
	// PresignDownloads redirects downloads to presigned URLs of the store,
	// when it is S3 and users can reach it, instead of streaming them.
	PresignDownloads bool
	// PublicURL is the portal's public address (scheme and host, no
	// trailing slash) for absolute links in citations, catalogues and
	// feeds; empty means http:// and the request's Host.
	PublicURL string
}

// Server is the portal's HTTP handler.
type Server struct {
	cfg    Config
	router *mux.Router
	pages  map[string]*template.Template
	// ready is false until the index has caught up with the live release.
	ready atomic.Bool
	push  *pusher
}

// New builds the portal.
func New(cfg Config) (*Server, error) {
	s := &Server{cfg: cfg, router: mux.NewRouter(), push: newPusher()}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.registerRoutes()
	return s, nil
}

// SetReady marks the index as caught up with the live release.
func (s *Server) SetReady() { s.ready.Store(true) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	s.router.ServeHTTP(w, r)
}

func (s *Server) parseTemplates() error {
	s.pages = map[string]*template.Template{}
	for _, page := range []string{"home", "search", "error", "feed"} {
		t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", "templates/"+page+".html")
		if err != nil {
			return err
		}
		s.pages[page] = t
	}
	return nil
}

func staticFiles() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	return http.FileServerFS(sub)
}

// appHandler is a handler that returns its error for one adapter to render.
type appHandler func(w http.ResponseWriter, r *http.Request) error

// userError carries a message safe to show alongside the logged cause.
type userError struct {
	status int
	msg    string
	err    error
}

func (e *userError) Error() string { return e.msg + ": " + e.err.Error() }
func (e *userError) Unwrap() error { return e.err }

// statusOf is the one place error kinds become HTTP statuses.
func statusOf(err error) int {
	var ue *userError
	switch {
	case errors.As(err, &ue) && ue.status != 0:
		return ue.status
	case errors.Is(err, dataset.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, dataset.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, dataset.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, dataset.ErrUnavailable):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// baseURL is the scheme and host absolute links start with.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimSuffix(s.cfg.PublicURL, "/")
	}
	return "http://" + r.Host
}

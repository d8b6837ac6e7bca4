// Package site serves the public portal and its JSON API: gorilla/mux
// routes, server-rendered pages from embedded templates, and one place that
// turns errors into HTTP answers.
package site

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/metrics"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/site/summary"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/token"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Searcher is what the portal needs of the search index: *search.Index,
// *search.Live, which a server swaps to a new index generation while it
// runs, or a *search.Cache of either.
//
// A Result may be shared with other requests (a *search.Cache returns the
// same one to every search of a query): handlers read it, never change it.
type Searcher interface {
	Search(ctx context.Context, q search.Query) (*search.Result, error)
	// Line lists the stages of a budget record's line (nil if unknown).
	Line(ctx context.Context, id string) ([]search.Stage, error)
	// Locate finds the document holding a record: its dataset, region
	// and year (ok false if unknown).
	Locate(ctx context.Context, id string) (search.Hit, bool, error)
	DocCount() (uint64, error)
	// Version changes whenever what searches see may change: an answer
	// cached for the index is good while it stays the same.
	Version() search.Version
}

// Intake takes a pushed feed in: *pipeline.Ingester.
type Intake interface {
	Submit(ctx context.Context, meta intake.Meta, body io.Reader, opt pipeline.SubmitOptions) (*intake.Report, error)
}

// FeedReports reads what became of a feed: *pipeline.Ingester.
type FeedReports interface {
	Report(ctx context.Context, id string) (*intake.Report, error)
}

// Config wires the portal to its data.
type Config struct {
	Index     Searcher
	Publisher *publisher.Publisher
	Regions   *dataset.Regions
	Log       *slog.Logger
	// Store is where the portal reads published files (partitions,
	// downloads); nil serves no downloads or record pages.
	Store store.Reader
	// Reports reads the reports of feeds; nil answers 404 for them.
	Reports FeedReports
	// Tokens and Intake take regions' pushed feeds in; with either nil
	// the push API and the upload form answer 404.
	Tokens *token.Registry
	Intake Intake
	// MaxFeedBytes caps a pushed feed (default 200 MiB).
	MaxFeedBytes int64
	// PushWait is how long a push waits for its feed to be validated and
	// published before answering 202 (default 10 s).
	PushWait time.Duration
	// BodyTimeout is how long a request may take to send its body before
	// it is authorised, and the longest pause in sending or reading a
	// large body afterwards (default 30 s).
	BodyTimeout time.Duration
	// MinBodyRate is the least average rate, in bytes per second, of an
	// authorised upload after its first BodyTimeout (default 8 KiB/s).
	MinBodyRate int
	// PageWriteTimeout bounds writing a page or an API answer (default
	// 2 min); downloads are bounded by BodyTimeout per chunk instead.
	PageWriteTimeout time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For names the
	// client, for per-client rate limits; none means the header is ignored.
	TrustedProxies []netip.Prefix
	// SearchRate and DownloadRate are the requests per second one client
	// may make of searches and of downloads (0: 10 and 2; negative: no
	// limit, as for a benchmark measuring the engine).
	SearchRate, DownloadRate float64
	// PresignDownloads redirects downloads to presigned URLs of the store,
	// when it is S3 and users can reach it, instead of streaming them.
	PresignDownloads bool
	// PublicURL is the portal's public address (scheme and host, no
	// trailing slash) for absolute links in citations, catalogues and
	// feeds; empty makes them relative (never the request's Host).
	PublicURL string
	// Now, when set, is the portal's clock (tests pin it); nil means the
	// wall clock. Pages show the data's own dates, never today's, except
	// where a form proposes the current year.
	Now func() time.Time
	// AnswerCacheBytes bounds the whole answers (pages, API answers) kept
	// in memory by their ETag (answerCache); 0 keeps none.
	AnswerCacheBytes int64
	// Metrics, when set, counts the portal's requests, the limits clients
	// hit, the profile sums' cache and the answer cache, and the portal serves it at
	// /metrics unless MetricsElsewhere; nil counts nothing.
	Metrics *metrics.Set
	// MetricsElsewhere says /metrics is served on an address of its own
	// (terbuka serve --metrics-addr), not by the portal.
	MetricsElsewhere bool
	// Contact is where readers and officials write to the portal's
	// operator, as ContactURL returns it (a mailto: or http(s) link); the
	// footer and the token page link to it. Empty shows none.
	Contact string
}

// Server is the portal's HTTP handler.
type Server struct {
	cfg    Config
	router *mux.Router
	// handler is the router wrapped in secure.
	handler http.Handler
	pages   map[string]*template.Template
	// ready is false until the index has caught up with the live release.
	ready atomic.Bool
	// followed is the index follower's last report (Followed), nil before
	// the first: answers of the live release are cached only when it says
	// the index is in sync.
	followed atomic.Pointer[syncState]
	// build names the program for ETags (buildID).
	build func() string
	// authFailures counts bad tokens per client address.
	authFailures *failureLimiter
	// Request rates: searches and downloads per client, pushes per token.
	searches, downloads, pushes *limiter
	// sums remembers each partition's profile sums by content; warmed is
	// the last release whose partitions were all summed.
	sums   *summary.Summarizer
	warmed atomic.Value // string
	// answers keeps whole answers by ETag; nil keeps none.
	answers *answerCache
	// updated is the live release's time, for the footer.
	updated lastUpdate
}

// New builds the portal.
func New(cfg Config) (*Server, error) {
	s := &Server{cfg: cfg, router: mux.NewRouter(), authFailures: &failureLimiter{seen: map[string]*failures{}}, build: buildID,
		searches:  newLimiter(clientLimit(cfg.SearchRate, defaultSearchRate, 6), metrics.RateSearch),
		downloads: newLimiter(clientLimit(cfg.DownloadRate, defaultDownloadRate, 10), metrics.RateDownload),
		pushes:    newLimiter(pushRate, metrics.RatePush), answers: newAnswerCache(cfg.AnswerCacheBytes)}
	if s.answers != nil {
		cfg.Metrics.WatchAnswerCache(s.answers.stats)
	}
	if cfg.Store != nil {
		s.sums = &summary.Summarizer{Store: cfg.Store}
		if cfg.Metrics != nil {
			s.sums.Cached = cfg.Metrics.SummaryCache
		}
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	// Hashing the executable (buildID) takes a moment: not on a request.
	go s.build()
	s.registerRoutes()
	s.handler = withRequestID(s.observe(s.deadlines(secure(s.router))))
	return s, nil
}

// SetReady marks the index as caught up with the live release.
//
// It also sums the live release's partitions in the background, so the
// first visitor of the home page and the profiles after a release does not
// wait for them.
func (s *Server) SetReady() {
	s.ready.Store(true)
	if s.sums == nil {
		return
	}
	go func() {
		ctx := context.Background()
		live, err := s.cfg.Publisher.Current(ctx)
		// SetReady is called at every poll; sum each release once.
		if err != nil || s.warmed.Swap(live.ID) == live.ID {
			return
		}
		start := time.Now()
		s.sums.Retain(live)
		for _, p := range live.Partitions {
			if _, err := s.sums.Partition(ctx, p); err != nil {
				s.cfg.Log.Warn("sum partition", "path", p.Path, "err", err)
			}
		}
		s.cfg.Log.Info("profile sums ready", "release", live.ID, "partitions", len(live.Partitions), "took", time.Since(start).Round(time.Millisecond))
	}()
}

// ServeHTTP implements http.Handler.
// Every answer goes through secure: security headers, the lang cookie and
// gzip.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

func (s *Server) parseTemplates() error {
	s.pages = map[string]*template.Template{}
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, file := range pages {
		page := strings.TrimSuffix(path.Base(file), ".html")
		if page == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(templateFuncs).Funcs(template.FuncMap{"asset": assetURL}).ParseFS(templateFS, "templates/layout.html", "templates/"+page+".html")
		if err != nil {
			return err
		}
		s.pages[page] = t
	}
	return nil
}

// staticFiles serves the embedded static files, under the prefix
// stripped: name.hash8.ext (the address the asset template function gives)
// cached for good, since a change of content changes the address; a stale
// hash redirects to the current one; the plain name is cached briefly.
// Nothing else, directories included, is served.
func staticFiles() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hashes := staticAssets()
		name, hash := r.URL.Path, ""
		if _, ok := hashes[name]; !ok {
			name, hash = splitAssetHash(name)
		}
		current, ok := hashes[name]
		h := w.Header()
		switch {
		case !ok:
			http.NotFound(w, r)
			return
		case hash == "":
			h.Set("Cache-Control", "public, max-age=300")
		case hash == current:
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		default:
			h.Set("Cache-Control", "no-cache")
			localRedirect(w, r, "/static/"+hashedName(name, current), http.StatusFound)
			return
		}
		h.Set("ETag", `"`+current+`"`)
		http.ServeFileFS(w, r, sub, name)
	})
}

// staticAssets maps each embedded static file, by its path under static/,
// to the first 8 hex digits of its SHA-256. It is computed once.
var staticAssets = sync.OnceValue(func() map[string]string {
	hashes := map[string]string{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		hashes[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:4])
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("hash static files: %v", err))
	}
	return hashes
})

// assetURL is the address of a static file that changes with its
// content, for templates: {{asset "style.css"}} → /static/style.1a2b3c4d.css.
func assetURL(name string) (string, error) {
	h, ok := staticAssets()[name]
	if !ok {
		return "", fmt.Errorf("asset %q: no such static file", name)
	}
	return "/static/" + hashedName(name, h), nil
}

// hashedName puts hash before the extension of name: dir/a.css → dir/a.hash.css.
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// splitAssetHash undoes hashedName: the file's name and the 8 hex digits
// of hash, or p itself and "" if p has no such hash.
func splitAssetHash(p string) (name, hash string) {
	ext := path.Ext(p)
	base := strings.TrimSuffix(p, ext)
	if h := path.Ext(base); isHash8(h) {
		return strings.TrimSuffix(base, h) + ext, h[1:]
	}
	if isHash8(ext) { // a file without extension
		return base, ext[1:]
	}
	return p, ""
}

// isHash8 reports whether ext is a dot and 8 lower-case hex digits.
func isHash8(ext string) bool {
	if len(ext) != 9 || ext[0] != '.' {
		return false
	}
	for _, c := range ext[1:] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// appHandler is a handler that returns its error for one adapter to render.
type appHandler func(w http.ResponseWriter, r *http.Request) error

// userError is an error a user may read: its message, in Bahasa Indonesia
// and English, is what pages and the API show; the cause is logged with
// the request id and never shown.
type userError struct {
	status int
	msg    dataset.Label
	err    error
	// retryAfter, when set, is sent as Retry-After (seconds).
	retryAfter string
	// limit, when set, is the limit the request was refused by, for the
	// metrics.
	limit metrics.Limit
}

func (e *userError) Error() string { return e.msg.EN + ": " + e.err.Error() }
func (e *userError) Unwrap() error { return e.err }

// badRequest is a 400 with what the user must change.
func badRequest(id, en string) error {
	return &userError{status: http.StatusBadRequest, msg: dataset.Label{ID: id, EN: en}, err: dataset.ErrInvalid}
}

// publicMessage is what a user reads of err, in Indonesian and English:
// a userError's or a query error's own message, else the status's general
// one. A store key, a path or a Go error's text never gets through. A
// store or index that cannot answer is said as such, whatever the handler
// would have said of what it looked for ("no such release").
func publicMessage(err error, status int) dataset.Label {
	var ue *userError
	var qe *search.QueryError
	switch {
	case status == http.StatusServiceUnavailable && errors.Is(err, dataset.ErrUnavailable):
		return statusMessages[status]
	case errors.As(err, &ue) && ue.msg.ID != "":
		return ue.msg
	case errors.As(err, &qe):
		return qe.Msg
	}
	if m, ok := statusMessages[status]; ok {
		return m
	}
	return dataset.Label{ID: "terjadi kesalahan di Terbuka; coba lagi nanti", EN: "Terbuka ran into an error; try again later"}
}

// bothLanguages writes a message as error pages and forms show it:
// Indonesian, then English, so whoever reads it understands.
func bothLanguages(m dataset.Label) string {
	if m.EN == "" || m.EN == m.ID {
		return m.ID
	}
	return m.ID + " / " + m.EN
}

// statusMessages are the general messages of statuses, for errors that
// carry none of their own.
var statusMessages = map[int]dataset.Label{
	http.StatusBadRequest:         {ID: "permintaan tidak sah", EN: "invalid request"},
	http.StatusNotFound:           {ID: "tidak ditemukan", EN: "not found"},
	http.StatusConflict:           {ID: "bertentangan dengan keadaan saat ini; coba lagi", EN: "conflicts with the current state; try again"},
	http.StatusServiceUnavailable: {ID: "layanan sedang tidak tersedia; coba lagi nanti", EN: "the service is unavailable; try again later"},
	http.StatusInsufficientStorage: {ID: "ruang penyimpanan sementara Terbuka penuh; coba lagi nanti, dan bila tetap gagal beri tahu pengelola portal",
		EN: "Terbuka's temporary storage is full; try again later, and if it keeps failing tell the portal's operator"},
}

// errorCodes name statuses in JSON errors, for programs.
var errorCodes = map[int]string{
	http.StatusBadRequest: "bad_request", http.StatusUnauthorized: "unauthorized", http.StatusForbidden: "forbidden",
	http.StatusNotFound: "not_found", http.StatusMethodNotAllowed: "method_not_allowed", http.StatusConflict: "conflict",
	http.StatusGone: "gone", http.StatusRequestEntityTooLarge: "too_large", http.StatusUnsupportedMediaType: "unsupported_media_type",
	http.StatusUnprocessableEntity: "invalid_feed", http.StatusTooManyRequests: "too_many_requests",
	http.StatusServiceUnavailable: "unavailable", http.StatusInsufficientStorage: "insufficient_storage",
}

// apiError is the one shape of a JSON error.
type apiError struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		MessageEN string `json:"message_en"`
	} `json:"error"`
}

func newAPIError(err error, status int) apiError {
	var e apiError
	m := publicMessage(err, status)
	e.Error.Code, e.Error.Message, e.Error.MessageEN = errorCodes[status], m.ID, m.EN
	if e.Error.Code == "" {
		e.Error.Code = "internal"
	}
	return e
}

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
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		// The disk (--temp-dir) has no room for what the request brings:
		// neither the sender's fault nor a passing overload.
		return http.StatusInsufficientStorage
	}
	return http.StatusInternalServerError
}

// baseURL is the scheme and host absolute links start with: PublicURL,
// never the request's Host header, which anyone can write and which would
// then sit in answers cached for a year. Without PublicURL links are
// relative to the site.
func (s *Server) baseURL(*http.Request) string {
	return strings.TrimSuffix(s.cfg.PublicURL, "/")
}

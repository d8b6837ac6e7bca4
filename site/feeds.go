package site

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/metrics"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/token"
)

// Defaults of the push API.
const (
	defaultMaxFeedBytes = 200 << 20
	defaultPushWait     = 10 * time.Second
	// authFailures failed attempts from one address within authWindow
	// make it wait out the window: tokens are 256 bits, so this is about
	// keeping noise out of the logs and the store.
	authFailures = 10
	authWindow   = time.Minute
)

// handlePush is POST /api/v1/feeds?dataset=D&year=Y: the body (or the first
// file of a multipart form) is a feed of the token's region.
func (s *Server) handlePush(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Tokens == nil || s.cfg.Intake == nil {
		return &userError{status: http.StatusNotFound, msg: dataset.Label{ID: "pengiriman data tidak diaktifkan di server ini", EN: "pushing feeds is not enabled on this server"}, err: errNoRoute}
	}
	tok, err := s.authenticate(r)
	if err != nil {
		return err
	}
	meta, err := pushMeta(r.URL.Query(), tok)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.maxFeedBytes())
	body, name, err := feedBody(r)
	if err != nil {
		return err
	}
	meta.File = name
	// A large feed over a slow line takes long; a stalled one does not.
	rep, err := s.receive(r, tok, meta, s.minRateBody(w, body))
	if err != nil {
		return err
	}
	return s.answerPush(w, rep)
}

func (s *Server) maxFeedBytes() int64 { return cmp.Or(s.cfg.MaxFeedBytes, defaultMaxFeedBytes) }

// receive hands a feed to the intake, which answers with its report as it
// stands after PushWait: final, or still received.
func (s *Server) receive(r *http.Request, tok token.Token, meta intake.Meta, body io.Reader) (*intake.Report, error) {
	opt := pipeline.SubmitOptions{Wait: cmp.Or(s.cfg.PushWait, defaultPushWait)}
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		if len(k) > 255 {
			return nil, &userError{status: http.StatusBadRequest, msg: dataset.Label{ID: "Idempotency-Key paling panjang 255 karakter", EN: "Idempotency-Key is at most 255 characters"}, err: dataset.ErrInvalid}
		}
		// A key is the sender's: two regions may use the same one.
		opt.IdempotencyKey = tok.ID + "\x00" + k
	}
	rep, err := s.cfg.Intake.Submit(r.Context(), meta, body, opt)
	var tooBig *http.MaxBytesError
	var conflict *pipeline.IdempotencyConflict
	switch {
	case errors.Is(err, pipeline.ErrBusy):
		return nil, &userError{status: http.StatusServiceUnavailable, retryAfter: busyRetryAfter, limit: metrics.SubmitBusy,
			msg: dataset.Label{ID: "terlalu banyak kiriman sedang diproses; coba lagi sebentar lagi", EN: "too many feeds are being taken in; try again shortly"}, err: err}
	case errors.Is(err, errTooSlow), errors.Is(err, os.ErrDeadlineExceeded):
		return nil, &userError{status: http.StatusRequestTimeout, limit: metrics.TooSlow,
			msg: dataset.Label{ID: "berkas terkirim terlalu lambat atau terhenti; kirim lagi", EN: "the file arrived too slowly or stalled; send it again"}, err: err}
	case errors.As(err, &tooBig):
		limit := s.maxFeedBytes()
		return nil, &userError{status: http.StatusRequestEntityTooLarge, limit: metrics.TooLarge, msg: dataset.Label{ID: fmt.Sprintf("berkas lebih dari %d byte", limit), EN: fmt.Sprintf("the feed is larger than %d bytes", limit)}, err: err}
	case errors.As(err, &conflict):
		return nil, &userError{status: http.StatusConflict, msg: dataset.Label{ID: fmt.Sprintf("Idempotency-Key ini sudah dipakai untuk feed %s dengan isi lain", conflict.Feed), EN: fmt.Sprintf("this Idempotency-Key was used for feed %s with other content", conflict.Feed)}, err: dataset.ErrConflict}
	case err != nil:
		return nil, err
	}
	s.cfg.Log.Info("feed pushed", "feed", rep.FeedID, "token", tok.ID, "region", tok.Region, "status", rep.Status)
	return rep, nil
}

// answerPush answers with a feed's report: 201 once published (or found
// unchanged), 200 when a check (dry_run) found no errors, 422 when
// rejected, 202 while it is processed, 500 if Terbuka failed. Location is
// where its report stays.
func (s *Server) answerPush(w http.ResponseWriter, rep *intake.Report) error {
	status := http.StatusAccepted
	switch rep.Status {
	case intake.StatusPublished, intake.StatusUnchanged, intake.StatusValidated:
		status = http.StatusCreated
	case intake.StatusChecked:
		// Nothing was created: the check's report is the answer.
		status = http.StatusOK
	case intake.StatusRejected:
		status = http.StatusUnprocessableEntity
	case intake.StatusFailed:
		status = http.StatusInternalServerError
	}
	w.Header().Set("Location", "/api/v1/feeds/"+rep.FeedID)
	writeJSON(w, status, rep)
	return nil
}

// handleFeed is GET /api/v1/feeds/{id}: a feed's status and full report.
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.feedReport(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// feedReport reads the report of the feed the request names.
func (s *Server) feedReport(r *http.Request) (*intake.Report, error) {
	if s.cfg.Reports == nil {
		return nil, &userError{status: http.StatusNotFound, msg: dataset.Label{ID: "laporan tidak ditemukan", EN: "no such feed"}, err: errNoRoute}
	}
	rep, err := s.cfg.Reports.Report(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		return nil, &userError{status: statusOf(err), msg: dataset.Label{ID: "laporan tidak ditemukan", EN: "no such feed"}, err: err}
	}
	return rep, nil
}

// feedPage is what the feed report page shows.
type feedPage struct {
	Report       *intake.Report
	DatasetLabel dataset.Label
	RegionName   string
	Lists        []problemList
	// OtherLang is the language a problem's second message is in.
	OtherLang string
	lang      lang
}

// Other returns a message in the language the page is not in.
func (p feedPage) Other(m dataset.Label) string {
	if p.lang == langEN {
		return m.ID
	}
	return m.EN
}

type problemList struct {
	Title    string
	Count    int
	Codes    []codeCount
	Problems []intake.Problem
}

// codeCount is how many problems of one kind a report has. The page shows
// the kind by its name, and its code for support.
type codeCount struct {
	Code  string
	Name  dataset.Label
	Count int
}

// handleFeedPage is /feeds/{id}: a feed's report for the region that sent
// it, in Bahasa Indonesia with English beside every reason.
func (s *Server) handleFeedPage(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.feedReport(r)
	if err != nil {
		return err
	}
	l := langOf(r)
	p := feedPage{Report: rep, lang: l, OtherLang: "en"}
	if l == langEN {
		p.OtherLang = "id"
	}
	if sc, err := dataset.Lookup(rep.Dataset); err == nil {
		p.DatasetLabel = sc.Label
	}
	p.RegionName = s.regionName(rep.Region)
	p.Lists = []problemList{
		{Title: "feed.errors", Count: rep.ErrorCount, Codes: byCount(rep.ErrorCodes), Problems: rep.Errors},
		{Title: "feed.warnings", Count: rep.WarningCount, Codes: byCount(rep.WarningCodes), Problems: rep.Warnings},
	}
	s.render(w, r, http.StatusOK, "feed", l.translate("feed.title")+" "+rep.FeedID, p)
	return nil
}

func byCount(codes map[string]int) []codeCount {
	var out []codeCount
	for c, n := range codes {
		out = append(out, codeCount{Code: c, Name: intake.CodeName(c), Count: n})
	}
	slices.SortFunc(out, func(a, b codeCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}

// authenticate returns the token of the request's bearer credentials.
func (s *Server) authenticate(r *http.Request) (token.Token, error) {
	secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(secret) == "" {
		return token.Token{}, &userError{status: http.StatusUnauthorized, msg: dataset.Label{ID: "perlu header Authorization: Bearer <token>", EN: "an Authorization: Bearer <token> header is required"}, err: errAuth}
	}
	return s.lookupToken(r, secret)
}

// lookupToken finds the token of a secret. Failures are counted per client
// address, and an address with too many waits before it is told another
// secret is wrong; a valid token is never refused for its address, which
// behind a proxy is every region's. A token's pushes are rate limited.
func (s *Server) lookupToken(r *http.Request, secret string) (token.Token, error) {
	tok, err := s.cfg.Tokens.Lookup(r.Context(), strings.TrimSpace(secret))
	switch {
	case errors.Is(err, token.ErrUnknown), errors.Is(err, token.ErrRevoked):
		addr := s.clientAddr(r)
		if wait := s.authFailures.blocked(addr); wait > 0 {
			return token.Token{}, tooMany(wait, metrics.BadToken)
		}
		s.authFailures.fail(addr)
		// One message for both: which secrets were ever valid is not told.
		return token.Token{}, &userError{status: http.StatusUnauthorized, limit: metrics.BadToken, msg: dataset.Label{ID: "token tidak dikenal atau sudah dicabut", EN: "unknown or revoked token"}, err: err}
	case err != nil:
		return token.Token{}, err
	}
	if ok, wait := s.pushes.allow(tok.ID); !ok {
		return token.Token{}, tooMany(wait, s.pushes.kind)
	}
	return tok, nil
}

var errAuth = errors.New("authentication")

// pushMeta reads what a push says its feed is. The region is the token's:
// a region may name itself, but never another.
func pushMeta(q url.Values, tok token.Token) (intake.Meta, error) {
	meta := intake.Meta{Dataset: q.Get("dataset"), Region: tok.Region, Source: "api", Encoding: q.Get("encoding"), Sheet: q.Get("sheet")}
	if _, err := dataset.Lookup(meta.Dataset); err != nil {
		return meta, &userError{status: http.StatusBadRequest, msg: dataset.Label{ID: fmt.Sprintf("dataset %q tidak dikenal (%s)", meta.Dataset, strings.Join(dataset.Names(), ", ")), EN: "unknown dataset"}, err: dataset.ErrInvalid}
	}
	year, err := strconv.Atoi(q.Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		return meta, &userError{status: http.StatusBadRequest, msg: dataset.Label{ID: fmt.Sprintf("tahun %q tidak sah (2000–2100)", q.Get("year")), EN: fmt.Sprintf("year %q is not valid (2000–2100)", q.Get("year"))}, err: dataset.ErrInvalid}
	}
	meta.Year = year
	if region := q.Get("region"); region != "" && region != tok.Region {
		return meta, &userError{status: http.StatusForbidden, msg: dataset.Label{ID: fmt.Sprintf("token ini milik wilayah %s dan tidak bisa mengirim data wilayah %s", tok.Region, region), EN: fmt.Sprintf("this token belongs to region %s and cannot push for region %s", tok.Region, region)}, err: errAuth}
	}
	if stage := q.Get("stage"); stage != "" {
		f := dataset.FindField("stage")
		if sc, _ := dataset.Lookup(meta.Dataset); sc.Field("stage") == nil || !slices.Contains(f.Allowed, stage) {
			return meta, &userError{status: http.StatusBadRequest, msg: dataset.Label{ID: fmt.Sprintf("stage hanya untuk dataset budget dan budget_accounts, salah satu dari %s", strings.Join(f.Allowed, ", ")), EN: fmt.Sprintf("stage is for the budget and budget_accounts datasets only, one of %s", strings.Join(f.Allowed, ", "))}, err: dataset.ErrInvalid}
		}
		meta.Stage = stage
	}
	var err2 error
	if meta.Withdraw, err2 = flagParam(q, "withdraw"); err2 != nil {
		return meta, err2
	}
	if meta.ConfirmShrink, err2 = flagParam(q, "confirm_shrink"); err2 != nil {
		return meta, err2
	}
	if meta.DryRun, err2 = flagParam(q, "dry_run"); err2 != nil {
		return meta, err2
	}
	return meta, nil
}

// flagParam reads a yes/no parameter: 1, true, on (a checkbox) or yes;
// absent, 0, false or no is no. Anything else is refused, not guessed.
func flagParam(q url.Values, name string) (bool, error) {
	switch strings.ToLower(q.Get(name)) {
	case "", "0", "false", "no":
		return false, nil
	case "1", "true", "on", "yes":
		return true, nil
	}
	return false, &userError{status: http.StatusBadRequest, msg: dataset.Label{ID: fmt.Sprintf("%s harus 1 atau 0, bukan %q", name, q.Get(name)), EN: fmt.Sprintf("%s must be 1 or 0, not %q", name, q.Get(name))}, err: dataset.ErrInvalid}
}

// feedTypes are the media types taken as feeds: CSV, Excel workbooks, JSON,
// NDJSON and OCDS packages (told apart by content). Other formats are refused until they are read
// (415), rather than validated as garbled CSV.
var feedTypes = []string{"", "text/csv", "text/plain", "application/csv", "text/tab-separated-values", "application/octet-stream",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/json", "application/x-ndjson", "application/ndjson"}

// feedBody returns the feed of a push: the body, or the first file of a
// multipart form, streamed, with its file name when it has one.
func feedBody(r *http.Request) (io.Reader, string, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil && r.Header.Get("Content-Type") != "" {
		return nil, "", unsupported(r.Header.Get("Content-Type"))
	}
	if mt == "multipart/form-data" {
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				return nil, "", &userError{status: http.StatusBadRequest, msg: dataset.Label{ID: "formulir tanpa berkas", EN: "the form has no file"}, err: dataset.ErrInvalid}
			}
			if part.FileName() != "" {
				ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
				if !isFeedType(ct) {
					return nil, "", unsupported(ct)
				}
				return part, part.FileName(), nil
			}
		}
	}
	if !isFeedType(mt) {
		return nil, "", unsupported(mt)
	}
	name := ""
	if _, p, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
		name = p["filename"]
	}
	return r.Body, name, nil
}

func isFeedType(mt string) bool {
	for _, t := range feedTypes {
		if mt == t {
			return true
		}
	}
	return false
}

func unsupported(mt string) error {
	return &userError{status: http.StatusUnsupportedMediaType, msg: dataset.Label{ID: fmt.Sprintf("format %q tidak didukung; kirim CSV, XLSX, JSON atau paket OCDS", mt), EN: fmt.Sprintf("format %q is not supported; send CSV, XLSX, JSON or an OCDS package", mt)}, err: dataset.ErrInvalid}
}

// failureLimiter counts failed authentications per client address in
// fixed windows.
type failureLimiter struct {
	mu   sync.Mutex
	seen map[string]*failures
}

type failures struct {
	start time.Time
	n     int
}

// blocked returns how long addr must still wait, 0 when it may try.
func (l *failureLimiter) blocked(addr string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.seen[addr]
	if f == nil {
		return 0
	}
	left := authWindow - time.Since(f.start)
	if left <= 0 {
		delete(l.seen, addr)
		return 0
	}
	if f.n < authFailures {
		return 0
	}
	return left
}

func (l *failureLimiter) fail(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// Old windows are dropped as they are met, and all at once when the
	// table grows, so a scan from many addresses cannot fill memory.
	if len(l.seen) > 10_000 {
		for a, f := range l.seen {
			if time.Since(f.start) > authWindow {
				delete(l.seen, a)
			}
		}
	}
	f := l.seen[addr]
	if f == nil || time.Since(f.start) > authWindow {
		f = &failures{start: time.Now()}
		l.seen[addr] = f
	}
	f.n++
}

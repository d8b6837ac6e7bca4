package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
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
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/token"
)

// Defaults of the push API.
const (
	defaultMaxFeedBytes = 200 << 20
	defaultPushWait     = 10 * time.Second
	// pushWorkers bounds the feeds validated at once: each holds a core
	// and a Parquet writer's buffers.
	pushWorkers = 2
	// authFailures failed attempts from one address within authWindow
	// make it wait out the window: tokens are 256 bits, so this is about
	// keeping noise out of the logs and the store.
	authFailures = 10
	authWindow   = time.Minute
)

// pusher takes feeds in over HTTP.
type pusher struct {
	workers chan struct{}
	limiter *failureLimiter
	// partitions serialises the feeds of one partition: a stage feed is
	// merged with the live partition, and two merged at once would each
	// drop the other's stage.
	partitions sync.Map // partition key → *sync.Mutex
	// inflight counts feeds still being processed after their push.
	inflight sync.WaitGroup
	// processing holds the ids of the feeds this server is processing.
	processing sync.Map // feed id → true
}

// WaitPushes waits for the pushed feeds still being processed: a server
// shutting down calls it after it stops taking requests.
func (s *Server) WaitPushes() { s.push.inflight.Wait() }

func newPusher() *pusher {
	return &pusher{workers: make(chan struct{}, pushWorkers), limiter: &failureLimiter{seen: map[string]*failures{}}}
}

// handlePush is POST /api/v1/feeds?dataset=D&year=Y: the body (or the first
// file of a multipart form) is a feed of the token's region.
func (s *Server) handlePush(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Tokens == nil || s.cfg.Ingester == nil {
		return &userError{status: http.StatusNotFound, msg: "pengiriman data tidak diaktifkan di server ini / pushing feeds is not enabled on this server", err: errNoRoute}
	}
	tok, err := s.authenticate(r)
	if err != nil {
		return err
	}
	meta, err := pushMeta(r.URL.Query(), tok)
	if err != nil {
		return err
	}
	limit := s.maxFeedBytes()
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	// A large feed over a slow line takes longer than the server's read
	// timeout for pages.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(time.Hour))
	body, name, err := feedBody(r)
	if err != nil {
		return err
	}
	meta.File = name
	rep, err := s.receive(r, tok, meta, body)
	if err != nil {
		return err
	}
	return s.answerPush(w, rep)
}

func (s *Server) maxFeedBytes() int64 { return cmpOr(s.cfg.MaxFeedBytes, defaultMaxFeedBytes) }

// receive spools a feed, records it as received and processes it in the
// background, waiting up to PushWait for the outcome. It returns the
// feed's report as it then stands: final, or still "received". The same
// bytes sent again are the same feed, answered with what became of it.
func (s *Server) receive(r *http.Request, tok token.Token, meta intake.Meta, body io.Reader) (*intake.Report, error) {
	sp, err := s.cfg.Ingester.Spool(body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		limit := s.maxFeedBytes()
		return nil, &userError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("berkas lebih dari %d byte / the feed is larger than %d bytes", limit, limit), err: err}
	}
	if err != nil {
		return nil, err
	}
	id := pipeline.FeedID(meta, sp.SHA256)
	if err := s.claimIdempotencyKey(r, tok, id); err != nil {
		os.Remove(sp.Path)
		return nil, err
	}
	// The same feed being processed here now is answered with its report
	// as it stands.
	if _, busy := s.push.processing.LoadOrStore(id, true); busy {
		os.Remove(sp.Path)
		if rep, err := s.cfg.Ingester.Report(r.Context(), id); err == nil {
			return rep, nil
		}
		return s.cfg.Ingester.Received(meta, sp), nil
	}
	// A feed with a final report is answered with it. One still received
	// or validated is not being processed by anyone here: a server died
	// while at it, and the feed is processed again, as one that failed is.
	if rep, err := s.cfg.Ingester.Report(r.Context(), id); err == nil && rep.Final() {
		s.push.processing.Delete(id)
		os.Remove(sp.Path)
		return rep, nil
	}
	received := s.cfg.Ingester.Received(meta, sp)
	if err := s.cfg.Ingester.SaveReport(r.Context(), received); err != nil {
		s.push.processing.Delete(id)
		os.Remove(sp.Path)
		return nil, err
	}
	s.cfg.Log.Info("feed received", "feed", id, "token", tok.ID, "region", tok.Region, "dataset", meta.Dataset, "year", meta.Year, "bytes", sp.Bytes, "source", meta.Source)
	done := make(chan *intake.Report, 1)
	s.push.inflight.Go(func() { s.ingestPushed(sp, meta, received, done) })
	wait := s.cfg.PushWait
	if wait == 0 {
		wait = defaultPushWait
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case rep := <-done:
		return rep, nil
	case <-timer.C:
	case <-r.Context().Done():
	}
	return received, nil
}

// ingestPushed validates and publishes a spooled feed, then sends its final
// report. It outlives the request: a feed keeps being processed when the
// region stops waiting.
func (s *Server) ingestPushed(sp *pipeline.Spooled, meta intake.Meta, received *intake.Report, done chan<- *intake.Report) {
	defer os.Remove(sp.Path)
	defer s.push.processing.Delete(received.FeedID)
	s.push.workers <- struct{}{}
	defer func() { <-s.push.workers }()
	mu, _ := s.push.partitions.LoadOrStore(meta.Dataset+"/"+meta.Region+"/"+strconv.Itoa(meta.Year), &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	out, err := s.cfg.Ingester.Run(ctx, s.cfg.Publisher, []pipeline.FeedFile{{Path: sp.Path, Meta: meta}}, nil)
	if err != nil {
		s.cfg.Log.Error("ingest pushed feed", "feed", received.FeedID, "err", err)
		failed := *received
		failed.Status, failed.Failure = intake.StatusFailed, "Terbuka could not take the feed in; send it again later"
		if err := s.cfg.Ingester.SaveReport(ctx, &failed); err != nil {
			s.cfg.Log.Error("save report", "feed", received.FeedID, "err", err)
		}
		done <- &failed
		return
	}
	rep := out.Reports[0]
	s.cfg.Log.Info("feed processed", "feed", rep.FeedID, "status", rep.Status, "errors", rep.ErrorCount, "release", rep.Release)
	done <- rep
}

// answerPush answers with a feed's report: 201 once published (or found
// unchanged), 422 when rejected, 202 while it is processed, 500 if Terbuka
// failed. Location is where its report stays.
func (s *Server) answerPush(w http.ResponseWriter, rep *intake.Report) error {
	status := http.StatusAccepted
	switch rep.Status {
	case intake.StatusPublished, intake.StatusUnchanged, intake.StatusValidated:
		status = http.StatusCreated
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
	if s.cfg.Ingester == nil {
		return nil, &userError{status: http.StatusNotFound, msg: "laporan tidak ditemukan / no such feed", err: errNoRoute}
	}
	rep, err := s.cfg.Ingester.Report(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		return nil, &userError{status: statusOf(err), msg: "laporan tidak ditemukan / no such feed", err: err}
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

type codeCount struct {
	Code  string
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
		out = append(out, codeCount{c, n})
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
		if wait := s.push.limiter.blocked(clientAddr(r)); wait > 0 {
			return token.Token{}, tooManyBadTokens(wait)
		}
		return token.Token{}, &userError{status: http.StatusUnauthorized, msg: "perlu header Authorization: Bearer <token> / an Authorization: Bearer <token> header is required", err: errAuth}
	}
	return s.lookupToken(r, secret)
}

func tooManyBadTokens(wait time.Duration) error {
	secs := int(wait.Seconds()) + 1
	return &userError{status: http.StatusTooManyRequests, msg: fmt.Sprintf("terlalu banyak token salah; coba lagi dalam %d detik / too many bad tokens; try again in %d s", secs, secs), err: errAuth}
}

// lookupToken finds the token of a secret, counting failures per client
// address so secrets cannot be guessed at speed.
func (s *Server) lookupToken(r *http.Request, secret string) (token.Token, error) {
	addr := clientAddr(r)
	if wait := s.push.limiter.blocked(addr); wait > 0 {
		return token.Token{}, tooManyBadTokens(wait)
	}
	tok, err := s.cfg.Tokens.Lookup(r.Context(), strings.TrimSpace(secret))
	switch {
	case errors.Is(err, token.ErrUnknown), errors.Is(err, token.ErrRevoked):
		s.push.limiter.fail(addr)
		return token.Token{}, &userError{status: http.StatusUnauthorized, msg: "token tidak dikenal atau sudah dicabut / unknown or revoked token", err: err}
	case err != nil:
		return token.Token{}, err
	}
	return tok, nil
}

var errAuth = errors.New("authentication")

// pushMeta reads what a push says its feed is. The region is the token's:
// a region may name itself, but never another.
func pushMeta(q url.Values, tok token.Token) (intake.Meta, error) {
	meta := intake.Meta{Dataset: q.Get("dataset"), Region: tok.Region, Source: "api", Encoding: q.Get("encoding"), Sheet: q.Get("sheet")}
	if _, err := dataset.Lookup(meta.Dataset); err != nil {
		return meta, &userError{status: http.StatusBadRequest, msg: fmt.Sprintf("dataset %q tidak dikenal (budget, procurement, revenue) / unknown dataset", meta.Dataset), err: dataset.ErrInvalid}
	}
	year, err := strconv.Atoi(q.Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		return meta, &userError{status: http.StatusBadRequest, msg: fmt.Sprintf("tahun %q tidak sah (2000–2100) / year %q is not valid (2000–2100)", q.Get("year"), q.Get("year")), err: dataset.ErrInvalid}
	}
	meta.Year = year
	if region := q.Get("region"); region != "" && region != tok.Region {
		return meta, &userError{status: http.StatusForbidden, msg: fmt.Sprintf("token ini milik wilayah %s dan tidak bisa mengirim data wilayah %s / this token belongs to region %s and cannot push for region %s", tok.Region, region, tok.Region, region), err: errAuth}
	}
	if stage := q.Get("stage"); stage != "" {
		f := dataset.FindField("stage")
		if meta.Dataset != "budget" || !slices.Contains(f.Allowed, stage) {
			return meta, &userError{status: http.StatusBadRequest, msg: fmt.Sprintf("stage hanya untuk dataset budget, salah satu dari %s / stage is for the budget dataset only, one of %s", strings.Join(f.Allowed, ", "), strings.Join(f.Allowed, ", ")), err: dataset.ErrInvalid}
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
	return false, &userError{status: http.StatusBadRequest, msg: fmt.Sprintf("%s harus 1 atau 0, bukan %q / %s must be 1 or 0, not %q", name, q.Get(name), name, q.Get(name)), err: dataset.ErrInvalid}
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
				return nil, "", &userError{status: http.StatusBadRequest, msg: "formulir tanpa berkas / the form has no file", err: dataset.ErrInvalid}
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
	return &userError{status: http.StatusUnsupportedMediaType, msg: fmt.Sprintf("format %q tidak didukung; kirim CSV, XLSX, JSON atau paket OCDS / format %q is not supported; send CSV, XLSX, JSON or an OCDS package", mt, mt), err: dataset.ErrInvalid}
}

// claimIdempotencyKey records which feed an Idempotency-Key names, per
// token; the same key with other bytes is a conflict, not a second feed.
func (s *Server) claimIdempotencyKey(r *http.Request, tok token.Token, id string) error {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return nil
	}
	if len(k) > 255 {
		return &userError{status: http.StatusBadRequest, msg: "Idempotency-Key paling panjang 255 karakter / Idempotency-Key is at most 255 characters", err: dataset.ErrInvalid}
	}
	h := sha256.Sum256([]byte(tok.ID + "\x00" + k))
	key := "feeds/idempotency/" + hex.EncodeToString(h[:]) + ".txt"
	st := s.cfg.Ingester.Store
	_, err := st.Put(r.Context(), key, bytes.NewReader([]byte(id)), int64(len(id)), store.PutOptions{IfAbsent: true, ContentType: "text/plain"})
	if err == nil {
		return nil
	}
	if !errors.Is(err, dataset.ErrConflict) {
		return err
	}
	prev, err := store.ReadAll(r.Context(), st, key, 64)
	if err != nil {
		return err
	}
	if string(prev) != id {
		return &userError{status: http.StatusConflict, msg: fmt.Sprintf("Idempotency-Key ini sudah dipakai untuk feed %s dengan isi lain / this Idempotency-Key was used for feed %s with other content", prev, prev), err: dataset.ErrConflict}
	}
	return nil
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

// clientAddr is the request's remote host. Terbuka does not trust
// forwarding headers: behind a proxy, every client shares its address.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

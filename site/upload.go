package site

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/metrics"
)

// The upload form lets a regional officer send a feed from a browser with
// the region's token, without the API or the command line. It feeds the
// same path as the push API, then shows the feed's report page.

// uploadPage is what the form shows.
type uploadPage struct {
	CSRF     string
	Datasets []*dataset.Schema
	Stages   []string
	Year     int
	MaxMB    int64
	Error    string
	Values   url.Values
}

// handleUploadForm is GET /kirim.
func (s *Server) handleUploadForm(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Tokens == nil || s.cfg.Intake == nil {
		return notFound(dataset.Label{ID: "pengiriman data tidak diaktifkan di server ini", EN: "sending data is not enabled on this server"})
	}
	s.renderUpload(w, r, http.StatusOK, "", url.Values{})
	return nil
}

func (s *Server) renderUpload(w http.ResponseWriter, r *http.Request, status int, msg string, values url.Values) {
	page := uploadPage{CSRF: s.csrfToken(w, r), Datasets: dataset.All(), Stages: dataset.FindField("stage").Allowed,
		Year: s.today().Year(), MaxMB: s.maxFeedBytes() >> 20, Error: msg, Values: values}
	s.render(w, r, status, "upload", langOf(r).translate("nav.upload"), page)
}

// handleUpload is POST /kirim. It reads the form as it arrives and checks
// everything before the file: that the form came from this site, the
// token, and what the feed claims to be (the form puts the file last).
// Only then is the file read, at a minimum rate, straight into the intake.
// An unauthorised form never reaches the disk.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Tokens == nil || s.cfg.Intake == nil {
		return notFound(dataset.Label{ID: "pengiriman data tidak diaktifkan di server ini", EN: "sending data is not enabled on this server"})
	}
	if err := s.checkOrigin(r); err != nil {
		return err
	}
	// Room for the form's other fields beside the largest feed.
	r.Body = http.MaxBytesReader(w, r.Body, s.maxFeedBytes()+1<<20)
	fields, file, err := formUntilFile(r)
	if err != nil {
		return err
	}
	if err := s.checkCSRFToken(r, fields.Get(csrfCookie)); err != nil {
		return err
	}
	// Keep what the officer typed, but never echo the token back.
	values := url.Values{"dataset": {fields.Get("dataset")}, "year": {fields.Get("year")}, "stage": {fields.Get("stage")},
		"withdraw": {fields.Get("withdraw")}, "confirm_shrink": {fields.Get("confirm_shrink")}, "dry_run": {fields.Get("dry_run")}}
	fail := func(status int, err error) error {
		msg := bothLanguages(publicMessage(err, status))
		s.logError(r, status, err)
		setRetryAfter(w, err)
		s.renderUpload(w, r, status, msg, values)
		return nil
	}
	secret := fields.Get("token")
	if secret == "" {
		return fail(http.StatusUnauthorized, &userError{msg: dataset.Label{ID: "isi token wilayah Anda", EN: "enter your region's token"}, err: errAuth})
	}
	tok, err := s.lookupToken(r, secret)
	if err != nil {
		return fail(statusOf(err), err)
	}
	meta, err := pushMeta(values, tok)
	if err != nil {
		return fail(statusOf(err), err)
	}
	meta.Source = "form"
	if file == nil || file.FileName() == "" {
		return fail(http.StatusBadRequest, &userError{msg: dataset.Label{ID: "pilih berkas yang akan dikirim", EN: "choose the file to send"}, err: dataset.ErrInvalid})
	}
	meta.File = file.FileName()
	rep, err := s.receive(r, tok, meta, s.minRateBody(w, file))
	if err != nil {
		return fail(statusOf(err), err)
	}
	http.Redirect(w, r, "/feeds/"+rep.FeedID+langSuffix(r, "?"), http.StatusSeeOther)
	return nil
}

// Limits of the upload form's fields other than the file, which are held
// in memory while they are checked.
const (
	maxFormField  = 4 << 10
	maxFormFields = 32
)

// formUntilFile reads a multipart form's fields up to its first file part,
// which it returns unread (nil when the form has none).
func formUntilFile(r *http.Request) (url.Values, *multipart.Part, error) {
	unreadable := func(err error) error {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &userError{status: http.StatusRequestEntityTooLarge, limit: metrics.TooLarge, msg: dataset.Label{ID: "formulir terlalu besar", EN: "the form is too large"}, err: err}
		}
		return &userError{status: http.StatusBadRequest, msg: dataset.Label{ID: "formulir tidak terbaca; kirim lagi dari halaman formulir", EN: "the form could not be read; send it again from the form page"}, err: fmt.Errorf("%w: %v", dataset.ErrInvalid, err)}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, unreadable(err)
	}
	fields := url.Values{}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			return fields, nil, nil
		}
		if err != nil {
			return nil, nil, unreadable(err)
		}
		if part.FileName() != "" {
			return fields, part, nil
		}
		v, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
		if err != nil {
			return nil, nil, unreadable(err)
		}
		if len(v) > maxFormField || n >= maxFormFields {
			return nil, nil, unreadable(fmt.Errorf("field %q or the number of fields is past the form's limits", part.FormName()))
		}
		fields.Add(part.FormName(), string(v))
	}
}

// today is the portal clock's time in Western Indonesia Time, where the
// year turns for most regions, whatever the server's time zone.
func (s *Server) today() time.Time {
	now := time.Now()
	if s.cfg.Now != nil {
		now = s.cfg.Now()
	}
	return now.In(dataset.WIB)
}

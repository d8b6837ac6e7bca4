package site

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/terbuka/terbuka/dataset"
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

// handleUpload is POST /kirim: checks the form came from this site, the
// token, and what the feed claims to be, then takes the file in and
// redirects to its report.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Tokens == nil || s.cfg.Intake == nil {
		return notFound(dataset.Label{ID: "pengiriman data tidak diaktifkan di server ini", EN: "sending data is not enabled on this server"})
	}
	// Room for the form's other fields beside the largest feed.
	r.Body = http.MaxBytesReader(w, r.Body, s.maxFeedBytes()+1<<20)
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(time.Hour))
	err := r.ParseMultipartForm(8 << 20)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		limit := s.maxFeedBytes()
		return &userError{status: http.StatusRequestEntityTooLarge, msg: dataset.Label{ID: fmt.Sprintf("berkas lebih dari %d byte", limit), EN: fmt.Sprintf("the file is larger than %d bytes", limit)}, err: err}
	}
	if err != nil {
		return &userError{status: http.StatusBadRequest, msg: dataset.Label{ID: "formulir tidak terbaca; kirim lagi dari halaman formulir", EN: "the form could not be read; send it again from the form page"}, err: fmt.Errorf("%w: %v", dataset.ErrInvalid, err)}
	}
	defer r.MultipartForm.RemoveAll()
	if err := s.checkCSRF(r); err != nil {
		return err
	}
	// Keep what the officer typed, but never echo the token back.
	values := url.Values{"dataset": {r.FormValue("dataset")}, "year": {r.FormValue("year")}, "stage": {r.FormValue("stage")},
		"withdraw": {r.FormValue("withdraw")}, "confirm_shrink": {r.FormValue("confirm_shrink")}}
	fail := func(status int, err error) error {
		msg := bothLanguages(publicMessage(err, status))
		s.logError(r, status, err)
		s.renderUpload(w, r, status, msg, values)
		return nil
	}
	secret := r.FormValue("token")
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
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fail(http.StatusBadRequest, &userError{msg: dataset.Label{ID: "pilih berkas yang akan dikirim", EN: "choose the file to send"}, err: dataset.ErrInvalid})
	}
	defer file.Close()
	meta.File = hdr.Filename
	rep, err := s.receive(r, tok, meta, file)
	if err != nil {
		return fail(statusOf(err), err)
	}
	http.Redirect(w, r, "/feeds/"+rep.FeedID+langSuffix(r, "?"), http.StatusSeeOther)
	return nil
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

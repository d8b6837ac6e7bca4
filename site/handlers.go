package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
)

var errNoRoute = errors.New("no route")

// pageData is what every page template receives.
type pageData struct {
	Lang  lang
	Title string
	Query url.Values
	Data  any
	Ready bool
	// AltLang is the other language, and AltURL this page in it.
	AltLang lang
	AltURL  string
	// Updated is the live release and its time (nil when none), and
	// Contact the operator's address, for the footer.
	Updated *updated
	Contact string
}

// ContactLabel is how the footer names the operator's address.
func (p pageData) ContactLabel() string { return contactLabel(p.Contact) }

// page adapts an HTML handler: errors render as an error page with the
// status statusOf chooses and the user's message in the page's language;
// the cause is logged once here, never shown.
func (s *Server) page(h appHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			status := statusOf(err)
			s.logError(r, status, err)
			setRetryAfter(w, err)
			msg := bothLanguages(publicMessage(err, status))
			s.render(w, r, status, "error", msg, errorPage{Message: msg, RequestID: requestIDOf5xx(r, status)})
		}
	})
}

// errorPage is what the error page shows: the message, and for a failure
// of Terbuka's (5xx) the request id to quote when reporting it.
type errorPage struct {
	Message   string
	RequestID string
}

func requestIDOf5xx(r *http.Request, status int) string {
	if status < 500 {
		return ""
	}
	return requestID(r)
}

// api adapts a JSON handler: errors become {"error": {"code", "message",
// "message_en"}} with a status; the cause is logged once here, never sent.
func (s *Server) api(h appHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			status := statusOf(err)
			s.logError(r, status, err)
			setRetryAfter(w, err)
			writeJSON(w, status, newAPIError(err, status))
		}
	})
}

// setRetryAfter says when to come back, for the errors that know, and
// for a store or index that cannot answer now.
func setRetryAfter(w http.ResponseWriter, err error) {
	var ue *userError
	switch {
	case errors.As(err, &ue) && ue.retryAfter != "":
		w.Header().Set("Retry-After", ue.retryAfter)
	case errors.Is(err, dataset.ErrUnavailable):
		w.Header().Set("Retry-After", unavailableRetryAfter)
	}
}

// logError logs the cause of an error answer, which the user never sees,
// under the request's id, which the user does; and counts the limit the
// request hit, if any, since this is where every error is handled.
func (s *Server) logError(r *http.Request, status int, err error) {
	s.countLimit(err)
	if status >= 500 {
		s.cfg.Log.Error("request failed", "request_id", requestID(r), "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
		return
	}
	s.cfg.Log.Debug("request refused", "request_id", requestID(r), "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	var buf bytes.Buffer
	l := langOf(r)
	pd := pageData{Lang: l, Title: title, Query: r.URL.Query(), Data: data, Ready: s.ready.Load(), AltLang: l.other(), AltURL: langSwitchURL(r, l.other()),
		Updated: s.lastUpdated(r.Context()), Contact: s.cfg.Contact}
	if err := s.pages[page].Execute(&buf, pd); err != nil {
		s.cfg.Log.Error("render page", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The language follows the lang cookie and Accept-Language.
	addVary(w.Header(), "Accept-Language", "Cookie")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONAs(w, status, "application/json; charset=utf-8", v)
}

// writeJSONAs writes v as indented JSON under a JSON media type such as
// application/ld+json.
func writeJSONAs(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// langOf is the language to answer r in: ?lang=, else the lang cookie,
// else Accept-Language, else Bahasa Indonesia.
func langOf(r *http.Request) lang {
	if l, ok := r.Context().Value(langKey{}).(lang); ok {
		return l
	}
	return negotiateLang(r)
}

// langKey holds the request's language, negotiated once by secure.
type langKey struct{}

// homeData is the home page: what is published, by dataset.
type homeData struct {
	Release   string
	Datasets  []datasetSummary
	Headlines []headline
	Releases  []releasePage
	Regions   []regionChoice
}

// headline is the national total of one year: what the published regions
// budgeted and spent, contracted, and collected.
// headline is one year's figures of one level of government: provincial
// governments, or regencies and cities. The two are never added together:
// transfers between them would be counted twice.
type headline struct {
	Year int
	// Provinces says the row is of provincial governments.
	Provinces            bool
	Regions              int
	Belanja, BelanjaReal int64
	Contracted, Levy     int64
	HasReal              bool
}

type datasetSummary struct {
	Schema  *dataset.Schema
	Records int
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	// Records are counted from the live release's partitions, not the
	// index: the index holds a document per budget line, not per stage,
	// and may still be being built.
	counts := map[string]int{}
	data := homeData{}
	id, _, err := s.cfg.Publisher.CurrentID(r.Context())
	switch {
	case err == nil:
		data.Release = id
	case !errors.Is(err, dataset.ErrNotFound):
		// A store that does not answer is said at once, not after
		// waiting for it again below.
		return err
	}
	if s.sums != nil {
		live, err := s.liveRelease(r)
		if err != nil {
			return err
		}
		if live != nil {
			for _, p := range live.Partitions {
				counts[p.Dataset] += int(p.Rows)
			}
			if data.Headlines, err = s.headlines(r, live); err != nil {
				return err
			}
			data.Regions = s.regionIndex(live)
			list, err := s.releases(r, "")
			if err != nil {
				return err
			}
			for _, v := range list[:min(3, len(list))] {
				data.Releases = append(data.Releases, s.releasePage(r, v, live.ID))
			}
		}
	}
	for _, sc := range dataset.All() {
		data.Datasets = append(data.Datasets, datasetSummary{Schema: sc, Records: counts[sc.Name]})
	}
	s.render(w, r, http.StatusOK, "home", "Terbuka", data)
	return nil
}

// pageSize is the number of results per page of the HTML list.
const pageSize = 20

// queryFromURL reads search parameters shared by the page and the API.
func queryFromURL(v url.Values) (search.Query, error) {
	q := search.Query{
		Text:     strings.TrimSpace(v.Get("q")),
		Dataset:  v.Get("dataset"),
		Province: v.Get("province"),
		Region:   v.Get("region"),
		Size:     pageSize,
		Filters:  map[string]string{},
	}
	if len(q.Text) > 500 {
		return q, badRequest("q lebih dari 500 karakter", "q is longer than 500 characters")
	}
	var err error
	if q.Year, err = intParam(v, "year", 0); err != nil {
		return q, err
	}
	if q.Size, err = intParam(v, "size", pageSize); err != nil {
		return q, err
	}
	if q.From, err = intParam(v, "from", 0); err != nil {
		return q, err
	}
	if page, err := intParam(v, "page", 0); err != nil {
		return q, err
	} else if page > 1 {
		q.From = (page - 1) * q.Size
	}
	if q.Dataset != "" {
		if _, err := dataset.Lookup(q.Dataset); err != nil {
			known := strings.Join(dataset.Names(), ", ")
			return q, badRequest(fmt.Sprintf("dataset %q tidak dikenal (%s)", q.Dataset, known), fmt.Sprintf("unknown dataset %q (%s)", q.Dataset, known))
		}
	}
	q.Sort, q.After = v.Get("sort"), v.Get("after")
	if q.MinAmount, err = moneyParam(v, "min"); err != nil {
		return q, err
	}
	if q.MaxAmount, err = moneyParam(v, "max"); err != nil {
		return q, err
	}
	if q.DateFrom, err = dateParam(v, "date_from"); err != nil {
		return q, err
	}
	if q.DateTo, err = dateParam(v, "date_to"); err != nil {
		return q, err
	}
	for key := range v {
		if isFilterField(key) {
			q.Filters[key] = v.Get(key)
		}
	}
	return q, nil
}

func intParam(v url.Values, name string, def int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, badRequest(fmt.Sprintf("%s harus bilangan bulat ≥ 0, bukan %q", name, s), fmt.Sprintf("%s must be a whole number ≥ 0, got %q", name, s))
	}
	return n, nil
}

// moneyParam reads an amount in rupiah, written any way feeds may write it
// (5000000, 5.000.000, Rp 5.000.000,50), and returns it in sen.
func moneyParam(v url.Values, name string) (*int64, error) {
	s := v.Get(name)
	if s == "" {
		return nil, nil
	}
	sen, ferr := dataset.ParseMoney(s)
	if ferr != nil {
		return nil, badRequest(fmt.Sprintf("%s %q %s", name, s, ferr.Msg.ID), fmt.Sprintf("%s %q %s", name, s, ferr.Msg.EN))
	}
	return &sen, nil
}

// dateParam reads a date (2024-03-17, 17/03/2024, 17 Maret 2024).
func dateParam(v url.Values, name string) (time.Time, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	days, ferr := dataset.ParseDate(s)
	if ferr != nil {
		return time.Time{}, badRequest(fmt.Sprintf("%s %q %s", name, s, ferr.Msg.ID), fmt.Sprintf("%s %q %s", name, s, ferr.Msg.EN))
	}
	return time.Unix(days*86400, 0).UTC(), nil
}

// isFilterField reports whether a URL parameter names a facet field other
// than the ones with their own parameter.
func isFilterField(name string) bool {
	switch name {
	case dataset.FieldRegionCode, dataset.FieldProvinceCode, dataset.FieldFiscalYear:
		return false
	}
	f := dataset.FindField(name)
	return f != nil && f.Facet
}

func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) error {
	q, err := queryFromURL(r.URL.Query())
	if err != nil {
		return err
	}
	res, err := s.cfg.Index.Search(r.Context(), q)
	if err != nil {
		return err
	}
	out := apiResult(res)
	if !s.ready.Load() {
		// A script must not take an index being built for the data.
		notice := dataset.Label{ID: messages["search.rebuilding"][0], EN: messages["search.rebuilding"][1]}
		out.Rebuilding, out.Notice = true, &notice
		w.Header().Set("Cache-Control", "no-store")
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	// Ready first: read after the count (and the store's answer between),
	// it could say ready of the empty index a replica searched before its
	// download was swapped in.
	ready := s.ready.Load()
	docs, err := s.cfg.Index.DocCount()
	if err != nil {
		return fmt.Errorf("index: %w", dataset.ErrUnavailable)
	}
	id, _, _ := s.cfg.Publisher.CurrentID(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "release": id, "documents": docs, "index_ready": ready})
	return nil
}

// headlines sums the live release per fiscal year, newest first, and per
// level of government. A region's year has one partition per dataset, so
// each partition's own summary is added in: no summaries are merged per
// request. Belanja counts each region's own latest plan, since regions may
// be at different stages.
func (s *Server) headlines(r *http.Request, live *publisher.Manifest) ([]headline, error) {
	type yearLevel struct {
		year      int
		provinces bool
	}
	byYear := map[yearLevel]*headline{}
	regions := map[yearLevel]map[string]bool{}
	lines := hasBudgetLines(live)
	for _, p := range live.Partitions {
		sum, err := s.sums.Partition(r.Context(), p)
		if err != nil {
			return nil, err
		}
		reg := s.cfg.Regions.Lookup(p.Region)
		k := yearLevel{p.Year, reg != nil && reg.IsProvince()}
		h := byYear[k]
		if h == nil {
			h = &headline{Year: p.Year, Provinces: k.provinces}
			byYear[k], regions[k] = h, map[string]bool{}
		}
		regions[k][p.Region] = true
		switch p.Dataset {
		case "budget", budgetAccountsName:
			b, byAccount := sum.ShownBudget()
			if byAccount && lines[p.Region+"/"+strconv.Itoa(p.Year)] {
				break // the region's lines count, never its accounts too
			}
			if plan := b.Plan(); plan != "" {
				h.Belanja += b.Group[plan]["belanja"]
			}
			if g, ok := b.Group["realisasi"]; ok {
				h.HasReal, h.BelanjaReal = true, h.BelanjaReal+g["belanja"]
			}
		case "procurement":
			h.Contracted += sum.Procurement.Total.Contract
		case "revenue":
			for _, kind := range dataset.RevenueKinds {
				h.Levy += sum.Revenue.Kind(kind).Realized
			}
		}
	}
	var out []headline
	for k, h := range byYear {
		h.Regions = len(regions[k])
		out = append(out, *h)
	}
	// Newest year first; in a year, provinces before regencies and cities.
	slices.SortFunc(out, func(a, b headline) int {
		if a.Year != b.Year {
			return b.Year - a.Year
		}
		if a.Provinces != b.Provinces {
			if a.Provinces {
				return -1
			}
			return 1
		}
		return 0
	})
	return out, nil
}

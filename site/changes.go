package site

import (
	"encoding/csv"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// handleChangesJSON is /releases/{id}/changes.json: every record the
// release added, removed or changed, with each money field before and
// after, streamed from the store whatever its size.
func (s *Server) handleChangesJSON(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	v, err := s.changesRelease(r, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	setImmutableIfComplete(w, v)
	head, _ := json.Marshal(struct {
		Release string `json:"release"`
		Parent  string `json:"parent,omitempty"`
		Records int64  `json:"records"`
	}{v.ID, v.Parent, v.Records})
	w.Write(head[:len(head)-1])
	w.Write([]byte(`,"changes":[`))
	n := 0
	for c, err := range s.cfg.Publisher.RecordChanges(r.Context(), id) {
		var b []byte
		if err == nil {
			b, err = json.Marshal(c)
		}
		if err != nil {
			// The head is sent: a truncated document is all that is left to say.
			s.cfg.Log.Error("record changes", "release", id, "err", err)
			return nil
		}
		if n > 0 {
			w.Write([]byte{','})
		}
		n++
		w.Write([]byte{'\n'})
		if _, err := w.Write(b); err != nil {
			return nil
		}
	}
	w.Write([]byte("\n]}\n"))
	return nil
}

// handleChangesCSV is /releases/{id}/changes.csv: the same, one row per
// money field of each record change, for spreadsheets.
func (s *Server) handleChangesCSV(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	v, err := s.changesRelease(r, id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "terbuka-rilis-" + id + "-perubahan.csv"}))
	setImmutableIfComplete(w, v)
	cw := csv.NewWriter(w)
	cw.Write([]string{"dataset", "region_code", "region_name", "fiscal_year", "record_id", "change", "title", "group", "field", "before", "after", "difference", "other_fields"})
	for c, err := range s.cfg.Publisher.RecordChanges(r.Context(), id) {
		if err != nil {
			s.cfg.Log.Error("record changes", "release", id, "err", err)
			break
		}
		row := []string{c.Dataset, c.Region, publisher.SafeCell(s.regionName(c.Region)), strconv.Itoa(c.Year), c.ID, c.Change, publisher.SafeCell(c.Title), c.Group}
		other := strings.Join(c.Fields, " ")
		if len(c.Money) == 0 {
			cw.Write(append(row, "", "", "", "", other))
		}
		for _, m := range c.Money {
			cw.Write(append(row, m.Field, m.Before, m.After, m.Difference, other))
		}
		if cw.Error() != nil {
			break
		}
	}
	cw.Flush()
	return cw.Error()
}

// changesRelease checks release id exists before its changes are sent.
func (s *Server) changesRelease(r *http.Request, id string) (releaseView, error) {
	if s.cfg.Publisher == nil {
		return releaseView{}, notFound(dataset.Label{ID: "tidak tersedia", EN: "not available"})
	}
	v, err := s.release(r, id)
	if err != nil {
		return v, s.releaseError(r, id, err)
	}
	return v, nil
}

package site

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// recordJSON is the shape of /api/v1/records/{id}: the record as the NDJSON
// downloads write it (Schema.AppendJSON), with where it is published.
type recordJSON struct {
	ID         string `json:"id"`
	Dataset    string `json:"dataset"`
	Region     string `json:"region_code"`
	RegionName string `json:"region_name"`
	Year       int    `json:"fiscal_year"`
	Release    string `json:"release"`
	// URL is the record's page; Download its partition's NDJSON.
	URL      string          `json:"url"`
	Download string          `json:"download"`
	Record   json.RawMessage `json:"record"`
}

// handleRecordAPI answers one record of the live release by its id, which
// search results, downloads and pages all carry; 404 when the live release
// has no record with it.
func (s *Server) handleRecordAPI(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	missing := &userError{status: http.StatusNotFound, msg: dataset.Label{ID: "baris data " + id + " tidak ada di rilis yang berlaku", EN: "record " + id + " is not in the live release"}, err: dataset.ErrNotFound}
	if s.cfg.Index == nil || s.cfg.Store == nil || s.cfg.Publisher == nil {
		return missing
	}
	at, ok, err := s.cfg.Index.Locate(r.Context(), id)
	if err != nil {
		return err
	}
	if !ok {
		return missing
	}
	sc, err := dataset.Lookup(at.Dataset)
	if err != nil {
		return missing
	}
	live, err := s.liveRelease(r)
	if err != nil {
		return err
	}
	if live == nil {
		return missing
	}
	part, ok := live.Partition(publisher.PartitionKey(sc.Name, at.Region, at.Year))
	if !ok {
		return missing
	}
	rec, err := s.findRecord(r, sc, part, id)
	if err != nil {
		return err
	}
	if rec == nil {
		return missing
	}
	body, err := sc.AppendJSON(nil, rec)
	if err != nil {
		return err
	}
	out := recordJSON{ID: id, Dataset: sc.Name, Region: at.Region, RegionName: at.RegionName, Year: at.Year, Release: live.ID,
		URL:      s.baseURL(r) + recordPath(sc.Name, at.Region, at.Year, id, langOf(r)),
		Download: s.baseURL(r) + "/downloads/" + live.ID + "/" + sc.Name + "/" + at.Region + "/" + strconv.Itoa(at.Year) + ".ndjson.gz",
		Record:   body}
	writeJSON(w, http.StatusOK, out)
	return nil
}

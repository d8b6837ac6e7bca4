package site

import (
	"encoding/csv"
	"mime"
	"net/http"
	"strconv"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// maxCSVRows caps the CSV twin of a result list: larger extracts are what
// the bulk downloads are for.
const maxCSVRows = 50_000

// handleSearchCSV is /search.csv: the result list of /search with the same
// parameters as CSV, every page of it up to maxCSVRows, in result order.
func (s *Server) handleSearchCSV(w http.ResponseWriter, r *http.Request) error {
	q, err := queryFromURL(r.URL.Query())
	if err != nil {
		return err
	}
	q.From, q.Size = 0, 100
	res, err := s.cfg.Index.Search(r.Context(), q)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "terbuka-pencarian.csv"}))
	h.Set("X-Total-Count", strconv.FormatUint(res.Total, 10))
	cw := csv.NewWriter(w)
	cw.Write([]string{"dataset", "id", "region_code", "region_name", "fiscal_year", "title", "amount", "url"})
	base := s.baseURL(r)
	// The CSV is a data file, read by spreadsheets and scripts, not a page:
	// amounts stay exact decimals (42949691543.50), as in the API and the
	// downloads, never "Rp 42,9 M". Only HTML writes money for people.
	rows := 0
	for {
		for _, hit := range res.Hits {
			cw.Write([]string{hit.Dataset, hit.ID, hit.Region, publisher.SafeCell(hit.RegionName), strconv.Itoa(hit.Year),
				publisher.SafeCell(hit.Title), dataset.FormatMoney(hit.Amount), base + recordPath(hit.Dataset, hit.Region, hit.Year, hit.ID, langID)})
			rows++
		}
		if res.Next == "" || rows >= maxCSVRows || r.Context().Err() != nil {
			break
		}
		q.After = res.Next
		if res, err = s.cfg.Index.Search(r.Context(), q); err != nil {
			// The header is sent: a broken CSV is all that is left to say.
			s.cfg.Log.Error("search csv", "err", err)
			break
		}
	}
	cw.Flush()
	return cw.Error()
}

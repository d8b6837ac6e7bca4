package search

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
)

// A cursor continues a result list after a page. Ordered by amount, date
// or id it carries the sort values of the page's last hit (bleve's
// search_after), so it reaches any depth at the cost of one page. Bleve
// cannot continue after a score, so for relevance order it carries the
// offset, and the 10,000-result window still applies there. It also holds
// a short hash of the query, so a cursor pasted onto another query or
// sort is refused instead of silently paging something else.
type cursor struct {
	Sort   []string `json:"s,omitempty"`
	Offset int      `json:"o,omitempty"`
	Key    uint32   `json:"k"`
}

// maxCursorBytes bounds what decodeCursor reads: a few sort values.
const maxCursorBytes = 1024

// nextCursor returns the cursor after a page whose last hit sorted as last.
func nextCursor(q Query, req *bleve.SearchRequest, last []string) string {
	c := cursor{Key: queryKey(q)}
	if scored(last) {
		c.Offset = req.From + req.Size
	} else {
		c.Sort = last
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// scored reports whether sort values are a relevance order's.
func scored(sortValues []string) bool { return len(sortValues) > 0 && sortValues[0] == "_score" }

// applyCursor positions req after q.After, for the sort order given.
func applyCursor(req *bleve.SearchRequest, q Query, order []string) error {
	if q.After == "" {
		return nil
	}
	c, err := decodeCursor(q)
	if err != nil {
		return err
	}
	if order[0] == "-_score" {
		if c.Sort != nil || c.Offset <= 0 {
			return errCursor()
		}
		if c.Offset+req.Size > maxWindow {
			return invalid("urutan relevansi hanya sampai hasil ke-%d; urutkan menurut nilai atau tanggal, atau unduh datasetnya", "relevance order reaches only the first %d results; sort by amount or date, or download the dataset", maxWindow)
		}
		req.From = c.Offset
		return nil
	}
	if len(c.Sort) != len(order) {
		return errCursor()
	}
	req.SearchAfter = c.Sort
	return nil
}

func decodeCursor(q Query) (cursor, error) {
	var c cursor
	if len(q.After) > maxCursorBytes {
		return c, errCursor()
	}
	b, err := base64.RawURLEncoding.DecodeString(q.After)
	if err != nil || json.Unmarshal(b, &c) != nil || c.Key != queryKey(q) || c.Offset < 0 {
		return c, errCursor()
	}
	return c, nil
}

func errCursor() error {
	return invalid("kursor halaman tidak sah; mulai lagi dari halaman pertama", "invalid page cursor; start again from the first page")
}

// queryKey hashes what decides a result set and its order (not the page).
func queryKey(q Query) uint32 {
	h := sha256.New()
	for _, s := range []string{q.Text, q.Dataset, q.Province, q.Region, strconv.Itoa(q.Year), q.Sort,
		bound(q.MinAmount), bound(q.MaxAmount), q.DateFrom.String(), q.DateTo.String()} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	keys := make([]string, 0, len(q.Filters))
	for k := range q.Filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		h.Write([]byte(k + "=" + q.Filters[k]))
		h.Write([]byte{0})
	}
	return binary.BigEndian.Uint32(h.Sum(nil))
}

func bound(v *int64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatInt(*v, 10)
}

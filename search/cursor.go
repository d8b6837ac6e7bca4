package search

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strconv"
)

// A cursor continues a result list after a page. Ordered by amount, date
// or id it carries the sort key and id of the page's last hit, so it
// reaches any depth at the cost of one page. A score depends on the whole
// index and changes with every partition replaced, so for relevance order
// it carries the offset, and the 10,000-result window still applies there.
// It also holds a short hash of the query, so a cursor pasted onto another
// query or sort is refused instead of silently paging something else.
type cursor struct {
	// SortKey and ID are the last hit's ranked.key (as text: a missing
	// value sorts as +Inf, which JSON numbers cannot hold) and id key.
	SortKey string `json:"s,omitempty"`
	ID      uint64 `json:"i,omitempty"`
	Offset  int    `json:"o,omitempty"`
	Key     uint32 `json:"k"`
}

// maxCursorBytes bounds what decodeCursor reads: a few sort values.
const maxCursorBytes = 1024

// nextCursor returns the cursor of the page after one that ended with
// last, next results into the list.
func nextCursor(q Query, o order, next int, last ranked) string {
	c := cursor{Key: queryKey(q)}
	if o.scored {
		c.Offset = next
	} else {
		c.SortKey, c.ID = strconv.FormatFloat(last.key, 'g', -1, 64), last.id
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// resume decodes q.After: the offset to continue from in relevance order,
// or the position to continue after in the others.
func resume(q Query, o order, size int) (int, *ranked, error) {
	c, err := decodeCursor(q)
	if err != nil {
		return 0, nil, err
	}
	if o.scored {
		if c.SortKey != "" || c.Offset <= 0 {
			return 0, nil, errCursor()
		}
		if c.Offset+size > maxWindow {
			return 0, nil, invalid("urutan relevansi hanya sampai hasil ke-%d; urutkan menurut nilai atau tanggal, atau unduh datasetnya", "relevance order reaches only the first %d results; sort by amount or date, or download the dataset", maxWindow)
		}
		return c.Offset, nil, nil
	}
	key, err := strconv.ParseFloat(c.SortKey, 64)
	if err != nil || c.Offset != 0 {
		return 0, nil, errCursor()
	}
	return 0, &ranked{key: key, id: c.ID}, nil
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

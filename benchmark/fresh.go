package benchmark

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strconv"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
)

// Freshness is how long a pushed feed takes to reach readers.
type Freshness struct {
	Rows   int    `json:"rows"`
	Region string `json:"region"`
	// Response is the push request's round trip; Searchable and
	// Downloadable count from the start of the push until the search API
	// returned every row and the partition's CSV download answered 200.
	Response     float64 `json:"push_response_seconds"`
	Searchable   float64 `json:"searchable_seconds"`
	Downloadable float64 `json:"downloadable_seconds"`
}

// freshness pushes a procurement feed of about rows rows, for a region the
// data does not have yet, to the running portal with a token, and polls.
func freshness(ctx context.Context, self, dir, base string, rows int, seed int64, taken []demo.Feed) (*Freshness, error) {
	region := newRegion(taken)
	if region == nil {
		return nil, fmt.Errorf("freshness: every region already has data")
	}
	const year = 2024
	feed, n, err := writeFreshFeed(region, year, rows, seed)
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, self, "token", "create", "--data", dir, "--region", region.Code, "--name", "terbuka bench").Output()
	if err != nil {
		return nil, fmt.Errorf("freshness: create token: %w", err)
	}
	ls := lines(string(out))
	if len(ls) == 0 {
		return nil, fmt.Errorf("freshness: token create printed nothing")
	}
	secret := ls[len(ls)-1]
	res := &Freshness{Rows: n, Region: region.Code}
	began := time.Now()
	q := url.Values{"dataset": {"procurement"}, "year": {strconv.Itoa(year)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/feeds?"+q.Encode(), bytes.NewReader(feed))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("freshness: push: %w", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	res.Response = time.Since(began).Seconds()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusAccepted {
		return nil, fmt.Errorf("freshness: push answered %s: %s", resp.Status, body)
	}
	search := base + "/api/v1/search?" + url.Values{"region": {region.Code}, "year": {strconv.Itoa(year)}, "dataset": {"procurement"}, "size": {"1"}}.Encode()
	download := fmt.Sprintf("%s/downloads/latest/procurement/%s/%d.csv.gz", base, region.Code, year)
	deadline := began.Add(5 * time.Minute)
	for (res.Searchable == 0 || res.Downloadable == 0) && time.Now().Before(deadline) {
		if res.Searchable == 0 {
			var r struct {
				Total int `json:"total"`
			}
			if getJSON(ctx, search, &r) == nil && r.Total == n {
				res.Searchable = time.Since(began).Seconds()
			}
		}
		if res.Downloadable == 0 && head(ctx, download) == http.StatusOK {
			res.Downloadable = time.Since(began).Seconds()
		}
		time.Sleep(20 * time.Millisecond)
	}
	if res.Searchable == 0 || res.Downloadable == 0 {
		return res, fmt.Errorf("freshness: the pushed feed was not searchable and downloadable within 5 minutes (%+v)", res)
	}
	return res, nil
}

// newRegion is the first regency or city, outside Jakarta's administrative
// cities, that has no feed in taken.
func newRegion(taken []demo.Feed) *dataset.Region {
	var used []string
	for _, f := range taken {
		used = append(used, f.Region)
	}
	for _, r := range dataset.LoadRegions().All() {
		if !r.IsProvince() && r.ProvinceCode != "31" && !slices.Contains(used, r.Code) {
			return r
		}
	}
	return nil
}

// writeFreshFeed generates a procurement feed of about rows rows. Packages
// grow with the scale, so a correction or two lands within 2 %.
func writeFreshFeed(r *dataset.Region, year, rows int, seed int64) ([]byte, int, error) {
	scale := float64(rows) / 550
	var buf bytes.Buffer
	n := 0
	for range 3 {
		buf.Reset()
		var err error
		n, err = demo.WriteFeed(&buf, demo.Spec{Dataset: "procurement", Region: r, Year: year, Seed: seed + 7, Scale: scale})
		if err != nil {
			return nil, 0, err
		}
		if n == 0 {
			return nil, 0, fmt.Errorf("freshness: generated an empty feed")
		}
		if diff := n - rows; diff >= -rows/50 && diff <= rows/50 {
			break
		}
		scale *= float64(rows) / float64(n)
	}
	return buf.Bytes(), n, nil
}

// head returns the status of a HEAD request, following redirects; 0 when
// the request failed.
func head(ctx context.Context, url string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return 0
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

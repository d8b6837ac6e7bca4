package benchmark

import (
	"bytes"
	"context"
	"encoding/csv"
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
	// counted every row and the partition's CSV download held them all.
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
	// A server that has just started sums the live release in the
	// background for its home page; one that has served it is past that.
	if status := get(ctx, base+"/"); status != http.StatusOK {
		return nil, fmt.Errorf("freshness: the home page answered %d", status)
	}
	began := time.Now()
	q := url.Values{"dataset": {"procurement"}, "year": {strconv.Itoa(year)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/feeds?"+q.Encode(), bytes.NewReader(feed))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "text/csv")
	// The push may answer only once its downloads are built; its records
	// can be searchable before that, so polling starts with the push.
	pushed := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			pushed <- fmt.Errorf("freshness: push: %w", err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		res.Response = time.Since(began).Seconds()
		if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusAccepted {
			err = fmt.Errorf("freshness: push answered %s: %s", resp.Status, body)
		}
		pushed <- err
	}()
	search := base + "/api/v1/search?" + url.Values{"region": {region.Code}, "year": {strconv.Itoa(year)}, "dataset": {"procurement"}, "size": {"1"}}.Encode()
	download := fmt.Sprintf("%s/downloads/latest/procurement/%s/%d.csv", base, region.Code, year)
	deadline := began.Add(5 * time.Minute)
	answered := false
	for (!answered || res.Searchable == 0 || res.Downloadable == 0) && time.Now().Before(deadline) {
		select {
		case err := <-pushed:
			if err != nil {
				return nil, err
			}
			answered = true
		default:
		}
		if res.Searchable == 0 {
			var r struct {
				Total int `json:"total"`
			}
			if getJSON(ctx, search, &r) == nil && r.Total == n {
				res.Searchable = time.Since(began).Seconds()
			}
		}
		if res.Downloadable == 0 && csvRows(ctx, download) == n {
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

// get returns the status of a GET request, 0 when it failed.
func get(ctx context.Context, url string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// csvRows returns the data rows of a CSV download, following redirects;
// -1 when it is not there (yet).
func csvRows(ctx context.Context, url string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return -1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return -1
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil {
		return -1
	}
	return len(rows) - 1
}

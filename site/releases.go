package site

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// maxListedReleases bounds the releases a list or feed shows.
const maxListedReleases = 50

// releaseView is a release with what it changed.
type releaseView struct {
	*publisher.Manifest
	Changes []publisher.PartitionChange `json:"changes"`
	// Records counts the record changes, listed at changes.json.
	Records int64 `json:"records_changed"`
	// ChangesURL lists every record added, removed or changed.
	ChangesURL string `json:"changes_url,omitempty"`
}

// releases returns the newest releases, newest first, with their changes,
// keeping only the changes of region when it is set.
func (s *Server) releases(r *http.Request, region string) ([]releaseView, error) {
	ids, err := s.cfg.Publisher.ReleaseIDs(r.Context())
	if err != nil {
		return nil, err
	}
	slices.Reverse(ids)
	var out []releaseView
	for _, id := range ids {
		if len(out) == maxListedReleases {
			break
		}
		v, err := s.release(r, id)
		if err != nil {
			return nil, err
		}
		if region != "" {
			v.Changes = slices.DeleteFunc(v.Changes, func(c publisher.PartitionChange) bool { return c.Region != region })
			if len(v.Changes) == 0 {
				continue
			}
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Server) release(r *http.Request, id string) (releaseView, error) {
	m, err := s.cfg.Publisher.Release(r.Context(), id)
	if err != nil {
		return releaseView{}, err
	}
	v := releaseView{Manifest: m, Changes: []publisher.PartitionChange{}}
	log, err := s.cfg.Publisher.Changelog(r.Context(), id)
	switch {
	case err == nil:
		v.Changes, v.Records = log.Changes, log.Records
		v.ChangesURL = s.baseURL(r) + "/releases/" + id + "/changes.json"
	case !errors.Is(err, dataset.ErrNotFound):
		return v, err
	}
	return v, nil
}

// handleReleases is /releases.json: the newest releases and their changes.
func (s *Server) handleReleases(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Publisher == nil {
		return notFound(dataset.Label{ID: "tidak tersedia", EN: "not available"})
	}
	list, err := s.releases(r, r.URL.Query().Get("region"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"releases": list})
	return nil
}

// handleRelease is /releases/{id}.json: a release's manifest and changes.
func (s *Server) handleRelease(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Publisher == nil {
		return notFound(dataset.Label{ID: "tidak tersedia", EN: "not available"})
	}
	v, err := s.release(r, mux.Vars(r)["id"])
	if err != nil {
		return s.releaseError(r, mux.Vars(r)["id"], err)
	}
	setImmutableIfComplete(w, v)
	permanent, cite := s.citation(r, v.Manifest)
	writeJSON(w, http.StatusOK, struct {
		releaseView
		PermanentURL string `json:"permanent_url"`
		Citation     string `json:"citation"`
	}{v, permanent, cite})
	return nil
}

// setImmutableIfComplete marks an answer about release v cacheable for
// good once the release is complete: its changelog is written last, after
// the record changes, by the publish or by the repair of an interrupted
// one. Until then the changes are missing, not empty, and the answer stays
// "no-cache", so that no cache keeps it without them for a year.
func setImmutableIfComplete(w http.ResponseWriter, v releaseView) {
	if v.ChangesURL != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
}

// citation returns a release's permanent URL and the line to cite it by.
func (s *Server) citation(r *http.Request, m *publisher.Manifest) (permanent, line string) {
	permanent = s.baseURL(r) + "/releases/" + m.ID
	// The day of the release in WIB, as its page says it.
	created := m.Created.In(dataset.WIB)
	return permanent, fmt.Sprintf("Terbuka (%d). Data keuangan daerah: APBD, pengadaan, pajak dan retribusi, rilis %s (%s). %s",
		created.Year(), m.ID, created.Format(time.DateOnly), permanent)
}

// handleAtom is /releases.atom (?region=32.73): a feed readers and
// newsrooms subscribe to, one entry a release, saying what changed.
func (s *Server) handleAtom(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Publisher == nil {
		return notFound(dataset.Label{ID: "tidak tersedia", EN: "not available"})
	}
	region := r.URL.Query().Get("region")
	list, err := s.releases(r, region)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	type link struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
	}
	type entry struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Links   []link `xml:"link"`
		Summary string `xml:"summary"`
	}
	feed := struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Link    []link   `xml:"link"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []entry `xml:"entry"`
	}{ID: "tag:terbuka,2026:releases" + region, Title: "Terbuka: rilis data " + s.regionLabel(region), Updated: time.Unix(0, 0).UTC().Format(time.RFC3339)}
	feed.Author.Name = "Terbuka"
	feed.Link = []link{{Href: base + r.URL.RequestURI(), Rel: "self"}}
	for i, v := range list {
		if i == 0 {
			feed.Updated = v.Created.UTC().Format(time.RFC3339)
		}
		var lines []string
		for _, c := range v.Changes {
			lines = append(lines, s.changeLine(c))
		}
		feed.Entries = append(feed.Entries, entry{ID: "tag:terbuka,2026:release:" + v.ID, Title: "Rilis " + v.ID,
			Updated: v.Created.UTC().Format(time.RFC3339), Summary: strings.Join(lines, "\n"),
			// The release, and every record it changed.
			Links: []link{{Href: base + "/releases/" + v.ID}, {Href: base + "/releases/" + v.ID + "/changes.csv", Rel: "related"}}})
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	return xml.NewEncoder(w).Encode(feed)
}

// regionLabel names a region for a feed's title; "" is every region.
func (s *Server) regionLabel(code string) string {
	if code == "" {
		return "semua wilayah"
	}
	return s.regionName(code)
}

// regionName is a region's Kemendagri name, or its code when unknown.
func (s *Server) regionName(code string) string {
	if reg := s.cfg.Regions.Lookup(code); reg != nil {
		return reg.Name
	}
	return code
}

// changeLine says what a release did to a partition, in Indonesian as
// newsrooms read it: Kota Bandung, APBD 2024: +12 −3 ~40 rekaman; Nilai
// (Rp), APBD murni: Rp 5,1 T → Rp 5,3 T (+3,9 %). Only totals that moved are
// named, each on its own: stages and measures are never added together.
func (s *Server) changeLine(c publisher.PartitionChange) string {
	label := c.Dataset
	if sc, err := dataset.Lookup(c.Dataset); err == nil {
		label = sc.Label.ID
	}
	line := fmt.Sprintf("%s, %s %d: +%d −%d ~%d rekaman", s.regionLabel(c.Region), label, c.Year, c.Added, c.Removed, c.Changed)
	if c.Withdrawn {
		line += "; ditarik oleh wilayah"
	}
	for _, t := range c.Totals {
		row := totalOf(t, langID)
		if !row.Changed {
			continue
		}
		line += fmt.Sprintf("; %s: %s → %s", row.Label, rupiahShort(langID, row.Before), rupiahShort(langID, row.After))
		if row.Percent != "" {
			line += " (" + row.Percent + ")"
		}
	}
	return line
}

// releaseError explains why release id could not be read: a release older
// than the live one that is gone was removed by the retention policy
// (410 Gone, so clients stop asking); any other is unknown (404).
func (s *Server) releaseError(r *http.Request, id string, err error) error {
	if errors.Is(err, dataset.ErrNotFound) {
		if current, _, cerr := s.cfg.Publisher.CurrentID(r.Context()); cerr == nil && len(id) == len(current) && id < current {
			return &userError{status: http.StatusGone, err: err,
				msg: dataset.Label{ID: "rilis " + id + " sudah dihapus menurut kebijakan retensi; gunakan rilis terbaru", EN: "release " + id + " was removed under the retention policy; use the latest release"}}
		}
	}
	return &userError{status: statusOf(err), msg: dataset.Label{ID: "rilis tidak ada", EN: "no such release"}, err: err}
}

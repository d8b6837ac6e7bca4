package site

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/pipeline"
)

// releasePage is one release as people read it: when, what changed, how
// to cite it, and its files.
type releasePage struct {
	releaseView
	Created        string
	Permanent      string
	Citation       string
	Changes        []changeRow
	PartitionCount int
	Rows           int64
	Live           bool
}

type changeRow struct {
	pipeline.Change
	Label     string // dataset
	Region    string
	RegionURL string
	Percent   string
	Stages    []stageChange
	Downloads string
}

type stageChange struct {
	Label, Before, After string
}

// handleReleasesPage is /releases: the newest releases.
func (s *Server) handleReleasesPage(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Ingester == nil {
		return notFound("tidak tersedia / not available")
	}
	region := r.URL.Query().Get("region")
	list, err := s.releases(r, region)
	if err != nil {
		return err
	}
	live, _, _ := s.cfg.Publisher.CurrentID(r.Context())
	var pages []releasePage
	for _, v := range list {
		pages = append(pages, s.releasePage(r, v, live))
	}
	title := langOf(r).translate("nav.releases")
	if region != "" {
		title += " – " + s.regionName(region)
	}
	s.render(w, r, http.StatusOK, "releases", title, struct {
		Region, RegionName string
		Releases           []releasePage
	}{region, s.regionName(region), pages})
	return nil
}

// handleReleasePage is /releases/{id}: one release.
func (s *Server) handleReleasePage(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Ingester == nil {
		return notFound("tidak tersedia / not available")
	}
	id := mux.Vars(r)["id"]
	v, err := s.release(r, id)
	if err != nil {
		return s.releaseError(r, id, err)
	}
	live, _, _ := s.cfg.Publisher.CurrentID(r.Context())
	page := s.releasePage(r, v, live)
	w.Header().Set("Link", `<`+s.baseURL(r)+"/releases/"+id+`.json>; rel="alternate"; type="application/json"`)
	s.render(w, r, http.StatusOK, "release", langOf(r).translate("feed.release")+" "+id, page)
	return nil
}

func (s *Server) releasePage(r *http.Request, v releaseView, live string) releasePage {
	l := langOf(r)
	p := releasePage{releaseView: v, Created: tanggal(v.Created.Unix()/86400, l) + " " + v.Created.UTC().Format("15.04") + " UTC",
		PartitionCount: len(v.Partitions), Live: v.ID == live}
	p.Permanent, p.Citation = s.citation(r, v.Manifest)
	for _, part := range v.Partitions {
		p.Rows += part.Rows
	}
	for _, c := range v.Changes {
		row := changeRow{Change: c, Label: c.Dataset, Region: s.regionName(c.Region), RegionURL: regionURL(r, c.Region, c.Year),
			Downloads: "/downloads/" + v.ID + "/" + c.Dataset + "/" + c.Region + "/" + strconv.Itoa(c.Year) + ".csv"}
		if sc, err := dataset.Lookup(c.Dataset); err == nil {
			row.Label = l.label(sc.Label)
		}
		if c.BeforeSen != 0 {
			row.Percent = signedPercent(float64(c.AfterSen-c.BeforeSen) / float64(c.BeforeSen))
		}
		for _, st := range []string{"murni", "pergeseran", "perubahan", "realisasi"} {
			if ba, ok := c.Stages[st]; ok {
				row.Stages = append(row.Stages, stageChange{Label: l.label(stageLabels[st]), Before: moneyText(ba[0]), After: moneyText(ba[1])})
			}
		}
		p.Changes = append(p.Changes, row)
	}
	return p
}

// signedPercent formats a change as +3,9 % or −1,2 %.
func signedPercent(x float64) string {
	if x < 0 {
		return "−" + percent(-x)
	}
	return "+" + percent(x)
}

// moneyText shows an amount the changelog keeps as text (1234.50) the
// Indonesian way, short; "–" when there is none.
func moneyText(s string) string {
	if s == "" {
		return "–"
	}
	sen, err := dataset.ParseMoney(s)
	if err != nil {
		return s
	}
	return rupiahShort(sen)
}

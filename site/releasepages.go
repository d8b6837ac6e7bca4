package site

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// releasePage is one release as people read it: when, what changed, how
// to cite it, and its files.
type releasePage struct {
	releaseView
	// Records are the first record changes; RecordCount counts them all.
	Records        []recordRow
	RecordCount    int64
	Created        string
	Permanent      string
	Citation       string
	Changes        []changeRow
	PartitionCount int
	Rows           int64
	Live           bool
}

type changeRow struct {
	publisher.PartitionChange
	Label     string // dataset
	Region    string
	RegionURL string
	Totals    []totalRow
	Downloads string
}

// totalRow is one measure's total of a changed partition, before and
// after, as the page shows it.
type totalRow struct {
	Label         string // the measure, and its stage or kind of row
	Before, After int64
	// Moved is the difference with its sign, and Percent it against Before.
	Moved, Percent string
	Changed        bool
}

// recordRow is one changed record as the release page lists it.
type recordRow struct {
	publisher.RecordChange
	Kind, RegionName, URL string
	DatasetLabel          string
	Money                 []moneyRow
	Other                 string // the other fields that changed
}

type moneyRow struct {
	Label, Before, After, Difference string
}

// maxPageRecords bounds the record changes a release page lists; the
// rest are in changes.json and changes.csv.
const maxPageRecords = 50

// handleReleasesPage is /releases: the newest releases.
func (s *Server) handleReleasesPage(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Publisher == nil {
		return notFound(dataset.Label{ID: "tidak tersedia", EN: "not available"})
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
	if s.cfg.Publisher == nil {
		return notFound(dataset.Label{ID: "tidak tersedia", EN: "not available"})
	}
	id := mux.Vars(r)["id"]
	v, err := s.release(r, id)
	if err != nil {
		return s.releaseError(r, id, err)
	}
	live, _, _ := s.cfg.Publisher.CurrentID(r.Context())
	page := s.releasePage(r, v, live)
	page.RecordCount = v.Records
	if page.Records, err = s.recordRows(r, id); err != nil {
		return err
	}
	w.Header().Set("Link", `<`+s.baseURL(r)+"/releases/"+id+`.json>; rel="alternate"; type="application/json"`)
	s.render(w, r, http.StatusOK, "release", langOf(r).translate("feed.release")+" "+id, page)
	return nil
}

func (s *Server) releasePage(r *http.Request, v releaseView, live string) releasePage {
	l := langOf(r)
	p := releasePage{releaseView: v, Created: waktu(l, v.Created),
		PartitionCount: len(v.Partitions), Live: v.ID == live}
	p.Permanent, p.Citation = s.citation(r, v.Manifest)
	for _, part := range v.Partitions {
		p.Rows += part.Rows
	}
	for _, c := range v.Changes {
		row := changeRow{PartitionChange: c, Label: c.Dataset, Region: s.regionName(c.Region), RegionURL: regionURL(r, c.Region, c.Year),
			Downloads: "/downloads/" + v.ID + "/" + c.Dataset + "/" + c.Region + "/" + strconv.Itoa(c.Year) + ".csv"}
		if sc, err := dataset.Lookup(c.Dataset); err == nil {
			row.Label = l.label(sc.Label)
		}
		for _, t := range c.Totals {
			row.Totals = append(row.Totals, totalOf(t, l))
		}
		p.Changes = append(p.Changes, row)
	}
	return p
}

// totalOf is how a changed total reads: "Nilai (Rp), APBD murni".
func totalOf(t publisher.Total, l lang) totalRow {
	before, after := t.Sen()
	row := totalRow{Label: measureLabel(t.Measure, t.Group, l), Before: before, After: after, Moved: signedMoney(l, t.Difference), Changed: before != after}
	if before != 0 {
		row.Percent = signedPercent(l, float64(after-before)/float64(before))
	}
	return row
}

// measureLabel names a money field and its group as people read them.
func measureLabel(field, group string, l lang) string {
	label := field
	if f := dataset.FindField(field); f != nil {
		label = l.label(f.Label)
	}
	stage, level, byLevel := strings.Cut(group, "/")
	switch {
	case group == "":
		return label
	case byLevel && stageLabels[stage].ID != "":
		// An account-level budget's total of one stage and level.
		n, _ := strconv.Atoi(level)
		return fmt.Sprintf("%s, %s, %s %s (%s)", label, l.label(stageLabels[stage]), strings.ToLower(l.translate("region.accounts.level")), level, l.label(dataset.AccountLevelName(n)))
	case stageLabels[group].ID != "":
		return label + ", " + l.label(stageLabels[group])
	}
	return label + ", " + l.translate("release.group."+group)
}

// recordRows reads the first record changes of a release for its page.
func (s *Server) recordRows(r *http.Request, id string) ([]recordRow, error) {
	l := langOf(r)
	var out []recordRow
	for rc, err := range s.cfg.Publisher.RecordChanges(r.Context(), id) {
		if err != nil {
			return nil, err
		}
		if len(out) == maxPageRecords {
			break
		}
		row := recordRow{RecordChange: rc, Kind: l.translate("release.kind." + rc.Change), RegionName: s.regionName(rc.Region), Other: strings.Join(rc.Fields, ", ")}
		if sc, err := dataset.Lookup(rc.Dataset); err == nil {
			row.DatasetLabel = l.label(sc.Label)
		}
		if rc.Change != publisher.ChangeRemoved {
			row.URL = recordURL(r, rc.Dataset, rc.Region, rc.Year, rc.ID)
		}
		for _, m := range rc.Money {
			row.Money = append(row.Money, moneyRow{Label: measureLabel(m.Field, "", l), Before: moneyText(l, m.Before), After: moneyText(l, m.After), Difference: signedMoney(l, m.Difference)})
		}
		out = append(out, row)
	}
	return out, nil
}

// signedMoney shows a difference kept as text with its sign: +Rp 10 M.
func signedMoney(l lang, s string) string {
	sen, ok := dataset.ParseFormattedMoney(s)
	switch {
	case !ok:
		return s
	case sen > 0:
		return "+" + rupiahShort(l, sen)
	}
	return rupiahShort(l, sen)
}

// signedPercent formats a change as +3,9 % or −1,2 % (+3.9 % in English).
func signedPercent(l lang, x float64) string {
	if x < 0 {
		return "−" + percent(l, -x)
	}
	return "+" + percent(l, x)
}

// moneyText shows an amount the changelog keeps as text (1234.50) short,
// in the page's language; "–" when there is none.
func moneyText(l lang, s string) string {
	if s == "" {
		return "–"
	}
	sen, ok := dataset.ParseFormattedMoney(s)
	if !ok {
		return s
	}
	return rupiahShort(l, sen)
}

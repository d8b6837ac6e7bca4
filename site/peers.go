package site

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/site/summary"
)

// Peers place a government's own figures among those of governments of its
// kind: spending and revenue per resident, and how much of its spending
// budget it realised. Each figure is the profile's (totalsOf over the
// budget the profile shows), so a comparison never disagrees with a
// profile. Provinces are compared with provinces, regencies and cities
// with each other: a province's budget and its regencies' are different
// governments' (DESIGN.md, "What a figure means").

// Levels of government compared, as written in ?tingkat=.
const (
	levelKabKota  = "kabkota"
	levelProvinsi = "provinsi"
)

// The figures compared, in column order; peerKeys names them in ?sort=
// and in the message catalogue.
const (
	peerBelanja = iota
	peerPendapatan
	peerRealisasi
	peerFigures
)

var peerKeys = [peerFigures]string{"belanja_per_kapita", "pendapatan_per_kapita", "realisasi"}

// levelOf is the level a region is compared at.
func levelOf(reg *dataset.Region) string {
	if reg.IsProvince() {
		return levelProvinsi
	}
	return levelKabKota
}

// peerEntry is one government's comparable figures in a year. Has says
// which it published: a figure it did not publish is left out of ranks and
// medians rather than counted as zero.
type peerEntry struct {
	Region *dataset.Region
	Value  [peerFigures]float64
	Has    [peerFigures]bool
}

// peerEntryOf reads reg's figures from the sums of its own budget
// partitions. Per-resident figures are in sen (whole rupiah, as the
// profile shows them); realisation is belanja realised over belanja of the
// latest plan, the profile's "realised of planned".
func peerEntryOf(reg *dataset.Region, sum *summary.Summary) peerEntry {
	e := peerEntry{Region: reg}
	t := totalsOf(sum)
	b, _ := sum.ShownBudget()
	plan := b.Group[b.Plan()]
	if t.HasBudget && reg.Population > 0 {
		if _, ok := plan["belanja"]; ok {
			e.Value[peerBelanja], e.Has[peerBelanja] = float64(perResident(t.Belanja, reg.Population)), true
		}
		if _, ok := plan["pendapatan"]; ok {
			e.Value[peerPendapatan], e.Has[peerPendapatan] = float64(perResident(t.Pendapatan, reg.Population)), true
		}
	}
	if _, ok := b.Group["realisasi"]["belanja"]; ok && t.HasBudget && t.Belanja > 0 {
		e.Value[peerRealisasi], e.Has[peerRealisasi] = float64(t.BelanjaReal)/float64(t.Belanja), true
	}
	return e
}

// isBudget reports whether a partition holds a budget the profile shows.
func isBudget(p publisher.Partition) bool {
	return p.Dataset == "budget" || p.Dataset == budgetAccountsName
}

// peerTable is the figures of every government of level that published a
// budget for year, in code order. Only budget partitions are summed: they
// are all the compared figures come from.
func (s *Server) peerTable(ctx context.Context, live *publisher.Manifest, year int, level string) ([]peerEntry, error) {
	byRegion := map[string][]publisher.Partition{}
	for _, p := range live.Partitions {
		if p.Year != year || !isBudget(p) {
			continue
		}
		if reg := s.cfg.Regions.Lookup(p.Region); reg != nil && levelOf(reg) == level {
			byRegion[p.Region] = append(byRegion[p.Region], p)
		}
	}
	out := make([]peerEntry, 0, len(byRegion))
	for _, code := range slices.Sorted(maps.Keys(byRegion)) {
		// A manifest of the region's partitions alone: one pass over
		// them, not over the whole release per region.
		sum, err := s.sums.Sum(ctx, &publisher.Manifest{Partitions: byRegion[code]}, func(publisher.Partition) bool { return true })
		if err != nil {
			return nil, err
		}
		out = append(out, peerEntryOf(s.cfg.Regions.Lookup(code), sum))
	}
	return out, nil
}

// peerYears lists the years in which some government of level published a
// budget, oldest first.
func (s *Server) peerYears(live *publisher.Manifest, level string) []int {
	years := map[int]bool{}
	if live == nil {
		return nil
	}
	for _, p := range live.Partitions {
		if reg := s.cfg.Regions.Lookup(p.Region); isBudget(p) && reg != nil && levelOf(reg) == level {
			years[p.Year] = true
		}
	}
	return slices.Sorted(maps.Keys(years))
}

// levelCount is how many governments of level the region list has.
func (s *Server) levelCount(level string) int {
	n := 0
	for _, r := range s.cfg.Regions.All() {
		if levelOf(r) == level {
			n++
		}
	}
	return n
}

// publishedValues lists the values of figure f of the entries that have it.
func publishedValues(entries []peerEntry, f int) []float64 {
	var out []float64
	for _, e := range entries {
		if e.Has[f] {
			out = append(out, e.Value[f])
		}
	}
	return out
}

// rankOf is 1 plus how many values are larger than v: the largest is 1,
// and equal values share a rank.
func rankOf(values []float64, v float64) int {
	r := 1
	for _, x := range values {
		if x > v {
			r++
		}
	}
	return r
}

// median is the middle value, or the mean of the two middle ones; 0 for
// none.
func median(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	v := slices.Sorted(slices.Values(values))
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// peerText writes a value of figure f: whole rupiah per resident, as the
// profile writes them (a median of two may fall on half a rupiah), or a
// percentage.
func peerText(l lang, f int, v float64) string {
	if f == peerRealisasi {
		return percent(l, v)
	}
	return rupiah(l, int64(math.Round(v/100))*100)
}

// peerRaw is a value as data attributes carry it for tests and scrapers:
// the shortest decimal that reads back as the same number.
func peerRaw(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// peerLabel names figure f.
func peerLabel(l lang, f int) string { return l.translate("peers.figure." + peerKeys[f]) }

// inSentence lower-cases a label's first letter, for the middle of a
// sentence.
func inSentence(label string) string {
	if label == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(label)
	return string(unicode.ToLower(r)) + label[n:]
}

// peersURL links to the comparison table, keeping the language.
func peersURL(l lang, year int, level, sort string) string {
	v := url.Values{"tingkat": {level}, "sort": {sort}}
	if year > 0 {
		v.Set("tahun", strconv.Itoa(year))
	}
	if l == langEN {
		v.Set("lang", "en")
	}
	return "/wilayah/banding?" + v.Encode()
}

// The region profile's section.

// peersView is the "compared with peers" section of a profile.
type peersView struct {
	Year       int
	IsProvince bool
	Figures    []peerFigureView
	CompareURL string
	Level      string // kabkota or provinsi
}

// peerFigureView is one figure of the region among its groups.
type peerFigureView struct {
	Key, Label string
	Has        bool
	Text, Raw  string
	Groups     []peerGroupView
}

// peerGroupView places the region among one group: the other regencies
// and cities of its province, or every government of its level.
type peerGroupView struct {
	Scope, Label     string
	URL              string
	Rank             int // 0 when the region did not publish the figure
	Published, Total int
	RankText         string
	Median           float64
	MedianText       string
	MedianRaw        string
	PublishedText    string
}

// regionPeers compares reg's own figures in year with its peers'; nil when
// no government of its level published a budget that year.
func (s *Server) regionPeers(r *http.Request, live *publisher.Manifest, reg *dataset.Region, year int) (*peersView, error) {
	l, level := langOf(r), levelOf(reg)
	all, err := s.peerTable(r.Context(), live, year, level)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	own := peerEntry{Region: reg}
	for _, e := range all {
		if e.Region.Code == reg.Code {
			own = e
		}
	}
	type group struct {
		scope, label, url string
		entries           []peerEntry
		total             int
	}
	var groups []group
	if level == levelKabKota {
		// The regencies and cities of its province: never the province
		// itself, a government of another level.
		var members []peerEntry
		for _, e := range all {
			if e.Region.ProvinceCode == reg.ProvinceCode {
				members = append(members, e)
			}
		}
		prov := s.cfg.Regions.Lookup(reg.ProvinceCode)
		name := reg.ProvinceCode
		if prov != nil {
			name = prov.Name
		}
		groups = append(groups, group{scope: "provinsi", label: fmt.Sprintf(l.translate("peers.scope.province"), name),
			url: regionURL(r, reg.ProvinceCode, year) + "#banding", entries: members, total: len(s.cfg.Regions.Children(reg.ProvinceCode))})
	}
	groups = append(groups, group{scope: "tingkat", label: l.translate("peers.scope." + level), entries: all, total: s.levelCount(level)})
	v := &peersView{Year: year, IsProvince: reg.IsProvince(), Level: level,
		CompareURL: peersURL(l, year, level, "-"+peerKeys[peerBelanja])}
	for f := range peerFigures {
		fv := peerFigureView{Key: peerKeys[f], Label: peerLabel(l, f), Has: own.Has[f]}
		if fv.Has {
			fv.Text, fv.Raw = peerText(l, f, own.Value[f]), peerRaw(own.Value[f])
		}
		for _, g := range groups {
			vals := publishedValues(g.entries, f)
			gv := peerGroupView{Scope: g.scope, Label: g.label, URL: g.url, Published: len(vals), Total: g.total, RankText: "–", MedianText: "–",
				PublishedText: fmt.Sprintf(l.translate("peers.of"), len(vals), g.total)}
			if gv.URL == "" {
				gv.URL = peersURL(l, year, level, "-"+peerKeys[f])
			}
			if len(vals) > 0 {
				gv.Median = median(vals)
				gv.MedianText, gv.MedianRaw = peerText(l, f, gv.Median), peerRaw(gv.Median)
			}
			if own.Has[f] {
				gv.Rank = rankOf(vals, own.Value[f])
				gv.RankText = fmt.Sprintf(l.translate("peers.rank.of"), gv.Rank, len(vals))
			}
			fv.Groups = append(fv.Groups, gv)
		}
		v.Figures = append(v.Figures, fv)
	}
	return v, nil
}

// The comparison page.

// peerSortKeys are what ?sort= may name, with a leading "-" for
// descending; numbers sort descending when first chosen.
var peerSortKeys = []string{"nama", "provinsi", "penduduk", peerKeys[peerBelanja], peerKeys[peerPendapatan], peerKeys[peerRealisasi]}

// peersPage is what the comparison template shows.
type peersPage struct {
	Year      int
	Years     []yearLink
	Level     string
	Levels    []peerLink
	Sort      string
	Columns   []peerColumn
	Rows      []peerRow
	Published int // governments of Level that published a budget in Year
	Total     int // governments of Level in the region list
	CountText string
	// RankBy is the figure the rank column and the map follow: the one
	// sorted by, else spending per resident.
	RankBy, RankByLabel string
	Map                 template.HTML
	MapNote             string
	Release             string
}

type peerLink struct {
	Label, URL string
	Selected   bool
}

// peerColumn is a column heading: a link that sorts by it, descending
// first for numbers, and the other way round when already sorted so.
type peerColumn struct {
	Key, Label, URL string
	Num             bool
	// Sorted is "ascending" or "descending" for the column sorted by
	// (aria-sort), else "".
	Sorted string
}

// peerRow is one government in the table.
type peerRow struct {
	Region     *dataset.Region
	Province   *dataset.Region // of a regency or city
	URL        string
	Rank       int // by RankBy; 0 when it did not publish that figure
	Population int64
	Cells      [peerFigures]peerCell
	entry      peerEntry
}

type peerCell struct {
	Key       string
	Has       bool
	Text, Raw string
}

// handlePeers is /wilayah/banding?tahun=2024&tingkat=kabkota&sort=-belanja_per_kapita:
// every government of a level side by side, sorted by a column.
func (s *Server) handlePeers(w http.ResponseWriter, r *http.Request) error {
	q, l := r.URL.Query(), langOf(r)
	level := cmp.Or(q.Get("tingkat"), levelKabKota)
	if level != levelKabKota && level != levelProvinsi {
		return badRequest(fmt.Sprintf("tingkat harus %s atau %s, bukan %q", levelKabKota, levelProvinsi, level),
			fmt.Sprintf("tingkat must be %s or %s, not %q", levelKabKota, levelProvinsi, level))
	}
	sortBy := cmp.Or(q.Get("sort"), "-"+peerKeys[peerBelanja])
	key, desc := strings.CutPrefix(sortBy, "-")
	if !slices.Contains(peerSortKeys, key) {
		return badRequest(fmt.Sprintf("sort harus salah satu dari %s (dengan - di depan untuk urutan menurun), bukan %q", strings.Join(peerSortKeys, ", "), sortBy),
			fmt.Sprintf("sort must be one of %s (with a leading - for descending), not %q", strings.Join(peerSortKeys, ", "), sortBy))
	}
	year, err := intParam(q, "tahun", 0)
	if err != nil {
		return err
	}
	if s.sums == nil {
		return &userError{status: http.StatusNotFound, msg: dataset.Label{ID: "tidak ada data yang diterbitkan", EN: "nothing is published"}, err: dataset.ErrNotFound}
	}
	live, err := s.liveRelease(r)
	if err != nil {
		return err
	}
	years := s.peerYears(live, level)
	if year == 0 && len(years) > 0 {
		year = years[len(years)-1]
	}
	page := &peersPage{Year: year, Level: level, Sort: sortBy, Total: s.levelCount(level), RankBy: peerKeys[peerBelanja]}
	if i := slices.Index(peerKeys[:], key); i >= 0 {
		page.RankBy = key
	}
	rankBy := slices.Index(peerKeys[:], page.RankBy)
	page.RankByLabel = inSentence(peerLabel(l, rankBy))
	for _, y := range years {
		page.Years = append(page.Years, yearLink{Year: y, URL: peersURL(l, y, level, sortBy), Selected: y == year})
	}
	for _, lv := range []string{levelKabKota, levelProvinsi} {
		page.Levels = append(page.Levels, peerLink{Label: l.translate("peers.level." + lv), URL: peersURL(l, year, lv, sortBy), Selected: lv == level})
	}
	page.Columns = peerColumns(l, year, level, key, desc)
	var entries []peerEntry
	if live != nil && slices.Contains(years, year) {
		page.Release = live.ID
		if entries, err = s.peerTable(r.Context(), live, year, level); err != nil {
			return err
		}
	}
	page.Published = len(entries)
	page.CountText = fmt.Sprintf(l.translate("peers.count."+level), page.Published, page.Total, year)
	ranked := publishedValues(entries, rankBy)
	for _, e := range entries {
		row := peerRow{Region: e.Region, URL: regionURL(r, e.Region.Code, year), Population: e.Region.Population, entry: e}
		if level == levelKabKota {
			row.Province = s.cfg.Regions.Lookup(e.Region.ProvinceCode)
		}
		if e.Has[rankBy] {
			row.Rank = rankOf(ranked, e.Value[rankBy])
		}
		for f := range peerFigures {
			row.Cells[f] = peerCell{Key: peerKeys[f]}
			if e.Has[f] {
				row.Cells[f] = peerCell{Key: peerKeys[f], Has: true, Text: peerText(l, f, e.Value[f]), Raw: peerRaw(e.Value[f])}
			}
		}
		page.Rows = append(page.Rows, row)
	}
	sortPeerRows(page.Rows, key, desc)
	if len(entries) > 0 {
		page.Map, page.MapNote = s.peerMap(r, entries, level, rankBy, year)
	}
	title := l.translate("peers.page.title")
	if year > 0 {
		title += " " + strconv.Itoa(year)
	}
	s.render(w, r, http.StatusOK, "peers", title, page)
	return nil
}

// peerColumns are the table's sortable headings.
func peerColumns(l lang, year int, level, key string, desc bool) []peerColumn {
	type col struct {
		key, label string
		num        bool
	}
	cols := []col{{"nama", l.translate("peers.col.region"), false}}
	if level == levelKabKota {
		cols = append(cols, col{"provinsi", l.translate("peers.col.province"), false})
	}
	cols = append(cols, col{"penduduk", l.translate("region.population"), true})
	for f := range peerFigures {
		cols = append(cols, col{peerKeys[f], peerLabel(l, f), true})
	}
	var out []peerColumn
	for _, c := range cols {
		next := c.key
		if c.num {
			next = "-" + c.key
		}
		pc := peerColumn{Key: c.key, Label: c.label, Num: c.num}
		if c.key == key {
			pc.Sorted = "ascending"
			if desc {
				pc.Sorted = "descending"
			}
			// Chosen again, the column turns round.
			next = c.key
			if !desc {
				next = "-" + c.key
			}
		}
		pc.URL = peersURL(l, year, level, next)
		out = append(out, pc)
	}
	return out
}

// sortPeerRows orders rows by key. Governments without the figure come
// last whichever way it runs: an absent figure is not a small one. Ties
// go by name, then code.
func sortPeerRows(rows []peerRow, key string, desc bool) {
	f := slices.Index(peerKeys[:], key)
	slices.SortStableFunc(rows, func(a, b peerRow) int {
		c := 0
		switch {
		case f >= 0:
			if ha, hb := a.entry.Has[f], b.entry.Has[f]; ha != hb {
				if ha {
					return -1
				}
				return 1
			}
			c = cmp.Compare(a.entry.Value[f], b.entry.Value[f])
		case key == "penduduk":
			c = cmp.Compare(a.Population, b.Population)
		case key == "provinsi" && a.Province != nil && b.Province != nil:
			c = strings.Compare(a.Province.Name, b.Province.Name)
		case key == "nama":
			c = strings.Compare(a.Region.Name, b.Region.Name)
		}
		if desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.Region.Name, b.Region.Name), strings.Compare(a.Region.Code, b.Region.Code))
	})
}

// The tile map.

// provinceTiles places each province on a grid of 15 columns and 6 rows,
// roughly where it lies, with its ISO 3166-2:ID letters: no boundary data
// with a licence that allows publishing them is in the repository.
var provinceTiles = map[string]struct {
	Abbr     string
	Col, Row int
}{
	"11": {"AC", 0, 0}, "12": {"SU", 1, 1}, "13": {"SB", 1, 2}, "14": {"RI", 2, 1}, "15": {"JA", 2, 2},
	"16": {"SS", 2, 3}, "17": {"BE", 1, 3}, "18": {"LA", 2, 4}, "19": {"BB", 3, 2}, "21": {"KR", 3, 1},
	"31": {"JK", 4, 3}, "32": {"JB", 4, 4}, "33": {"JT", 5, 4}, "34": {"YO", 5, 5}, "35": {"JI", 6, 4}, "36": {"BT", 3, 4},
	"51": {"BA", 7, 4}, "52": {"NB", 8, 4}, "53": {"NT", 9, 4},
	"61": {"KB", 5, 2}, "62": {"KT", 6, 2}, "63": {"KS", 7, 3}, "64": {"KI", 7, 2}, "65": {"KU", 7, 1},
	"71": {"SA", 10, 1}, "72": {"ST", 9, 2}, "73": {"SN", 9, 3}, "74": {"SG", 10, 3}, "75": {"GO", 9, 1}, "76": {"SR", 8, 3},
	"81": {"MA", 11, 2}, "82": {"MU", 11, 1},
	"91": {"PA", 14, 1}, "92": {"PB", 13, 1}, "93": {"PS", 14, 3}, "94": {"PT", 13, 2}, "95": {"PE", 14, 2}, "96": {"PD", 12, 1},
}

// Map colours: five blues, light to dark, each with a text colour of at
// least 4.5:1 contrast on it.
var (
	binFill = [5]string{"#deebf7", "#9ecae1", "#6baed6", "#2171b5", "#08306b"}
	binText = [5]string{"#1b1f24", "#1b1f24", "#1b1f24", "#ffffff", "#ffffff"}
)

// binOf puts v in one of five bins holding about as many values each:
// its place among the sorted values, in fifths. Equal values share a bin.
func binOf(sorted []float64, v float64) int {
	below, _ := slices.BinarySearch(sorted, v)
	return min(4, 5*below/len(sorted))
}

// peerMap draws the provinces as tiles coloured by figure f: a province's
// own figure on the provinces' table, the median of its regencies and
// cities that published on theirs (a median, never a sum, and never the
// province's own budget). It returns the SVG and a note on what the
// colours mean.
func (s *Server) peerMap(r *http.Request, entries []peerEntry, level string, f, year int) (template.HTML, string) {
	l := langOf(r)
	type tile struct {
		value float64
		has   bool
		n     int
	}
	tiles := map[string]tile{}
	if level == levelProvinsi {
		for _, e := range entries {
			tiles[e.Region.Code] = tile{value: e.Value[f], has: e.Has[f], n: 1}
		}
	} else {
		byProv := map[string][]peerEntry{}
		for _, e := range entries {
			byProv[e.Region.ProvinceCode] = append(byProv[e.Region.ProvinceCode], e)
		}
		for code, es := range byProv {
			vals := publishedValues(es, f)
			tiles[code] = tile{value: median(vals), has: len(vals) > 0, n: len(vals)}
		}
	}
	var values []float64
	for _, t := range tiles {
		if t.has {
			values = append(values, t.value)
		}
	}
	note := fmt.Sprintf(l.translate("peers.map.note."+level), inSentence(peerLabel(l, f)))
	if len(values) == 0 {
		return "", ""
	}
	slices.Sort(values)
	// The map is 15 tiles wide and is drawn at whatever width the page
	// gives it: at 320 px a tile is about 19 px. Fonts are sized in the
	// map's units so that even there they are drawn at 12 px or more
	// (17 × 288 / 390 ≈ 12.6).
	const cell, side, cols, rows = 26.0, 24.0, 15, 6
	const tileFont, legendFont, swatch, legendRow = 17.0, 17.0, 16.0, 24.0
	esc := template.HTMLEscapeString
	var tilesSVG, legend strings.Builder
	ranges := [5][2]float64{}
	seen := [5]bool{}
	for _, prov := range s.cfg.Regions.Provinces() {
		pos, ok := provinceTiles[prov.Code]
		if !ok {
			continue
		}
		t := tiles[prov.Code]
		fill, ink, stroke, label := "#ffffff", "#57606a", ` stroke="#57606a" stroke-dasharray="3 2"`, l.translate("peers.map.nodata")
		if t.has {
			bin := binOf(values, t.value)
			fill, ink, stroke = binFill[bin], binText[bin], ` stroke="#1b1f24" stroke-width="0.5"`
			label = peerText(l, f, t.value)
			if level == levelKabKota {
				label = fmt.Sprintf(l.translate("peers.map.median"), label, t.n)
			}
			if !seen[bin] {
				ranges[bin] = [2]float64{t.value, t.value}
			}
			seen[bin] = true
			ranges[bin][0], ranges[bin][1] = min(ranges[bin][0], t.value), max(ranges[bin][1], t.value)
		}
		// The tile shows the abbreviation: its name holds it too, so a
		// reader using speech control can say what they see (not in brackets,
		// which checkers read as an aside). No <title>
		// tooltip: its text would count as the link's visible text too.
		name := prov.Name + " – " + pos.Abbr + ": " + label
		x, y := float64(pos.Col)*cell, float64(pos.Row)*cell
		fmt.Fprintf(&tilesSVG, "<a href=\"%s\" aria-label=\"%s\" data-tile=\"%s\"><rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" rx=\"2\" fill=\"%s\"%s/><text x=\"%g\" y=\"%g\" text-anchor=\"middle\" font-size=\"%g\" fill=\"%s\" aria-hidden=\"true\">%s</text></a>\n",
			esc(regionURL(r, prov.Code, year)), esc(name), prov.Code, x, y, side, side, fill, stroke, x+side/2, y+side/2+tileFont*0.35, tileFont, ink, pos.Abbr)
	}
	y := rows*cell + 10.0
	for bin := range 5 {
		if !seen[bin] {
			continue
		}
		text := peerText(l, f, ranges[bin][0])
		if hi := peerText(l, f, ranges[bin][1]); hi != text {
			text += " – " + hi
		}
		fmt.Fprintf(&legend, "<rect x=\"0\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"%s\" stroke=\"#1b1f24\" stroke-width=\"0.5\"/><text x=\"%g\" y=\"%g\">%s</text>\n", y, swatch, swatch, binFill[bin], swatch+6, y+swatch-2, esc(text))
		y += legendRow
	}
	fmt.Fprintf(&legend, "<rect x=\"0\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"#ffffff\" stroke=\"#57606a\" stroke-dasharray=\"3 2\"/><text x=\"%g\" y=\"%g\">%s</text>\n", y, swatch, swatch, swatch+6, y+swatch-2, esc(l.translate("peers.map.nodata")))
	height := y + legendRow
	title := fmt.Sprintf(l.translate("peers.map.title"), peerLabel(l, f), year)
	var b strings.Builder
	// Not role="img": the tiles are links, each named by its figure.
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart tilemap" viewBox="0 0 %d %g" width="100%%" height="%g" role="group" aria-labelledby="peta-title" font-family="system-ui, sans-serif" font-size="%g" fill="#1b1f24">`+"\n",
		cols*int(cell), height, height, legendFont)
	fmt.Fprintf(&b, "<title id=\"peta-title\">%s</title>\n%s<g class=\"legend\">\n%s</g>\n</svg>", esc(title), tilesSVG.String(), legend.String())
	return template.HTML(b.String()), note
}

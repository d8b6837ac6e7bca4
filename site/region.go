package site

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/site/summary"
)

// Region profiles answer "how much does my kabupaten spend, on what, and
// who wins its contracts?" from the live release. Every figure is a sum of
// published records and links to the search that lists them.

// figure is one number of a profile with what it is and where it comes
// from. Value is in sen for money; the template prints data-value so tests
// can compare the page with the Parquet files.
type figure struct {
	Key   string // a code or name; stable, for tests and anchors
	Label string
	Value int64
	// Of is a second number the row compares with (realisasi vs anggaran).
	Of    int64
	Share float64 // Value as a part of the table's total, 0..1
	URL   string  // the records behind the figure
}

// percent formats a fraction as a percentage the way the language writes
// it: 3,9 % in Indonesian, 3.9 % in English.
func percent(l lang, x float64) string {
	s := strconv.FormatFloat(100*x, 'f', 1, 64)
	if l != langEN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " %"
}

// ratio formats part/whole as a percentage; "" when whole is 0.
func ratio(l lang, part, whole int64) string {
	if whole == 0 {
		return ""
	}
	return percent(l, float64(part)/float64(whole))
}

// regionPage is what the region template shows.
type regionPage struct {
	Region   *dataset.Region
	Province *dataset.Region
	Year     int
	Years    []yearLink
	Release  string
	// HasData is whether the region's own government published anything
	// for Year; a province page may still compare its members without it.
	HasData bool

	// Budget.
	Plan, PlanLabel string      // the latest planning stage and its name
	Groups          []stageRow  // pendapatan, belanja, pembiayaan by stage
	Stages          []stageHead // the stages present
	Jenis           []figure    // belanja by jenis: plan in Of, realisasi in Value
	JenisReal       bool        // whether realisasi exists
	Urusan          []figure
	Agencies        []figure
	PerCapita       []figure // belanja and pendapatan per resident, in sen
	// Accounts describes the region's budget by account (Perda APBD /
	// LRA) of the year, nil when it published none: the budget shown when
	// it has no agency-level lines, else only mentioned.
	Accounts *accountsView

	// Procurement.
	Procurement summary.Tally
	DirectShare float64 // of the ceiling, without an open tender
	Methods     []figure
	Categories  []figure
	Suppliers   []figure
	Largest     []contractRow
	// Flags counts packages per red flag (Of, with Share of all
	// packages); FlagAgencies the agencies with flagged packages (Of
	// flagged of Value packages).
	Flags, FlagAgencies []figure
	ProcSearch          string
	BudgetSearch        string

	// Revenue.
	Levies       []figure // realised, target in Of
	Months       []monthRow
	RevenueShown bool

	// Year over year.
	History []historyRow

	// Province pages: the regencies and cities compared. They are
	// governments of their own, never added to the province's figures.
	Members          []memberRow
	MembersPublished int // members that published anything for Year

	// Charts holds the SVG charts by table name.
	Charts map[string]template.HTML
	// RevenuePeriod is the months the receipts cover ("Januari–Oktober
	// 2024", or the year alone), for the revenue charts and the captions
	// of the tables beside them.
	RevenuePeriod string

	// Peers places the region's own figures among governments of its
	// level (peers.go); nil when none published a budget in Year.
	Peers *peersView
}

type yearLink struct {
	Year     int
	URL      string
	Selected bool
}

type stageHead struct {
	Stage, Label string
}

type stageRow struct {
	Group, Label string
	Cells        []figure // one per stage, in Stages order
}

type contractRow struct {
	summary.Contract
	URL, SupplierURL string
}

type monthRow struct {
	Month     int
	Name      string
	Pajak     int64
	Retribusi int64
	// Cumulative receipts of the year so far.
	Cumulative int64
}

// totals are the headline sums of a region's year, shown year by year
// and, for a province, per member.
type totals struct {
	Pendapatan, Belanja         int64 // by the latest plan
	BelanjaReal, ProcContract   int64
	RevenueTarget, RevenueReal  int64
	HasBudget, HasReal, HasProc bool
	DirectShare                 float64
}

func totalsOf(sum *summary.Summary) totals {
	var t totals
	b, _ := sum.ShownBudget()
	if plan := b.Plan(); plan != "" {
		t.HasBudget = true
		t.Pendapatan, t.Belanja = b.Group[plan]["pendapatan"], b.Group[plan]["belanja"]
	}
	if g, ok := b.Group["realisasi"]; ok {
		t.HasReal, t.BelanjaReal = true, g["belanja"]
	}
	t.HasProc, t.ProcContract, t.DirectShare = sum.Procurement.Total.Count > 0, sum.Procurement.Total.Contract, sum.Procurement.DirectShare()
	for _, kind := range dataset.RevenueKinds {
		k := sum.Revenue.Kind(kind)
		t.RevenueTarget += k.Target
		t.RevenueReal += k.Realized
	}
	return t
}

type historyRow struct {
	Year int
	URL  string
	totals
}

type memberRow struct {
	Region      *dataset.Region
	URL         string
	Population  int64
	Published   bool
	MissingYear bool // published other years, not this one
	PerCapita   int64
	totals
}

var monthNames = [2][13]string{
	{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"},
	{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

var stageLabels = map[string]dataset.Label{
	"murni":      {ID: "APBD murni", EN: "Original budget"},
	"pergeseran": {ID: "Pergeseran", EN: "Reallocated budget"},
	"perubahan":  {ID: "APBD perubahan", EN: "Amended budget"},
	"realisasi":  {ID: "Realisasi", EN: "Outturn"},
}

// handleRegionPicker is /wilayah: provinces, or ?kode= jumping to one.
func (s *Server) handleRegionPicker(w http.ResponseWriter, r *http.Request) error {
	if code := r.URL.Query().Get("kode"); code != "" {
		if s.cfg.Regions.Lookup(code) == nil {
			return &userError{status: http.StatusNotFound, msg: dataset.Label{ID: "wilayah " + code + " tidak dikenal", EN: "unknown region " + code}, err: dataset.ErrNotFound}
		}
		http.Redirect(w, r, "/wilayah/"+url.PathEscape(code)+langSuffix(r, "?"), http.StatusSeeOther)
		return nil
	}
	live, err := s.liveRelease(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "regions", langOf(r).translate("region.all"), s.regionIndex(live))
	return nil
}

// regionChoice is a region in the picker, with whether it published.
//
// A province's Published says whether the provincial government itself
// published; its regencies and cities are counted apart, since they are
// governments of their own.
type regionChoice struct {
	Region    *dataset.Region
	Published bool
	Children  []regionChoice
	// ChildrenPublished counts the Children that published.
	ChildrenPublished int
}

// regionIndex lists provinces and their regencies and cities, marking
// those that have published data in live.
func (s *Server) regionIndex(live *publisher.Manifest) []regionChoice {
	published := map[string]bool{}
	if live != nil {
		for _, p := range live.Partitions {
			published[p.Region] = true
		}
	}
	var out []regionChoice
	for _, prov := range s.cfg.Regions.Provinces() {
		c := regionChoice{Region: prov, Published: published[prov.Code]}
		for _, child := range s.cfg.Regions.Children(prov.Code) {
			c.Children = append(c.Children, regionChoice{Region: child, Published: published[child.Code]})
			if published[child.Code] {
				c.ChildrenPublished++
			}
		}
		out = append(out, c)
	}
	return out
}

// liveRelease is the live manifest, or nil when nothing is published.
func (s *Server) liveRelease(r *http.Request) (*publisher.Manifest, error) {
	m, err := s.cfg.Publisher.Current(r.Context())
	if errors.Is(err, dataset.ErrNotFound) {
		return nil, nil
	}
	return m, err
}

// handleRegion is /wilayah/{code}?tahun=2024: a region's profile.
func (s *Server) handleRegion(w http.ResponseWriter, r *http.Request) error {
	code := mux.Vars(r)["code"]
	reg := s.cfg.Regions.Lookup(code)
	if reg == nil || s.sums == nil {
		return &userError{status: http.StatusNotFound, msg: dataset.Label{ID: "wilayah " + code + " tidak dikenal", EN: "unknown region " + code}, err: dataset.ErrNotFound}
	}
	live, err := s.liveRelease(r)
	if err != nil {
		return err
	}
	year, err := intParam(r.URL.Query(), "tahun", 0)
	if err != nil {
		return err
	}
	page, err := s.regionProfile(r, live, reg, year)
	if err != nil {
		return err
	}
	title := reg.Name
	if page.Year > 0 {
		title += " " + strconv.Itoa(page.Year)
	}
	s.render(w, r, http.StatusOK, "region", title, page)
	return nil
}

// isMember reports whether code is one of province's regencies and cities.
func (s *Server) isMember(province *dataset.Region, code string) bool {
	if !province.IsProvince() || code == province.Code {
		return false
	}
	child := s.cfg.Regions.Lookup(code)
	return child != nil && child.ProvinceCode == province.Code
}

// regionProfile sums the figures of reg's own government in year (0: the
// latest). A province's page also lists the years its regencies and cities
// published, to compare them, but never adds their figures to its own.
func (s *Server) regionProfile(r *http.Request, live *publisher.Manifest, reg *dataset.Region, year int) (*regionPage, error) {
	l := langOf(r)
	page := &regionPage{Region: reg}
	if !reg.IsProvince() {
		page.Province = s.cfg.Regions.Lookup(reg.ProvinceCode)
	}
	if live == nil {
		return page, nil
	}
	page.Release = live.ID
	own, shown := map[int]bool{}, map[int]bool{}
	for _, p := range live.Partitions {
		if p.Region == reg.Code {
			own[p.Year], shown[p.Year] = true, true
		} else if s.isMember(reg, p.Region) {
			shown[p.Year] = true
		}
	}
	years := slices.Sorted(maps.Keys(shown))
	if len(years) == 0 {
		return page, nil
	}
	if year == 0 {
		year = years[len(years)-1]
	}
	page.Year, page.HasData = year, own[year]
	for _, y := range years {
		page.Years = append(page.Years, yearLink{Year: y, URL: regionURL(r, reg.Code, y), Selected: y == year})
	}
	if reg.IsProvince() {
		if err := s.memberRows(r, page, live, reg, year); err != nil {
			return nil, err
		}
	}
	if page.HasData {
		if err := s.ownFigures(r, page, live, reg, slices.Sorted(maps.Keys(own))); err != nil {
			return nil, err
		}
	}
	if page.HasData {
		peers, err := s.regionPeers(r, live, reg, year)
		if err != nil {
			return nil, err
		}
		page.Peers = peers
	}
	page.RevenuePeriod = revenuePeriod(page, l)
	page.Charts = regionCharts(page, l)
	return page, nil
}

// ownFigures fills the figures of reg's own government in page.Year, and
// its year-by-year row for each of years.
func (s *Server) ownFigures(r *http.Request, page *regionPage, live *publisher.Manifest, reg *dataset.Region, years []int) error {
	l, year := langOf(r), page.Year
	var sum *summary.Summary
	for _, y := range years {
		ys, err := s.sums.Sum(r.Context(), live, func(p publisher.Partition) bool { return p.Year == y && p.Region == reg.Code })
		if err != nil {
			return err
		}
		if y == year {
			sum = ys
		}
		page.History = append(page.History, historyRow{Year: y, URL: regionURL(r, reg.Code, y), totals: totalsOf(ys)})
	}
	search := func(ds string, extra ...string) string { return searchURL(l, ds, reg.Code, year, extra...) }
	b, byAccount := sum.ShownBudget()
	budgetSet := "budget"
	if byAccount {
		budgetSet = budgetAccountsName
	}
	page.BudgetSearch, page.ProcSearch = search(budgetSet), search("procurement")
	page.Accounts = accountsOf(l, sum.Accounts, byAccount, search)
	s.budgetFigures(page, l, b, budgetSet, reg, search)
	s.procurementFigures(page, l, r, sum.Procurement, search)
	levyFigures(page, l, sum.Revenue, search)
	return nil
}

// budgetFigures fills the budget figures from b, whose records are those
// of dataset ds (budget, or budget_accounts), which figures link to.
func (s *Server) budgetFigures(page *regionPage, l lang, b *summary.Budget, ds string, reg *dataset.Region, search func(string, ...string) string) {
	plan := b.Plan()
	page.Plan = plan
	if plan != "" {
		page.PlanLabel = l.label(stageLabels[plan])
	}
	for _, st := range b.Stages() {
		page.Stages = append(page.Stages, stageHead{st, l.label(stageLabels[st])})
	}
	for _, g := range dataset.AccountGroups {
		row := stageRow{Group: g, Label: l.label(dataset.AccountName(groupCode(g)))}
		for _, st := range page.Stages {
			row.Cells = append(row.Cells, figure{Key: g + "/" + st.Stage, Value: b.Group[st.Stage][g],
				URL: search(ds, dataset.FieldAccountGroup, g, "stage", st.Stage)})
		}
		page.Groups = append(page.Groups, row)
	}
	if plan == "" {
		return
	}
	real, hasReal := b.Jenis["realisasi"]
	page.JenisReal = hasReal
	belanja := b.Group[plan]["belanja"]
	for code, v := range b.Jenis[plan] {
		if !strings.HasPrefix(code, "5.") {
			continue
		}
		// Of is the plan, Value what was spent, so Percent reads
		// "realised of planned".
		f := figure{Key: code, Label: l.label(dataset.AccountName(code)), Of: v, Value: real[code], URL: search(ds, "q", code, "stage", plan)}
		if belanja != 0 {
			f.Share = float64(v) / float64(belanja)
		}
		page.Jenis = append(page.Jenis, f)
	}
	slices.SortFunc(page.Jenis, func(a, b figure) int { return cmp.Compare(a.Key, b.Key) })
	page.Urusan = topFigures(b.Urusan[plan], belanja, 10, func(k string) string {
		if k == "" {
			return l.translate("region.support")
		}
		return l.label(dataset.UrusanName(k))
	}, func(k string) string {
		if k == "" {
			return ""
		}
		return search("budget", "q", k, "stage", plan, dataset.FieldAccountGroup, "belanja")
	}, l)
	page.Agencies = topFigures(b.Agency[plan], belanja, 10, func(k string) string { return k },
		func(k string) string { return search("budget", "agency_name", k, "stage", plan) }, l)
	if reg.Population > 0 {
		for _, g := range []string{"belanja", "pendapatan"} {
			page.PerCapita = append(page.PerCapita, figure{Key: g, Label: l.label(dataset.AccountName(groupCode(g))),
				Value: perResident(b.Group[plan][g], reg.Population)})
		}
	}
}

// perResident divides sen by residents, in whole rupiah: sen per
// resident would be false precision.
func perResident(sen, residents int64) int64 { return sen / residents / 100 * 100 }

// groupCode is the account code of an account group.
func groupCode(g string) string {
	switch g {
	case "pendapatan":
		return "4"
	case "belanja":
		return "5"
	}
	return "6"
}

// topFigures turns sums by key into the n largest figures and one row for
// the rest.
func topFigures(m map[string]int64, total int64, n int, label, link func(string) string, l lang) []figure {
	var out []figure
	for k, v := range m {
		out = append(out, figure{Key: k, Label: label(k), Value: v, URL: link(k)})
	}
	slices.SortFunc(out, func(a, b figure) int {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	if len(out) > n {
		rest := figure{Key: "_other", Label: l.translate("region.other")}
		for _, f := range out[n:] {
			rest.Value += f.Value
		}
		out = append(out[:n], rest)
	}
	for i := range out {
		if total != 0 {
			out[i].Share = float64(out[i].Value) / float64(total)
		}
	}
	return out
}

func (s *Server) procurementFigures(page *regionPage, l lang, r *http.Request, p *summary.Procurement, search func(string, ...string) string) {
	page.Procurement = p.Total
	page.DirectShare = p.DirectShare()
	tallies := func(m map[string]*summary.Tally, field string, order []string) []figure {
		var out []figure
		for _, k := range order {
			t := m[k]
			if t == nil {
				continue
			}
			f := figure{Key: k, Label: k, Value: t.Ceiling, Of: t.Count, URL: search("procurement", field, k)}
			if p.Total.Ceiling != 0 {
				f.Share = float64(t.Ceiling) / float64(p.Total.Ceiling)
			}
			out = append(out, f)
		}
		return out
	}
	page.Methods = tallies(p.Method, "method", dataset.ProcurementMethods)
	page.Categories = tallies(p.Category, "category", dataset.ProcurementCategories)
	for _, sup := range p.TopSuppliers(10) {
		f := figure{Key: sup.Name, Label: sup.Name, Value: sup.Contract, Of: sup.Count, URL: search("procurement", "supplier_name", sup.Name)}
		if p.Total.Contract != 0 {
			f.Share = float64(sup.Contract) / float64(p.Total.Contract)
		}
		page.Suppliers = append(page.Suppliers, f)
	}
	for _, c := range p.Largest {
		page.Largest = append(page.Largest, contractRow{Contract: c, URL: recordURL(r, "procurement", c.Region, c.Year, c.ID),
			SupplierURL: search("procurement", "supplier_name", c.Supplier)})
	}
	for _, f := range dataset.ProcurementFlags {
		if t := p.Flag[f]; t != nil {
			page.Flags = append(page.Flags, figure{Key: f, Label: flagName(l, f), Of: t.Count, Value: t.Ceiling,
				Share: float64(t.Count) / float64(p.Total.Count), URL: search("procurement", dataset.FieldFlag, f)})
		}
	}
	for agency, t := range p.Flagged {
		all := p.Agency[agency]
		page.FlagAgencies = append(page.FlagAgencies, figure{Key: agency, Label: agency, Of: t.Count, Value: all.Count,
			Share: float64(t.Count) / float64(all.Count), URL: search("procurement", "agency_name", agency)})
	}
	slices.SortFunc(page.FlagAgencies, func(a, b figure) int {
		return cmp.Or(cmp.Compare(b.Of, a.Of), cmp.Compare(b.Share, a.Share), cmp.Compare(a.Key, b.Key))
	})
	page.FlagAgencies = page.FlagAgencies[:min(len(page.FlagAgencies), 10)]
}

func levyFigures(page *regionPage, l lang, rv *summary.Revenue, search func(string, ...string) string) {
	codes := make([]string, 0, len(rv.Types))
	for c := range rv.Types {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b string) int {
		ta, tb := rv.Types[a], rv.Types[b]
		if c := cmp.Compare(ta.Kind, tb.Kind); c != 0 {
			return c
		}
		if c := cmp.Compare(tb.Target, ta.Target); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for _, c := range codes {
		t := rv.Types[c]
		page.Levies = append(page.Levies, figure{Key: c, Label: t.Name, Value: t.Realized, Of: t.Target, URL: search("revenue", "type_code", c)})
	}
	pajak, retribusi := rv.Kind("pajak"), rv.Kind("retribusi")
	months := max(pajak.Months, retribusi.Months)
	var cum int64
	for m := 1; m <= months; m++ {
		cum += pajak.Monthly[m] + retribusi.Monthly[m]
		page.Months = append(page.Months, monthRow{Month: m, Name: monthNames[l][m], Pajak: pajak.Monthly[m], Retribusi: retribusi.Monthly[m], Cumulative: cum})
	}
	page.RevenueShown = len(codes) > 0
}

// memberRows compares a province's regencies and cities in one year.
func (s *Server) memberRows(r *http.Request, page *regionPage, live *publisher.Manifest, prov *dataset.Region, year int) error {
	published := map[string]bool{}
	latest := map[string]int{}
	for _, p := range live.Partitions {
		if p.Year == year {
			published[p.Region] = true
		}
		latest[p.Region] = max(latest[p.Region], p.Year)
	}
	for _, child := range s.cfg.Regions.Children(prov.Code) {
		row := memberRow{Region: child, URL: regionURL(r, child.Code, year), Population: child.Population, Published: published[child.Code]}
		if row.Published {
			page.MembersPublished++
		} else {
			row.MissingYear = latest[child.Code] > 0
			page.Members = append(page.Members, row)
			continue
		}
		sum, err := s.sums.Sum(r.Context(), live, func(p publisher.Partition) bool { return p.Year == year && p.Region == child.Code })
		if err != nil {
			return err
		}
		row.totals = totalsOf(sum)
		if row.HasBudget && child.Population > 0 {
			row.PerCapita = perResident(row.Belanja, child.Population)
		}
		page.Members = append(page.Members, row)
	}
	// Those that published first, the largest spenders at the top.
	slices.SortStableFunc(page.Members, func(a, b memberRow) int {
		if a.Published != b.Published {
			if a.Published {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Belanja, a.Belanja)
	})
	return nil
}

// regionURL links to a region's profile in a year, keeping the language.
func regionURL(r *http.Request, code string, year int) string {
	u := "/wilayah/" + url.PathEscape(code) + "?tahun=" + strconv.Itoa(year)
	return u + langSuffix(r, "&")
}

// recordURL links to one record's page.
func recordURL(r *http.Request, ds, region string, year int, id string) string {
	return recordPath(ds, region, year, id, langOf(r))
}

func recordPath(ds, region string, year int, id string, l lang) string {
	return fmt.Sprintf("/data/%s/%s/%d/%s", ds, url.PathEscape(region), year, url.PathEscape(id)) + l.query("?")
}

// langSuffix is the request's language as a query parameter after sep.
func langSuffix(r *http.Request, sep string) string { return langOf(r).query(sep) }

// searchURL lists the records of a dataset in a region and year sharing
// field values given as pairs, in the reader's language.
func searchURL(l lang, ds, region string, year int, kv ...string) string {
	v := url.Values{"dataset": {ds}, "region": {region}, "year": {strconv.Itoa(year)}}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if l == langEN {
		v.Set("lang", "en")
	}
	return "/search?" + v.Encode()
}

package site

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/search"
)

// facetParam maps a facet field to the URL parameter that filters by it.
func facetParam(field string) string {
	switch field {
	case dataset.FieldProvinceCode:
		return "province"
	case dataset.FieldRegionCode:
		return "region"
	case dataset.FieldFiscalYear:
		return "year"
	}
	return field
}

// bucketURL selects an amount bucket: its bounds become min and max (the
// bucket's upper bound is exclusive, the max parameter inclusive).
func bucketURL(v url.Values, fv search.FacetValue) string {
	n := url.Values{}
	for k, vs := range v {
		if k != "page" && k != "min" && k != "max" && k != "after" {
			n[k] = vs
		}
	}
	if fv.Min != nil {
		n.Set("min", dataset.FormatMoney(*fv.Min))
	}
	if fv.Max != nil {
		n.Set("max", dataset.FormatMoney(*fv.Max-1))
	}
	return "/search?" + n.Encode()
}

// searchView is the search page's model.
type searchView struct {
	Query    search.Query
	Result   *search.Result
	Hits     []hitView
	Facets   []facetView
	Page     int
	Pages    int
	PrevURL  string
	NextURL  string
	JSONURL  string
	CSVURL   string
	Chips    []chip
	Active   bool // any filter set
	ClearURL string
	Sorts    []sortOption
	// SuggestURL searches Result.Suggestion with the same filters.
	SuggestURL string
}

// sortOption is one choice of the sort menu.
type sortOption struct {
	Value, Key string
	Selected   bool
}

// sortOptions lists the orders users can pick, the current one selected;
// a dataset with a second amount (a package's contract value) adds it.
func sortOptions(current, ds string) []sortOption {
	opts := []sortOption{{"", "sort.relevance", false}, {"-amount", "sort.amount_desc", false}, {"amount", "sort.amount_asc", false}}
	if sc, err := dataset.Lookup(ds); err == nil && sc.Value != "" {
		opts = append(opts, sortOption{"-value", "sort.value_desc." + sc.Name, false}, sortOption{"value", "sort.value_asc." + sc.Name, false})
	}
	opts = append(opts, sortOption{"-date", "sort.date_desc", false}, sortOption{"date", "sort.date_asc", false})
	for i := range opts {
		opts[i].Selected = opts[i].Value == current
	}
	return opts
}

type hitView struct {
	search.Hit
	DatasetLabel dataset.Label
	// TitleHTML is the title with the query's words marked.
	TitleHTML template.HTML
	Details   []detail
	// URL is the record's own page.
	URL string
	// Stages are a budget line's stages, the lead one (whose amount the
	// hit shows) marked.
	Stages []stageView
}

// stageView is one stage of a budget line, linked to its record.
type stageView struct {
	Label  dataset.Label
	Amount int64
	Valid  bool
	URL    string
	Lead   bool
}

// stageViews lists a line's stages for a page in language l; lead is the
// record the page or hit is about.
func stageViews(l lang, h search.Hit, sts []search.Stage, lead string) []stageView {
	var out []stageView
	for _, st := range sts {
		label, ok := stageLabels[st.Stage]
		if !ok {
			label = dataset.Label{ID: st.Stage, EN: st.Stage}
		}
		out = append(out, stageView{Label: label, Amount: st.Amount, Valid: st.Valid,
			URL: recordPath(h.Dataset, h.Region, h.Year, st.ID, l), Lead: st.ID == lead})
	}
	return out
}

type detail struct {
	Label dataset.Label
	Value template.HTML
}

// markedValue returns a field's snippet, where search marked the query's
// words (HTML-escaped, <mark> its only markup), or the value escaped.
func markedValue(h search.Hit, field, plain string) template.HTML {
	if fs := h.Fragments[field]; len(fs) > 0 {
		return template.HTML(fs[0])
	}
	return template.HTML(template.HTMLEscapeString(plain))
}

// shownValue is a hit's field as the page shows it: text with the query's
// words marked; money, dates and times written for people, never the
// exact decimals and RFC 3339 the API gives.
func shownValue(l lang, h search.Hit, f *dataset.Field) template.HTML {
	if u := supplierURL(l, h.Fields["supplier_tax_id"]); f.Name == "supplier_name" && u != "" {
		return template.HTML(`<a href="`+template.HTMLEscapeString(u)+`">`) + markedValue(h, f.Name, h.Fields[f.Name]) + "</a>"
	}
	if f.Name == dataset.FieldFlag {
		return template.HTML(template.HTMLEscapeString(flagList(l, h.Fields[f.Name])))
	}
	return markedValue(h, f.Name, formattedText(l, f, h.Fields[f.Name]))
}

type facetView struct {
	Field  string
	Param  string
	Label  string
	Values []facetValueView
}

type facetValueView struct {
	Label    string
	Count    int
	URL      string
	Selected bool
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q, err := queryFromURL(v)
	if err != nil {
		return err
	}
	res, err := s.cfg.Index.Search(r.Context(), q)
	if err != nil {
		return err
	}
	l := langOf(r)
	view := searchView{Query: q, Result: res, Page: q.From/q.Size + 1, Sorts: sortOptions(q.Sort, q.Dataset)}
	view.Pages = int((res.Total + uint64(q.Size) - 1) / uint64(q.Size))
	for _, h := range res.Hits {
		view.Hits = append(view.Hits, s.hitView(l, h))
	}
	for _, f := range res.Facets {
		view.Facets = append(view.Facets, s.facetView(l, v, f))
	}
	if view.Page > 1 {
		view.PrevURL = withParam(v, "page", strconv.Itoa(view.Page-1))
	}
	if view.Page < view.Pages && q.From+2*q.Size <= 10000 {
		view.NextURL = withParam(v, "page", strconv.Itoa(view.Page+1))
	}
	api := url.URL{Path: "/api/v1/search", RawQuery: v.Encode()}
	view.JSONURL = api.String()
	clear := url.Values{}
	for _, keep := range []string{"q", "lang"} {
		if val := v.Get(keep); val != "" {
			clear.Set(keep, val)
		}
	}
	view.ClearURL = "/search?" + clear.Encode()
	for key := range v {
		if key != "q" && key != "page" && key != "lang" {
			view.Active = true
		}
	}
	csvURL := url.URL{Path: "/search.csv", RawQuery: v.Encode()}
	view.CSVURL = csvURL.String()
	view.Chips = s.chips(l, v)
	if res.Suggestion != "" {
		view.SuggestURL = withParam(v, "q", res.Suggestion)
	}
	title := l.translate("nav.search")
	if q.Text != "" {
		title = q.Text + " – " + title
	}
	s.render(w, r, http.StatusOK, "search", title, view)
	return nil
}

// chip is an active filter, shown with a link that removes it.
type chip struct {
	Label, Value, RemoveURL string
}

// chipParams are the parameters shown as chips, in this order; facet
// filters follow.
var chipParams = []string{"dataset", "province", "region", "year", "min", "max", "date_from", "date_to"}

func (s *Server) chips(l lang, v url.Values) []chip {
	var out []chip
	add := func(param, field, label string) {
		val := v.Get(param)
		if val == "" {
			return
		}
		out = append(out, chip{Label: label, Value: s.valueLabel(l, field, val), RemoveURL: withParam(v, param, "")})
	}
	fields := map[string]string{"province": dataset.FieldProvinceCode, "region": dataset.FieldRegionCode, "year": dataset.FieldFiscalYear}
	for _, p := range chipParams {
		field := cmp.Or(fields[p], p)
		label := s.facetLabel(l, field)
		if m, ok := messages["filter."+p]; ok {
			label = m[l]
		}
		add(p, field, label)
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		if isFilterField(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		add(k, k, s.facetLabel(l, k))
	}
	return out
}

func (s *Server) hitView(l lang, h search.Hit) hitView {
	hv := hitView{Hit: h, TitleHTML: template.HTML(template.HTMLEscapeString(h.Title)), URL: recordPath(h.Dataset, h.Region, h.Year, h.ID, l)}
	sc, err := dataset.Lookup(h.Dataset)
	if err != nil {
		return hv
	}
	hv.DatasetLabel = sc.Label
	if len(h.Stages) > 1 {
		hv.Stages = stageViews(l, h, h.Stages, h.ID)
	}
	hv.TitleHTML = markedValue(h, sc.Title, h.Title)
	if h.Title == "" {
		// Some official exports carry no package name (LKPP's tender
		// results); the record still needs a heading to be clicked.
		hv.TitleHTML = template.HTML(template.HTMLEscapeString(l.translate("hit.untitled")))
	}
	for i := range sc.Fields {
		f := &sc.Fields[i]
		if val, ok := h.Fields[f.Name]; ok && val != "" && f.Name != sc.Title && f.Name != sc.Amount {
			hv.Details = append(hv.Details, detail{Label: f.Label, Value: shownValue(l, h, f)})
		}
	}
	return hv
}

func (s *Server) facetView(l lang, v url.Values, f search.Facet) facetView {
	param := facetParam(f.Field)
	fv := facetView{Field: f.Field, Param: param, Label: s.facetLabel(l, f.Field)}
	if f.Field == "amount_range" {
		for _, val := range f.Values {
			selected := v.Get("min") == optMoney(val.Min) && v.Get("max") == optMoney(val.Max, -1)
			link := bucketURL(v, val)
			if selected {
				link = "/search?" + withoutParams(v, "min", "max", "page").Encode()
			}
			fv.Values = append(fv.Values, facetValueView{Label: bucketLabel(l, val), Count: val.Count, URL: link, Selected: selected})
		}
		return fv
	}
	for _, val := range f.Values {
		selected := v.Get(param) == val.Value
		next := withParam(v, param, val.Value)
		if selected {
			next = withParam(v, param, "")
		}
		fv.Values = append(fv.Values, facetValueView{Label: s.valueLabel(l, f.Field, val.Value), Count: val.Count, URL: next, Selected: selected})
	}
	return fv
}

func (s *Server) facetLabel(l lang, field string) string {
	if m, ok := messages["facet."+field]; ok {
		return m[l]
	}
	if f := dataset.FindField(field); f != nil {
		return l.label(f.Label)
	}
	return field
}

// valueLabel turns codes into names people recognise.
func (s *Server) valueLabel(l lang, field, value string) string {
	switch field {
	case "dataset":
		if sc, err := dataset.Lookup(value); err == nil {
			return l.label(sc.Label)
		}
	case dataset.FieldRegionCode, dataset.FieldProvinceCode:
		if reg := s.cfg.Regions.Lookup(value); reg != nil {
			return reg.Name
		}
	case dataset.FieldFlag:
		return flagList(l, value)
	case dataset.FieldBudgetLink:
		if lb, ok := budgetLinkNames[value]; ok {
			return l.label(lb)
		}
	}
	return value
}

// optMoney formats an optional bound (plus delta sen) as the URL writes it.
func optMoney(v *int64, delta ...int64) string {
	if v == nil {
		return ""
	}
	n := *v
	for _, d := range delta {
		n += d
	}
	return dataset.FormatMoney(n)
}

// bucketLabel reads an amount bucket the way people say it.
func bucketLabel(l lang, fv search.FacetValue) string {
	switch {
	case fv.Min == nil:
		return "< " + rupiahShort(l, *fv.Max)
	case fv.Max == nil:
		return "> " + rupiahShort(l, *fv.Min)
	}
	return rupiahShort(l, *fv.Min) + " – " + rupiahShort(l, *fv.Max)
}

// withoutParams returns v without the named parameters.
func withoutParams(v url.Values, names ...string) url.Values {
	n := url.Values{}
	for k, vs := range v {
		if !slices.Contains(names, k) {
			n[k] = vs
		}
	}
	return n
}

// withParam returns a /search URL with param set to value (removed when
// value is empty), always going back to the first page.
func withParam(v url.Values, param, value string) string {
	n := url.Values{}
	for k, vs := range v {
		if k != "page" || param == "page" {
			n[k] = vs
		}
	}
	if value == "" {
		n.Del(param)
	} else {
		n.Set(param, value)
	}
	return "/search?" + n.Encode()
}

// templateFuncs are the functions templates call. Figures and times take
// the page's language first: {{rupiahShort $l .Value}}, {{number $l .Rows}},
// {{waktu $l .Received}}; rfc3339 is for datetime attributes.
var templateFuncs = template.FuncMap{
	"t":           func(l lang, key string) string { return l.translate(key) },
	"label":       func(l lang, lb dataset.Label) string { return l.label(lb) },
	"rupiah":      rupiah,
	"rupiahShort": rupiahShort,
	"number":      numberAny,
	"waktu":       waktu,
	"rfc3339":     func(t time.Time) string { return t.In(dataset.WIB).Format(time.RFC3339) },
	"code":        func(l lang) string { return l.code() },
	"inc":         func(n int) int { return n + 1 },
	"dict":        dict,
	"list":        func(xs ...string) []string { return xs },
	"langq":       func(l lang, sep string) string { return l.query(sep) },
	"pct":         percent,
	"ratio":       ratio,
}

// dict builds a map from alternating keys and values, so a template can
// range over several tables that share one layout.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// numberAny is number for templates, which hold counts of several types.
func numberAny(l lang, n any) string {
	switch v := n.(type) {
	case int:
		return number(l, v)
	case int64:
		return number(l, v)
	case uint64:
		return number(l, v)
	}
	return ""
}

// apiResponse is the JSON shape of /api/v1/search.
type apiResponse struct {
	Total uint64 `json:"total"`
	// TotalAllWords counts the results holding every word of q; those
	// after them (match "partial") hold most of the words.
	TotalAllWords uint64 `json:"total_all_words"`
	// Suggestion is q with words no record holds replaced by near ones
	// that records do, when no record holds every word.
	Suggestion string `json:"suggestion,omitempty"`
	// Next continues after this page: pass it back as ?after=.
	Next    string                     `json:"next,omitempty"`
	Results []apiHit                   `json:"results"`
	Facets  map[string][]apiFacetValue `json:"facets"`
	TookMS  float64                    `json:"took_ms"`
	// Rebuilding says the index is still being built, so the results may
	// be incomplete; Notice says so in both languages.
	Rebuilding bool           `json:"rebuilding,omitempty"`
	Notice     *dataset.Label `json:"notice,omitempty"`
}

type apiHit struct {
	ID         string  `json:"id"`
	Dataset    string  `json:"dataset"`
	Score      float64 `json:"score"`
	Title      string  `json:"title"`
	Amount     string  `json:"amount"`
	Region     string  `json:"region_code"`
	RegionName string  `json:"region_name"`
	Year       int     `json:"fiscal_year"`
	// Match is "all" when the record holds every word of q, "partial"
	// when it holds most of them.
	Match  string            `json:"match"`
	Fields map[string]string `json:"fields"`
	// Highlights holds, per text field that has the query's words, a
	// snippet of it: HTML-escaped, the words in <mark>.
	Highlights map[string]string `json:"highlights,omitempty"`
	// Stages lists a budget line's stages, each with its own record:
	// the hit is the line's lead stage.
	Stages []apiStage `json:"stages,omitempty"`
}

type apiStage struct {
	Stage  string  `json:"stage"`
	ID     string  `json:"id"`
	Amount *string `json:"amount"`
}

type apiFacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	// Min and Max bound an amount bucket in rupiah, as ?min= and ?max=.
	Min string `json:"min,omitempty"`
	Max string `json:"max,omitempty"`
}

func apiResult(res *search.Result) apiResponse {
	out := apiResponse{Total: res.Total, TotalAllWords: res.AllWords, Suggestion: res.Suggestion, Next: res.Next, Results: []apiHit{}, Facets: map[string][]apiFacetValue{}, TookMS: float64(res.Took.Microseconds()) / 1000}
	for _, h := range res.Hits {
		ah := apiHit{ID: h.ID, Dataset: h.Dataset, Score: h.Score, Title: h.Title,
			Amount: dataset.FormatMoney(h.Amount), Region: h.Region, RegionName: h.RegionName, Year: h.Year, Match: "all", Fields: h.Fields}
		if h.Partial {
			ah.Match = "partial"
		}
		for f, fs := range h.Fragments {
			if ah.Highlights == nil {
				ah.Highlights = map[string]string{}
			}
			ah.Highlights[f] = fs[0]
		}
		for _, st := range h.Stages {
			as := apiStage{Stage: st.Stage, ID: st.ID}
			if st.Valid {
				as.Amount = new(dataset.FormatMoney(st.Amount))
			}
			ah.Stages = append(ah.Stages, as)
		}
		out.Results = append(out.Results, ah)
	}
	for _, f := range res.Facets {
		vals := []apiFacetValue{}
		for _, v := range f.Values {
			vals = append(vals, apiFacetValue{Value: v.Value, Count: v.Count, Min: optMoney(v.Min), Max: optMoney(v.Max, -1)})
		}
		out.Facets[f.Field] = vals
	}
	return out
}

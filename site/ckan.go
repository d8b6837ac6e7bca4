package site

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
)

// A subset of CKAN's Action API (/api/3/action/…), in CKAN's response
// shape, so that CKAN clients and harvesters (Satu Data Indonesia's among
// them) read Terbuka as they read a CKAN portal. A package is a dataset
// (budget, budget_accounts, procurement, revenue); its resources are the
// live release's partition files.

const ckanHelp = "https://docs.ckan.org/en/2.10/api/"

// ckanActions are the actions served.
var ckanActions = map[string]func(*Server, *http.Request) (any, error){
	"package_list":     (*Server).ckanPackageList,
	"package_show":     (*Server).ckanPackageShow,
	"package_search":   (*Server).ckanPackageSearch,
	"resource_show":    (*Server).ckanResourceShow,
	"datastore_search": (*Server).ckanDatastoreSearch,
}

// handleCKAN answers /api/3/action/{action} as CKAN does: 200 with
// {"help","success":true,"result"}, or an error status with
// {"help","success":false,"error":{"__type","message","message_id"}}
// (message in English, as CKAN clients show it; message_id in Indonesian).
func (s *Server) handleCKAN(w http.ResponseWriter, r *http.Request) error {
	name := mux.Vars(r)["action"]
	help := ckanHelp + "#ckan.logic.action.get." + name
	action, ok := ckanActions[name]
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]any{"help": help, "success": false, "error": map[string]any{"__type": "Bad request - Action name not known",
			"message": fmt.Sprintf("Action name not known: %s", name), "message_id": fmt.Sprintf("aksi tidak dikenal: %s", name)}})
		return nil
	}
	result, err := action(s, r)
	if err == nil {
		writeJSON(w, http.StatusOK, map[string]any{"help": help, "success": true, "result": result})
		return nil
	}
	// Errors as CKAN words them (its types, 409 for validation), with the
	// message a user may read; the cause goes to the log only.
	status := statusOf(err)
	s.logError(r, status, err)
	typ := "Internal Server Error"
	switch {
	case status == http.StatusNotFound:
		typ = "Not Found Error"
	case status < 500:
		typ, status = "Validation Error", http.StatusConflict
	}
	m := publicMessage(err, status)
	setRetryAfter(w, err)
	writeJSON(w, status, map[string]any{"help": help, "success": false, "error": map[string]any{"__type": typ, "message": m.EN, "message_id": m.ID}})
	return nil
}

func (s *Server) ckanPackageList(*http.Request) (any, error) {
	var names []string
	for _, sc := range dataset.All() {
		names = append(names, sc.Name)
	}
	return names, nil
}

// ckanPackage is a dataset as a CKAN package.
func (s *Server) ckanPackage(r *http.Request, sc *dataset.Schema) (map[string]any, error) {
	resources := []any{}
	live, err := s.cfg.Publisher.Current(r.Context())
	if err != nil && !errors.Is(err, dataset.ErrNotFound) {
		return nil, err
	}
	if live != nil {
		for _, p := range live.Partitions {
			if p.Dataset == sc.Name {
				for _, format := range []string{"parquet", "csv.gz"} {
					resources = append(resources, s.ckanResource(r, live, p, format))
				}
			}
		}
	}
	pkg := map[string]any{
		"id": sc.Name, "name": sc.Name, "title": sc.Label.ID, "notes": sc.Description.ID + "\n\n" + sc.Description.EN,
		"license_id": "cc-by", "license_title": "Creative Commons Attribution", "type": "dataset", "state": "active", "private": false,
		"tags":      []any{map[string]any{"name": sc.Name}, map[string]any{"name": "keuangan-daerah"}},
		"resources": resources, "num_resources": len(resources), "num_tags": 2,
		"organization": map[string]any{"name": "terbuka", "title": "Terbuka"},
	}
	if live != nil {
		pkg["metadata_modified"] = live.Created.UTC().Format("2006-01-02T15:04:05")
		pkg["version"] = live.ID
	}
	return pkg, nil
}

// ckanResource is one partition file as a CKAN resource.
func (s *Server) ckanResource(r *http.Request, m *publisher.Manifest, p publisher.Partition, format string) map[string]any {
	id := fmt.Sprintf("%s-%s-%d-%s", p.Dataset, p.Region, p.Year, strings.TrimSuffix(format, ".gz"))
	res := map[string]any{
		"id": id, "package_id": p.Dataset, "name": fmt.Sprintf("%s %d (%s)", s.regionName(p.Region), p.Year, format),
		"format": strings.ToUpper(strings.TrimSuffix(format, ".gz")), "url": s.baseURL(r) + "/downloads/" + m.ID + "/" + p.Dataset + "/" + p.Region + "/" + strconv.Itoa(p.Year) + "." + format,
		"last_modified": p.Published.UTC().Format("2006-01-02T15:04:05"), "state": "active", "datastore_active": true,
	}
	if format == "parquet" {
		res["hash"], res["size"] = "sha256:"+p.SHA256, p.Bytes
	}
	return res
}

func (s *Server) schemaParam(r *http.Request, key string) (*dataset.Schema, error) {
	name := r.URL.Query().Get(key)
	sc, err := dataset.Lookup(name)
	if err != nil {
		known := strings.Join(dataset.Names(), ", ")
		return nil, notFound(dataset.Label{ID: fmt.Sprintf("paket %q tidak ada (%s)", name, known), EN: fmt.Sprintf("no package %q (%s)", name, known)})
	}
	return sc, nil
}

func (s *Server) ckanPackageShow(r *http.Request) (any, error) {
	sc, err := s.schemaParam(r, "id")
	if err != nil {
		return nil, err
	}
	return s.ckanPackage(r, sc)
}

// ckanPackageSearch searches the packages' titles and notes for q; fq
// takes name:… and tags:…; rows and start page; facet.field counts tags.
func (s *Server) ckanPackageSearch(r *http.Request) (any, error) {
	v := r.URL.Query()
	rows, err := intParam(v, "rows", 10)
	if err != nil {
		return nil, err
	}
	start, err := intParam(v, "start", 0)
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(v.Get("q")))
	var results []any
	for _, sc := range dataset.All() {
		text := strings.ToLower(sc.Name + " " + sc.Label.ID + " " + sc.Label.EN + " " + sc.Description.ID + " " + sc.Description.EN)
		if q != "" && q != "*:*" && !strings.Contains(text, q) {
			continue
		}
		if fq := v.Get("fq"); fq != "" && !strings.Contains(fq, sc.Name) && !strings.Contains(fq, "keuangan-daerah") {
			continue
		}
		pkg, err := s.ckanPackage(r, sc)
		if err != nil {
			return nil, err
		}
		results = append(results, pkg)
	}
	count := len(results)
	results = results[min(start, count):min(start+rows, count)]
	facets := map[string]any{}
	var fields []string
	if err := json.Unmarshal([]byte(cmp.Or(v.Get("facet.field"), "[]")), &fields); err != nil {
		return nil, badRequest("facet.field harus daftar JSON nama kolom", "facet.field must be a JSON list of field names")
	}
	searchFacets := map[string]any{}
	for _, f := range fields {
		if f == "tags" {
			facets["tags"] = map[string]int{"keuangan-daerah": count}
			searchFacets["tags"] = map[string]any{"title": "tags", "items": []any{map[string]any{"name": "keuangan-daerah", "display_name": "keuangan-daerah", "count": count}}}
		}
	}
	if results == nil {
		results = []any{}
	}
	return map[string]any{"count": count, "results": results, "facets": facets, "search_facets": searchFacets, "sort": "score desc, metadata_modified desc"}, nil
}

func (s *Server) ckanResourceShow(r *http.Request) (any, error) {
	id := r.URL.Query().Get("id")
	live, err := s.cfg.Publisher.Current(r.Context())
	if err != nil {
		return nil, &userError{status: statusOf(err), msg: dataset.Label{ID: "belum ada rilis", EN: "nothing is published yet"}, err: err}
	}
	for _, p := range live.Partitions {
		for _, format := range []string{"parquet", "csv.gz"} {
			if res := s.ckanResource(r, live, p, format); res["id"] == id {
				return res, nil
			}
		}
	}
	return nil, unknownResource(id)
}

func unknownResource(id string) error {
	return notFound(dataset.Label{ID: fmt.Sprintf("sumber data %q tidak ada", id), EN: fmt.Sprintf("no resource %q", id)})
}

// ckanDatastoreSearch searches the records of a package (resource_id is a
// package name) or of one partition (a resource id), through Terbuka's
// search: q, filters (a JSON object of facet fields), limit (at most 100),
// offset, fields, sort ("amount desc") and include_total.
func (s *Server) ckanDatastoreSearch(r *http.Request) (any, error) {
	v := r.URL.Query()
	resID := v.Get("resource_id")
	q := search.Query{Text: v.Get("q"), Filters: map[string]string{}}
	parts := strings.Split(resID, "-")
	if _, err := dataset.Lookup(parts[0]); err != nil {
		return nil, unknownResource(resID)
	}
	q.Dataset = parts[0]
	if len(parts) >= 3 {
		q.Region = parts[1]
		if q.Year, _ = strconv.Atoi(parts[2]); q.Year == 0 {
			return nil, unknownResource(resID)
		}
	}
	limit, err := intParam(v, "limit", 100)
	if err != nil {
		return nil, err
	}
	offset, err := intParam(v, "offset", 0)
	if err != nil {
		return nil, err
	}
	q.Size, q.From = min(limit, 100), offset
	if f := v.Get("filters"); f != "" {
		var filters map[string]any
		if err := json.Unmarshal([]byte(f), &filters); err != nil {
			return nil, badRequest("filters harus objek JSON", "filters must be a JSON object")
		}
		for k, val := range filters {
			q.Filters[k] = fmt.Sprint(val)
		}
		// Place and year are Query fields, not facet filters.
		for k, dst := range map[string]*string{dataset.FieldRegionCode: &q.Region, dataset.FieldProvinceCode: &q.Province} {
			if val, ok := q.Filters[k]; ok {
				*dst = val
				delete(q.Filters, k)
			}
		}
		if val, ok := q.Filters[dataset.FieldFiscalYear]; ok {
			q.Year, _ = strconv.Atoi(val)
			delete(q.Filters, dataset.FieldFiscalYear)
		}
	}
	if sort := strings.Fields(v.Get("sort")); len(sort) > 0 {
		sc, _ := dataset.Lookup(q.Dataset)
		switch {
		case sort[0] == sc.Amount || sort[0] == "amount":
			q.Sort = "amount"
		case sort[0] == sc.Date || sort[0] == "date":
			q.Sort = "date"
		default:
			return nil, badRequest(fmt.Sprintf("urutan %q tidak didukung (amount, date)", sort[0]), fmt.Sprintf("sort by %q is not supported (amount, date)", sort[0]))
		}
		if len(sort) > 1 && strings.EqualFold(sort[1], "desc") {
			q.Sort = "-" + q.Sort
		}
	}
	res, err := s.cfg.Index.Search(r.Context(), q)
	if err != nil {
		return nil, err
	}
	sc, _ := dataset.Lookup(q.Dataset)
	want := map[string]bool{}
	for _, f := range strings.Split(v.Get("fields"), ",") {
		if f = strings.TrimSpace(f); f != "" {
			want[f] = true
		}
	}
	var fields []any
	fields = append(fields, map[string]any{"id": "_id", "type": "text"})
	for i := range sc.Fields {
		f := &sc.Fields[i]
		include := f.Shown || f.Name == sc.Title || f.Name == sc.Amount
		if len(want) > 0 {
			include = want[f.Name]
		}
		if include {
			fields = append(fields, map[string]any{"id": f.Name, "type": ckanType(f.Type)})
		}
	}
	records := []any{}
	for _, h := range res.Hits {
		values := maps.Clone(h.Fields)
		if values == nil {
			values = map[string]string{}
		}
		values[sc.Title] = h.Title
		values[sc.Amount] = dataset.FormatMoney(h.Amount)
		values[dataset.FieldRegionCode] = h.Region
		values[dataset.FieldRegionName] = h.RegionName
		values[dataset.FieldFiscalYear] = strconv.Itoa(h.Year)
		for _, row := range stageRows(h, values, q.Filters[dataset.FieldStage]) {
			rec := map[string]any{"_id": row.id}
			for _, f := range fields[1:] {
				id := f.(map[string]any)["id"].(string)
				switch val := row.values[id]; {
				case val == "":
					rec[id] = nil
				case f.(map[string]any)["type"] == "numeric" || f.(map[string]any)["type"] == "int":
					rec[id] = json.Number(val)
				default:
					rec[id] = val
				}
			}
			records = append(records, rec)
		}
	}
	out := map[string]any{"resource_id": resID, "fields": fields, "records": records, "limit": q.Size, "offset": q.From,
		"_links": map[string]any{"start": r.URL.RequestURI(), "next": nextLink(r, q.From+q.Size)}}
	if v.Get("include_total") != "false" {
		out["total"] = res.Total
	}
	return out, nil
}

// datastoreRow is one record of a datastore_search answer.
type datastoreRow struct {
	id     string
	values map[string]string
}

// stageRows turns a hit into the records a datastore answers with: the hit
// itself, or for a budget line each of its stages (only stage, when set),
// with the stage's own id and amount and the line's other values, which
// its stages share.
func stageRows(h search.Hit, values map[string]string, stage string) []datastoreRow {
	if len(h.Stages) == 0 {
		return []datastoreRow{{h.ID, values}}
	}
	sc, _ := dataset.Lookup(h.Dataset)
	var out []datastoreRow
	for _, st := range h.Stages {
		if stage != "" && st.Stage != stage {
			continue
		}
		v := maps.Clone(values)
		v[dataset.FieldStage] = st.Stage
		v[sc.Amount] = ""
		if st.Valid {
			v[sc.Amount] = dataset.FormatMoney(st.Amount)
		}
		out = append(out, datastoreRow{st.ID, v})
	}
	return out
}

func ckanType(t dataset.Type) string {
	switch t {
	case dataset.Money:
		return "numeric"
	case dataset.Integer:
		return "int"
	case dataset.Date:
		return "date"
	case dataset.Timestamp:
		return "timestamp"
	}
	return "text"
}

func nextLink(r *http.Request, offset int) string {
	v := r.URL.Query()
	v.Set("offset", strconv.Itoa(offset))
	return r.URL.Path + "?" + v.Encode()
}

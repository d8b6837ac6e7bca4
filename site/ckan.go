package site

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
)

// A subset of CKAN's Action API (/api/3/action/…), in CKAN's response
// shape, so that CKAN clients and harvesters (Satu Data Indonesia's among
// them) read Terbuka as they read a CKAN portal. A package is a dataset
// (budget, budget_accounts, procurement, procurement_bids, revenue); its
// resources are the live release's partition files. An organization is a
// region that has published data: its name is the Kemendagri code, its
// title the region's name.

const ckanHelp = "https://docs.ckan.org/en/2.10/api/"

// ckanActions are the actions served.
var ckanActions = map[string]func(*Server, *http.Request) (any, error){
	"package_list":      (*Server).ckanPackageList,
	"package_show":      (*Server).ckanPackageShow,
	"package_search":    (*Server).ckanPackageSearch,
	"resource_show":     (*Server).ckanResourceShow,
	"datastore_search":  (*Server).ckanDatastoreSearch,
	"organization_list": (*Server).ckanOrganizationList,
	"organization_show": (*Server).ckanOrganizationShow,
	"status_show":       (*Server).ckanStatusShow,
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

// ckanPackage is a dataset as a CKAN package, with the live release's
// partitions as its resources.
func (s *Server) ckanPackage(r *http.Request, sc *dataset.Schema) (map[string]any, error) {
	live, err := s.liveRelease(r)
	if err != nil {
		return nil, err
	}
	return s.ckanPackageOf(r, sc, live, ""), nil
}

// ckanPackageOf is a dataset as a CKAN package in release live (nil before
// the first), its resources the partitions of region, or of every region
// when region is "".
func (s *Server) ckanPackageOf(r *http.Request, sc *dataset.Schema, live *publisher.Manifest, region string) map[string]any {
	resources := []any{}
	if live != nil {
		for _, p := range live.Partitions {
			if p.Dataset == sc.Name && (region == "" || p.Region == region) {
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
	if region != "" {
		// Seen from a region's organization, the package is its part.
		pkg["organization"] = map[string]any{"name": region, "title": s.regionName(region)}
	}
	if live != nil {
		pkg["metadata_modified"] = live.Created.UTC().Format("2006-01-02T15:04:05")
		pkg["version"] = live.ID
	}
	return pkg
}

// ckanResource is one partition file as a CKAN resource.
func (s *Server) ckanResource(r *http.Request, m *publisher.Manifest, p publisher.Partition, format string) map[string]any {
	id := fmt.Sprintf("%s-%s-%d-%s", p.Dataset, p.Region, p.Year, strings.TrimSuffix(format, ".gz"))
	res := map[string]any{
		"id": id, "package_id": p.Dataset, "name": fmt.Sprintf("%s %d (%s)", s.regionName(p.Region), p.Year, format),
		"format": strings.ToUpper(strings.TrimSuffix(format, ".gz")), "url": s.baseURL(r) + "/downloads/" + m.ID + "/" + p.Dataset + "/" + p.Region + "/" + strconv.Itoa(p.Year) + "." + format,
		"last_modified": p.Published.UTC().Format("2006-01-02T15:04:05"), "state": "active", "datastore_active": inDatastore(p.Dataset),
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
	live, err := s.liveRelease(r)
	if err != nil {
		return nil, err
	}
	var results []any
	for _, sc := range dataset.All() {
		text := strings.ToLower(sc.Name + " " + sc.Label.ID + " " + sc.Label.EN + " " + sc.Description.ID + " " + sc.Description.EN)
		if q != "" && q != "*:*" && !strings.Contains(text, q) {
			continue
		}
		if fq := v.Get("fq"); fq != "" && !strings.Contains(fq, sc.Name) && !strings.Contains(fq, "keuangan-daerah") {
			continue
		}
		results = append(results, s.ckanPackageOf(r, sc, live, ""))
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
// offset, fields, sort (the dataset's amount or date field, asc or desc)
// and include_total. fields lists every field of the dataset, and records
// hold every value, read from the live release's partitions: the index
// stores only what result lists show.
func (s *Server) ckanDatastoreSearch(r *http.Request) (any, error) {
	v := r.URL.Query()
	resID := v.Get("resource_id")
	parts := strings.Split(resID, "-")
	sc, err := dataset.Lookup(parts[0])
	if err != nil {
		return nil, unknownResource(resID)
	}
	if sc.Detail {
		return nil, notInDatastore(sc)
	}
	q := search.Query{Dataset: sc.Name, Text: v.Get("q"), Filters: map[string]string{}}
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
	if q.Sort, err = datastoreSort(sc, v.Get("sort")); err != nil {
		return nil, err
	}
	fields, err := datastoreFields(sc, v.Get("fields"))
	if err != nil {
		return nil, err
	}
	res, err := s.cfg.Index.Search(r.Context(), q)
	if err != nil {
		return nil, err
	}
	var rows []datastoreRow
	var refs []recordRef
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
			rows = append(rows, row)
			refs = append(refs, recordRef{dataset: h.Dataset, region: h.Region, year: h.Year, id: row.id})
		}
	}
	live, err := s.liveRelease(r)
	if err != nil {
		return nil, err
	}
	full, err := s.fullRecords(r.Context(), live, refs)
	if err != nil {
		return nil, err
	}
	records := []any{}
	for _, row := range rows {
		rec := map[string]any{"_id": row.id}
		whole, ok := full[row.id]
		for _, f := range fields[1:] {
			id := f["id"].(string)
			if ok {
				rec[id] = datastoreValue(sc.Field(id), whole[sc.Index(id)])
				continue
			}
			// A record the live release does not hold (the index is
			// a moment behind it): what the index has of it.
			switch val := row.values[id]; {
			case val == "":
				rec[id] = nil
			case f["type"] == "numeric" || f["type"] == "int":
				rec[id] = json.Number(val)
			default:
				rec[id] = val
			}
		}
		records = append(records, rec)
	}
	out := map[string]any{"resource_id": resID, "fields": fields, "records": records, "limit": q.Size, "offset": q.From,
		"_links": map[string]any{"start": r.URL.RequestURI(), "next": nextLink(r, q.From+q.Size)}}
	if v.Get("include_total") != "false" {
		out["total"] = res.Total
	}
	return out, nil
}

// inDatastore says whether datastore_search answers for a dataset's
// resources: every dataset the search holds, not a detail one.
func inDatastore(name string) bool {
	sc, err := dataset.Lookup(name)
	return err == nil && !sc.Detail
}

// notInDatastore refuses datastore_search on a detail dataset, which is
// published and downloaded but not searched.
func notInDatastore(sc *dataset.Schema) error {
	dl := "/downloads/latest/" + sc.Name + ".csv.gz"
	return badRequest(fmt.Sprintf("%s tidak ada di datastore: barisnya merinci rekaman dataset lain dan tidak dicari; unduh seluruhnya di %s atau per wilayah dan tahun", sc.Name, dl),
		fmt.Sprintf("%s is not in the datastore: its rows detail another dataset's records and are not searched; download it whole at %s, or per region and year", sc.Name, dl))
}

// datastoreFields lists the fields of a datastore_search answer: _id, then
// every field of the dataset in schema order with its CKAN type, or, as
// CKAN does, those named in fields (a comma-separated or JSON list) in the
// order named.
func datastoreFields(sc *dataset.Schema, param string) ([]map[string]any, error) {
	var names []string
	if p := strings.TrimSpace(param); strings.HasPrefix(p, "[") {
		if err := json.Unmarshal([]byte(p), &names); err != nil {
			return nil, badRequest("fields harus daftar nama kolom, dipisah koma atau sebagai daftar JSON", "fields must be a list of field names, comma-separated or a JSON list")
		}
	} else {
		names = strings.Split(p, ",")
	}
	var picked, unknown []string
	for _, f := range names {
		switch f = strings.TrimSpace(f); {
		case f == "" || f == "_id" || slices.Contains(picked, f):
		case sc.Field(f) == nil:
			unknown = append(unknown, f)
		default:
			picked = append(picked, f)
		}
	}
	if len(unknown) > 0 {
		known := strings.Join(sc.Names(), ", ")
		return nil, badRequest(fmt.Sprintf("kolom %s tidak ada di %s (%s)", strings.Join(unknown, ", "), sc.Name, known),
			fmt.Sprintf("%s has no field %s (%s)", sc.Name, strings.Join(unknown, ", "), known))
	}
	if len(picked) == 0 {
		picked = sc.Names()
	}
	fields := []map[string]any{{"id": "_id", "type": "text"}}
	for _, name := range picked {
		fields = append(fields, map[string]any{"id": name, "type": ckanType(sc.Field(name).Type)})
	}
	return fields, nil
}

// datastoreValue is a value of a record as datastore_search writes it:
// money and whole numbers as exact JSON numbers, the rest as text, null
// when absent.
func datastoreValue(f *dataset.Field, v dataset.Value) any {
	switch {
	case !v.Valid:
		return nil
	case f.Type == dataset.Money || f.Type == dataset.Integer:
		return json.Number(f.Format(v))
	}
	return f.Format(v)
}

// datastoreSort maps datastore_search's sort ("budget_ceiling desc") to
// the search's: it sorts by the dataset's amount field or its date field
// (search.Query.Sort), ascending unless desc; "amount" and "date" name
// them in any dataset. Any other field is refused, naming those it can.
func datastoreSort(sc *dataset.Schema, param string) (string, error) {
	param = strings.TrimSpace(param)
	if param == "" {
		return "", nil
	}
	sortable := []string{sc.Amount}
	if sc.Value != "" {
		sortable = append(sortable, sc.Value)
	}
	if sc.Date != "" {
		sortable = append(sortable, sc.Date)
	}
	can := strings.Join(sortable, ", ")
	keys := strings.Split(param, ",")
	words := strings.Fields(keys[0])
	if len(keys) > 1 || len(words) == 0 || len(words) > 2 {
		return "", badRequest(fmt.Sprintf("sort %q: hanya satu kolom, mis. \"%s desc\" (bisa diurutkan: %s)", param, sc.Amount, can),
			fmt.Sprintf("sort %q: one field only, e.g. \"%s desc\" (sortable: %s)", param, sc.Amount, can))
	}
	var by string
	switch name := words[0]; {
	case name == sc.Amount || name == "amount":
		by = "amount"
	case sc.Value != "" && name == sc.Value:
		by = "value"
	case sc.Date != "" && (name == sc.Date || name == "date"):
		by = "date"
	default:
		return "", badRequest(fmt.Sprintf("urutan menurut %q tidak didukung: %s hanya bisa diurutkan menurut %s (asc atau desc)", name, sc.Name, can),
			fmt.Sprintf("sort by %q is not supported: %s sorts only by %s (asc or desc)", name, sc.Name, can))
	}
	if len(words) == 2 {
		switch strings.ToLower(words[1]) {
		case "asc":
		case "desc":
			by = "-" + by
		default:
			return "", badRequest(fmt.Sprintf("arah urutan %q tidak dikenal (asc, desc)", words[1]), fmt.Sprintf("unknown sort direction %q (asc, desc)", words[1]))
		}
	}
	return by, nil
}

// ckanOrganizations are the regions that have published data in release
// live, each with its partitions, by code.
func ckanOrganizations(live *publisher.Manifest) map[string][]publisher.Partition {
	out := map[string][]publisher.Partition{}
	if live != nil {
		for _, p := range live.Partitions {
			out[p.Region] = append(out[p.Region], p)
		}
	}
	return out
}

// ckanOrganization is a region as a CKAN organization: its code as name,
// its name as title, the datasets it has published as its packages.
func (s *Server) ckanOrganization(code string, parts []publisher.Partition) map[string]any {
	name, kind, province := code, "", ""
	if reg := s.cfg.Regions.Lookup(code); reg != nil {
		name, kind, province = reg.Name, reg.Kind, reg.ProvinceCode
	}
	packages := map[string]bool{}
	var created time.Time
	for _, p := range parts {
		packages[p.Dataset] = true
		if created.IsZero() || p.Published.Before(created) {
			created = p.Published
		}
	}
	desc := fmt.Sprintf("Data keuangan daerah %s (kode wilayah Kemendagri %s) di Terbuka.\n\nRegional public-finance data of %s (Kemendagri region code %s) on Terbuka.", name, code, name, code)
	return map[string]any{
		"id": code, "name": code, "title": name, "display_name": name, "description": desc,
		"type": "organization", "is_organization": true, "state": "active", "approval_status": "approved", "image_url": "",
		"created": created.UTC().Format("2006-01-02T15:04:05"), "package_count": len(packages), "num_followers": 0,
		"extras": []any{map[string]any{"key": "kind", "value": kind}, map[string]any{"key": "province_code", "value": province}},
	}
}

// ckanOrganizationList lists the regions that have published data: their
// codes, or with all_fields=true the organizations themselves; sort (name,
// title or package_count, asc or desc; CKAN's default "title asc"), q (in
// name or title), limit and offset as in CKAN.
func (s *Server) ckanOrganizationList(r *http.Request) (any, error) {
	v := r.URL.Query()
	limit, err := intParam(v, "limit", 1000)
	if err != nil {
		return nil, err
	}
	offset, err := intParam(v, "offset", 0)
	if err != nil {
		return nil, err
	}
	words := strings.Fields(cmp.Or(v.Get("sort"), "title asc"))
	by, desc := words[0], len(words) > 1 && strings.EqualFold(words[1], "desc")
	if !slices.Contains([]string{"name", "title", "package_count"}, by) || len(words) > 2 || len(words) == 2 && !desc && !strings.EqualFold(words[1], "asc") {
		return nil, badRequest(fmt.Sprintf("urutan %q tidak didukung (name, title atau package_count; asc atau desc)", v.Get("sort")),
			fmt.Sprintf("sort %q is not supported (name, title or package_count; asc or desc)", v.Get("sort")))
	}
	live, err := s.liveRelease(r)
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(v.Get("q")))
	var orgs []map[string]any
	for code, parts := range ckanOrganizations(live) {
		org := s.ckanOrganization(code, parts)
		if q == "" || strings.Contains(strings.ToLower(code+" "+org["title"].(string)), q) {
			orgs = append(orgs, org)
		}
	}
	slices.SortFunc(orgs, func(a, b map[string]any) int {
		c := 0
		switch by {
		case "package_count":
			c = cmp.Compare(a[by].(int), b[by].(int))
		default:
			c = strings.Compare(a[by].(string), b[by].(string))
		}
		if desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a["name"].(string), b["name"].(string)))
	})
	orgs = orgs[min(offset, len(orgs)):min(offset+limit, len(orgs))]
	if v.Get("all_fields") == "" || !ckanBool(v.Get("all_fields")) {
		names := []string{}
		for _, o := range orgs {
			names = append(names, o["name"].(string))
		}
		return names, nil
	}
	if orgs == nil {
		orgs = []map[string]any{}
	}
	return orgs, nil
}

// ckanOrganizationShow is one region as an organization, with the
// datasets it has published as packages whose resources are its own
// partitions (include_datasets=false leaves them out). A region that has
// published nothing is not an organization.
func (s *Server) ckanOrganizationShow(r *http.Request) (any, error) {
	code := r.URL.Query().Get("id")
	if code == "" {
		return nil, badRequest("id wajib diisi: kode wilayah, mis. 32.73", "id is required: a region code, e.g. 32.73")
	}
	live, err := s.liveRelease(r)
	if err != nil {
		return nil, err
	}
	parts := ckanOrganizations(live)[code]
	if len(parts) == 0 {
		if reg := s.cfg.Regions.Lookup(code); reg != nil {
			return nil, notFound(dataset.Label{ID: fmt.Sprintf("organisasi %q tidak ada: %s belum menerbitkan data", code, reg.Name), EN: fmt.Sprintf("no organization %q: %s has published no data", code, reg.Name)})
		}
		return nil, notFound(dataset.Label{ID: fmt.Sprintf("organisasi %q tidak ada: bukan kode wilayah yang menerbitkan data", code), EN: fmt.Sprintf("no organization %q: not the code of a region that has published data", code)})
	}
	org := s.ckanOrganization(code, parts)
	if inc := r.URL.Query().Get("include_datasets"); inc == "" || ckanBool(inc) {
		packages := []any{}
		for _, sc := range dataset.All() {
			if slices.ContainsFunc(parts, func(p publisher.Partition) bool { return p.Dataset == sc.Name }) {
				packages = append(packages, s.ckanPackageOf(r, sc, live, code))
			}
		}
		org["packages"] = packages
	}
	org["users"], org["groups"], org["tags"] = []any{}, []any{}, []any{}
	return org, nil
}

// ckanBool reads a CKAN boolean parameter as CKAN's asbool does.
func ckanBool(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "y", "t", "1":
		return true
	}
	return false
}

// ckanStatusShow says what this portal is, in CKAN's words: clients check
// ckan_version and extensions (datastore) before they call the rest.
func (s *Server) ckanStatusShow(r *http.Request) (any, error) {
	return map[string]any{
		"site_title":       "Terbuka",
		"site_description": "Data keuangan daerah yang terbuka: APBD, pengadaan, pajak dan retribusi. Open regional public-finance data.",
		"site_url":         s.baseURL(r),
		"ckan_version":     ckanVersion,
		"locale_default":   "id",
		"error_emails_to":  nil,
		"extensions":       []string{"datastore"},
	}, nil
}

// ckanVersion is the CKAN whose Action API this subset follows.
const ckanVersion = "2.10-compatible (Terbuka)"

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

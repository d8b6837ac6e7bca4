package site

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// Tests of issue 17's complete exports: the CKAN organizations, status
// and whole-record datastore, the search CSV's columns, the download
// sizes on the dataset page, and the OpenAPI document's coverage of the
// API's routes. What they expect comes from the schemas, the region table
// and the fixture feeds, never from the code under test.

// bandungBids is Kota Bandung's tender participants for the fixture's
// tender 4528194: two bids, one of them the winner.
const bandungBids = "tender_id,participant_id,supplier_name,bid_value,winner\n" +
	"4528194,P1,PT Karya Jalan Nusantara,2029932492,1\n" +
	"4528194,P2,PT Beton Priangan,2150000000,0\n"

// exportsEnv is a portal with the fixture feeds published: Kota Bandung's
// budget, procurement and tender participants, Kabupaten Bandung's
// revenue, the index in sync.
func exportsEnv(t *testing.T) *cacheEnv {
	t.Helper()
	e := newCacheEnv(t)
	if status, rep, _ := e.push(t, "dataset=procurement_bids&year=2024", e.bandung, "text/csv", []byte(bandungBids)); status != http.StatusCreated {
		t.Fatalf("push procurement_bids = %d %v", status, rep)
	}
	kab, _, err := e.tokens.Create(t.Context(), "32.04", "BPKAD Kabupaten Bandung")
	if err != nil {
		t.Fatal(err)
	}
	f := fixtureFeeds[2]
	if status, rep, _ := e.push(t, "dataset="+f.meta.Dataset+"&year=2024", kab, "text/csv", []byte(f.csv)); status != http.StatusCreated {
		t.Fatalf("push %s = %d %v", f.meta.Dataset, status, rep)
	}
	e.follow(t)
	return e
}

// ckanAnswer is a CKAN Action API answer.
type ckanAnswer struct {
	status  int
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result"`
	Error   struct {
		Type      string `json:"__type"`
		Message   string `json:"message"`
		MessageID string `json:"message_id"`
	} `json:"error"`
}

func ckanCall(t *testing.T, base, action string) ckanAnswer {
	t.Helper()
	resp, body := get(t, base+"/api/3/action/"+action)
	var a ckanAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%s = %d %s: %v\n%s", action, resp.StatusCode, resp.Header.Get("Content-Type"), err, body)
	}
	a.status = resp.StatusCode
	return a
}

// fixtureRows reads a fixture feed's CSV: its header and rows.
func fixtureRows(t *testing.T, f fixtureFeed) ([]string, [][]string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(f.csv)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[0], rows[1:]
}

// sameValue says whether a published value (text, or a JSON number) is
// the value a feed sent for field f: money compared as an amount, the
// rest as text.
func sameValue(f *dataset.Field, sent string, got any) bool {
	if got == nil {
		return sent == ""
	}
	s := ""
	switch v := got.(type) {
	case string:
		s = v
	case json.Number:
		s = string(v)
	default:
		return false
	}
	if f.Type == dataset.Money {
		a, ok1 := new(big.Rat).SetString(sent)
		b, ok2 := new(big.Rat).SetString(s)
		return ok1 && ok2 && a.Cmp(b) == 0
	}
	return s == sent
}

type datastoreAnswer struct {
	Fields []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"fields"`
	Records []map[string]any `json:"records"`
	Total   int              `json:"total"`
}

func datastoreCall(t *testing.T, base, query string) datastoreAnswer {
	t.Helper()
	a := ckanCall(t, base, "datastore_search?"+query)
	if a.status != http.StatusOK || !a.Success {
		t.Fatalf("datastore_search?%s = %d %+v", query, a.status, a.Error)
	}
	var out datastoreAnswer
	dec := json.NewDecoder(strings.NewReader(string(a.Result)))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantCKANType is the CKAN datastore type of each dataset field type.
var wantCKANType = map[dataset.Type]string{dataset.Text: "text", dataset.Code: "text", dataset.Enum: "text",
	dataset.Money: "numeric", dataset.Integer: "int", dataset.Date: "date", dataset.Timestamp: "timestamp"}

// TestCKANDatastoreWholeRecords: datastore_search lists every field of the
// dataset with its CKAN type and answers every value a feed sent, the
// derived ones too.
func TestCKANDatastoreWholeRecords(t *testing.T) {
	e := exportsEnv(t)
	sc, _ := dataset.Lookup("procurement")
	ans := datastoreCall(t, e.ts.URL, "resource_id=procurement")
	var gotFields, wantFields []string
	for _, f := range ans.Fields {
		gotFields = append(gotFields, f.ID+":"+f.Type)
	}
	wantFields = append(wantFields, "_id:text")
	for _, f := range sc.Fields {
		wantFields = append(wantFields, f.Name+":"+wantCKANType[f.Type])
	}
	if diff := cmp.Diff(wantFields, gotFields); diff != "" {
		t.Errorf("fields (-every field of procurement +answered):\n%s", diff)
	}
	header, rows := fixtureRows(t, fixtureFeeds[1])
	if ans.Total != len(rows) || len(ans.Records) != len(rows) {
		t.Fatalf("%d records of %d, the feed has %d", len(ans.Records), ans.Total, len(rows))
	}
	for _, row := range rows {
		i := slices.IndexFunc(ans.Records, func(r map[string]any) bool { return r["package_id"] == row[0] })
		if i < 0 {
			t.Errorf("no record of package %s", row[0])
			continue
		}
		rec := ans.Records[i]
		if len(rec) != len(sc.Fields)+1 {
			t.Errorf("package %s: %d values, want _id and each of %d fields", row[0], len(rec), len(sc.Fields))
		}
		for j, col := range header {
			if f := sc.Field(col); !sameValue(f, row[j], rec[col]) {
				t.Errorf("package %s: %s = %v, the feed sent %q", row[0], col, rec[col], row[j])
			}
		}
		// Derived fields: the record's own id, the province of its
		// region, the region's name from the region table.
		reg := dataset.LoadRegions().Lookup("32.73")
		if rec["id"] != rec["_id"] || rec[dataset.FieldProvinceCode] != "32" || rec[dataset.FieldRegionName] != reg.Name || rec[dataset.FieldFiscalYear] != json.Number("2024") {
			t.Errorf("package %s: id %v (_id %v), province %v, region name %v, year %v", row[0], rec["id"], rec["_id"], rec[dataset.FieldProvinceCode], rec[dataset.FieldRegionName], rec[dataset.FieldFiscalYear])
		}
	}
	// Tender 4528194 had two bids (bandungBids): its package says so.
	for _, rec := range ans.Records {
		want := any(nil)
		if rec["tender_id"] == "4528194" {
			want = json.Number("2")
		}
		if rec[dataset.FieldBidCount] != want {
			t.Errorf("package %v: bid_count %v, want %v", rec["package_id"], rec[dataset.FieldBidCount], want)
		}
	}

	// fields= picks fields, in the order named, as CKAN does; an unknown
	// one is refused.
	ans = datastoreCall(t, e.ts.URL, "resource_id=procurement&fields="+url.QueryEscape("supplier_name,tender_id"))
	gotFields = nil
	for _, f := range ans.Fields {
		gotFields = append(gotFields, f.ID)
	}
	if diff := cmp.Diff([]string{"_id", "supplier_name", "tender_id"}, gotFields); diff != "" {
		t.Errorf("fields=supplier_name,tender_id (-want +got):\n%s", diff)
	}
	if a := ckanCall(t, e.ts.URL, "datastore_search?resource_id=procurement&fields=nilai"); a.status != http.StatusConflict || !strings.Contains(a.Error.Message, "nilai") {
		t.Errorf("fields=nilai = %d %+v, want 409 naming the field", a.status, a.Error)
	}

	// A budget line's stage, with the line's other values.
	budget, _ := dataset.Lookup("budget")
	ans = datastoreCall(t, e.ts.URL, "resource_id=budget-32.73-2024-parquet&filters="+url.QueryEscape(`{"stage":"murni"}`))
	bh, brows := fixtureRows(t, fixtureFeeds[0])
	if len(ans.Records) != len(brows) {
		t.Fatalf("budget: %d records, the feed has %d", len(ans.Records), len(brows))
	}
	account := slices.Index(bh, dataset.FieldAccountCode)
	for _, row := range brows {
		i := slices.IndexFunc(ans.Records, func(r map[string]any) bool { return r[dataset.FieldAccountCode] == row[account] })
		if i < 0 {
			t.Fatalf("no budget record of account %s", row[account])
		}
		for j, col := range bh {
			if f := budget.Field(col); !sameValue(f, row[j], ans.Records[i][col]) {
				t.Errorf("budget %s: %s = %v, the feed sent %q", row[account], col, ans.Records[i][col], row[j])
			}
		}
		// Account codes 5.… are expenditure (belanja), the schema says.
		if g := ans.Records[i][dataset.FieldAccountGroup]; !strings.HasPrefix(row[account], "5.") || g != dataset.AccountGroups[1] {
			t.Errorf("budget %s: account_group %v, want %s", row[account], g, dataset.AccountGroups[1])
		}
	}
}

// TestCKANDatastoreSort: sort takes the dataset's amount and date fields,
// asc or desc; any other field is refused with a CKAN error naming the
// sortable ones, never a server error.
func TestCKANDatastoreSort(t *testing.T) {
	e := exportsEnv(t)
	_, rows := fixtureRows(t, fixtureFeeds[1])
	// The fixture's packages by budget ceiling (column 6), smallest first.
	slices.SortFunc(rows, func(a, b []string) int {
		x, _ := new(big.Rat).SetString(a[6])
		y, _ := new(big.Rat).SetString(b[6])
		return x.Cmp(y)
	})
	var asc []string
	for _, r := range rows {
		asc = append(asc, r[0])
	}
	desc := slices.Clone(asc)
	slices.Reverse(desc)
	for _, tc := range []struct {
		sort string
		want []string
	}{
		{"budget_ceiling asc", asc},
		{"budget_ceiling", asc},
		{"budget_ceiling desc", desc},
		{"budget_ceiling DESC", desc},
		{"amount desc", desc},
	} {
		ans := datastoreCall(t, e.ts.URL, "resource_id=procurement&sort="+url.QueryEscape(tc.sort))
		var got []string
		for _, r := range ans.Records {
			got = append(got, r["package_id"].(string))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("sort=%s: packages %v, want %v", tc.sort, got, tc.want)
		}
	}
	// The contract value sorts too, packages without one last.
	header, all := fixtureRows(t, fixtureFeeds[1])
	cv := slices.Index(header, "contract_value")
	var byValue []string
	slices.SortStableFunc(all, func(a, b []string) int {
		switch {
		case a[cv] == "" || b[cv] == "":
			return strings.Compare(b[cv], a[cv]) // the empty one after
		}
		x, _ := new(big.Rat).SetString(a[cv])
		y, _ := new(big.Rat).SetString(b[cv])
		return y.Cmp(x)
	})
	for _, r := range all {
		if r[cv] != "" {
			byValue = append(byValue, r[0])
		}
	}
	ans := datastoreCall(t, e.ts.URL, "resource_id=procurement&sort="+url.QueryEscape("contract_value desc"))
	var got []string
	for _, r := range ans.Records[:min(len(byValue), len(ans.Records))] {
		got = append(got, r["package_id"].(string))
	}
	if len(byValue) == 0 || !slices.Equal(got, byValue) {
		t.Errorf("sort=contract_value desc: packages %v first, want %v", got, byValue)
	}
	// The date field sorts, undated records last.
	if ans := datastoreCall(t, e.ts.URL, "resource_id=procurement&sort="+url.QueryEscape("announced_at desc")); len(ans.Records) != len(rows) {
		t.Errorf("sort=announced_at desc: %d records", len(ans.Records))
	}
	for _, tc := range []struct {
		resource, sort string
		names          []string // what the message names as sortable
	}{
		{"procurement", "title asc", []string{"budget_ceiling", "contract_value", "announced_at"}},
		{"procurement", "budget_ceiling sideways", []string{"asc", "desc"}},
		{"procurement", "budget_ceiling desc, announced_at asc", []string{"budget_ceiling", "contract_value", "announced_at"}},
		{"budget", "date desc", []string{"amount"}},
		{"revenue", "target desc", []string{"realized"}},
	} {
		a := ckanCall(t, e.ts.URL, "datastore_search?resource_id="+tc.resource+"&sort="+url.QueryEscape(tc.sort))
		if a.status != http.StatusConflict || a.Success || a.Error.Type != "Validation Error" {
			t.Errorf("%s sort=%s = %d %+v, want 409 Validation Error", tc.resource, tc.sort, a.status, a.Error)
		}
		for _, n := range tc.names {
			if !strings.Contains(a.Error.Message, n) || !strings.Contains(a.Error.MessageID, n) {
				t.Errorf("%s sort=%s: message %q / %q does not name %s", tc.resource, tc.sort, a.Error.Message, a.Error.MessageID, n)
			}
		}
	}
}

// TestCKANDetailDataset: procurement_bids is published but not searched:
// its resources say datastore_active false, and datastore_search on it is
// a clear CKAN error.
func TestCKANDetailDataset(t *testing.T) {
	e := exportsEnv(t)
	live, err := e.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range dataset.All() {
		a := ckanCall(t, e.ts.URL, "package_show?id="+sc.Name)
		var pkg struct {
			Resources []struct {
				ID              string `json:"id"`
				DatastoreActive bool   `json:"datastore_active"`
			} `json:"resources"`
		}
		if err := json.Unmarshal(a.Result, &pkg); err != nil || a.status != http.StatusOK {
			t.Fatalf("package_show %s = %d %v", sc.Name, a.status, err)
		}
		n := 0
		for _, p := range live.Partitions {
			if p.Dataset == sc.Name {
				n += 2 // parquet and csv.gz
			}
		}
		if len(pkg.Resources) != n {
			t.Errorf("%s: %d resources, the release has %d files", sc.Name, len(pkg.Resources), n)
		}
		for _, r := range pkg.Resources {
			if r.DatastoreActive != !sc.Detail {
				t.Errorf("%s resource %s: datastore_active %v", sc.Name, r.ID, r.DatastoreActive)
			}
		}
	}
	for _, id := range []string{"procurement_bids", "procurement_bids-32.73-2024-parquet"} {
		a := ckanCall(t, e.ts.URL, "datastore_search?resource_id="+id)
		if a.status != http.StatusConflict || a.Success || !strings.Contains(a.Error.Message, "procurement_bids") || !strings.Contains(a.Error.Message, "not searched") ||
			!strings.Contains(a.Error.Message, "/downloads/latest/procurement_bids.csv.gz") {
			t.Errorf("datastore_search %s = %d %+v, want 409 saying it is not searched and where to download it", id, a.status, a.Error)
		}
	}
}

// TestCKANOrganizations: one organization per region that has published
// data, named by its code and titled with its name; organization_show
// gives its packages with its own resources.
func TestCKANOrganizations(t *testing.T) {
	e := exportsEnv(t)
	regions := dataset.LoadRegions()
	// What the fixture published: Kota Bandung budget, procurement and
	// bids; Kabupaten Bandung revenue.
	published := map[string][]string{"32.73": {"budget", "procurement", "procurement_bids"}, "32.04": {"revenue"}}
	codes := []string{"32.04", "32.73"}
	slices.SortFunc(codes, func(a, b string) int { return strings.Compare(regions.Lookup(a).Name, regions.Lookup(b).Name) })

	a := ckanCall(t, e.ts.URL, "organization_list")
	var names []string
	if err := json.Unmarshal(a.Result, &names); err != nil || a.status != http.StatusOK {
		t.Fatalf("organization_list = %d %v %s", a.status, err, a.Result)
	}
	if !slices.Equal(names, codes) {
		t.Errorf("organization_list = %v, want %v (by title)", names, codes)
	}
	type org struct {
		Name         string `json:"name"`
		Title        string `json:"title"`
		Type         string `json:"type"`
		IsOrg        bool   `json:"is_organization"`
		PackageCount int    `json:"package_count"`
		Packages     []struct {
			Name      string `json:"name"`
			Resources []struct {
				URL    string `json:"url"`
				Format string `json:"format"`
			} `json:"resources"`
			NumResources int `json:"num_resources"`
		} `json:"packages"`
	}
	var orgs []org
	a = ckanCall(t, e.ts.URL, "organization_list?all_fields=true&sort="+url.QueryEscape("package_count desc"))
	if err := json.Unmarshal(a.Result, &orgs); err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 2 || orgs[0].Name != "32.73" || orgs[1].Name != "32.04" {
		t.Fatalf("organization_list all_fields by package_count desc = %+v", orgs)
	}
	for _, o := range orgs {
		if o.Title != regions.Lookup(o.Name).Name || o.Type != "organization" || !o.IsOrg || o.PackageCount != len(published[o.Name]) || o.Packages != nil {
			t.Errorf("organization %+v, want title %s, %d packages (counted, not listed)", o, regions.Lookup(o.Name).Name, len(published[o.Name]))
		}
	}
	names = nil
	if a := ckanCall(t, e.ts.URL, "organization_list?limit=1&offset=1"); json.Unmarshal(a.Result, &names) != nil || !slices.Equal(names, codes[1:]) {
		t.Errorf("limit=1&offset=1 = %s, want %v", a.Result, codes[1:])
	}

	live, _ := e.pub.Current(t.Context())
	for code, datasets := range published {
		a := ckanCall(t, e.ts.URL, "organization_show?id="+code)
		var o org
		if err := json.Unmarshal(a.Result, &o); err != nil || a.status != http.StatusOK {
			t.Fatalf("organization_show %s = %d %v", code, a.status, err)
		}
		var got []string
		for _, p := range o.Packages {
			got = append(got, p.Name)
			part, ok := live.Partition(publisher.PartitionKey(p.Name, code, 2024))
			if !ok {
				t.Errorf("%s: package %s, which it has not published", code, p.Name)
				continue
			}
			if len(p.Resources) != 2 || p.NumResources != 2 {
				t.Errorf("%s %s: %d resources, want its one partition's parquet and csv.gz", code, p.Name, len(p.Resources))
			}
			for _, r := range p.Resources {
				if !strings.Contains(r.URL, "/downloads/"+live.ID+"/"+part.Dataset+"/"+code+"/2024.") {
					t.Errorf("%s %s: resource %s is not its partition's", code, p.Name, r.URL)
				}
			}
		}
		if !slices.Equal(got, datasets) || o.Title != regions.Lookup(code).Name || o.PackageCount != len(datasets) {
			t.Errorf("organization_show %s: %s, packages %v, want %s %v", code, o.Title, got, regions.Lookup(code).Name, datasets)
		}
	}
	for _, tc := range []struct {
		query  string
		status int
		typ    string
	}{
		{"organization_show?id=99.99", 404, "Not Found Error"},
		{"organization_show?id=11.01", 404, "Not Found Error"}, // a region that has published nothing
		{"organization_show", 409, "Validation Error"},
		{"organization_list?sort=" + url.QueryEscape("population desc"), 409, "Validation Error"},
		{"organization_list?limit=x", 409, "Validation Error"},
	} {
		if a := ckanCall(t, e.ts.URL, tc.query); a.status != tc.status || a.Success || a.Error.Type != tc.typ || a.Error.Message == "" || a.Error.MessageID == "" {
			t.Errorf("%s = %d %+v, want %d %s", tc.query, a.status, a.Error, tc.status, tc.typ)
		}
	}
	if a := ckanCall(t, e.ts.URL, "organization_show?id=11.01"); !strings.Contains(a.Error.Message, regions.Lookup("11.01").Name) {
		t.Errorf("organization_show 11.01: %q does not name the region", a.Error.Message)
	}

	a = ckanCall(t, e.ts.URL, "status_show")
	var st struct {
		SiteTitle   string   `json:"site_title"`
		SiteURL     string   `json:"site_url"`
		CKANVersion string   `json:"ckan_version"`
		Extensions  []string `json:"extensions"`
	}
	if err := json.Unmarshal(a.Result, &st); err != nil || a.status != http.StatusOK {
		t.Fatalf("status_show = %d %v", a.status, err)
	}
	if st.SiteTitle != "Terbuka" || st.SiteURL != e.ts.URL || !strings.HasPrefix(st.CKANVersion, "2.10") || !slices.Contains(st.Extensions, "datastore") {
		t.Errorf("status_show = %+v", st)
	}
}

// TestSearchCSVColumns: narrowed to one dataset, /search.csv has every
// field of the schema in order (then the record's page), with every value
// the feed sent; across datasets, the columns they share.
func TestSearchCSVColumns(t *testing.T) {
	e := exportsEnv(t)
	read := func(query string) [][]string {
		t.Helper()
		resp, body := get(t, e.ts.URL+"/search.csv?"+query)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("search.csv?%s = %d %s", query, resp.StatusCode, body)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("search.csv?%s: %v", query, err)
		}
		return rows
	}
	for i, f := range fixtureFeeds {
		sc, _ := dataset.Lookup(f.meta.Dataset)
		rows := read("dataset=" + sc.Name)
		if diff := cmp.Diff(append(sc.Names(), "url"), rows[0]); diff != "" {
			t.Errorf("%s: header (-the schema's fields, url +got):\n%s", sc.Name, diff)
		}
		header, sent := fixtureRows(t, fixtureFeeds[i])
		if len(rows)-1 != len(sent) {
			t.Fatalf("%s: %d rows, the feed has %d", sc.Name, len(rows)-1, len(sent))
		}
		col := func(name string) int { return slices.Index(rows[0], name) }
		for _, row := range rows[1:] {
			if len(row) != len(sc.Fields)+1 {
				t.Errorf("%s: row of %d cells", sc.Name, len(row))
			}
			// The feed row with this row's key.
			j := slices.IndexFunc(sent, func(s []string) bool {
				for k, h := range header {
					if slices.Contains(sc.Key, h) && s[k] != row[col(h)] {
						return false
					}
				}
				return true
			})
			if j < 0 {
				t.Errorf("%s: row %v is none of the feed's", sc.Name, row)
				continue
			}
			for k, h := range header {
				if got := row[col(h)]; !sameValue(sc.Field(h), sent[j][k], nilIfEmpty(got)) {
					t.Errorf("%s: %s = %q, the feed sent %q", sc.Name, h, got, sent[j][k])
				}
			}
			if row[col(dataset.FieldRegionCode)] != f.meta.Region || row[col(dataset.FieldProvinceCode)] != f.meta.Region[:2] ||
				row[col(dataset.FieldRegionName)] != dataset.LoadRegions().Lookup(f.meta.Region).Name || row[col(dataset.FieldFiscalYear)] != "2024" {
				t.Errorf("%s: place and year %v", sc.Name, row[:5])
			}
			if want := "/data/" + sc.Name + "/" + f.meta.Region + "/2024/" + row[col(dataset.FieldID)]; !strings.HasSuffix(row[len(row)-1], want) {
				t.Errorf("%s: url %s, want …%s", sc.Name, row[len(row)-1], want)
			}
		}
	}
	// Across datasets: the columns every dataset shares.
	rows := read("q=jalan")
	if diff := cmp.Diff([]string{"dataset", "id", "region_code", "region_name", "fiscal_year", "title", "amount", "url"}, rows[0]); diff != "" {
		t.Errorf("across datasets, header (-want +got):\n%s", diff)
	}
	if len(rows) < 3 {
		t.Errorf("q=jalan: %d rows, want the budget line and the package", len(rows)-1)
	}

	// A detail dataset is not searched: a clear 400, not an empty file.
	resp, body := get(t, e.ts.URL+"/search.csv?dataset=procurement_bids")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "procurement_bids.csv.gz") {
		t.Errorf("search.csv?dataset=procurement_bids = %d %s", resp.StatusCode, body)
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// TestByteSize: file sizes as each language writes numbers.
func TestByteSize(t *testing.T) {
	for _, tc := range []struct {
		n      int64
		id, en string
	}{
		{0, "0 B", "0 B"},
		{999, "999 B", "999 B"},
		{1000, "1 kB", "1 kB"},
		{1049, "1 kB", "1 kB"},
		{1050, "1,1 kB", "1.1 kB"},
		{12_400_000, "12,4 MB", "12.4 MB"},
		{12_449_999, "12,4 MB", "12.4 MB"},
		{12_450_000, "12,5 MB", "12.5 MB"},
		{99_949_999, "99,9 MB", "99.9 MB"},
		{99_950_000, "100 MB", "100 MB"},
		{124_499_999, "124 MB", "124 MB"},
		{999_499, "999 kB", "999 kB"},
		{999_500, "1 MB", "1 MB"},
		{3_200_000_000, "3,2 GB", "3.2 GB"},
		{1_500_000_000_000_000, "1.500 TB", "1,500 TB"},
	} {
		for l, want := range map[lang]string{langID: tc.id, langEN: tc.en} {
			if got := strings.ReplaceAll(byteSize(l, tc.n), "\u00a0", " "); got != want {
				t.Errorf("byteSize(%s, %d) = %q, want %q", l.code(), tc.n, got, want)
			}
		}
	}
}

// TestDatasetPageSizes: beside each whole-dataset download, its size as
// stored, in the page's language, and the release's rows of the dataset.
func TestDatasetPageSizes(t *testing.T) {
	e := exportsEnv(t)
	ids, err := e.pub.ReleaseIDs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`<a href="(/downloads/(\d+)/procurement\.(parquet|csv\.gz))" data-bytes="(\d+)">[a-z.]+</a> <span class="meta">([^<]+)</span>`)
	rowsCell := regexp.MustCompile(`<a href="/releases/(\d+)[^"]*">\d+</a>.*?</th><td[^>]*>[^<]*</td><td class="num"[^>]* data-rows="(\d+)">([^<]+)</td>`)
	for _, lg := range []struct {
		query          string
		group, decimal string
	}{{"", ".", ","}, {"?lang=en", ",", "."}} {
		resp, page := get(t, e.ts.URL+"/datasets/procurement"+lg.query)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("dataset page = %d", resp.StatusCode)
		}
		found := map[string]bool{}
		for _, m := range link.FindAllStringSubmatch(page, -1) {
			found[m[1]] = true
			rel, err := e.pub.Release(t.Context(), m[2])
			if err != nil {
				t.Fatal(err)
			}
			obj, err := e.st.Stat(t.Context(), publisher.DownloadDatasetPath(rel, "procurement", m[3]))
			if err != nil {
				t.Fatalf("%s: %v", m[1], err)
			}
			if n, _ := strconv.ParseInt(m[4], 10, 64); n != obj.Size {
				t.Errorf("%s: data-bytes %d, the file has %d", m[1], n, obj.Size)
			}
			// The shown size, read back in the page's language, is the
			// file's to half its last digit.
			num, unit, _ := strings.Cut(m[5], "\u00a0")
			scale := map[string]float64{"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[unit]
			place := scale
			if strings.Contains(num, lg.decimal) {
				place = scale / 10
			}
			v, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(num, lg.group, ""), lg.decimal, "."), 64)
			if err != nil || scale == 0 || math.Abs(v*scale-float64(obj.Size)) > place/2 {
				t.Errorf("%s%s: shown %q for %d bytes", m[1], lg.query, m[5], obj.Size)
			}
		}
		for _, id := range ids {
			rel, err := e.pub.Release(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(rel.Partitions, func(p publisher.Partition) bool { return p.Dataset == "procurement" }) {
				if strings.Contains(page, "/downloads/"+id+"/procurement.") {
					t.Errorf("release %s has no procurement, yet its download is listed", id)
				}
				continue
			}
			for _, ext := range []string{"parquet", "csv.gz"} {
				if u := "/downloads/" + id + "/procurement." + ext; !found[u] {
					t.Errorf("/datasets/procurement%s: no size beside %s", lg.query, u)
				}
			}
		}
		rowsSeen := 0
		for _, m := range rowsCell.FindAllStringSubmatch(page, -1) {
			rel, err := e.pub.Release(t.Context(), m[1])
			if err != nil {
				t.Fatal(err)
			}
			var want int64
			for _, p := range rel.Partitions {
				if p.Dataset == "procurement" {
					want += p.Rows
				}
			}
			if m[2] != strconv.FormatInt(want, 10) || m[3] != strconv.FormatInt(want, 10) {
				t.Errorf("release %s: rows %s (%s), the manifest has %d", m[1], m[2], m[3], want)
			}
			rowsSeen++
		}
		if rowsSeen != len(found)/2 {
			t.Errorf("%d releases with rows, %d with downloads", rowsSeen, len(found)/2)
		}
	}
}

// TestOpenAPICoversAPIRoutes walks the portal's router: every method of
// every /api/v1 route is in openapi.json's paths, and every /api/v1 path
// there is a route.
func TestOpenAPICoversAPIRoutes(t *testing.T) {
	srv, _ := newEmptyServer(t)
	doc := openAPI()
	paths := doc["paths"].(map[string]any)
	pattern := regexp.MustCompile(`\{([^}:]+):[^}]*\}`) // {id:[0-9]+} → {id}
	routed := map[string]bool{}
	err := srv.router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tmpl, err := route.GetPathTemplate()
		if err != nil || !strings.HasPrefix(tmpl, "/api/v1/") {
			return nil
		}
		methods, err := route.GetMethods()
		if err != nil {
			return nil // the subrouter itself
		}
		path := pattern.ReplaceAllString(tmpl, "{$1}")
		routed[path] = true
		item, ok := paths[path].(map[string]any)
		if !ok {
			t.Errorf("%s %s is routed but not in openapi.json", strings.Join(methods, ","), path)
			return nil
		}
		for _, m := range methods {
			if m == http.MethodHead {
				continue // answered with GET, as HTTP has it
			}
			if _, ok := item[strings.ToLower(m)]; !ok {
				t.Errorf("%s %s is routed but openapi.json does not describe it", m, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(routed) == 0 {
		t.Fatal("no /api/v1 route found: the walk is broken")
	}
	for path := range paths {
		if strings.HasPrefix(path, "/api/v1/") && !routed[path] {
			t.Errorf("openapi.json describes %s, which no route answers", path)
		}
	}
}

package site

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// TestChangelog pushes the budget of Kota Bandung, then its amended stage,
// and reads what each release changed, as JSON and in the Atom feed.
func TestChangelog(t *testing.T) {
	env := newPushEnv(t, Config{})
	header := "stage,agency_name,account_code,account_name,amount\n"
	murni := header + "murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1000000000\nmurni,Dinas Kesehatan,5.1.02.01.01.0026,Belanja Cetak,4000000000\n"
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", []byte(murni)); status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	perubahan := "agency_name,account_code,account_name,amount\nDinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1200000000\n"
	status, rep, _ := env.push(t, "dataset=budget&year=2024&stage=perubahan", env.bandung, "text/csv", []byte(perubahan))
	if status != http.StatusCreated {
		t.Fatalf("push perubahan = %d %v", status, rep)
	}
	resp, body := get(t, env.ts.URL+"/releases/"+rep["release"].(string)+".json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("release = %d %s", resp.StatusCode, body)
	}
	var v struct {
		ID      string
		Parent  string
		Changes []struct {
			Region                  string
			Added, Removed, Changed int
			Totals                  []publisher.Total
		}
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, `"citation": "Terbuka (`) || !strings.Contains(body, `"permanent_url": "http://`) {
		t.Errorf("release lacks its citation or permanent URL: %s", body[:200])
	}
	if len(v.Changes) != 1 || v.Parent == "" {
		t.Fatalf("changes %+v", v)
	}
	// Stages are versions of the same lines: each is totalled apart, and
	// the murni total does not move when the perubahan stage arrives.
	c := v.Changes[0]
	want := []publisher.Total{
		{Measure: "amount", Group: "murni", Before: "5000000000.00", After: "5000000000.00", Difference: "0.00"},
		{Measure: "amount", Group: "perubahan", Before: "0.00", After: "1200000000.00", Difference: "1200000000.00"},
	}
	if c.Added != 1 || c.Removed != 0 || c.Changed != 0 || !slices.Equal(c.Totals, want) {
		t.Errorf("change %+v, want +1 and totals %+v", c, want)
	}
	// The feed of Kota Bandung says it, in Indonesian, stage by stage.
	resp, atom := get(t, env.ts.URL+"/releases.atom?region=32.73")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "atom") ||
		!strings.Contains(atom, "Kota Bandung, APBD (anggaran dan realisasi) 2024: +1 −0 ~0 rekaman; Nilai (Rp), APBD perubahan: Rp\u00a00 → Rp\u00a01,2\u00a0M") ||
		strings.Contains(atom, "APBD murni: Rp\u00a05\u00a0M → Rp\u00a05\u00a0M") {
		t.Errorf("atom feed = %d %s", resp.StatusCode, atom)
	}
	if _, other := get(t, env.ts.URL+"/releases.atom?region=32.04"); strings.Contains(other, "<entry>") {
		t.Error("the feed of another region lists Bandung's releases")
	}
	if resp, list := get(t, env.ts.URL+"/releases.json"); resp.StatusCode != http.StatusOK || strings.Count(list, `"id"`) < 2 {
		t.Errorf("releases = %d %s", resp.StatusCode, list)
	}
}

// TestStandardMetadata reads a release's Frictionless Data Package and the
// DCAT catalog.
func TestStandardMetadata(t *testing.T) {
	env := newPushEnv(t, Config{})
	for _, f := range fixtureFeeds[:2] {
		if status, rep, _ := env.push(t, "dataset="+f.meta.Dataset+"&year=2024", env.bandung, "text/csv", []byte(f.csv)); status != http.StatusCreated {
			t.Fatalf("push = %d %v", status, rep)
		}
	}
	live, err := env.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, env.ts.URL+"/releases/"+live.ID+"/datapackage.json")
	var pkg struct {
		Profile   string
		Licenses  []map[string]string
		Resources []struct {
			Name, Path, Hash, Profile string
			Bytes                     int64
			Schema                    struct {
				Fields     []struct{ Name, Type string }
				PrimaryKey []string
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &pkg); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("datapackage = %d %v %s", resp.StatusCode, err, body)
	}
	validateDataPackage(t, body)
	name := regexp.MustCompile(`^[a-z0-9._-]+$`)
	if pkg.Profile != "tabular-data-package" || len(pkg.Licenses) != 1 || len(pkg.Resources) != 2 {
		t.Fatalf("datapackage %+v", pkg)
	}
	for i, res := range pkg.Resources {
		p := live.Partitions[i]
		s, _ := dataset.Lookup(p.Dataset)
		var fields []string
		for _, f := range res.Schema.Fields {
			fields = append(fields, f.Name)
		}
		if !name.MatchString(res.Name) || res.Hash != "sha256:"+p.SHA256 || res.Bytes != p.Bytes || res.Profile != "tabular-data-resource" ||
			strings.Join(fields, ",") != strings.Join(s.Names(), ",") || res.Schema.PrimaryKey[0] != "id" {
			t.Errorf("resource %+v", res)
		}
		// The path downloads the very file the hash names.
		r, b := get(t, res.Path)
		if r.StatusCode != http.StatusOK || int64(len(b)) != p.Bytes {
			t.Errorf("%s = %d, %d bytes", res.Path, r.StatusCode, len(b))
		}
	}
	resp, body = get(t, env.ts.URL+"/catalog.jsonld")
	var cat map[string]any
	if err := json.Unmarshal([]byte(body), &cat); err != nil || resp.StatusCode != http.StatusOK || cat["@type"] != "dcat:Catalog" {
		t.Fatalf("catalog = %d %v", resp.StatusCode, err)
	}
	ds := cat["dcat:dataset"].([]any)
	dists := ds[0].(map[string]any)["dcat:distribution"].([]any)
	// Every dataset is catalogued, the budget by account too, which this
	// release has no partition of.
	if len(ds) != len(dataset.All()) || len(dists) != 2 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/ld+json") {
		t.Errorf("catalog has %d datasets, budget %d distributions", len(ds), len(dists))
	}
}

// validateDataPackage checks a datapackage.json against the Tabular Data
// Package rules (testdata/frictionless), and that the check can fail.
func validateDataPackage(t *testing.T, body string) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile("testdata/frictionless/tabular-data-package.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("datapackage.json is not a valid Tabular Data Package:\n%v", err)
	}
	// Rules JSON Schema cannot state: the primary key names fields.
	var pkg struct {
		Resources []struct {
			Name   string
			Schema struct {
				Fields     []struct{ Name string }
				PrimaryKey []string
			}
		}
	}
	json.Unmarshal([]byte(body), &pkg)
	for _, res := range pkg.Resources {
		for _, k := range res.Schema.PrimaryKey {
			if !slices.ContainsFunc(res.Schema.Fields, func(f struct{ Name string }) bool { return f.Name == k }) {
				t.Errorf("resource %s: primary key %q is not a field", res.Name, k)
			}
		}
	}
	for _, broken := range []string{
		strings.Replace(body, `"hash": "sha256:`, `"hash": "sha256-`, 1),
		strings.Replace(body, `"name": "budget-`, `"name": "Budget `, 1),
		strings.Replace(body, `"type": "number"`, `"type": "money"`, 1),
	} {
		if broken == body {
			t.Fatal("mutation did not apply; the negative check checks nothing")
		}
		inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(broken))
		if sch.Validate(inst) == nil {
			t.Errorf("a broken datapackage validates; the check checks nothing:\n%.300s", broken)
		}
	}
}

// TestPrunedReleaseIsGone checks that a release removed by the retention
// policy answers 410 Gone, its downloads too, while an id never issued
// answers 404 and the live release still serves.
func TestPrunedReleaseIsGone(t *testing.T) {
	env := newPushEnv(t, Config{})
	for _, amount := range []string{"1000", "2000"} {
		feed := "stage,agency_name,account_code,account_name,amount\nmurni,Dinas,5.1.02.01.01.0024,Belanja ATK," + amount + "\n"
		if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", []byte(feed)); status != http.StatusCreated {
			t.Fatalf("push = %d %v", status, rep)
		}
	}
	res, err := env.pub.Prune(t.Context(), publisher.Retention{Releases: 1}, time.Now().Add(2*time.Hour))
	if err != nil || len(res.Releases) != 1 {
		t.Fatalf("prune = %+v, %v", res, err)
	}
	old := res.Releases[0]
	for path, want := range map[string]int{
		"/releases/" + old + ".json":                   http.StatusGone,
		"/downloads/" + old + "/budget/32.73/2024.csv": http.StatusGone,
		"/releases/999999.json":                        http.StatusNotFound,
		"/downloads/latest/budget/32.73/2024.csv":      http.StatusOK,
	} {
		if resp, body := get(t, env.ts.URL+path); resp.StatusCode != want {
			t.Errorf("%s = %d, want %d: %.200s", path, resp.StatusCode, want, body)
		}
	}
}

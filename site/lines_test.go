package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// TestBudgetLineShownOnce pushes a budget with one line at two stages and
// one at murni only, as a region sends its APBD perubahan, and reads the
// portal as a citizen would: the home page counts the three records sent,
// a search shows the amended line once with both amounts, and the page of
// its murni record links to its perubahan.
func TestBudgetLineShownOnce(t *testing.T) {
	ix, err := search.Open(search.Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	env := newPushEnv(t, Config{Index: ix})
	feed := "stage,agency_name,account_code,account_name,amount,description\n" +
		"APBD,Dinas Perhubungan,5.1.02.03.02.0121,Belanja Pemeliharaan Jalan,1.000.000.000,Pemeliharaan jalan kota\n" +
		"APBD-P,Dinas Perhubungan,5.1.02.03.02.0121,Belanja Pemeliharaan Jalan,1.250.000.000,Pemeliharaan jalan kota\n" +
		"APBD,Dinas Pertamanan,5.1.02.03.02.0122,Belanja Pemeliharaan Taman,300.000.000,Taman kota\n"
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", []byte(feed)); status != http.StatusCreated {
		t.Fatalf("push: %d %v", status, rep)
	}
	live, err := env.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := live.Partition(publisher.PartitionKey("budget", "32.73", 2024))
	b, err := store.ReadAll(t.Context(), env.st, p.Path, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := dataset.Lookup("budget")
	sp := search.Partition{Dataset: p.Dataset, Region: p.Region, Year: p.Year, SHA256: p.SHA256, Rows: p.Rows}
	if err := ix.Replace(t.Context(), sp, partition.Read(bytes.NewReader(b), int64(len(b)), s)); err != nil {
		t.Fatal(err)
	}

	_, home := get(t, env.ts.URL+"/")
	if !strings.Contains(home, "3 baris data") {
		t.Error("home page does not count the 3 records sent")
	}

	_, page := get(t, env.ts.URL+"/search?q=jalan")
	hits := regexp.MustCompile(`<li class="hit"[^>]*data-id="([0-9a-f]+)"`).FindAllStringSubmatch(page, -1)
	if len(hits) != 1 {
		t.Fatalf("search jalan shows %d hits, want the line once", len(hits))
	}
	for _, want := range []string{"Rp\u00a01.250.000.000</strong>", `<ul class="stages"`, "APBD murni</a> <span class=\"amount\">Rp\u00a01.000.000.000", "APBD perubahan</a>"} {
		if !strings.Contains(page, want) {
			t.Errorf("search page lacks %q", want)
		}
	}

	// A CKAN client asking the datastore for murni records gets each
	// line's murni record, with its own id and amount.
	_, ds := get(t, env.ts.URL+"/api/3/action/datastore_search?resource_id=budget&fields=stage,amount&sort=amount+desc&filters="+url.QueryEscape(`{"stage":"murni"}`))
	var answer struct {
		Result struct {
			Records []map[string]any `json:"records"`
		} `json:"result"`
	}
	dec := json.NewDecoder(strings.NewReader(ds))
	dec.UseNumber()
	if err := dec.Decode(&answer); err != nil {
		t.Fatalf("datastore_search: %v\n%s", err, ds)
	}
	var rows []string
	for _, rec := range answer.Result.Records {
		rows = append(rows, fmt.Sprint(rec["stage"], " ", rec["amount"]))
	}
	if want := []string{"murni 1000000000.00", "murni 300000000.00"}; !slices.Equal(rows, want) {
		t.Errorf("datastore_search stage murni = %v, want %v", rows, want)
	}

	murni := regexp.MustCompile(`href="(/data/budget/32\.73/2024/[0-9a-f]+)">APBD murni`).FindStringSubmatch(page)
	if murni == nil {
		t.Fatal("no link to the murni record")
	}
	_, rec := get(t, env.ts.URL+murni[1])
	lead := "/data/budget/32.73/2024/" + hits[0][1]
	for _, want := range []string{`id="tahap-h"`, `href="` + lead + `">APBD perubahan</a>`, `aria-current="page">APBD murni`} {
		if !strings.Contains(rec, want) {
			t.Errorf("murni record page lacks %q", want)
		}
	}
}

package site

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// TestChangelogNamesTheRecord: a region raises one road line from
// Rp 288,66 M to Rp 298,66 M. The release's changes list exactly that
// record with its amount before and after, the release page shows it, and
// the murni total moves by exactly the difference while the other stage's
// stays put.
func TestChangelogNamesTheRecord(t *testing.T) {
	env := newPushEnv(t, Config{})
	header := "stage,agency_name,account_code,account_name,amount,description\n"
	lines := []string{
		"murni,Dinas Bina Marga,5.2.04.01.01.0001,Belanja Modal Jalan Kota,288660000000,Peningkatan Jalan Soekarno-Hatta",
		"murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja Alat Tulis Kantor,150000000.50,ATK sekolah",
		"realisasi,Dinas Pendidikan,5.1.02.01.01.0024,Belanja Alat Tulis Kantor,149000000,ATK sekolah",
	}
	feed := func(ls []string) []byte { return []byte(header + strings.Join(ls, "\n") + "\n") }
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", feed(lines)); status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	raised := append([]string{}, lines...)
	raised[0] = strings.Replace(raised[0], "288660000000", "298660000000", 1)
	status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", feed(raised))
	if status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	id := rep["release"].(string)
	const before, after, diff = "288660000000.00", "298660000000.00", "10000000000.00"

	resp, body := get(t, env.ts.URL+"/releases/"+id+"/changes.json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("changes.json = %d %s", resp.StatusCode, body)
	}
	var got struct {
		Release string
		Records int64
		Changes []publisher.RecordChange
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("changes.json is not JSON: %v\n%s", err, body)
	}
	if got.Records != 1 || len(got.Changes) != 1 {
		t.Fatalf("changes.json lists %d records (%d counted), want exactly the one changed:\n%s", len(got.Changes), got.Records, body)
	}
	c := got.Changes[0]
	wantMoney := []publisher.MoneyChange{{Field: "amount", Before: before, After: after, Difference: diff}}
	if c.Change != publisher.ChangeChanged || c.Region != "32.73" || c.Group != "murni" || c.Title != "Belanja Modal Jalan Kota" ||
		len(c.Money) != 1 || c.Money[0] != wantMoney[0] || len(c.Fields) != 0 {
		t.Errorf("record change = %+v, want the road line's amount %s → %s", c, before, after)
	}

	// Stage totals: murni moves by exactly the difference, realisasi not.
	resp, body = get(t, env.ts.URL+"/releases/"+id+".json")
	var rel struct {
		Changes []publisher.PartitionChange
	}
	if err := json.Unmarshal([]byte(body), &rel); err != nil || resp.StatusCode != http.StatusOK || len(rel.Changes) != 1 {
		t.Fatalf("release json = %d %v %s", resp.StatusCode, err, body)
	}
	for _, total := range rel.Changes[0].Totals {
		b, a := total.Sen()
		want := int64(0)
		if total.Group == "murni" {
			d, _ := dataset.ParseMoney(diff)
			want = d
		}
		if a-b != want || total.Difference != dataset.FormatMoney(want) {
			t.Errorf("total %s/%s moved by %d sen, want %d", total.Measure, total.Group, a-b, want)
		}
	}

	_, page := get(t, env.ts.URL+"/releases/"+id)
	page = html.UnescapeString(page)
	for _, want := range []string{`data-record="` + c.ID + `"`, "Belanja Modal Jalan Kota", "Rp\u00a0288,7\u00a0M → Rp\u00a0298,7\u00a0M", "+Rp\u00a010\u00a0M", "/releases/" + id + "/changes.csv"} {
		if !strings.Contains(page, want) {
			t.Errorf("release page lacks %q", want)
		}
	}

	resp, body = get(t, env.ts.URL+"/releases/"+id+"/changes.csv")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || resp.StatusCode != http.StatusOK || len(rows) != 2 {
		t.Fatalf("changes.csv = %d %v %q", resp.StatusCode, err, body)
	}
	head := map[string]int{}
	for i, h := range rows[0] {
		head[h] = i
	}
	if r := rows[1]; r[head["record_id"]] != c.ID || r[head["field"]] != "amount" || r[head["before"]] != before || r[head["after"]] != after || r[head["difference"]] != diff {
		t.Errorf("changes.csv row = %v", r)
	}
	if _, atom := get(t, env.ts.URL+"/releases.atom"); !strings.Contains(atom, `/releases/`+id+`/changes.csv" rel="related"`) {
		t.Errorf("the Atom entry of release %s does not link its record changes:\n%s", id, atom)
	}
	if resp, _ := get(t, env.ts.URL+"/releases/999999/changes.json"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("changes of an unknown release = %d, want 404", resp.StatusCode)
	}
}

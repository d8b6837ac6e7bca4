package site

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
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
			BeforeSen               int64 `json:"before_sen"`
			AfterSen                int64 `json:"after_sen"`
			Stages                  map[string][2]string
		}
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Changes) != 1 || v.Parent == "" {
		t.Fatalf("changes %+v", v)
	}
	c := v.Changes[0]
	if c.Added != 1 || c.Removed != 0 || c.Changed != 0 || c.BeforeSen != 500000000000 || c.AfterSen != 620000000000 ||
		c.Stages["murni"] != [2]string{"5000000000.00", "5000000000.00"} || c.Stages["perubahan"] != [2]string{"0.00", "1200000000.00"} {
		t.Errorf("change %+v", c)
	}
	// The feed of Kota Bandung says it, in Indonesian.
	resp, atom := get(t, env.ts.URL+"/releases.atom?region=32.73")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "atom") ||
		!strings.Contains(atom, "Kota Bandung, APBD (anggaran dan realisasi) 2024: +1 −0 ~0 rekaman") || !strings.Contains(atom, "(+24,0 %)") {
		t.Errorf("atom feed = %d %s", resp.StatusCode, atom)
	}
	if _, other := get(t, env.ts.URL+"/releases.atom?region=32.04"); strings.Contains(other, "<entry>") {
		t.Error("the feed of another region lists Bandung's releases")
	}
	if resp, list := get(t, env.ts.URL+"/releases.json"); resp.StatusCode != http.StatusOK || strings.Count(list, `"id"`) < 2 {
		t.Errorf("releases = %d %s", resp.StatusCode, list)
	}
}

package site

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/store/storetest"
)

// publishedState is what a check must leave as it was: the live release's
// id, its manifest's bytes, and every object outside feeds/ (where reports
// are kept) with its bytes: data/, raw/, releases/, downloads/, tokens/.
type publishedState struct {
	live, manifest string
	data           []string
	objects        map[string]string
}

// newPublishedPushEnv is a portal taking pushes with Kota Bandung's 2024
// procurement published, and what is published.
func newPublishedPushEnv(t *testing.T) (*pushEnv, publishedState) {
	t.Helper()
	env := newPushEnv(t, Config{})
	if status, rep, _ := env.push(t, "dataset=procurement&year=2024", env.bandung, "text/csv", []byte(fixtureFeeds[1].csv)); status != http.StatusCreated {
		t.Fatalf("publishing the first feed = %d %v", status, rep)
	}
	return env, snapshotPublished(t, env)
}

func snapshotPublished(t *testing.T, env *pushEnv) publishedState {
	t.Helper()
	live, err := env.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	all := storetest.Objects(t, env.st)
	st := publishedState{live: live.ID, manifest: all["releases/"+live.ID+".json"], objects: map[string]string{}}
	for k, v := range all {
		if strings.HasPrefix(k, "data/") {
			st.data = append(st.data, k)
		}
		if !strings.HasPrefix(k, "feeds/") {
			st.objects[k] = v
		}
	}
	slices.Sort(st.data)
	if st.manifest == "" || len(st.data) == 0 {
		t.Fatalf("no manifest or no data/ keys in the store: %+v", st)
	}
	return st
}

func assertUnchanged(t *testing.T, env *pushEnv, before publishedState) {
	t.Helper()
	if diff := cmp.Diff(snapshotPublished(t, env), before, cmp.AllowUnexported(publishedState{})); diff != "" {
		t.Errorf("a check changed what is published (-after +before):\n%s", diff)
	}
}

// badBudget has a money value and an account code the intake refuses.
const badBudget = "stage,agency_name,account_code,account_name,amount\n" +
	"murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja Alat Tulis Kantor,satu juta\n" +
	"murni,Dinas Pendidikan,5-1-02,Belanja Alat Tulis Kantor,1500000\n"

// TestDryRunPushWithErrors pushes a feed with errors as a check
// (dry_run=1) through the push API: 422 with a report naming row, column,
// value and reason of each error, kept at its Location and its page, and
// the live release, its manifest and every data/ key as they were.
func TestDryRunPushWithErrors(t *testing.T) {
	env := newPushEnv(t, Config{})
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget); status != http.StatusCreated {
		t.Fatalf("publishing the first feed = %d %v", status, rep)
	}
	before := snapshotPublished(t, env)

	status, rep, h := env.push(t, "dataset=budget&year=2024&dry_run=1", env.bandung, "text/csv", []byte(badBudget))
	if status != http.StatusUnprocessableEntity || rep["status"] != intake.StatusRejected || rep["dry_run"] != true || rep["error_count"] != 2.0 {
		t.Fatalf("check with errors = %d %v", status, rep)
	}
	type problem struct{ Row, Column, Value, Code string }
	var got []problem
	for _, e := range rep["errors"].([]any) {
		p := e.(map[string]any)
		if p["message_id"] == "" || p["message_en"] == "" {
			t.Errorf("problem without a reason: %v", p)
		}
		got = append(got, problem{Row: fmt.Sprint(p["row"]), Column: p["column"].(string), Value: p["value"].(string), Code: p["code"].(string)})
	}
	want := []problem{{"2", "amount", "satu juta", "money"}, {"3", "account_code", "5-1-02", "pattern"}}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("errors (-got +want):\n%s", diff)
	}
	assertUnchanged(t, env, before)

	id := rep["feed_id"].(string)
	if h.Get("Location") != "/api/v1/feeds/"+id {
		t.Errorf("Location = %q", h.Get("Location"))
	}
	if resp, body := get(t, env.ts.URL+"/api/v1/feeds/"+id); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"dry_run": true`) || !strings.Contains(body, `"status": "rejected"`) {
		t.Errorf("GET the report = %d %s", resp.StatusCode, body)
	}
	_, page := get(t, env.ts.URL+"/feeds/"+id)
	for _, says := range []string{"Ditolak", "hanya pemeriksaan", `title="money"`, "Nilai uang</span> (1)", "Format kode</span> (1)", "satu juta"} {
		if !strings.Contains(page, says) {
			t.Errorf("the report page does not say %q", says)
		}
	}
	if strings.Contains(page, "<code>money</code>") {
		t.Error("the report page still names kinds by their bare code")
	}
}

// TestDryRunPushChecked: a valid check is answered 200 with status
// checked and publishes nothing; the same file sent for real is another
// feed, and publishes.
func TestDryRunPushChecked(t *testing.T) {
	env, before := newPublishedPushEnv(t)

	status, rep, h := env.push(t, "dataset=budget&year=2024&dry_run=1", env.bandung, "text/csv", bandungBudget)
	if status != http.StatusOK || rep["status"] != intake.StatusChecked || rep["valid"] != true || rep["dry_run"] != true || rep["error_count"] != 0.0 || rep["rows"] != 2.0 || rep["release"] != nil || rep["partition"] != nil {
		t.Fatalf("check = %d %v", status, rep)
	}
	if h.Get("Location") != "/api/v1/feeds/"+rep["feed_id"].(string) {
		t.Errorf("Location = %q", h.Get("Location"))
	}
	assertUnchanged(t, env, before)
	if _, page := get(t, env.ts.URL+"/feeds/"+rep["feed_id"].(string)); !strings.Contains(page, "Diperiksa: tidak ada kesalahan") {
		t.Errorf("the report page does not say checked:\n%.800s", page)
	}
	if _, page := get(t, env.ts.URL+"/feeds/"+rep["feed_id"].(string)+"?lang=en"); !strings.Contains(page, "Checked: no errors") {
		t.Errorf("the English report page does not say checked:\n%.800s", page)
	}

	// The same check again is the same feed, answered with its report.
	if status, again, _ := env.push(t, "dataset=budget&year=2024&dry_run=yes", env.bandung, "text/csv", bandungBudget); status != http.StatusOK || again["feed_id"] != rep["feed_id"] {
		t.Errorf("the same check again = %d %v", status, again)
	}
	if status, bad, _ := env.push(t, "dataset=budget&year=2024&dry_run=maybe", env.bandung, "text/csv", bandungBudget); status != http.StatusBadRequest || !strings.Contains(errorText(bad), "dry_run") {
		t.Errorf("dry_run=maybe = %d %v", status, bad)
	}
	assertUnchanged(t, env, before)

	status, real, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget)
	if status != http.StatusCreated || real["status"] != intake.StatusPublished || real["feed_id"] == rep["feed_id"] {
		t.Fatalf("the real push after the check = %d %v", status, real)
	}
	if live, _ := env.pub.Current(t.Context()); live.ID == before.live {
		t.Error("the real push made no release")
	}
}

// TestUploadFormDryRun ticks "Periksa saja" on the upload form: the
// officer lands on the report, which says checked, and nothing is
// published.
func TestUploadFormDryRun(t *testing.T) {
	env, before := newPublishedPushEnv(t)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	_, form := get(t, env.ts.URL+"/kirim")
	for _, says := range []string{`name="dry_run"`, "Periksa saja, jangan terbitkan", `href="/kirim/token"`, `href="/datasets/budget/template.xlsx"`, `href="/datasets/budget#skema-h"`, `class="button primary"`} {
		if !strings.Contains(form, says) {
			t.Errorf("/kirim lacks %q", says)
		}
	}
	if strings.Index(form, `name="dry_run"`) > strings.Index(form, `name="confirm_shrink"`) {
		t.Error("the check-only box is not the first option")
	}
	csrf := uploadForm(t, client, env.ts.URL)
	fields := map[string]string{"csrf": csrf, "token": env.bandung, "dataset": "budget", "year": "2024", "dry_run": "1"}
	resp, page := postUpload(t, client, env.ts.URL, fields, string(bandungBudget))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.Path, "/feeds/") || !strings.Contains(page, "Diperiksa: tidak ada kesalahan") {
		t.Fatalf("upload = %d at %s:\n%.800s", resp.StatusCode, resp.Request.URL, page)
	}
	assertUnchanged(t, env, before)
}

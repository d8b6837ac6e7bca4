package site

import (
	"net/http"
	"strings"
	"testing"
)

// TestPushEmptyFeed: a header-only feed pushed over a published partition
// is refused with 422 and the live release stays; pushed as a withdrawal,
// the partition leaves the release. A feed dropping most of a partition
// needs confirm_shrink.
func TestPushEmptyFeed(t *testing.T) {
	env := newPushEnv(t, Config{})
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget); status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	live, _ := env.pub.Current(t.Context())
	header := bandungBudget[:strings.IndexByte(string(bandungBudget), '\n')+1]

	status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", header)
	if status != http.StatusUnprocessableEntity || !strings.Contains(fmtProblems(rep), "feed_empty") {
		t.Errorf("header-only push = %d %v, want 422 feed_empty", status, rep)
	}
	if now, _ := env.pub.Current(t.Context()); now.ID != live.ID {
		t.Errorf("a header-only push made release %s", now.ID)
	}
	one := append(append([]byte{}, header...), strings.Split(string(bandungBudget), "\n")[1]+"\n"...)
	bigger := append(append([]byte{}, bandungBudget...), strings.Replace(strings.Split(string(bandungBudget), "\n")[2], "0024", "0031", 1)+"\n"...)
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bigger); status != http.StatusCreated {
		t.Fatalf("push of 3 rows = %d %v", status, rep)
	}
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", one); status != http.StatusUnprocessableEntity || !strings.Contains(fmtProblems(rep), "remove 2 of the 3 published rows") {
		t.Errorf("push dropping 2 of 3 rows = %d %v, want 422", status, rep)
	}
	if status, rep, _ := env.push(t, "dataset=budget&year=2024&confirm_shrink=1", env.bandung, "text/csv", one); status != http.StatusCreated {
		t.Errorf("confirmed shrink = %d %v", status, rep)
	}
	if status, rep, _ := env.push(t, "dataset=budget&year=2024&withdraw=maybe", env.bandung, "text/csv", header); status != http.StatusBadRequest {
		t.Errorf("withdraw=maybe = %d %v, want 400", status, rep)
	}
	status, rep, _ = env.push(t, "dataset=budget&year=2024&withdraw=1", env.bandung, "text/csv", header)
	if status != http.StatusCreated || rep["withdrawn"] != true {
		t.Fatalf("withdrawal = %d %v", status, rep)
	}
	now, _ := env.pub.Current(t.Context())
	if _, ok := now.Partition("budget/32.73/2024"); ok {
		t.Errorf("release %s still has the withdrawn partition", now.ID)
	}
	if resp, body := get(t, env.ts.URL+"/releases/"+now.ID+".json"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"withdrawn": true`) {
		t.Errorf("release %s.json does not record the withdrawal: %d %s", now.ID, resp.StatusCode, body)
	}
}

// fmtProblems flattens a report's errors for matching.
func fmtProblems(rep map[string]any) string {
	var b strings.Builder
	errs, _ := rep["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		b.WriteString(m["code"].(string) + ": " + m["message_en"].(string) + "\n")
	}
	return b.String()
}

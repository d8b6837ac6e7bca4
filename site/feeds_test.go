package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
	"github.com/terbuka/terbuka/token"
)

// pushEnv is a portal that takes pushes, with a token for Kota Bandung.
type pushEnv struct {
	ts      *httptest.Server
	st      store.Store
	pub     *publisher.Publisher
	tokens  *token.Registry
	in      *pipeline.Ingester
	bandung string
	srv     *Server
}

func newPushEnv(t *testing.T, cfg Config) *pushEnv {
	t.Helper()
	return newPushEnvOn(t, storetest.Dir(t), cfg)
}

// newPushEnvOn is newPushEnv on a given store.
func newPushEnvOn(t *testing.T, st store.Store, cfg Config) *pushEnv {
	t.Helper()
	env := &pushEnv{st: st, pub: publisher.New(st, quiet), tokens: &token.Registry{Store: st, Regions: dataset.LoadRegions(), Now: clockAt(publishedAt)}}
	env.pub.Now = clockAt(publishedAt)
	if cfg.Now == nil {
		cfg.Now = clockAt(todays[0])
	}
	secret, _, err := env.tokens.Create(t.Context(), "32.73", "BPKAD Kota Bandung")
	if err != nil {
		t.Fatal(err)
	}
	env.bandung = secret
	ix, err := search.Empty()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if cfg.Index == nil {
		cfg.Index = ix
	}
	cfg.Publisher, cfg.Regions, cfg.Log, cfg.Tokens = env.pub, dataset.LoadRegions(), quiet, env.tokens
	in := &pipeline.Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir(), Now: clockAt(publishedAt), Publisher: env.pub}
	cfg.Store, cfg.Reports, cfg.Intake = st, in, in
	env.in = in
	// As terbuka serve does without --public-url: links name the listen
	// address.
	env.ts = httptest.NewUnstartedServer(nil)
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + env.ts.Listener.Addr().String()
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	env.srv = srv
	env.ts.Config = srv.HTTPServer()
	env.ts.Start()
	t.Cleanup(func() {
		env.ts.Close()
		in.Wait()
	})
	return env
}

func (e *pushEnv) push(t *testing.T, query, secret, contentType string, body []byte, header ...string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.ts.URL+"/api/v1/feeds?"+query, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("push answered %d with non-JSON %q", resp.StatusCode, b)
	}
	return resp.StatusCode, out, resp.Header
}

var bandungBudget = []byte(fixtureFeeds[0].csv)

func TestPushPublishes(t *testing.T) {
	env := newPushEnv(t, Config{})
	status, rep, h := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget)
	if status != http.StatusCreated || rep["status"] != intake.StatusPublished || rep["region"] != "32.73" || rep["rows"] != 2.0 {
		t.Fatalf("push = %d %v", status, rep)
	}
	// The report has the shape of a Frictionless validation report.
	if stats, _ := rep["stats"].(map[string]any); rep["valid"] != true || stats["rows"] != 2.0 || stats["errors"] != 0.0 || stats["sha256"] == "" {
		t.Errorf("report valid %v, stats %v", rep["valid"], rep["stats"])
	}
	id := rep["feed_id"].(string)
	if h.Get("Location") != "/api/v1/feeds/"+id {
		t.Errorf("Location = %q", h.Get("Location"))
	}
	live, err := env.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := live.Partition(publisher.PartitionKey("budget", "32.73", 2024)); !ok {
		t.Fatalf("release %s lacks the pushed partition", live.ID)
	}

	// The report stays at the Location.
	resp, body := get(t, env.ts.URL+"/api/v1/feeds/"+id)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"status": "published"`) && !strings.Contains(body, `"status":"published"`) {
		t.Errorf("GET feed = %d %s", resp.StatusCode, body)
	}

	// The same bytes again are the same feed: no second release.
	status, again, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget)
	if status != http.StatusCreated || again["feed_id"] != id {
		t.Errorf("second push = %d %v, want the same feed %s", status, again, id)
	}
	now, _ := env.pub.Current(t.Context())
	if now.ID != live.ID {
		t.Errorf("pushing the same bytes twice made release %s after %s", now.ID, live.ID)
	}

	// Multipart, as the upload form sends it.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "apbd-2023.csv")
	fw.Write(bandungBudget)
	mw.Close()
	status, mp, _ := env.push(t, "dataset=budget&year=2023", env.bandung, mw.FormDataContentType(), buf.Bytes())
	if status != http.StatusCreated || mp["file"] != "apbd-2023.csv" || mp["year"] != 2023.0 {
		t.Errorf("multipart push = %d %v", status, mp)
	}
}

func TestPushRefuses(t *testing.T) {
	env := newPushEnv(t, Config{MaxFeedBytes: 1000})
	revoked, tok, err := env.tokens.Create(t.Context(), "32.73", "old")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.tokens.Revoke(t.Context(), tok.ID); err != nil {
		t.Fatal(err)
	}
	big := append(append([]byte(nil), bandungBudget...), bytes.Repeat([]byte("murni,1.03.01,Dinas,1.03.10,Program,5.2.04.01.01.0001,Belanja,1,x\n"), 30)...)
	for _, tc := range []struct {
		name, query, secret, ct string
		body                    []byte
		want                    int
		says                    string
	}{
		{"no token", "dataset=budget&year=2024", "", "text/csv", bandungBudget, 401, "Authorization"},
		{"unknown token", "dataset=budget&year=2024", "tbk_" + strings.Repeat("x", 43), "text/csv", bandungBudget, 401, "unknown"},
		{"revoked token", "dataset=budget&year=2024", revoked, "text/csv", bandungBudget, 401, "revoked"},
		{"another region", "dataset=budget&year=2024&region=32.04", env.bandung, "text/csv", bandungBudget, 403, "32.04"},
		{"no dataset", "year=2024", env.bandung, "text/csv", bandungBudget, 400, "dataset"},
		{"bad year", "dataset=budget&year=24", env.bandung, "text/csv", bandungBudget, 400, "year"},
		{"stage of procurement", "dataset=procurement&year=2024&stage=murni", env.bandung, "text/csv", bandungBudget, 400, "stage"},
		{"unknown stage", "dataset=budget&year=2024&stage=final", env.bandung, "text/csv", bandungBudget, 400, "stage"},
		{"pdf", "dataset=budget&year=2024", env.bandung, "application/pdf", []byte(`%PDF-1.7`), 415, "CSV, XLSX, JSON"},
		{"too big", "dataset=budget&year=2024", env.bandung, "text/csv", big, 413, "1000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := env.push(t, tc.query, tc.secret, tc.ct, tc.body)
			if status != tc.want || !strings.Contains(errorText(body), tc.says) {
				t.Errorf("= %d %v, want %d saying %q", status, body, tc.want, tc.says)
			}
		})
	}
	if _, err := env.pub.Current(t.Context()); err == nil {
		t.Error("a refused push published a release")
	}
}

func TestPushRejectsBadFeed(t *testing.T) {
	env := newPushEnv(t, Config{})
	// A Bandung token cannot put another region's rows in its feed.
	other := strings.Replace(fixtureFeeds[1].csv, "package_id,", "region_code,package_id,", 1)
	other = strings.Replace(other, "\n51554309,", "\n32.04,51554309,", 1)
	other = strings.Replace(other, "\n51554310,", "\n32.73,51554310,", 1)
	status, rep, _ := env.push(t, "dataset=procurement&year=2024", env.bandung, "text/csv", []byte(other))
	if status != http.StatusUnprocessableEntity || rep["status"] != intake.StatusRejected {
		t.Fatalf("push of another region's rows = %d %v", status, rep)
	}
	errs := rep["errors"].([]any)
	first := errs[0].(map[string]any)
	if first["row"] != 2.0 || first["column"] != "region_code" || first["value"] != "32.04" || first["message_en"] == "" || first["message_id"] == "" || rep["valid"] != false {
		t.Errorf("first error = %v, want row 2, column region_code, value 32.04 and a message", first)
	}
	if _, err := env.pub.Current(t.Context()); err == nil {
		t.Error("a rejected feed published a release")
	}
	// The raw bytes are kept.
	if _, err := env.st.Stat(t.Context(), rep["raw_key"].(string)); err != nil {
		t.Errorf("raw feed not kept: %v", err)
	}
	// The region reads the report as a page, in Indonesian with English.
	resp, page := get(t, env.ts.URL+"/feeds/"+rep["feed_id"].(string))
	for _, want := range []string{`<html lang="id">`, "Ditolak", `<td class="num" data-label="Baris">2</td><td class="short" data-label="Kolom">region_code</td><td data-label="Nilai"><code>32.04</code></td>`, `<small lang="en">`, "Kota Bandung (32.73)", "Pengadaan barang/jasa"} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("report page (%d) lacks %q", resp.StatusCode, want)
		}
	}
	if _, en := get(t, env.ts.URL+"/feeds/"+rep["feed_id"].(string)+"?lang=en"); !strings.Contains(en, "Rejected: there are errors below") || !strings.Contains(en, `<small lang="id">`) {
		t.Error("English report page lacks its status or the Indonesian reasons")
	}
	if resp, _ := get(t, env.ts.URL+"/feeds/0123456789abcdef0123"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("report page of an unknown feed = %d", resp.StatusCode)
	}
}

func TestPushIdempotencyKey(t *testing.T) {
	env := newPushEnv(t, Config{})
	status, first, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget, "Idempotency-Key", "apbd-2024-v1")
	if status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, first)
	}
	status, again, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget, "Idempotency-Key", "apbd-2024-v1")
	if status != http.StatusCreated || again["feed_id"] != first["feed_id"] {
		t.Errorf("retry with the same key = %d %v", status, again)
	}
	changed := []byte(strings.Replace(string(bandungBudget), "25000000000", "26000000000", 1))
	status, conflict, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", changed, "Idempotency-Key", "apbd-2024-v1")
	if status != http.StatusConflict || !strings.Contains(errorText(conflict), first["feed_id"].(string)) {
		t.Errorf("same key, other bytes = %d %v, want 409 naming the first feed", status, conflict)
	}
}

func TestPushAnswersBeforeDone(t *testing.T) {
	env := newPushEnv(t, Config{PushWait: time.Nanosecond})
	status, rep, h := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget)
	if status != http.StatusAccepted && status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	feedStatus := func() string {
		t.Helper()
		resp, body := get(t, env.ts.URL+h.Get("Location"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d %s", h.Get("Location"), resp.StatusCode, body)
		}
		var got intake.Report
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	// Validated is the moment between writing the partition and
	// publishing it.
	if s := feedStatus(); s != intake.StatusReceived && s != intake.StatusValidated && s != intake.StatusPublished {
		t.Fatalf("feed status right after the answer = %q", s)
	}
	// The ingester's Wait ends when the feeds it was handed are processed.
	processed := make(chan struct{})
	go func() {
		env.in.Wait()
		close(processed)
	}()
	select {
	case <-processed:
	case <-time.After(30 * time.Second):
		t.Fatal("the pushed feed was still being processed after 30 s")
	}
	if s := feedStatus(); s != intake.StatusPublished {
		t.Fatalf("feed status once processed = %q, want %q", s, intake.StatusPublished)
	}
}

// TestPushRateLimitsBadTokens: an address that sent too many bad tokens
// waits before it is told another is wrong, with Retry-After; a valid
// token from it is still taken, since behind a proxy every region shares
// that address.
func TestPushRateLimitsBadTokens(t *testing.T) {
	env := newPushEnv(t, Config{})
	for i := range authFailures {
		if status, _, _ := env.push(t, "dataset=budget&year=2024", "tbk_wrong", "text/csv", bandungBudget); status != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, status)
		}
	}
	status, body, h := env.push(t, "dataset=budget&year=2024", "tbk_wrong", "text/csv", bandungBudget)
	if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
		t.Errorf("bad token %d = %d %v (Retry-After %q), want 429 with Retry-After", authFailures+1, status, body, h.Get("Retry-After"))
	}
	if status, body, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget); status != http.StatusCreated {
		t.Errorf("the right token from that address = %d %v, want 201", status, body)
	}
}

func TestFeedNotFound(t *testing.T) {
	env := newPushEnv(t, Config{})
	for _, id := range []string{"0123456789abcdef0123", "../../tokens", "x"} {
		if resp, body := get(t, env.ts.URL+"/api/v1/feeds/"+id); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET feed %q = %d %s", id, resp.StatusCode, body)
		}
	}
}

// TestUntitledHit checks that a record without a package name (LKPP's
// tender results carry none) still gets a heading.
func TestUntitledHit(t *testing.T) {
	srv, err := New(Config{Log: quiet, Regions: dataset.LoadRegions()})
	if err != nil {
		t.Fatal(err)
	}
	for l, want := range map[lang]string{langID: "(tanpa nama paket)", langEN: "(no package name)"} {
		if got := srv.hitView(l, search.Hit{Dataset: "procurement", Fields: map[string]string{"package_id": "51554309"}}).TitleHTML; string(got) != want {
			t.Errorf("heading of an untitled hit = %q, want %q", got, want)
		}
	}
}

// TestPushStage checks that a feed of one budget stage replaces that stage
// of the partition and keeps the others.
func TestPushStage(t *testing.T) {
	env := newPushEnv(t, Config{})
	header := "stage,agency_name,account_code,account_name,amount\n"
	murni := header + "murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1000\nmurni,Dinas Kesehatan,5.1.02.01.01.0026,Belanja Cetak,2000\n"
	if status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", []byte(murni)); status != http.StatusCreated {
		t.Fatalf("push murni = %d %v", status, rep)
	}
	// The perubahan feed may leave the stage column out.
	perubahan := "agency_name,account_code,account_name,amount\nDinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1500\n"
	if status, rep, _ := env.push(t, "dataset=budget&year=2024&stage=perubahan", env.bandung, "text/csv", []byte(perubahan)); status != http.StatusCreated {
		t.Fatalf("push perubahan = %d %v", status, rep)
	}
	if got := env.stages(t); got != "murni:2 perubahan:1" {
		t.Errorf("after the perubahan feed: %s", got)
	}
	// A new murni feed replaces murni only.
	murni2 := header + "murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1100\n"
	if status, rep, _ := env.push(t, "dataset=budget&year=2024&stage=murni", env.bandung, "text/csv", []byte(murni2)); status != http.StatusCreated {
		t.Fatalf("push murni again = %d %v", status, rep)
	}
	if got := env.stages(t); got != "murni:1 perubahan:1" {
		t.Errorf("after the second murni feed: %s", got)
	}
	// A row of another stage in a stage feed is an error that says so.
	status, rep, _ := env.push(t, "dataset=budget&year=2024&stage=murni", env.bandung, "text/csv", []byte(header+"realisasi,Dinas,5.1.02.01.01.0024,Belanja,1\n"))
	first := rep["errors"].([]any)[0].(map[string]any)
	if status != http.StatusUnprocessableEntity || first["column"] != "stage" || first["value"] != "realisasi" {
		t.Errorf("feed with another stage = %d %v", status, first)
	}
}

// stages counts the rows of each stage in the live Bandung 2024 budget.
func (e *pushEnv) stages(t *testing.T) string {
	t.Helper()
	live, err := e.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	p, ok := live.Partition(publisher.PartitionKey("budget", "32.73", 2024))
	if !ok {
		t.Fatal("no partition")
	}
	b, err := store.ReadAll(t.Context(), e.st, p.Path, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := dataset.Lookup("budget")
	counts := map[string]int{}
	for r, err := range partition.Read(bytes.NewReader(b), int64(len(b)), s) {
		if err != nil {
			t.Fatal(err)
		}
		counts[r[s.Index("stage")].Str]++
	}
	var out []string
	for _, st := range []string{"murni", "pergeseran", "perubahan", "realisasi"} {
		if counts[st] > 0 {
			out = append(out, st+":"+strconv.Itoa(counts[st]))
		}
	}
	return strings.Join(out, " ")
}

// errorText is a JSON error's code and messages, for matching.
func errorText(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	return fmt.Sprint(e["code"], " ", e["message"], " / ", e["message_en"])
}

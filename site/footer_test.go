package site

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestContactURL(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{"", "", ""},
		{"data@bpkad.bandung.go.id", "mailto:data@bpkad.bandung.go.id", ""},
		{"  mailto:ppid@jabarprov.go.id ", "mailto:ppid@jabarprov.go.id", ""},
		{"mailto:ppid@jabarprov.go.id?subject=Terbuka", "mailto:ppid@jabarprov.go.id?subject=Terbuka", ""},
		{"https://ppid.bandung.go.id/masukan", "https://ppid.bandung.go.id/masukan", ""},
		{"bpkad di bandung", "", "not an e-mail address"},
		{"mailto:", "", "not an e-mail address"},
		{"https://", "", "needs a host"},
		{"https://admin:rahasia@ppid.bandung.go.id/", "", "no user name"},
		{"ftp://ppid.bandung.go.id/", "", "must be an e-mail address"},
		{"javascript:alert(1)", "", "must be an e-mail address"},
	} {
		got, err := ContactURL(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ContactURL(%q) = %q, %v; want an error containing %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ContactURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestFooter: every page names the live release and its time, and the
// operator's contact when one is set; after a new release, pages of the
// program alone (the API page) name the new one too, not a cached copy.
func TestFooter(t *testing.T) {
	e := newCacheEnvWith(t, Config{Contact: "mailto:ppid@bandung.go.id"})
	first := e.follow(t)
	// Published at publishedAt, 02.30 UTC on 4 March 2025: 09.30 in
	// Western Indonesia Time, the one zone pages show.
	const when = "4 Maret 2025 09.30"
	for _, path := range []string{"/", "/api", "/metodologi", "/wilayah/32.73", "/search?q=jalan", "/no-such-page"} {
		_, body := get(t, e.ts.URL+path)
		foot := body[strings.LastIndex(body, "<footer"):]
		for _, want := range []string{`href="/releases/` + first + `"`, when, `href="mailto:ppid@bandung.go.id"`, "ppid@bandung.go.id", `href="/glosarium"`} {
			if !strings.Contains(foot, want) {
				t.Errorf("%s: footer lacks %s:\n%s", path, want, foot)
			}
		}
	}
	resp, _ := get(t, e.ts.URL+"/api")
	tag := resp.Header.Get("ETag")
	if tag == "" {
		t.Fatal("/api has no ETag once the index is in sync")
	}
	if status, rep, _ := e.push(t, "dataset=budget&year=2023", e.bandung, "text/csv", []byte(fixtureFeeds[0].csv)); status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	second := e.follow(t)
	if second == first {
		t.Fatal("the push made no new release")
	}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/api", nil)
	req.Header.Set("If-None-Match", tag)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		t.Errorf("/api answered 304 to the previous release's ETag: its footer would name release %s", first)
	}
	if _, body := get(t, e.ts.URL+"/api"); !strings.Contains(body, `href="/releases/`+second+`"`) {
		t.Errorf("after release %s the footer still does not name it", second)
	}
}

// TestRebuildingNotice: while search is being rebuilt every page says so,
// not only the search page.
func TestRebuildingNotice(t *testing.T) {
	srv, _ := newEmptyServer(t)
	server := httptest.NewServer(srv)
	t.Cleanup(server.Close)
	ts := server.URL
	for _, path := range []string{"/", "/wilayah", "/datasets", "/search"} {
		if _, body := get(t, ts+path); !strings.Contains(body, "Pencarian sedang dibangun ulang") {
			t.Errorf("%s while the index is built: no notice", path)
		}
	}
	srv.SetReady()
	if _, body := get(t, ts+"/"); strings.Contains(body, "Pencarian sedang dibangun ulang") {
		t.Error("once ready the home page still says search is being rebuilt")
	}
}

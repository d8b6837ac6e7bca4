package site

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
)

// uploadForm fetches /kirim with client and returns the form's csrf value.
func uploadForm(t *testing.T, client *http.Client, base string) string {
	t.Helper()
	resp, err := client.Get(base + "/kirim")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([A-Z2-7]+)"`).FindSubmatch(b)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET /kirim = %d, no csrf field", resp.StatusCode)
	}
	return string(m[1])
}

func postUpload(t *testing.T, client *http.Client, base string, fields map[string]string, file string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "apbd.csv")
	fw.Write([]byte(file))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/kirim", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// TestUploadForm sends a feed through the HTML form as an officer would,
// and checks the refusals: no CSRF token, a wrong token, no file.
func TestUploadForm(t *testing.T) {
	env := newPushEnv(t, Config{})
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	csrf := uploadForm(t, client, env.ts.URL)
	fields := map[string]string{"csrf": csrf, "token": env.bandung, "dataset": "budget", "year": "2024"}

	// Followed, the redirect lands on the report, which says published.
	resp, page := postUpload(t, client, env.ts.URL, fields, string(bandungBudget))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.Path, "/feeds/") || !strings.Contains(page, "Diterbitkan") {
		t.Fatalf("upload = %d at %s:\n%.500s", resp.StatusCode, resp.Request.URL, page)
	}
	if live, err := env.pub.Current(t.Context()); err != nil || len(live.Partitions) != 1 {
		t.Fatalf("after the upload: %v %v", live, err)
	}

	for name, tc := range map[string]struct {
		fields map[string]string
		client *http.Client
		status int
		says   string
	}{
		"no csrf cookie": {fields, &http.Client{}, http.StatusForbidden, "formulir ditolak"},
		"wrong csrf":     {with(fields, "csrf", strings.Repeat("A", 26)), client, http.StatusForbidden, "formulir ditolak"},
		"wrong token":    {with(fields, "token", "tbk_salah"), client, http.StatusUnauthorized, "token tidak dikenal"},
		"no token":       {with(fields, "token", ""), client, http.StatusUnauthorized, "isi token"},
		"bad year":       {with(fields, "year", "1900"), client, http.StatusBadRequest, "tahun"},
	} {
		t.Run(name, func(t *testing.T) {
			resp, page := postUpload(t, tc.client, env.ts.URL, tc.fields, "stage,agency_name,account_code,account_name,amount\nmurni,Dinas,5.1.02.01.01.0024,ATK,1\n")
			if resp.StatusCode != tc.status || !strings.Contains(strings.ToLower(page), strings.ToLower(tc.says)) {
				t.Errorf("= %d, want %d saying %q:\n%.300s", resp.StatusCode, tc.status, tc.says, page)
			}
			if strings.Contains(page, env.bandung) {
				t.Error("the page echoes the token")
			}
		})
	}
	if live, _ := env.pub.Current(t.Context()); len(live.Partitions) != 1 || live.Partitions[0].Rows != 2 {
		t.Errorf("a refused upload changed the live release: %+v", live.Partitions)
	}
}

func with(m map[string]string, k, v string) map[string]string {
	out := map[string]string{}
	for kk, vv := range m {
		out[kk] = vv
	}
	out[k] = v
	return out
}

package site

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestTokenHelpPage reads /kirim/token in both languages: who issues
// tokens and with which command, what to ask for, that a token is shown
// once, how to send with it (form, API, dry_run) and how it is revoked,
// with the operator's contact when the portal has one.
func TestTokenHelpPage(t *testing.T) {
	rawKey := regexp.MustCompile(`>\s*(?:token|upload|template)\.[a-z_.]+\s*<`)
	for name, tc := range map[string]struct {
		contact string
		says    []string
	}{
		"with a contact":    {"mailto:pengelola@terbuka.example", []string{`href="mailto:pengelola@terbuka.example"`, "Hubungi pengelola: "}},
		"without a contact": {"", []string{"Tanyakan kepada pengelola portal ini"}},
	} {
		t.Run(name, func(t *testing.T) {
			env := newPushEnv(t, Config{Contact: tc.contact, PublicURL: "https://terbuka.example"})
			resp, page := get(t, env.ts.URL+"/kirim/token")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /kirim/token = %d", resp.StatusCode)
			}
			for _, says := range append(tc.says, "terbuka token create --region 32.73", "kode wilayah Kemendagri", "hanya ditampilkan sekali",
				"Authorization: Bearer $TERBUKA_TOKEN", "https://terbuka.example/api/v1/feeds?dataset=budget&amp;year=2024&amp;dry_run=1",
				"terbuka token revoke", `href="/kirim"`) {
				if !strings.Contains(page, says) {
					t.Errorf("the page does not say %q", says)
				}
			}
			_, en := get(t, env.ts.URL+"/kirim/token?lang=en")
			if !strings.Contains(en, "The token is shown once") || !strings.Contains(en, "If a token leaks") {
				t.Error("the English page is not in English")
			}
			for _, p := range []string{page, en} {
				if m := rawKey.FindString(p); m != "" {
					t.Errorf("the page shows the raw key %s", m)
				}
			}
		})
	}

	// A portal that takes no pushes has no token to explain.
	srv, _ := newEmptyServer(t)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/kirim/token", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("/kirim/token without pushes = %d, want 404", rec.Code)
	}
}

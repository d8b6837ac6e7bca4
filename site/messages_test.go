package site

import (
	"io/fs"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/store"
)

// TestTemplateKeysHaveMessages checks that every message key a template
// names literally exists in both languages, so no page shows a raw key.
func TestTemplateKeysHaveMessages(t *testing.T) {
	key := regexp.MustCompile(`\{\{[^}]*\bt (?:\$l|\.Lang|\$\.Lang|\.AltLang) "([^"]+)"`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	n := 0
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			n++
			msg, ok := messages[m[1]]
			if !ok || msg[0] == "" || msg[1] == "" {
				t.Errorf("%s: message %q missing or empty in a language", f, m[1])
			}
		}
	}
	if n < 100 {
		t.Errorf("found only %d keys; is the pattern still right?", n)
	}
}

// TestPagesRenderInBothLanguages opens every kind of page in Indonesian
// and English and checks it renders with no raw message key showing.
func TestPagesRenderInBothLanguages(t *testing.T) {
	env := newPushEnv(t, Config{})
	for _, f := range fixtureFeeds[:2] {
		if status, rep, _ := env.push(t, "dataset="+f.meta.Dataset+"&year=2024", env.bandung, "text/csv", []byte(f.csv)); status != http.StatusCreated {
			t.Fatalf("push = %d %v", status, rep)
		}
	}
	live, _ := env.pub.Current(t.Context())
	part, _ := live.Partition("procurement/32.73/2024")
	paths := slices.Clone(pagePaths)
	sc, _ := dataset.Lookup("procurement")
	recs := 0
	for r, err := range partition.Read(store.ReaderAt(t.Context(), env.st, part.Path), part.Bytes, sc) {
		if err != nil {
			t.Fatal(err)
		}
		if recs == 0 {
			paths = append(paths, "/data/procurement/32.73/2024/"+r[0].Str)
		}
		recs++
	}
	rawKey := regexp.MustCompile(`>\s*(?:region|method|api|upload|nav|dataset|release|releases|record|home|feed|search|type|stage|revenue|flagmethod)\.[a-z_.]+\s*<`)
	for _, path := range append(paths, "/releases/"+live.ID) {
		for _, lang := range []string{"id", "en"} {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			resp, body := get(t, env.ts.URL+path+sep+"lang="+lang)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s (%s) = %d", path, lang, resp.StatusCode)
				continue
			}
			if m := rawKey.FindString(body); m != "" {
				t.Errorf("%s (%s) shows the raw key %s", path, lang, m)
			}
			if !strings.Contains(body, `<html lang="`+lang+`"`) {
				t.Errorf("%s (%s): wrong <html lang>", path, lang)
			}
		}
	}
}

var pagePaths = []string{"/", "/search?q=jalan", "/wilayah", "/wilayah/32.73", "/wilayah/32", "/wilayah/11.01", "/datasets", "/datasets/budget",
	"/releases", "/api", "/metodologi", "/metodologi/tanda-risiko", "/kirim", "/datasets/procurement_bids"}

// TestProfilePagesGolden keeps the rendered region, record, dataset and
// release pages of the fixture feeds in golden files. The feeds are
// published at a fixed time and the pages rendered on two days, against the
// same files: nothing on them may come from the day they are served.
// Hashes of Parquet files are masked: they follow the Parquet library.
func TestProfilePagesGolden(t *testing.T) {
	parquetHash := regexp.MustCompile(`[0-9a-f]{64}|[0-9a-f]{16}\.parquet`)
	for _, today := range todays {
		t.Run(today.Format("2006-01-02"), func(t *testing.T) {
			env := newPushEnv(t, Config{Now: clockAt(today), PublicURL: "https://terbuka.example"})
			for _, f := range fixtureFeeds[:2] {
				if status, rep, _ := env.push(t, "dataset="+f.meta.Dataset+"&year=2024", env.bandung, "text/csv", []byte(f.csv)); status != http.StatusCreated {
					t.Fatalf("push = %d %v", status, rep)
				}
			}
			live, _ := env.pub.Current(t.Context())
			part, _ := live.Partition("procurement/32.73/2024")
			sc, _ := dataset.Lookup("procurement")
			var record string
			for r, err := range partition.Read(store.ReaderAt(t.Context(), env.st, part.Path), part.Bytes, sc) {
				if err != nil {
					t.Fatal(err)
				}
				if r[sc.Index("package_id")].Str == "51554309" {
					record = "/data/procurement/32.73/2024/" + r[0].Str
				}
			}
			for name, path := range map[string]string{"region": "/wilayah/32.73?tahun=2024", "province": "/wilayah/32?tahun=2024", "record": record,
				"dataset": "/datasets/procurement", "release": "/releases/" + live.ID} {
				t.Run(name, func(t *testing.T) {
					resp, body := get(t, env.ts.URL+path)
					if resp.StatusCode != http.StatusOK {
						t.Fatalf("%s = %d", path, resp.StatusCode)
					}
					testfiles.Golden(t, "testdata/page_"+name+".html", maskAssets(parquetHash.ReplaceAllString(body, "…")))
				})
			}
		})
	}
}

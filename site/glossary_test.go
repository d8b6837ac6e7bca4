package site

import (
	"html/template"
	"strings"
	"testing"
	"unicode"

	"github.com/terbuka/terbuka/dataset"
)

// avoidedWords are the engineers' words the glossary replaces on public
// pages, in each language ({Indonesian, English}), with what to say.
var avoidedWords = [2]map[string]string{
	{"rekaman": "baris data", "feed": "kiriman", "partisi": "berkas per wilayah dan tahun"},
	{"feed": "submission", "partition": "file per region and year"},
}

// avoidedWord returns the first avoided word text uses in language i,
// in any inflection that keeps the word whole (feeds, partisinya).
func avoidedWord(i int, text string) (word, instead string) {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		for avoided, use := range avoidedWords[i] {
			if w == avoided || w == avoided+"s" || w == avoided+"nya" {
				return avoided, use
			}
		}
	}
	return "", ""
}

// TestMessagesUseGlossaryWords: the pages' words are the glossary's. Only
// the glossary itself names the old words, as what readers may have heard.
func TestMessagesUseGlossaryWords(t *testing.T) {
	check := func(where string, texts [2]string) {
		t.Helper()
		for i, text := range texts {
			if w, use := avoidedWord(i, text); w != "" {
				t.Errorf("%s says %q: the glossary's word is %q\n\t%s", where, w, use, text)
			}
		}
	}
	for key, m := range messages {
		check("message "+key, m)
	}
	for _, sc := range dataset.All() {
		check("dataset "+sc.Name, [2]string{sc.Label.ID + " " + sc.Description.ID, sc.Label.EN + " " + sc.Description.EN})
		for _, f := range sc.Fields {
			check("field "+sc.Name+"."+f.Name, [2]string{f.Label.ID + " " + f.Description.ID, f.Label.EN + " " + f.Description.EN})
		}
	}
	// The check itself must catch the words as pages wrote them.
	for _, tc := range []struct {
		lang int
		text string
	}{{0, "Laporan feed"}, {0, "12 rekaman"}, {0, "Unduh partisi"}, {0, "partisinya"}, {1, "Feed report"}, {1, "partitions changed"}} {
		if w, _ := avoidedWord(tc.lang, tc.text); w == "" {
			t.Errorf("avoidedWord(%d, %q) found nothing", tc.lang, tc.text)
		}
	}
}

// TestGlossaryPage: /glosarium explains every entry in the reader's
// language, each reachable by its anchor, and holds the words the
// catalogue uses instead of the avoided ones.
func TestGlossaryPage(t *testing.T) {
	ts := newTestServer(t)
	anchors := map[string]bool{}
	for _, e := range glossary {
		if anchors[e.Anchor] {
			t.Errorf("anchor %q twice", e.Anchor)
		}
		anchors[e.Anchor] = true
		if e.Term.ID == "" || e.Term.EN == "" || e.Definition.ID == "" || e.Definition.EN == "" {
			t.Errorf("entry %q lacks a language: %+v", e.Anchor, e)
		}
	}
	for i, q := range []string{"", "?lang=en"} {
		resp, body := get(t, ts.URL+"/glosarium"+q)
		if resp.StatusCode != 200 {
			t.Fatalf("/glosarium%s = %d", q, resp.StatusCode)
		}
		for _, e := range glossary {
			term, def := e.Term.ID, e.Definition.ID
			if i == 1 {
				term, def = e.Term.EN, e.Definition.EN
			}
			for _, want := range []string{`id="` + e.Anchor + `"`, `href="#` + e.Anchor + `"`, template.HTMLEscapeString(term), template.HTMLEscapeString(def)} {
				if !strings.Contains(body, want) {
					t.Errorf("/glosarium%s lacks %s", q, want)
				}
			}
		}
		for _, use := range avoidedWords[i] {
			if !strings.Contains(strings.ToLower(body), strings.ToLower(use)) {
				t.Errorf("/glosarium%s does not explain %q, the word pages use", q, use)
			}
		}
	}
}

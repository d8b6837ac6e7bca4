package search_test

import (
	"strings"
	"testing"

	"github.com/terbuka/terbuka/search"
)

// TestWhatCitizensMean runs, over the demo release, the ways the search
// reaches what a query means rather than only what it says, each judged by
// what the records hold, not by scores.
func TestWhatCitizensMean(t *testing.T) {
	ix := demoIndex(t)
	search10 := func(t *testing.T, text string) *search.Result {
		t.Helper()
		res, err := ix.Search(t.Context(), search.Query{Text: text, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%q found nothing", text)
		}
		return res
	}
	t.Run("the start of a longer word", func(t *testing.T) {
		// The demo spells it Honorarium; nobody holds "honor" itself.
		res := search10(t, "honor")
		for _, h := range res.Hits {
			if !strings.Contains(strings.ToLower(allText(h)), "honorarium") {
				t.Errorf("%q: %s holds no word starting with honor", "honor", h.Title)
			}
		}
	})
	t.Run("a node of the account hierarchy", func(t *testing.T) {
		// No line is named Belanja Pegawai: it is the jenis 5.1.01.
		res := search10(t, "belanja pegawai")
		for _, h := range res.Hits {
			if !strings.HasPrefix(h.Fields["account_code"], "5.1.01.") {
				t.Errorf("%s (%s) is not personnel spending", h.Title, h.Fields["account_code"])
			}
		}
		// Salaries are lines under it, though none says pegawai.
		res = search10(t, "gaji pegawai")
		for _, h := range res.Hits {
			if !strings.Contains(strings.ToLower(h.Title), "gaji") || !strings.HasPrefix(h.Fields["account_code"], "5.1.01.") {
				t.Errorf("%s (%s) is not a salary line", h.Title, h.Fields["account_code"])
			}
		}
	})
	t.Run("most of the words", func(t *testing.T) {
		// No record says rusak, and the table knows no broken buildings:
		// building records follow, marked partial.
		res := search10(t, "gedung rusak")
		if res.AllWords != 0 {
			t.Errorf("%d records said to hold rusak", res.AllWords)
		}
		for _, h := range res.Hits {
			if !h.Partial {
				t.Errorf("%s not marked partial", h.Title)
			}
			if !strings.Contains(strings.ToLower(allText(h)), "gedung") {
				t.Errorf("%s holds neither word", h.Title)
			}
		}
	})
	t.Run("more of the words rank first", func(t *testing.T) {
		res := search10(t, "truk sampah kapal")
		if res.AllWords != 0 || res.Total == 0 {
			t.Fatalf("total %d, all words %d", res.Total, res.AllWords)
		}
		// Two of three words rank above one of three.
		first := strings.ToLower(res.Hits[0].Title)
		if !strings.Contains(first, "truk") || !strings.Contains(first, "sampah") {
			t.Errorf("first hit %q lacks truk or sampah", res.Hits[0].Title)
		}
	})
	t.Run("framing words are optional", func(t *testing.T) {
		// No record says anggaran beside the election grants; the
		// word only says the query is about money.
		res := search10(t, "anggaran pilkada 2024")
		if res.AllWords == 0 {
			t.Fatalf("no record holds every required word")
		}
		if h := res.Hits[0]; !strings.Contains(strings.ToLower(allText(h)), "kpu") && !strings.Contains(strings.ToLower(allText(h)), "pemilihan") {
			t.Errorf("first hit %q is not about the election", h.Title)
		}
	})
	t.Run("did you mean", func(t *testing.T) {
		for _, tt := range []struct{ q, want string }{
			// Two edits from the table's restoran: too far for typos.
			{"pajak restauran", "pajak restoran"},
			// Words the table gives a meaning are not misspellings,
			// and a short word is not replaced by another two edits off.
			{"iklan di koran", ""},
		} {
			res, err := ix.Search(t.Context(), search.Query{Text: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			if res.Suggestion != tt.want {
				t.Errorf("%q: suggestion %q, want %q", tt.q, res.Suggestion, tt.want)
			}
		}
	})
}

// allText is everything a hit shows, as relevance_test.go's "text" reads it.
func allText(h search.Hit) string {
	s := h.Title
	for _, v := range h.Fields {
		s += " " + v
	}
	return s
}

package search

import (
	"strings"
	"testing"
)

func TestSnippet(t *testing.T) {
	ix, _, _ := openFixture(t)
	long := strings.Repeat("belanja rutin kantor ", 20) + "pengadaan laptop sekolah " + strings.Repeat("lain lain ", 20)
	for _, tc := range []struct {
		query, text, want string
	}{
		{"jalan", "Pembangunan Jalan Desa", "Pembangunan <mark>Jalan</mark> Desa"},
		// Stems match other forms of a word.
		{"pembangunan", "Membangun jalan", "<mark>Membangun</mark> jalan"},
		// Near misses of long words, as the search tolerates them.
		{"pendidkan", "Dinas Pendidikan", "Dinas <mark>Pendidikan</mark>"},
		// Abbreviations mark their spelled-out words.
		{"ATK", "Alat Tulis Kantor", "<mark>Alat</mark> <mark>Tulis</mark> <mark>Kantor</mark>"},
		// Text is escaped; excluded words are not marked.
		{"tinta -printer", "Tinta & Printer <b>", "<mark>Tinta</mark> &amp; Printer &lt;b&gt;"},
		{`"alat tulis"`, "Alat tulis", "<mark>Alat</mark> <mark>tulis</mark>"},
		{"dinas:kesehatan", "Dinas Kesehatan", "Dinas <mark>Kesehatan</mark>"},
	} {
		m := ix.newMarker(tc.query)
		if m == nil {
			t.Fatalf("newMarker(%q) = nil", tc.query)
		}
		got, ok := m.snippet(tc.text)
		if !ok || got != tc.want {
			t.Errorf("%q in %q:\n got %q, %v\nwant %q", tc.query, tc.text, got, ok, tc.want)
		}
	}
	// Long text is cut around the first mark, at words.
	got, _ := ix.newMarker("laptop").snippet(long)
	plain := strings.NewReplacer("<mark>", "", "</mark>", "", "…", "").Replace(got)
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "pengadaan <mark>laptop</mark> sekolah") ||
		len([]rune(plain)) > snippetRunes || !strings.Contains(" "+long, " "+plain+" ") {
		t.Errorf("snippet of long text = %q", got)
	}
	if m := ix.newMarker("-jalan"); m != nil {
		t.Errorf("a query of excluded words only marks %v", m.stems)
	}
	if _, ok := ix.newMarker("laptop").snippet("Belanja Pegawai"); ok {
		t.Error("text without the query's words has a snippet")
	}
}

func TestOneEdit(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"jalan", "jalan", true}, {"jalan", "jalur", false}, {"jalan", "jalin", true},
		{"jalan", "jala", true}, {"jalan", "jalanan", false}, {"pendidkan", "pendidikan", true},
		{"sekolah", "sekloah", false}, {"", "a", true}, {"ü", "u", true},
	} {
		if got := oneEdit(tc.a, tc.b); got != tc.want {
			t.Errorf("oneEdit(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

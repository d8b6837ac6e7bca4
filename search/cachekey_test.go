package search

import (
	"strings"
	"testing"
)

// FuzzNormalText: the normal text of a query parses to the same clauses
// (plain words may differ in the case of ASCII letters only), normalising
// twice changes nothing, and a text that does not parse is left alone.
func FuzzNormalText(f *testing.F) {
	for _, s := range []string{`jalan "desa baru" -tol wilayah:32.73`, `-"a b`, "a:b:c", "-", `tahun:"2024"`, "/x/", "5.1.02",
		"  Jalan\tDesa ", `SKPD:"Dinas  PU"`, `judul:"a*"`, "--X", `ab"cd`, `:Foo`, `x:"" y`, "PBB-P2 Pajak", `"a"b`, "- -"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm := normalText(s)
		want, err := parseQuery(s)
		if err != nil {
			if norm != s {
				t.Fatalf("normalText(%q) = %q, want it left alone: it does not parse", s, norm)
			}
			return
		}
		if again := normalText(norm); again != norm {
			t.Fatalf("normalText(%q) = %q, but normalText of that = %q", s, norm, again)
		}
		got, err := parseQuery(norm)
		if err != nil {
			t.Fatalf("normalText(%q) = %q, which does not parse: %v", s, norm, err)
		}
		if len(got) != len(want) {
			t.Fatalf("normalText(%q) = %q: %d clauses, want %d", s, norm, len(got), len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			sameText := g.text == w.text || g.kind == clauseWord && strings.EqualFold(g.text, w.text) && len(g.text) == len(w.text)
			if g.kind != w.kind || g.field != w.field || g.not != w.not || !sameText {
				t.Fatalf("normalText(%q) = %q: clause %d is %+v, want %+v", s, norm, i, g, w)
			}
		}
	})
}

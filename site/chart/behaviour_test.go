package chart

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// kinds draws c as every kind of chart, and as small multiples of it.
func kinds(c Chart) map[string]Rendered {
	panels := []Chart{c, {Title: "Panel 2", Categories: c.Categories, Series: c.Series}}
	return map[string]Rendered{
		"bar":       Bar(c),
		"stacked":   StackedBar(c),
		"grouped":   GroupedBar(c),
		"line":      Line(c),
		"multiples": SmallMultiples(c, KindBar, panels),
		"lines":     SmallMultiples(c, KindLine, panels),
		"stacks":    SmallMultiples(c, KindStacked, panels),
		"groups":    SmallMultiples(c, KindGrouped, panels),
	}
}

func TestEscaping(t *testing.T) {
	const evil = `<script>alert("x&y")</script> & "q" 'z' </desc>`
	c := Chart{
		ID:           `x" onload="alert(1)`,
		Title:        evil,
		Categories:   []string{evil, "Belanja Modal"},
		CategoryName: evil,
		Unit:         evil,
		Series:       []Series{{Name: evil, Values: []int64{5, -3}}, {Name: "B", Values: []int64{2, 4}}},
		Format:       func(v int64) string { return "<b>" + strconv.FormatInt(v, 10) + "&" },
	}
	for name, r := range kinds(c) {
		t.Run(name, func(t *testing.T) {
			for _, out := range []string{string(r.SVG), string(r.Table)} {
				for _, bad := range []string{"<script", "<b>", `" onload`} {
					if strings.Contains(out, bad) {
						t.Errorf("output contains %q", bad)
					}
				}
			}
			if n := strings.Count(string(r.SVG), "</desc>"); n != 1 {
				t.Errorf("%d </desc> tags, want 1", n)
			}
			checkSVG(t, string(r.SVG))
			var found bool
			for _, e := range checkXML(t, string(r.Table)) {
				found = found || e.name == "caption" && e.text == evil
			}
			if !found {
				t.Errorf("table caption does not read back as the title:\n%s", r.Table)
			}
		})
	}
}

// TestNegative checks that bars of negative values lie left of the zero
// line and positive ones right of it, for every kind of bar chart.
func TestNegative(t *testing.T) {
	c := Chart{
		ID:         "neg",
		Categories: []string{"SiLPA", "Pembayaran pokok utang", "Penyertaan modal"},
		Series: []Series{
			{Name: "Murni", Values: []int64{300, -200, -75}},
			{Name: "Perubahan", Values: []int64{50, 20, -10}},
		},
	}
	for name, r := range map[string]Rendered{"bar": Bar(c), "stacked": StackedBar(c), "grouped": GroupedBar(c)} {
		t.Run(name, func(t *testing.T) {
			els := checkXML(t, string(r.SVG))
			zero := math.NaN()
			var neg, pos int
			for i, e := range els {
				if e.name == "line" && e.attrs["stroke"] == ink && math.IsNaN(zero) {
					zero, _, _ = length(e.attrs["x1"])
				}
				if e.name != "rect" || i+1 == len(els) || els[i+1].name != "title" {
					continue // legend swatches have no tooltip
				}
				x, _, _ := length(e.attrs["x"])
				w, _, _ := length(e.attrs["width"])
				if strings.Contains(els[i+1].text, "−") {
					neg++
					if x+w > zero+0.11 {
						t.Errorf("negative bar %q spans %.1f–%.1f%%, zero at %.1f%%", els[i+1].text, x, x+w, zero)
					}
				} else {
					pos++
					if x < zero-0.11 {
						t.Errorf("positive bar %q starts at %.1f%%, zero at %.1f%%", els[i+1].text, x, zero)
					}
				}
			}
			if neg == 0 || pos == 0 {
				t.Errorf("found %d negative and %d positive bars", neg, pos)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	tests := []struct {
		name string
		c    Chart
	}{
		{"zero value", Chart{}},
		{"no series", Chart{Categories: []string{"A"}}},
		{"no categories", Chart{Series: []Series{{Name: "A", Values: []int64{1}}}}},
		{"no values", Chart{Categories: []string{"A", "B"}, Series: []Series{{Name: "A"}}}},
		{"all missing", Chart{Categories: []string{"A"}, Series: []Series{{Values: []int64{1}, Missing: []bool{true}}}}},
		{"english", Chart{Lang: "en", Title: "Kosong"}},
	}
	for _, tt := range tests {
		for name, r := range kinds(tt.c) {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				want := "Tidak ada data."
				if tt.c.Lang == "en" {
					want = "No data."
				}
				checkSVG(t, string(r.SVG))
				checkXML(t, string(r.Table))
				if !strings.Contains(string(r.SVG), want) || !strings.Contains(string(r.Table), want) {
					t.Errorf("no %q notice:\n%s\n%s", want, r.SVG, r.Table)
				}
			})
		}
	}
	r := SmallMultiples(Chart{ID: "m"}, KindLine, nil)
	if !strings.Contains(string(r.SVG), "Tidak ada data.") {
		t.Errorf("small multiples without panels:\n%s", r.SVG)
	}
}

// TestExtremes draws all-zero values and the int64 extremes: the output
// must stay well-formed with finite coordinates.
func TestExtremes(t *testing.T) {
	tests := map[string][]int64{
		"zeros":    {0, 0, 0},
		"max":      {math.MaxInt64, math.MaxInt64, 1},
		"min":      {math.MinInt64, math.MinInt64, -1},
		"both":     {math.MaxInt64, math.MinInt64, 0},
		"one":      {1, 0, -1},
		"negative": {-5, -7, -1},
	}
	for name, vs := range tests {
		c := Chart{ID: "x", Categories: []string{"A", "B", "C"}, Series: []Series{{Name: "S", Values: vs}, {Name: "T", Values: vs}}}
		for kind, r := range kinds(c) {
			t.Run(name+"/"+kind, func(t *testing.T) {
				checkSVG(t, string(r.SVG))
				checkXML(t, string(r.Table))
			})
		}
	}
}

// TestLineGaps draws a year of months with gaps: the line breaks at each
// gap and every known month still gets a marker.
func TestLineGaps(t *testing.T) {
	missing := []bool{false, false, false, true, true, false, false, false, true, false, true}
	c := Chart{
		ID:         "gaps",
		Categories: months,
		Series: []Series{
			{Name: "Rencana", Values: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
			// December lies past the end of Values, so it is missing too.
			{Name: "Realisasi", Values: []int64{1, 2, 3, 0, 0, 5, 6, 7, 0, 9, 0}, Missing: missing},
		},
	}
	svg := string(Line(c).SVG)
	checkSVG(t, svg)
	root, err := tree(svg)
	if err != nil {
		t.Fatal(err)
	}
	var segments []*node
	var find func(n *node)
	find = func(n *node) {
		if n.name == "g" && n.attrs["stroke"] == color(1) {
			segments = n.kids
		}
		for _, k := range n.kids {
			find(k)
		}
	}
	find(root)
	// Runs Jan–Mar, Jun–Aug and Oct alone: two segments in each of the
	// first two, none in the third.
	if got := len(segments); got != 4 {
		t.Errorf("line has %d segments, want 4", got)
	}
	for i, sg := range segments[:min(len(segments), 3)] {
		if i%2 == 1 && sg.attrs["x1"] != segments[i-1].attrs["x2"] {
			t.Errorf("segment %d starts at %s, not where segment %d ends (%s)", i, sg.attrs["x1"], i-1, segments[i-1].attrs["x2"])
		}
	}
	marker := `fill="` + color(1) + `" stroke="#ffffff" stroke-width="1"><title>`
	if got := strings.Count(svg, marker); got != 7 {
		t.Errorf("%d markers for Realisasi, want 7 (one per known month)", got)
	}
	if !strings.Contains(svg, "nilai kosong") {
		t.Errorf("description does not mention the missing values")
	}
}

func TestDescribe(t *testing.T) {
	c := Chart{
		Categories: []string{"Pegawai", "Modal", "Hibah", "Barang"},
		Series:     []Series{{Name: "Realisasi", Values: []int64{1200, -50, 30, 840}}},
		Format:     plainFormat,
	}
	two := c
	two.Series = append(two.Series, Series{Name: "Target", Values: []int64{1300}})
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"bar", describe("Diagram batang", wordsFor("id"), []Chart{c}, KindBar),
			"Diagram batang, 4 kategori; terbesar: Pegawai (1.200), Barang (840), Modal (−50)."},
		{"english", describe("Bar chart", wordsFor("en"), []Chart{c}, KindBar),
			"Bar chart, 4 categories; largest: Pegawai (1.200), Barang (840), Modal (−50)."},
		{"two series", describe("Line chart", wordsFor("en"), []Chart{two}, KindLine),
			"Line chart, 4 categories, 2 series, 3 missing values; largest: Target – Pegawai (1.300), Realisasi – Pegawai (1.200), Realisasi – Barang (840)."},
		{"stacked totals", describe("Stacked", wordsFor("en"), []Chart{two}, KindStacked),
			"Stacked, 4 categories, 2 series, 3 missing values; largest: Pegawai (2.500), Barang (840), Modal (−50)."},
		{"given", string(Bar(Chart{ID: "d", Desc: "Belanja pegawai terbesar.", Categories: c.Categories, Series: c.Series}).SVG), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				if !strings.Contains(tt.got, `<desc id="d-desc">Belanja pegawai terbesar.</desc>`) {
					t.Errorf("caller's Desc not used:\n%s", tt.got)
				}
				return
			}
			if diff := cmp.Diff(tt.got, tt.want); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
		})
	}
}

// TestTableHeaders checks that every header cell says what it heads.
func TestTableHeaders(t *testing.T) {
	for _, tt := range cases() {
		t.Run(tt.name, func(t *testing.T) {
			for _, e := range checkXML(t, string(tt.draw().Table)) {
				if s := e.attrs["scope"]; e.name == "th" && s != "col" && s != "row" && s != "rowgroup" {
					t.Errorf("<th> %q has scope %q", e.text, s)
				}
			}
		})
	}
}

// TestPalette checks that every series colour stands out from white for
// graphical objects (3:1, WCAG 1.4.11), that no two are alike, and that
// every series differs from its neighbours in dash pattern.
func TestPalette(t *testing.T) {
	seen := map[string]int{}
	for i := range 8 {
		c := color(i)
		if r := contrast(c); r < 3 {
			t.Errorf("colour %d = %s has contrast %.2f on white", i, c, r)
		}
		if j, dup := seen[c]; dup {
			t.Errorf("colours %d and %d are both %s", j, i, c)
		}
		seen[c] = i
		if dash(i) == dash(i+1) {
			t.Errorf("series %d and %d have the same dash pattern", i, i+1)
		}
	}
	if color(8) != color(0) {
		t.Errorf("the palette has more than 8 colours")
	}
	for _, c := range []string{ink, muted} {
		if contrast(c) < 4.5 {
			t.Errorf("text colour %s has contrast %.2f", c, contrast(c))
		}
	}
}

// TestSeriesColor checks that a series keeps the colour it names, whatever
// its place, on every kind of chart, and that a malformed colour is not
// written out.
func TestSeriesColor(t *testing.T) {
	c := Chart{
		ID: "warna", Categories: []string{"Pajak hotel", "Pajak restoran"},
		Series: []Series{
			{Name: "Target", Values: []int64{10, 20}, Color: Grey},
			{Name: "Realisasi", Values: []int64{8, 15}, Color: Green},
			{Name: "Lain", Values: []int64{1, 2}, Color: `#123"/><script>`},
		},
	}
	for name, r := range kinds(c) {
		t.Run(name, func(t *testing.T) {
			svg := string(r.SVG)
			checkSVG(t, svg)
			if name == "bar" || name == "multiples" {
				return // the first series only
			}
			for _, want := range []string{Grey, Green, color(2)} {
				if !strings.Contains(svg, `"`+want+`"`) {
					t.Errorf("no mark in %s", want)
				}
			}
			if strings.Contains(svg, "#123") {
				t.Errorf("malformed colour written out")
			}
		})
	}
}

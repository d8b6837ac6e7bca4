package site

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

func TestPeriod(t *testing.T) {
	tests := []struct {
		name        string
		first, last int
		id, en      string
	}{
		{"full year", 1, 12, "2024", "2024"},
		{"January to October", 1, 10, "Januari–Oktober 2024", "January–October 2024"},
		{"one month", 3, 3, "Maret 2024", "March 2024"},
		{"March to June", 3, 6, "Maret–Juni 2024", "March–June 2024"},
		{"no months", 0, 0, "2024", "2024"},
		{"out of range", 2, 13, "2024", "2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := [2]string{period(langID, 2024, tt.first, tt.last), period(langEN, 2024, tt.first, tt.last)}
			if diff := cmp.Diff(got, [2]string{tt.id, tt.en}); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
		})
	}
}

// TestRevenuePeriod derives the period from the months with receipts.
func TestRevenuePeriod(t *testing.T) {
	page := &regionPage{Year: 2024}
	for m := 1; m <= 10; m++ {
		var v int64
		if m >= 3 {
			v = 100
		}
		page.Months = append(page.Months, monthRow{Month: m, Name: monthNames[langID][m], Pajak: v})
	}
	if got, want := revenuePeriod(page, langID), "Maret–Oktober 2024"; got != want {
		t.Errorf("revenuePeriod = %q, want %q", got, want)
	}
	// As the region page is built: the period once, then the charts.
	charts := regionCharts(&regionPage{Year: 2024, Months: page.Months, RevenuePeriod: revenuePeriod(page, langID), Levies: []figure{{Label: "Pajak Hotel", Value: 1, Of: 2}}}, langID)
	for _, key := range []string{"levies", "months"} {
		if !strings.Contains(string(charts[key]), "Maret–Oktober 2024</text>") || !strings.Contains(string(charts[key]), ", Maret–Oktober 2024</title>") {
			t.Errorf("%s chart does not show the period:\n%s", key, charts[key])
		}
	}
}

// fullRegionPage has every chart of a region page, with all four budget
// stages.
func fullRegionPage(l lang) *regionPage {
	p := &regionPage{Year: 2024, Plan: "perubahan", PlanLabel: l.label(stageLabels["perubahan"]), JenisReal: true}
	for _, st := range []string{"murni", "pergeseran", "perubahan", "realisasi"} {
		p.Stages = append(p.Stages, stageHead{Stage: st, Label: l.label(stageLabels[st])})
	}
	for i, g := range []string{"Pendapatan Daerah", "Belanja Daerah", "Pembiayaan Daerah"} {
		row := stageRow{Group: g, Label: g}
		for j := range p.Stages {
			row.Cells = append(row.Cells, figure{Value: int64((i + 1) * (j + 10) * 1e12)})
		}
		p.Groups = append(p.Groups, row)
	}
	fig := func(labels ...string) []figure {
		var fs []figure
		for i, s := range labels {
			fs = append(fs, figure{Key: s, Label: s, Value: int64(len(labels)-i) * 7e11, Of: int64(len(labels)-i) * 8e11})
		}
		return fs
	}
	p.Jenis = fig("Belanja Pegawai", "Belanja Barang dan Jasa", "Belanja Modal")
	p.Urusan = fig("Pendidikan", "Kesehatan")
	p.Methods = fig("Tender", "Pengadaan Langsung")
	p.Suppliers = fig("CV Maju", "PT Jaya")
	p.Levies = fig("Pajak Hotel", "Retribusi Parkir")
	for m := 1; m <= 10; m++ {
		p.Months = append(p.Months, monthRow{Month: m, Name: monthNames[l][m], Pajak: int64(m) * 1e10, Retribusi: int64(m) * 1e9})
	}
	p.History = []historyRow{{Year: 2023, totals: totals{Belanja: 9e14, BelanjaReal: 8e14, HasReal: true}}, {Year: 2024, totals: totals{Belanja: 1e15}}}
	p.Members = []memberRow{{Region: &dataset.Region{Name: "Kota Bandung"}, PerCapita: 5e8, totals: totals{HasBudget: true}}}
	return p
}

// legendEntry is a series a chart's legend names, with its colour.
type legendEntry struct{ name, color string }

// svgNode is an element of a chart's SVG, with its children.
type svgNode struct {
	name  string
	attrs map[string]string
	text  string
	kids  []*svgNode
}

func parseSVG(t *testing.T, s string) *svgNode {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	root := &svgNode{}
	open := []*svgNode{root}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return root.kids[0]
		}
		if err != nil {
			t.Fatalf("parse chart: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &svgNode{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			p := open[len(open)-1]
			p.kids = append(p.kids, n)
			open = append(open, n)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			open[len(open)-1].text += string(tok)
		}
	}
}

// walk calls f on n and everything under it.
func (n *svgNode) walk(f func(*svgNode)) {
	f(n)
	for _, k := range n.kids {
		k.walk(f)
	}
}

// legendOf reads a chart's legend: each swatch's colour (a rect's fill or a
// line's stroke) and the name after it.
func legendOf(root *svgNode) []legendEntry {
	var out []legendEntry
	root.walk(func(n *svgNode) {
		if n.name != "g" || n.attrs["class"] != "legend" {
			return
		}
		colour := ""
		for _, k := range n.kids {
			switch k.name {
			case "rect":
				colour = k.attrs["fill"]
			case "path":
				colour = k.attrs["stroke"]
			case "text":
				out = append(out, legendEntry{k.text, colour})
			}
		}
	})
	return out
}

// TestRegionChartColours renders every chart of a region page with all
// stages, in both languages, and checks that each series has the colour
// of its meaning, in the legend and on every bar and point, that no two
// meanings share a colour, and that the series of one chart stay apart
// for colour-blind readers.
func TestRegionChartColours(t *testing.T) {
	seen := map[string]meaning{}
	for m := range meanings {
		c := m.color()
		if other, dup := seen[c]; dup {
			t.Errorf("meanings %d and %d are both %s", other, m, c)
		}
		seen[c] = m
		if r := wcagContrast(c); r < 3 {
			t.Errorf("meaning %d's colour %s has contrast %.2f on white, under 3:1", m, c, r)
		}
	}
	for _, l := range []lang{langID, langEN} {
		name := func(key string) string { return l.translate(key) }
		stage := func(st string) string { return l.label(stageLabels[st]) }
		// What each series name means; names that are one meaning on
		// one chart must be the same meaning on every other.
		want := map[string]meaning{
			stage("murni"): meaningMurni, stage("pergeseran"): meaningPergeseran, stage("perubahan"): meaningPerubahan,
			stage("realisasi"): meaningRealisasi, name("region.realised"): meaningRealisasi, name("region.h.belanjareal"): meaningRealisasi,
			name("region.target"): meaningPlan, name("region.h.belanja"): meaningPlan,
			name("revenue.pajak"): meaningPajak, name("revenue.retribusi"): meaningRetribusi,
			name("region.ceiling"): meaningProcurement, name("region.contract"): meaningProcurement,
		}
		charts := regionCharts(fullRegionPage(l), l)
		for _, key := range []string{"groups", "jenis", "urusan", "methods", "suppliers", "levies", "months", "history", "members"} {
			t.Run(fmt.Sprintf("%s/%s", l.code(), key), func(t *testing.T) {
				svg, ok := charts[key]
				if !ok {
					t.Fatalf("no %s chart", key)
				}
				root := parseSVG(t, string(svg))
				entries := legendOf(root)
				if len(entries) == 0 {
					t.Fatalf("no legend names the colours:\n%s", svg)
				}
				byName := map[string]string{}
				for _, e := range entries {
					m, known := want[e.name]
					if !known {
						t.Errorf("series %q has no meaning in the test", e.name)
						continue
					}
					if e.color != m.color() {
						t.Errorf("series %q is %s, but its meaning's colour is %s", e.name, e.color, m.color())
					}
					byName[e.name] = e.color
				}
				checkMarks(t, root, byName)
				for i, a := range entries {
					for _, b := range entries[i+1:] {
						if d := cvdDistance(a.color, b.color); d < 15 {
							t.Errorf("%q (%s) and %q (%s) differ by only %.1f for a colour-blind reader", a.name, a.color, b.name, b.color, d)
						}
					}
				}
			})
		}
	}
}

// checkMarks checks that every bar and point, named in its tooltip
// ("Kategori – Series: nilai" or "Series – Kategori: nilai"), is drawn in
// its series' legend colour.
func checkMarks(t *testing.T, root *svgNode, byName map[string]string) {
	t.Helper()
	marks := 0
	root.walk(func(n *svgNode) {
		var tip string
		for _, k := range n.kids {
			if k.name == "title" {
				tip = k.text
			}
		}
		if tip == "" || n.name == "svg" && n == root {
			return
		}
		colour := n.attrs["fill"]
		if colour == "" || colour == "#ffffff" {
			colour = n.attrs["stroke"]
		}
		for s, want := range byName {
			if strings.Contains(tip, " – "+s+":") || strings.HasPrefix(tip, s+" – ") {
				marks++
				if colour != want {
					t.Errorf("%q is drawn in %s, its series in %s", tip, colour, want)
				}
			}
		}
	})
	if marks == 0 {
		t.Errorf("no bar or point names its series")
	}
}

// wcagContrast returns the WCAG contrast ratio of #rrggbb against white.
func wcagContrast(hex string) float64 {
	r, g, b := linearRGB(hex)
	return 1.05 / (0.2126*r + 0.7152*g + 0.0722*b + 0.05)
}

// linearRGB decodes #rrggbb into linear-light red, green and blue.
func linearRGB(hex string) (r, g, b float64) {
	n, _ := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return lin(n >> 16), lin(n >> 8 & 0xff), lin(n & 0xff)
}

// cvdDistance is the smallest CIELAB distance (CIE76) between two colours
// as seen with normal vision and with complete protanopia, deuteranopia
// and tritanopia, simulated as Machado, Oliveira and Fernandes (2009) do.
func cvdDistance(a, b string) float64 {
	sims := [][3][3]float64{
		{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
		{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
		{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
		{{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
	}
	lab := func(hex string, m [3][3]float64) [3]float64 {
		r, g, b := linearRGB(hex)
		var v [3]float64
		for i := range v {
			v[i] = min(1, max(0, m[i][0]*r+m[i][1]*g+m[i][2]*b))
		}
		x := (0.4124*v[0] + 0.3576*v[1] + 0.1805*v[2]) / 0.95047
		y := 0.2126*v[0] + 0.7152*v[1] + 0.0722*v[2]
		z := (0.0193*v[0] + 0.1192*v[1] + 0.9505*v[2]) / 1.08883
		f := func(t float64) float64 {
			if t > 0.008856 {
				return math.Cbrt(t)
			}
			return 7.787*t + 16.0/116
		}
		return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
	}
	d := math.Inf(1)
	for _, m := range sims {
		p, q := lab(a, m), lab(b, m)
		d = min(d, math.Sqrt((p[0]-q[0])*(p[0]-q[0])+(p[1]-q[1])*(p[1]-q[1])+(p[2]-q[2])*(p[2]-q[2])))
	}
	return d
}

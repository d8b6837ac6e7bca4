package chart

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/internal/testfiles"
)

// rupiahShort prints sen much as the site does: Rp 1,2 M (miliar), jt, T,
// with no-break spaces after Rp and before the unit.
func rupiahShort(sen int64) string {
	r := float64(sen) / 100
	sign := ""
	if r < 0 {
		sign, r = "−", -r
	}
	for _, u := range []struct {
		div    float64
		suffix string
	}{{1e12, "\u00a0T"}, {1e9, "\u00a0M"}, {1e6, "\u00a0jt"}} {
		if r >= u.div {
			n := strings.TrimSuffix(strconv.FormatFloat(r/u.div, 'f', 1, 64), ".0")
			return sign + "Rp\u00a0" + strings.Replace(n, ".", ",", 1) + u.suffix
		}
	}
	return sign + "Rp\u00a0" + plainFormat(int64(r))
}

// rp turns rupiah into sen.
func rp(rupiah float64) int64 { return int64(rupiah * 100) }

var months = []string{"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"}

// cases are the charts the golden files pin, one per kind and edge.
func cases() []struct {
	name string
	draw func() Rendered
} {
	belanja := Chart{
		ID: "belanja", Title: "Belanja daerah 2024 menurut jenis", CategoryName: "Jenis belanja", Unit: "Rp",
		Categories: []string{"Belanja Pegawai", "Belanja Barang dan Jasa", "Belanja Modal", "Belanja Hibah", "Belanja Bantuan Keuangan kepada Pemerintah Desa dan Partai Politik"},
		Series:     []Series{{Name: "Realisasi", Values: []int64{rp(1.21e12), rp(8.4e11), rp(5.02e11), rp(3.1e10), rp(2.2e11)}}},
		Format:     rupiahShort,
	}
	pembiayaan := Chart{
		ID: "pembiayaan", Title: "Pembiayaan daerah 2024", Lang: "en",
		Categories: []string{"SiLPA tahun lalu", "Pinjaman daerah", "Pembayaran pokok utang", "Penyertaan modal"},
		Series:     []Series{{Name: "Anggaran", Values: []int64{rp(3.2e11), rp(1.5e11), rp(-2.1e11), rp(-7.5e10)}}},
		Format:     rupiahShort,
	}
	stages := Chart{
		ID: "tahap", Title: "Pendapatan per tahap", Desc: "Pendapatan asli daerah naik pada perubahan dan terealisasi 92%.",
		Categories: []string{"Pajak daerah", "Retribusi daerah", "Lain-lain PAD yang sah"},
		Series: []Series{
			{Name: "Murni", Values: []int64{rp(4e11), rp(9e10), rp(6e10)}},
			{Name: "Perubahan", Values: []int64{rp(3e10), rp(-1e10), rp(5e9)}},
			{Name: "Sisa", Values: []int64{rp(2e10), rp(1e10), 0}, Missing: []bool{false, false, true}},
		},
		Format: rupiahShort,
	}
	target := Chart{
		ID: "target", Title: "Target dan realisasi PAD", Subtitle: "Januari–Oktober 2024", CategoryName: "Wilayah",
		Categories: []string{"Kota Bandung", "Kabupaten Bandung Barat", "Kota Cimahi"},
		Series: []Series{
			{Name: "Target", Values: []int64{rp(3.1e12), rp(6.2e11), rp(5.4e11)}, Color: Grey},
			{Name: "Realisasi", Values: []int64{rp(2.9e12), rp(5.1e11)}, Color: Green}, // Cimahi not reported
		},
		Format: rupiahShort,
	}
	monthly := Chart{
		ID: "bulanan", Title: "Realisasi belanja bulanan 2024", CategoryName: "Bulan",
		Categories: months,
		Series: []Series{
			{Name: "Rencana", Values: []int64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120}},
			{Name: "Realisasi", Values: []int64{5, 15, 22, 0, 0, 55, 63, 71, 0, 95, 0, 0},
				Missing: []bool{false, false, false, true, true, false, false, false, true, false, true, true}},
			{Name: "Tahun lalu", Values: []int64{-8, 12, 25, 33, 41, 48, 66, 74, 85, 90, 101, 108}},
		},
	}
	regions := []Chart{
		{Title: "Kota Bandung", Categories: []string{"2021", "2022", "2023", "2024"},
			Series: []Series{{Name: "Pendapatan", Values: []int64{rp(7e12), rp(7.4e12), rp(7.9e12), rp(8.1e12)}}, {Name: "Belanja", Values: []int64{rp(7.2e12), rp(7.3e12), rp(8.2e12), rp(8e12)}}}},
		{Title: "Kabupaten Kepulauan Seribu (data sebagian)", Categories: []string{"2021", "2022", "2023", "2024"},
			Series: []Series{{Name: "Pendapatan", Values: []int64{rp(1e12), 0, rp(1.1e12), rp(1.3e12)}, Missing: []bool{false, true}}}},
		{Title: "Kota Cimahi", Categories: []string{"2021", "2022", "2023", "2024"},
			Series: []Series{{Name: "Belanja", Values: []int64{rp(1.8e12), rp(1.9e12), rp(2.1e12), rp(2.2e12)}}, {Name: "Pendapatan", Values: []int64{rp(1.7e12), rp(1.9e12), rp(2e12), rp(2.3e12)}}}},
	}
	typed := []Chart{
		{Title: "Provinsi", Categories: []string{"Belanja Pegawai", "Belanja Modal"}, Series: []Series{{Name: "Realisasi", Values: []int64{rp(4e12), rp(2e12)}}}},
		{Title: "Kabupaten", Categories: []string{"Belanja Pegawai", "Belanja Modal"}, Series: []Series{{Name: "Realisasi", Values: []int64{rp(9e11), rp(-1e11)}}}},
		{Title: "Kota (belum ada)", Categories: []string{"Belanja Pegawai"}},
	}
	return []struct {
		name string
		draw func() Rendered
	}{
		{"bar", func() Rendered { return Bar(belanja) }},
		{"bar_negative", func() Rendered { return Bar(pembiayaan) }},
		{"stacked", func() Rendered { return StackedBar(stages) }},
		{"grouped", func() Rendered { return GroupedBar(target) }},
		{"line_gaps", func() Rendered { return Line(monthly) }},
		{"line_zero", func() Rendered {
			return Line(Chart{ID: "nol", Title: "Semua nol", Categories: months[:3], Series: []Series{{Name: "A", Values: []int64{0, 0, 0}}}})
		}},
		{"multiples_line", func() Rendered {
			return SmallMultiples(Chart{ID: "wilayah", Title: "Pendapatan dan belanja per wilayah", CategoryName: "Tahun", Format: rupiahShort}, KindLine, regions)
		}},
		{"multiples_bar", func() Rendered {
			return SmallMultiples(Chart{ID: "jenis", Title: "Realisasi menurut jenis pemerintah daerah", Format: rupiahShort, Lang: "en"}, KindBar, typed)
		}},
		{"empty", func() Rendered { return Bar(Chart{ID: "kosong", Title: "Belum ada data"}) }},
	}
}

// TestGolden pins the output of every case (go test ./site/chart -update
// rewrites the files).
func TestGolden(t *testing.T) {
	for _, tt := range cases() {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.draw()
			testfiles.Golden(t, filepath.Join("testdata", tt.name+".svg"), string(r.SVG)+"\n")
			testfiles.Golden(t, filepath.Join("testdata", tt.name+".html"), string(r.Table)+"\n")
		})
	}
}

// TestGoldenPage keeps testdata/all.html, every case on one page with
// Stylesheet, for looking at the charts in a browser.
func TestGoldenPage(t *testing.T) {
	var page strings.Builder
	page.WriteString("<!doctype html>\n<html lang=\"id\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\n<title>chart golden files</title>\n<link rel=\"stylesheet\" href=\"all.css\">\n<body>\n")
	for _, tt := range cases() {
		r := tt.draw()
		page.WriteString("<figure>\n" + string(r.SVG) + "\n" + string(r.Table) + "\n</figure>\n")
	}
	testfiles.Golden(t, filepath.Join("testdata", "all.html"), page.String())
	testfiles.Golden(t, filepath.Join("testdata", "all.css"), "body{font-family:system-ui,sans-serif;max-width:50rem;margin:auto;padding:1rem}figure{margin:1rem 0}\n"+Stylesheet)
}

// TestDeterministic renders every case twice.
func TestDeterministic(t *testing.T) {
	for _, tt := range cases() {
		if a, b := tt.draw(), tt.draw(); a != b {
			t.Errorf("%s: output differs between runs", tt.name)
		}
	}
}

// TestWellFormed parses every SVG and table as XML and checks the rules
// every chart keeps: accessible name, no inline style or script, finite
// numbers, no viewBox, text of at least 12 px in readable colours, marks in
// colours that stand out from white.
func TestWellFormed(t *testing.T) {
	for _, tt := range cases() {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.draw()
			checkSVG(t, string(r.SVG))
			checkXML(t, string(r.Table))
		})
	}
}

// element is a parsed XML element, enough for the checks.
type element struct {
	name  string
	attrs map[string]string
	text  string
}

// parse decodes s strictly and returns its elements in document order.
func parse(s string) ([]element, error) {
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var els []element
	var open []int
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return els, nil
		}
		if err != nil {
			return els, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			open = append(open, len(els))
			els = append(els, e)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				els[open[len(open)-1]].text += string(tok)
			}
		}
	}
}

func checkXML(t *testing.T, s string) []element {
	t.Helper()
	els, err := parse(s)
	if err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, s)
	}
	for _, e := range els {
		if e.name == "script" || e.name == "style" {
			t.Errorf("<%s> element in output", e.name)
		}
		if _, ok := e.attrs["style"]; ok {
			t.Errorf("style attribute on <%s>", e.name)
		}
	}
	return els
}

// numeric are the attributes that must hold finite numbers; horizontal
// ones may be percentages of the chart's (or panel's) width.
var numeric = map[string]bool{"x": true, "y": false, "width": true, "height": false, "cx": true, "cy": false, "r": false,
	"x1": true, "x2": true, "y1": false, "y2": false, "dx": false, "stroke-width": false, "font-size": false}

// length parses a numeric attribute: its number and whether it is a
// percentage.
func length(v string) (float64, bool, error) {
	p := strings.HasSuffix(v, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		err = errors.New("not finite")
	}
	return f, p, err
}

func checkSVG(t *testing.T, s string) {
	t.Helper()
	els := checkXML(t, s)
	root := els[0]
	if root.name != "svg" || root.attrs["role"] != "img" || root.attrs["width"] != "100%" {
		t.Fatalf("root element = %v", root)
	}
	// Without a viewBox a user unit is a CSS pixel, so font-size is the
	// size the reader sees.
	if _, ok := root.attrs["viewBox"]; ok {
		t.Errorf("root has a viewBox, which would scale the text: %v", root.attrs)
	}
	ids := map[string]string{}
	for i, e := range els {
		if id := e.attrs["id"]; id != "" {
			if _, dup := ids[id]; dup {
				t.Errorf("duplicate id %q", id)
			}
			ids[id] = e.name
		}
		for a, horizontal := range numeric {
			v, ok := e.attrs[a]
			if !ok || i == 0 && a == "width" {
				continue
			}
			if _, p, err := length(v); err != nil || p && !horizontal {
				t.Errorf("<%s %s=%q> is not a finite number", e.name, a, v)
			}
		}
		if d := e.attrs["d"]; strings.ContainsAny(d, "NI%") {
			t.Errorf("path d=%q", d)
		}
		if fs, ok := e.attrs["font-size"]; ok {
			if f, _, _ := length(fs); f < 12 {
				t.Errorf("<%s font-size=%q>: text smaller than 12 px", e.name, fs)
			}
		}
		if e.name == "text" {
			if c := e.attrs["fill"]; c != "" && contrast(c) < 4.5 {
				t.Errorf("text %q in %s has contrast %.2f", e.text, c, contrast(c))
			}
			continue
		}
		// Marks: a series colour must stand out from white (WCAG 1.4.11);
		// white and the grid's rule colour are not series colours.
		for _, a := range []string{"fill", "stroke"} {
			if c := e.attrs[a]; strings.HasPrefix(c, "#") && c != "#ffffff" && c != rule && contrast(c) < 3 {
				t.Errorf("<%s %s=%q> has contrast %.2f on white", e.name, a, c, contrast(c))
			}
		}
	}
	refs := strings.Fields(root.attrs["aria-labelledby"])
	if len(refs) != 2 || ids[refs[0]] != "title" || ids[refs[1]] != "desc" {
		t.Errorf("aria-labelledby=%q points at %v", root.attrs["aria-labelledby"], ids)
	}
	if contrast(root.attrs["fill"]) < 4.5 {
		t.Errorf("default text colour %s", root.attrs["fill"])
	}
}

// contrast returns the WCAG contrast ratio of #rrggbb against white.
func contrast(hex string) float64 {
	n, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil || len(hex) != 7 {
		return 0
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(n>>16) + 0.7152*lin(n>>8&0xff) + 0.0722*lin(n&0xff)
	return 1.05 / (l + 0.05)
}

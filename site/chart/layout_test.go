package chart

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// node is an element of a parsed SVG, with its children.
type node struct {
	name  string
	attrs map[string]string
	text  string
	kids  []*node
}

// tree parses s into its root element.
func tree(s string) (*node, error) {
	d := xml.NewDecoder(strings.NewReader(s))
	var root *node
	var open []*node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(open) > 0 {
				p := open[len(open)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			open = append(open, n)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				open[len(open)-1].text += string(tok)
			}
		}
	}
}

// box is where a text or a bar lies once laid out, in pixels.
type box struct {
	what                     string
	left, right, top, bottom float64
}

// layout places the text and bars of a chart drawn w pixels wide, as a
// browser would, estimating text widths the way the package does.
func layout(root *node, w float64) []box {
	var out []box
	var walk func(n *node, ox, oy, vw float64)
	walk = func(n *node, ox, oy, vw float64) {
		at := func(a string, def float64) float64 {
			v, ok := n.attrs[a]
			if !ok {
				return def
			}
			f, p, _ := length(v)
			if p {
				return f / 100 * vw
			}
			return f
		}
		switch n.name {
		case "svg":
			if n != root {
				ox, oy = ox+at("x", 0), oy+at("y", 0)
				vw = at("width", vw)
			}
		case "g":
			var dx, dy float64
			if _, err := fmt.Sscanf(n.attrs["transform"], "translate(%g %g)", &dx, &dy); err == nil {
				ox, oy = ox+dx, oy+dy
			}
		case "text":
			size := 13.0
			if fs, ok := n.attrs["font-size"]; ok {
				size, _ = strconv.ParseFloat(fs, 64)
			}
			x, y, tw := ox+at("x", 0)+at("dx", 0), oy+at("y", 0), textWidth(n.text, size)
			switch n.attrs["text-anchor"] {
			case "middle":
				x -= tw / 2
			case "end":
				x -= tw
			}
			out = append(out, box{"text " + strconv.Quote(n.text), x, x + tw, y - 0.75*size, y + 0.25*size})
		case "rect":
			x := ox + at("x", 0)
			out = append(out, box{"rect", x, x + at("width", 0), oy + at("y", 0), oy + at("y", 0) + at("height", 0)})
		}
		for _, k := range n.kids {
			walk(k, ox, oy, vw)
		}
	}
	walk(root, 0, 0, w)
	return out
}

// TestFits lays every case out on the narrowest screen planned for, a
// phone and a desktop: text and bars stay inside the chart, and no two
// texts overlap.
func TestFits(t *testing.T) {
	long := Chart{
		ID: "panjang", Title: "Label panjang",
		Categories: []string{"Urusan Pemerintahan Wajib yang Berkaitan dengan Pelayanan Dasar Pekerjaan Umum dan Penataan Ruang", "Pendidikan"},
		Series:     []Series{{Name: "APBD perubahan dengan nama yang panjang sekali", Values: []int64{rp(9.87e11), rp(-1.2e11)}}, {Name: "Realisasi", Values: []int64{rp(8.1e11), rp(3e10)}}},
		Format:     rupiahShort,
	}
	all := cases()
	for _, k := range []struct {
		name string
		draw func(Chart) Rendered
	}{{"long_bar", Bar}, {"long_grouped", GroupedBar}, {"long_stacked", StackedBar}, {"long_line", Line}} {
		all = append(all, struct {
			name string
			draw func() Rendered
		}{k.name, func() Rendered { return k.draw(long) }})
	}
	for _, tt := range all {
		root, err := tree(string(tt.draw().SVG))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []float64{minWidth, 360, 768} {
			t.Run(fmt.Sprintf("%s/%g", tt.name, w), func(t *testing.T) {
				boxes := layout(root, w)
				h, _, _ := length(root.attrs["height"])
				var texts []box
				for _, b := range boxes {
					if b.left < -0.5 || b.right > w+0.5 || b.top < -0.5 || b.bottom > h+0.5 {
						t.Errorf("%s at %.1f–%.1f × %.1f–%.1f sticks out of %g × %g", b.what, b.left, b.right, b.top, b.bottom, w, h)
					}
					if strings.HasPrefix(b.what, "text") {
						texts = append(texts, b)
					}
				}
				for i, a := range texts {
					for _, b := range texts[i+1:] {
						if a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom {
							t.Errorf("%s (%.1f–%.1f, %.1f–%.1f) overlaps %s (%.1f–%.1f, %.1f–%.1f)", a.what, a.left, a.right, a.top, a.bottom, b.what, b.left, b.right, b.top, b.bottom)
						}
					}
				}
			})
		}
	}
}

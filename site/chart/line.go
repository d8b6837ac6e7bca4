package chart

import (
	"fmt"
	"math"
	"strings"
)

// linePlot draws series as lines over evenly spaced categories.
type linePlot struct {
	cats   []string
	series []Series
	looks  []look
	format func(int64) string
	scale  lineScale
	width  float64 // the narrowest width planned for, in pixels
	plotH  float64 // height of the plotting area
}

// draw returns the lines as SVG and their height. The tick labels sit
// right-aligned against the plotting area, which starts at a fixed
// percentage of the width: at the narrowest width just past the widest
// label.
func (p linePlot) draw() (string, float64) {
	var l layers
	x0 := p.tickWidth() + 2*gap
	bottom := 8.0 + p.plotH // room above for the top tick label
	py := func(v float64) float64 {
		return bottom - (v-p.scale.lo)/(p.scale.hi-p.scale.lo)*p.plotH
	}
	for _, t := range p.scale.ticks {
		y := py(float64(t))
		stroke := rule
		if t == 0 {
			stroke = ink
		}
		fmt.Fprintf(&l.grid, "<line x1=\"%s\" y1=\"%s\" x2=\"100%%\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>\n", pct(x0, p.width), num(y), num(y), stroke)
		text(&l.text, pct(x0, p.width), y+4, ` dx="-`+num(gap)+`" text-anchor="end" font-size="`+num(smallSize)+`" fill="`+muted+`"`, p.format(t))
	}
	xs := p.xs(x0, p.width)
	p.xLabels(&l, xs, bottom+18)
	for j, s := range p.series {
		p.line(&l, p.looks[j], s, xs, py)
	}
	return l.String(), bottom + 24
}

// tickWidth is the width of the widest tick label.
func (p linePlot) tickWidth() float64 {
	w := 0.0
	for _, t := range p.scale.ticks {
		w = max(w, textWidth(clean(p.format(t)), smallSize))
	}
	return w
}

// xs spaces the categories evenly between x0 and x1, inset so that markers
// and labels at the ends are not cut off.
func (p linePlot) xs(x0, x1 float64) []float64 {
	n := len(p.cats)
	pad := min(14, (x1-x0)/4)
	xs := make([]float64, n)
	for i := range xs {
		if n == 1 {
			xs[i] = (x0 + x1) / 2
			continue
		}
		xs[i] = x0 + pad + float64(i)*(x1-x0-2*pad)/float64(n-1)
	}
	return xs
}

// xLabels writes the category labels under the axis, only every k-th one
// when they would otherwise overlap at the narrowest width.
func (p linePlot) xLabels(l *layers, xs []float64, y float64) {
	labels := make([]string, len(p.cats))
	widest := 0.0
	for i, c := range p.cats {
		labels[i] = ellipsize(clean(c), 90, smallSize)
		widest = max(widest, textWidth(labels[i], smallSize))
	}
	step := 1
	if len(xs) > 1 && xs[1] > xs[0] {
		// Ceil before converting: a float too large for an int would not
		// convert reliably.
		f := math.Ceil((widest + 8) / (xs[1] - xs[0]))
		step = len(xs)
		if f < float64(len(xs)) {
			step = max(1, int(f))
		}
	}
	for i := 0; i < len(xs); i += step {
		w := textWidth(labels[i], smallSize)
		x := min(max(xs[i], w/2), p.width-w/2)
		text(&l.text, pct(x, p.width), y, ` text-anchor="middle" font-size="`+num(smallSize)+`"`, labels[i])
	}
}

// line draws one series: a segment between every two neighbouring known
// values (a path cannot take percentages, so the line is made of <line>
// elements, joined under the markers), and a marker at every known value,
// so that a value between two gaps still shows.
func (p linePlot) line(l *layers, lk look, s Series, xs []float64, py func(float64) float64) {
	var segs, pts strings.Builder
	prevX, prevY, prev := 0.0, 0.0, false
	for i, x := range xs {
		v, ok := s.at(i)
		if !ok {
			prev = false
			continue
		}
		y := py(float64(v))
		if prev {
			fmt.Fprintf(&segs, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>\n", pct(prevX, p.width), num(prevY), pct(x, p.width), num(y))
		}
		prevX, prevY, prev = x, y, true
		tip := clean(p.cats[i]) + ": " + p.format(v)
		if s.Name != "" {
			tip = clean(s.Name) + " – " + tip
		}
		marker(&pts, lk, pct(x, p.width), y, tip)
	}
	if segs.Len() > 0 {
		fmt.Fprintf(&l.marks, "<g class=\"line\" stroke=\"%s\" stroke-width=\"2\"%s>\n%s</g>\n", lk.color, dashAttr(lk.style), segs.String())
	}
	l.marks.WriteString(pts.String())
}

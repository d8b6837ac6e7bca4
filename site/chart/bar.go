package chart

import (
	"fmt"
	"strings"
)

// Bar geometry in pixels.
const (
	barH      = 18.0 // a bar in Bar and StackedBar
	groupBarH = 13.0 // one bar of a group in GroupedBar
	groupGap  = 2.0  // between the bars of a group
	rowGap    = 10.0 // between categories
	maxLines  = 3    // lines a category label may wrap onto
)

// barPlot draws horizontal bars of any kind. Each category's label takes
// the chart's whole width on lines of its own, above its bars, so that long
// labels wrap instead of squeezing the bars on a phone; every bar carries
// its value, so there is no value axis.
type barPlot struct {
	kind   Kind
	cats   []string
	series []Series
	looks  []look
	format func(int64) string
	scale  barScale
	width  float64 // the narrowest width planned for, in pixels
}

// layers collects output that must be drawn in order: grid lines under the
// marks (bars, lines), text on top.
type layers struct{ grid, marks, text strings.Builder }

// String joins the layers. Text gets no halo (paint-order): browsers that
// ignore paint-order, such as Opera Mini, would paint it over the letters.
func (l *layers) String() string {
	return "<g class=\"grid\">\n" + l.grid.String() + "</g>\n<g class=\"marks\">\n" + l.marks.String() +
		"</g>\n<g class=\"labels\">\n" + l.text.String() + "</g>\n"
}

// draw returns the bars as SVG and their height.
func (p barPlot) draw() (string, float64) {
	var l layers
	m := p.scale.mapper(1, p.width-2) // the zero line is 1 px wide
	y := 0.0
	for i := range p.cats {
		y += p.row(&l, i, y, m) + rowGap
	}
	return l.String(), y - rowGap
}

// row draws category i from y down and returns its height.
func (p barPlot) row(l *layers, i int, y float64, m xmap) float64 {
	block := barH
	if p.kind == KindGrouped {
		block = float64(len(p.series))*(groupBarH+groupGap) - groupGap
	}
	lines := wrap(p.cats[i], p.width, fontSize, maxLines)
	for j, s := range lines {
		text(&l.text, "0", y+float64(j+1)*lineH-4, "", s)
	}
	top := y + float64(len(lines))*lineH + 2
	p.zeroLine(l, m.px(0), top-2, top+block+2) // not through the label above
	p.bars(l, i, top, m)
	return top - y + block
}

// bars draws category i's bars and value labels from top down.
func (p barPlot) bars(l *layers, i int, top float64, m xmap) {
	cat := clean(p.cats[i])
	switch p.kind {
	case KindStacked:
		p.stack(l, i, top, m)
	case KindGrouped:
		for j, s := range p.series {
			y := top + float64(j)*(groupBarH+groupGap)
			v, ok := s.at(i)
			p.bar(l, p.looks[j], y, groupBarH, 0, float64(v), m, cat+" – "+s.Name+": "+valueLabel(v, ok, p.format))
			p.label(l, y+groupBarH/2, m.px(float64(v)), valueLabel(v, ok, p.format), v < 0)
		}
	default:
		s := p.series[0]
		v, ok := s.at(i)
		tip := cat + ": " + valueLabel(v, ok, p.format)
		if s.Name != "" {
			tip = cat + " – " + s.Name + ": " + valueLabel(v, ok, p.format)
		}
		p.bar(l, p.looks[0], top, barH, 0, float64(v), m, tip)
		p.label(l, top+barH/2, m.px(float64(v)), valueLabel(v, ok, p.format), v < 0)
	}
}

// stack draws category i's segments outwards from zero in series order,
// positive ones to the right and negative ones to the left, and the total.
func (p barPlot) stack(l *layers, i int, top float64, m xmap) {
	cat := clean(p.cats[i])
	pos, neg := 0.0, 0.0
	for j, s := range p.series {
		v, ok := s.at(i)
		if !ok || v == 0 {
			continue
		}
		tip := cat + " – " + s.Name + ": " + p.format(v)
		if v > 0 {
			p.bar(l, p.looks[j], top, barH, pos, pos+float64(v), m, tip)
			pos += float64(v)
		} else {
			p.bar(l, p.looks[j], top, barH, neg, neg+float64(v), m, tip)
			neg += float64(v)
		}
	}
	_, _, net, ok := stackAt(p.series, i)
	end := pos
	if net < 0 {
		end = neg
	}
	p.label(l, top+barH/2, m.px(end), valueLabel(net, ok, p.format), net < 0)
}

// bar draws one bar, or a stacked segment, from value a to value b.
func (p barPlot) bar(l *layers, lk look, y, h, a, b float64, m xmap, tip string) {
	x0, x1 := min(m.px(a), m.px(b)), max(m.px(a), m.px(b))
	if x1-x0 < 0.05 {
		return // nothing would show; the value label still does
	}
	fmt.Fprintf(&l.marks, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"0.5\"><title>%s</title></rect>\n",
		pct(x0, p.width), num(y), pct(x1-x0, p.width), num(h), lk.color, ink, esc(tip))
}

// label prints a value next to the end of its bar: right of it for values
// from zero up, left of it for negative values. The gap is in pixels, the
// end a percentage, so the label keeps its distance at any width.
func (p barPlot) label(l *layers, y, end float64, s string, neg bool) {
	if neg {
		text(&l.text, pct(end, p.width), y+4, ` dx="-`+num(gap)+`" text-anchor="end" font-size="`+num(smallSize)+`"`, s)
		return
	}
	text(&l.text, pct(end, p.width), y+4, ` dx="`+num(gap)+`" font-size="`+num(smallSize)+`"`, s)
}

// zeroLine draws the line bars start from, at x from y0 down to y1.
func (p barPlot) zeroLine(l *layers, x, y0, y1 float64) {
	fmt.Fprintf(&l.grid, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>\n", pct(x, p.width), num(y0), pct(x, p.width), num(y1), ink)
}

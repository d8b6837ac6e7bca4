package chart

import (
	"fmt"
	"slices"
	"strings"
)

// Bar geometry in viewBox units.
const (
	barH      = 18.0 // a bar in Bar and StackedBar
	groupBarH = 12.0 // one bar of a group in GroupedBar
	groupGap  = 2.0  // between the bars of a group
	rowGap    = 8.0  // between categories
	maxLines  = 3    // lines a category label may wrap onto
)

// barPlot draws horizontal bars of any kind.
type barPlot struct {
	kind   Kind
	cats   []string
	series []Series
	styles []int // palette index of each series
	format func(int64) string
	scale  barScale
	width  float64
	// above puts each category's label on its own line above its bars and
	// leaves out the tick labels, for the narrow panels of small multiples.
	above bool
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
	labelW, x0 := 0.0, 0.0
	if !p.above {
		labelW = p.labelWidth()
		x0 = labelW + 2*gap
	}
	m := p.scale.mapper(x0, p.width-2)
	y := 0.0
	for i := range p.cats {
		y += p.row(&l, i, y, labelW, m) + rowGap
	}
	bottom := y - rowGap
	if !p.above {
		zeroLine(&l, m.px(0), 0, bottom)
		bottom = p.axis(&l, m, bottom)
	}
	return l.String(), bottom
}

// labelWidth is the width of the label column: the widest label, but no
// more than 45% of the chart; longer labels wrap.
func (p barPlot) labelWidth() float64 {
	w := 0.0
	for _, c := range p.cats {
		w = max(w, textWidth(clean(c), fontSize))
	}
	return min(w, 0.45*p.width)
}

// row draws category i from y down and returns its height.
func (p barPlot) row(l *layers, i int, y, labelW float64, m xmap) float64 {
	block := barH
	if p.kind == KindGrouped {
		block = float64(len(p.series))*(groupBarH+groupGap) - groupGap
	}
	if p.above {
		lines := wrap(p.cats[i], p.width, smallSize, 2)
		for j, s := range lines {
			text(&l.text, 0, y+float64(j+1)*lineH-4, ` font-size="12"`, s)
		}
		top := y + float64(len(lines))*lineH
		zeroLine(l, m.px(0), top, top+block) // not through the label above
		p.bars(l, i, top, m)
		return top - y + block
	}
	lines := wrap(p.cats[i], labelW, fontSize, maxLines)
	h := max(float64(len(lines))*lineH, block)
	first := y + (h-float64(len(lines))*lineH)/2 + lineH - 4
	for j, s := range lines {
		text(&l.text, labelW, first+float64(j)*lineH, ` text-anchor="end"`, s)
	}
	p.bars(l, i, y+(h-block)/2, m)
	return h
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
			p.bar(l, p.styles[j], y, groupBarH, 0, float64(v), m, cat+" – "+s.Name+": "+valueLabel(v, ok, p.format))
			p.label(l, y+groupBarH/2, m.px(float64(v)), valueLabel(v, ok, p.format), v < 0)
		}
	default:
		v, ok := p.series[0].at(i)
		p.bar(l, p.styles[0], top, barH, 0, float64(v), m, cat+": "+valueLabel(v, ok, p.format))
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
			p.bar(l, p.styles[j], top, barH, pos, pos+float64(v), m, tip)
			pos += float64(v)
		} else {
			p.bar(l, p.styles[j], top, barH, neg, neg+float64(v), m, tip)
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
func (p barPlot) bar(l *layers, style int, y, h, a, b float64, m xmap, tip string) {
	x0, x1 := min(m.px(a), m.px(b)), max(m.px(a), m.px(b))
	if x1-x0 < 0.05 {
		return // nothing would show; the value label still does
	}
	fmt.Fprintf(&l.marks, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"0.5\"><title>%s</title></rect>\n",
		num(x0), num(y), num(x1-x0), num(h), color(style), ink, esc(tip))
}

// label prints a value next to the end of its bar: right of it for values
// from zero up, left of it for negative values.
func (p barPlot) label(l *layers, y, end float64, s string, neg bool) {
	if neg {
		text(&l.text, end-gap, y+4, ` text-anchor="end" font-size="12"`, s)
		return
	}
	text(&l.text, end+gap, y+4, ` font-size="12"`, s)
}

// zeroLine draws the line bars start from, at x from y0 down to y1.
func zeroLine(l *layers, x, y0, y1 float64) {
	fmt.Fprintf(&l.grid, "<path d=\"M%s %sV%s\" stroke=\"%s\" stroke-width=\"1\"/>\n", num(x), num(y0), num(y1), ink)
}

// axis draws vertical grid lines at round values with their tick labels
// below the bars, and returns the new bottom. Zero is labelled first; other
// ticks only where their label does not touch one already placed.
func (p barPlot) axis(l *layers, m xmap, bottom float64) float64 {
	tw := max(textWidth(clean(p.format(toInt(p.scale.lo))), smallSize), textWidth(clean(p.format(toInt(p.scale.hi))), smallSize))
	// The smallest round step whose ticks are a label's width apart.
	step := niceStep((tw+12)/m.k, 1)
	ticks := slices.DeleteFunc(ticksIn(p.scale.lo, p.scale.hi, step), func(t int64) bool { return t == 0 })
	ticks = append([]int64{0}, ticks...)
	var placed [][2]float64
	for _, t := range ticks {
		s := clean(p.format(t))
		x, w := m.px(float64(t)), textWidth(s, smallSize)
		c := min(max(x, w/2), p.width-w/2) // keep the label inside the chart
		span := [2]float64{c - w/2 - 6, c + w/2 + 6}
		if slices.ContainsFunc(placed, func(o [2]float64) bool { return span[0] < o[1] && o[0] < span[1] }) {
			continue
		}
		placed = append(placed, span)
		if t != 0 {
			fmt.Fprintf(&l.grid, "<path d=\"M%s 0V%s\" stroke=\"%s\" stroke-width=\"1\"/>\n", num(x), num(bottom), rule)
		}
		text(&l.text, c, bottom+16, ` text-anchor="middle" font-size="12" fill="`+muted+`"`, s)
	}
	return bottom + 22
}

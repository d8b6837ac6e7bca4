package chart

import (
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
)

// Small-multiples geometry in viewBox units.
const (
	panelGapX  = 16.0 // between columns
	panelGapY  = 20.0 // between rows
	panelLineH = 90.0 // plotting height of a line panel
)

// SmallMultiples draws a grid of small charts of one kind, one per region
// or type, all on one value scale so that they can be compared at a glance.
// c gives the whole grid's ID, Title, Subtitle, Desc, Format, Unit,
// CategoryName and Lang (its Categories and Series are not used); each
// panel gives its own Title, drawn above it, and its data. Series with the
// same Name share a colour (the first Color given for the name) and one
// legend entry across panels. Panels are laid out two to a row, each half
// the chart's width, or one to a row when the value labels of bars would
// leave the bars less than half of a half-width panel; bar panels put category labels above the bars and
// leave the value axis out (each bar carries its value). The table lists
// every panel as a group of rows.
func SmallMultiples(c Chart, kind Kind, panels []Chart) Rendered {
	c = c.normal()
	w := wordsFor(c.Lang)
	if kind < KindBar || kind > KindLine {
		kind = KindBar
	}
	ps := make([]Chart, len(panels))
	data := false
	for i, p := range panels {
		p.Format = c.Format
		if kind == KindBar {
			p.Series = p.Series[:min(len(p.Series), 1)]
		}
		ps[i] = p
		data = data || hasData(p.Categories, p.Series)
	}
	if !data {
		return empty(c, w)
	}
	desc := c.Desc
	if desc == "" {
		desc = describe(w.multiples, w, ps, kind)
	}
	all, looks := seriesLooks(ps)
	var body, leg strings.Builder
	y := subtitle(&body, c.Subtitle)
	lh := legend(&leg, kind, all, looks, minWidth)
	down(&body, y, leg.String())
	y += lh
	y += grid(&body, y, kind, ps, all, looks, w)
	return Rendered{
		SVG:   frame(c.ID, c.fullTitle(), desc, "chart-multiples "+kind.class(), y, body.String()),
		Table: multiplesTable(c, kind, ps, all, w),
	}
}

// seriesLooks lists the distinct series names of all panels in order of
// first appearance, and the look of each: a name's place in the list
// chooses its style, and its colour unless a series of that name gives one.
func seriesLooks(panels []Chart) ([]string, []look) {
	var ns []string
	var ls []look
	for _, p := range panels {
		for _, s := range p.Series {
			i := slices.Index(ns, s.Name)
			if i < 0 {
				i = len(ns)
				ns = append(ns, s.Name)
				ls = append(ls, look{color(i), i})
			}
			if validColor(s.Color) && ls[i].color == color(i) {
				ls[i].color = s.Color
			}
		}
	}
	return ns, ls
}

// grid draws the panels two to a row from y down and returns its height.
// Each panel is a nested <svg> half the chart's width, so that the
// percentages inside it are of the panel's width.
func grid(b *strings.Builder, y float64, kind Kind, ps []Chart, all []string, looks []look, w words) float64 {
	bars, lines := barScale{}, measureLine(ps).scale(3)
	for _, p := range ps {
		bars = bars.merge(measureBars(kind, p.Categories, p.Series, p.Format))
	}
	cols := min(2, len(ps))
	pw := (minWidth - panelGapX*float64(cols-1)) / float64(cols)
	if kind != KindLine && bars.padNeg+bars.padPos > pw/2 {
		cols, pw = 1, minWidth // value labels would leave the bars no room
	}
	start := y
	for row := 0; row < len(ps); row += cols {
		rowH, titleLines := 0.0, 1
		for _, p := range ps[row:min(row+cols, len(ps))] {
			titleLines = max(titleLines, len(wrap(p.Title, pw, fontSize, 2)))
		}
		for col, p := range ps[row:min(row+cols, len(ps))] {
			svg, h := panel(p, kind, all, looks, bars, lines, pw, titleLines, w)
			fmt.Fprintf(b, "<svg x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\">\n%s</svg>\n",
				pct(float64(col)*(pw+panelGapX), minWidth), num(y), pct(pw, minWidth), num(h), svg)
			rowH = max(rowH, h)
		}
		y += rowH + panelGapY
	}
	return y - start - panelGapY
}

// panel draws one panel, its title above its chart, and returns its height.
// The chart starts below titleLines lines, the most any title in the row
// takes, so that the charts of a row line up.
func panel(p Chart, kind Kind, all []string, looks []look, bars barScale, lines lineScale, pw float64, titleLines int, w words) (string, float64) {
	var b strings.Builder
	for i, s := range wrap(p.Title, pw, fontSize, 2) {
		text(&b, "0", float64(i+1)*lineH-3, ` font-weight="600"`, s)
	}
	top := float64(titleLines)*lineH + 6
	if !hasData(p.Categories, p.Series) {
		text(&b, "0", top+14, ` font-size="`+num(smallSize)+`" fill="`+muted+`"`, w.noData)
		return b.String(), top + 20
	}
	ls := make([]look, len(p.Series))
	for i, s := range p.Series {
		ls[i] = looks[slices.Index(all, s.Name)]
	}
	var svg string
	var h float64
	if kind == KindLine {
		svg, h = linePlot{p.Categories, p.Series, ls, p.Format, lines, pw, panelLineH}.draw()
	} else {
		svg, h = barPlot{kind, p.Categories, p.Series, ls, p.Format, bars, pw}.draw()
	}
	down(&b, top, svg)
	return b.String(), top + h
}

// multiplesTable renders every panel's numbers: one column per series name
// and, per panel, a group of rows headed by the panel's title.
func multiplesTable(c Chart, kind Kind, ps []Chart, all []string, w words) template.HTML {
	var b strings.Builder
	head(&b, c, kind, all, w)
	cols := len(all) + 1
	if kind == KindStacked {
		cols++
	}
	for _, p := range ps {
		b.WriteString("<tbody>\n<tr><th scope=\"rowgroup\" colspan=\"" + strconv.Itoa(cols) + "\">" + esc(p.Title) + "</th></tr>\n")
		aligned := make([]Series, len(all))
		for i, n := range all {
			if j := slices.IndexFunc(p.Series, func(s Series) bool { return s.Name == n }); j >= 0 {
				aligned[i] = p.Series[j]
			}
		}
		rows(&b, p.Categories, aligned, kind, c.Format)
		b.WriteString("</tbody>\n")
	}
	b.WriteString("</table>")
	return template.HTML(b.String())
}

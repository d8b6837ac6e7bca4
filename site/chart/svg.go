package chart

import (
	"fmt"
	"html/template"
	"strings"
)

// Layout. The SVG has no viewBox, so one user unit is one CSS pixel: text
// is drawn at its font size whatever the width of the screen. Vertical
// positions are in pixels; horizontal ones are percentages of the chart's
// width (bars, points, grid lines, their labels) or pixels from its left
// edge (legend, category labels). Text widths are estimated (text.go) and
// every horizontal room is planned for a chart minWidth pixels wide, so
// that it holds on the narrowest screen and only grows on wider ones.
const (
	minWidth  = 280.0 // the narrowest chart laid out: a 320 px phone less the page's margins
	fontSize  = 13.0  // labels and legend
	smallSize = 12.0  // values and ticks; the smallest text drawn
	lineH     = 16.0  // distance between lines of a wrapped label
	gap       = 4.0   // between a mark and its text
)

// Colours of text and rules. Both text colours have at least 4.5:1
// contrast on white (ink 16.1:1, muted 6.4:1); lines of the grid are
// decoration and may be light.
const (
	ink   = "#1b1f24"
	muted = "#57606a"
	rule  = "#d0d7de"
)

// The palette of series colours. Each has at least 3:1 contrast on white
// (WCAG 1.4.11 for graphical objects), so that a bar or a line is visible
// without its outline; the first three are Okabe–Ito's, whose orange, sky
// blue, reddish purple and yellow are too light on white and are replaced
// by darker colours from Paul Tol's schemes and ColorBrewer. The first four
// stay apart for readers with any of the three kinds of colour blindness
// (simulated CIELAB distance of at least 17). A caller that gives meanings
// to colours (Series.Color) should take them from here.
const (
	Blue      = "#0072B2" // 5.2:1
	Vermilion = "#D55E00" // 3.9:1
	Green     = "#009E73" // 3.4:1
	Wine      = "#882255" // 8.7:1
	Indigo    = "#332288" // 12.2:1
	Ochre     = "#A6761D" // 4.0:1
	Purple    = "#AA4499" // 5.3:1
	Grey      = "#4D4D4D" // 8.5:1
)

// color returns the i-th colour of the palette, the colour of a series
// that names none.
func color(i int) string {
	p := [...]string{Blue, Vermilion, Green, Wine, Indigo, Ochre, Purple, Grey}
	return p[i%len(p)]
}

// validColor reports whether c is a colour as #rrggbb, the only form a
// Series.Color is written out in.
func validColor(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	for _, r := range c[1:] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return true
}

// look is how one series is drawn: its colour, and the style index that
// chooses its dash pattern and point marker.
type look struct {
	color string
	style int
}

// looksOf gives series their colours and styles in order: a series' own
// Color, else the palette colour of its position.
func looksOf(series []Series) []look {
	ls := make([]look, len(series))
	for i, s := range series {
		ls[i] = look{color(i), i}
		if validColor(s.Color) {
			ls[i].color = s.Color
		}
	}
	return ls
}

// dash returns the i-th series' stroke-dasharray ("" for solid).
func dash(i int) string {
	d := [...]string{"", "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 4"}
	return d[i%len(d)]
}

// pct prints x, a position in a drawing w pixels wide at its narrowest, as
// a percentage of the drawing's width.
func pct(x, w float64) string {
	return num(100*x/w) + "%"
}

// frame wraps a drawing h pixels high in the <svg> element with its
// accessible name. It has no viewBox: its width is that of its container.
func frame(id, title, desc, class string, h float64, body string) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart %s" width="100%%" height="%s" role="img" aria-labelledby="%s-title %s-desc" font-family="system-ui, sans-serif" font-size="%s" fill="%s">`+"\n",
		class, num(h), id, id, num(fontSize), ink)
	fmt.Fprintf(&b, "<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", id, esc(title), id, esc(desc))
	b.WriteString(body)
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// empty renders a chart without data: a short notice in place of the
// drawing and a table saying the same.
func empty(c Chart, w words) Rendered {
	var body strings.Builder
	text(&body, "50%", 28, ` text-anchor="middle" fill="`+muted+`"`, w.noData)
	t := fmt.Sprintf("<table class=\"chart-table\">\n<caption>%s</caption>\n<tbody><tr><td>%s</td></tr></tbody>\n</table>", esc(c.fullTitle()), esc(w.noData))
	return Rendered{SVG: frame(c.ID, c.fullTitle(), w.noData, "chart-empty", 44, body.String()), Table: template.HTML(t)}
}

// down writes body moved down by y pixels.
func down(b *strings.Builder, y float64, body string) {
	if y == 0 {
		b.WriteString(body)
		return
	}
	fmt.Fprintf(b, "<g transform=\"translate(0 %s)\">\n%s</g>\n", num(y), body)
}

// text writes one <text> element at x, a length in pixels or a percentage;
// attrs are fixed attribute text from this package, s is escaped.
func text(b *strings.Builder, x string, y float64, attrs, s string) {
	fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\"%s>%s</text>\n", x, num(y), attrs, esc(s))
}

// subtitle writes the chart's subtitle, wrapped to the narrowest width, and
// returns the height it takes.
func subtitle(b *strings.Builder, s string) float64 {
	if s == "" {
		return 0
	}
	lines := wrap(s, minWidth, fontSize, 2)
	for i, l := range lines {
		text(b, "0", float64(i+1)*lineH-3, ` fill="`+muted+`"`, l)
	}
	return float64(len(lines))*lineH + 6
}

// legend writes the series names in series order, which is also the
// stacking order, flowing onto more rows when they do not fit w pixels. It
// returns the height used: nothing when there is only one series and it
// has no name.
func legend(b *strings.Builder, k Kind, names []string, looks []look, w float64) float64 {
	if len(names) == 0 || len(names) == 1 && names[0] == "" {
		return 0
	}
	swatch := 16.0
	if k == KindLine {
		swatch = 26
	}
	b.WriteString("<g class=\"legend\">\n")
	x, y := 0.0, 0.0
	for i, n := range names {
		n = ellipsize(clean(n), w-swatch-gap, fontSize)
		iw := swatch + gap + textWidth(n, fontSize) + 12
		if x > 0 && x+iw > w {
			x, y = 0, y+lineH+4
		}
		if k == KindLine {
			lineSample(b, looks[i], x, y+9, swatch)
		} else {
			fmt.Fprintf(b, "<rect x=\"%s\" y=\"%s\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"%s\" stroke-width=\"0.5\"/>\n", num(x), num(y+3), looks[i].color, ink)
		}
		text(b, num(x+swatch+gap), y+13, "", n)
		x += iw
	}
	b.WriteString("</g>\n")
	return y + lineH + 12
}

// lineSample draws a short stretch of a series' line with its marker.
func lineSample(b *strings.Builder, lk look, x, y, w float64) {
	fmt.Fprintf(b, "<path d=\"M%s %sH%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", num(x), num(y), num(x+w), lk.color, dashAttr(lk.style))
	marker(b, lk, num(x+w/2), y, "")
}

// dashAttr returns series i's stroke-dasharray attribute, if it has one.
func dashAttr(i int) string {
	if d := dash(i); d != "" {
		return ` stroke-dasharray="` + d + `"`
	}
	return ""
}

// marker draws a series' point marker centred on (x, y), x a length or a
// percentage, with tip as a tooltip when not empty. Shapes differ so that
// series can be told apart without colour. The shape is drawn around the
// origin of a nested <svg> placed at (x, y), since a path cannot be moved
// by a percentage.
func marker(b *strings.Builder, lk look, x string, y float64, tip string) {
	c := lk.color
	paint := fmt.Sprintf(` fill="%s" stroke="#ffffff" stroke-width="1"`, c)
	var shape string
	switch lk.style % 7 {
	case 0:
		shape = `<circle r="3.5"` + paint
	case 1:
		shape = `<rect x="-3.5" y="-3.5" width="7" height="7"` + paint
	case 2:
		shape = `<path d="M0 -4.5l4.5 7.5h-9z"` + paint
	case 3:
		shape = `<path d="M0 -4.5l4.5 4.5l-4.5 4.5l-4.5 -4.5z"` + paint
	case 4:
		shape = `<path d="M0 4.5l4.5 -7.5h-9z"` + paint
	case 5:
		shape = `<path d="M-3.5 -3.5l7 7m0 -7l-7 7" fill="none" stroke="` + c + `" stroke-width="2"`
	default:
		shape = `<circle r="3" fill="#ffffff" stroke="` + c + `" stroke-width="2"`
	}
	fmt.Fprintf(b, "<svg x=\"%s\" y=\"%s\" overflow=\"visible\">", x, num(y))
	if tip == "" {
		b.WriteString(shape + "/></svg>\n")
		return
	}
	tag := shape[1:strings.IndexByte(shape, ' ')]
	fmt.Fprintf(b, "%s><title>%s</title></%s></svg>\n", shape, esc(tip), tag)
}

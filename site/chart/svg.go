package chart

import (
	"fmt"
	"html/template"
	"strings"
)

// Layout in viewBox units. The viewBox is narrow on purpose: at 400 units a
// 13-unit label is still about 10 px on a 360 px phone.
const (
	width     = 400.0 // viewBox width
	fontSize  = 13.0  // labels and legend
	smallSize = 12.0  // values and ticks
	lineH     = 16.0  // distance between lines of a wrapped label
	gap       = 4.0   // between a mark and its text
)

// Colours. Both text colours have at least 4.5:1 contrast on white (ink
// 16.1:1, muted 6.4:1); lines of the grid are decoration and may be light.
const (
	ink   = "#1b1f24"
	muted = "#57606a"
	rule  = "#d0d7de"
)

// color returns the i-th series colour: the Okabe–Ito palette without its
// yellow (#F0E442), which is meant for dark backgrounds.
func color(i int) string {
	p := [...]string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"}
	return p[i%len(p)]
}

// dash returns the i-th series' stroke-dasharray ("" for solid).
func dash(i int) string {
	d := [...]string{"", "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 4"}
	return d[i%len(d)]
}

// frame wraps a drawing in the <svg> element with its accessible name.
func frame(id, title, desc, class string, h float64, body string) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart %s" viewBox="0 0 %s %s" width="100%%" height="%s" preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="%s-title %s-desc" font-family="system-ui, sans-serif" font-size="%s" fill="%s">`+"\n",
		class, num(width), num(h), num(h), id, id, num(fontSize), ink)
	fmt.Fprintf(&b, "<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", id, esc(title), id, esc(desc))
	b.WriteString(body)
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// empty renders a chart without data: a short notice in place of the
// drawing and a table saying the same.
func empty(c Chart, w words) Rendered {
	var body strings.Builder
	text(&body, width/2, 28, ` text-anchor="middle" fill="`+muted+`"`, w.noData)
	t := fmt.Sprintf("<table class=\"chart-table\">\n<caption>%s</caption>\n<tbody><tr><td>%s</td></tr></tbody>\n</table>", esc(c.Title), esc(w.noData))
	return Rendered{SVG: frame(c.ID, c.Title, w.noData, "chart-empty", 44, body.String()), Table: template.HTML(t)}
}

// translate writes body moved by (x, y).
func translate(b *strings.Builder, x, y float64, body string) {
	if x == 0 && y == 0 {
		b.WriteString(body)
		return
	}
	fmt.Fprintf(b, "<g transform=\"translate(%s %s)\">\n%s</g>\n", num(x), num(y), body)
}

// text writes one <text> element; attrs are fixed attribute text from this
// package, s is escaped.
func text(b *strings.Builder, x, y float64, attrs, s string) {
	fmt.Fprintf(b, "<text x=\"%s\" y=\"%s\"%s>%s</text>\n", num(x), num(y), attrs, esc(s))
}

// legend writes the series names in series order, which is also the
// stacking order, flowing onto more rows when they do not fit w. It returns
// the height used: nothing when there is only one series.
func legend(b *strings.Builder, k Kind, names []string, w float64) float64 {
	if len(names) < 2 {
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
			lineSample(b, i, x, y+9, swatch)
		} else {
			fmt.Fprintf(b, "<rect x=\"%s\" y=\"%s\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"%s\" stroke-width=\"0.5\"/>\n", num(x), num(y+3), color(i), ink)
		}
		text(b, x+swatch+gap, y+13, "", n)
		x += iw
	}
	b.WriteString("</g>\n")
	return y + lineH + 12
}

// lineSample draws a short stretch of series i's line with its marker.
func lineSample(b *strings.Builder, i int, x, y, w float64) {
	fmt.Fprintf(b, "<path d=\"M%s %sH%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", num(x), num(y), num(x+w), color(i), dashAttr(i))
	marker(b, i, x+w/2, y, "")
}

// dashAttr returns series i's stroke-dasharray attribute, if it has one.
func dashAttr(i int) string {
	if d := dash(i); d != "" {
		return ` stroke-dasharray="` + d + `"`
	}
	return ""
}

// marker draws series i's point marker centred on (x, y), with tip as a
// tooltip when not empty. Shapes differ so that series can be told apart
// without colour.
func marker(b *strings.Builder, i int, x, y float64, tip string) {
	c := color(i)
	paint := fmt.Sprintf(` fill="%s" stroke="#ffffff" stroke-width="1"`, c)
	var shape string
	switch i % 7 {
	case 0:
		shape = fmt.Sprintf(`<circle cx="%s" cy="%s" r="3.5"%s`, num(x), num(y), paint)
	case 1:
		shape = fmt.Sprintf(`<rect x="%s" y="%s" width="7" height="7"%s`, num(x-3.5), num(y-3.5), paint)
	case 2:
		shape = fmt.Sprintf(`<path d="M%s %sl4.5 7.5h-9z"%s`, num(x), num(y-4.5), paint)
	case 3:
		shape = fmt.Sprintf(`<path d="M%s %sl4.5 4.5l-4.5 4.5l-4.5 -4.5z"%s`, num(x), num(y-4.5), paint)
	case 4:
		shape = fmt.Sprintf(`<path d="M%s %sl4.5 -7.5h-9z"%s`, num(x), num(y+4.5), paint)
	case 5:
		shape = fmt.Sprintf(`<path d="M%s %sl7 7m0 -7l-7 7" fill="none" stroke="%s" stroke-width="2"`, num(x-3.5), num(y-3.5), c)
	default:
		shape = fmt.Sprintf(`<circle cx="%s" cy="%s" r="3" fill="#ffffff" stroke="%s" stroke-width="2"`, num(x), num(y), c)
	}
	if tip == "" {
		b.WriteString(shape + "/>\n")
		return
	}
	tag := shape[1:strings.IndexByte(shape, ' ')]
	fmt.Fprintf(b, "%s><title>%s</title></%s>\n", shape, esc(tip), tag)
}

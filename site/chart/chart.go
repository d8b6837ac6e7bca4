package chart

import (
	"html/template"
	"strings"
)

// Series is one named row of values, aligned with Chart.Categories.
type Series struct {
	// Name labels the series in legends and table headings, e.g.
	// "Anggaran murni" or "Realisasi".
	Name string
	// Values holds one value per category; categories past its end count
	// as missing.
	Values []int64
	// Missing, when set, marks values that are not known (a month not yet
	// reported), as opposed to zero. It may be shorter than Values.
	Missing []bool
	// Color, when set, is the series' colour as #rrggbb, one of the
	// palette's (Blue, Vermilion, …), so that a caller can give a meaning
	// the same colour on every chart. When empty, or not of that form, the
	// series takes the palette colour of its position.
	Color string
}

// at returns the value for category i and whether it is known.
func (s Series) at(i int) (int64, bool) {
	if i >= len(s.Values) || (i < len(s.Missing) && s.Missing[i]) {
		return 0, false
	}
	return s.Values[i], true
}

// Chart is the input to every chart function.
type Chart struct {
	// ID prefixes the ids of the SVG's <title> and <desc>; it must be
	// unique on the page. Characters other than ASCII letters, digits, '-'
	// and '_' are replaced by '-'; an empty ID becomes "chart".
	ID string
	// Title is the SVG's <title> and the table's caption. The SVG does not
	// draw it, so the page can show it as a heading or figcaption.
	Title string
	// Subtitle, when set, is drawn above the chart in muted text and added
	// to the title and caption after a comma: the period the data covers
	// (Januari–Oktober 2024), a unit or a caveat.
	Subtitle string
	// Desc is a one-sentence summary for screen readers. When empty, one is
	// generated naming the kind of chart, its size and its three values
	// largest in size (negative ones included).
	Desc string
	// Categories label the bars (e.g. "Belanja Pegawai") or the points on
	// a line chart's x axis (e.g. "Jan" … "Des", or years).
	Categories []string
	// CategoryName heads the category column of the table, e.g. "Jenis
	// belanja" or "Bulan"; when empty that corner cell is left blank.
	CategoryName string
	// Series holds the data; Bar draws only the first.
	Series []Series
	// Format prints a value for bar-end labels, axis ticks, table cells and
	// the generated description. When nil, values are printed as integers
	// with Indonesian thousands dots.
	Format func(int64) string
	// Unit, when set, is added to the table's column headings, e.g. "Rp"
	// or "paket".
	Unit string
	// Lang chooses the language of generated text ("en" for English;
	// anything else gives Indonesian).
	Lang string
}

// Rendered is a drawn chart: the SVG and a table with the same numbers.
// Both are complete, escaped HTML fragments.
type Rendered struct {
	SVG   template.HTML
	Table template.HTML
}

// Kind chooses how SmallMultiples draws each panel.
type Kind int

// The kinds of chart, one per drawing function.
const (
	KindBar     Kind = iota // horizontal bars of the first series, as Bar
	KindStacked             // stacked horizontal bars, as StackedBar
	KindGrouped             // grouped horizontal bars, as GroupedBar
	KindLine                // lines over the categories, as Line
)

// class names the kind in the SVG's class attribute, a hook for CSS.
func (k Kind) class() string {
	switch k {
	case KindStacked:
		return "chart-stacked"
	case KindGrouped:
		return "chart-grouped"
	case KindLine:
		return "chart-line"
	}
	return "chart-bar"
}

// Bar draws one horizontal bar per category for the first series: the
// category's label on a line of its own (wrapped onto up to three lines),
// the bar under it and the value printed at the bar's end. Negative values
// go left of the zero line. The legend names the series when it has a
// name.
func Bar(c Chart) Rendered {
	if len(c.Series) > 1 {
		c.Series = c.Series[:1]
	}
	return render(c, KindBar)
}

// StackedBar draws one bar per category with the series' values laid end to
// end, in series order outwards from zero (positive values to the right,
// negative ones to the left), and prints each category's total at its end.
// The legend lists the series in the same order.
func StackedBar(c Chart) Rendered { return render(c, KindStacked) }

// GroupedBar draws, per category, its label and under it one thin bar per
// series one under the other (for instance target and realised), each with
// its value.
func GroupedBar(c Chart) Rendered { return render(c, KindGrouped) }

// Line draws each series as a line over the categories (months, years),
// with a distinct dash pattern and point marker per series. Missing values
// break the line; a known value between two gaps shows as a lone marker.
func Line(c Chart) Rendered { return render(c, KindLine) }

func render(c Chart, k Kind) Rendered {
	c = c.normal()
	w := wordsFor(c.Lang)
	if !hasData(c.Categories, c.Series) {
		return empty(c, w)
	}
	desc := c.Desc
	if desc == "" {
		desc = describe(w.kind(k), w, []Chart{c}, k)
	}
	looks := looksOf(c.Series)
	var body strings.Builder
	y := subtitle(&body, c.Subtitle)
	var leg strings.Builder
	y0 := legend(&leg, k, names(c.Series), looks, minWidth)
	down(&body, y, leg.String())
	y += y0
	var plot string
	var h float64
	if k == KindLine {
		plot, h = linePlot{c.Categories, c.Series, looks, c.Format, measureLine([]Chart{c}).scale(5), minWidth, 180}.draw()
	} else {
		plot, h = barPlot{k, c.Categories, c.Series, looks, c.Format, measureBars(k, c.Categories, c.Series, c.Format), minWidth}.draw()
	}
	down(&body, y, plot)
	return Rendered{
		SVG:   frame(c.ID, c.fullTitle(), desc, k.class(), y+h, body.String()),
		Table: table(c, k, w),
	}
}

// fullTitle is the title with the subtitle after it.
func (c Chart) fullTitle() string {
	switch {
	case c.Subtitle == "":
		return c.Title
	case c.Title == "":
		return c.Subtitle
	}
	return c.Title + ", " + c.Subtitle
}

// normal fills in defaults and makes the ID safe to use.
func (c Chart) normal() Chart {
	if c.Format == nil {
		c.Format = plainFormat
	}
	c.ID = cleanID(c.ID)
	return c
}

// hasData reports whether any category has a known value.
func hasData(cats []string, series []Series) bool {
	for _, s := range series {
		for i := range cats {
			if _, ok := s.at(i); ok {
				return true
			}
		}
	}
	return false
}

// names lists the series' names in order.
func names(series []Series) []string {
	ns := make([]string, len(series))
	for i, s := range series {
		ns[i] = s.Name
	}
	return ns
}

// cleanID keeps an id to characters that are safe in an id attribute, in
// an aria-labelledby list and in a CSS selector.
func cleanID(id string) string {
	b := []byte(id)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "chart"
	}
	if !(b[0] >= 'a' && b[0] <= 'z' || b[0] >= 'A' && b[0] <= 'Z') {
		return "chart-" + string(b)
	}
	return string(b)
}

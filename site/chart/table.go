package chart

import (
	"html/template"
	"strings"
)

// table renders one chart's numbers: a row per category (th scope="row")
// and a column per series, plus a total column for stacked bars.
func table(c Chart, k Kind, w words) template.HTML {
	var b strings.Builder
	head(&b, c, k, names(c.Series), w)
	b.WriteString("<tbody>\n")
	rows(&b, c.Categories, c.Series, k, c.Format)
	b.WriteString("</tbody>\n</table>")
	return template.HTML(b.String())
}

// head opens the table and writes its caption and column headings.
func head(b *strings.Builder, c Chart, k Kind, names []string, w words) {
	b.WriteString("<table class=\"chart-table\">\n<caption>" + esc(c.fullTitle()) + "</caption>\n<thead><tr>")
	if c.CategoryName == "" {
		b.WriteString("<td></td>")
	} else {
		b.WriteString("<th scope=\"col\">" + esc(c.CategoryName) + "</th>")
	}
	for _, n := range names {
		if n == "" {
			n = w.value
		}
		b.WriteString("<th scope=\"col\">" + esc(withUnit(n, c.Unit)) + "</th>")
	}
	if k == KindStacked {
		b.WriteString("<th scope=\"col\">" + esc(withUnit(w.total, c.Unit)) + "</th>")
	}
	b.WriteString("</tr></thead>\n")
}

// withUnit appends the unit to a column heading: "Realisasi (Rp)".
func withUnit(s, unit string) string {
	if unit == "" {
		return s
	}
	return s + " (" + unit + ")"
}

// rows writes a row per category; series may hold zero-value Series for
// columns a small-multiples panel lacks, which print as missing.
func rows(b *strings.Builder, cats []string, series []Series, k Kind, format func(int64) string) {
	for i, cat := range cats {
		b.WriteString("<tr><th scope=\"row\">" + esc(cat) + "</th>")
		for _, s := range series {
			v, ok := s.at(i)
			b.WriteString("<td>" + esc(valueLabel(v, ok, format)) + "</td>")
		}
		if k == KindStacked {
			_, _, net, ok := stackAt(series, i)
			b.WriteString("<td>" + esc(valueLabel(net, ok, format)) + "</td>")
		}
		b.WriteString("</tr>\n")
	}
}

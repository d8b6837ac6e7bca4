package chart

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// words holds the text the package writes itself, in one language.
type words struct {
	kinds                  [4]string // indexed by Kind
	multiples              string
	category, categories   string
	series, seriesPlural   string
	panel, panels          string
	missing, missingPlural string
	largest, noData        string
	total, value           string
}

// wordsFor returns the generated text for lang: "en" gives English, any
// other code Indonesian, the site's default language.
func wordsFor(lang string) words {
	if lang == "en" {
		return words{
			kinds:     [4]string{"Bar chart", "Stacked bar chart", "Grouped bar chart", "Line chart"},
			multiples: "Small multiples sharing one scale",
			category:  "category", categories: "categories",
			series: "series", seriesPlural: "series",
			panel: "panel", panels: "panels",
			missing: "missing value", missingPlural: "missing values",
			largest: "largest", noData: "No data.",
			total: "Total", value: "Value",
		}
	}
	return words{
		kinds:     [4]string{"Diagram batang", "Diagram batang bertumpuk", "Diagram batang berkelompok", "Diagram garis"},
		multiples: "Diagram kecil berganda dengan skala yang sama",
		category:  "kategori", categories: "kategori",
		series: "seri", seriesPlural: "seri",
		panel: "panel", panels: "panel",
		missing: "nilai kosong", missingPlural: "nilai kosong",
		largest: "terbesar", noData: "Tidak ada data.",
		total: "Jumlah", value: "Nilai",
	}
}

// kind names a kind of chart.
func (w words) kind(k Kind) string {
	if k < 0 || int(k) >= len(w.kinds) {
		return w.kinds[0]
	}
	return w.kinds[k]
}

// count writes "3 categories" or "1 category".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// entry is one value the description may name.
type entry struct {
	name string
	v    int64
}

// describe writes the one-sentence summary used when the caller gives no
// Desc: what the chart is, how much it holds, and its three values largest
// in size, negative ones included (category totals for stacked bars), e.g. "Diagram batang, 3 kategori;
// terbesar: Belanja Pegawai (Rp 1,2 T), Belanja Modal (Rp 500 M), …".
func describe(what string, w words, charts []Chart, k Kind) string {
	var es []entry
	cats, series, missing := 0, 0, 0
	for _, c := range charts {
		cats = max(cats, len(c.Categories))
		series = max(series, len(c.Series))
		for i := range c.Categories {
			for _, s := range c.Series {
				if _, ok := s.at(i); !ok {
					missing++
				}
			}
		}
		es = append(es, entries(c, k, len(charts) > 1)...)
	}
	parts := []string{what}
	if len(charts) > 1 {
		parts = append(parts, count(len(charts), w.panel, w.panels))
	}
	parts = append(parts, count(cats, w.category, w.categories))
	if series > 1 {
		parts = append(parts, count(series, w.series, w.seriesPlural))
	}
	if missing > 0 {
		parts = append(parts, count(missing, w.missing, w.missingPlural))
	}
	s := strings.Join(parts, ", ")
	// By size, so that a large deficit or repayment counts as large.
	sort.SliceStable(es, func(i, j int) bool { return math.Abs(float64(es[i].v)) > math.Abs(float64(es[j].v)) })
	if len(es) > 3 {
		es = es[:3]
	}
	var top []string
	for _, e := range es {
		top = append(top, clean(e.name)+" ("+clean(charts[0].Format(e.v))+")")
	}
	if len(top) > 0 {
		s += "; " + w.largest + ": " + strings.Join(top, ", ")
	}
	return s + "."
}

// entries lists the values of one chart with the names describe gives
// them: the category, preceded by the series when there are several and by
// the panel's title in small multiples.
func entries(c Chart, k Kind, panel bool) []entry {
	var es []entry
	prefix := ""
	if panel {
		prefix = c.Title + " – "
	}
	for i, cat := range c.Categories {
		if k == KindStacked {
			if _, _, net, ok := stackAt(c.Series, i); ok {
				es = append(es, entry{prefix + cat, net})
			}
			continue
		}
		for _, s := range c.Series {
			v, ok := s.at(i)
			if !ok {
				continue
			}
			name := prefix + cat
			if len(c.Series) > 1 {
				name = prefix + s.Name + " – " + cat
			}
			es = append(es, entry{name, v})
		}
	}
	return es
}

package site

import (
	"html/template"
	"strconv"

	"github.com/terbuka/terbuka/site/chart"
)

// regionCharts draws the profile's main figures as SVG. Each chart sits
// beside the table that holds the same numbers, with their links.
func regionCharts(page *regionPage, l lang) map[string]template.HTML {
	out := map[string]template.HTML{}
	base := func(id, titleKey string) chart.Chart {
		return chart.Chart{ID: "grafik-" + id, Title: l.translate(titleKey), Format: func(sen int64) string { return rupiahShort(l, sen) }, Lang: l.code()}
	}
	if len(page.Stages) > 0 {
		c := base("kelompok", "region.groups")
		for _, g := range page.Groups {
			c.Categories = append(c.Categories, g.Label)
		}
		for i, st := range page.Stages {
			s := chart.Series{Name: st.Label}
			for _, g := range page.Groups {
				s.Values = append(s.Values, g.Cells[i].Value)
			}
			c.Series = append(c.Series, s)
		}
		out["groups"] = chart.GroupedBar(c).SVG
	}
	if len(page.Jenis) > 0 {
		c := base("jenis", "region.jenis")
		plan, real := chart.Series{Name: page.PlanLabel}, chart.Series{Name: l.translate("stage.realisasi")}
		for _, f := range page.Jenis {
			c.Categories = append(c.Categories, f.Label)
			plan.Values = append(plan.Values, f.Of)
			real.Values = append(real.Values, f.Value)
		}
		c.Series = []chart.Series{plan}
		if page.JenisReal {
			c.Series = append(c.Series, real)
			out["jenis"] = chart.GroupedBar(c).SVG
		} else {
			out["jenis"] = chart.Bar(c).SVG
		}
	}
	bar := func(key, id, titleKey string, figs []figure) {
		if len(figs) == 0 {
			return
		}
		c := base(id, titleKey)
		s := chart.Series{}
		for _, f := range figs {
			c.Categories = append(c.Categories, f.Label)
			s.Values = append(s.Values, f.Value)
		}
		c.Series = []chart.Series{s}
		out[key] = chart.Bar(c).SVG
	}
	bar("urusan", "urusan", "region.urusan", page.Urusan)
	bar("methods", "metode", "region.methods", page.Methods)
	bar("suppliers", "penyedia", "region.suppliers", page.Suppliers)
	if len(page.Levies) > 0 {
		c := base("pajak", "region.levies")
		target, real := chart.Series{Name: l.translate("region.target")}, chart.Series{Name: l.translate("region.realised")}
		for _, f := range page.Levies {
			c.Categories = append(c.Categories, f.Label)
			target.Values = append(target.Values, f.Of)
			real.Values = append(real.Values, f.Value)
		}
		c.Series = []chart.Series{target, real}
		out["levies"] = chart.GroupedBar(c).SVG
	}
	if len(page.Months) > 0 {
		c := base("bulanan", "region.months")
		pajak, retribusi := chart.Series{Name: l.translate("revenue.pajak")}, chart.Series{Name: l.translate("revenue.retribusi")}
		for _, m := range page.Months {
			c.Categories = append(c.Categories, m.Name[:3])
			pajak.Values = append(pajak.Values, m.Pajak)
			retribusi.Values = append(retribusi.Values, m.Retribusi)
		}
		c.Series = []chart.Series{pajak, retribusi}
		out["months"] = chart.Line(c).SVG
	}
	if len(page.History) > 1 {
		c := base("tahunan", "region.history.caption")
		plan, real := chart.Series{Name: l.translate("region.h.belanja")}, chart.Series{Name: l.translate("region.h.belanjareal")}
		for _, h := range page.History {
			c.Categories = append(c.Categories, strconv.Itoa(h.Year))
			plan.Values = append(plan.Values, h.Belanja)
			real.Values = append(real.Values, h.BelanjaReal)
			real.Missing = append(real.Missing, !h.HasReal)
		}
		c.Series = []chart.Series{plan, real}
		out["history"] = chart.GroupedBar(c).SVG
	}
	var members []figure
	for _, m := range page.Members {
		if m.HasBudget {
			members = append(members, figure{Label: m.Region.Name, Value: m.PerCapita})
		}
	}
	bar("members", "perkapita", "region.percapita.short", members)
	return out
}

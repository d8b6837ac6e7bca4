package site

import (
	"html/template"
	"strconv"

	"github.com/terbuka/terbuka/site/chart"
)

// meaning is what a chart series shows. Each meaning has one colour on
// every chart of the site, so that a reader who has learnt that green is
// realisasi on one chart reads the next one the same way; no two meanings
// share a colour, and the series of one chart stay apart for colour-blind
// readers (regioncharts_test.go checks both).
type meaning int

const (
	meaningMurni      meaning = iota // the original budget (APBD murni)
	meaningPergeseran                // the budget after reallocations
	meaningPerubahan                 // the amended budget (APBD perubahan)
	meaningRealisasi                 // what was spent or received: budget outturn, tax and levy receipts
	// meaningPlan is the amount a realisasi is measured against when no
	// single stage is meant: a revenue target, or each year's (each
	// member's) latest budget.
	meaningPlan
	meaningPajak       // tax receipts
	meaningRetribusi   // levy receipts
	meaningProcurement // procurement ceilings and contract values
	meanings           // the number of meanings
)

// color is the meaning's colour, from the chart palette: the stages take
// the four colours that stay apart for every kind of colour blindness, as
// they are drawn side by side; realisasi is green wherever it appears.
func (m meaning) color() string {
	switch m {
	case meaningMurni:
		return chart.Blue
	case meaningPergeseran:
		return chart.Wine
	case meaningPerubahan:
		return chart.Vermilion
	case meaningRealisasi:
		return chart.Green
	case meaningPlan:
		return chart.Grey
	case meaningPajak:
		return chart.Ochre
	case meaningRetribusi:
		return chart.Indigo
	}
	return chart.Purple
}

// stageMeaning is the meaning of a budget stage's figures.
func stageMeaning(stage string) meaning {
	switch stage {
	case "murni":
		return meaningMurni
	case "pergeseran":
		return meaningPergeseran
	case "perubahan":
		return meaningPerubahan
	case "realisasi":
		return meaningRealisasi
	}
	return meaningPlan
}

// series starts a series of the given meaning.
func series(name string, m meaning) chart.Series {
	return chart.Series{Name: name, Color: m.color()}
}

// period names the months a series covers: the year alone when it runs
// from January to December (or nothing says otherwise, first or last being
// 0), "Maret 2024" for one month, "Januari–Oktober 2024" for part of the
// year.
func period(l lang, year, first, last int) string {
	y := strconv.Itoa(year)
	switch {
	case first < 1 || last > 12 || last < first || first == 1 && last == 12:
		return y
	case first == last:
		return monthNames[l][first] + " " + y
	}
	return monthNames[l][first] + "–" + monthNames[l][last] + " " + y
}

// revenuePeriod is the period the monthly receipts cover, from the first
// month with any to the last month reported.
func revenuePeriod(page *regionPage, l lang) string {
	first, last := 0, 0
	for _, m := range page.Months {
		if first == 0 && (m.Pajak != 0 || m.Retribusi != 0) {
			first = m.Month
		}
		last = max(last, m.Month)
	}
	return period(l, page.Year, first, last)
}

// regionCharts draws the profile's main figures as SVG. Each chart sits
// beside the table that holds the same numbers, with their links. Every
// series is named, so that each chart's legend says what its colours mean.
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
			s := series(st.Label, stageMeaning(st.Stage))
			for _, g := range page.Groups {
				s.Values = append(s.Values, g.Cells[i].Value)
			}
			c.Series = append(c.Series, s)
		}
		out["groups"] = chart.GroupedBar(c).SVG
	}
	if len(page.Jenis) > 0 {
		c := base("jenis", "region.jenis")
		plan, real := series(page.PlanLabel, stageMeaning(page.Plan)), series(l.translate("stage.realisasi"), meaningRealisasi)
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
	bar := func(key, id, titleKey string, s chart.Series, figs []figure) {
		if len(figs) == 0 {
			return
		}
		c := base(id, titleKey)
		for _, f := range figs {
			c.Categories = append(c.Categories, f.Label)
			s.Values = append(s.Values, f.Value)
		}
		c.Series = []chart.Series{s}
		out[key] = chart.Bar(c).SVG
	}
	bar("urusan", "urusan", "region.urusan", series(page.PlanLabel, stageMeaning(page.Plan)), page.Urusan)
	bar("methods", "metode", "region.methods", series(l.translate("region.ceiling"), meaningProcurement), page.Methods)
	bar("suppliers", "penyedia", "region.suppliers", series(l.translate("region.contract"), meaningProcurement), page.Suppliers)
	if len(page.Levies) > 0 {
		c := base("pajak", "region.levies")
		c.Subtitle = page.RevenuePeriod
		target, real := series(l.translate("region.target"), meaningPlan), series(l.translate("region.realised"), meaningRealisasi)
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
		c.Subtitle = page.RevenuePeriod
		pajak, retribusi := series(l.translate("revenue.pajak"), meaningPajak), series(l.translate("revenue.retribusi"), meaningRetribusi)
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
		plan, real := series(l.translate("region.h.belanja"), meaningPlan), series(l.translate("region.h.belanjareal"), meaningRealisasi)
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
	bar("members", "perkapita", "region.percapita.short", series(l.translate("region.h.belanja"), meaningPlan), members)
	return out
}

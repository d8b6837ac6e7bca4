package chart

// Stylesheet is the CSS the site's stylesheet should include for charts.
// It lets a chart grow past its 400 px natural width up to a comfortable
// size, sets its height from its width (dropping the spare height the
// height attribute leaves on narrow screens), and gives the tables
// right-aligned, tabular numbers. Charts are usable without it.
const Stylesheet = `.chart{display:block;width:100%;max-width:32rem;height:auto}
.chart-multiples{max-width:40rem}
.chart-table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
.chart-table caption{text-align:left;font-weight:600;padding:.25rem 0}
.chart-table th,.chart-table td{padding:.2rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
.chart-table th[scope=row]{text-align:left;font-weight:normal}
.chart-table td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
`

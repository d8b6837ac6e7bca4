package chart

// Stylesheet is the CSS the site's stylesheet should include for charts.
// It caps a chart's width on wide screens, where bars the width of the page
// would be hard to compare, and gives the tables right-aligned, tabular
// numbers. It sets no height: a chart's height is its height attribute, in
// pixels, as the chart has no viewBox to derive one from. Charts are usable
// without it.
const Stylesheet = `.chart{display:block;width:100%;max-width:48rem}
.chart-table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
.chart-table caption{text-align:left;font-weight:600;padding:.25rem 0}
.chart-table th,.chart-table td{padding:.2rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
.chart-table th[scope=row]{text-align:left;font-weight:normal}
.chart-table td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
`

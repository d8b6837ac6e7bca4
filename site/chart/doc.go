// Package chart draws charts on the server as inline SVG, each with an HTML
// table holding the same numbers, for html/template pages.
//
// Charts are drawn on the server rather than in the browser because many
// readers of regional budget data are on cheap phones and slow or metered
// connections: an SVG of a few kilobytes arrives with the page, needs no
// JavaScript (the site sends none, and its Content-Security-Policy would
// refuse inline script and style anyway), prints, works in reader modes and
// stays readable when scripts are off. Rendering is a pure function of its
// input, so the same data gives byte-identical output and golden files can
// pin it.
//
// Every chart is an <svg role="img"> labelled by its <title> and <desc>, and
// comes with a <table> (caption, th scope) for screen readers and for anyone
// who wants the exact values. Series take the Okabe–Ito colours that read on
// white (yellow is left out), and never depend on colour alone: legends list
// series in stacking order, bars carry a dark outline, and lines differ in
// dash pattern and point marker. Text is drawn only in colours with at least
// 4.5:1 contrast on white, never on top of a bar.
//
// The SVG has a viewBox 400 units wide, width="100%" and a height in pixels
// with preserveAspectRatio="xMinYMin meet": without any stylesheet it is
// never wider than its container nor than 400 px, so a 360 px phone shows it
// without horizontal scrolling. Stylesheet gives the CSS that lets it grow to
// a comfortable size on wide screens and drops the spare height on narrow
// ones. Text is 12–13 units high, about 10 px on the narrowest phone.
// Attributes only (fill=, stroke=, font-size=, class=) are used, never style=.
//
// Values are int64 (rupiah in sen, counts) and are printed by a Format
// function the caller passes, for bar-end labels, axis ticks, table cells and
// the generated description alike. Negative values are drawn to the left of
// (or below) a zero line.
package chart

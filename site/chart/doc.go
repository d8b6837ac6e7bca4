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
// who wants the exact values. A chart's Subtitle, such as the months a
// series covers, is drawn above it and added to both. Series never depend
// on colour alone: legends name every series (a lone series too, when it
// has a name) in stacking order, bars carry a dark outline, and lines
// differ in dash pattern and point marker. Text is drawn only in colours
// with at least 4.5:1 contrast on white, never on top of a bar.
//
// # Colours
//
// The palette (Blue, Vermilion, Green, Wine, Indigo, Ochre, Purple, Grey)
// holds colours with at least 3:1 contrast on white, as WCAG 1.4.11 asks of
// graphical objects: Okabe–Ito's blue, vermilion and bluish green, and
// darker colours in place of its orange, sky blue, reddish purple and
// yellow, which are too light on white. A series without a Color takes the
// palette colour of its position. A caller whose series have meanings (a
// budget stage, realisation, a target) sets Series.Color from a table of
// its own, so that one meaning has one colour on every chart.
//
// # Size on screen
//
// The SVG has no viewBox: one user unit is one CSS pixel, so text is drawn
// at exactly its font size, 13 px for labels and 12 px for values and
// ticks, on a 320 px phone as on a desktop. A viewBox would scale text with
// the chart's width, so that the same text would be too small on a phone
// or too large on a desktop. Instead the SVG is width="100%" of its
// container and height="…" pixels, and
//
//   - vertical positions are pixels;
//   - horizontal positions of marks and of the text that goes with them
//     (bars, points, grid lines, value labels, ticks) are percentages of the
//     chart's width, with pixel offsets (dx) for gaps; line segments are
//     <line> elements and point markers nested <svg> elements, as a path
//     cannot take percentages; each panel of small multiples is a nested
//     <svg>, so the percentages inside it are of the panel's width;
//   - text that does not follow a mark (legend, category labels, subtitle)
//     is placed in pixels from the left edge.
//
// Every room for text is planned for the narrowest chart, minWidth pixels
// (a 320 px screen less the page's margins), with text widths estimated on
// the widest common font (text.go): category labels take the whole width
// on lines of their own above their bars and wrap onto up to three lines,
// ending in an ellipsis beyond; bars leave room at their ends for their
// values; line charts leave out x-axis labels that would touch. On a wider
// screen everything only moves further apart, so nothing overlaps or sticks
// out at any width from minWidth up (TestFits lays every chart out at 280,
// 360 and 768 px to check). Stylesheet caps the width on desktops.
//
// Attributes only (fill=, stroke=, font-size=, class=) are used, never
// style=.
//
// Values are int64 (rupiah in sen, counts) and are printed by a Format
// function the caller passes, for bar-end labels, axis ticks, table cells and
// the generated description alike. Negative values are drawn to the left of
// (or below) a zero line.
package chart

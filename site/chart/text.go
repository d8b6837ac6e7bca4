package chart

import (
	"html"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// clean makes s safe to put into XML text once escaped: invalid UTF-8 and
// characters XML 1.0 forbids become U+FFFD, and tabs and line breaks become
// spaces because the package chooses where lines break.
func clean(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !xmlChar(r) || r < ' ' }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s { // invalid bytes arrive as utf8.RuneError
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// esc cleans and escapes s for SVG or HTML text and attribute values.
func esc(s string) string { return html.EscapeString(clean(s)) }

// runeEm estimates how wide r is, in ems. The widths are those of DejaVu
// Sans, the widest of the usual system fonts (Roboto, San Francisco and
// Segoe UI are narrower), so that labels fit whatever font the reader has.
func runeEm(r rune) float64 {
	switch r {
	case 'i', 'l', 'j', '.', ',', ':', ';', '\'', '!', '|':
		return 0.32
	case ' ', '\u00a0', 'f', 't', 'r', 'I', 'J', '(', ')', '-', '/':
		return 0.42 // a no-break space (Rp 1,2 M) is as wide as a space
	case 'm', 'w', 'M', 'W', '%', '@':
		return 0.98
	}
	switch {
	case r >= '0' && r <= '9':
		return 0.64
	case r >= 'A' && r <= 'Z':
		return 0.74
	case r >= 'a' && r <= 'z':
		return 0.62
	case r < 0x1100:
		return 0.68
	}
	return 1 // CJK, emoji and other wide scripts
}

// textWidth estimates the drawn width of s at font size size.
func textWidth(s string, size float64) float64 {
	var em float64
	for _, r := range s {
		em += runeEm(r)
	}
	return em * size
}

// wrap breaks s at spaces into at most max lines no wider than width; what
// does not fit is cut off with an ellipsis. The work is linear in len(s).
func wrap(s string, width, size float64, max int) []string {
	words := strings.FieldsFunc(clean(s), breaks)
	space := runeEm(' ') * size
	var lines []string
	var cur strings.Builder
	curW := 0.0
	for i, w := range words {
		ww := textWidth(w, size)
		if cur.Len() > 0 && curW+space+ww <= width {
			cur.WriteByte(' ')
			cur.WriteString(w)
			curW += space + ww
			continue
		}
		if cur.Len() > 0 {
			if len(lines) >= max-1 {
				rest := cur.String() + " " + strings.Join(words[i:], " ")
				return append(lines, ellipsize(rest, width, size))
			}
			lines = append(lines, ellipsize(cur.String(), width, size))
			cur.Reset()
		}
		cur.WriteString(w)
		curW = ww
	}
	if cur.Len() > 0 {
		lines = append(lines, ellipsize(cur.String(), width, size))
	}
	return lines
}

// breaks reports whether a line may break at r: at spaces, but not at a
// no-break space, which holds "Rp", number and unit together (Rp 1,2 M).
func breaks(r rune) bool {
	return unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f'
}

// ellipsize shortens s with a trailing ellipsis until it fits width.
func ellipsize(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	room := width - textWidth("…", size)
	used := 0.0
	for i, r := range s {
		used += runeEm(r) * size
		if used > room {
			return strings.TrimRight(s[:i], " ") + "…"
		}
	}
	return s
}

// num prints a coordinate with at most one decimal, the same way every
// time, so output is byte-identical across runs and platforms.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0" // unreachable by construction; never emit NaN into SVG
	}
	x = math.Round(x*10) / 10
	if x == 0 {
		return "0" // also turns -0 into 0
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// plainFormat prints v with Indonesian thousands dots and a true minus
// sign: −1.234.567. It is the Format used when the caller gives none.
func plainFormat(v int64) string {
	s := strconv.FormatInt(v, 10)
	var b strings.Builder
	if v < 0 {
		b.WriteString("−")
		s = s[1:]
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

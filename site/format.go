package site

import (
	"strconv"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
)

// Figures on pages are written the way the page's language writes them:
// Indonesian groups thousands with dots and has a decimal comma, English
// the other way round. Machine formats (JSON, CSV, Atom, JSON-LD) keep
// exact decimal strings and RFC 3339, and never come through here.

// nbsp joins "Rp" to its number and a number to its unit, so that on a
// narrow phone "Rp" never ends a line on its own.
const nbsp = "\u00a0"

// marks are a language's thousands separator and decimal mark.
func (l lang) marks() (group, decimal string) {
	if l == langEN {
		return ",", "."
	}
	return ".", ","
}

// shortUnits are the units amounts are abbreviated in, smallest first, in
// sen: ribu, juta, miliar, triliun. "M" is miliar (10⁹) in Indonesian, so
// English pages say bn, never M.
var shortUnits = [2][4]struct {
	sen  uint64
	name string
}{
	langID: {{1e5, "rb"}, {1e8, "jt"}, {1e11, "M"}, {1e14, "T"}},
	langEN: {{1e5, "k"}, {1e8, "m"}, {1e11, "bn"}, {1e14, "tn"}},
}

// rupiah writes sen in full, with sen only when there are some:
// Rp 1.234.567 or Rp 1.234.567,50 in Indonesian, Rp 1,234,567.50 in
// English.
func rupiah(l lang, sen int64) string {
	a := magnitude(sen)
	group, decimal := l.marks()
	s := sign(sen) + "Rp" + nbsp + groupThousands(a/100, group)
	if c := a % 100; c != 0 {
		s += decimal + strconv.FormatUint(c/10, 10) + strconv.FormatUint(c%10, 10)
	}
	return s
}

// rupiahShort abbreviates an amount to one decimal the way each language
// reads it: Rp 113,6 M (miliar) in Indonesian is Rp 113.6 bn in English.
// Amounts under a thousand rupiah are written in full. Rounding is half
// up, in integers; an amount that rounds to a thousand of one unit is one
// of the next (Rp 999.999.999 is Rp 1 M, not Rp 1000 jt).
func rupiahShort(l lang, sen int64) string {
	a := magnitude(sen)
	units := shortUnits[l]
	for i := len(units) - 1; i >= 0; i-- {
		u := units[i]
		if a < u.sen {
			continue
		}
		tenths := (a + u.sen/20) / (u.sen / 10)
		if tenths >= 10000 && i+1 < len(units) {
			u = units[i+1]
			tenths = (a + u.sen/20) / (u.sen / 10)
		}
		group, decimal := l.marks()
		n := groupThousands(tenths/10, group)
		if d := tenths % 10; d != 0 {
			n += decimal + strconv.FormatUint(d, 10)
		}
		return sign(sen) + "Rp" + nbsp + n + nbsp + u.name
	}
	return rupiah(l, sen)
}

// number writes a count with the language's thousands separator: 1.234.567
// in Indonesian, 1,234,567 in English.
func number[T int | int64 | uint64](l lang, n T) string {
	group, _ := l.marks()
	if n < 0 {
		return "−" + groupThousands(magnitude(int64(n)), group)
	}
	return groupThousands(uint64(n), group)
}

// sign is a true minus for negative amounts, nothing otherwise.
func sign(n int64) string {
	if n < 0 {
		return "−"
	}
	return ""
}

// magnitude is |n|, also for the smallest int64.
func magnitude(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

func groupThousands(n uint64, sep string) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// tanggal writes days since 1970-01-01 as a date in words, the way each
// language writes it: 17 Maret 2024, 17 March 2024.
func tanggal(l lang, days int64) string {
	return dateWords(l, time.Unix(days*86400, 0).UTC())
}

// tanggalWIB writes the day an instant falls on in WIB, in words: a
// release at 20.00 UTC on 4 March was made on 5 Maret.
func tanggalWIB(l lang, t time.Time) string {
	return dateWords(l, t.In(dataset.WIB))
}

// waktu writes an instant in WIB, the one time zone pages show: 4 Maret
// 2024 09.00 WIB, 4 March 2024 09:00 WIB; seconds only when there are
// some.
func waktu(l lang, t time.Time) string {
	t = t.In(dataset.WIB)
	sep := "."
	if l == langEN {
		sep = ":"
	}
	clock := t.Format("15" + sep + "04")
	if t.Second() != 0 {
		clock += t.Format(sep + "05")
	}
	return dateWords(l, t) + " " + clock + nbsp + "WIB"
}

func dateWords(l lang, t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + monthNames[l][t.Month()] + " " + strconv.Itoa(t.Year())
}

// fieldText is how a page shows a record's value: money, dates and times
// in the page's language, other values as the data has them.
func fieldText(l lang, f *dataset.Field, v dataset.Value) string {
	if !v.Valid {
		return ""
	}
	switch f.Type {
	case dataset.Money:
		return rupiah(l, v.Int)
	case dataset.Date:
		return tanggal(l, v.Int)
	case dataset.Timestamp:
		return waktu(l, time.UnixMilli(v.Int))
	}
	return f.Format(v)
}

// formattedText is fieldText of a value given as Field.Format wrote it
// (as search hits carry them): 42949691543.00 reads Rp 42.949.691.543.
// A value that is not in that form is shown as it is.
func formattedText(l lang, f *dataset.Field, s string) string {
	var n int64
	var ok bool
	switch f.Type {
	case dataset.Money:
		n, ok = dataset.ParseFormattedMoney(s)
	case dataset.Date:
		t, err := time.Parse(time.DateOnly, s)
		n, ok = t.Unix()/86400, err == nil
	case dataset.Timestamp:
		t, err := time.Parse(time.RFC3339Nano, s)
		n, ok = t.UnixMilli(), err == nil
	default:
		return s
	}
	if !ok {
		return s
	}
	return fieldText(l, f, dataset.IntValue(n))
}

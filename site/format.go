package site

import (
	"strconv"
	"strings"
	"time"
)

// rupiah formats sen the Indonesian way with thousands dots and no sen
// unless there are some: Rp 1.234.567 or Rp 1.234.567,50.
func rupiah(sen int64) string {
	neg := sen < 0
	if neg {
		sen = -sen
	}
	s := "Rp " + groupThousands(sen/100)
	if c := sen % 100; c != 0 {
		s += "," + strconv.FormatInt(c/10, 10) + strconv.FormatInt(c%10, 10)
	}
	if neg {
		return "−" + s
	}
	return s
}

// rupiahShort abbreviates large amounts as Indonesians read them:
// rb (ribu), jt (juta), M (miliar), T (triliun), with a decimal comma.
func rupiahShort(sen int64) string {
	r := float64(sen) / 100
	neg := r < 0
	if neg {
		r = -r
	}
	units := []struct {
		div    float64
		suffix string
	}{{1e12, " T"}, {1e9, " M"}, {1e6, " jt"}}
	s := ""
	for _, u := range units {
		if r >= u.div {
			num := strings.TrimSuffix(strconv.FormatFloat(r/u.div, 'f', 1, 64), ".0")
			s = "Rp " + strings.Replace(num, ".", ",", 1) + u.suffix
			break
		}
	}
	if s == "" {
		s = "Rp " + groupThousands(int64(r))
	}
	if neg {
		return "−" + s
	}
	return s
}

// number formats an integer with Indonesian thousands dots: 1.234.567.
func number[T int | int64 | uint64](n T) string {
	if n < 0 {
		return "−" + groupThousands(int64(-n))
	}
	return groupThousands(int64(n))
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// tanggal formats days since 1970-01-01 as a date in words, the way each
// language writes it: 17 Maret 2024, 17 March 2024.
func tanggal(days int64, l lang) string {
	t := time.Unix(days*86400, 0).UTC()
	return strconv.Itoa(t.Day()) + " " + monthNames[l][t.Month()] + " " + strconv.Itoa(t.Year())
}

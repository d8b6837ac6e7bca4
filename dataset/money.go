package dataset

import (
	"strconv"
	"strings"
)

// maxMoneyDigits keeps amounts within DECIMAL(18,2): 16 digits of rupiah.
const maxMoneyDigits = 16

// ParseMoney reads a rupiah amount as written in Indonesian feeds and returns
// it in sen. Accepted: 1234567, 1234567.5, 1234567.50, 1.234.567,
// 1.234.567,89, 1,234,567.00, Rp 1.234.567, -1234 and (1234). A separator is
// read as a decimal mark only when one to two digits follow it and it is the
// last separator; everything else must be well-formed groups of three, so a
// value such as 12,5,0 is an error rather than a guess, and so is a lone dot
// after one to three digits with sen after it (1.23: sen, or thousands cut
// short?); 0.50 and 1.00, as FormatMoney writes them, are read back.
func ParseMoney(raw string) (int64, *FieldError) {
	s := strings.TrimSpace(raw)
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	if strings.HasPrefix(s, "-") {
		if neg {
			return 0, moneyErr()
		}
		neg, s = true, strings.TrimSpace(s[1:])
	}
	s = trimCurrency(s)
	if strings.HasPrefix(s, "-") && !neg {
		neg, s = true, strings.TrimSpace(s[1:])
	}
	if s == "" {
		return 0, moneyErr()
	}
	whole, frac, err := splitMoney(s)
	if err != nil {
		return 0, err
	}
	if len(whole) > maxMoneyDigits {
		return 0, fieldErr("money_range", "terlalu besar (lebih dari %d digit rupiah)", "is too large (more than %d digits of rupiah)", maxMoneyDigits)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	sen, perr := strconv.ParseInt(whole+frac, 10, 64)
	if perr != nil {
		return 0, moneyErr()
	}
	if neg {
		sen = -sen
	}
	return sen, nil
}

func trimCurrency(s string) string {
	for _, p := range []string{"Rp.", "Rp", "RP.", "RP", "rp.", "rp", "IDR"} {
		if strings.HasPrefix(s, p) {
			s = s[len(p):]
			break
		}
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
}

// splitMoney separates whole rupiah from sen, validating digit grouping.
func splitMoney(s string) (whole, frac string, err *FieldError) {
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return "", "", moneyErr()
		}
	}
	last := strings.LastIndexAny(s, ".,")
	if last < 0 {
		return s, "", nil
	}
	mark, tail := s[last], s[last+1:]
	group := byte(',')
	if mark == ',' {
		group = '.'
	}
	switch {
	case strings.IndexByte(s, group) >= 0:
		// Both separators: the last one is the decimal mark.
		if len(tail) < 1 || len(tail) > 2 || strings.IndexByte(s[:last], mark) >= 0 {
			return "", "", moneyErr()
		}
		whole, err = ungroup(s[:last], group)
		return whole, tail, err
	case strings.Count(s, string(mark)) == 1 && len(tail) >= 1 && len(tail) <= 2:
		if last == 0 {
			return "", "", moneyErr()
		}
		if mark == '.' && last < 4 && s[0] != '0' && strings.Trim(tail, "0") != "" {
			// Indonesians group thousands with dots, so 1.23 may be
			// 1.230 cut short as well as 1,23 written the English way.
			return "", "", fieldErr("money_ambiguous", "tidak jelas: titik adalah pemisah ribuan; tulis 1,23 untuk rupiah dan sen, atau 1.230 untuk ribuan",
				"is ambiguous: a dot groups thousands in Indonesian; write 1,23 for rupiah and sen, or 1.230 for thousands")
		}
		return s[:last], tail, nil
	case strings.Count(s, string(mark)) == 1 && len(tail) > 3:
		return "", "", fieldErr("money_decimals", "lebih dari 2 angka di belakang koma", "has more than 2 decimal places")
	}
	whole, err = ungroup(s, mark)
	return whole, "", err
}

// ungroup removes thousands separators, insisting on groups of three.
func ungroup(s string, sep byte) (string, *FieldError) {
	groups := strings.Split(s, string(sep))
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return "", moneyErr()
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", moneyErr()
		}
	}
	return strings.Join(groups, ""), nil
}

func moneyErr() *FieldError {
	return fieldErr("money", "bukan nilai uang yang sah (contoh: 1234567, 1.234.567,89 atau Rp 1.234.567)", "is not a valid amount of money (e.g. 1234567, 1.234.567,89 or Rp 1.234.567)")
}

// FormatMoney renders sen as a plain decimal with two places, the form
// DECIMAL(18,2) readers print: -1234567.50.
func FormatMoney(sen int64) string {
	neg := sen < 0
	u := uint64(sen)
	if neg {
		u = uint64(-sen)
	}
	s := strconv.FormatUint(u/100, 10) + "." + twoDigits(u%100)
	if neg {
		return "-" + s
	}
	return s
}

// ParseFormattedMoney reads back exactly what FormatMoney writes
// (-1234567.50), and nothing else. Feeds go through ParseMoney, which
// refuses some of these forms as ambiguous when a person typed them
// (1.50); Terbuka's own decimal text is not ambiguous.
func ParseFormattedMoney(s string) (int64, bool) {
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 || strings.Trim(frac, "0123456789") != "" || strings.Trim(strings.TrimPrefix(whole, "-"), "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	return n, err == nil
}

func twoDigits(n uint64) string {
	if n < 10 {
		return "0" + strconv.FormatUint(n, 10)
	}
	return strconv.FormatUint(n, 10)
}

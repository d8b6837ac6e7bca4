package dataset

import (
	"strconv"
	"strings"
	"time"
)

// WIB is Western Indonesia Time. Feeds from SPSE and SIPD write local times
// without a zone; almost all of them are WIB, and a fixed offset avoids
// depending on the host's time zone database.
var WIB = time.FixedZone("WIB", 7*3600)

var monthNames = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1,
	"februari": 2, "feb": 2, "pebruari": 2, "february": 2,
	"maret": 3, "mar": 3, "march": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6,
	"juli": 7, "jul": 7, "july": 7,
	"agustus": 8, "agu": 8, "agt": 8, "aug": 8, "august": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10,
	"november": 11, "nov": 11, "nopember": 11,
	"desember": 12, "des": 12, "dec": 12, "december": 12,
}

// ParseDate reads a calendar date as written in Indonesian feeds and returns
// days since 1970-01-01. Accepted: 2024-03-17, 17/03/2024, 17-03-2024,
// 17 Maret 2024 (Indonesian or English month names, full or short), an
// ISO date-time whose date part is taken, and Excel serials (45368). Numeric dates are day-first, as
// Indonesians write them; a day-month order that cannot be a date (such as
// 03/17/2024) is reported, not swapped.
func ParseDate(raw string) (int64, *FieldError) {
	t, err := parseDay(strings.TrimSpace(raw))
	if err != nil {
		return 0, err
	}
	return t.Unix() / 86400, nil
}

func parseDay(s string) (time.Time, *FieldError) {
	if t, ok := excelSerial(s); ok {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	if len(s) >= 10 && s[4] == '-' {
		return ymd(s[:10], len(s) == 10 || s[10] == 'T' || s[10] == ' ')
	}
	if f := strings.Fields(s); len(f) == 3 {
		m, ok := monthNames[strings.ToLower(strings.TrimSuffix(f[1], "."))]
		if !ok {
			return time.Time{}, dateErr()
		}
		return civil(f[2], int(m), f[0])
	}
	for _, sep := range []string{"/", "-", "."} {
		if p := strings.Split(s, sep); len(p) == 3 && len(p[2]) == 4 {
			m, err := strconv.Atoi(p[1])
			if err != nil {
				return time.Time{}, dateErr()
			}
			if m > 12 {
				if d, _ := strconv.Atoi(p[0]); d >= 1 && d <= 12 {
					return time.Time{}, fieldErr("date_order", "bulan %d tidak ada; tulis tanggal sebagai HH/BB/TTTT", "month %d does not exist; write dates day-first as DD/MM/YYYY", m)
				}
			}
			return civil(p[2], m, p[0])
		}
	}
	return time.Time{}, dateErr()
}

func ymd(s string, ok bool) (time.Time, *FieldError) {
	if !ok || s[7] != '-' {
		return time.Time{}, dateErr()
	}
	m, err := strconv.Atoi(s[5:7])
	if err != nil {
		return time.Time{}, dateErr()
	}
	return civil(s[:4], m, s[8:10])
}

// civil builds a UTC midnight and rejects dates that time.Date would
// silently normalise, such as 31 April.
func civil(year string, month int, day string) (time.Time, *FieldError) {
	y, err1 := strconv.Atoi(year)
	d, err2 := strconv.Atoi(day)
	if err1 != nil || err2 != nil || len(year) != 4 || len(day) > 2 {
		return time.Time{}, dateErr()
	}
	if y < 1900 || y > 2200 || month < 1 || month > 12 || d < 1 {
		return time.Time{}, fieldErr("date_range", "tanggal tidak ada", "is not a real date")
	}
	t := time.Date(y, time.Month(month), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, fieldErr("date_range", "tanggal tidak ada", "is not a real date")
	}
	return t, nil
}

func dateErr() *FieldError {
	return fieldErr("date", "bukan tanggal yang sah (contoh: 2024-03-17, 17/03/2024 atau 17 Maret 2024)", "is not a valid date (e.g. 2024-03-17, 17/03/2024 or 17 Maret 2024)")
}

// ParseTimestamp reads a date-time and returns milliseconds since the epoch.
// RFC 3339 values keep their zone; local times (2024-03-17 10:30[:00]) are
// read as WIB; a bare date is midnight WIB.
func ParseTimestamp(raw string) (int64, *FieldError) {
	s := strings.TrimSpace(raw)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UnixMilli(), nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "02/01/2006 15:04:05", "02/01/2006 15:04"} {
		if t, err := time.ParseInLocation(layout, s, WIB); err == nil {
			return t.UnixMilli(), nil
		}
	}
	if t, ok := excelSerial(s); ok {
		return t.UnixMilli(), nil
	}
	d, err := parseDay(s)
	if err != nil {
		return 0, fieldErr("timestamp", "bukan tanggal/waktu yang sah (contoh: 2024-03-17 10:30:00 atau 2024-03-17T10:30:00+07:00)", "is not a valid date-time (e.g. 2024-03-17 10:30:00 or 2024-03-17T10:30:00+07:00)")
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, WIB).UnixMilli(), nil
}

// excelSerial reads a date Excel wrote as its serial number, days since
// 30 December 1899 with the time of day as a fraction, as exports from
// spreadsheets carry them. Only serials of 1955–2109 (20000–76000) are
// taken: other numbers in a date column are mistakes, not dates.
func excelSerial(s string) (time.Time, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(whole) != 5 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 20000 || f >= 76000 {
		return time.Time{}, false
	}
	days := int(f)
	secs := int((f-float64(days))*86400 + 0.5)
	return time.Date(1899, 12, 30, 0, 0, 0, 0, WIB).AddDate(0, 0, days).Add(time.Duration(secs) * time.Second), true
}

// FormatDate renders days since the epoch as YYYY-MM-DD.
func FormatDate(days int64) string {
	return time.Unix(days*86400, 0).UTC().Format("2006-01-02")
}

// FormatTimestamp renders milliseconds since the epoch in RFC 3339, in WIB,
// with milliseconds only when there are some.
func FormatTimestamp(ms int64) string {
	return time.UnixMilli(ms).In(WIB).Format("2006-01-02T15:04:05.999Z07:00")
}

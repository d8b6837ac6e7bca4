package dataset

import (
	"testing"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
		code string // error code, "" for success
	}{
		{in: "2024-03-17", want: "2024-03-17"},
		{in: "17/03/2024", want: "2024-03-17"},
		{in: "17-03-2024", want: "2024-03-17"},
		{in: "17.03.2024", want: "2024-03-17"},
		{in: "17 Maret 2024", want: "2024-03-17"},
		{in: "1 Agustus 2023", want: "2023-08-01"},
		{in: "5 Agt 2023", want: "2023-08-05"},
		{in: "31 Des 2024", want: "2024-12-31"},
		{in: "17 March 2024", want: "2024-03-17"},
		{in: "2024-06-19T00:00:00Z", want: "2024-06-19"},
		{in: "2024-06-19 10:30:00", want: "2024-06-19"},
		{in: "29/02/2024", want: "2024-02-29"},
		{in: "29/02/2023", code: "date_range"},
		{in: "31 April 2024", code: "date_range"},
		{in: "03/17/2024", code: "date_order"},
		{in: "2024-13-01", code: "date_range"},
		{in: "17 Maretz 2024", code: "date"},
		{in: "2024/03/17", code: "date"},
		{in: "17/03/24", code: "date"},
		{in: "yesterday", code: "date"},
		{in: "2024-03-1", code: "date"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			days, err := ParseDate(tt.in)
			if tt.code != "" {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %s, want error %s", tt.in, FormatDate(days), tt.code)
				}
				if err.Code != tt.code {
					t.Errorf("ParseDate(%q) error code = %s, want %s", tt.in, err.Code, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got := FormatDate(days); got != tt.want {
				t.Errorf("ParseDate(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2024-05-08T00:00:00Z", "2024-05-08T07:00:00+07:00"},
		{"2024-05-08 09:30:00", "2024-05-08T09:30:00+07:00"},
		{"2024-05-08T09:30:00+08:00", "2024-05-08T08:30:00+07:00"},
		{"2024-05-08", "2024-05-08T00:00:00+07:00"},
		{"08/05/2024 14:00", "2024-05-08T14:00:00+07:00"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ms, err := ParseTimestamp(tt.in)
			if err != nil {
				t.Fatalf("ParseTimestamp(%q): %v", tt.in, err)
			}
			if got := FormatTimestamp(ms); got != tt.want {
				t.Errorf("ParseTimestamp(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
	if _, err := ParseTimestamp("kemarin sore"); err == nil {
		t.Error("ParseTimestamp(\"kemarin sore\") succeeded, want an error")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-03-17", "17/03/2024", "17 Maret 2024", "03/17/2024", "2024-06-19T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		days, err := ParseDate(s)
		if err != nil {
			return
		}
		back, err := ParseDate(FormatDate(days))
		if err != nil || back != days {
			t.Fatalf("ParseDate(%q) = %d; round trip via %s gave %d, %v", s, days, FormatDate(days), back, err)
		}
	})
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2024-05-08T00:00:00Z", "2024-05-08 09:30:00", "08/05/2024 14:00", "2024-05-08", "17 Maret 2024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms, err := ParseTimestamp(s)
		if err != nil {
			if err.Code == "" || err.Msg.EN == "" {
				t.Fatalf("ParseTimestamp(%q): error without code or message", s)
			}
			return
		}
		back, err := ParseTimestamp(FormatTimestamp(ms))
		if err != nil || back != ms {
			t.Fatalf("ParseTimestamp(%q) = %d; round trip via %s gave %d, %v", s, ms, FormatTimestamp(ms), back, err)
		}
	})
}

func TestExcelSerialDates(t *testing.T) {
	for _, tc := range []struct {
		raw, date string
	}{
		{"45368", "2024-03-17"},
		{"45368.75", "2024-03-17"},
		{"36526", "2000-01-01"},
	} {
		d, err := ParseDate(tc.raw)
		if err != nil || FormatDate(d) != tc.date {
			t.Errorf("ParseDate(%q) = %s, %v; want %s", tc.raw, FormatDate(d), err, tc.date)
		}
	}
	ms, err := ParseTimestamp("45368.75")
	if err != nil || FormatTimestamp(ms) != "2024-03-17T18:00:00+07:00" {
		t.Errorf("ParseTimestamp(45368.75) = %s, %v", FormatTimestamp(ms), err)
	}
	for _, raw := range []string{"12345", "99999", "4536", "45368x", "45368.7.5", "-45368"} {
		if _, err := ParseDate(raw); err == nil {
			t.Errorf("ParseDate(%q) took a number that is no Excel date", raw)
		}
	}
}

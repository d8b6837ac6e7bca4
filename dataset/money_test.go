package dataset

import (
	"testing"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want int64 // sen
		err  bool
	}{
		{in: "1234567", want: 123456700},
		{in: "1234567.5", want: 123456750},
		{in: "1234567.50", want: 123456750},
		{in: "1800474995.54", want: 180047499554},
		{in: "1.234.567", want: 123456700},
		{in: "1.234.567,89", want: 123456789},
		{in: "1,234,567.00", want: 123456700},
		{in: "Rp 1.234.567", want: 123456700},
		{in: "Rp. 1.234.567,5", want: 123456750},
		{in: "IDR 1,234,567", want: 123456700},
		{in: "1.234", want: 123400},
		{in: "1,234", want: 123400},
		{in: "1234,5", want: 123450},
		{in: "0", want: 0},
		{in: "-1.500.000", want: -150000000},
		{in: "(2.500)", want: -250000},
		{in: "Rp\u00a01.000", want: 100000},
		{in: " 42 ", want: 4200},
		{in: "9999999999999999.99", want: 999999999999999999},
		{in: "12,5,0", err: true},
		{in: "1.23.456", err: true},
		{in: "1.23", err: true},
		{in: "12.5", err: true},
		{in: "1234.5", want: 123450},
		{in: "1,23", want: 123},
		{in: "1,234.567", err: true},
		{in: "1.234,567", err: true},
		{in: "12.3456", err: true},
		{in: "1.234.567.89", err: true},
		{in: ".50", err: true},
		{in: "abc", err: true},
		{in: "1e6", err: true},
		{in: "--5", err: true},
		{in: "(-5)", err: true},
		{in: "Rp", err: true},
		{in: "12345678901234567", err: true},
		{in: "1..234", err: true},
		{in: "1.", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMoney(tt.in)
			if tt.err {
				if err == nil {
					t.Fatalf("ParseMoney(%q) = %d, want an error", tt.in, got)
				}
				if err.Msg.ID == "" || err.Msg.EN == "" {
					t.Errorf("ParseMoney(%q) error lacks a message in both languages: %+v", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseMoney(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseMoney(%q) = %d sen, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatMoneyRoundTrip(t *testing.T) {
	for _, sen := range []int64{0, 1, 10, 99, 100, 123456789, -5, -123456750, 999999999999999999} {
		s := FormatMoney(sen)
		got, err := ParseMoney(s)
		if err != nil || got != sen {
			t.Errorf("ParseMoney(FormatMoney(%d) = %q) = %d, %v", sen, s, got, err)
		}
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"1234567", "1.234.567,89", "Rp 1.234.567", "1,234,567.00", "12,5,0", "(2.500)", "-1.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sen, err := ParseMoney(s)
		if err != nil {
			if err.Code == "" || err.Msg.EN == "" {
				t.Fatalf("ParseMoney(%q): error without code or message", s)
			}
			return
		}
		// Whatever parses must survive a round trip through the canonical
		// form (which ParseMoney may refuse as a person's ambiguous "1.50").
		back, ok := ParseFormattedMoney(FormatMoney(sen))
		if !ok || back != sen {
			t.Fatalf("ParseMoney(%q) = %d; round trip through %q gave %d, %v", s, sen, FormatMoney(sen), back, ok)
		}
	})
}

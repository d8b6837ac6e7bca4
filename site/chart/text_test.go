package chart

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Belanja Modal", "Belanja Modal"},
		{"a\x00b", "a\uFFFDb"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"two\nlines\tand\rtab", "two lines and tab"},
		{"\uFFFE", "\uFFFD"},
		{"Rp 1,2 M – −5", "Rp 1,2 M – −5"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(clean(tt.in), tt.want); diff != "" {
			t.Errorf("clean(%q) (-got +want):\n%s", tt.in, diff)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width float64
		max   int
		want  []string
	}{
		{"fits", "Belanja Barang dan Jasa", 180, 3, []string{"Belanja Barang dan Jasa"}},
		{"wraps", "Belanja Barang dan Jasa", 120, 3, []string{"Belanja Barang", "dan Jasa"}},
		{"cut at max lines", "Belanja Bantuan Keuangan kepada Pemerintah Desa", 120, 2, []string{"Belanja Bantuan", "Keuangan kepa…"}},
		{"long word", "Supercalifragilisticexpialidocious", 80, 3, []string{"Supercali…"}},
		{"extra spaces", "  Belanja \n Modal ", 400, 3, []string{"Belanja Modal"}},
		{"empty", "", 100, 3, nil},
		{"no break at a no-break space", "Target Rp\u00a0113,6\u00a0M", 80, 3, []string{"Target", "Rp\u00a0113,6\u00a0M"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.in, tt.width, fontSize, tt.max)
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
			for _, l := range got {
				if w := textWidth(l, fontSize); w > tt.width {
					t.Errorf("line %q is %.1f wide, more than %.1f", l, w, tt.width)
				}
			}
		})
	}
}

func TestPlainFormat(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"},
		{999, "999"},
		{1000, "1.000"},
		{-1234567, "−1.234.567"},
		{math.MaxInt64, "9.223.372.036.854.775.807"},
		{math.MinInt64, "−9.223.372.036.854.775.808"},
	}
	for _, tt := range tests {
		if got := plainFormat(tt.in); got != tt.want {
			t.Errorf("plainFormat(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNum(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {-0.04, "0"}, {12, "12"}, {12.34, "12.3"}, {-7.25, "-7.3"},
		{math.NaN(), "0"}, {math.Inf(1), "0"},
	}
	for _, tt := range tests {
		if got := num(tt.in); got != tt.want {
			t.Errorf("num(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"belanja-2024", "belanja-2024"},
		{"", "chart"},
		{"a b\"c", "a-b-c"},
		{"2024", "chart-2024"},
		{"é", "chart---"},
	}
	for _, tt := range tests {
		if got := cleanID(tt.in); got != tt.want {
			t.Errorf("cleanID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

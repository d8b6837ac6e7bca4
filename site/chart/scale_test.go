package chart

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNiceStep(t *testing.T) {
	tests := []struct {
		span float64
		n    int
		want float64
	}{
		{0, 5, 1},
		{3, 5, 1},
		{100, 5, 20},
		{120, 5, 50},
		{1.21e14, 2, 1e14},
		{math.NaN(), 5, 1},
		{1.8e19, 4, 5e18},
	}
	for _, tt := range tests {
		if got := niceStep(tt.span, tt.n); got != tt.want {
			t.Errorf("niceStep(%g, %d) = %g, want %g", tt.span, tt.n, got, tt.want)
		}
	}
}

func TestScale(t *testing.T) {
	tests := []struct {
		name string
		e    extent
		n    int
		want lineScale
	}{
		{"all zero", extent{}, 5, lineScale{lo: -1, hi: 1, ticks: []int64{0}}},
		{"positive", extent{0, 120}, 5, lineScale{lo: 0, hi: 150, ticks: []int64{0, 50, 100, 150}}},
		{"negative", extent{-8, 120}, 5, lineScale{lo: -50, hi: 150, ticks: []int64{-50, 0, 50, 100, 150}}},
		// Ticks past the int64 range are dropped.
		{"huge", extent{math.MinInt64, math.MaxInt64}, 3, lineScale{lo: -1e19, hi: 1e19, ticks: []int64{0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.e.scale(tt.n)
			if diff := cmp.Diff(got, tt.want, cmp.AllowUnexported(lineScale{})); diff != "" {
				t.Errorf("(-got +want):\n%s", diff)
			}
		})
	}
}

func TestSatAdd(t *testing.T) {
	tests := []struct{ a, b, want int64 }{
		{1, 2, 3},
		{math.MaxInt64, 1, math.MaxInt64},
		{math.MinInt64, -1, math.MinInt64},
		{math.MaxInt64, math.MinInt64, -1},
	}
	for _, tt := range tests {
		if got := satAdd(tt.a, tt.b); got != tt.want {
			t.Errorf("satAdd(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

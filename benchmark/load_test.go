package benchmark

import (
	"net/http"
	"testing"
)

func TestAllowedUnderLoad(t *testing.T) {
	for _, tc := range []struct {
		overloaded bool
		code       int
		want       bool
	}{
		{false, http.StatusOK, true},
		{false, http.StatusCreated, true},
		{false, http.StatusTooManyRequests, true},
		{false, http.StatusServiceUnavailable, false},
		{true, http.StatusServiceUnavailable, true},
		{true, http.StatusInternalServerError, false},
		{true, 0, false}, // a transport error
		{false, http.StatusNotFound, false},
	} {
		if got := allowedUnderLoad(tc.overloaded, tc.code); got != tc.want {
			t.Errorf("allowedUnderLoad(%v, %d) = %v, want %v", tc.overloaded, tc.code, got, tc.want)
		}
	}
}

func TestBackToBaseline(t *testing.T) {
	base := Process{RSSKiB: 100 << 10, Goroutines: 30, OpenFiles: 20}
	for _, tc := range []struct {
		after Process
		want  bool
	}{
		{base, true},
		{Process{RSSKiB: 150 << 10, Goroutines: 35, OpenFiles: 25}, true},
		{Process{RSSKiB: 300 << 10, Goroutines: 30, OpenFiles: 20}, false},  // memory kept
		{Process{RSSKiB: 100 << 10, Goroutines: 200, OpenFiles: 20}, false}, // goroutines leaked
		{Process{RSSKiB: 100 << 10, Goroutines: 30, OpenFiles: 90}, false},  // files leaked
	} {
		if got := backToBaseline(base, tc.after); got != tc.want {
			t.Errorf("backToBaseline(%+v, %+v) = %v, want %v", base, tc.after, got, tc.want)
		}
	}
}

// Package testfiles finds the files tests compare against: golden files,
// which `go test -update` rewrites, and the shared reference data beside
// the module (../shared/data). It also holds Eventually, for tests that
// wait on a condition they can only poll.
package testfiles

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// Golden compares got with the golden file at path; with -update it
// writes got there first.
func Golden(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(got, string(want)); diff != "" {
		t.Errorf("%s differs (go test -update accepts it) (-got +want):\n%s", path, diff)
	}
}

// SharedData returns ../shared/data beside the module root. Without it the
// test is skipped with a message, unless TERBUKA_REQUIRE_SHARED_DATA=1
// (set by .ci/run), in which case it fails.
func SharedData(t testing.TB) string {
	t.Helper()
	dir, _ := os.Getwd()
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
	}
	data := filepath.Join(filepath.Dir(dir), "shared", "data")
	if _, err := os.Stat(data); err != nil {
		if os.Getenv("TERBUKA_REQUIRE_SHARED_DATA") == "1" {
			t.Fatalf("shared reference data not found at %s", data)
		}
		t.Skipf("shared reference data not found at %s; skipping", data)
	}
	return data
}

// Eventually calls cond every 20ms until it returns nil, and fails the
// test if that has not happened within timeout. Until the condition holds,
// cond returns an error saying how things stand; the failure names what
// was awaited and the last such error. Where the code offers a channel or
// an event, wait on that instead: this is for conditions only polling can
// observe, such as another process's answers.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	const tick = 20 * time.Millisecond
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	for {
		err := cond()
		if err == nil {
			return
		}
		select {
		case <-ticker.C:
		case <-deadline.C:
			t.Fatalf("%s: still not so after %v: %v", what, timeout, err)
		}
	}
}

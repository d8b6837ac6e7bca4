package testfiles

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fatalRecorder is a test that notes its fatal failure and stops its
// goroutine, as t.Fatalf does, without failing the test running it.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (*fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// eventually runs Eventually in its own goroutine, as a test would, and
// returns its fatal message, if any.
func eventually(t *testing.T, timeout time.Duration, cond func() error) string {
	r := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Eventually(r, timeout, "the thing is ready", cond)
	}()
	<-done
	return r.msg
}

func TestEventually(t *testing.T) {
	t.Run("holds after a few polls", func(t *testing.T) {
		calls := 0
		msg := eventually(t, time.Minute, func() error {
			if calls++; calls < 3 {
				return fmt.Errorf("call %d", calls)
			}
			return nil
		})
		if msg != "" || calls != 3 {
			t.Errorf("failed with %q after %d calls, want success on the 3rd", msg, calls)
		}
	})
	t.Run("never holds", func(t *testing.T) {
		msg := eventually(t, 50*time.Millisecond, func() error { return errors.New("total 0") })
		if !strings.Contains(msg, "the thing is ready") || !strings.Contains(msg, "50ms") || !strings.Contains(msg, "total 0") {
			t.Errorf("failure %q does not name what was awaited, for how long and how things stood", msg)
		}
	})
}

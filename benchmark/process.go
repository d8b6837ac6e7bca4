package benchmark

import (
	"os"
	"os/exec"
	"time"
)

// terminate sends cmd's process sig and waits for exited, closed once cmd
// has been waited for; a process still running after grace is killed. It
// reports whether it had to kill.
func terminate(cmd *exec.Cmd, exited <-chan struct{}, sig os.Signal, grace time.Duration) (killed bool) {
	cmd.Process.Signal(sig)
	select {
	case <-exited:
		return false
	case <-time.After(grace):
		cmd.Process.Kill()
		<-exited
		return true
	}
}

package main

import (
	"bufio"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// startServeBound is startServeLogged for the fault tests, with extra
// arguments to serve, and a server that is killed with the test binary
// should that itself be killed (a timeout, an interrupt), since those
// tests wait long on purpose. When the test ends the server gets SIGTERM
// and must stop cleanly.
func startServeBound(t *testing.T, env []string, args ...string) (string, *serveLog) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0", "--poll", "100ms"}, args...)...)
	cmd.Env = append(append(os.Environ(), "TERBUKA_TEST_MAIN=1"), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve did not stop cleanly on SIGTERM: %v", err)
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Errorf("serve did not stop within 30s of SIGTERM")
		}
	})
	log := &serveLog{}
	return waitForURL(t, bufio.NewScanner(stderr), log), log
}

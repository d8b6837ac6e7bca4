package main

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// minioServer is a MinIO process of a test's own, on a loopback port and
// a data directory no other test uses, so the test may stop, kill and
// restart it: the server scripts/with-minio starts is shared and must stay
// up.
type minioServer struct {
	bin, dir, log string
	addr, console string
	user, secret  string
	cmd           *exec.Cmd
	exited        chan struct{} // closed when cmd has been waited for
}

// minioStartTimeout bounds how long MinIO may take to answer ready.
const minioStartTimeout = time.Minute

// startMinio starts the MinIO binary the Makefile builds (.tools/minio, or
// $TERBUKA_MINIO as scripts/with-minio reads it) on free loopback ports.
// Like every S3 test it is skipped outside scripts/with-minio (which make
// test runs, and which builds that binary), unless TERBUKA_REQUIRE_S3=1
// makes a skip a failure. The server is killed when the test ends.
func startMinio(t *testing.T) *minioServer {
	t.Helper()
	if os.Getenv("TERBUKA_TEST_S3_ENDPOINT") == "" && os.Getenv("TERBUKA_REQUIRE_S3") != "1" {
		t.Skip("no S3 test server: run through scripts/with-minio (make test), which builds the MinIO binary this test starts")
	}
	bin := os.Getenv("TERBUKA_MINIO")
	if bin == "" {
		bin, _ = filepath.Abs(filepath.Join("..", "..", ".tools", "minio"))
	}
	if info, err := os.Stat(bin); err != nil || info.Mode()&0o111 == 0 {
		t.Fatalf("no MinIO server binary at %s (make minio builds it): %v", bin, err)
	}
	var b [16]byte
	rand.Read(b[:])
	m := &minioServer{bin: bin, dir: t.TempDir(), log: filepath.Join(t.TempDir(), "minio.log"),
		addr: freeLoopbackAddr(t), console: freeLoopbackAddr(t),
		user: "terbuka-" + hex.EncodeToString(b[:4]), secret: hex.EncodeToString(b[4:])}
	t.Cleanup(m.kill)
	m.start(t)
	return m
}

// freeLoopbackAddr returns a loopback address with a port free now.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs the server on m's port and directory, as they were before a
// restart, and waits until it answers ready.
func (m *minioServer) start(t *testing.T) {
	t.Helper()
	logf, err := os.OpenFile(m.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(m.bin, "server", "--quiet", "--address", m.addr, "--console-address", m.console, m.dir)
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+m.user, "MINIO_ROOT_PASSWORD="+m.secret, "MINIO_BROWSER=off", "MINIO_UPDATE=off")
	cmd.Stdout, cmd.Stderr = logf, logf
	// Should the test binary itself be killed, the server goes with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start MinIO: %v", err)
	}
	m.cmd, m.exited = cmd, make(chan struct{})
	go func(exited chan struct{}) {
		cmd.Wait()
		close(exited)
	}(m.exited)
	waitHealthy(t, "MinIO", "http://"+m.addr+"/minio/health/ready", minioStartTimeout, m.exited, func() string {
		log, _ := os.ReadFile(m.log)
		return string(log)
	})
}

// waitHealthy polls url until it answers 200, failing the test when the
// server (exited is closed when its process ends) exits first or is not
// ready within timeout; logs gives what the server logged, for the message.
func waitHealthy(t *testing.T, name, url string, timeout time.Duration, exited <-chan struct{}, logs func() string) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-exited:
			t.Fatalf("%s exited during start-up; its log:\n%s", name, logs())
		case <-deadline.C:
			t.Fatalf("%s not ready at %s after %v (last: %v); its log:\n%s", name, url, timeout, err, logs())
		case <-tick.C:
		}
	}
}

// pause stops the server with SIGSTOP: it keeps its port, and the kernel
// takes connections for it, but nothing answers.
func (m *minioServer) pause(t *testing.T) {
	t.Helper()
	if err := m.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatalf("pause MinIO: %v", err)
	}
}

// kill ends the server with SIGKILL (first SIGCONT, in case it is paused)
// and waits for it; a server already gone is left alone.
func (m *minioServer) kill() {
	if m.cmd == nil {
		return
	}
	select {
	case <-m.exited:
		return
	default:
	}
	m.cmd.Process.Signal(syscall.SIGCONT)
	m.cmd.Process.Kill()
	<-m.exited
}

// env points the CLI at bucket on this server, with the index in a
// directory of the test's.
func (m *minioServer) env(t *testing.T, bucket string) []string {
	return []string{
		"TERBUKA_S3_ENDPOINT=" + m.addr,
		"TERBUKA_S3_ACCESS_KEY=" + m.user,
		"TERBUKA_S3_SECRET_KEY=" + m.secret,
		"TERBUKA_S3_BUCKET=" + bucket,
		"TERBUKA_INDEX=" + filepath.Join(t.TempDir(), "index"),
	}
}

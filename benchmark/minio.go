package benchmark

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/terbuka/terbuka/store"
)

// minioServer is a MinIO server of the run's own: the binary the Makefile
// builds (make minio), on free loopback ports, its data in a directory of
// the scratch directory, with random root credentials.
type minioServer struct {
	addr, user, secret string
	cmd                *exec.Cmd
	log                *os.File
	exited             chan struct{} // closed once cmd has been waited for
}

// minioStartLimit bounds how long MinIO may take to answer ready.
const minioStartLimit = time.Minute

// startMinio starts bin on the data directory dir, logging to logPath,
// and waits until it answers ready.
func startMinio(ctx context.Context, bin, dir, logPath string) (*minioServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	console, err := freePort()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	var key [16]byte
	rand.Read(key[:])
	m := &minioServer{addr: fmt.Sprintf("127.0.0.1:%d", port), user: "terbuka-" + hex.EncodeToString(key[:4]),
		secret: hex.EncodeToString(key[4:]), log: logFile, exited: make(chan struct{})}
	m.cmd = exec.Command(bin, "server", "--quiet", "--address", m.addr, "--console-address", fmt.Sprintf("127.0.0.1:%d", console), dir)
	m.cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+m.user, "MINIO_ROOT_PASSWORD="+m.secret, "MINIO_BROWSER=off", "MINIO_UPDATE=off")
	m.cmd.Stdout, m.cmd.Stderr = logFile, logFile
	// Should the harness be killed, the server goes with it.
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := m.cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start minio: %w", err)
	}
	go func() { m.cmd.Wait(); close(m.exited) }()
	if err := m.waitReady(ctx); err != nil {
		m.stop()
		return nil, err
	}
	return m, nil
}

// waitReady polls MinIO's readiness check until it answers 200.
func (m *minioServer) waitReady(ctx context.Context) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.NewTimer(minioStartLimit)
	defer deadline.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+m.addr+"/minio/health/ready", nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-m.exited:
			return fmt.Errorf("minio exited during start-up (log: %s)", m.log.Name())
		case <-deadline.C:
			return fmt.Errorf("minio at %s not ready after %v (log: %s)", m.addr, minioStartLimit, m.log.Name())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// flags are terbuka's flags for the bucket on this server.
func (m *minioServer) flags(bucket string) []string {
	return []string{"--s3-endpoint", m.addr, "--s3-bucket", bucket, "--s3-access-key", m.user, "--s3-secret-key", m.secret}
}

// open opens the bucket on this server, creating it.
func (m *minioServer) open(ctx context.Context, bucket string) (*store.S3, error) {
	return store.OpenS3(ctx, store.S3Config{Endpoint: m.addr, Bucket: bucket, AccessKey: m.user, SecretKey: m.secret})
}

// stop ends the server, with SIGTERM and after 10 s SIGKILL, and waits
// for it.
func (m *minioServer) stop() {
	terminate(m.cmd, m.exited, syscall.SIGTERM, 10*time.Second)
	m.log.Close()
}

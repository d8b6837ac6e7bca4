package search

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOpenLock: while an Index has a directory open, a second Open of it
// (here, in the same process) fails with an error naming the directory;
// once the first is closed it succeeds.
func TestOpenLock(t *testing.T) {
	d := Dir(filepath.Join(t.TempDir(), "index"))
	gen, err := d.NewGeneration()
	if err != nil {
		t.Fatal(err)
	}
	path := d.Path(gen)
	first, err := Open(Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if !lockHeld(t, path) {
		t.Fatalf("%s not locked while the index is open", lockName)
	}
	_, err = Open(Config{Path: path, LockTimeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "another terbuka process is using") {
		t.Errorf("second Open's error %q names no directory or no other process", msg)
	}
	if _, err := d.Open(gen, Config{LockTimeout: 50 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Errorf("Dir.Open of the open generation = %v, want ErrLocked", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if lockHeld(t, path) {
		t.Fatalf("%s still locked after Close", lockName)
	}
	again, err := Open(Config{Path: path, LockTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open after Close = %v", err)
	}
	again.Close()
}

// lockHeld reports whether an Index holds the lock of the directory path:
// what Open checks before Bleve's own lock is reached.
func lockHeld(t *testing.T, path string) bool {
	t.Helper()
	l, held, err := tryLock(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.release(); err != nil {
		t.Fatal(err)
	}
	return held
}

// lockHolderPath, set in its environment, makes the test binary a child of
// TestOpenLockOtherProcess.
const lockHolderPath = "TERBUKA_SEARCH_LOCK_HOLDER"

// TestIndexLockHolder is not a test: it is the child process of
// TestOpenLockOtherProcess. It opens the index, prints "ready" and keeps it
// open until its standard input ends or it is killed.
func TestIndexLockHolder(t *testing.T) {
	path := os.Getenv(lockHolderPath)
	if path == "" {
		return
	}
	ix, err := Open(Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
}

// TestOpenLockOtherProcess: an index another process has open is refused;
// once that process dies without closing it (kill -9), its lock is gone
// and Open succeeds, though the lock file stays.
func TestOpenLockOtherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	// Not CommandContext: the child is killed explicitly below.
	cmd := exec.Command(os.Args[0], "-test.run=^TestIndexLockHolder$")
	// The race detector otherwise sleeps a second as the child exits.
	gorace := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
	cmd.Env = append(os.Environ(), lockHolderPath+"="+path, "GORACE="+gorace)
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	if out := bufio.NewScanner(stdout); !out.Scan() || out.Text() != "ready" {
		t.Fatalf("lock holder did not start: %q\n%s", out.Text(), stderr)
	}

	if !lockHeld(t, path) {
		t.Fatalf("%s not locked while another process has the index open", lockName)
	}
	if _, err := Open(Config{Path: path, LockTimeout: 50 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Fatalf("Open while another process has the index = %v, want ErrLocked", err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killed = true
	if _, err := os.Stat(filepath.Join(path, lockName)); err != nil {
		t.Fatalf("lock file after the holder died: %v", err)
	}
	ix, err := Open(Config{Path: path, LockTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open after the holder died = %v", err)
	}
	ix.Close()
}

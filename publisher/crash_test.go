package publisher

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// TestMain lets TestPublishSurvivesKill run this test binary as the
// publisher it kills.
func TestMain(m *testing.M) {
	if where := os.Getenv("TERBUKA_PUBLISH_CHILD"); where != "" {
		publishForever(where)
		return
	}
	os.Exit(m.Run())
}

// childT is enough of testing.TB for storetest to open a store in the child.
type childT struct{ testing.TB }

func (childT) Helper()                  {}
func (childT) Context() context.Context { return context.Background() }
func (childT) Fatalf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, f+"\n", a...)
	os.Exit(3)
}
func (c childT) Fatal(a ...any)       { c.Fatalf("%v", a...) }
func (childT) Skip(...any)            { os.Exit(4) }
func (childT) TempDir() string        { d, _ := os.MkdirTemp("", "child"); return d }
func (childT) Cleanup(func())         {}
func (c childT) Skipf(string, ...any) { c.Skip() }

// openWhere opens "dir:PATH" or "s3:PREFIX".
func openWhere(t testing.TB, where string) store.Store {
	kind, arg, _ := strings.Cut(where, ":")
	if kind == "s3" {
		return storetest.S3At(t, arg)
	}
	d, err := store.OpenDir(arg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// publishForever publishes a new random partition after another, as a
// publisher does, until it is killed. It writes "ready" to stdout once its
// store is open and it starts publishing.
func publishForever(where string) {
	st := openWhere(childT{}, where)
	p := New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	fmt.Println("ready")
	for {
		body := make([]byte, 64+mrand.IntN(4096))
		rand.Read(body)
		sum := sha256.Sum256(body)
		sha := hex.EncodeToString(sum[:])
		region := fmt.Sprintf("32.%02d", 1+mrand.IntN(20))
		part := Partition{Dataset: "budget", Region: region, Year: 2024, SHA256: sha, Bytes: int64(len(body)), Rows: 1,
			Path: DataPath("budget", region, 2024, sha)}
		if _, err := st.Put(ctx, part.Path, strings.NewReader(string(body)), int64(len(body)), store.PutOptions{IfAbsent: true}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if _, _, err := p.Publish(ctx, Replacing(part)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// TestPublishSurvivesKill kills a publishing process (SIGKILL) at random
// points of 60 runs, on each real store. After every kill the live release
// is whole: its manifest exists and every file it lists is there with its
// sha256. At the end one more publish converges.
func TestPublishSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 120 processes; run without -short")
	}
	for name := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			var where string
			if name == "dir" {
				where = "dir:" + t.TempDir()
			} else {
				var b [6]byte
				rand.Read(b[:])
				where = "s3:crash-" + hex.EncodeToString(b[:])
			}
			st := openWhere(t, where)
			p := New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
			releases := map[string]bool{}
			for run := range 60 {
				killPublisher(t, run, where)
				if id := checkLive(t, st, p); id != "" {
					releases[id] = true
				}
			}
			// One more publish, to completion, converges.
			body := "after the kills"
			sum := sha256.Sum256([]byte(body))
			sha := hex.EncodeToString(sum[:])
			last := Partition{Dataset: "budget", Region: "32.73", Year: 2025, SHA256: sha, Bytes: int64(len(body)), Rows: 1, Path: DataPath("budget", "32.73", 2025, sha)}
			if _, err := st.Put(t.Context(), last.Path, strings.NewReader(body), int64(len(body)), store.PutOptions{IfAbsent: true}); err != nil {
				t.Fatal(err)
			}
			m, _, err := p.Publish(t.Context(), Replacing(last))
			if err != nil {
				t.Fatalf("publish after the kills: %v", err)
			}
			if _, ok := m.Partition(last.Key()); !ok || checkLive(t, st, p) != m.ID {
				t.Errorf("the last publish did not land")
			}
			t.Logf("%d distinct live releases seen across 60 kills; last %s", len(releases), m.ID)
			if len(releases) < 10 {
				t.Errorf("only %d releases were published between kills; the kills came too early to test anything", len(releases))
			}
		})
	}
}

// killPublisher starts a publisher on where and kills it (SIGKILL) at a
// random moment of its publishing.
func killPublisher(t *testing.T, run int, where string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TERBUKA_PUBLISH_CHILD="+where)
	var stderr strings.Builder
	ready := make(chan struct{})
	cmd.Stdout, cmd.Stderr = &closeOnWrite{c: ready}, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// Starting a process and opening a store take however long they take
	// on a busy machine: the moment of the kill counts from "ready".
	select {
	case <-ready:
	case err := <-exited:
		t.Fatalf("run %d: the publisher ended before it was ready (%v): %s", run, err, stderr.String())
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("run %d: the publisher was not ready within a minute: %s", run, stderr.String())
	}
	// This delay is the scenario, not a wait for anything: the kill lands
	// at a random point of the publishing loop.
	select {
	case err := <-exited:
		t.Fatalf("run %d: the publisher ended by itself (%v): %s", run, err, stderr.String())
	case <-time.After(time.Duration(20+mrand.IntN(200)) * time.Millisecond):
	}
	cmd.Process.Signal(syscall.SIGKILL)
	err := <-exited
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("run %d: the publisher ended by itself (%v): %s", run, err, stderr.String())
	}
}

// closeOnWrite closes c on the first write to it.
type closeOnWrite struct {
	c    chan struct{}
	once sync.Once
}

func (w *closeOnWrite) Write(b []byte) (int, error) {
	w.once.Do(func() { close(w.c) })
	return len(b), nil
}

// checkLive checks the live release is whole and returns its id.
func checkLive(t *testing.T, st store.Store, p *Publisher) string {
	t.Helper()
	m, err := p.Current(t.Context())
	if errors.Is(err, dataset.ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatalf("read the live release: %v", err)
	}
	for _, part := range m.Partitions {
		b, err := store.ReadAll(t.Context(), st, part.Path, 1<<20)
		if err != nil {
			t.Fatalf("release %s lists %s, which cannot be read: %v", m.ID, part.Path, err)
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != part.SHA256 {
			t.Fatalf("release %s lists %s with sha256 %s, but it holds other bytes", m.ID, part.Path, part.SHA256)
		}
	}
	return m.ID
}

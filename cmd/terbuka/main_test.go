package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/terbuka/terbuka/store/storetest"
)

// TestMain lets the tests run this binary's main as the real CLI: the test
// binary re-executes itself with TERBUKA_TEST_MAIN=1.
func TestMain(m *testing.M) {
	if os.Getenv("TERBUKA_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// terbuka runs the CLI with args and extra environment, returning its exit
// code and combined output.
func terbuka(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "TERBUKA_TEST_MAIN=1"), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run terbuka %v: %v", args, err)
	}
	return code, out.String()
}

const badBudget = `region_code,fiscal_year,stage,agency_name,account_code,account_name,amount
32.73,2024,murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1500000
99.99,2024,murni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1500000
32.73,2024,murni,Dinas Pendidikan,5.1.02.01.01.0026,Belanja Bahan Cetak,"12,5,0"
32.73,2024,murni,,5.1.02.01.01.0027,Belanja Penggandaan,2000000
`

func TestCLIRunRejectsBadFeedAndKeepsRelease(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			open(t) // skips (or fails under make test) when the backend is unavailable
			env := storageEnv(t, name)
			feeds := t.TempDir()
			if code, out := terbuka(t, nil, "generate", "--out", feeds, "--regions", "2", "--years", "2024", "--scale", "0.2"); code != 0 {
				t.Fatalf("generate: exit %d\n%s", code, out)
			}
			files, _ := filepath.Glob(filepath.Join(feeds, "*.csv"))
			code, out := terbuka(t, env, append([]string{"run"}, files...)...)
			if code != 0 || !strings.Contains(out, "published release 000001") {
				t.Fatalf("run: exit %d\n%s", code, out)
			}
			bad := filepath.Join(t.TempDir(), "budget_32.73_2024.csv")
			os.WriteFile(bad, []byte(badBudget), 0o644)
			code, out = terbuka(t, env, "run", bad)
			if code != 1 {
				t.Fatalf("run with a bad feed: exit %d, want 1\n%s", code, out)
			}
			for _, want := range []*regexp.Regexp{
				regexp.MustCompile(`(?m)^3\s+region_code\s+"99.99"\s+.*not a region code in the Kemendagri 2025 list`),
				regexp.MustCompile(`(?m)^4\s+amount\s+"12,5,0"\s+.*not a valid amount of money`),
				regexp.MustCompile(`(?m)^5\s+agency_name\s+""\s+.*is required`),
				regexp.MustCompile(`no change: release 000001 stays live|nothing published`),
			} {
				if !want.MatchString(out) {
					t.Errorf("output does not match %s:\n%s", want, out)
				}
			}
			if code, out := terbuka(t, env, "run", files[0]); code != 0 || !strings.Contains(out, "release 000001 stays live") {
				t.Errorf("after the bad feed, release 000001 must still be live: exit %d\n%s", code, out)
			}
		})
	}
}

// storageEnv points the CLI at the named backend: a fresh directory, or
// the test S3 server with a bucket of its own.
func storageEnv(t *testing.T, backend string) []string {
	dir := t.TempDir()
	if backend == "dir" {
		return []string{"TERBUKA_DATA=" + filepath.Join(dir, "store"), "TERBUKA_INDEX=" + filepath.Join(dir, "index")}
	}
	bucket := fmt.Sprintf("terbuka-cli-%d", time.Now().UnixNano())
	return []string{
		"TERBUKA_S3_ENDPOINT=" + os.Getenv("TERBUKA_TEST_S3_ENDPOINT"),
		"TERBUKA_S3_ACCESS_KEY=" + os.Getenv("TERBUKA_TEST_S3_ACCESS_KEY"),
		"TERBUKA_S3_SECRET_KEY=" + os.Getenv("TERBUKA_TEST_S3_SECRET_KEY"),
		"TERBUKA_S3_BUCKET=" + bucket,
		"TERBUKA_INDEX=" + filepath.Join(dir, "index"),
	}
}

func TestCLIServe(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			open(t) // skips (or fails under make test) when the backend is unavailable
			testServe(t, storageEnv(t, name))
		})
	}
}

// testServe publishes demo feeds with run, then starts serve on a free port
// and searches it over HTTP, as a user would.
func testServe(t *testing.T, env []string) {
	feeds := t.TempDir()
	if code, out := terbuka(t, nil, "generate", "--out", feeds, "--regions", "2", "--years", "2024", "--scale", "0.2"); code != 0 {
		t.Fatalf("generate: %s", out)
	}
	files, _ := filepath.Glob(filepath.Join(feeds, "*.csv"))
	if code, out := terbuka(t, env, append([]string{"run"}, files...)...); code != 0 {
		t.Fatalf("run: %s", out)
	}
	url := startServe(t, env)
	resp, err := http.Get(url + "api/v1/search?q=jalan")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total  int
		Facets map[string][]struct {
			Value string
			Count int
		}
	}
	json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	got := map[string]int{}
	for _, v := range res.Facets["dataset"] {
		got[v.Value] = v.Count
	}
	if res.Total == 0 || got["budget"] == 0 || got["procurement"] == 0 {
		t.Errorf("search for jalan: total %d, dataset facet %v; want budget and procurement hits", res.Total, got)
	}
}

// startServe starts serve on a free port, polling every 100ms, and returns
// its URL. When the test ends the server gets SIGTERM and must stop cleanly.
func startServe(t *testing.T, env []string) string {
	t.Helper()
	url, _ := startServeLogged(t, env)
	return url
}

// serveLog keeps what a test server logs after it started listening.
type serveLog struct {
	mu    sync.Mutex
	lines []string
	ended bool // the server closed its stderr: it exited
	// changed is closed, and forgotten, when a line comes or the log ends.
	changed chan struct{}
}

// add appends a line the server logged.
func (l *serveLog) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
	l.changedLocked()
}

// end notes that the server's log ended.
func (l *serveLog) end() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ended = true
	l.changedLocked()
}

func (l *serveLog) changedLocked() {
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
}

// waitFor waits until the server logs a line containing substr. It fails
// the test if the server exits first or has not logged it within timeout.
func (l *serveLog) waitFor(t *testing.T, substr string, timeout time.Duration) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		found := slices.ContainsFunc(l.lines, func(line string) bool { return strings.Contains(line, substr) })
		ended := l.ended
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		changed := l.changed
		l.mu.Unlock()
		switch {
		case found:
			return
		case ended:
			t.Fatalf("the server exited without logging %q", substr)
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("the server did not log %q within %v", substr, timeout)
		}
	}
}

func (l *serveLog) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, substr) {
			n++
		}
	}
	return n
}

// matching returns the logged lines that contain substr.
func (l *serveLog) matching(substr string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// startServeLogged is startServe, keeping the server's log.
func startServeLogged(t *testing.T, env []string) (string, *serveLog) {
	t.Helper()
	_, url, log := startServeCmd(t, env)
	return url, log
}

// startServeCmd starts terbuka serve with env and extra args on a free
// loopback port, and returns its process, address and log. When the test
// ends the server gets SIGTERM and must stop cleanly; should the test
// binary itself be killed, the server dies with it.
func startServeCmd(t *testing.T, env []string, args ...string) (*exec.Cmd, string, *serveLog) {
	t.Helper()
	// Not CommandContext(t.Context()): that context ends before cleanups
	// run, and would kill the server instead of stopping it.
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
	return cmd, waitForURL(t, bufio.NewScanner(stderr), log), log
}

var servingLine = regexp.MustCompile(`Terbuka is serving (http://\S+/)`)

func waitForURL(t *testing.T, sc *bufio.Scanner, log *serveLog) string {
	t.Helper()
	var seen []string
	for sc.Scan() {
		seen = append(seen, sc.Text())
		log.add(sc.Text())
		if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() {
					log.add(sc.Text())
				}
				log.end()
			}()
			return m[1]
		}
	}
	t.Fatalf("serve exited before listening:\n%s", strings.Join(seen, "\n"))
	return ""
}

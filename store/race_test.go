package store

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
)

// race makes goroutines, and for a Dir child processes, put under the
// same condition at once, for a few rounds: exactly one must win each.
// attempt gives each round's key and condition.
func race(t *testing.T, s Store, attempt func(round int) (string, PutOptions)) {
	const rounds, goroutines = 4, 6
	var children []*racer
	if d, ok := s.(*Dir); ok {
		children = startRacers(t, d.path, 4)
	}
	for round := range rounds {
		key, opts := attempt(round)
		results := make(chan raceResult, goroutines+len(children))
		start := make(chan struct{})
		for i := range goroutines {
			go func() {
				<-start
				v := fmt.Sprintf("round %d goroutine %d", round, i)
				_, err := s.Put(t.Context(), key, strings.NewReader(v), int64(len(v)), opts)
				results <- raceResult{v, err}
			}()
		}
		close(start)
		for i, c := range children {
			go func() { results <- c.put(key, opts, fmt.Sprintf("round %d process %d", round, i)) }()
		}
		var winners []string
		for range goroutines + len(children) {
			r := <-results
			switch {
			case r.err == nil:
				winners = append(winners, r.value)
			case !errors.Is(r.err, dataset.ErrConflict):
				t.Errorf("%s: %v, want success or ErrConflict", r.value, r.err)
			}
		}
		if len(winners) != 1 {
			t.Fatalf("%d of %d conditional puts won: %q", len(winners), goroutines+len(children), winners)
		}
		if got := readAll(t, s, key); got != winners[0] {
			t.Errorf("content %q, want the winner's %q", got, winners[0])
		}
	}
}

type raceResult struct {
	value string
	err   error
}

// racerRoot, set in its environment, makes the test binary a child of
// startRacers.
const racerRoot = "TERBUKA_STORE_RACER_ROOT"

// TestDirRacer is not a test: it is the child process of startRacers,
// making conditional puts from another process. It prints "ready", then
// for each line "key<TAB>if-match<TAB>value" on its standard input (an
// empty if-match means IfAbsent) puts and prints "won", "lost" or the error.
func TestDirRacer(t *testing.T) {
	root := os.Getenv(racerRoot)
	if root == "" {
		return
	}
	d, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		f := strings.SplitN(in.Text(), "\t", 3)
		if len(f) != 3 {
			t.Fatalf("bad request %q", in.Text())
		}
		opts := PutOptions{IfMatch: f[1], IfAbsent: f[1] == ""}
		_, err = d.Put(context.Background(), f[0], strings.NewReader(f[2]), int64(len(f[2])), opts)
		switch {
		case err == nil:
			fmt.Println("won")
		case errors.Is(err, dataset.ErrConflict):
			fmt.Println("lost")
		default:
			fmt.Println(err)
		}
	}
}

// racer is a child process making conditional puts on request.
type racer struct {
	cmd    *exec.Cmd
	in     io.Writer
	out    *bufio.Scanner
	stderr *bytes.Buffer
}

// startRacers starts n child processes and returns once all are ready.
// They end with the test.
func startRacers(t *testing.T, root string, n int) []*racer {
	racers := make([]*racer, n)
	for i := range racers {
		r := &racer{stderr: new(bytes.Buffer)}
		// Not CommandContext: t.Context ends before the cleanup that stops the child.
		r.cmd = exec.Command(os.Args[0], "-test.run=^TestDirRacer$")
		// The race detector otherwise sleeps a second as each child exits.
		gorace := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
		r.cmd.Env = append(os.Environ(), racerRoot+"="+root, "GORACE="+gorace)
		r.cmd.Stderr = r.stderr
		stdin, err := r.cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := r.cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := r.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		r.in, r.out = stdin, bufio.NewScanner(stdout)
		t.Cleanup(func() {
			stdin.Close()
			for r.out.Scan() {
				// Drain the test framework's output so the child can exit.
			}
			if err := r.cmd.Wait(); err != nil {
				t.Errorf("racer %d: %v; stderr:\n%s", i, err, r.stderr)
			}
		})
		racers[i] = r
	}
	for i, r := range racers {
		if line := r.next(); line != "ready" {
			t.Fatalf("racer %d: got %q, want ready; stderr:\n%s", i, line, r.stderr)
		}
	}
	return racers
}

// put asks the child for one put and returns its outcome.
func (r *racer) put(key string, opts PutOptions, value string) raceResult {
	if _, err := fmt.Fprintf(r.in, "%s\t%s\t%s\n", key, opts.IfMatch, value); err != nil {
		return raceResult{value, err}
	}
	switch line := r.next(); line {
	case "won":
		return raceResult{value, nil}
	case "lost":
		return raceResult{value, dataset.ErrConflict}
	default:
		return raceResult{value, fmt.Errorf("child: %q; stderr:\n%s", line, r.stderr)}
	}
}

// next returns the next line the child printed, "" at the end.
func (r *racer) next() string {
	if r.out.Scan() {
		return r.out.Text()
	}
	return ""
}

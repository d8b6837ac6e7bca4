package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/terbuka/terbuka/publisher"
)

// killTrials is how many times each of `terbuka run` and a serving portal
// taking a push is killed with SIGKILL.
const killTrials = 30

// TestKillNineLeavesNoLastingDamage kills `terbuka run`, then a portal
// taking pushes, at random moments (kill -9: no clean-up of any kind), and
// restarts them as an operator would. After restart every download the live
// release lists answers 200, every feed the portal acknowledged is
// published or has a report (and, sent again, is processed), and no
// temporary file is left behind.
func TestKillNineLeavesNoLastingDamage(t *testing.T) {
	env := storageEnv(t, "dir")
	temp := t.TempDir()
	env = append(env, "TERBUKA_TEMP_DIR="+temp)
	storeDir := strings.TrimPrefix(env[0], "TERBUKA_DATA=")
	feeds := t.TempDir()
	if code, out := terbuka(t, nil, "generate", "--out", feeds, "--regions", "2", "--years", "2024", "--scale", "0.3"); code != 0 {
		t.Fatalf("generate: %d %s", code, out)
	}
	files, _ := filepath.Glob(filepath.Join(feeds, "*.csv"))
	began := time.Now()
	if code, out := terbuka(t, env, append([]string{"run"}, files...)...); code != 0 {
		t.Fatalf("run: %d %s", code, out)
	}
	took := time.Since(began)
	rng := rand.New(rand.NewPCG(9, 9))

	// `terbuka run` killed at random points of a run that changes every feed.
	for trial := range killTrials {
		for _, f := range files {
			bumpAmounts(t, f, trial)
		}
		cmd := exec.Command(os.Args[0], append([]string{"run"}, files...)...)
		cmd.Env = append(append(os.Environ(), "TERBUKA_TEST_MAIN=1"), env...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// This sleep is the scenario, not a wait for anything: the kill
		// lands at a random moment of the run, from its start-up to its
		// last publish (a run that ended first is not killed).
		time.Sleep(time.Duration(rng.Int64N(int64(took))))
		cmd.Process.Kill()
		cmd.Wait()
	}

	// A portal killed while it takes pushes; acknowledged feeds are noted.
	_, secret := terbuka(t, env, "token", "create", "--region", files2region(files[0]), "--name", "BPKAD")
	lines := strings.Split(strings.TrimSpace(secret), "\n")
	acked := map[string]string{} // feed id → file
	ackLine := regexp.MustCompile(`feed ([0-9a-f]{20}) `)
	budget := firstMatch(t, files, "budget_")
	for trial := range killTrials {
		srv := startKillable(t, append(env, "TERBUKA_PUSH_WAIT=30ms"))
		bumpAmounts(t, budget, 100+trial)
		copyPath := filepath.Join(t.TempDir(), filepath.Base(budget))
		copyFile(t, budget, copyPath)
		push := exec.Command(os.Args[0], "push", "--dataset", "budget", "--year", "2024", "--confirm-shrink", copyPath)
		push.Env = append(append(os.Environ(), "TERBUKA_TEST_MAIN=1"), "TERBUKA_TOKEN="+lines[len(lines)-1], "TERBUKA_URL="+srv.url)
		out := &strings.Builder{}
		push.Stdout, push.Stderr = out, out
		if err := push.Start(); err != nil {
			t.Fatal(err)
		}
		// This sleep is the scenario, not a wait for anything: the portal
		// dies at a random moment of taking the push, before, during or
		// after its answer, while the feed is still being processed or
		// once it is done.
		time.Sleep(time.Duration(rng.Int64N(int64(400 * time.Millisecond))))
		srv.kill()
		push.Wait()
		if m := ackLine.FindStringSubmatch(out.String()); m != nil && push.ProcessState.ExitCode() == 0 {
			acked[m[1]] = copyPath
		}
	}

	// Restart, and wait until the live release is completed.
	url, serverLog := startServeLogged(t, env)
	serverLog.waitFor(t, "live release complete", 2*time.Minute)
	st := openEnvStore(t, env)
	live, err := publisher.New(st, quietLog).Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// One client fetching every download waits as the portal's per-client
	// limit says (getPaced).
	for _, path := range liveDownloads(live) {
		if status := getPaced(t, url+strings.TrimPrefix(path, "/")); status != http.StatusOK {
			t.Errorf("%s = %d after restart", path, status)
		}
	}
	t.Logf("%d acknowledged pushes of %d; live release %s checked: %d downloads", len(acked), killTrials, live.ID, len(liveDownloads(live)))
	for id, file := range acked {
		status := feedStatus(t, url, id)
		if status == "" {
			t.Errorf("acknowledged feed %s has no report", id)
			continue
		}
		if status == "published" || status == "unchanged" {
			continue
		}
		// Its processing died with the portal: sent again, it is processed.
		code, out := terbuka(t, []string{"TERBUKA_TOKEN=" + lines[len(lines)-1], "TERBUKA_URL=" + url}, "push", "--dataset", "budget", "--year", "2024", "--confirm-shrink", file)
		if code != 0 || !regexp.MustCompile(`feed `+id+` (published|unchanged)`).MatchString(out) {
			t.Errorf("acknowledged feed %s (report %q) sent again: exit %d\n%s", id, status, code, out)
		}
	}

	// No temporary file left: the store's and the processes' own.
	if left, _ := os.ReadDir(filepath.Join(storeDir, ".tmp")); len(left) > 0 {
		t.Errorf("%d temporary files left in the store, e.g. %s", len(left), left[0].Name())
	}
	work, _ := os.ReadDir(temp)
	if len(work) != 1 {
		var names []string
		for _, e := range work {
			names = append(names, e.Name())
		}
		t.Errorf("temporary directory holds %v, want only the running portal's work directory", names)
	}
}

// liveDownloads lists every download a release's pages link to.
func liveDownloads(m *publisher.Manifest) []string {
	var out []string
	datasets := map[string]bool{}
	for _, p := range m.Partitions {
		base := fmt.Sprintf("/downloads/%s/%s/%s/%d.", m.ID, p.Dataset, p.Region, p.Year)
		exts := []string{"parquet", "csv", "xlsx", "ndjson.gz"}
		if p.Dataset == "procurement" {
			exts = append(exts, "ocds.json")
		}
		for _, e := range exts {
			out = append(out, base+e)
		}
		datasets[p.Dataset] = true
	}
	for ds := range datasets {
		out = append(out, "/downloads/"+m.ID+"/"+ds+".parquet", "/downloads/"+m.ID+"/"+ds+".csv.gz")
	}
	return out
}

func feedStatus(t *testing.T, url, id string) string {
	t.Helper()
	resp, err := http.Get(url + "api/v1/feeds/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep struct{ Status string }
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&rep) != nil {
		return ""
	}
	return rep.Status
}

// bumpAmounts rewrites a generated feed with every amount-like last digit
// run changed by trial, so each trial's feeds are new content.
func bumpAmounts(t *testing.T, path string, trial int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] == "" {
			continue
		}
		lines[i] = regexp.MustCompile(`,(\d{6,})(\d)(,|$)`).ReplaceAllString(lines[i], fmt.Sprintf(",${1}%d$3", trial%10))
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func firstMatch(t *testing.T, files []string, prefix string) string {
	t.Helper()
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), prefix) {
			return f
		}
	}
	t.Fatalf("no %s feed", prefix)
	return ""
}

// files2region reads the region from a feed file's name.
func files2region(file string) string { return strings.Split(filepath.Base(file), "_")[1] }

// killable is a portal process the test kills with SIGKILL.
type killable struct {
	cmd *exec.Cmd
	url string
	log *serveLog
}

// startKillable starts terbuka serve with env and extra args on a free
// loopback port. Should the test binary itself be killed, the server dies
// with it; else it is killed, if still running, when the test ends.
func startKillable(t *testing.T, env []string, args ...string) *killable {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0", "--poll", "100ms"}, args...)...)
	cmd.Env = append(append(os.Environ(), "TERBUKA_TEST_MAIN=1"), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	k := &killable{cmd: cmd, log: &serveLog{}}
	t.Cleanup(k.kill)
	k.url = waitForURL(t, bufio.NewScanner(stderr), k.log)
	return k
}

func (k *killable) kill() {
	if k.cmd.ProcessState == nil {
		k.cmd.Process.Kill()
		k.cmd.Wait()
	}
}

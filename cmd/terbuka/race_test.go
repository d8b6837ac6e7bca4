package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// TestCLIRunRacesServerPush runs `terbuka run` of Kota Bandung's whole 2024
// budget and a push of its perubahan stage to a serving portal at the same
// time, round after round, as two offices of one region might. Each round
// must end as if the two had come one after the other in the order their
// releases say: the later whole feed replaces every stage, a later stage
// feed keeps the run's murni rows. Nothing either wrote may be lost, and
// only releases that were live are listed, each the parent of the next.
func TestCLIRunRacesServerPush(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			open(t)
			env := storageEnv(t, name)
			_, secret := terbuka(t, env, "token", "create", "--region", "32.73", "--name", "BPKAD Kota Bandung")
			lines := strings.Split(strings.TrimSpace(secret), "\n")
			url, serverLog := startServeLogged(t, env)
			tokenEnv := []string{"TERBUKA_TOKEN=" + lines[len(lines)-1], "TERBUKA_URL=" + url}
			dir := t.TempDir()
			st := openEnvStore(t, env)
			pub := publisher.New(st, quietLog)

			cliRelease := regexp.MustCompile(`published release (\d+)`)
			pushRelease := regexp.MustCompile(`published: \d+ rows, release (\d+)`)
			raced := 0
			for round := 1; round <= 10; round++ {
				whole := filepath.Join(dir, fmt.Sprintf("budget_32.73_2024.r%d.csv", round))
				os.WriteFile(whole, []byte(roundMurni(round)), 0o644)
				stage := filepath.Join(dir, fmt.Sprintf("perubahan.r%d.csv", round))
				os.WriteFile(stage, []byte(fmt.Sprintf("agency_name,account_code,account_name,amount\nDinas Pendidikan,5.1.02.01.01.0024,Belanja Barang,%d\n", 7000+round)), 0o644)

				var wg sync.WaitGroup
				var cliOut, pushOut string
				var cliCode, pushCode int
				wg.Go(func() {
					cliCode, cliOut = terbuka(t, env, "run", "--dataset", "budget", "--region", "32.73", "--year", "2024", whole)
				})
				wg.Go(func() {
					pushCode, pushOut = terbuka(t, tokenEnv, "push", "--dataset", "budget", "--year", "2024", "--stage", "perubahan", stage)
				})
				wg.Wait()
				c, p := cliRelease.FindStringSubmatch(cliOut), pushRelease.FindStringSubmatch(pushOut)
				if cliCode != 0 || pushCode != 0 || c == nil || p == nil {
					t.Fatalf("round %d: run exit %d, push exit %d\n%s\n%s\nserver errors:\n%s", round, cliCode, pushCode, cliOut, pushOut, serverLog.matching("level=ERROR"))
				}
				if strings.Contains(cliOut, "rebasing") {
					raced++
				}
				want := murniRows(round)
				if p[1] > c[1] {
					want = append(want, fmt.Sprintf("perubahan 5.1.02.01.01.0024 %d", 7000+round))
					slices.Sort(want)
				}
				if got := liveRows(t, st, pub); !slices.Equal(got, want) {
					t.Errorf("round %d (run: release %s, push: release %s): the live partition has %d rows, want %d; first differences:\n%s", round, c[1], p[1], len(got), len(want), firstDiff(got, want))
				}
			}

			t.Logf("the run rebased onto the push in %d rounds; the push merged its stage again onto the run's release %d times", raced, serverLog.count("stage merged again"))
			// /releases.json lists the live chain only, each the parent of the next.
			resp, err := http.Get(url + "releases.json")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var list struct{ Releases []struct{ ID, Parent string } }
			if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
				t.Fatal(err)
			}
			current, _, _ := pub.CurrentID(t.Context())
			if len(list.Releases) < 20 || list.Releases[0].ID != current {
				t.Fatalf("releases.json lists %d releases starting at %v, want at least 20 from the live %s", len(list.Releases), list.Releases[0], current)
			}
			for i, r := range list.Releases[:len(list.Releases)-1] {
				if next := list.Releases[i+1]; r.Parent != next.ID {
					t.Errorf("release %s has parent %s, but the next listed is %s", r.ID, r.Parent, next.ID)
				}
			}
			orphans, err := pub.Orphans(t.Context())
			if err != nil || len(orphans) > 0 {
				t.Errorf("manifests that were never live are still stored: %v %v", orphans, err)
			}
		})
	}
}

// raceRows is the size of a round's whole feed: large enough that the two
// publishers' work overlaps.
const raceRows = 3000

// roundMurni is the whole budget a round's run sends: its own amounts, so
// that rows of another round are told apart.
func roundMurni(round int) string {
	var b strings.Builder
	b.WriteString("stage,agency_name,account_code,account_name,amount\n")
	for i := range raceRows {
		fmt.Fprintf(&b, "murni,Dinas Pendidikan,5.1.02.01.01.%04d,Belanja Barang,%d\n", 24+i, 1000*round+i)
	}
	return b.String()
}

func murniRows(round int) []string {
	var out []string
	for i := range raceRows {
		out = append(out, fmt.Sprintf("murni 5.1.02.01.01.%04d %d", 24+i, 1000*round+i))
	}
	slices.Sort(out)
	return out
}

// liveRows reads the live budget partition of Kota Bandung 2024 as
// "stage account amount" lines, sorted.
func liveRows(t *testing.T, st store.Store, pub *publisher.Publisher) []string {
	t.Helper()
	m, err := pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	part, ok := m.Partition("budget/32.73/2024")
	if !ok {
		return nil
	}
	s, _ := dataset.Lookup("budget")
	var out []string
	for r, err := range partition.Read(store.ReaderAt(t.Context(), st, part.Path), part.Bytes, s) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %s %d", r[s.Index("stage")].Str, r[s.Index("account_code")].Str, r[s.Index("amount")].Int/100))
	}
	slices.Sort(out)
	return out
}

// openEnvStore opens the store the CLI's environment points at.
func openEnvStore(t *testing.T, env []string) store.Store {
	t.Helper()
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var st store.Store
	var err error
	if vars["TERBUKA_S3_ENDPOINT"] != "" {
		st, err = store.OpenS3(context.Background(), store.S3Config{Endpoint: vars["TERBUKA_S3_ENDPOINT"], Bucket: vars["TERBUKA_S3_BUCKET"],
			AccessKey: vars["TERBUKA_S3_ACCESS_KEY"], SecretKey: vars["TERBUKA_S3_SECRET_KEY"], Region: "us-east-1"})
	} else {
		st, err = store.OpenDir(vars["TERBUKA_DATA"])
	}
	if err != nil {
		t.Fatal(err)
	}
	return st
}

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// firstDiff shows where two sorted row lists part.
func firstDiff(got, want []string) string {
	for i := range max(len(got), len(want)) {
		g, w := "(none)", "(none)"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("row %d: got %s, want %s", i, g, w)
		}
	}
	return ""
}

package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// TestStageFeedRebasesOntoTheWinner: a perubahan feed is validated and
// merged against release 1, but before it is published another publisher
// (its own Ingester and Publisher, as another process would have) replaces
// the partition. The perubahan feed must be merged again onto what won,
// keeping the other publisher's murni rows, not bring back release 1's.
func TestStageFeedRebasesOntoTheWinner(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			st := open(t)
			dir := t.TempDir()
			write := func(name, body string) string {
				path := filepath.Join(dir, name)
				if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
				return path
			}
			murni := func(amount int) string {
				var b strings.Builder
				b.WriteString("stage,agency_name,account_code,account_name,amount\n")
				for i := range 4 {
					fmt.Fprintf(&b, "murni,Dinas Pendidikan,5.1.02.01.01.%04d,Belanja Barang,%d\n", 24+i, amount+i)
				}
				return b.String()
			}
			meta := intake.Meta{Dataset: "budget", Region: "32.73", Year: 2024}
			newIngester := func() (*Ingester, *publisher.Publisher) {
				return &Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir()}, publisher.New(st, quiet)
			}
			cli, cliPub := newIngester()
			if _, err := cli.Run(ctx, cliPub, []FeedFile{{Path: write("m1.csv", murni(1000)), Meta: meta}}, nil); err != nil {
				t.Fatal(err)
			}

			server, serverPub := newIngester()
			stage := meta
			stage.Stage = "perubahan"
			perubahan := "agency_name,account_code,account_name,amount\nDinas Pendidikan,5.1.02.01.01.0024,Belanja Barang,5555\n"
			reps, batch, err := server.IngestFiles(ctx, []FeedFile{{Path: write("p.csv", perubahan), Meta: stage}}, nil)
			if err != nil || !reps[0].OK() {
				t.Fatalf("stage feed: %v %+v", err, reps)
			}
			defer batch.Close()

			// The other publisher wins the race.
			if out, err := cli.Run(ctx, cliPub, []FeedFile{{Path: write("m2.csv", murni(2000)), Meta: meta}}, nil); err != nil || !out.Published {
				t.Fatalf("second murni: %v", err)
			}
			m, published, err := serverPub.Publish(ctx, batch.Changes)
			if err != nil || !published {
				t.Fatalf("publish the stage feed: %v %v", published, err)
			}
			part, _ := m.Partition("budget/32.73/2024")
			var got []string
			s, _ := dataset.Lookup("budget")
			for r, err := range partition.Read(store.ReaderAt(ctx, st, part.Path), part.Bytes, s) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprintf("%s %s %d", r[s.Index("stage")].Str, r[s.Index("account_code")].Str, r[s.Index("amount")].Int/100))
			}
			slices.Sort(got)
			want := []string{"murni 5.1.02.01.01.0024 2000", "murni 5.1.02.01.01.0025 2001", "murni 5.1.02.01.01.0026 2002", "murni 5.1.02.01.01.0027 2003",
				"perubahan 5.1.02.01.01.0024 5555"}
			if !slices.Equal(got, want) {
				t.Errorf("release %s holds\n%s\nwant the winner's murni rows and the perubahan row:\n%s", m.ID, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// Only releases that were live are listed, each the parent of the next.
			ids, err := serverPub.ReleaseIDs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids, []string{"000001", "000002", "000003"}) {
				t.Errorf("releases %v, want 000001..000003", ids)
			}
		})
	}
}

package publisher_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// TestPrune publishes four releases in which one partition changes each
// time and another never does, then keeps the newest two: the older
// releases and the files only they listed go, everything the kept releases
// list stays with its sha256, and raw feeds stay.
func TestPrune(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			ctx := t.Context()
			in := &pipeline.Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir()}
			pub := publisher.New(st, quiet)
			dir := t.TempDir()
			steady := filepath.Join(dir, "procurement_32.73_2024.csv")
			os.WriteFile(steady, []byte("package_id,title,agency_name,method,category,budget_ceiling\n1,Jalan,Dinas PUPR,tender,barang,1000\n"), 0o644)
			var releases []*publisher.Manifest
			for i := range 4 {
				f := filepath.Join(dir, fmt.Sprintf("budget_32.73_2024_%d.csv", i))
				os.WriteFile(f, fmt.Appendf(nil, "stage,agency_name,account_code,account_name,amount\nmurni,Dinas,5.1.02.01.01.0024,Belanja ATK,%d\n", 1000+i), 0o644)
				feeds := []pipeline.FeedFile{{Path: f, Meta: intake.Meta{Dataset: "budget", Region: "32.73", Year: 2024}}}
				if i == 0 {
					feeds = append(feeds, pipeline.FeedFile{Path: steady, Meta: intake.Meta{Dataset: "procurement", Region: "32.73", Year: 2024}})
				}
				out, err := in.Run(ctx, pub, feeds, nil)
				if err != nil || !out.Published {
					t.Fatalf("run %d: %v", i, err)
				}
				releases = append(releases, out.Release)
			}

			// No policy, or objects younger than the grace: nothing goes.
			if res, err := pub.Prune(ctx, publisher.Retention{}, time.Now()); err != nil || len(res.Releases) != 0 {
				t.Fatalf("prune without a policy = %+v, %v", res, err)
			}
			// Keeping all four, no release goes, nor anything one lists. The
			// procurement rows as the feed came (before publishing derived
			// their flags) are listed by none, and may go.
			if res, err := pub.Prune(ctx, publisher.Retention{Releases: 4}, time.Now().Add(2*publisher.PruneGrace)); err != nil || len(res.Releases) != 0 || res.Objects > 1 {
				t.Fatalf("prune keeping all four = %+v, %v", res, err)
			}
			for _, m := range releases {
				for _, p := range m.Partitions {
					if _, err := st.Stat(ctx, p.Path); err != nil {
						t.Fatalf("%s, listed by release %s, went: %v", p.Path, m.ID, err)
					}
				}
			}
			before := keys(t, st)

			res, err := pub.Prune(ctx, publisher.Retention{Releases: 2}, time.Now().Add(2*publisher.PruneGrace))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Releases, []string{releases[0].ID, releases[1].ID}) || res.Objects == 0 {
				t.Fatalf("pruned %+v, want releases %s and %s and their files", res, releases[0].ID, releases[1].ID)
			}
			for _, old := range releases[:2] {
				if _, err := pub.Release(ctx, old.ID); !errors.Is(err, dataset.ErrNotFound) {
					t.Errorf("release %s still readable: %v", old.ID, err)
				}
				budget, _ := old.Partition("budget/32.73/2024")
				if _, err := st.Stat(ctx, budget.Path); !errors.Is(err, dataset.ErrNotFound) {
					t.Errorf("%s, listed only by pruned releases, is still there: %v", budget.Path, err)
				}
			}
			for _, kept := range releases[2:] {
				m, err := pub.Release(ctx, kept.ID)
				if err != nil {
					t.Fatalf("kept release %s: %v", kept.ID, err)
				}
				for _, p := range m.Partitions {
					sum, err := hashObject(t, st, p.Path)
					if err != nil || sum != p.SHA256 {
						t.Errorf("kept release %s: %s = %s, %v", m.ID, p.Path, sum, err)
					}
					for _, k := range []string{publisher.DownloadCSVPath(p), publisher.DownloadXLSXPath(p)} {
						if _, err := st.Stat(ctx, k); err != nil {
							t.Errorf("kept release %s: download %s: %v", m.ID, k, err)
						}
					}
				}
				if _, err := st.Stat(ctx, publisher.DownloadDatasetPath(m, "budget", "parquet")); err != nil {
					t.Errorf("kept release %s: whole download: %v", m.ID, err)
				}
			}
			after := keys(t, st)
			for k := range before {
				if strings.HasPrefix(k, "raw/") || strings.HasPrefix(k, "feeds/") {
					if !after[k] {
						t.Errorf("raw feed or report %s was removed", k)
					}
				}
			}
		})
	}
}

func keys(t *testing.T, st store.Store) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if err := st.List(t.Context(), "", func(o store.Object) error { out[o.Key] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func hashObject(t *testing.T, st store.Store, key string) (string, error) {
	rc, _, err := st.Get(t.Context(), key)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

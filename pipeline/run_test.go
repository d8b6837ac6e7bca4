package pipeline

import (
	"encoding/csv"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/search/searchtest"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// totals are rows and money sums (in sen) per dataset.
type totals map[string][2]int64

// csvTotals reads generated feeds directly, without the pipeline.
func csvTotals(t *testing.T, feeds []demo.Feed) totals {
	t.Helper()
	out := totals{}
	for _, f := range feeds {
		s, _ := dataset.Lookup(f.Dataset)
		fh, err := os.Open(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range rows[0] {
			if h == s.Amount {
				col = i
			}
		}
		tot := out[f.Dataset]
		for _, r := range rows[1:] {
			tot[0]++
			if r[col] != "" {
				sen, ferr := dataset.ParseMoney(r[col])
				if ferr != nil {
					t.Fatalf("%s: amount %q: %v", f.Path, r[col], ferr)
				}
				tot[1] += sen
			}
		}
		out[f.Dataset] = tot
	}
	return out
}

// releaseTotals reads back every Parquet partition the live manifest lists.
func releaseTotals(t *testing.T, st store.Store, m *publisher.Manifest) totals {
	t.Helper()
	out := totals{}
	for _, p := range m.Partitions {
		s, _ := dataset.Lookup(p.Dataset)
		b, err := store.ReadAll(t.Context(), st, p.Path, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		tot := out[p.Dataset]
		var n int64
		for r, err := range partition.Read(strings.NewReader(string(b)), int64(len(b)), s) {
			if err != nil {
				t.Fatal(err)
			}
			n++
			tot[0]++
			tot[1] += r[s.Index(s.Amount)].Int
		}
		if n != p.Rows {
			t.Errorf("partition %s: manifest says %d rows, file has %d", p.Path, p.Rows, n)
		}
		out[p.Dataset] = tot
	}
	return out
}

func TestRunEndToEnd(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			ctx := t.Context()
			dir := t.TempDir()
			feeds, err := demo.Generate(ctx, dir, demo.Options{Regions: 2, Years: []int{2024}, Seed: 7, Scale: 0.2})
			if err != nil {
				t.Fatal(err)
			}
			want := csvTotals(t, feeds)
			in := &Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet}
			pub := publisher.New(st, quiet)
			out, err := in.Run(ctx, pub, feedFiles(feeds), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !out.Published || len(out.Rejected()) != 0 || len(out.Release.Partitions) != len(feeds) {
				t.Fatalf("run: published=%v rejected=%d partitions=%d, want all %d feeds published", out.Published, len(out.Rejected()), len(out.Release.Partitions), len(feeds))
			}
			if diff := cmp.Diff(releaseTotals(t, st, out.Release), want); diff != "" {
				t.Errorf("rows and sums per dataset (-release +feeds):\n%s", diff)
			}
			for _, rep := range out.Reports {
				if rep.Status != intake.StatusPublished || rep.Release != out.Release.ID {
					t.Errorf("report %s: status %s release %q", rep.FeedID, rep.Status, rep.Release)
				}
				if _, err := st.Stat(ctx, rep.RawKey); err != nil {
					t.Errorf("raw feed not kept: %v", err)
				}
			}

			// The same bytes again: no new release.
			again, err := in.Run(ctx, pub, feedFiles(feeds), nil)
			if err != nil || again.Published || again.Release.ID != out.Release.ID || again.Reports[0].Status != intake.StatusUnchanged {
				t.Fatalf("re-run: %+v, %v; want release %s unchanged", again, err, out.Release.ID)
			}

			// A feed with one bad row publishes nothing; the release stays live.
			bad := badCopy(t, feeds[0], dir)
			res, err := in.Run(ctx, pub, []FeedFile{bad}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rejected()) != 1 || res.Published || res.Release.ID != out.Release.ID {
				t.Fatalf("bad feed: rejected=%d published=%v release=%s", len(res.Rejected()), res.Published, res.Release.ID)
			}
			live, err := pub.Current(ctx)
			if err != nil || live.ID != out.Release.ID {
				t.Fatalf("live release after a bad feed = %v, %v; want %s", live, err, out.Release.ID)
			}
			rep := res.Rejected()[0]
			saved, err := store.ReadAll(ctx, st, "feeds/"+rep.FeedID+".json", 1<<20)
			if err != nil || !strings.Contains(string(saved), `"status": "rejected"`) {
				t.Errorf("saved report: %v\n%.500s", err, saved)
			}

			// The index follows the release.
			ix, err := search.Open(search.Config{Path: filepath.Join(t.TempDir(), "index")})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			sy := &indexer.Syncer{Store: st, Index: ix, Log: quiet}
			if err := sy.Sync(ctx, live); err != nil {
				t.Fatal(err)
			}
			docs, _ := ix.DocCount()
			var lines int64
			for _, p := range live.Partitions {
				s, _ := dataset.Lookup(p.Dataset)
				n, err := searchtest.Documents(s, partition.Read(store.ReaderAt(ctx, st, p.Path), p.Bytes, s))
				if err != nil {
					t.Fatal(err)
				}
				lines += n
			}
			if int64(docs) != lines {
				t.Errorf("index has %d documents, the release's records make %d (a budget line at several stages is one)", docs, lines)
			}
		})
	}
}

func feedFiles(feeds []demo.Feed) []FeedFile {
	var out []FeedFile
	for _, f := range feeds {
		out = append(out, FeedFile{Path: f.Path, Meta: intake.Meta{Dataset: f.Dataset, Region: f.Region, Year: f.Year, File: filepath.Base(f.Path)}})
	}
	return out
}

// badCopy writes a copy of a feed whose third data row has an unknown
// region code; the rest stays valid.
func badCopy(t *testing.T, f demo.Feed, dir string) FeedFile {
	t.Helper()
	b, err := os.ReadFile(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	lines[3] = strings.Replace(lines[3], f.Region+",", "99.99,", 1)
	path := filepath.Join(dir, "bad", filepath.Base(f.Path))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return FeedFile{Path: path, Meta: intake.Meta{Dataset: f.Dataset, Region: f.Region, Year: f.Year, File: "bad.csv"}}
}

// TestIngestFilesKeepsFeedOrder ingests feeds three at a time, with a
// rejected one among them and two feeds of one partition: reports and
// partitions come back in feed order, and the rejected feed has none.
func TestIngestFilesKeepsFeedOrder(t *testing.T) {
	dir := t.TempDir()
	feeds, err := demo.Generate(t.Context(), filepath.Join(dir, "feeds"), demo.Options{Regions: 2, Years: []int{2024}, Scale: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "budget_32.73_2024.csv")
	if err := os.WriteFile(bad, []byte("region_code,fiscal_year,stage,account_code,account_name,amount\n32.73,2024,murni,5.1,Belanja,banyak\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var files []FeedFile
	for _, f := range feeds {
		files = append(files, FeedFile{Path: f.Path, Meta: intake.Meta{Dataset: f.Dataset, Region: f.Region, Year: f.Year}})
	}
	files = append(files[:2], append([]FeedFile{{Path: bad, Meta: intake.Meta{Dataset: "budget", Region: "32.73", Year: 2024}}}, files[2:]...)...)
	st, err := store.OpenDir(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	in := &Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir(), Workers: 3}
	calls := 0
	reps, parts, err := in.IngestFiles(t.Context(), files, func(done int, _ *intake.Report) {
		calls++
		if done != calls {
			t.Errorf("progress said %d done at call %d", done, calls)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != len(files) || calls != len(files) {
		t.Fatalf("%d reports and %d progress calls for %d feeds", len(reps), calls, len(files))
	}
	var want []string
	for i, f := range files {
		got := reps[i].Dataset + "/" + reps[i].Region
		if got != f.Meta.Dataset+"/"+f.Meta.Region {
			t.Errorf("report %d is of %s, want %s", i, got, f.Meta.Dataset+"/"+f.Meta.Region)
		}
		if (f.Path == bad) == reps[i].OK() {
			t.Errorf("feed %s: OK() = %v", f.Path, reps[i].OK())
		}
		if reps[i].OK() {
			want = append(want, f.Meta.Dataset+"/"+f.Meta.Region)
		}
	}
	defer parts.Close()
	var got []string
	for _, c := range parts.Changes {
		got = append(got, c.Partition.Dataset+"/"+c.Partition.Region)
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("partitions not in feed order (-got +want):\n%s", diff)
	}
}

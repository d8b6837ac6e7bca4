package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store/storetest"
)

// TestDryRunPublishesNothing runs checks (intake.Meta.DryRun) against a
// published budget partition of four murni rows: each is validated as a
// real feed is, shrink check included, ends checked or rejected, keeps its
// report, and leaves every object outside feeds/ (release, manifest,
// current, data/, raw/, downloads) byte for byte as it was.
func TestDryRunPublishesNothing(t *testing.T) {
	ctx := t.Context()
	st := storetest.Dir(t)
	dir := t.TempDir()
	n := 0
	write := func(body string) string {
		n++
		path := filepath.Join(dir, fmt.Sprintf("feed%d.csv", n))
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	lines := func(stage string, rows int) string {
		var b strings.Builder
		b.WriteString("stage,agency_name,account_code,account_name,amount\n")
		for i := range rows {
			fmt.Fprintf(&b, "%s,Dinas Pendidikan,5.1.02.01.01.%04d,Belanja Alat Tulis Kantor,%d\n", stage, 24+i, 1500000+i)
		}
		return b.String()
	}
	in := &Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir()}
	pub := publisher.New(st, quiet)
	meta := intake.Meta{Dataset: "budget", Region: "32.73", Year: 2024}
	first, err := in.Run(ctx, pub, []FeedFile{{Path: write(lines("murni", 4)), Meta: meta}}, nil)
	if err != nil || !first.Published {
		t.Fatalf("publishing the murni rows: %+v %v", first, err)
	}
	check := func(m intake.Meta) intake.Meta { m.DryRun = true; return m }
	stage := func(m intake.Meta, s string) intake.Meta { m.Stage = s; return m }

	for _, tc := range []struct {
		name   string
		meta   intake.Meta
		body   string
		status string
		codes  []string // the error codes, in order
	}{
		{"valid", check(meta), lines("murni", 5), intake.StatusChecked, nil},
		{"errors", check(meta), "stage,agency_name,account_code,account_name,amount\nmurni,Dinas Pendidikan,5.1.02.01.01.0024,ATK,satu juta\n", intake.StatusRejected, []string{"money"}},
		{"shrinks the partition", check(meta), lines("murni", 1), intake.StatusRejected, []string{"feed_shrink"}},
		{"shrink confirmed", func() intake.Meta { m := check(meta); m.ConfirmShrink = true; return m }(), lines("murni", 1), intake.StatusChecked, nil},
		{"shrinks its stage", check(stage(meta, "murni")), lines("murni", 1), intake.StatusRejected, []string{"feed_shrink"}},
		{"another stage", check(stage(meta, "realisasi")), lines("realisasi", 1), intake.StatusChecked, nil},
		{"withdrawal", func() intake.Meta { m := check(meta); m.Withdraw = true; return m }(), lines("murni", 0), intake.StatusChecked, nil},
		{"empty", check(meta), lines("murni", 0), intake.StatusRejected, []string{"feed_empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := storetest.Objects(t, st, "feeds/")
			out, err := in.Run(ctx, pub, []FeedFile{{Path: write(tc.body), Meta: tc.meta}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			rep := out.Reports[0]
			var codes []string
			for _, p := range rep.Errors {
				codes = append(codes, p.Code)
			}
			if rep.Status != tc.status || !rep.DryRun || out.Published || rep.Release != "" || rep.Partition != "" || rep.RawKey != "" || rep.Withdrawn {
				t.Errorf("report: status %s (want %s), dry_run %v, published %v, release %q, partition %q, raw %q, withdrawn %v",
					rep.Status, tc.status, rep.DryRun, out.Published, rep.Release, rep.Partition, rep.RawKey, rep.Withdrawn)
			}
			if diff := cmp.Diff(codes, tc.codes); diff != "" {
				t.Errorf("error codes (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(storetest.Objects(t, st, "feeds/"), before); diff != "" {
				t.Errorf("the check changed the store outside feeds/ (-after +before):\n%s", diff)
			}
			kept, err := in.Report(ctx, rep.FeedID)
			if err != nil || kept.Status != tc.status || !kept.Final() {
				t.Errorf("kept report: %+v %v", kept, err)
			}
			real := tc.meta
			real.DryRun = false
			if FeedID(real, rep.SHA256) == rep.FeedID {
				t.Error("a check has the id of the real feed of the same bytes")
			}
		})
	}
	if live, _ := pub.Current(ctx); live.ID != first.Release.ID {
		t.Errorf("live release %s, want %s still", live.ID, first.Release.ID)
	}
}

// TestFeedIDWithoutDryRunUnchanged pins the ids of feeds that are not
// checks, worked out from FeedID's claim as it was before checks existed
// (the first 10 bytes of the SHA-256 of the fields joined by U+001F): a
// report's id must not move.
func TestFeedIDWithoutDryRunUnchanged(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		meta intake.Meta
		want string
	}{
		{intake.Meta{Dataset: "budget", Region: "32.73", Year: 2024}, "048485ca862b9d0eb0fe"},
		{intake.Meta{Dataset: "budget", Region: "32.73", Year: 2024, Stage: "murni", ConfirmShrink: true}, "da0d8d517d9757f6fd8b"},
	} {
		if got := FeedID(tc.meta, sum); got != tc.want {
			t.Errorf("FeedID(%+v) = %s, want %s", tc.meta, got, tc.want)
		}
	}
}

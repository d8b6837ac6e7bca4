package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

func cmdRun(ctx context.Context, args []string) error {
	fs := newFlagSet("run")
	var sf storageFlags
	sf.register(fs, "./data")
	ds := fs.String("dataset", "", "dataset of every FILE (default: from the file name)")
	region := fs.String("region", "", "region code of every FILE (default: from the file name)")
	year := fs.Int("year", 0, "fiscal year of every FILE (default: from the file name)")
	inbox := fs.String("inbox", env("inbox", ""), "take the feeds dropped in this directory instead of FILE arguments")
	inboxPrefix := fs.String("inbox-prefix", env("inbox_prefix", ""), "take the feeds uploaded under this prefix of the storage (e.g. inbox/ in the S3 bucket)")
	watch := fs.Bool("watch", false, "with --inbox or --inbox-prefix: keep watching, scanning every --poll")
	poll := fs.Duration("poll", 10*time.Second, "with --watch: how often to scan")
	withdraw := fs.Bool("withdraw", false, "take each FILE's partition out of the portal: every FILE must have a header and no rows")
	confirmShrink := fs.Bool("confirm-shrink", false, "publish a FILE even when it removes more than half of the rows it replaces")
	noIndex := fs.Bool("no-index", false, "publish only: neither update the local search index nor store its snapshot (what a pipeline worker does; terbuka index does it later)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *inbox != "" || *inboxPrefix != "" {
		return runInbox(ctx, sf, *inbox, *inboxPrefix, *watch, *poll, !*noIndex)
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "terbuka run: give at least one feed FILE, named {dataset}_{region}_{year}.csv or with --dataset --region --year")
		return exitError{2}
	}
	feeds, err := feedFiles(fs.Args(), *ds, *region, *year)
	if err != nil {
		return err
	}
	for i := range feeds {
		feeds[i].Meta.Withdraw, feeds[i].Meta.ConfirmShrink = *withdraw, *confirmShrink
	}
	st, indexDir, log, err := sf.open(ctx)
	if err != nil {
		return err
	}
	work, done, err := sf.workDir(log)
	if err != nil {
		return err
	}
	defer done()
	pub := publisher.New(st, log)
	pub.TempDir = work
	in := &pipeline.Ingester{Store: st, Regions: dataset.LoadRegions(), Log: log, TempDir: work}
	start := time.Now()
	out, err := in.Run(ctx, pub, feeds, func(done int, rep *intake.Report) {
		fmt.Fprintf(os.Stderr, "[%d/%d] %s %s %d: %d rows, %s\n", done, len(feeds), rep.Dataset, rep.Region, rep.Year, rep.Rows, statusText(rep))
	})
	if err != nil {
		return err
	}
	printOutcome(os.Stdout, out, time.Since(start))
	if out.Release != nil && !*noIndex {
		if err := indexRelease(ctx, st, indexDir, work, out.Release, log); err != nil {
			return err
		}
	}
	if rejected := out.Rejected(); len(rejected) > 0 {
		for _, rep := range rejected {
			printReport(os.Stdout, rep)
		}
		return exitError{1}
	}
	return nil
}

// runInbox processes the feeds dropped in dir, once or as they come, and
// with index brings the index and its snapshot up to each new release.
func runInbox(ctx context.Context, sf storageFlags, dir, prefix string, watch bool, poll time.Duration, index bool) error {
	st, indexDir, log, err := sf.open(ctx)
	if err != nil {
		return err
	}
	work, cleanup, err := sf.workDir(log)
	if err != nil {
		return err
	}
	defer cleanup()
	in := &pipeline.Ingester{Store: st, Regions: dataset.LoadRegions(), Log: log, TempDir: work}
	pub := publisher.New(st, log)
	pub.TempDir = work
	box := &pipeline.Inbox{Dir: dir, Prefix: prefix, Ingester: in, Publisher: pub}
	done := func(out *pipeline.Outcome) {
		printOutcome(os.Stdout, out, 0)
		for _, rep := range out.Rejected() {
			printReport(os.Stdout, rep)
		}
		if out.Release != nil && index {
			if err := indexRelease(ctx, st, indexDir, work, out.Release, log); err != nil {
				log.Error("sync index", "err", err)
			}
		}
	}
	if watch {
		log.Info("watching the inbox", "dir", dir, "prefix", prefix, "poll", poll)
		return box.Watch(ctx, poll, done)
	}
	out, err := box.Scan(ctx, nil)
	if err != nil {
		return err
	}
	if out == nil {
		fmt.Fprintf(os.Stderr, "inbox %s%s: no feeds to take\n", dir, prefix)
		return nil
	}
	done(out)
	if len(out.Rejected()) > 0 {
		return exitError{1}
	}
	return nil
}

func flagErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return exitError{0}
	}
	return exitError{2}
}

func feedFiles(paths []string, ds, region string, year int) ([]pipeline.FeedFile, error) {
	var feeds []pipeline.FeedFile
	for _, p := range paths {
		meta, err := pipeline.MetaFromName(p)
		if ds != "" || region != "" || year != 0 {
			if ds == "" || region == "" || year == 0 {
				return nil, fmt.Errorf("--dataset, --region and --year go together")
			}
			meta, err = intake.Meta{Dataset: ds, Region: region, Year: year, File: p}, nil
		}
		if err != nil {
			return nil, err
		}
		meta.Source = "cli"
		feeds = append(feeds, pipeline.FeedFile{Path: p, Meta: meta})
	}
	return feeds, nil
}

func statusText(rep *intake.Report) string {
	if !rep.OK() {
		return fmt.Sprintf("REJECTED (%d errors)", rep.ErrorCount)
	}
	if rep.Withdrawn {
		return "withdrawn: the partition leaves the portal"
	}
	if rep.WarningCount > 0 {
		return fmt.Sprintf("ok (%d warnings)", rep.WarningCount)
	}
	return "ok"
}

func printOutcome(w io.Writer, out *pipeline.Outcome, took time.Duration) {
	var rows int64
	for _, r := range out.Reports {
		if r.OK() {
			rows += r.Rows
		}
	}
	fmt.Fprintf(w, "%d feeds, %d accepted rows, %d rejected feeds", len(out.Reports), rows, len(out.Rejected()))
	if took > 0 {
		fmt.Fprintf(w, " in %s", took.Round(time.Millisecond))
	}
	fmt.Fprintln(w)
	switch {
	case out.Published:
		fmt.Fprintf(w, "published release %s (%d partitions)\n", out.Release.ID, len(out.Release.Partitions))
	case out.Release != nil:
		fmt.Fprintf(w, "no change: release %s stays live\n", out.Release.ID)
	default:
		fmt.Fprintln(w, "nothing published")
	}
}

// printReport lists a rejected feed's problems: row, column, value, reason.
func printReport(w io.Writer, rep *intake.Report) {
	fmt.Fprintf(w, "\nfeed %s (%s %s %d, %s) rejected: %d errors; nothing published; report: feeds/%s.json\n",
		rep.FeedID, rep.Dataset, rep.Region, rep.Year, rep.File, rep.ErrorCount, rep.FeedID)
	printReportTable(w, rep)
}

// printReportTable lists a report's errors, one a line.
func printReportTable(w io.Writer, rep *intake.Report) {
	printTable(w, rep.Errors, rep.ErrorCount)
}

// printTable lists problems, one a line, and how many more there are of
// the count a report holds.
func printTable(w io.Writer, problems []intake.Problem, count int) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tCOLUMN\tVALUE\tREASON")
	for _, p := range problems {
		fmt.Fprintf(tw, "%d\t%s\t%q\t%s / %s\n", p.Row, p.Column, p.Value, p.Message.ID, p.Message.EN)
	}
	tw.Flush()
	if count > len(problems) {
		fmt.Fprintf(w, "… and %d more\n", count-len(problems))
	}
}

// indexRelease brings the local index up to date with release m and stores
// its snapshot beside the release, so that servers download it rather than
// build it. The current generation is synced; when there is none that
// opens (the first run, or an index made by an older version), one is
// restored from the newest snapshot or built. When a running server holds
// the current generation, that server picks the release up and no snapshot
// is stored.
func indexRelease(ctx context.Context, st store.Store, indexDir, work string, m *publisher.Manifest, log *slog.Logger) error {
	ix, err := indexer.OpenSynced(ctx, indexer.Syncer{Store: st, Log: log, TempDir: work}, search.Dir(indexDir), m)
	if errors.Is(err, search.ErrLocked) {
		log.Info("the index is in use by a running server, which will pick up the release; no index snapshot is stored (terbuka index --index DIR stores one)", "release", m.ID, "index", indexDir)
		return nil
	}
	if err != nil {
		return err
	}
	defer ix.Close()
	_, err = saveSnapshot(ctx, st, ix, m, work, log)
	return err
}

// saveSnapshot stores ix as release m's index snapshot and removes the
// snapshots and pieces no longer needed.
func saveSnapshot(ctx context.Context, st store.Store, ix *search.Index, m *publisher.Manifest, work string, log *slog.Logger) (*indexer.Saved, error) {
	saved, err := indexer.SaveSnapshot(ctx, st, ix, m, work)
	if err != nil {
		return nil, err
	}
	log.Info("index snapshot stored", "release", m.ID, "key", indexer.SnapshotKey(m.ID), "files", len(saved.Snapshot.Files), "bytes", saved.Snapshot.Bytes(),
		"uploaded_pieces", saved.Uploaded, "uploaded_bytes", saved.UploadedBytes, "took", saved.Took.Round(time.Millisecond))
	objects, bytes, err := indexer.PruneSnapshots(ctx, st, indexer.SnapshotsKept, time.Now())
	if err != nil {
		// The snapshot is stored; what is left over costs only space, and
		// the next run removes it.
		log.Warn("remove old index snapshots", "err", err)
	} else if objects > 0 {
		log.Info("removed old index snapshots", "objects", objects, "bytes", bytes)
	}
	return saved, nil
}

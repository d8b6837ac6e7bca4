package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
)

func cmdDemo(ctx context.Context, args []string) error {
	fs := newFlagSet("demo")
	dir := fs.String("dir", env("dir", "./data"), "directory for the demo's feeds, storage and index")
	addr := fs.String("addr", env("addr", "localhost:8080"), "address to listen on")
	regions := fs.Int("regions", 30, "number of regencies/cities")
	provinces := fs.Int("provinces", 3, "number of provincial governments, Jawa Barat first (0: none)")
	years := fs.String("years", "2023,2024", "fiscal years, comma-separated")
	seed := fs.Int64("seed", 1, "random seed")
	logLevel := fs.String("log-level", env("log-level", "info"), "debug, info, warn or error")
	var pf portalFlags
	pf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := pf.check(fs); err != nil {
		return err
	}
	ys, err := parseYears(*years)
	if err != nil {
		return err
	}
	sf := storageFlags{data: filepath.Join(*dir, "store"), logLevel: *logLevel}
	st, indexDir, log, err := sf.open(ctx)
	if err != nil {
		return err
	}
	work, done, err := sf.workDir(log)
	if err != nil {
		return err
	}
	defer done()
	start := time.Now()
	feedDir := filepath.Join(*dir, "feeds")
	if err := os.MkdirAll(feedDir, 0o755); err != nil {
		return err
	}
	generated, err := demo.Generate(ctx, feedDir, demo.Options{Regions: *regions, Provinces: *provinces, Years: ys, Seed: *seed})
	if err != nil {
		return fmt.Errorf("generate demo feeds: %w", err)
	}
	var feeds []pipeline.FeedFile
	rows := 0
	for _, g := range generated {
		feeds = append(feeds, pipeline.FeedFile{Path: g.Path, Meta: intake.Meta{Dataset: g.Dataset, Region: g.Region, Year: g.Year, File: filepath.Base(g.Path), Source: "demo"}})
		rows += g.Rows
	}
	log.Info("generated demo feeds", "feeds", len(feeds), "rows", rows, "dir", feedDir, "took", time.Since(start).Round(time.Millisecond))
	in := &pipeline.Ingester{Store: st, Regions: dataset.LoadRegions(), Log: log, TempDir: work}
	pub := publisher.New(st, log)
	pub.TempDir = work
	out, err := in.Run(ctx, pub, feeds, func(done int, rep *intake.Report) {
		if done%20 == 0 || done == len(feeds) {
			log.Info("ingesting", "progress", fmt.Sprintf("%d/%d", done, len(feeds)))
		}
	})
	if err != nil {
		return err
	}
	if len(out.Rejected()) > 0 {
		printReport(os.Stdout, out.Rejected()[0])
		return fmt.Errorf("demo feeds rejected: %d", len(out.Rejected()))
	}
	printOutcome(os.Stdout, out, time.Since(start))
	return serve(ctx, st, indexDir, work, *addr, 5*time.Second, pf, log)
}

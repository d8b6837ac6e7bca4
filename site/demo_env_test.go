package site

import (
	"path/filepath"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// demoRelease is demo data generated, ingested and published in a
// directory store, as `make run` does, for tests and benchmarks.
type demoRelease struct {
	st      store.Store
	pub     *publisher.Publisher
	in      *pipeline.Ingester
	release *publisher.Manifest
	feeds   []demo.Feed
}

func publishDemo(t testing.TB, opt demo.Options) *demoRelease {
	t.Helper()
	ctx := t.Context()
	d := &demoRelease{st: storetest.Dir(t)}
	feeds, err := demo.Generate(ctx, t.TempDir(), opt)
	if err != nil {
		t.Fatalf("generate demo feeds: %v", err)
	}
	d.feeds = feeds
	var files []pipeline.FeedFile
	for _, f := range feeds {
		files = append(files, pipeline.FeedFile{Path: f.Path, Meta: intake.Meta{Dataset: f.Dataset, Region: f.Region, Year: f.Year, File: filepath.Base(f.Path)}})
	}
	d.pub = publisher.New(d.st, quiet)
	d.pub.Now = clockAt(publishedAt)
	d.in = &pipeline.Ingester{Store: d.st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir(), Now: clockAt(publishedAt), Publisher: d.pub}
	out, err := d.in.Run(ctx, d.pub, files, nil)
	if err != nil || !out.Published || len(out.Rejected()) > 0 {
		t.Fatalf("publish demo feeds: %v (published %v)", err, out != nil && out.Published)
	}
	d.release = out.Release
	return d
}

package benchmark

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/benchmark/anchor"
	"github.com/terbuka/terbuka/dataset"
)

// procurementSpec is a spec of one procurement file of two rows.
func procurementSpec(t *testing.T, dir string) *anchor.Spec {
	t.Helper()
	path := filepath.Join(dir, "procurement_32.73_2024.csv")
	csv := "title,region_code,fiscal_year,package_id,budget_ceiling,method\n" +
		"Pengadaan Alat Tulis Kantor,32.73,2024,39891000,5522000,tender\n" +
		"Pemeliharaan Jalan,32.73,2024,39891346,104472000.50,pengadaan langsung\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	s, _ := dataset.Lookup("procurement")
	tab, err := tableOf(s, []string{path})
	if err != nil {
		t.Fatal(err)
	}
	return &anchor.Spec{Tables: []anchor.Table{tab}}
}

// TestSphinxConfig: the configuration declares the layout's columns in
// its order, which is how Sphinx pairs them with the source's.
func TestSphinxConfig(t *testing.T) {
	spec := procurementSpec(t, t.TempDir())
	conf, err := sphinxConfig(spec, "/w/spec.json", "/opt/it's/terbuka-anchor", "/w/sphinx", 9312)
	if err != nil {
		t.Fatal(err)
	}
	layout, err := anchor.SphinxLayout(spec.Tables[0])
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, c := range layout {
		want = append(want, "tsvpipe_"+c.Kind+" = "+c.Name)
	}
	for _, line := range strings.Split(conf, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "tsvpipe_") && !strings.HasPrefix(line, "tsvpipe_command") {
			got = append(got, line)
		}
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("declarations (-got +want):\n%s", diff)
	}
	for _, s := range []string{
		`tsvpipe_command = '/opt/it'\''s/terbuka-anchor' sphinx-source --spec '/w/spec.json' --table 'procurement'`,
		"path = /w/sphinx/index/procurement", "morphology = none", "listen = 127.0.0.1:9312:mysql41", "watchdog = 0",
	} {
		if !strings.Contains(conf, s) {
			t.Errorf("configuration lacks %q:\n%s", s, conf)
		}
	}
}

// TestSphinxMissing: without Sphinx a run fails saying how to install
// it; it does not skip the anchor.
func TestSphinxMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, _, err := sphinxBins(); err == nil || !strings.Contains(err.Error(), "make bench-tools") {
		t.Errorf("err = %v, want one saying to run make bench-tools", err)
	}
}

// requireSphinx skips the test when Sphinx is not installed, unless
// TERBUKA_REQUIRE_S3=1 (make test, whose bench-tools installs it) makes
// that a failure.
func requireSphinx(t *testing.T) {
	t.Helper()
	if _, _, err := sphinxBins(); err != nil {
		if os.Getenv("TERBUKA_REQUIRE_S3") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// TestSphinxStartStop builds a real index, serves it, and stops: searchd
// is gone and its directory removed, also when it failed to start.
func TestSphinxStartStop(t *testing.T) {
	requireSphinx(t)
	dir := t.TempDir()
	spec := procurementSpec(t, dir)
	// The source is the documents terbuka-anchor would print, written here.
	docs, err := os.Create(filepath.Join(dir, "docs.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := anchor.WriteSphinxDocuments(spec, "procurement", docs); err != nil {
		t.Fatal(err)
	}
	docs.Close()
	source := filepath.Join(dir, "source")
	if err := os.WriteFile(source, []byte("#!/bin/sh\nexec cat "+shellQuote(docs.Name())+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	sx, err := newSphinx(filepath.Join(dir, "sphinx"), spec, filepath.Join(dir, "spec.json"), source)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sx.build(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 2 || res.Bytes == 0 || res.PeakRSS == 0 || !strings.HasPrefix(res.Version, "Sphinx 2.") {
		t.Errorf("build = %+v, want 2 rows, bytes, peak RSS and Sphinx's version", res)
	}
	if err := sx.start(t.Context()); err != nil {
		t.Fatal(err)
	}
	pid := sx.cmd.Process.Pid
	conn, err := net.Dial("tcp", sx.Addr())
	if err != nil {
		t.Errorf("searchd does not listen on %s: %v", sx.Addr(), err)
	} else {
		conn.Close()
	}
	if err := sx.stop(); err != nil {
		t.Error(err)
	}
	assertGone(t, pid, sx.dir)

	// No index to serve: searchd exits at once, and stop still cleans up.
	broken, err := newSphinx(filepath.Join(dir, "broken"), spec, filepath.Join(dir, "spec.json"), source)
	if err != nil {
		t.Fatal(err)
	}
	if err := broken.start(t.Context()); err == nil || !strings.Contains(err.Error(), "searchd exited") {
		t.Errorf("start without an index: err = %v, want searchd exited", err)
	}
	pid = broken.cmd.Process.Pid
	if err := broken.stop(); err != nil {
		t.Error(err)
	}
	assertGone(t, pid, broken.dir)
}

func assertGone(t *testing.T, pid int, dir string) {
	t.Helper()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("searchd (pid %d) is still there: kill 0 = %v", pid, err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s is still there: %v", dir, err)
	}
}

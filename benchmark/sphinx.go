package benchmark

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/terbuka/terbuka/benchmark/anchor"
)

// sphinx is a private Sphinx (Debian's sphinxsearch, 2.2): its
// configuration, indexes and log in a directory of the run's scratch
// directory, and a searchd on a free loopback port. stop stops searchd
// and removes the directory. It never touches the system's
// /etc/sphinxsearch or /var/lib/sphinxsearch.
type sphinx struct {
	indexer, searchd string
	dir              string
	port             int
	cmd              *exec.Cmd
	out              *watch
	exited           chan struct{}
}

// sphinxBins finds Sphinx's indexer and searchd, or says how to install
// them: a run never skips an anchor.
func sphinxBins() (indexer, searchd string, err error) {
	paths := make([]string, 2)
	for i, name := range []string{"indexer", "searchd"} {
		if paths[i], err = exec.LookPath(name); err != nil {
			return "", "", fmt.Errorf("sphinx's %s is not installed: run `make bench-tools`, which installs Debian's sphinxsearch package", name)
		}
	}
	return paths[0], paths[1], nil
}

// newSphinx writes the configuration for spec into dir: one index per
// table, fed by `anchor sphinx-source` (the binary at anchorBin) with the
// rows of the table's CSV files, and a searchd listening for SphinxQL on
// a free loopback port.
func newSphinx(dir string, spec *anchor.Spec, specPath, anchorBin string) (*sphinx, error) {
	indexer, searchd, err := sphinxBins()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "index"), 0o755); err != nil {
		return nil, err
	}
	s := &sphinx{indexer: indexer, searchd: searchd, dir: dir}
	if s.port, err = freePort(); err != nil {
		return s, err
	}
	conf, err := sphinxConfig(spec, specPath, anchorBin, dir, s.port)
	if err != nil {
		return s, err
	}
	return s, os.WriteFile(s.config(), []byte(conf), 0o644)
}

func (s *sphinx) config() string { return filepath.Join(s.dir, "sphinx.conf") }

// Addr is searchd's SphinxQL address.
func (s *sphinx) Addr() string { return fmt.Sprintf("127.0.0.1:%d", s.port) }

// sphinxConfig is the configuration: per table a tsvpipe source declaring
// anchor.SphinxLayout's columns in order, and a plain index with no
// morphology, no prefixes or infixes (no stemming, no typo tolerance, no
// wildcards: PostgreSQL's simple configuration) whose words are ASCII
// letters and digits, folded to lower case; indexer with 256 MB, as
// PostgreSQL has for its index builds; a threaded searchd without
// watchdog or binlog, which a benchmark does not need.
func sphinxConfig(spec *anchor.Spec, specPath, anchorBin, dir string, port int) (string, error) {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Written by terbuka-bench for one run.\n")
	for _, t := range spec.Tables {
		layout, err := anchor.SphinxLayout(t)
		if err != nil {
			return "", err
		}
		p("\nsource %s\n{\n\ttype = tsvpipe\n", t.Name)
		p("\ttsvpipe_command = %s sphinx-source --spec %s --table %s\n", shellQuote(anchorBin), shellQuote(specPath), shellQuote(t.Name))
		for _, c := range layout {
			p("\ttsvpipe_%s = %s\n", c.Kind, c.Name)
		}
		p("}\n\nindex %s\n{\n\tsource = %s\n\tpath = %s\n", t.Name, t.Name, filepath.Join(dir, "index", t.Name))
		p("\tdocinfo = extern\n\tdict = keywords\n\tmorphology = none\n\tmin_word_len = 1\n\tcharset_table = 0..9, A..Z->a..z, a..z\n}\n")
	}
	p("\nindexer\n{\n\tmem_limit = 256M\n}\n")
	p("\nsearchd\n{\n\tlisten = 127.0.0.1:%d:mysql41\n\tlog = %s\n\tpid_file = %s\n", port, filepath.Join(dir, "searchd.log"), filepath.Join(dir, "searchd.pid"))
	p("\tbinlog_path =\n\tworkers = threads\n\twatchdog = 0\n}\n")
	return b.String(), nil
}

// shellQuote quotes s for sh, which runs the tsvpipe command.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// indexedDocs reads indexer's "indexing index 'NAME'..." and "total N
// docs" lines.
var indexedDocs = regexp.MustCompile(`(?m)^indexing index '([^']+)'|^total (\d+) docs`)

// build runs indexer over every index, timed, and returns the documents
// and bytes of each index and in all, and indexer's peak RSS, which, as
// ru_maxrss of a process that waited for its children, is the largest of
// indexer and its tsvpipe source.
func (s *sphinx) build(ctx context.Context) (*SystemResult, error) {
	cmd := exec.CommandContext(ctx, s.indexer, "--config", s.config(), "--all")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	began := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("sphinx indexer: %w\n%s", err, out.String())
	}
	res := &SystemResult{Seconds: time.Since(began).Seconds(), Bytes: dirSize(filepath.Join(s.dir, "index"), nil), PeakRSS: maxRSS(cmd.ProcessState)}
	res.Version, _, _ = strings.Cut(out.String(), "\n")
	if !strings.HasPrefix(res.Version, "Sphinx ") {
		return nil, fmt.Errorf("%s is not Sphinx's indexer: it says %q", s.indexer, res.Version)
	}
	var table string
	for _, m := range indexedDocs.FindAllStringSubmatch(out.String(), -1) {
		if m[1] != "" {
			table = m[1]
			continue
		}
		n, _ := strconv.ParseInt(m[2], 10, 64)
		files, _ := filepath.Glob(filepath.Join(s.dir, "index", table+".*"))
		var size int64
		for _, f := range files {
			if info, err := os.Stat(f); err == nil {
				size += info.Size()
			}
		}
		res.Tables = append(res.Tables, anchor.TableResult{Name: table, Rows: n, Bytes: size})
		res.Rows += n
	}
	// indexer exits 0 when its source failed after some documents, and
	// says so.
	for _, problem := range []string{"ERROR:", "WARNING:", "terbuka-anchor:"} {
		if strings.Contains(out.String(), problem) {
			return nil, fmt.Errorf("sphinx indexer reported a problem:\n%s", out.String())
		}
	}
	return res, nil
}

// start starts searchd in the foreground, as a child that dies with this
// process, and waits until it accepts connections.
func (s *sphinx) start(ctx context.Context) error {
	s.out = &watch{ready: make(chan struct{})}
	cmd := exec.Command(s.searchd, "--config", s.config(), "--nodetach")
	cmd.Stdout, cmd.Stderr = s.out, s.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start searchd: %w", err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	go func() { cmd.Wait(); close(s.exited) }()
	wait := time.NewTimer(5 * time.Minute)
	defer wait.Stop()
	select {
	case <-s.out.ready:
		return nil
	case <-s.exited:
		return fmt.Errorf("searchd exited: %s\n%s", cmd.ProcessState, s.out.String())
	case <-ctx.Done():
		return ctx.Err()
	case <-wait.C:
		return fmt.Errorf("searchd does not accept connections after 5 minutes:\n%s", s.out.String())
	}
}

// stop stops searchd, killing it if it has not stopped within 30 s, and
// removes the directory.
func (s *sphinx) stop() error {
	var err error
	if s.cmd != nil {
		if terminate(s.cmd, s.exited, syscall.SIGTERM, 30*time.Second) {
			err = errors.New("searchd did not stop within 30 s of SIGTERM: killed")
		}
		s.cmd = nil
	}
	return errors.Join(err, os.RemoveAll(s.dir))
}

// watch is searchd's output: it keeps the last 8 KB for error messages,
// and closes ready once searchd says it accepts connections.
type watch struct {
	mu    sync.Mutex
	tail  []byte
	ready chan struct{}
	seen  bool
}

func (w *watch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tail = append(w.tail, p...)
	if !w.seen && bytes.Contains(w.tail, []byte("accepting connections")) {
		w.seen = true
		close(w.ready)
	}
	if n := len(w.tail); n > 8<<10 {
		w.tail = append(w.tail[:0], w.tail[n-8<<10:]...)
	}
	return len(p), nil
}

func (w *watch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.tail)
}

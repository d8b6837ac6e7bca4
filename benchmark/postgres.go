package benchmark

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// postgres is a private PostgreSQL cluster: initdb in a temporary
// directory, listening on a free loopback port, stopped and removed by
// stop. It never touches a system cluster.
type postgres struct {
	bin, dir string
	port     int
	// runAs is the user the server runs as when this process is root,
	// which PostgreSQL refuses to run as.
	runAs string
}

// startPostgres starts a private cluster with the settings a small
// dedicated server would have: 256 MB of shared buffers and of
// maintenance memory (index builds), the rest PostgreSQL's defaults.
func startPostgres(ctx context.Context) (*postgres, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "terbuka-bench-pg-")
	if err != nil {
		return nil, err
	}
	pg := &postgres{bin: bin, dir: dir}
	if os.Geteuid() == 0 {
		pg.runAs = "postgres"
		u, err := user.Lookup(pg.runAs)
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("postgresql refuses to run as root and there is no %q user: %w", pg.runAs, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	if pg.port, err = freePort(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if out, err := pg.command(ctx, "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c maintenance_work_mem=256MB -c work_mem=16MB", pg.port, dir)
	if out, err := pg.command(ctx, "pg_ctl", "-D", data, "-l", filepath.Join(dir, "server.log"), "-w", "-o", opts, "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %w: %s %s", err, out, log)
	}
	return pg, nil
}

// DSN is the cluster's connection string.
func (pg *postgres) DSN() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
}

// Version is the server's version as pg_ctl reports it.
func (pg *postgres) Version(ctx context.Context) string {
	out, _ := pg.command(ctx, "postgres", "--version").Output()
	return strings.TrimSpace(string(out))
}

func (pg *postgres) stop(ctx context.Context) error {
	out, err := pg.command(context.WithoutCancel(ctx), "pg_ctl", "-D", filepath.Join(pg.dir, "data"), "-m", "fast", "-w", "stop").CombinedOutput()
	os.RemoveAll(pg.dir)
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %w: %s", err, out)
	}
	return nil
}

func (pg *postgres) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	path := filepath.Join(pg.bin, name)
	if pg.runAs != "" {
		return exec.CommandContext(ctx, "runuser", append([]string{"-u", pg.runAs, "--", path}, args...)...)
	}
	return exec.CommandContext(ctx, path, args...)
}

// postgresBin finds the server programs: Debian keeps them in
// /usr/lib/postgresql/{version}/bin, off the PATH; the newest is taken.
func postgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return versionOf(a) - versionOf(b) })
	if len(dirs) > 0 {
		return dirs[len(dirs)-1], nil
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("no PostgreSQL server found: run `make bench-tools`, which installs Debian's postgresql package")
}

func versionOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

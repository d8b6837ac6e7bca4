package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// nginxPath is Debian's nginx, which `make nginx` installs.
const nginxPath = "/usr/sbin/nginx"

// nginxStartTimeout bounds how long nginx may take to answer through to
// its upstreams.
const nginxStartTimeout = 30 * time.Second

// nginxProxy is an nginx process of a test's own: a round-robin load
// balancer on a loopback port, with its config, pid file, logs and
// temporary files in a directory of the test's.
type nginxProxy struct {
	url    string // http://127.0.0.1:PORT/
	dir    string
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has been waited for
}

// nginxConf is the proxy's config. nginx runs as one process (no master
// and workers) in the foreground: that one process gets the test's
// Pdeathsig, where orphaned workers would keep the port, and it never
// switches user, so it may write into the test's directory also when the
// tests run as root. Upstream connections are kept alive, and a request
// whose upstream fails before answering is tried on the next one, as
// nginx does for idempotent requests only (proxy_next_upstream).
const nginxConf = `daemon off;
master_process off;
pid {{dir}}/nginx.pid;
error_log {{dir}}/error.log info;
events { worker_connections 1024; }
http {
	log_format upstream '$remote_addr "$request" $status $body_bytes_sent upstream=$upstream_addr upstream_status=$upstream_status time=$request_time';
	access_log {{dir}}/access.log upstream;
	client_body_temp_path {{dir}}/client_body;
	proxy_temp_path {{dir}}/proxy;
	fastcgi_temp_path {{dir}}/fastcgi;
	uwsgi_temp_path {{dir}}/uwsgi;
	scgi_temp_path {{dir}}/scgi;
	client_max_body_size 20m;
	upstream terbuka {
{{servers}}		keepalive 16;
	}
	server {
		listen {{addr}};
		location / {
			proxy_pass http://terbuka;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_connect_timeout 2s;
			proxy_next_upstream error timeout;
			add_header X-Upstream $upstream_addr always;
		}
	}
}
`

// requireNginx skips the test when nginx is missing, unless
// TERBUKA_REQUIRE_S3=1 (make test, which installs it) makes that a failure.
func requireNginx(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(nginxPath); err != nil {
		if os.Getenv("TERBUKA_REQUIRE_S3") == "1" {
			t.Fatalf("%s is missing: run `make nginx` (make test does)", nginxPath)
		}
		t.Skipf("%s is missing (`make nginx` installs it)", nginxPath)
	}
}

// startNginx starts nginx balancing round robin over upstreams (host:port)
// and waits until it answers /healthz through them. A missing nginx skips
// the test as requireNginx does. nginx is stopped when the test ends.
func startNginx(t *testing.T, upstreams ...string) *nginxProxy {
	t.Helper()
	requireNginx(t)
	n := &nginxProxy{dir: t.TempDir()}
	addr := freeLoopbackAddr(t)
	var servers strings.Builder
	for _, u := range upstreams {
		fmt.Fprintf(&servers, "\t\tserver %s max_fails=1 fail_timeout=10s;\n", u)
	}
	conf := strings.NewReplacer("{{dir}}", n.dir, "{{addr}}", addr, "{{servers}}", servers.String()).Replace(nginxConf)
	confPath := filepath.Join(n.dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(filepath.Join(n.dir, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	// -e: nginx opens its error log before it reads the config, at a
	// root path unless told otherwise.
	n.cmd = exec.Command(nginxPath, "-p", n.dir, "-c", confPath, "-e", filepath.Join(n.dir, "error.log"))
	n.cmd.Stdout, n.cmd.Stderr = out, out
	n.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := n.cmd.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	n.exited = make(chan struct{})
	go func() {
		n.cmd.Wait()
		close(n.exited)
	}()
	t.Cleanup(func() { n.stop(t) })
	n.url = "http://" + addr + "/"
	n.waitReady(t)
	return n
}

// waitReady waits until nginx answers /healthz (a replica's) with 200.
func (n *nginxProxy) waitReady(t *testing.T) {
	t.Helper()
	waitHealthy(t, "nginx", n.url+"healthz", nginxStartTimeout, n.exited, n.logs)
}

// stop ends nginx with SIGQUIT, a graceful shutdown, and fails the test if
// it has not exited within ten seconds.
func (n *nginxProxy) stop(t *testing.T) {
	select {
	case <-n.exited:
		t.Errorf("nginx exited before the test ended:\n%s", n.logs())
		return
	default:
	}
	n.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-n.exited:
	case <-time.After(10 * time.Second):
		n.cmd.Process.Kill()
		<-n.exited
		t.Errorf("nginx did not stop within 10s of SIGQUIT")
	}
}

// logs returns what nginx wrote to stderr and its error log.
func (n *nginxProxy) logs() string {
	var b strings.Builder
	for _, name := range []string{"stderr.log", "error.log"} {
		data, _ := os.ReadFile(filepath.Join(n.dir, name))
		fmt.Fprintf(&b, "--- %s\n%s", name, data)
	}
	return b.String()
}

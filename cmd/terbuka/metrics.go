package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/metrics"
)

// serveMetrics serves m at http://addr/metrics on a listener of its own,
// apart from the portal (--metrics-addr), until stop is called. With addr
// empty it serves nothing: the portal serves /metrics.
func serveMetrics(addr string, m *metrics.Set, log *slog.Logger) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("serve metrics", "err", err)
		}
	}()
	log.Info("serving metrics", "url", "http://"+ln.Addr().String()+"/metrics")
	fmt.Fprintf(os.Stderr, "Terbuka serves metrics at http://%s/metrics\n", ln.Addr())
	return func() {
		hs.Close()
		<-served
	}, nil
}

// countFeed counts each pushed feed the intake has processed, by its
// dataset and final status.
func countFeed(m *metrics.Set) func(*intake.Report) {
	return func(rep *intake.Report) { m.Feed(rep.Dataset, rep.Status, rep.Rows) }
}

// isHostPort reports whether s is host:port with a numeric port, as a
// listen address must be; the host may be empty (every interface).
func isHostPort(s string) bool {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}

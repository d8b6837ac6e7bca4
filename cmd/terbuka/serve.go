package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/metrics"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/site"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/token"
)

func cmdServe(ctx context.Context, args []string) error {
	fs := newFlagSet("serve")
	var sf storageFlags
	sf.register(fs, "./data")
	addr := fs.String("addr", env("addr", "localhost:8080"), "address to listen on")
	poll := fs.Duration("poll", 2*time.Second, "how often to check for a new live release (one small read of the store)")
	var pf portalFlags
	pf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := errors.Join(mustBe(*poll > 0, fs, "poll", "must be longer than 0"), pf.check(fs)); err != nil {
		return exitError{2}
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
	return serve(ctx, st, indexDir, work, *addr, *poll, pf, log)
}

// offIfZero turns a flag's 0 ("no limit") into the site's negative rate.
func offIfZero(r float64) float64 {
	if r == 0 {
		return -1
	}
	return r
}

// listenHost is the listen address as a host in links: an unspecified
// address (":8080") is this machine, localhost.
func listenHost(a net.Addr) string {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil || ap.Addr().IsUnspecified() {
		_, port, _ := net.SplitHostPort(a.String())
		return net.JoinHostPort("localhost", port)
	}
	return a.String()
}

// isSiteAddress reports whether s is a scheme and host, as --public-url
// must be: links are built by appending paths to it, and the CSRF check
// trusts it as an origin.
func isSiteAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil
}

// portalFlags configure what serve offers beyond pages: the push API,
// downloads and the public address used in metadata.
type portalFlags struct {
	maxFeedBytes   int64
	wait           time.Duration
	presign        bool
	publicURL      string
	maxConns       int
	trustedProxies []netip.Prefix
	searchRate     float64
	downloadRate   float64
	// searchCacheMB bounds the cache of search results, in MiB; 0 turns
	// it off.
	searchCacheMB int64
	// answerCacheMB bounds the cache of whole answers (pages, API
	// answers), in MiB; 0 turns it off.
	answerCacheMB int64
	// metricsAddr, when set, is where /metrics is served instead of on
	// the portal's address.
	metricsAddr string
	// contact is the operator's address for readers and officials, as
	// site.ContactURL reads it.
	contact string
}

// check refuses portal flags that break their rules.
func (p *portalFlags) check(fs *flag.FlagSet) error {
	p.publicURL = strings.TrimSuffix(p.publicURL, "/")
	if err := errors.Join(mustBe(p.maxFeedBytes > 0, fs, "max-feed-bytes", "must be more than 0"),
		mustBe(p.wait >= 0, fs, "push-wait", "must be 0 or longer"), mustBe(p.maxConns > 0, fs, "max-conns", "must be more than 0"),
		mustBe(p.searchRate >= 0, fs, "search-rate", "must be 0 (no limit) or more"), mustBe(p.downloadRate >= 0, fs, "download-rate", "must be 0 (no limit) or more"),
		mustBe(p.searchCacheMB >= 0 && p.searchCacheMB <= maxCacheMB, fs, "search-cache-mb", fmt.Sprintf("must be 0 (no cache) to %d", maxCacheMB)),
		mustBe(p.answerCacheMB >= 0 && p.answerCacheMB <= maxCacheMB, fs, "answer-cache-mb", fmt.Sprintf("must be 0 (no cache) to %d", maxCacheMB)),
		mustBe(p.publicURL == "" || isSiteAddress(p.publicURL), fs, "public-url", "must be an http(s) address with a host and no path, e.g. https://terbuka.example.go.id"),
		mustBe(p.metricsAddr == "" || isHostPort(p.metricsAddr), fs, "metrics-addr", "must be host:port, e.g. 127.0.0.1:9100"),
		p.checkContact(fs)); err != nil {
		return exitError{2}
	}
	return nil
}

// checkContact reads --contact into the link the footer shows.
func (p *portalFlags) checkContact(fs *flag.FlagSet) error {
	contact, err := site.ContactURL(p.contact)
	if err != nil {
		return mustBe(false, fs, "contact", err.Error()+", e.g. data@bpkad.example.go.id or https://example.go.id/masukan")
	}
	p.contact = contact
	return nil
}

func (p *portalFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.contact, "contact", env("contact", ""), "where readers and officials write to the portal's operator, shown in every page's footer: an e-mail address or an http(s) address of a feedback form (default: none shown)")
	fs.Int64Var(&p.maxFeedBytes, "max-feed-bytes", 200<<20, "largest feed a region may push, in bytes")
	fs.DurationVar(&p.wait, "push-wait", 10*time.Second, "how long a push waits for its feed to be published before answering 202")
	fs.StringVar(&p.publicURL, "public-url", env("public_url", ""), "the portal's public address, e.g. https://terbuka.example.go.id, used in citations, catalogues and feeds (default: http:// and the listen address; never the request's Host header)")
	fs.IntVar(&p.maxConns, "max-conns", 512, "connections kept open at once; more are answered 503 with Retry-After")
	fs.Float64Var(&p.searchRate, "search-rate", 10, "searches per second one client may make (bursts of six seconds' worth); 0 turns the limit off")
	fs.Float64Var(&p.downloadRate, "download-rate", 2, "downloads per second one client may make (bursts of ten seconds' worth); 0 turns the limit off")
	fs.Int64Var(&p.searchCacheMB, "search-cache-mb", 64, "MiB of search results kept in memory, for the same searches of the same release; 0 turns the cache off")
	fs.Int64Var(&p.answerCacheMB, "answer-cache-mb", 64, "MiB of whole pages and API answers kept in memory, for the same requests of the same release; 0 turns the cache off")
	fs.StringVar(&p.metricsAddr, "metrics-addr", env("metrics_addr", ""), "host:port to serve /metrics on, apart from the portal (default: the portal serves /metrics)")
	fs.Func("trusted-proxies", "comma-separated addresses or CIDR ranges of proxies whose X-Forwarded-For names the client, for per-client rate limits (default: none; the header is ignored)", func(v string) error {
		p.trustedProxies = nil
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			pr, err := netip.ParsePrefix(f)
			if err != nil {
				a, aerr := netip.ParseAddr(f)
				if aerr != nil {
					return fmt.Errorf("%q is neither an address nor a CIDR range", f)
				}
				pr = netip.PrefixFrom(a, a.BitLen())
			}
			p.trustedProxies = append(p.trustedProxies, pr.Masked())
		}
		return nil
	})
	fs.BoolVar(&p.presign, "presign-downloads", false, "on S3, redirect downloads to presigned bucket URLs (when users can reach the S3 endpoint)")
}

// maxCacheMB bounds --search-cache-mb and --answer-cache-mb: a terabyte
// is a typo.
const maxCacheMB = 1 << 20

// searcher is what the portal searches: live, through a cache of results
// of mb MiB (counted in m) unless mb is 0.
func searcher(live *search.Live, mb int64, m *metrics.Set) site.Searcher {
	if mb == 0 {
		return live
	}
	c := search.NewCache(live, mb<<20)
	m.WatchSearchCache(func() metrics.CacheStats {
		st := c.Stats()
		return metrics.CacheStats{Hits: st.Hits, Misses: st.Misses, Evictions: st.Evictions, Bytes: st.Bytes, MaxBytes: st.MaxBytes, Entries: st.Entries}
	})
	return c
}

// serve runs the portal until ctx ends. The index follows the live release
// and the current index generation in the background, so the portal
// answers at once, also while a missing or broken index is rebuilt.
//
// At start it completes the live release in the background (a publisher
// that died may have left downloads or the changelog unbuilt); work is its
// directory for temporary files.
func serve(ctx context.Context, st store.Store, indexDir, work, addr string, poll time.Duration, pf portalFlags, log *slog.Logger) error {
	m := metrics.New(log)
	pub := publisher.New(st, log)
	pub.TempDir, pub.Timed = work, m.Published
	f := &indexer.Follower{Store: st, Publisher: pub, Dir: search.Dir(indexDir), Log: log, TempDir: work}
	live, err := f.Open()
	if err != nil {
		return err
	}
	defer func() {
		if err := live.Close(); err != nil {
			log.Warn("close index", "err", err)
		}
	}()
	regions := dataset.LoadRegions()
	in := &pipeline.Ingester{Store: st, Regions: regions, Log: log, TempDir: work, Publisher: pub, Published: func(*publisher.Manifest) { f.Wake() },
		Processed: countFeed(m)}
	repaired := make(chan struct{})
	go func() {
		defer close(repaired)
		if err := pub.Repair(ctx); err != nil {
			log.Error("live release not completed", "err", err)
		}
	}()
	defer func() { <-repaired }()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	publicURL := pf.publicURL
	if publicURL == "" {
		publicURL = "http://" + listenHost(ln.Addr())
		log.Warn("no --public-url: absolute links in catalogues and feeds name the listen address", "url", publicURL)
	}
	srv, err := site.New(site.Config{Index: searcher(live, pf.searchCacheMB, m), Publisher: pub, Regions: regions, Log: log,
		Tokens: &token.Registry{Store: st, Regions: regions},
		Store:  st, Reports: in, Intake: in, TrustedProxies: pf.trustedProxies,
		SearchRate: offIfZero(pf.searchRate), DownloadRate: offIfZero(pf.downloadRate),
		MaxFeedBytes: pf.maxFeedBytes, PushWait: pf.wait, PresignDownloads: pf.presign, PublicURL: publicURL,
		AnswerCacheBytes: pf.answerCacheMB << 20, Metrics: m, MetricsElsewhere: pf.metricsAddr != "", Contact: pf.contact})
	if err != nil {
		ln.Close()
		return err
	}
	// Once the index is in sync with the live release, pages and answers
	// of it carry ETags and may be kept by a proxy in front.
	f.Followed = func(live, indexed string) {
		m.Releases(live, indexed)
		srv.Followed(live, indexed)
	}
	stopMetrics, err := serveMetrics(pf.metricsAddr, m, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopMetrics()
	ln = site.LimitListener(ln, pf.maxConns, m)
	hs := srv.HTTPServer()
	followCtx, stopFollow := context.WithCancel(ctx)
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		f.Run(followCtx, poll, srv.SetReady)
	}()
	// The follower writes to the index: it must stop before the index closes.
	defer func() {
		stopFollow()
		<-followed
	}()
	log.Info("serving the portal", "url", "http://"+ln.Addr().String()+"/")
	fmt.Fprintf(os.Stderr, "Terbuka is serving http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// Feeds already received are finished, so none is left half done.
	in.Wait()
	log.Info("stopped")
	return nil
}

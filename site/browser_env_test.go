package site

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/token"
)

// This file holds what the browser tests stand on: the portal with demo
// data, headless Chromium, and small helpers that fail the test on an
// error so the flows in browser_test.go read as a reader's steps.

// chromiumPath is Debian's chromium, which `make chromium` installs.
const chromiumPath = "/usr/bin/chromium"

// flowTimeout bounds each browser flow, so a hang fails the test instead
// of blocking CI.
const flowTimeout = 60 * time.Second

// browserPortal is the real portal on a loopback port, with the demo data
// published and indexed and a push token for Kota Bandung.
type browserPortal struct {
	url     string
	bandung string // the secret of Kota Bandung's token
	srv     *Server
}

// newBrowserPortal generates demo feeds for three regions (Kota Bandung
// always among them) and 2023–2024, publishes and indexes them, and serves
// the portal with httptest. It takes seconds, so TestBrowser builds it once
// for all its flows.
func newBrowserPortal(t *testing.T) *browserPortal {
	t.Helper()
	ctx := t.Context()
	d := publishDemo(t, demo.Options{Regions: 3, Provinces: 1, Years: []int{2023, 2024}, Seed: 1, Scale: 0.3})
	st, pub, in, regions := d.st, d.pub, d.in, dataset.LoadRegions()
	ix, err := search.Open(search.Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	sy := &indexer.Syncer{Store: st, Index: ix, Log: quiet, TempDir: t.TempDir()}
	if err := sy.Build(ctx, d.release); err != nil {
		t.Fatal(err)
	}
	tokens := &token.Registry{Store: st, Regions: regions}
	secret, _, err := tokens.Create(ctx, "32.73", "BPKAD Kota Bandung")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Index: ix, Publisher: pub, Regions: regions, Log: quiet, Tokens: tokens, Store: st, Reports: in, Intake: in,
		Contact: "mailto:ppid@bandung.go.id"})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetReady()
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		in.Wait()
	})
	return &browserPortal{url: ts.URL, bandung: secret, srv: srv}
}

// newBrowser starts headless Chromium and returns a context that holds it.
// Without Chromium the test is skipped, or fails when
// TERBUKA_REQUIRE_BROWSER=1 (set by .ci/run).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("TERBUKA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("TERBUKA_REQUIRE_BROWSER=1 but %s is missing: run `make chromium`", chromiumPath)
		}
		t.Skipf("%s is missing (`make chromium` installs it); skipping the browser tests", chromiumPath)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		// An Indonesian reader's browser: the portal negotiates the
		// language from Accept-Language.
		chromedp.Flag("lang", "id-ID"),
		chromedp.Flag("accept-lang", "id-ID,id"),
		chromedp.UserDataDir(t.TempDir()),
	)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	// The first run starts the browser; it must have no deadline of its
	// own, or the deadline would end the browser.
	start, cancelStart := context.WithTimeout(context.Background(), flowTimeout)
	defer cancelStart()
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(browser) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("start %s: %v", chromiumPath, err)
		}
	case <-start.Done():
		t.Fatalf("start %s: no answer in %s", chromiumPath, flowTimeout)
	}
	return browser
}

// newTab opens a tab in a browser context of its own (its own cookies), with
// a deadline of flowTimeout.
func newTab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(browser, flowTimeout)
	tab, cancelTab := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() {
		cancelTab()
		cancel()
	})
	return tab
}

// open navigates the tab to u and fails the test unless the page loads.
func open(t *testing.T, tab context.Context, u string) *network.Response {
	t.Helper()
	resp, err := chromedp.Run(tab, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	return resp
}

// follow clicks the first element sel finds, waits for the page the click
// loads and fails the test unless it answers 200.
func follow[S chromedp.Selectable](t *testing.T, tab context.Context, sel S) {
	t.Helper()
	from := location(t, tab)
	resp, err := chromedp.RunResponse(tab, chromedp.Click(sel, chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("click %v at %s: %v", sel, from, err)
	}
	if resp.Status != 200 {
		t.Fatalf("click %v at %s: %s answered %d", sel, from, resp.URL, resp.Status)
	}
}

// do runs actions in the tab and fails the test on an error.
func do(t *testing.T, tab context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tab, actions...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression in the tab's page.
func eval[T any](t *testing.T, tab context.Context, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// exists reports whether an XPath finds an element in the page, at once
// (chromedp's queries wait for the element, which would turn a missing
// link into a timeout).
func exists(t *testing.T, tab context.Context, xpath string) bool {
	t.Helper()
	return eval[bool](t, tab, `!!document.evaluate(`+strconv.Quote(xpath)+`, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue`)
}

// location is the tab's address.
func location(t *testing.T, tab context.Context) *url.URL {
	t.Helper()
	s, err := chromedp.Run(tab, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// total is the result count a search page shows ("1.234" → 1234).
func total(t *testing.T, tab context.Context) int {
	t.Helper()
	s := eval[string](t, tab, `document.querySelector('.results .total')?.textContent ?? ""`)
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ".", ""))
	if err != nil {
		t.Fatalf("result count %q at %s: %v", s, location(t, tab), err)
	}
	return n
}

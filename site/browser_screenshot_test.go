package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// screenshotWidths are the viewport widths the main pages are checked at:
// a small phone and a laptop.
var screenshotWidths = []int64{360, 1280}

// artifactsDir is where screenshots go: $TERBUKA_ARTIFACTS, or
// artifacts/screenshots at the module root.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TERBUKA_ARTIFACTS")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		// Tests run in the package directory, one below the module root.
		dir = filepath.Join(filepath.Dir(wd), "artifacts", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// overflow is what the page measures of its width.
type overflow struct {
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	Culprits    []string `json:"culprits"`
}

// measureOverflow reads the document's width against the window's and
// names the outermost elements that stick out on the right, leaving out
// those inside a scrolling or clipping box (a table in .table-wrap).
const measureOverflow = `(() => {
  const w = window.innerWidth;
  const sticksOut = el => el.getBoundingClientRect().right > w + 0.5;
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    for (const c of el.classList) s += '.' + c;
    for (const a of ['data-table', 'data-facet', 'data-field']) if (el.hasAttribute(a)) s += '[' + a + '=' + el.getAttribute(a) + ']';
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return s + ' right=' + Math.round(el.getBoundingClientRect().right) + (text ? ' "' + text + '"' : '');
  };
  const culprits = [];
  if (document.documentElement.scrollWidth > w) {
    for (const el of document.body.querySelectorAll('*')) {
      if (!sticksOut(el) || clipped(el)) continue;
      if (el.parentElement !== document.body && sticksOut(el.parentElement)) continue;
      culprits.push(name(el));
      if (culprits.length === 8) break;
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, culprits};
})()`

func testBrowserScreenshots(t *testing.T, browser context.Context, p *browserPortal) {
	dir := artifactsDir(t)
	record := findRecordURL(t, newTab(t, browser), p)
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"search", "/search?q=jalan"},
		{"record", record},
		{"region", "/wilayah/32.73"},
		{"region_picker", "/wilayah"},
		{"dataset", "/datasets/budget"},
		{"releases", "/releases"},
	}
	var overflowing []string
	for _, width := range screenshotWidths {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tab := newTab(t, browser)
			do(t, tab, chromedp.EmulateViewport(width, 800))
			for _, pg := range pages {
				resp := open(t, tab, p.url+pg.path)
				if resp.Status != 200 {
					t.Errorf("%s answered %d", pg.path, resp.Status)
					continue
				}
				// Measured before the screenshot, which resizes the page
				// to its content for a moment.
				m := eval[overflow](t, tab, measureOverflow)
				png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatalf("screenshot %s: %v", pg.path, err)
				}
				file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", pg.name, width))
				if err := os.WriteFile(file, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("%s", file)
				if m.InnerWidth != int(width) {
					t.Errorf("%s: window is %d px wide, want %d", pg.name, m.InnerWidth, width)
				}
				if m.ScrollWidth > m.InnerWidth {
					overflowing = append(overflowing, fmt.Sprintf("%s (%s) at %d px: document %d px wide; sticking out: %s",
						pg.name, pg.path, width, m.ScrollWidth, strings.Join(m.Culprits, "; ")))
				}
			}
		})
	}
	for _, o := range overflowing {
		t.Errorf("horizontal overflow: %s", o)
	}
}

// findRecordURL is the address of the first hit for jalan, as a reader's
// click would reach it.
func findRecordURL(t *testing.T, tab context.Context, p *browserPortal) string {
	t.Helper()
	openFirstHit(t, tab, p)
	u := location(t, tab)
	return u.RequestURI()
}

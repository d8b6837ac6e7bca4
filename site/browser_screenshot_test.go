package site

import (
	"os"
	"path/filepath"
	"testing"
)

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

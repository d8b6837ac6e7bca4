package dataset

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/internal/testfiles"
)

// TestDocsAreCurrent keeps docs/datasets.md equal to what the schemas say.
func TestDocsAreCurrent(t *testing.T) {
	var b strings.Builder
	if err := WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	testfiles.Golden(t, filepath.Join("..", "docs", "datasets.md"), b.String())
	for _, s := range All() {
		for _, f := range s.Fields {
			if !strings.Contains(b.String(), "| `"+f.Name+"` |") {
				t.Errorf("field %s.%s is not documented", s.Name, f.Name)
			}
		}
	}
}

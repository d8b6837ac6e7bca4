package dataset

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite generated files")

// TestDocsAreCurrent keeps docs/datasets.md equal to what the schemas say.
func TestDocsAreCurrent(t *testing.T) {
	var b strings.Builder
	if err := WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "docs", "datasets.md")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./dataset -update)", err)
	}
	if diff := cmp.Diff(b.String(), string(want)); diff != "" {
		t.Errorf("docs/datasets.md is stale; run go test ./dataset -update (-generated +file):\n%s", diff)
	}
	for _, s := range All() {
		for _, f := range s.Fields {
			if !strings.Contains(b.String(), "| `"+f.Name+"` |") {
				t.Errorf("field %s.%s is not documented", s.Name, f.Name)
			}
		}
	}
}

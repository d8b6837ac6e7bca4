package main

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// allowed lists, for each package of the module, the module packages it may
// import: dependencies point one way, cmd → site → pipeline → publisher,
// search → partition → store → dataset. metrics imports nothing of the
// module: the packages below site offer hooks that cmd wires to it.
var allowed = map[string][]string{
	"dataset":             {},
	"internal/testfiles":  {},
	"metrics":             {},
	"metrics/metricstest": {},
	"store":               {"dataset"},
	"store/storetest":     {"dataset", "store"},
	"demo":                {"dataset"},
	"partition":           {"dataset"},
	"publisher":           {"dataset", "store", "partition", "redflag"},
	"search":              {"dataset"},
	"redflag":             {},
	"search/searchtest":   {"dataset"},
	"intake":              {"dataset"},
	"pipeline":            {"dataset", "store", "partition", "publisher", "intake"},
	"indexer":             {"dataset", "store", "partition", "publisher", "search"},
	"token":               {"dataset", "store"},
	"site/summary":        {"dataset", "store", "partition", "publisher"},
	"site":                {"dataset", "store", "partition", "publisher", "search", "intake", "pipeline", "token", "metrics", "site/summary", "site/chart", "redflag"},
	"site/chart":          {},
	"benchmark":           {"dataset", "store", "partition", "publisher", "search", "indexer", "intake", "pipeline", "demo", "benchmark/anchor"},
	"benchmark/anchor":    {},
	"cmd/terbuka":         {"dataset", "store", "partition", "publisher", "search", "indexer", "intake", "pipeline", "site", "demo", "token", "metrics"},
	"cmd/terbuka-bench":   {"benchmark"},
}

func TestImportDirection(t *testing.T) {
	const module = "github.com/terbuka/terbuka"
	out, err := exec.Command("go", "list", "-json", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		ok, known := allowed[name]
		if !known {
			t.Errorf("package %s is not in the import-direction table; add it", name)
			continue
		}
		for _, imp := range p.Imports {
			dep, inModule := strings.CutPrefix(imp, module+"/")
			if !inModule {
				continue
			}
			if !slices.Contains(ok, dep) {
				t.Errorf("%s imports %s, against the one-way dependency rule", name, dep)
			}
		}
	}
}

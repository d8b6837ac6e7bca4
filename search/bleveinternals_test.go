package search

import (
	"errors"
	"fmt"
	"go/parser"
	gotoken "go/token"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/terbuka/terbuka/dataset"
)

// docColumns is what the columns hold for one document, in the terms of
// the records indexed.
type docColumns struct {
	Dataset, Region string
	// Money is the amount in rupiah, "" for none.
	Money string
	// Date is RFC 3339 in UTC, "" for none.
	Date string
}

// TestBleveInternals checks on a real index what bleveinternals.go assumes
// of Bleve's scorch index, so that a Bleve upgrade breaking it fails here:
// the reader is a snapshot of segments, the columns read from their doc
// values and ids hold what the records say, a document's global number is
// the one Bleve's own id lookup gives, deleted documents are left out, and
// Compact leaves a single segment.
func TestBleveInternals(t *testing.T) {
	ix, fx, _ := openFixture(t)
	// Replacing a partition deletes its documents from the segments already
	// written. Deletions in a segment before another are what tell the
	// global numbering apart from one counting live documents; scorch's
	// background merges may undo that layout, so replace until there.
	smaller := bdgBudget
	smaller.SHA256 = "sha-bdg-budget-2"
	if err := ix.Replace(t.Context(), smaller, fx.records("B1", "B2")); err != nil {
		t.Fatal(err)
	}
	for i := 0; !deletionsBeforeLast(t, ix); i++ {
		if i == 200 {
			t.Fatal("no snapshot with deletions before its last segment")
		}
		p := kabBudget
		p.SHA256 = fmt.Sprintf("sha-kab-budget-%d", i+2)
		if err := ix.Replace(t.Context(), p, fx.records("K1", "K2")); err != nil {
			t.Fatal(err)
		}
	}
	// From the feed rows in fixture_test.go: amount, budget_ceiling or
	// realized as the schema's Amount, announced_at (WIB) as procurement's
	// date; budget and revenue have no date.
	want := map[string]docColumns{
		"B1": {"budget", "32.73", "1800474995.54", ""},
		"B2": {"budget", "32.73", "250000000", ""},
		"P1": {"procurement", "32.73", "1800474995.54", "2024-03-17T03:30:00Z"},
		"P2": {"procurement", "32.73", "125000000", ""},
		"P3": {"procurement", "32.73", "450000000", ""},
		"R1": {"revenue", "32.73", "287654321000", ""},
		"R2": {"revenue", "32.73", "2500000000", ""},
		"K1": {"budget", "32.04", "3000000000", ""},
		"K2": {"budget", "32.04", "120000000.5", ""},
	}
	if diff := cmp.Diff(readColumns(t, ix, fx), want); diff != "" {
		t.Errorf("columns before Compact (-got +want):\n%s", diff)
	}
	if err := ix.Compact(t.Context()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(readColumns(t, ix, fx), want); diff != "" {
		t.Errorf("columns after Compact (-got +want):\n%s", diff)
	}
	r, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	segs, err := snapshotSegments(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 1 {
		t.Fatalf("%d segments after Compact, want 1", len(segs))
	}
	if d := segs[0].deleted; d != nil && !d.IsEmpty() {
		t.Errorf("%d deleted documents after Compact, want none", d.GetCardinality())
	}
}

// deletionsBeforeLast reports whether a segment of ix's current snapshot
// other than the last has deleted documents.
func deletionsBeforeLast(t *testing.T, ix *Index) bool {
	t.Helper()
	r, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	segs, err := snapshotSegments(r)
	if err != nil {
		t.Fatal(err)
	}
	return len(segs) > 1 && slices.ContainsFunc(segs[:len(segs)-1], func(s storedSegment) bool {
		return s.deleted != nil && !s.deleted.IsEmpty()
	})
}

// readColumns returns, by fixture row name, what the columns of the
// current snapshot hold for each live document. It checks on the way that
// the adapter's numbering agrees with Bleve's public id lookup and the id
// column with the record id.
func readColumns(t *testing.T, ix *Index, fx *fixture) map[string]docColumns {
	t.Helper()
	r, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	segs, err := snapshotSegments(r)
	if err != nil {
		t.Fatal(err)
	}
	views, err := ix.cols.views(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != len(segs) {
		t.Fatalf("%d views of %d segments", len(views), len(segs))
	}
	facet := func(name string) int {
		return slices.IndexFunc(ix.plan.facets, func(fs facetSpec) bool { return fs.name == name })
	}
	kind, region := facet(fieldDataset), facet(dataset.FieldRegionCode)
	got := map[string]docColumns{}
	for i, s := range segs {
		v := views[i]
		ids := map[uint64]string{}
		if err := s.visitIDs(func(doc uint64, id string) { ids[doc] = id }); err != nil {
			t.Fatal(err)
		}
		for d := range s.count() {
			if s.deleted != nil && s.deleted.Contains(uint32(d)) {
				continue
			}
			id := ids[d]
			name, ok := fx.names[id]
			if !ok {
				t.Errorf("segment %d document %d has id %q, not a fixture record's", i, d, id)
				continue
			}
			if _, dup := got[name]; dup {
				t.Errorf("%s is live twice", name)
			}
			iid, err := r.InternalID(id)
			if err != nil {
				t.Fatal(err)
			}
			if g := s.start + d; iid.Value() != g || v.start != s.start {
				t.Errorf("%s: global number %d (view from %d), Bleve's lookup gives %d", name, g, v.start, iid.Value())
			}
			// Record ids are 16 hex digits: the id column holds their value.
			if key, err := strconv.ParseUint(id, 16, 64); err != nil || v.cols.id[d] != key {
				t.Errorf("%s: id column %x, record id %s", name, v.cols.id[d], id)
			}
			got[name] = docColumns{
				Dataset: ix.cols.dicts[kind].values()[v.cols.facets[kind][d]],
				Region:  ix.cols.dicts[region].values()[v.cols.facets[region][d]],
				Money:   moneyText(v.cols.money[d]),
				Date:    dateText(v.cols.date[d]),
			}
		}
	}
	if n := docCount(t, ix); n != uint64(len(got)) {
		t.Errorf("DocCount %d, %d live documents in the segments", n, len(got))
	}
	return got
}

func moneyText(rupiah float64) string {
	if math.IsNaN(rupiah) {
		return ""
	}
	return strconv.FormatFloat(rupiah, 'f', -1, 64)
}

func dateText(ns int64) string {
	if ns == noDate {
		return ""
	}
	return time.Unix(0, ns).UTC().Format(time.RFC3339)
}

// TestOpenStoreLocked: a process of a version from before terbuka.lock
// holds only scorch's root.bolt. Open must fail with ErrLocked, not wait
// forever or report an unusable index.
func TestOpenStoreLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Open(Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	db, err := bolt.Open(filepath.Join(path, legacyStore, "root.bolt"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := Open(Config{Path: path, LockTimeout: 50 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Fatalf("Open while root.bolt is held = %v, want ErrLocked", err)
	}
}

// TestBleveInternalsConfined: no other file of the package imports what
// lies past Bleve's public API, so bleveinternals.go stays the one place a
// Bleve upgrade can break.
func TestBleveInternalsConfined(t *testing.T) {
	internals := []string{
		"github.com/blevesearch/bleve/v2/index/",
		"github.com/blevesearch/scorch_segment_api/",
		"github.com/blevesearch/vellum",
		"github.com/blevesearch/zapx/",
		"go.etcd.io/bbolt",
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if name == "bleveinternals.go" || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(gotoken.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if slices.ContainsFunc(internals, func(p string) bool { return strings.HasPrefix(path, p) }) {
				t.Errorf("%s imports %s: Bleve internals belong in bleveinternals.go", name, path)
			}
		}
	}
}

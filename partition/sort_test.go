package partition_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
)

// The sorted writer gives the records sorted by id, none lost or doubled,
// whether they fit one run, spill to a few, or need several merge passes.
func TestSortedPartitionWriter(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("package_id,title,agency_name,method,category,budget_ceiling,supplier_name\n")
	const rows = 1000
	ids := rand.New(rand.NewPCG(1, 2)).Perm(rows)
	for _, i := range ids {
		fmt.Fprintf(&csv, "%d,Paket %d,Dinas PUPR,tender,pekerjaan konstruksi,%d.00,PT Karya %d\n", 5000000+i, i, 1000+i, i%7)
	}
	rep, in := validate(t, intake.Meta{Dataset: "procurement", Region: "32.73", Year: 2024}, csv.String())
	if !rep.OK() {
		t.Fatalf("validate: %+v", rep.Errors[:1])
	}
	s, _ := dataset.Lookup("procurement")
	id := s.Index(dataset.FieldID)
	want := slices.Clone(in)
	slices.SortFunc(want, func(a, b dataset.Record) int { return strings.Compare(a[id].Str, b[id].Str) })
	if slices.EqualFunc(in, want, func(a, b dataset.Record) bool { return a[id] == b[id] }) {
		t.Fatal("the feed is already sorted; the test would prove nothing")
	}
	for _, tc := range []struct {
		name            string
		runBytes, fanIn int
	}{
		{"one run in memory", 1 << 20, 16},
		{"spilled runs, one merge", 16 << 10, 16},
		{"several merge passes", 4 << 10, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			tmp := t.TempDir()
			w := partition.NewSortedWriter(&buf, s, tmp)
			partition.SetRunLimits(w, tc.runBytes, tc.fanIn)
			for _, r := range in {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("%d temporary files left behind", len(left))
			}
			if w.Rows() != rows {
				t.Errorf("Rows() = %d, want %d", w.Rows(), rows)
			}
			var got []dataset.Record
			for r, err := range partition.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), s) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, r)
			}
			if diff := cmp.Diff(got, want); diff != "" {
				t.Fatalf("records differ (-got +want):\n%.2000s", diff)
			}
		})
	}
}

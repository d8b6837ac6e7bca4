package summary

import (
	"slices"
	"testing"

	"github.com/terbuka/terbuka/publisher"
)

// TestRetain keeps the sums of the partitions a release lists and only
// those.
func TestRetain(t *testing.T) {
	z := &Summarizer{sums: map[string]*Summary{"a": newSummary(), "b": newSummary(), "c": newSummary()}}
	z.Retain(&publisher.Manifest{Partitions: []publisher.Partition{{SHA256: "a"}, {SHA256: "c"}, {SHA256: "d"}}})
	if len(z.sums) != 2 || z.sums["a"] == nil || z.sums["c"] == nil {
		t.Errorf("after Retain: %v", z.sums)
	}
}

// TestAppendLargest keeps the largest contracts, largest first, ties by id.
func TestAppendLargest(t *testing.T) {
	var list []Contract
	for i := range 25 {
		list = appendLargest(list, Contract{ID: string(rune('a' + i)), Value: int64(i % 13)})
	}
	var values []int64
	for _, c := range list {
		values = append(values, c.Value)
	}
	if !slices.Equal(values, []int64{12, 11, 11, 10, 10, 9, 9, 8, 8, 7}) {
		t.Fatalf("largest values %v", values)
	}
	for i := 1; i < len(list); i++ {
		a, b := list[i-1], list[i]
		if a.Value < b.Value || a.Value == b.Value && a.ID > b.ID {
			t.Errorf("out of order at %d: %+v then %+v", i, a, b)
		}
	}
}

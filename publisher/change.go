package publisher

import (
	"context"
	"fmt"
)

// Change is what a publisher puts in one slot of the next release.
//
// A feed of a whole partition replaces whatever the slot holds, so its
// Partition goes in as it is. A feed that keeps part of the slot (a budget
// stage, merged with the other stages) was computed from the partition
// live at the time, Base; if another publisher moved the release on in
// the meantime, Publish calls Build with the slot's partition in the
// release that won, so that what the other publisher wrote is kept.
type Change struct {
	// Partition is the slot's new content; a withdrawal (no Path) takes
	// the slot out of the release.
	Partition Partition
	// Base is the SHA-256 of the slot's partition Partition was computed
	// from, "" when the slot was empty. It matters only with Build.
	Base string
	// Build, when set, recomputes the content from base, the slot's
	// partition in the release about to be the parent (nil when empty).
	Build func(ctx context.Context, base *Partition) (Partition, error)
}

// Replacing is the changes of partitions that each replace their slot.
func Replacing(parts ...Partition) []Change {
	out := make([]Change, len(parts))
	for i, p := range parts {
		out[i] = Change{Partition: p}
	}
	return out
}

// rebase brings each change that depends on its slot up to parent: a
// change built from another content of the slot is built again.
func rebase(ctx context.Context, parent *Manifest, changes []Change) error {
	for i := range changes {
		c := &changes[i]
		if c.Build == nil {
			continue
		}
		var base *Partition
		parentID := "(none)"
		if parent != nil {
			parentID = parent.ID
			if p, ok := parent.Partition(c.Partition.Key()); ok {
				base = &p
			}
		}
		sum := ""
		if base != nil {
			sum = base.SHA256
		}
		if sum == c.Base {
			continue
		}
		p, err := c.Build(ctx, base)
		if err != nil {
			return fmt.Errorf("rebase %s onto release %s: %w", c.Partition.Key(), parentID, err)
		}
		c.Partition, c.Base = p, sum
	}
	return nil
}

package search

import (
	"strconv"
	"sync/atomic"
)

// Version identifies what searches of an index see at one moment: it
// changes with every write that may change an answer (a batch of Replace,
// Remove or a Loader, a Compact) and with every Live.Swap or Close. Equal
// versions of one Index or Live mean equal answers to equal queries, so a
// Version keys cached results. It is the state of this process only: two
// processes, or one restarted, count from the start again.
type Version struct {
	// gen counts a Live's swaps; always 0 for an Index on its own.
	gen uint64
	// writes counts the changes of the index gen refers to.
	writes uint64
}

// String returns the version as "generation.writes".
func (v Version) String() string {
	return strconv.FormatUint(v.gen, 10) + "." + strconv.FormatUint(v.writes, 10)
}

// after reports whether v is newer than w. A Live's generations only grow,
// and so do an index's writes, so versions of one Index or Live are
// ordered.
func (v Version) after(w Version) bool {
	return v.gen > w.gen || v.gen == w.gen && v.writes > w.writes
}

// changeCounter counts an index's changes.
type changeCounter struct{ n atomic.Uint64 }

// bump counts a change. It is called once the change is visible to new
// searches, so a search that read the version after it sees the change.
func (c *changeCounter) bump() { c.n.Add(1) }

// Version returns the index's current version.
func (ix *Index) Version() Version {
	return Version{writes: ix.changes.n.Load()}
}

// Version returns the version of what new searches use: the current
// index's, within the current generation.
func (l *Live) Version() Version {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return Version{gen: l.swaps}
	}
	return Version{gen: l.cur.seq, writes: l.cur.ix.changes.n.Load()}
}

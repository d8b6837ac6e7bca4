package search

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// cacheSource is what a Cache answers for: an *Index, or the *Live a
// server swaps index generations in.
type cacheSource interface {
	Search(ctx context.Context, q Query) (*Result, error)
	Line(ctx context.Context, id string) ([]Stage, error)
	Locate(ctx context.Context, id string) (Hit, bool, error)
	DocCount() (uint64, error)
	Version() Version
}

// Cache answers searches from memory when the same query was answered
// before by the same version of the index. A release is immutable, so
// between two writes an answer is a function of the query alone; the
// index's Version changes with every write and every swap, and the first
// search that sees a new version empties the cache.
//
// It holds at most maxBytes of results (by resultBytes' estimate), least
// recently used first out. Concurrent searches of one query that is not
// cached run it once. Errors are not cached, nor is a search that was
// cancelled: the next caller runs it again; nor are pages after a cursor
// (Query.After).
//
// The results it returns are shared between callers and must not be
// changed: neither the Result nor its Hits, Facets, maps or slices.
// Safe for concurrent use.
type Cache struct {
	src      cacheSource
	maxBytes int64

	mu sync.Mutex
	// version is the newest version seen; every entry is of it.
	version Version
	entries map[string]*list.Element // of *cacheEntry, by cacheKey
	lru     list.List                // most recently used at the front
	bytes   int64
	// flights are the searches running, by version and key.
	flights map[flightKey]*flight

	hits, misses, evictions, dropped atomic.Uint64
}

// cacheEntry is one cached result.
type cacheEntry struct {
	key   string
	res   *Result
	bytes int64
}

// flightKey names a running search: the same query of another version is
// another search.
type flightKey struct {
	version Version
	key     string
}

// flight is a search that one or more callers wait for.
type flight struct {
	key  flightKey
	done chan struct{}
	res  *Result
	err  error
	// waiters counts the callers still waiting (guarded by Cache.mu);
	// when the last one gives up, cancel stops the search.
	waiters int
	cancel  context.CancelFunc
}

// NewCache returns a cache of src's results of at most maxBytes.
func NewCache(src cacheSource, maxBytes int64) *Cache {
	return &Cache{src: src, maxBytes: maxBytes, entries: map[string]*list.Element{}, flights: map[flightKey]*flight{}}
}

// CacheStats are a Cache's counts since it was made.
type CacheStats struct {
	// Hits and Misses count searches answered from memory and not.
	Hits, Misses uint64
	// Evictions counts results dropped to make room; Dropped, those
	// dropped because the index changed.
	Evictions, Dropped uint64
	// Bytes is the estimated size of the results held, at most MaxBytes.
	Bytes, MaxBytes int64
	Entries         int
}

// Stats returns the cache's counts.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Evictions: c.evictions.Load(), Dropped: c.dropped.Load(),
		Bytes: c.bytes, MaxBytes: c.maxBytes, Entries: len(c.entries)}
}

// Search answers q from memory, or runs it (see Index.Search). The result
// is shared: it must not be changed.
func (c *Cache) Search(ctx context.Context, q Query) (*Result, error) {
	q = normalize(q)
	key := cacheKey(q)
	// The version is read before searching: a search that runs while the
	// index changes is kept under the older version, which the change
	// drops, never under the newer one.
	v := c.src.Version()
	// A page after a cursor is read once, by an export or a script going
	// through every page: kept, hundreds of them would push out the
	// searches people repeat.
	if key == "" || q.After != "" {
		c.misses.Add(1)
		return c.src.Search(ctx, q)
	}
	c.mu.Lock()
	if res, ok := c.lookup(v, key); ok {
		c.mu.Unlock()
		c.hits.Add(1)
		return res, nil
	}
	c.misses.Add(1)
	fk := flightKey{v, key}
	f := c.flights[fk]
	if f == nil {
		f = c.start(ctx, fk, q)
	}
	f.waiters++
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.res, f.err
	case <-ctx.Done():
		c.leave(f)
		return nil, fmt.Errorf("search: %w", ctx.Err())
	}
}

// lookup returns the cached result of key at version v, moving it to the
// front. A newer v empties the cache first. Call with c.mu held.
func (c *Cache) lookup(v Version, key string) (*Result, bool) {
	if v.after(c.version) {
		c.dropAll(v)
	}
	if v != c.version {
		return nil, false
	}
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*cacheEntry).res, true
}

// start runs the search of fk in the background, for every caller that
// waits for it; it does not end with the caller that started it, only
// when every caller has given up. Call with c.mu held.
func (c *Cache) start(ctx context.Context, fk flightKey, q Query) *flight {
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f := &flight{key: fk, done: make(chan struct{}), cancel: cancel}
	c.flights[fk] = f
	go func() {
		defer cancel()
		res, err := c.src.Search(sctx, q)
		c.mu.Lock()
		c.land(f)
		// A search the callers gave up on may have ended early with a
		// partial answer or none: it is not kept.
		if err == nil && sctx.Err() == nil {
			c.add(fk, res)
		}
		c.mu.Unlock()
		f.res, f.err = res, err
		close(f.done)
	}()
	return f
}

// leave takes a caller that gave up off f; the last one stops the search,
// which later callers then do not join.
func (c *Cache) leave(f *flight) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f.waiters--; f.waiters == 0 {
		f.cancel()
		c.land(f)
	}
}

// land forgets f as the running search of its key. Call with c.mu held.
func (c *Cache) land(f *flight) {
	if c.flights[f.key] == f {
		delete(c.flights, f.key)
	}
}

// add keeps res as the result of fk if fk's version is still the newest,
// then evicts the least recently used results until the cache fits. A
// result larger than the whole cache is not kept. Call with c.mu held.
func (c *Cache) add(fk flightKey, res *Result) {
	if fk.version.after(c.version) {
		c.dropAll(fk.version)
	}
	if fk.version != c.version {
		return
	}
	n := resultBytes(res) + entryBytes(fk.key)
	if n > c.maxBytes {
		return
	}
	if old, ok := c.entries[fk.key]; ok {
		c.remove(old)
	}
	c.entries[fk.key] = c.lru.PushFront(&cacheEntry{key: fk.key, res: res, bytes: n})
	c.bytes += n
	for c.bytes > c.maxBytes {
		c.remove(c.lru.Back())
		c.evictions.Add(1)
	}
}

// dropAll empties the cache for version v.
func (c *Cache) dropAll(v Version) {
	c.dropped.Add(uint64(len(c.entries)))
	c.version = v
	c.entries = map[string]*list.Element{}
	c.lru.Init()
	c.bytes = 0
}

func (c *Cache) remove(e *list.Element) {
	ce := c.lru.Remove(e).(*cacheEntry)
	delete(c.entries, ce.key)
	c.bytes -= ce.bytes
}

// Line returns the stages of a budget record's line, not cached: a record
// page asks for one line once.
func (c *Cache) Line(ctx context.Context, id string) ([]Stage, error) {
	return c.src.Line(ctx, id)
}

// Locate finds the document of a record, not cached; see Index.Locate.
func (c *Cache) Locate(ctx context.Context, id string) (Hit, bool, error) {
	return c.src.Locate(ctx, id)
}

// DocCount returns the number of documents in the index.
func (c *Cache) DocCount() (uint64, error) {
	return c.src.DocCount()
}

// Version returns the version of the index searched.
func (c *Cache) Version() Version {
	return c.src.Version()
}

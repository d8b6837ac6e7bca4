package search

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/terbuka/terbuka/dataset"
)

// Live is the index a server searches. Swap replaces it with another (a
// newer generation) while searches run: new searches use the new index at
// once, and the old one is closed only after the searches already running
// on it have finished, so no search ever meets a closed index. Safe for
// concurrent use.
type Live struct {
	// mu guards cur and swaps; a reader holds it only to register with
	// cur.
	mu  sync.RWMutex
	cur *generation
	// swaps numbers the generations, for Version: the current one is
	// number swaps (or, after Close, none is).
	swaps uint64
}

// generation is one index of a Live and the searches that use it.
type generation struct {
	ix *Index
	// seq is the generation's number in its Live (Version).
	seq uint64
	// users counts the callers between Current and release. Add is only
	// called under Live.mu while the generation is current, so once Swap
	// has replaced it (under the write lock) Wait sees every user.
	users sync.WaitGroup
}

// errLiveClosed is what a search of a closed Live returns.
var errLiveClosed = fmt.Errorf("search index is closed: %w", dataset.ErrUnavailable)

// NewLive returns a Live that searches ix until a Swap.
func NewLive(ix *Index) *Live {
	return &Live{cur: &generation{ix: ix, seq: 1}, swaps: 1}
}

// Current returns the index new searches use, and release, which the caller
// must call once done with it: until then the index stays open, even if a
// Swap has replaced it. After Close it returns nil and a release that does
// nothing.
func (l *Live) Current() (ix *Index, release func()) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	g := l.cur
	if g == nil {
		return nil, func() {}
	}
	g.users.Add(1)
	return g.ix, sync.OnceFunc(g.users.Done)
}

// Search runs q on the current index; see Index.Search.
func (l *Live) Search(ctx context.Context, q Query) (*Result, error) {
	ix, release := l.Current()
	defer release()
	if ix == nil {
		return nil, fmt.Errorf("search: %w", errLiveClosed)
	}
	return ix.Search(ctx, q)
}

// Line returns the stages of a budget record's line; see Index.Line.
func (l *Live) Line(ctx context.Context, id string) ([]Stage, error) {
	ix, release := l.Current()
	defer release()
	if ix == nil {
		return nil, fmt.Errorf("find a line: %w", errLiveClosed)
	}
	return ix.Line(ctx, id)
}

// Locate finds the document of a record; see Index.Locate.
func (l *Live) Locate(ctx context.Context, id string) (Hit, bool, error) {
	ix, release := l.Current()
	defer release()
	if ix == nil {
		return Hit{}, false, fmt.Errorf("locate a record: %w", errLiveClosed)
	}
	return ix.Locate(ctx, id)
}

// DocCount returns the number of documents in the current index.
func (l *Live) DocCount() (uint64, error) {
	ix, release := l.Current()
	defer release()
	if ix == nil {
		return 0, fmt.Errorf("count documents: %w", errLiveClosed)
	}
	return ix.DocCount()
}

// Swap makes new searches use next, then waits for the searches still
// running on the previous index and closes it. It returns the error of
// that close.
func (l *Live) Swap(next *Index) error {
	if next == nil {
		panic("search: Live.Swap(nil)")
	}
	return l.replace(&generation{ix: next})
}

// Close waits for running searches and closes the current index; later
// searches fail with an error wrapping dataset.ErrUnavailable.
func (l *Live) Close() error {
	return l.replace(nil)
}

func (l *Live) replace(next *generation) error {
	l.mu.Lock()
	old := l.cur
	l.swaps++
	if next != nil {
		next.seq = l.swaps
	}
	l.cur = next
	l.mu.Unlock()
	if old == nil {
		return nil
	}
	old.users.Wait()
	return old.ix.Close()
}

// Dir is a directory of index generations, each a complete index:
//
//	{dir}/CURRENT       names the live generation, e.g. "gen-000002"
//	{dir}/gen-000001/   an older generation, removed once no process has it open
//	{dir}/gen-000002/   the live generation
//	{dir}/gen-000003/   a generation being built, not current until complete
//
// A rebuild fills a new generation aside and then points CURRENT at it by
// renaming a new file over it, so a crash leaves the old generation live;
// a server holding an older generation open switches when it notices.
// Generation numbers only grow.
type Dir string

// Names inside a Dir.
const (
	currentFile = "CURRENT"
	genPrefix   = "gen-"
	genFormat   = genPrefix + "%06d"
	// legacyMeta and legacyStore are what an index kept directly in the
	// directory, before generations, consists of.
	legacyMeta  = "index_meta.json"
	legacyStore = "store"
)

// Current returns the name of the live generation. With no CURRENT file
// the error wraps dataset.ErrNotFound; when it names no generation, it
// wraps dataset.ErrInvalid.
func (d Dir) Current() (string, error) {
	b, err := os.ReadFile(filepath.Join(string(d), currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read current index generation: %s has none: %w", d, dataset.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("read current index generation: %w", err)
	}
	gen := strings.TrimSpace(string(b))
	if _, ok := genNumber(gen); !ok {
		return "", fmt.Errorf("read current index generation: %s/%s holds %.40q: %w", d, currentFile, gen, dataset.ErrInvalid)
	}
	return gen, nil
}

// Open opens generation gen with cfg (its Path is set here). A generation
// that does not exist is an error wrapping dataset.ErrNotFound, not a new
// empty index.
func (d Dir) Open(gen string, cfg Config) (*Index, error) {
	if _, ok := genNumber(gen); !ok {
		return nil, fmt.Errorf("open index generation %q: %w", gen, dataset.ErrInvalid)
	}
	cfg.Path = filepath.Join(string(d), gen)
	return open(cfg, false)
}

// Path returns the directory of generation gen.
func (d Dir) Path(gen string) string {
	return filepath.Join(string(d), gen)
}

// NewGeneration creates the directory of a new generation, numbered above
// every existing one and the current one, and returns its name. Creating
// the directory claims the number, so concurrent builds get different ones.
func (d Dir) NewGeneration() (string, error) {
	if err := os.MkdirAll(string(d), 0o755); err != nil {
		return "", fmt.Errorf("new index generation: %w", err)
	}
	for {
		last, err := d.lastNumber()
		if err != nil {
			return "", fmt.Errorf("new index generation: %w", err)
		}
		gen := fmt.Sprintf(genFormat, last+1)
		err = os.Mkdir(d.Path(gen), 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue // another build claimed it first
		}
		if err != nil {
			return "", fmt.Errorf("new index generation: %w", err)
		}
		return gen, nil
	}
}

// lastNumber returns the highest generation number in d or in CURRENT.
func (d Dir) lastNumber() (int, error) {
	entries, err := os.ReadDir(string(d))
	if err != nil {
		return 0, err
	}
	last := 0
	for _, e := range entries {
		if n, ok := genNumber(e.Name()); ok {
			last = max(last, n)
		}
	}
	if cur, err := d.Current(); err == nil {
		n, _ := genNumber(cur)
		last = max(last, n)
	}
	return last, nil
}

// SetCurrent makes gen the live generation: CURRENT is written to a
// temporary file, synced, and renamed over the old one. Moving CURRENT to
// an older generation is an error wrapping dataset.ErrConflict: a newer one
// was built meanwhile, and generations only move forward.
func (d Dir) SetCurrent(gen string) error {
	n, ok := genNumber(gen)
	if !ok {
		return fmt.Errorf("set current index generation %q: %w", gen, dataset.ErrInvalid)
	}
	if cur, err := d.Current(); err == nil {
		if c, _ := genNumber(cur); c > n {
			return fmt.Errorf("set current index generation %s: %s is newer: %w", gen, cur, dataset.ErrConflict)
		}
	}
	if err := d.writeCurrent(gen); err != nil {
		return fmt.Errorf("set current index generation %s: %w", gen, err)
	}
	return nil
}

func (d Dir) writeCurrent(gen string) error {
	f, err := os.CreateTemp(string(d), currentFile+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename, there is nothing to remove
	_, err = f.WriteString(gen + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(f.Name(), filepath.Join(string(d), currentFile)); err != nil {
		return err
	}
	return syncDir(string(d))
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// RemoveOld removes every generation older than gen that no process has
// open, and an index kept directly in d by versions before generations.
// A generation still open (a server that has not switched yet) is left for
// that process to remove. It returns the names it removed.
func (d Dir) RemoveOld(gen string) ([]string, error) {
	keep, ok := genNumber(gen)
	if !ok {
		return nil, fmt.Errorf("remove old index generations: %q: %w", gen, dataset.ErrInvalid)
	}
	entries, err := os.ReadDir(string(d))
	if err != nil {
		return nil, fmt.Errorf("remove old index generations: %w", err)
	}
	var removed []string
	for _, e := range entries {
		name := e.Name()
		n, isGen := genNumber(name)
		done := false
		switch {
		case isGen && n < keep:
			done, err = removeUnused(d.Path(name), func() error { return os.RemoveAll(d.Path(name)) })
		case name == legacyMeta:
			done, err = removeUnused(string(d), func() error {
				return errors.Join(os.RemoveAll(d.Path(legacyStore)), os.Remove(d.Path(legacyMeta)))
			})
		}
		if err != nil {
			return removed, fmt.Errorf("remove old index generations: %w", err)
		}
		if done {
			removed = append(removed, name)
		}
	}
	return removed, nil
}

// Remove removes generation gen, such as one whose build failed.
func (d Dir) Remove(gen string) error {
	if _, ok := genNumber(gen); !ok {
		return fmt.Errorf("remove index generation %q: %w", gen, dataset.ErrInvalid)
	}
	if err := os.RemoveAll(d.Path(gen)); err != nil {
		return fmt.Errorf("remove index generation %s: %w", gen, err)
	}
	return nil
}

// removeUnused calls remove unless a process has the index at path open
// (lock.go), and reports whether it did. It holds the index's lock
// meanwhile, so that no one opens the index half removed.
func removeUnused(path string, remove func() error) (bool, error) {
	// An error (no lock file: never opened, or already removed) is no
	// one having the index open.
	l, held, _ := tryLock(path, false)
	if held {
		return false, nil
	}
	defer l.release()
	return true, remove()
}

// genNumber returns the number of a generation name such as "gen-000002".
func genNumber(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, genPrefix)
	if !ok || len(digits) < 6 || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil && n > 0
}

package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/terbuka/terbuka/dataset"
)

// Names under the root that hold no objects: temporary files being written,
// and the file whose flock serialises renames and deletes across processes.
const (
	tmpDir   = ".tmp"
	lockFile = ".lock"
)

// Dir is a Store keeping each object as a file under a root directory, at
// the path its key names. Writes go to a temporary file under root/.tmp,
// are synced, and are renamed into place, so readers see the old or the new
// content and never a part. Every rename and delete holds an exclusive flock
// on root/.lock, which makes conditional puts atomic across processes.
//
// A key cannot be both an object and a prefix of other keys' directories
// ("a" and "a/b"); the second put fails with ErrInvalid.
type Dir struct {
	path string
	root *os.Root
	lock *os.File
	mu   sync.Mutex // serialises this Dir's use of lock; flock works per open file
}

// OpenDir opens the directory store at root, creating it if needed.
func OpenDir(root string) (*Dir, error) {
	if root == "" {
		return nil, fmt.Errorf("open dir store: empty path: %w", dataset.ErrInvalid)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("open dir store %s: %w", root, err)
	}
	if err := os.MkdirAll(filepath.Join(abs, tmpDir), 0o755); err != nil {
		return nil, fmt.Errorf("open dir store: %w", err)
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("open dir store: %w", err)
	}
	lock, err := r.OpenFile(lockFile, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("open dir store: %w", err)
	}
	d := &Dir{path: abs, root: r, lock: lock}
	if err := d.sweepTemp(); err != nil {
		d.Close()
		return nil, fmt.Errorf("open dir store: sweep %s: %w", tmpDir, err)
	}
	return d, nil
}

// Close releases the directory handles. The Dir must not be used after.
func (d *Dir) Close() error {
	return errors.Join(d.lock.Close(), d.root.Close())
}

// String returns "dir:" and the absolute root.
func (d *Dir) String() string { return "dir:" + d.path }

// Get opens the file under key.
func (d *Dir) Get(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	f, obj, err := d.open(ctx, key)
	if err != nil {
		return nil, Object{}, fmt.Errorf("get %s: %w", key, err)
	}
	return f, obj, nil
}

// GetRange opens a section of the file under key.
func (d *Dir) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := checkRange(key, offset, length); err != nil {
		return nil, err
	}
	f, obj, err := d.open(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("get range %s: %w", key, err)
	}
	if length != 0 && offset >= obj.Size {
		f.Close()
		return nil, fmt.Errorf("get range %s: offset %d at or past the end (%d bytes): %w", key, offset, obj.Size, dataset.ErrInvalid)
	}
	n := max(obj.Size-offset, 0)
	if length >= 0 {
		n = min(n, length)
	}
	return readCloser{io.NewSectionReader(f, offset, n), f.Close}, nil
}

func (d *Dir) open(ctx context.Context, key string) (*os.File, Object, error) {
	if err := ValidKey(key); err != nil {
		return nil, Object{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, Object{}, err
	}
	f, err := d.root.Open(key)
	if isNotExist(err) {
		return nil, Object{}, dataset.ErrNotFound
	}
	if err != nil {
		return nil, Object{}, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = dataset.ErrNotFound
	}
	if err != nil {
		f.Close()
		return nil, Object{}, err
	}
	return f, objectOf(key, fi), nil
}

// Stat describes the file under key.
func (d *Dir) Stat(ctx context.Context, key string) (Object, error) {
	if err := ValidKey(key); err != nil {
		return Object{}, fmt.Errorf("stat: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Object{}, fmt.Errorf("stat %s: %w", key, err)
	}
	obj, err := d.stat(key)
	if err != nil {
		return Object{}, fmt.Errorf("stat %s: %w", key, err)
	}
	return obj, nil
}

func (d *Dir) stat(key string) (Object, error) {
	fi, err := d.root.Stat(key)
	if isNotExist(err) || err == nil && !fi.Mode().IsRegular() {
		return Object{}, dataset.ErrNotFound
	}
	if err != nil {
		return Object{}, err
	}
	return objectOf(key, fi), nil
}

// objectOf describes a file. The ETag joins inode, size and mtime, which
// together change whenever a rename replaces the file.
func objectOf(key string, fi fs.FileInfo) Object {
	var ino uint64
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ino = st.Ino
	}
	mod := fi.ModTime()
	etag := strconv.FormatUint(ino, 16) + "-" + strconv.FormatInt(fi.Size(), 16) + "-" + strconv.FormatInt(mod.UnixNano(), 16)
	return Object{Key: key, Size: fi.Size(), ETag: etag, Modified: mod}
}

// List walks the directories that can hold keys with prefix.
func (d *Dir) List(ctx context.Context, prefix string, fn func(Object) error) error {
	return d.walk(ctx, ".", "", prefix, fn)
}

// entry is a directory entry with the name it sorts by: directories sort
// as their name plus "/", which puts their keys in S3's byte order.
type entry struct {
	sortKey string
	dirent  fs.DirEntry
}

// walk visits dir, whose keys start with dirKey ("" at the root), in key order.
func (d *Dir) walk(ctx context.Context, dir, dirKey, prefix string, fn func(Object) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("list %s: %w", prefix, err)
	}
	entries, err := d.readDir(dir, dirKey, prefix)
	if err != nil {
		return fmt.Errorf("list %s: %w", prefix, err)
	}
	for _, e := range entries {
		if e.dirent.IsDir() {
			if err := d.walk(ctx, path.Join(dir, e.dirent.Name()), e.sortKey, prefix, fn); err != nil {
				return err
			}
			continue
		}
		fi, err := e.dirent.Info()
		if isNotExist(err) {
			continue // deleted since the directory was read
		}
		if err != nil {
			return fmt.Errorf("list %s: %w", prefix, err)
		}
		if err := fn(objectOf(e.sortKey, fi)); err != nil {
			return err
		}
	}
	return nil
}

// readDir returns the entries of dir that are or may hold keys with prefix,
// sorted. A directory deleted meanwhile has no entries.
func (d *Dir) readDir(dir, dirKey, prefix string) ([]entry, error) {
	f, err := d.root.Open(dir)
	if isNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dirents, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	var entries []entry
	for _, de := range dirents {
		key := dirKey + de.Name()
		switch {
		case de.IsDir() && (strings.HasPrefix(key+"/", prefix) || strings.HasPrefix(prefix, key+"/")):
			if dirKey != "" || !reserved[de.Name()] {
				entries = append(entries, entry{key + "/", de})
			}
		case de.Type().IsRegular() && strings.HasPrefix(key, prefix) && ValidKey(key) == nil:
			entries = append(entries, entry{key, de})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.sortKey, b.sortKey) })
	return entries, nil
}

// isNotExist reports a missing file, including one whose parent is a file.
func isNotExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

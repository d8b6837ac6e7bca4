package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"syscall"
	"time"

	"github.com/terbuka/terbuka/dataset"
)

// Put stores r under key by writing a temporary file and renaming it.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) (Object, error) {
	if err := checkPut(key, size, opts); err != nil {
		return Object{}, err
	}
	obj, err := d.put(ctx, key, ctxReader{ctx, r}, size, opts)
	if err != nil {
		return Object{}, fmt.Errorf("put %s: %w", key, err)
	}
	return obj, nil
}

// PutFile copies the local file at path under key.
func (d *Dir) PutFile(ctx context.Context, key, path string, opts PutOptions) (Object, error) {
	if err := checkPut(key, -1, opts); err != nil {
		return Object{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return Object{}, fmt.Errorf("put %s: %w", key, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Object{}, fmt.Errorf("put %s: %w", key, err)
	}
	// The bare *os.File lets io.Copy use copy_file_range.
	obj, err := d.put(ctx, key, f, fi.Size(), opts)
	if err != nil {
		return Object{}, fmt.Errorf("put %s: %w", key, err)
	}
	return obj, nil
}

func (d *Dir) put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) (Object, error) {
	if err := ctx.Err(); err != nil {
		return Object{}, err
	}
	tmp, f, obj, err := d.writeTemp(r, size)
	// After a successful rename the temporary name is gone and this fails harmlessly.
	defer d.root.Remove(tmp)
	if f != nil {
		// Closing drops the file's lock: only once it is renamed.
		defer f.Close()
	}
	if err != nil {
		return Object{}, err
	}
	if err := d.commit(tmp, key, opts); err != nil {
		return Object{}, err
	}
	obj.Key = key
	// Outside the lock a Delete of key may have pruned the directory; the
	// put still happened, before that delete.
	if err := d.syncDir(path.Dir(key)); err != nil && !isNotExist(err) {
		return Object{}, err
	}
	return obj, nil
}

// writeTemp copies r into a new synced file under .tmp and describes it.
// Its mtime is set from the clock with full nanoseconds: ext4 and others
// stamp files with a coarse tick, and the ETag must differ even when an
// inode number is reused for a same-sized file within one tick.
func (d *Dir) writeTemp(r io.Reader, size int64) (string, *os.File, Object, error) {
	tmp, f, err := d.createLocked()
	if err != nil {
		return tmp, f, Object{}, err
	}
	if size >= 0 {
		r = io.LimitReader(r, size)
	}
	n, err := io.Copy(f, r)
	if err != nil {
		return tmp, f, Object{}, err
	}
	if size >= 0 && n != size {
		return tmp, f, Object{}, fmt.Errorf("read %d bytes, expected %d: %w", n, size, dataset.ErrInvalid)
	}
	now := time.Now()
	if err := d.root.Chtimes(tmp, now, now); err != nil {
		return tmp, f, Object{}, err
	}
	if err := f.Sync(); err != nil {
		return tmp, f, Object{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		return tmp, f, Object{}, err
	}
	return tmp, f, objectOf("", fi), nil
}

// createLocked creates a new temporary file and takes its lock, held
// until the file is renamed or removed: the sweep at OpenDir removes only
// temporary files nobody holds (see sweepTemp). A sweep may take the lock
// between the creation and the writer's lock and remove the file; the
// writer then finds its file gone from its name and makes another.
func (d *Dir) createLocked() (string, *os.File, error) {
	for {
		tmp := tmpDir + "/" + rand.Text()
		f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return tmp, nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			return tmp, f, err
		}
		mine, err1 := f.Stat()
		named, err2 := d.root.Stat(tmp)
		if err1 == nil && err2 == nil && os.SameFile(mine, named) {
			return tmp, f, nil
		}
		f.Close()
	}
}

// sweepTemp removes the temporary files of writers that died (kill -9, a
// crash): those no process holds a lock on. It reads no clock, so a skew
// between machines sharing the directory cannot make it remove a live
// writer's file.
func (d *Dir) sweepTemp() error {
	entries, err := fs.ReadDir(d.root.FS(), tmpDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := tmpDir + "/" + e.Name()
		f, err := d.root.Open(name)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			d.root.Remove(name)
		}
		f.Close()
	}
	return nil
}

// commit renames tmp to key under the lock, after checking the condition.
// Directories are created under the lock too, so a concurrent Delete
// cannot prune them between creation and rename.
func (d *Dir) commit(tmp, key string, opts PutOptions) error {
	unlock, err := d.acquire()
	if err != nil {
		return err
	}
	defer unlock()
	if err := d.check(key, opts); err != nil {
		return err
	}
	err = d.mkdirs(path.Dir(key))
	if err == nil {
		err = d.root.Rename(tmp, key)
	}
	if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.EEXIST) {
		return fmt.Errorf("key collides with a directory or file of another key: %w: %w", dataset.ErrInvalid, err)
	}
	return err
}

// check enforces a conditional put; the caller holds the lock.
func (d *Dir) check(key string, opts PutOptions) error {
	if !opts.conditional() {
		return nil
	}
	cur, err := d.stat(key)
	switch {
	case errors.Is(err, dataset.ErrNotFound):
		if opts.IfMatch != "" {
			return fmt.Errorf("if-match %s: object absent: %w", opts.IfMatch, dataset.ErrConflict)
		}
		return nil
	case err != nil:
		return err
	case opts.IfAbsent:
		return fmt.Errorf("if-absent: object exists: %w", dataset.ErrConflict)
	case cur.ETag != opts.IfMatch:
		return fmt.Errorf("if-match %s: etag is %s: %w", opts.IfMatch, cur.ETag, dataset.ErrConflict)
	}
	return nil
}

// acquire takes the store-wide lock and returns its release.
func (d *Dir) acquire() (func(), error) {
	d.mu.Lock()
	for {
		err := syscall.Flock(int(d.lock.Fd()), syscall.LOCK_EX)
		if err == nil {
			break
		}
		if err != syscall.EINTR {
			d.mu.Unlock()
			return nil, fmt.Errorf("lock %s: %w", d.path, err)
		}
	}
	return func() {
		syscall.Flock(int(d.lock.Fd()), syscall.LOCK_UN)
		d.mu.Unlock()
	}, nil
}

// mkdirs creates dir and its parents, syncing each parent that gains an
// entry so that a crash cannot lose the path to a renamed file.
func (d *Dir) mkdirs(dir string) error {
	if fi, err := d.root.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	if err := d.mkdirs(path.Dir(dir)); err != nil {
		return err
	}
	if err := d.root.Mkdir(dir, 0o755); err != nil {
		return err
	}
	return d.syncDir(path.Dir(dir))
}

func (d *Dir) syncDir(dir string) error {
	f, err := d.root.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Delete removes the file under key and the directories it leaves empty.
func (d *Dir) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	unlock, err := d.acquire()
	if err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	defer unlock()
	fi, err := d.root.Lstat(key)
	if isNotExist(err) || err == nil && fi.IsDir() {
		return nil
	}
	if err == nil {
		err = d.root.Remove(key)
	}
	if err == nil {
		err = d.syncDir(d.prune(path.Dir(key)))
	}
	if err != nil && !isNotExist(err) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// prune removes dir and its parents while they are empty and returns the
// first one that remains.
func (d *Dir) prune(dir string) string {
	for dir != "." && d.root.Remove(dir) == nil {
		dir = path.Dir(dir)
	}
	return dir
}

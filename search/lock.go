package search

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// An Index holds an exclusive flock on lockName in its directory while it
// is open: one process at a time writes an index, and RemoveOld leaves
// alone a generation a server still searches. The kernel drops the lock
// when the process ends, kill -9 included, so a crashed process never
// leaves an index locked and the file's presence means nothing. flock
// locks belong to the open file, so a second Open in the same process is
// refused too.
const lockName = "terbuka.lock"

// lockPoll is how often Open tries again for a lock another Index holds.
const lockPoll = 20 * time.Millisecond

// dirLock is the held lock of an index directory.
type dirLock struct{ f *os.File }

// lockDir takes the lock of the index directory dir, waiting up to wait
// while another Index holds it; then the error wraps ErrLocked. An error
// wrapping fs.ErrNotExist means dir does not exist.
func lockDir(dir string, wait time.Duration) (*dirLock, error) {
	deadline := time.Now().Add(wait)
	for {
		l, held, err := tryLock(dir, true)
		switch {
		case err != nil:
			return nil, fmt.Errorf("lock %s: %w", filepath.Join(dir, lockName), err)
		case !held:
			return l, nil
		case time.Now().After(deadline):
			return nil, ErrLocked
		}
		time.Sleep(lockPoll)
	}
}

// tryLock takes the lock of dir unless another Index holds it, which held
// reports. Without create, a missing lock file is a lock no one holds:
// l is then nil, and err wraps fs.ErrNotExist.
func tryLock(dir string, create bool) (l *dirLock, held bool, err error) {
	path := filepath.Join(dir, lockName)
	flag := os.O_RDWR
	if create {
		flag |= os.O_CREATE
	}
	for {
		f, err := os.OpenFile(path, flag, 0o644)
		if err != nil {
			return nil, false, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, true, nil
			}
			return nil, false, err
		}
		// RemoveOld may have removed the directory between the open and
		// the flock: a lock on a removed file guards nothing.
		mine, err := f.Stat()
		if err == nil {
			var named os.FileInfo
			if named, err = os.Stat(path); err == nil && os.SameFile(mine, named) {
				return &dirLock{f}, false, nil
			}
		}
		f.Close()
		if err != nil {
			return nil, false, err
		}
	}
}

// release drops the lock; a nil lock (an index in memory) has nothing to
// drop.
func (l *dirLock) release() error {
	if l == nil {
		return nil
	}
	// Closing the only descriptor of the open file drops its flock.
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("release index lock: %w", err)
	}
	return nil
}

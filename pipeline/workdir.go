package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// A process's temporary files (spooled feeds, partitions being written,
// sort runs, downloads being built) live in a work directory of its own
// under a shared base. The process holds an exclusive flock on a file in
// it while it lives; the kernel drops the lock when the process ends, kill
// -9 included. So a new process removes the work directories whose lock it
// can take: their owners are gone, and nothing else would ever clean them.

const (
	workDirPrefix = "terbuka-work-"
	workLockName  = ".lock"
)

// WorkDir creates this process's work directory under base (the system's
// temporary directory when empty), after removing those of processes that
// died. Call the returned function when the process is done with it.
func WorkDir(base string) (string, func(), error) {
	if base == "" {
		base = os.TempDir()
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", nil, fmt.Errorf("work directory: %w", err)
	}
	if _, err := SweepWorkDirs(base); err != nil {
		return "", nil, err
	}
	for {
		dir, err := os.MkdirTemp(base, workDirPrefix)
		if err != nil {
			return "", nil, fmt.Errorf("work directory: %w", err)
		}
		lockPath := filepath.Join(dir, workLockName)
		lock, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
		if err == nil {
			err = syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		}
		if err != nil {
			os.RemoveAll(dir)
			return "", nil, fmt.Errorf("lock work directory %s: %w", dir, err)
		}
		// Another process's sweep may have taken the directory for
		// abandoned before it had its lock: then make another.
		mine, err1 := lock.Stat()
		named, err2 := os.Stat(lockPath)
		if err1 != nil || err2 != nil || !os.SameFile(mine, named) {
			lock.Close()
			continue
		}
		return dir, func() {
			os.RemoveAll(dir)
			lock.Close()
		}, nil
	}
}

// SweepWorkDirs removes the work directories under base whose process is
// gone, and returns how many it removed.
func SweepWorkDirs(base string) (int, error) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return 0, fmt.Errorf("sweep work directories: %w", err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), workDirPrefix) {
			continue
		}
		dir := filepath.Join(base, e.Name())
		if abandoned(dir) {
			if err := os.RemoveAll(dir); err != nil {
				return n, fmt.Errorf("sweep work directory %s: %w", dir, err)
			}
			n++
		}
	}
	return n, nil
}

// abandoned reports whether no live process holds dir's lock. A directory
// without a lock file a minute after it was made is one whose owner died
// before taking it; a younger one may be taking it now.
func abandoned(dir string) bool {
	f, err := os.Open(filepath.Join(dir, workLockName))
	if errors.Is(err, os.ErrNotExist) {
		info, err := os.Stat(dir)
		return err == nil && time.Since(info.ModTime()) > time.Minute
	}
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return false
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return true
}

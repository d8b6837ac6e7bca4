package store

import (
	"context"
	"fmt"
	"io"
	"os"
)

// Fetch copies an object to a new temporary file in dir (the system's
// when empty), so it can be read at random, as Parquet is, without a
// request per read. The caller closes and removes the file.
func Fetch(ctx context.Context, st Reader, key, dir string) (*os.File, error) {
	r, _, err := st.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	f, err := os.CreateTemp(dir, "terbuka-fetch-*")
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", key, err)
	}
	if _, err := io.Copy(f, r); err != nil {
		Discard(f)
		return nil, fmt.Errorf("fetch %s: %w", key, err)
	}
	return f, nil
}

// Discard closes and removes a temporary file, as made by Fetch.
func Discard(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

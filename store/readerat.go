package store

import (
	"context"
	"errors"
	"io"

	"github.com/terbuka/terbuka/dataset"
)

// ReaderAt reads a stored object at offsets, one range request each, so a
// Parquet reader fetches the footer and the column chunks it needs rather
// than the whole object.
func ReaderAt(ctx context.Context, st Reader, key string) io.ReaderAt {
	return &objectReader{ctx: ctx, st: st, key: key}
}

type objectReader struct {
	ctx context.Context
	st  Reader
	key string
}

func (o *objectReader) ReadAt(p []byte, off int64) (int, error) {
	rc, err := o.st.GetRange(o.ctx, o.key, off, int64(len(p)))
	if err != nil {
		if errors.Is(err, dataset.ErrInvalid) {
			return 0, io.EOF
		}
		return 0, err
	}
	defer rc.Close()
	n, err := io.ReadFull(rc, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

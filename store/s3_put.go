package store

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/terbuka/terbuka/dataset"
)

// Put uploads r. A body of unknown size that turns out small goes up in a
// single PUT, a larger one in parts through one part-sized buffer.
// Conditional puts must be single PUTs, because minio-go sends If-Match
// and If-None-Match only with the request that starts a multipart upload,
// long before it completes; so a conditional body of unknown size is
// buffered, up to one part. S3 does not return the modification time of a
// PUT: the Object's Modified is the local time the upload finished.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) (Object, error) {
	if err := checkPut(key, size, opts); err != nil {
		return Object{}, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	limit := int64(smallPut)
	if opts.conditional() {
		limit = int64(s.partSize)
	}
	body, size, err := sized(r, size, limit)
	if err != nil {
		return Object{}, fmt.Errorf("put %s: %w", key, err)
	}
	if size < 0 && opts.conditional() {
		return Object{}, fmt.Errorf("put %s: conditional put of unknown size over %d bytes: %w", key, limit, dataset.ErrInvalid)
	}
	info, err := s.client.PutObject(ctx, s.bucket, s.prefix+key, body, size, s.putOptions(opts))
	if err != nil {
		return Object{}, putErr(key, opts, err)
	}
	return Object{Key: key, Size: info.Size, ETag: info.ETag, Modified: cmp.Or(info.LastModified, time.Now())}, nil
}

// sized returns r with its size when the size is known or the body ends
// within limit bytes; otherwise size -1 and a reader over all of the body.
// A seekable body shorter than its size is refused here: minio-go would
// retry the upload ten times before giving up.
func sized(r io.Reader, size, limit int64) (io.Reader, int64, error) {
	if size >= 0 {
		left, ok := remaining(r)
		if !ok {
			return &exact{r, size}, size, nil
		}
		if left < size {
			return nil, 0, fmt.Errorf("body of %d bytes, expected %d: %w", left, size, dataset.ErrInvalid)
		}
		return r, size, nil
	}
	// Most bodies of unknown size are small; read a little before
	// committing to a larger buffer.
	head := make([]byte, min(limit, smallPut)+1)
	n, err := io.ReadFull(r, head)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return bytes.NewReader(head[:n]), int64(n), nil
	case err != nil:
		return nil, 0, fmt.Errorf("read: %w", err)
	case limit < int64(len(head)):
		return io.MultiReader(bytes.NewReader(head), r), -1, nil
	}
	buf := make([]byte, limit+1)
	copy(buf, head)
	m, err := io.ReadFull(r, buf[n:])
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return bytes.NewReader(buf[:n+m]), int64(n + m), nil
	case err != nil:
		return nil, 0, fmt.Errorf("read: %w", err)
	}
	return io.MultiReader(bytes.NewReader(buf), r), -1, nil
}

// exact reports a body that ends before its declared size as ErrInvalid,
// where net/http would report a broken connection.
type exact struct {
	r    io.Reader
	left int64
}

func (e *exact) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		err = fmt.Errorf("body ended %d bytes short of its size: %w", e.left, dataset.ErrInvalid)
	}
	return n, err
}

// remaining returns how many bytes a seekable reader has left.
func remaining(r io.Reader) (int64, bool) {
	sk, ok := r.(io.Seeker)
	if !ok {
		return 0, false
	}
	cur, err := sk.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, false
	}
	end, err := sk.Seek(0, io.SeekEnd)
	if _, err2 := sk.Seek(cur, io.SeekStart); err != nil || err2 != nil {
		return 0, false
	}
	return end - cur, true
}

func (s *S3) putOptions(opts PutOptions) minio.PutObjectOptions {
	po := minio.PutObjectOptions{ContentType: opts.ContentType, PartSize: s.partSize}
	if opts.IfAbsent {
		po.SetMatchETagExcept("*")
	}
	if opts.IfMatch != "" {
		po.SetMatchETag(opts.IfMatch)
	}
	po.DisableMultipart = opts.conditional()
	return po
}

// putErr wraps a failed put. S3 answers If-Match on a missing object with
// NoSuchKey, which for the caller is a lost race like any other.
func putErr(key string, opts PutOptions, err error) error {
	err = wrap("put", key, err)
	if opts.IfMatch != "" && errors.Is(err, dataset.ErrNotFound) {
		return fmt.Errorf("put %s: if-match %s: object absent: %w", key, opts.IfMatch, dataset.ErrConflict)
	}
	return err
}

// PutFile uploads the local file at path with FPutObject.
func (s *S3) PutFile(ctx context.Context, key, path string, opts PutOptions) (Object, error) {
	if err := checkPut(key, -1, opts); err != nil {
		return Object{}, err
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	info, err := s.client.FPutObject(ctx, s.bucket, s.prefix+key, path, s.putOptions(opts))
	if err != nil {
		return Object{}, putErr(key, opts, err)
	}
	return Object{Key: key, Size: info.Size, ETag: info.ETag, Modified: cmp.Or(info.LastModified, time.Now())}, nil
}

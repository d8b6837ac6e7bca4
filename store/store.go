// Package store keeps objects addressed by slash-separated keys, such as
// "releases/current" or "data/budget/year=2024/region=32.73/a1b2.parquet".
// The same keys name files under a local directory (Dir) and objects in an
// S3 bucket (S3), so a deployment can move between the two by copying.
//
// Failures carry the error kinds of package dataset, wrapped with the
// operation and key: ErrNotFound for a missing object, ErrConflict for a
// conditional put that lost, ErrInvalid for a bad key or argument and
// ErrUnavailable when the backend cannot answer now.
package store

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/terbuka/terbuka/dataset"
)

// MaxKeyLen is the longest key, in bytes, that ValidKey accepts.
const MaxKeyLen = 1024

// maxSegmentLen is the longest path segment most file systems allow; keys
// must be storable on disk as well as on S3.
const maxSegmentLen = 255

// Object describes a stored object.
type Object struct {
	Key  string
	Size int64
	// ETag is opaque and changes whenever the content is replaced. The
	// directory backend changes it on every put; S3 derives it from the
	// content, so putting identical bytes may keep it.
	ETag     string
	Modified time.Time
}

// PutOptions make a Put conditional.
type PutOptions struct {
	IfAbsent    bool   // fail with ErrConflict if the key exists
	IfMatch     string // fail with ErrConflict unless the current ETag equals this (ErrConflict also if absent)
	ContentType string // S3 only; "" stores application/octet-stream
}

// conditional reports whether the put depends on the current object.
func (o PutOptions) conditional() bool { return o.IfAbsent || o.IfMatch != "" }

// Store is one bucket of objects. Both implementations are safe for
// concurrent use, and a conditional put is atomic against every other put
// and delete, also from other processes sharing the same bucket or local
// directory.
//
// The backends differ at the edges: S3 refuses a conditional put of unknown
// size larger than one part, and a directory cannot hold both "a" and "a/b".
type Store interface {
	Reader
	// Put stores r under key. size is the length or -1 when unknown.
	// With a size, Put reads that many bytes and fails if r ends sooner;
	// the object appears whole or not at all.
	Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) (Object, error)
	// PutFile stores the local file at path (S3: FPutObject).
	PutFile(ctx context.Context, key, path string, opts PutOptions) (Object, error)
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// Reader is the read side of a Store: what the portal, which never writes,
// is given.
type Reader interface {
	// Get opens the whole object. Caller closes.
	Get(ctx context.Context, key string) (io.ReadCloser, Object, error)
	// GetRange opens length bytes from offset (length -1 = to the end).
	// A range running past the end stops there; an offset at or past the
	// end is ErrInvalid unless length is 0. Caller closes.
	GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	// Stat describes the object under key.
	Stat(ctx context.Context, key string) (Object, error)
	// List calls fn for every object whose key starts with prefix, in key order.
	// An error from fn stops the listing and is returned as is.
	List(ctx context.Context, prefix string, fn func(Object) error) error
	// String describes the backend for logs, without secrets (e.g. "dir:/path" or "s3://host/bucket").
	String() string
}

// Presigner is a store that hands out time-limited URLs that read an
// object directly, so large downloads need not pass through the server.
// The S3 backend is one; a directory is not.
type Presigner interface {
	PresignGet(ctx context.Context, key string, expiry time.Duration, filename string) (*url.URL, error)
}

// reserved are first segments the directory backend keeps for itself. They
// are refused on every backend so that keys stay portable.
var reserved = map[string]bool{tmpDir: true, lockFile: true}

// ValidKey reports, as an error wrapping dataset.ErrInvalid, why key cannot
// name an object: it must be 1 to MaxKeyLen bytes of UTF-8 without control
// characters or backslashes, made of non-empty segments separated by single
// slashes, none of them "." or "..", none longer than 255 bytes, and must not
// start with a segment reserved by the directory backend (".tmp", ".lock").
func ValidKey(key string) error {
	why := keyProblem(key)
	if why == "" {
		return nil
	}
	return fmt.Errorf("key %q: %s: %w", clip(key), why, dataset.ErrInvalid)
}

func keyProblem(key string) string {
	switch {
	case key == "":
		return "empty"
	case len(key) > MaxKeyLen:
		return fmt.Sprintf("longer than %d bytes", MaxKeyLen)
	case !utf8.ValidString(key):
		return "not UTF-8"
	case strings.HasPrefix(key, "/"):
		return "starts with a slash"
	case strings.ContainsRune(key, '\\'):
		return "contains a backslash"
	case strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "contains a control character"
	}
	for i, seg := range strings.Split(key, "/") {
		switch {
		case seg == "":
			return "has an empty segment"
		case seg == "." || seg == "..":
			return "has a dot segment"
		case len(seg) > maxSegmentLen:
			return fmt.Sprintf("has a segment longer than %d bytes", maxSegmentLen)
		case i == 0 && reserved[seg]:
			return "starts with a reserved segment"
		}
	}
	return ""
}

// clip shortens a rejected key for an error message.
func clip(key string) string {
	if len(key) > 80 {
		return key[:80] + "…"
	}
	return key
}

// checkPut validates the arguments every backend's Put shares.
func checkPut(key string, size int64, opts PutOptions) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if size < -1 {
		return fmt.Errorf("put %s: size %d: %w", key, size, dataset.ErrInvalid)
	}
	if opts.IfAbsent && opts.IfMatch != "" {
		return fmt.Errorf("put %s: IfAbsent and IfMatch together: %w", key, dataset.ErrInvalid)
	}
	// A quote or "*" would change the meaning of the If-Match header.
	if strings.ContainsAny(opts.IfMatch, "\"*") {
		return fmt.Errorf("put %s: IfMatch %q is not an ETag: %w", key, opts.IfMatch, dataset.ErrInvalid)
	}
	return nil
}

// checkRange validates GetRange arguments.
func checkRange(key string, offset, length int64) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("get range: %w", err)
	}
	if offset < 0 || length < -1 {
		return fmt.Errorf("get range %s: offset %d length %d: %w", key, offset, length, dataset.ErrInvalid)
	}
	return nil
}

// ReadAll returns the content of key. An object larger than limit bytes is
// refused with ErrInvalid before it is read; a limit of 0 or less means no
// limit.
func ReadAll(ctx context.Context, s Reader, key string, limit int64) ([]byte, error) {
	rc, obj, err := s.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	r := io.Reader(rc)
	if limit > 0 {
		if obj.Size > limit {
			return nil, fmt.Errorf("read %s: %d bytes, over the limit of %d: %w", key, obj.Size, limit, dataset.ErrInvalid)
		}
		r = io.LimitReader(rc, limit+1)
	}
	buf := bytes.NewBuffer(make([]byte, 0, obj.Size+bytes.MinRead))
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	if limit > 0 && int64(buf.Len()) > limit {
		return nil, fmt.Errorf("read %s: over the limit of %d bytes: %w", key, limit, dataset.ErrInvalid)
	}
	return buf.Bytes(), nil
}

// readCloser joins a reader to the Close of what it reads from.
type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

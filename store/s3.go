package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/terbuka/terbuka/dataset"
)

// S3Config locates a bucket on an S3-compatible server such as MinIO.
type S3Config struct {
	Endpoint  string // host:port, without a scheme
	Bucket    string // created by OpenS3 if missing
	AccessKey string
	SecretKey string
	Region    string // "" asks the server
	UseTLS    bool
	// Prefix, if set, is prepended to every key (with a "/") and stripped
	// from listed keys, so several stores can share a bucket.
	Prefix string
	// Timeout bounds each call, including the reading of what Get and
	// GetRange return. Default 30s.
	Timeout time.Duration
	// PartSize is the size of each part of a multipart upload, and so of
	// the buffer an upload of unknown size needs. Default 16 MiB; at least 5 MiB.
	PartSize uint64
}

// Defaults and limits of S3Config.
const (
	DefaultS3Timeout  = 30 * time.Second
	DefaultS3PartSize = 16 << 20
	minS3PartSize     = 5 << 20
)

// smallPut is how much of a body of unknown size is read to find whether
// it is small enough for a single PUT.
const smallPut = 64 << 10

// listPage is how many keys one listing request asks for, S3's maximum.
const listPage = 1000

// S3 is a Store in an S3 bucket, reached with path-style requests.
type S3 struct {
	client   *minio.Client
	bucket   string
	prefix   string // "" or ending in "/"
	timeout  time.Duration
	partSize uint64
	pageSize int // keys per listing request
	desc     string
}

// OpenS3 connects to the bucket cfg names and creates it if it is missing.
func OpenS3(ctx context.Context, cfg S3Config) (*S3, error) {
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultS3Timeout)
	cfg.PartSize = cmp.Or(cfg.PartSize, DefaultS3PartSize)
	cfg.Prefix = strings.Trim(cfg.Prefix, "/")
	s := &S3{bucket: cfg.Bucket, timeout: cfg.Timeout, partSize: cfg.PartSize, pageSize: listPage}
	s.desc = "s3://" + cfg.Endpoint + "/" + cfg.Bucket
	if cfg.Prefix != "" {
		s.prefix = cfg.Prefix + "/"
		s.desc += "/" + cfg.Prefix
	}
	if err := checkS3Config(cfg); err != nil {
		return nil, fmt.Errorf("open %s: %w", s.desc, err)
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.UseTLS,
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w: %w", s.desc, dataset.ErrInvalid, err)
	}
	s.client = client
	if err := s.ensureBucket(ctx, cfg.Region); err != nil {
		return nil, fmt.Errorf("open %s: %w", s.desc, err)
	}
	return s, nil
}

func checkS3Config(cfg S3Config) error {
	switch {
	case cfg.Endpoint == "" || cfg.Bucket == "":
		return fmt.Errorf("endpoint and bucket are required: %w", dataset.ErrInvalid)
	case cfg.PartSize < minS3PartSize:
		return fmt.Errorf("part size %d under 5 MiB: %w", cfg.PartSize, dataset.ErrInvalid)
	case cfg.Prefix != "":
		if err := ValidKey(cfg.Prefix); err != nil {
			return fmt.Errorf("prefix: %w", err)
		}
	}
	return nil
}

func (s *S3) ensureBucket(ctx context.Context, region string) error {
	ctx, cancel := s.call(ctx)
	defer cancel()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil || ok {
		return classify(err)
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region})
	if minio.ToErrorResponse(err).Code == "BucketAlreadyOwnedByYou" {
		return nil
	}
	return classify(err)
}

// String returns "s3://", the endpoint, the bucket and the prefix; never credentials.
func (s *S3) String() string { return s.desc }

// call bounds one request by the configured timeout.
func (s *S3) call(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// Get opens the object with one GET request.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	if err := ValidKey(key); err != nil {
		return nil, Object{}, fmt.Errorf("get: %w", err)
	}
	rc, info, err := s.get(ctx, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Object{}, wrap("get", key, err)
	}
	return rc, s.object(info), nil
}

// GetRange opens a byte range of the object with one ranged GET request.
func (s *S3) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := checkRange(key, offset, length); err != nil {
		return nil, err
	}
	if length == 0 {
		// HTTP ranges cannot be empty; only check that the object exists.
		if _, err := s.Stat(ctx, key); err != nil {
			return nil, err
		}
		return io.NopCloser(strings.NewReader("")), nil
	}
	var opts minio.GetObjectOptions
	if length < 0 {
		opts.Set("Range", fmt.Sprintf("bytes=%d-", offset))
	} else {
		opts.Set("Range", fmt.Sprintf("bytes=%d-%d", offset, offset+length-1))
	}
	rc, _, err := s.get(ctx, key, opts)
	if err != nil {
		return nil, wrap("get range", key, err)
	}
	return rc, nil
}

// get sends the GET; its deadline runs until the body is closed.
func (s *S3) get(ctx context.Context, key string, opts minio.GetObjectOptions) (io.ReadCloser, minio.ObjectInfo, error) {
	ctx, cancel := s.call(ctx)
	body, info, _, err := minio.Core{Client: s.client}.GetObject(ctx, s.bucket, s.prefix+key, opts)
	if err != nil {
		cancel()
		return nil, minio.ObjectInfo{}, err
	}
	return readCloser{body, func() error { defer cancel(); return body.Close() }}, info, nil
}

// Stat sends a HEAD request for key.
func (s *S3) Stat(ctx context.Context, key string) (Object, error) {
	if err := ValidKey(key); err != nil {
		return Object{}, fmt.Errorf("stat: %w", err)
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	info, err := s.client.StatObject(ctx, s.bucket, s.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		return Object{}, wrap("stat", key, err)
	}
	return s.object(info), nil
}

func (s *S3) object(info minio.ObjectInfo) Object {
	return Object{
		Key:      strings.TrimPrefix(info.Key, s.prefix),
		Size:     info.Size,
		ETag:     info.ETag,
		Modified: info.LastModified,
	}
}

// List reads the listing a page at a time, each page under its own
// deadline, and calls fn between pages, so fn's time is not the server's.
func (s *S3) List(ctx context.Context, prefix string, fn func(Object) error) error {
	after := ""
	for {
		page, more, err := s.listPage(ctx, prefix, after)
		if err != nil {
			return wrap("list", prefix, err)
		}
		for _, obj := range page {
			if err := fn(obj); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
		after = s.prefix + page[len(page)-1].Key
	}
}

func (s *S3) listPage(ctx context.Context, prefix, after string) ([]Object, bool, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	owner := false
	opts := minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true, StartAfter: after, MaxKeys: s.pageSize, FetchOwner: &owner}
	var page []Object
	for info := range s.client.ListObjectsIter(ctx, s.bucket, opts) {
		if info.Err != nil {
			return nil, false, info.Err
		}
		page = append(page, s.object(info))
		if len(page) == s.pageSize {
			return page, true, nil
		}
	}
	// The iterator ends without an error when its context does.
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	return page, false, nil
}

// Delete removes key; S3 itself treats a missing key as deleted.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	err := s.client.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{})
	if err != nil && !errors.Is(classify(err), dataset.ErrNotFound) {
		return wrap("delete", key, err)
	}
	return nil
}

// wrap names the operation and key and adds the error's kind, if it has one.
func wrap(op, key string, err error) error {
	if kind := kindOf(err); kind != nil {
		return fmt.Errorf("%s %s: %w: %w", op, key, kind, err)
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

// classify adds the error's kind to err, if it has one; nil stays nil.
func classify(err error) error {
	if kind := kindOf(err); kind != nil {
		return fmt.Errorf("%w: %w", kind, err)
	}
	return err
}

// kindOf maps an S3 or transport error to one of dataset's kinds.
func kindOf(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, dataset.ErrInvalid) {
		return nil
	}
	var resp minio.ErrorResponse
	if errors.As(err, &resp) {
		switch {
		case resp.Code == "NoSuchBucket":
			return dataset.ErrUnavailable
		case resp.Code == "NoSuchKey" || resp.StatusCode == http.StatusNotFound:
			return dataset.ErrNotFound
		case resp.Code == "PreconditionFailed" || resp.StatusCode == http.StatusPreconditionFailed,
			resp.Code == "ConditionalRequestConflict" || resp.StatusCode == http.StatusConflict:
			return dataset.ErrConflict
		case resp.Code == "InvalidRange" || resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
			return dataset.ErrInvalid
		case resp.Code == "SlowDown" || resp.StatusCode >= 500:
			return dataset.ErrUnavailable
		}
		return nil
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) {
		return dataset.ErrUnavailable
	}
	return nil
}

// PresignGet returns a URL that reads key for expiry without credentials,
// answering with the given download file name.
func (s *S3) PresignGet(ctx context.Context, key string, expiry time.Duration, filename string) (*url.URL, error) {
	if err := ValidKey(key); err != nil {
		return nil, fmt.Errorf("presign: %w", err)
	}
	params := url.Values{}
	if filename != "" {
		params.Set("response-content-disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	}
	ctx, cancel := s.call(ctx)
	defer cancel()
	u, err := s.client.PresignedGetObject(ctx, s.bucket, s.prefix+key, expiry, params)
	if err != nil {
		return nil, wrap("presign", key, err)
	}
	return u, nil
}

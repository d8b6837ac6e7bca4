package store

import (
	"context"
	"crypto/rand"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

func TestDir(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	testStore(t, d)
}

func TestS3(t *testing.T) {
	endpoint := os.Getenv("TERBUKA_TEST_S3_ENDPOINT")
	if endpoint == "" {
		if os.Getenv("TERBUKA_REQUIRE_S3") == "1" {
			t.Fatal("TERBUKA_REQUIRE_S3=1 but TERBUKA_TEST_S3_ENDPOINT is unset: run the tests under scripts/with-minio")
		}
		t.Skip("TERBUKA_TEST_S3_ENDPOINT is unset: run under scripts/with-minio to test the S3 backend against MinIO")
	}
	cfg := S3Config{
		Endpoint:  endpoint,
		Bucket:    os.Getenv("TERBUKA_TEST_S3_BUCKET"),
		AccessKey: os.Getenv("TERBUKA_TEST_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("TERBUKA_TEST_S3_SECRET_KEY"),
		// A random prefix keeps runs apart in a shared bucket.
		Prefix: "test-" + rand.Text()[:12],
		// The smallest part makes the 40 MiB put a multipart upload and
		// lets the contract's memory bound tell streaming from buffering.
		PartSize: minS3PartSize,
	}
	if cfg.Bucket == "" {
		cfg.Bucket = "terbuka-test"
	}
	s, err := OpenS3(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { clearStore(t, s) })
	if str := s.String(); strings.Contains(str, cfg.SecretKey) || !strings.HasPrefix(str, "s3://") {
		t.Errorf("String() = %q", str)
	}
	testStore(t, s)

	t.Run("ListPages", func(t *testing.T) {
		paged := *s
		paged.pageSize = 2
		if diff := cmp.Diff(listKeys(t, &paged, "list"), listKeys(t, s, "list")); diff != "" {
			t.Errorf("List in pages of 2 (-got +want):\n%s", diff)
		}
	})

	t.Run("PrefixIsolation", func(t *testing.T) {
		other := cfg
		other.Prefix = cfg.Prefix + "-other"
		o, err := OpenS3(t.Context(), other)
		if err != nil {
			t.Fatal(err)
		}
		put(t, o, "roundtrip/a.txt", "elsewhere", PutOptions{})
		t.Cleanup(func() { clearStore(t, o) })
		if got := readAll(t, s, "roundtrip/a.txt"); got != "hello, Bandung" {
			t.Errorf("content %q leaked across prefixes", got)
		}
	})
}

// clearStore deletes everything a test stored; t.Context has ended by then.
func clearStore(t *testing.T, s Store) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := s.List(ctx, "", func(o Object) error { return s.Delete(ctx, o.Key) })
	if err != nil {
		t.Errorf("clean up %s: %v", s, err)
	}
}

func TestS3Unavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = OpenS3(t.Context(), S3Config{Endpoint: addr, Bucket: "terbuka-test", Timeout: time.Second})
	wantKind(t, err, dataset.ErrUnavailable)
}

func TestValidKey(t *testing.T) {
	valid := []string{
		"releases/current", "data/budget/year=2024/region=32.73/a1b2.parquet", "raw/revenue/32.73/2024/f.csv",
		"a", "a.b/.c/..d", "tanggal 17 Maret", strings.Repeat("k", 255), strings.Repeat("k/", 511) + "kk",
	}
	for _, key := range valid {
		if err := ValidKey(key); err != nil {
			t.Errorf("ValidKey(%.40q) = %v, want nil", key, err)
		}
	}
	for _, key := range invalidKeys {
		wantKind(t, ValidKey(key), dataset.ErrInvalid)
	}
}

func TestReadAll(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	put(t, d, "k", "0123456789", PutOptions{})
	tests := []struct {
		limit int64
		want  string
		err   error
	}{{0, "0123456789", nil}, {10, "0123456789", nil}, {9, "", dataset.ErrInvalid}}
	for _, tt := range tests {
		got, err := ReadAll(t.Context(), d, "k", tt.limit)
		if !errors.Is(err, tt.err) || string(got) != tt.want {
			t.Errorf("ReadAll limit %d = %q, %v; want %q, %v", tt.limit, got, err, tt.want, tt.err)
		}
	}
}

// TestDirLayout checks what only the directory backend promises: files at
// their keys, no temporary files left behind, empty directories pruned.
func TestDirLayout(t *testing.T) {
	root := t.TempDir()
	d, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	put(t, d, "releases/current", "r1", PutOptions{})
	put(t, d, "deep/a/b/c", "x", PutOptions{})
	_, err = d.Put(ctx, "releases/current", strings.NewReader("r2"), 2, PutOptions{IfAbsent: true})
	wantKind(t, err, dataset.ErrConflict)
	_, err = d.Put(ctx, "short", strings.NewReader("1"), 2, PutOptions{})
	wantKind(t, err, dataset.ErrInvalid)
	_, err = d.Put(ctx, "releases/current/x", strings.NewReader("x"), 1, PutOptions{})
	wantKind(t, err, dataset.ErrInvalid)
	_, err = d.Put(ctx, "deep/a", strings.NewReader("x"), 1, PutOptions{})
	wantKind(t, err, dataset.ErrInvalid)
	if err := d.Delete(ctx, "deep/a/b/c"); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "releases", "current")); string(b) != "r1" {
		t.Errorf("releases/current on disk = %q, %v", b, err)
	}
	var files []string
	filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		files = append(files, rel)
		return err
	})
	want := []string{".", ".lock", ".tmp", "releases", "releases/current"}
	if diff := cmp.Diff(files, want); diff != "" {
		t.Errorf("files under root (-got +want):\n%s", diff)
	}
	if got, want := d.String(), "dir:"+root; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

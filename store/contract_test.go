package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/terbuka/terbuka/dataset"
)

// ignoreModified compares objects without their times, which differ in
// precision between a put's answer and a later stat.
var ignoreModified = cmpopts.IgnoreFields(Object{}, "Modified")

// testStore is the contract every Store keeps. It runs against an empty
// store and uses a different key prefix in each subtest.
func testStore(t *testing.T, s Store) {
	t.Run("PutGet", func(t *testing.T) {
		want := put(t, s, "roundtrip/a.txt", "hello, Bandung", PutOptions{ContentType: "text/plain"})
		rc, got, err := s.Get(t.Context(), "roundtrip/a.txt")
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		if diff := cmp.Diff(got, want, ignoreModified); diff != "" {
			t.Errorf("Get object (-got +want):\n%s", diff)
		}
		if body := readString(t, rc); body != "hello, Bandung" {
			t.Errorf("Get body = %q", body)
		}
	})

	t.Run("Stat", func(t *testing.T) {
		start := time.Now()
		want := put(t, s, "stat/x", "12345", PutOptions{})
		got, err := s.Stat(t.Context(), "stat/x")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, Object{Key: "stat/x", Size: 5, ETag: want.ETag}, ignoreModified); diff != "" {
			t.Errorf("Stat (-got +want):\n%s", diff)
		}
		if want.ETag == "" {
			t.Error("empty ETag")
		}
		if d := got.Modified.Sub(start); d < -time.Minute || d > time.Minute {
			t.Errorf("Modified %v, %v from the time of the put", got.Modified, d)
		}
	})

	t.Run("OverwriteChangesETag", func(t *testing.T) {
		first := put(t, s, "overwrite/x", "first", PutOptions{})
		second := put(t, s, "overwrite/x", "second!", PutOptions{})
		if first.ETag == second.ETag {
			t.Errorf("ETag %q unchanged by overwrite", first.ETag)
		}
		if got := readAll(t, s, "overwrite/x"); got != "second!" {
			t.Errorf("content %q, want second!", got)
		}
	})

	t.Run("IfAbsent", func(t *testing.T) {
		put(t, s, "ifabsent/x", "one", PutOptions{IfAbsent: true})
		_, err := s.Put(t.Context(), "ifabsent/x", strings.NewReader("two"), 3, PutOptions{IfAbsent: true})
		wantKind(t, err, dataset.ErrConflict)
		if got := readAll(t, s, "ifabsent/x"); got != "one" {
			t.Errorf("content %q after a lost IfAbsent, want one", got)
		}
	})

	t.Run("IfMatch", func(t *testing.T) {
		old := put(t, s, "ifmatch/x", "v1", PutOptions{})
		cur := put(t, s, "ifmatch/x", "v2", PutOptions{IfMatch: old.ETag})
		tests := []struct {
			name, key, etag string
		}{
			{"stale", "ifmatch/x", old.ETag},
			{"wrong", "ifmatch/x", "0123456789abcdef"},
			{"missing", "ifmatch/missing", cur.ETag},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.Put(t.Context(), tt.key, strings.NewReader("v3"), 2, PutOptions{IfMatch: tt.etag})
				wantKind(t, err, dataset.ErrConflict)
			})
		}
		if got := readAll(t, s, "ifmatch/x"); got != "v2" {
			t.Errorf("content %q, want v2", got)
		}
		wantKind(t, statErr(t, s, "ifmatch/missing"), dataset.ErrNotFound)
	})

	t.Run("BadOptions", func(t *testing.T) {
		tests := []struct {
			name string
			size int64
			opts PutOptions
		}{
			{"both conditions", 1, PutOptions{IfAbsent: true, IfMatch: "abc"}},
			{"star", 1, PutOptions{IfMatch: "*"}},
			{"quoted", 1, PutOptions{IfMatch: `"abc"`}},
			{"negative size", -2, PutOptions{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.Put(t.Context(), "badopts/x", strings.NewReader("x"), tt.size, tt.opts)
				wantKind(t, err, dataset.ErrInvalid)
			})
		}
	})

	t.Run("ShortBody", func(t *testing.T) {
		bodies := map[string]io.Reader{
			"seekable": strings.NewReader("12345"),
			"stream":   io.MultiReader(strings.NewReader("12345")),
		}
		for name, body := range bodies {
			t.Run(name, func(t *testing.T) {
				_, err := s.Put(t.Context(), "short/"+name, body, 10, PutOptions{})
				wantKind(t, err, dataset.ErrInvalid)
				wantKind(t, statErr(t, s, "short/"+name), dataset.ErrNotFound)
			})
		}
	})

	t.Run("GetRange", func(t *testing.T) {
		put(t, s, "range/x", "0123456789", PutOptions{})
		tests := []struct {
			name           string
			offset, length int64
			want           string
			err            error
		}{
			{"middle", 2, 3, "234", nil},
			{"to end", 7, -1, "789", nil},
			{"whole", 0, -1, "0123456789", nil},
			{"past end", 8, 10, "89", nil},
			{"empty", 3, 0, "", nil},
			{"offset at end", 10, -1, "", dataset.ErrInvalid},
			{"negative offset", -1, 2, "", dataset.ErrInvalid},
			{"bad length", 0, -2, "", dataset.ErrInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rc, err := s.GetRange(t.Context(), "range/x", tt.offset, tt.length)
				if tt.err != nil {
					wantKind(t, err, tt.err)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				defer rc.Close()
				if got := readString(t, rc); got != tt.want {
					t.Errorf("GetRange(%d, %d) = %q, want %q", tt.offset, tt.length, got, tt.want)
				}
			})
		}
	})

	t.Run("Missing", func(t *testing.T) {
		_, _, err := s.Get(t.Context(), "missing/x")
		wantKind(t, err, dataset.ErrNotFound)
		_, err = s.GetRange(t.Context(), "missing/x", 0, 1)
		wantKind(t, err, dataset.ErrNotFound)
		_, err = s.GetRange(t.Context(), "missing/x", 0, 0)
		wantKind(t, err, dataset.ErrNotFound)
		wantKind(t, statErr(t, s, "missing/x"), dataset.ErrNotFound)
	})

	t.Run("List", func(t *testing.T) { testList(t, s) })

	t.Run("Delete", func(t *testing.T) {
		put(t, s, "delete/a/b", "x", PutOptions{})
		for range 2 {
			if err := s.Delete(t.Context(), "delete/a/b"); err != nil {
				t.Fatalf("Delete: %v", err)
			}
		}
		wantKind(t, statErr(t, s, "delete/a/b"), dataset.ErrNotFound)
		if err := s.Delete(t.Context(), "delete/never"); err != nil {
			t.Errorf("Delete of a missing key: %v", err)
		}
		if got := listKeys(t, s, "delete/"); len(got) != 0 {
			t.Errorf("List after Delete = %q", got)
		}
	})

	t.Run("InvalidKeys", func(t *testing.T) {
		for _, key := range invalidKeys {
			t.Run(fmt.Sprintf("%.20q", key), func(t *testing.T) {
				ctx := t.Context()
				_, err := s.Put(ctx, key, strings.NewReader("x"), 1, PutOptions{})
				wantKind(t, err, dataset.ErrInvalid)
				_, _, err = s.Get(ctx, key)
				wantKind(t, err, dataset.ErrInvalid)
				_, err = s.GetRange(ctx, key, 0, 1)
				wantKind(t, err, dataset.ErrInvalid)
				_, err = s.Stat(ctx, key)
				wantKind(t, err, dataset.ErrInvalid)
				wantKind(t, s.Delete(ctx, key), dataset.ErrInvalid)
			})
		}
	})

	t.Run("PutFile", func(t *testing.T) {
		content := bytes.Repeat([]byte("kode rekening 5.1.02;"), 5000)
		path := filepath.Join(t.TempDir(), "feed.csv")
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		obj, err := s.PutFile(t.Context(), "putfile/feed.csv", path, PutOptions{IfAbsent: true})
		if err != nil {
			t.Fatal(err)
		}
		if obj.Size != int64(len(content)) {
			t.Errorf("Size %d, want %d", obj.Size, len(content))
		}
		if got := readAll(t, s, "putfile/feed.csv"); got != string(content) {
			t.Errorf("content differs: %d bytes, want %d", len(got), len(content))
		}
		_, err = s.PutFile(t.Context(), "putfile/feed.csv", path, PutOptions{IfAbsent: true})
		wantKind(t, err, dataset.ErrConflict)
		_, err = s.PutFile(t.Context(), "putfile/none", filepath.Join(t.TempDir(), "none"), PutOptions{})
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("PutFile of a missing file: %v, want fs.ErrNotExist", err)
		}
	})

	t.Run("Large", func(t *testing.T) { testLarge(t, s) })

	t.Run("RaceIfMatch", func(t *testing.T) {
		put(t, s, "race/current", "release-0", PutOptions{})
		race(t, s, func(round int) (string, PutOptions) {
			cur, err := s.Stat(t.Context(), "race/current")
			if err != nil {
				t.Fatal(err)
			}
			return "race/current", PutOptions{IfMatch: cur.ETag}
		})
	})

	t.Run("RaceIfAbsent", func(t *testing.T) {
		race(t, s, func(round int) (string, PutOptions) {
			return fmt.Sprintf("race/new-%d", round), PutOptions{IfAbsent: true}
		})
	})
}

var invalidKeys = []string{
	"", "/abs", "a//b", "a/", "a/../b", "./a", "a/.", "..", `a\b`, "a\x00b", "a\nb", "a\x7fb",
	"\xff", strings.Repeat("k", MaxKeyLen+1), strings.Repeat("s", 256) + "/x", ".tmp/x", ".lock",
}

func testList(t *testing.T, s Store) {
	keys := []string{"list/ba", "list/b/d", "list/a", "list/curtain", "list/b-x", "list/current", "list/b/c", "listing", "lis/x"}
	for _, k := range keys {
		put(t, s, k, k, PutOptions{})
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		// S3 orders keys by bytes: "-" < "/" < "a".
		{"list/", []string{"list/a", "list/b-x", "list/b/c", "list/b/d", "list/ba", "list/current", "list/curtain"}},
		{"list/cur", []string{"list/current", "list/curtain"}},
		{"list/b", []string{"list/b-x", "list/b/c", "list/b/d", "list/ba"}},
		{"list/b/", []string{"list/b/c", "list/b/d"}},
		{"list", []string{"list/a", "list/b-x", "list/b/c", "list/b/d", "list/ba", "list/current", "list/curtain", "listing"}},
		{"list/a", []string{"list/a"}},
		{"list/none", nil},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			if diff := cmp.Diff(listKeys(t, s, tt.prefix), tt.want); diff != "" {
				t.Errorf("List(%q) (-got +want):\n%s", tt.prefix, diff)
			}
		})
	}
	t.Run("objects", func(t *testing.T) {
		want, err := s.Stat(t.Context(), "list/b/c")
		if err != nil {
			t.Fatal(err)
		}
		var got []Object
		err = s.List(t.Context(), "list/b/c", func(o Object) error { got = append(got, o); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, []Object{want}, cmpopts.EquateApproxTime(time.Second)); diff != "" {
			t.Errorf("List objects (-got +want):\n%s", diff)
		}
	})
	t.Run("stop", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := s.List(t.Context(), "list/", func(Object) error { calls++; return stop })
		if err != stop || calls != 1 {
			t.Errorf("List returned %v after %d calls, want the callback's error after 1", err, calls)
		}
	})
}

// testLarge puts 40 MiB of unknown size and checks that the store streamed
// it rather than holding it in memory.
func testLarge(t *testing.T, s Store) {
	const size = 40 << 20
	src := rand.NewChaCha8([32]byte{'t', 'e', 'r', 'b', 'u', 'k', 'a'})
	hash := sha256.New()
	body := io.TeeReader(io.LimitReader(src, size), hash)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	obj, err := s.Put(t.Context(), "large/blob", body, -1, PutOptions{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	// Holding the body would take at least its size; S3 may allocate a
	// part buffer and, in minio-go's chunk signing, about a sixth of the size.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size*3/4 {
		t.Errorf("Put allocated %d MiB for a %d MiB body; it must stream, not buffer", alloc>>20, size>>20)
	}
	if obj.Size != size {
		t.Errorf("Put Size = %d, want %d", obj.Size, size)
	}
	rc, got, err := s.Get(t.Context(), "large/blob")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	back := sha256.New()
	if _, err := io.Copy(back, rc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Sum(nil), hash.Sum(nil)) || got.Size != size {
		t.Errorf("Get returned %d bytes that differ from the %d put", got.Size, size)
	}
}

func put(t *testing.T, s Store, key, content string, opts PutOptions) Object {
	t.Helper()
	obj, err := s.Put(t.Context(), key, strings.NewReader(content), int64(len(content)), opts)
	if err != nil {
		t.Fatalf("Put %s: %v", key, err)
	}
	if diff := cmp.Diff(obj, Object{Key: key, Size: int64(len(content)), ETag: obj.ETag}, ignoreModified); diff != "" {
		t.Errorf("Put %s (-got +want):\n%s", key, diff)
	}
	return obj
}

func readAll(t *testing.T, s Store, key string) string {
	t.Helper()
	b, err := ReadAll(t.Context(), s, key, 0)
	if err != nil {
		t.Fatalf("ReadAll %s: %v", key, err)
	}
	return string(b)
}

func readString(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(b)
}

func statErr(t *testing.T, s Store, key string) error {
	t.Helper()
	_, err := s.Stat(t.Context(), key)
	return err
}

func listKeys(t *testing.T, s Store, prefix string) []string {
	t.Helper()
	var keys []string
	err := s.List(t.Context(), prefix, func(o Object) error { keys = append(keys, o.Key); return nil })
	if err != nil {
		t.Fatalf("List %q: %v", prefix, err)
	}
	return keys
}

func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("error %v, want %v", err, kind)
	}
}

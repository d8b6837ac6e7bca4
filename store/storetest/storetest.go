// Package storetest gives tests the real object stores to run against: a
// directory in a temporary folder, and the S3 server named by the
// TERBUKA_TEST_S3_* variables (which `make test` starts), each under a
// fresh key prefix so runs never see each other's objects.
package storetest

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/store"
)

// Dir returns a directory store in a temporary folder.
func Dir(t testing.TB) *store.Dir {
	t.Helper()
	d, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatalf("open dir store: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// S3 returns a store on the test S3 server under a random prefix. Without a
// configured server the test is skipped, unless TERBUKA_REQUIRE_S3=1 (set
// by `make test`), in which case it fails: CI must not pass by skipping.
func S3(t testing.TB) *store.S3 {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	return S3At(t, "test-"+hex.EncodeToString(b[:]))
}

// S3At returns a store on the test S3 server under prefix, skipped or
// failed as S3 is: how a child process opens the store its parent made.
func S3At(t testing.TB, prefix string) *store.S3 {
	t.Helper()
	endpoint := os.Getenv("TERBUKA_TEST_S3_ENDPOINT")
	if endpoint == "" {
		if os.Getenv("TERBUKA_REQUIRE_S3") == "1" {
			t.Fatal("TERBUKA_REQUIRE_S3=1 but TERBUKA_TEST_S3_ENDPOINT is not set; run through `make test`")
		}
		t.Skip("no S3 server: set TERBUKA_TEST_S3_ENDPOINT (make test starts MinIO and sets it)")
	}
	bucket := os.Getenv("TERBUKA_TEST_S3_BUCKET")
	if bucket == "" {
		bucket = "terbuka-test"
	}
	s, err := store.OpenS3(t.Context(), store.S3Config{
		Endpoint:  endpoint,
		Bucket:    bucket,
		AccessKey: os.Getenv("TERBUKA_TEST_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("TERBUKA_TEST_S3_SECRET_KEY"),
		Prefix:    prefix,
	})
	if err != nil {
		t.Fatalf("open S3 store at %s: %v", endpoint, err)
	}
	return s
}

// Backends returns a constructor for each real backend by name, for tests
// that run the same checks against every one of them.
func Backends() map[string]func(testing.TB) store.Store {
	return map[string]func(testing.TB) store.Store{
		"dir": func(t testing.TB) store.Store { return Dir(t) },
		"s3":  func(t testing.TB) store.Store { return S3(t) },
	}
}

// Objects reads every object of st whose key does not start with one of
// skip, with its bytes: what a test compares before and after an action
// that must leave the store as it was.
func Objects(t testing.TB, st store.Store, skip ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := st.List(t.Context(), "", func(o store.Object) error {
		for _, p := range skip {
			if strings.HasPrefix(o.Key, p) {
				return nil
			}
		}
		b, err := store.ReadAll(t.Context(), st, o.Key, 1<<30)
		out[o.Key] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

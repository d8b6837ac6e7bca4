package token

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

func TestRegistry(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			st := open(t)
			clock := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
			r := &Registry{Store: st, Regions: dataset.LoadRegions(), Now: func() time.Time { clock = clock.Add(time.Minute); return clock }}

			secret, tok, err := r.Create(ctx, "32.73", " BPKAD Kota Bandung ")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(secret, prefix) || len(secret) < 40 || tok.Region != "32.73" || tok.Name != "BPKAD Kota Bandung" || len(tok.ID) != idLen {
				t.Fatalf("Create = %q, %+v", secret, tok)
			}
			other, _, err := r.Create(ctx, "32.04", "")
			if err != nil {
				t.Fatal(err)
			}
			if other == secret {
				t.Fatal("two tokens share a secret")
			}

			got, err := r.Lookup(ctx, secret)
			if err != nil || got.Region != "32.73" || got.ID != tok.ID {
				t.Fatalf("Lookup = %+v, %v", got, err)
			}
			for _, bad := range []string{"", "tbk_", secret + "x", strings.TrimPrefix(secret, prefix), strings.Repeat("tbk_a", 50)} {
				if _, err := r.Lookup(ctx, bad); !errors.Is(err, ErrUnknown) {
					t.Errorf("Lookup(%q) = %v, want ErrUnknown", bad, err)
				}
			}

			// Only the hash is stored: no object holds the secret.
			err = st.List(ctx, "", func(o store.Object) error {
				b, err := store.ReadAll(ctx, st, o.Key, 1<<20)
				if err != nil {
					return err
				}
				if strings.Contains(string(b), secret) || strings.Contains(o.Key, secret) {
					t.Errorf("%s holds the secret", o.Key)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}

			list, err := r.List(ctx)
			if err != nil || len(list) != 2 || list[0].Region != "32.73" || list[1].Region != "32.04" {
				t.Fatalf("List = %+v, %v", list, err)
			}

			if _, err := r.Revoke(ctx, tok.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := r.Lookup(ctx, secret); !errors.Is(err, ErrRevoked) {
				t.Errorf("Lookup of a revoked token = %v, want ErrRevoked", err)
			}
			if _, err := r.Lookup(ctx, other); err != nil {
				t.Errorf("revoking one token revoked another: %v", err)
			}
			if _, err := r.Revoke(ctx, tok.ID); err != nil {
				t.Errorf("revoking twice: %v", err)
			}
			if _, err := r.Revoke(ctx, "000000000000"); !errors.Is(err, dataset.ErrNotFound) {
				t.Errorf("Revoke(unknown) = %v, want ErrNotFound", err)
			}
			if _, err := r.Revoke(ctx, "../../etc"); !errors.Is(err, dataset.ErrInvalid) {
				t.Errorf("Revoke(bad id) = %v, want ErrInvalid", err)
			}
			if _, _, err := r.Create(ctx, "99.99", ""); !errors.Is(err, dataset.ErrInvalid) {
				t.Errorf("Create for an unknown region = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestLookupOfMissingStore(t *testing.T) {
	r := &Registry{Store: storetest.Dir(t), Regions: dataset.LoadRegions()}
	if _, err := r.Lookup(context.Background(), "tbk_nothing"); !errors.Is(err, ErrUnknown) {
		t.Errorf("Lookup in an empty store = %v, want ErrUnknown", err)
	}
}

// Package token issues and checks the tokens regions push feeds with. A
// token belongs to one region: whatever it pushes is that region's data.
// Only a token's SHA-256 is stored, under tokens/{sha256}.json, so the store
// never holds a secret that would let its reader push; the secret is shown
// once, when the token is created.
package token

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/store"
)

// prefix starts every secret, so a leaked one is recognisable (secret
// scanners match it) and a mistyped one is told apart from a wrong one.
const prefix = "tbk_"

// secretBytes is the entropy of a secret: 256 bits.
const secretBytes = 32

// idLen is the length of a token's public id: the start of its SHA-256.
const idLen = 12

// Errors of Lookup. ErrUnknown also covers malformed secrets: a caller
// learns nothing about which tokens exist.
var (
	ErrUnknown = errors.New("unknown token")
	ErrRevoked = errors.New("token revoked")
)

// Token is what is stored of a token.
type Token struct {
	// ID is public: it names the token in lists, logs and revoke.
	ID      string     `json:"id"`
	Region  string     `json:"region"`
	Name    string     `json:"name,omitempty"`
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"`
	// SHA256 is the hex SHA-256 of the secret.
	SHA256 string `json:"sha256"`
}

// Registry keeps tokens in a store.
type Registry struct {
	Store   store.Store
	Regions *dataset.Regions
	Now     func() time.Time
}

func (r *Registry) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Create issues a token for region and returns its secret, which is not
// kept anywhere: the caller shows it once.
func (r *Registry) Create(ctx context.Context, region, name string) (string, Token, error) {
	if r.Regions.Lookup(region) == nil {
		return "", Token{}, fmt.Errorf("create token: region %q is not in the Kemendagri list: %w", region, dataset.ErrInvalid)
	}
	raw := make([]byte, secretBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	secret := prefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := hash(secret)
	t := Token{ID: sum[:idLen], Region: region, Name: strings.TrimSpace(name), Created: r.now().UTC(), SHA256: sum}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	if _, err := r.Store.Put(ctx, key(sum), bytes.NewReader(b), int64(len(b)), store.PutOptions{IfAbsent: true, ContentType: "application/json"}); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	return secret, t, nil
}

// Lookup returns the token whose secret this is.
func (r *Registry) Lookup(ctx context.Context, secret string) (Token, error) {
	if !strings.HasPrefix(secret, prefix) || len(secret) > 100 {
		return Token{}, ErrUnknown
	}
	sum := hash(secret)
	// The store is addressed by the secret's hash, so how long a lookup
	// takes says nothing about the secret; the comparison below guards
	// against a store that returns a near match.
	t, err := r.read(ctx, key(sum))
	if errors.Is(err, dataset.ErrNotFound) {
		return Token{}, ErrUnknown
	}
	if err != nil {
		return Token{}, err
	}
	if subtle.ConstantTimeCompare([]byte(t.SHA256), []byte(sum)) != 1 {
		return Token{}, ErrUnknown
	}
	if t.Revoked != nil {
		return t, ErrRevoked
	}
	return t, nil
}

// List returns every token, revoked ones included, oldest first.
func (r *Registry) List(ctx context.Context) ([]Token, error) {
	var out []Token
	err := r.Store.List(ctx, "tokens/", func(obj store.Object) error {
		t, err := r.read(ctx, obj.Key)
		if err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	slices.SortFunc(out, func(a, b Token) int { return a.Created.Compare(b.Created) })
	return out, nil
}

// Revoke revokes the token with this id; revoking twice is not an error.
func (r *Registry) Revoke(ctx context.Context, id string) (Token, error) {
	if len(id) != idLen || strings.Trim(id, "0123456789abcdef") != "" {
		return Token{}, fmt.Errorf("revoke token: %q is not a token id (%d hex digits): %w", id, idLen, dataset.ErrInvalid)
	}
	var keys []string
	if err := r.Store.List(ctx, "tokens/"+id, func(obj store.Object) error {
		keys = append(keys, obj.Key)
		return nil
	}); err != nil {
		return Token{}, fmt.Errorf("revoke token: %w", err)
	}
	if len(keys) != 1 {
		return Token{}, fmt.Errorf("revoke token %s: %w", id, dataset.ErrNotFound)
	}
	t, err := r.read(ctx, keys[0])
	if err != nil || t.Revoked != nil {
		return t, err
	}
	now := r.now().UTC()
	t.Revoked = &now
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return Token{}, fmt.Errorf("revoke token: %w", err)
	}
	if _, err := r.Store.Put(ctx, keys[0], bytes.NewReader(b), int64(len(b)), store.PutOptions{ContentType: "application/json"}); err != nil {
		return Token{}, fmt.Errorf("revoke token: %w", err)
	}
	return t, nil
}

func (r *Registry) read(ctx context.Context, k string) (Token, error) {
	b, err := store.ReadAll(ctx, r.Store, k, 64<<10)
	if err != nil {
		return Token{}, fmt.Errorf("read token: %w", err)
	}
	var t Token
	if err := json.Unmarshal(b, &t); err != nil {
		return Token{}, fmt.Errorf("read token %s: %w", k, err)
	}
	return t, nil
}

func hash(secret string) string {
	s := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(s[:])
}

func key(sum string) string { return "tokens/" + sum + ".json" }

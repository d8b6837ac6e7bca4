package site

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// The layout's footer says when the data last changed (the live release's
// time, linked to the release) and where to write to the portal's
// operator: readers who find a wrong figure, officials who need a token.

// ContactURL reads the operator's contact as --contact takes it: an e-mail
// address (made a mailto: link), a mailto: link or an http(s) address such
// as a feedback form. Anything else is refused, not guessed.
func ContactURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if !strings.Contains(s, ":") {
		s = "mailto:" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", errors.New("must be an e-mail address, a mailto: link or an http(s) address")
	}
	switch u.Scheme {
	case "mailto":
		addr, _, _ := strings.Cut(u.Opaque, "?")
		if _, err := mail.ParseAddress(addr); err != nil || !strings.Contains(addr, "@") {
			return "", fmt.Errorf("%q is not an e-mail address", addr)
		}
	case "http", "https":
		if u.Host == "" || u.User != nil {
			return "", errors.New("an http(s) address needs a host and no user name")
		}
	default:
		return "", errors.New("must be an e-mail address, a mailto: link or an http(s) address")
	}
	return u.String(), nil
}

// contactLabel is how the footer names the contact: the address of a
// mailto: link, the host of a web address.
func contactLabel(contact string) string {
	u, err := url.Parse(contact)
	if err != nil {
		return contact
	}
	if u.Scheme == "mailto" {
		addr, _, _ := strings.Cut(u.Opaque, "?")
		return addr
	}
	return u.Host + strings.TrimSuffix(u.Path, "/")
}

// updated is the live release as the footer names it.
type updated struct {
	Release string
	Time    time.Time
}

// lastUpdate remembers the live release's time, read once per release:
// releases are immutable, and the id is known without reading the store
// when the index follower reported it.
type lastUpdate struct {
	seen atomic.Pointer[updated]
}

// lastUpdated returns the live release and its time, or nil when nothing
// is published or the store does not answer: the footer then says
// nothing rather than failing the page.
func (s *Server) lastUpdated(ctx context.Context) *updated {
	if s.cfg.Publisher == nil {
		return nil
	}
	var id string
	if st := s.followed.Load(); st != nil && st.live != "" {
		id = st.live
	} else {
		var err error
		if id, _, err = s.cfg.Publisher.CurrentID(ctx); err != nil {
			return nil
		}
	}
	if u := s.updated.seen.Load(); u != nil && u.Release == id {
		return u
	}
	m, err := s.cfg.Publisher.Release(ctx, id)
	if err != nil {
		return nil
	}
	u := &updated{Release: m.ID, Time: m.Created}
	s.updated.seen.Store(u)
	return u
}

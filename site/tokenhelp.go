package site

import (
	"cmp"
	"net/http"

	"github.com/terbuka/terbuka/dataset"
)

// tokenHelpPage is what /kirim/token shows: how a regional official gets
// a token, keeps it and sends data with it.
type tokenHelpPage struct {
	// PortalURL is the portal's address in the examples.
	PortalURL string
}

// handleTokenHelp is GET /kirim/token. The operator's contact, when set
// (Config.Contact), comes with every page.
func (s *Server) handleTokenHelp(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Tokens == nil || s.cfg.Intake == nil {
		return notFound(dataset.Label{ID: "pengiriman data tidak diaktifkan di server ini", EN: "sending data is not enabled on this server"})
	}
	page := tokenHelpPage{PortalURL: cmp.Or(s.cfg.PublicURL, "https://portal.example")}
	s.render(w, r, http.StatusOK, "token", langOf(r).translate("token.title"), page)
	return nil
}

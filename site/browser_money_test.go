package site

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// fundedPackage finds, through the API as a reader would, a procurement
// package of the portal that names its budget line and a company
// supplier: its page, its budget line's page and its supplier's name.
func findFundedPackage(t *testing.T, p *browserPortal) (pkgPath, linePath, supplier string) {
	t.Helper()
	var res struct {
		Results []struct {
			ID string `json:"id"`
		} `json:"results"`
	}
	getPortalJSON(t, p, "/api/v1/search?dataset=procurement&region=32.73&year=2024&q=pembangunan&size=50", &res)
	for _, h := range res.Results {
		var rec struct {
			Record map[string]any `json:"record"`
			URL    string         `json:"url"`
		}
		getPortalJSON(t, p, "/api/v1/records/"+url.PathEscape(h.ID), &rec)
		line, _ := rec.Record["budget_id"].(string)
		name, _ := rec.Record["supplier_name"].(string)
		if line != "" && name != "" && rec.Record["supplier_tax_id"] != nil {
			u, err := url.Parse(rec.URL)
			if err != nil {
				t.Fatal(err)
			}
			return u.Path, "/data/budget/32.73/2024/" + line, name
		}
	}
	t.Fatalf("no package of Kota Bandung 2024 among %d names its budget line and a company", len(res.Results))
	return "", "", ""
}

// testBrowserFollowTheMoney walks from a budget line to a package it funds
// and on to the company that won it, as a journalist would.
func testBrowserFollowTheMoney(t *testing.T, tab context.Context, p *browserPortal) {
	pkgPath, linePath, supplier := findFundedPackage(t, p)
	open(t, tab, p.url+linePath)
	sel := `section.funded a[href=` + strconv.Quote(pkgPath) + `]`
	if !eval[bool](t, tab, `!!document.querySelector(`+strconv.Quote(sel)+`)`) {
		t.Fatalf("budget line %s does not list package %s:\n%s", linePath, pkgPath, eval[string](t, tab, `document.querySelector('main')?.innerText ?? ''`))
	}
	if got := eval[string](t, tab, `document.querySelector('section.funded p strong')?.textContent ?? ""`); got == "" {
		t.Error("the budget line does not say how much of it is contracted")
	}
	follow(t, tab, chromedp.CSS(sel))
	if u := location(t, tab); u.Path != pkgPath {
		t.Fatalf("the package link led to %s, want %s", u.Path, pkgPath)
	}
	if back := eval[string](t, tab, `document.querySelector('tr[data-field="budget_id"] a')?.getAttribute('href') ?? ""`); back != linePath {
		t.Errorf("the package names budget line %q, want %q", back, linePath)
	}
	follow(t, tab, chromedp.CSS(`tr[data-field="supplier_name"] a`))
	u := location(t, tab)
	if !supplierPathRE.MatchString(u.Path) {
		t.Fatalf("the supplier link led to %s, want /penyedia/{15 digits}", u)
	}
	if h1 := eval[string](t, tab, `document.querySelector('h1')?.textContent.trim() ?? ""`); h1 != supplier {
		t.Errorf("supplier page heading %q, want %q", h1, supplier)
	}
	if !eval[bool](t, tab, `!!document.querySelector('table.contracts a[href=`+strconv.Quote(pkgPath)+`]')`) {
		t.Errorf("the supplier page does not list package %s", pkgPath)
	}
	if n := eval[int](t, tab, `document.querySelectorAll('table.agencies tbody tr').length`); n == 0 {
		t.Error("the supplier page has no agencies")
	}
}

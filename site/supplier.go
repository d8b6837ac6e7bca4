package site

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/redflag"
	"github.com/terbuka/terbuka/search"
)

// maxSupplierContracts bounds the contracts a supplier page lists and
// totals; past it, the page says so and links the full search.
const maxSupplierContracts = 1000

// supplierPage is a company's record as a supplier: every procurement
// package it won, with totals, its share of each agency's packages and
// its packages' red flags. Only companies have one: a supplier is keyed by
// its company NPWP, which the portal never holds for a person (privacy
// rules mask it), and a name without a legal form is refused too.
type supplierPage struct {
	Name, TaxID string
	// Contracts are the packages it won, newest first.
	Contracts []supplierContract
	Count     int
	Truncated bool
	// ContractTotal sums contract values, CeilingTotal the packages'
	// pagu; Valued counts packages with a contract value.
	ContractTotal, CeilingTotal int64
	Valued                      int
	Years                       []supplierYear
	Agencies                    []supplierAgency
	Flags                       []supplierFlag
	SearchURL                   string
}

// supplierContract is one package a supplier won.
type supplierContract struct {
	URL, Title, RegionName, Agency, Flags string
	Year                                  int
	Contract                              int64
	Valued                                bool
}

type supplierYear struct {
	Year          int
	Count         int
	ContractTotal int64
}

// supplierAgency is the supplier's record with one agency of one region:
// packages won of the agency's packages in the years it won any.
type supplierAgency struct {
	Region, RegionName, Agency string
	Won, Packages              int64
	ContractTotal              int64
	URL                        string
}

type supplierFlag struct {
	Flag, Name string
	Count      int
	URL        string
}

// supplierURL is the page of the company with tax id npwp (as records
// hold it), "" when it has none: a masked or personal id.
func supplierURL(l lang, npwp string) string {
	canon := dataset.CanonicalTaxID(npwp)
	if len(canon) != len("NN.NNN.NNN.N-NNN.NNN") {
		return ""
	}
	return "/penyedia/" + strings.NewReplacer(".", "", "-", "").Replace(canon) + l.query("?")
}

// handleSupplier is /penyedia/{npwp}: 15 digits of a company's NPWP.
func (s *Server) handleSupplier(w http.ResponseWriter, r *http.Request) error {
	l := langOf(r)
	npwp := dataset.CanonicalTaxID(mux.Vars(r)["npwp"])
	missing := notFound(dataset.Label{ID: "tidak ada kontrak penyedia dengan NPWP ini", EN: "no contracts of a supplier with this NPWP"})
	if len(npwp) != 20 {
		return missing
	}
	page := &supplierPage{TaxID: npwp}
	q := search.Query{Dataset: "procurement", Text: `supplier_tax_id:"` + npwp + `"`, Sort: "-date", Size: 100}
	page.SearchURL = searchLink(l, "dataset", "procurement", "q", q.Text, "sort", "-date")
	names := map[string]int{}
	type agencyKey struct{ region, agency string }
	agencies := map[agencyKey]*supplierAgency{}
	years := map[int]*supplierYear{}
	flags := map[string]int{}
	for {
		res, err := s.cfg.Index.Search(r.Context(), q)
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			if page.Count == maxSupplierContracts {
				page.Truncated = true
				break
			}
			page.Count++
			names[h.Fields["supplier_name"]]++
			page.CeilingTotal += h.Amount
			value, valued := dataset.ParseFormattedMoney(h.Fields["contract_value"])
			hv := s.hitView(l, h)
			title := h.Title
			if title == "" {
				title = l.translate("hit.untitled")
			}
			page.Contracts = append(page.Contracts, supplierContract{URL: hv.URL, Title: title, RegionName: h.RegionName, Year: h.Year,
				Agency: h.Fields["agency_name"], Contract: value, Valued: valued, Flags: flagList(l, h.Fields[dataset.FieldFlag])})
			if valued {
				page.ContractTotal += value
				page.Valued++
			}
			y := years[h.Year]
			if y == nil {
				y = &supplierYear{Year: h.Year}
				years[h.Year] = y
			}
			y.Count++
			y.ContractTotal += value
			k := agencyKey{h.Region, h.Fields["agency_name"]}
			a := agencies[k]
			if a == nil {
				a = &supplierAgency{Region: h.Region, RegionName: h.RegionName, Agency: k.agency}
				agencies[k] = a
			}
			a.Won++
			a.ContractTotal += value
			for _, f := range strings.Split(h.Fields[dataset.FieldFlag], ",") {
				if f != "" {
					flags[f]++
				}
			}
		}
		if res.Next == "" || page.Truncated {
			break
		}
		q.After = res.Next
	}
	if page.Count == 0 {
		return missing
	}
	// The name it won most under; a name without a legal form is a
	// person's, whose page Terbuka never makes.
	for name, n := range names {
		if n > names[page.Name] || n == names[page.Name] && name < page.Name {
			page.Name = name
		}
	}
	if !dataset.IsCompanyName(page.Name) {
		return missing
	}
	for _, y := range years {
		page.Years = append(page.Years, *y)
	}
	slices.SortFunc(page.Years, func(a, b supplierYear) int { return cmp.Compare(b.Year, a.Year) })
	for _, a := range agencies {
		// The agency's packages in the region, over the years shown.
		aq := search.Query{Dataset: "procurement", Region: a.Region, Size: 1, Filters: map[string]string{"agency_name": a.Agency}}
		res, err := s.cfg.Index.Search(r.Context(), aq)
		if err != nil {
			return err
		}
		a.Packages = int64(res.Total)
		a.URL = searchLink(l, "dataset", "procurement", "region", a.Region, "agency_name", a.Agency)
		page.Agencies = append(page.Agencies, *a)
	}
	slices.SortFunc(page.Agencies, func(a, b supplierAgency) int {
		return cmp.Or(cmp.Compare(b.ContractTotal, a.ContractTotal), cmp.Compare(b.Won, a.Won), cmp.Compare(a.Region, b.Region), cmp.Compare(a.Agency, b.Agency))
	})
	for _, f := range redflag.Flags {
		if n := flags[string(f)]; n > 0 {
			page.Flags = append(page.Flags, supplierFlag{Flag: string(f), Name: flagName(l, string(f)), Count: n,
				URL: searchLink(l, "dataset", "procurement", "q", q.Text, "flag", string(f))})
		}
	}
	s.render(w, r, http.StatusOK, "supplier", fmt.Sprintf("%s · %s", page.Name, l.translate("supplier.title")), page)
	return nil
}

// searchLink is the search page of the given parameters (name, value…) in
// the page's language.
func searchLink(l lang, kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	if l == langEN {
		v.Set("lang", "en")
	}
	return "/search?" + v.Encode()
}

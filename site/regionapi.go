package site

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
)

// regionJSON is a region's profile as /api/v1/regions/{code}?year= answers
// it: the figures its page shows, of its own government only, money as
// decimal strings of rupiah (exact to the sen, as in the Parquet files).
type regionJSON struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Level      string `json:"level"` // provinsi, kabupaten or kota
	Province   string `json:"province,omitempty"`
	Year       int    `json:"year"`
	Years      []int  `json:"years"` // the years with data, a province's members' included
	Population int64  `json:"population"`
	Release    string `json:"release,omitempty"`
	// Published is whether the government itself published anything for
	// Year; without it the figures below are absent.
	Published bool `json:"published"`
	// Budget holds pendapatan (revenue), belanja (spending) and
	// pembiayaan (financing) per budget stage, never added across stages.
	Budget map[string]budgetJSON `json:"budget"`
	// BudgetSource names the dataset Budget comes from: "budget", the
	// agency-level lines, or "budget_accounts", the deepest accounts of
	// the budget by account when the region published no lines for Year.
	BudgetSource string `json:"budget_source,omitempty"`
	// Accounts describes the region's budget by account (Perda APBD /
	// LRA) of Year, shown or not.
	Accounts *accountsJSON `json:"budget_accounts,omitempty"`
	// Plan is the latest planning stage, which per-capita figures use.
	Plan        string           `json:"plan,omitempty"`
	PerCapita   *perCapitaJSON   `json:"per_capita,omitempty"`
	Procurement *procurementJSON `json:"procurement,omitempty"`
	Levies      *leviesJSON      `json:"taxes_and_levies,omitempty"`
	Members     *membersJSON     `json:"members,omitempty"`
	URL         string           `json:"url"`
}

type budgetJSON struct {
	Revenue   string `json:"revenue"`
	Spending  string `json:"spending"`
	Financing string `json:"financing"`
}

type accountsJSON struct {
	// Shown says Budget holds its figures.
	Shown        bool `json:"shown"`
	DeepestLevel int  `json:"deepest_level"`
	// Parents counts the accounts with accounts below them, Mismatches
	// those whose amount is not their sum, over every stage.
	Parents    int `json:"parents"`
	Mismatches int `json:"hierarchy_mismatches"`
}

type perCapitaJSON struct {
	Revenue  string `json:"revenue"`
	Spending string `json:"spending"`
}

type procurementJSON struct {
	Packages int64  `json:"packages"`
	Ceiling  string `json:"ceiling"`
	Contract string `json:"contract_value"`
	// DirectShare is the part of the ceiling given without an open
	// tender (penunjukan or pengadaan langsung), a fraction from 0 to 1.
	DirectShare float64 `json:"direct_share"`
}

type leviesJSON struct {
	Target   string `json:"target"`
	Realized string `json:"realized"`
}

// membersJSON compares a province's regencies and cities: governments of
// their own, listed beside the province, never added to it.
type membersJSON struct {
	Published int          `json:"published"`
	Total     int          `json:"total"`
	Regions   []memberJSON `json:"regions"`
}

type memberJSON struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Population int64  `json:"population"`
	Published  bool   `json:"published"`
	// Spending is belanja by the member's latest plan of the year.
	Spending string `json:"spending,omitempty"`
	Contract string `json:"contract_value,omitempty"`
}

// handleRegionAPI is GET /api/v1/regions/{code}?year=Y (latest when
// absent).
func (s *Server) handleRegionAPI(w http.ResponseWriter, r *http.Request) error {
	code := mux.Vars(r)["code"]
	reg := s.cfg.Regions.Lookup(code)
	if reg == nil {
		return &userError{status: http.StatusNotFound, msg: dataset.Label{ID: "wilayah " + code + " tidak dikenal", EN: "unknown region " + code}, err: dataset.ErrNotFound}
	}
	live, err := s.liveRelease(r)
	if err != nil {
		return err
	}
	year, err := intParam(r.URL.Query(), "year", 0)
	if err != nil {
		return err
	}
	page, err := s.regionProfile(r, live, reg, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.regionJSON(r, page))
	return nil
}

func (s *Server) regionJSON(r *http.Request, page *regionPage) regionJSON {
	reg := page.Region
	out := regionJSON{Code: reg.Code, Name: reg.Name, Level: reg.Kind, Year: page.Year, Years: []int{}, Population: reg.Population,
		Release: page.Release, Published: page.HasData, Budget: map[string]budgetJSON{}, Plan: page.Plan,
		URL: s.baseURL(r) + "/wilayah/" + reg.Code}
	if page.Province != nil {
		out.Province = page.Province.Code
	}
	for _, y := range page.Years {
		out.Years = append(out.Years, y.Year)
	}
	if len(page.Stages) > 0 {
		out.BudgetSource = "budget"
	}
	if a := page.Accounts; a != nil {
		out.Accounts = &accountsJSON{Shown: a.Shown, DeepestLevel: a.Deepest, Parents: a.Parents, Mismatches: a.Mismatched}
		if a.Shown {
			out.BudgetSource = budgetAccountsName
		}
	}
	for i, st := range page.Stages {
		var b [3]int64
		for _, row := range page.Groups {
			switch row.Group {
			case "pendapatan":
				b[0] = row.Cells[i].Value
			case "belanja":
				b[1] = row.Cells[i].Value
			case "pembiayaan":
				b[2] = row.Cells[i].Value
			}
		}
		out.Budget[st.Stage] = budgetJSON{dataset.FormatMoney(b[0]), dataset.FormatMoney(b[1]), dataset.FormatMoney(b[2])}
	}
	if len(page.PerCapita) > 0 {
		pc := &perCapitaJSON{}
		for _, f := range page.PerCapita {
			if f.Key == "belanja" {
				pc.Spending = dataset.FormatMoney(f.Value)
			} else {
				pc.Revenue = dataset.FormatMoney(f.Value)
			}
		}
		out.PerCapita = pc
	}
	if page.Procurement.Count > 0 {
		out.Procurement = &procurementJSON{Packages: page.Procurement.Count, Ceiling: dataset.FormatMoney(page.Procurement.Ceiling),
			Contract: dataset.FormatMoney(page.Procurement.Contract), DirectShare: page.DirectShare}
	}
	if page.RevenueShown {
		var target, real int64
		for _, f := range page.Levies {
			target, real = target+f.Of, real+f.Value
		}
		out.Levies = &leviesJSON{Target: dataset.FormatMoney(target), Realized: dataset.FormatMoney(real)}
	}
	if reg.IsProvince() {
		m := &membersJSON{Published: page.MembersPublished, Total: len(page.Members), Regions: []memberJSON{}}
		for _, row := range page.Members {
			mj := memberJSON{Code: row.Region.Code, Name: row.Region.Name, Population: row.Population, Published: row.Published}
			if row.HasBudget {
				mj.Spending = dataset.FormatMoney(row.Belanja)
			}
			if row.HasProc {
				mj.Contract = dataset.FormatMoney(row.ProcContract)
			}
			m.Regions = append(m.Regions, mj)
		}
		out.Members = m
	}
	return out
}

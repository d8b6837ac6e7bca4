package site

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/redflag"
)

// The red-flag method page, /metodologi/tanda-risiko, explains each flag
// of package redflag. Its thresholds and the ceilings of direct
// procurement are read from redflag (Rules, DirectCeilings), so the page
// cannot say one threshold while the rules apply another; the reasons and
// sources are prose in messages.go.

// flagDoc is what a flag reads, as the page lists it.
type flagDoc struct {
	// Columns of procurement and, for bid counts, of procurement_bids.
	Columns, BidColumns []string
	// Figures are the keys of its object in flag_figures.
	Figures []string
}

// flagDocs follow the rules in package redflag and the publisher's
// packageOf; a test checks the figures against what Check writes and the
// columns against the schemas.
var flagDocs = map[redflag.Flag]flagDoc{
	redflag.SingleBidder: {
		Columns:    []string{"method", "tender_id", "bidder_count", dataset.FieldBidCount},
		BidColumns: []string{"tender_id", "participant_id", "supplier_name", "bid_value"},
		Figures:    []string{"bidders", "participants"},
	},
	redflag.ContractNearHPS:  {Columns: []string{"contract_value", "owner_estimate", "budget_ceiling"}, Figures: []string{"contract", "hps", "ceiling"}},
	redflag.ContractAboveHPS: {Columns: []string{"contract_value", "owner_estimate", "budget_ceiling"}, Figures: []string{"contract", "hps", "ceiling"}},
	redflag.LowBid:           {Columns: []string{"category", "contract_value", "owner_estimate"}, Figures: []string{"contract", "hps", "ceiling"}},
	redflag.DirectOverThreshold: {
		Columns: []string{"method", "category", "owner_estimate", "budget_ceiling", "contract_value", "announced_at", "awarded_at"},
		Figures: []string{"value", "limit", "since"},
	},
	redflag.PossibleSplitting: {
		Columns: []string{"method", "category", "agency_name", "supplier_tax_id", "supplier_name", "owner_estimate", "budget_ceiling", "contract_value", "announced_at", "awarded_at"},
		Figures: []string{"packages", "sum", "limit"},
	},
	redflag.ShortTender:  {Columns: []string{"method", "announced_at", "awarded_at"}, Figures: []string{"days", "fence_days", "packages"}},
	redflag.RepeatWinner: {Columns: []string{"agency_name", dataset.FieldFiscalYear, "supplier_tax_id", "supplier_name"}, Figures: []string{"wins", "packages", "share_bp"}},
	redflag.YearEnd:      {Columns: []string{"announced_at", dataset.FieldFiscalYear}, Figures: []string{"days"}},
}

// figureUnits are the units of flag_figures' keys, in the order the page
// lists them.
var figureUnits = []struct{ Key, Unit string }{
	{"bidders", "count"}, {"participants", "count"},
	{"contract", "sen"}, {"hps", "sen"}, {"ceiling", "sen"},
	{"value", "sen"}, {"limit", "sen"}, {"since", "unix"}, {"sum", "sen"},
	{"packages", "count"}, {"wins", "count"}, {"share_bp", "bp"},
	{"days", "days"}, {"fence_days", "days"},
}

// flagMethodPage is what the red-flag method page shows.
type flagMethodPage struct {
	Flags    []flagRuleView
	Ceilings []ceilingRow
	// CeilingNote and Fence are paragraphs with figures in them.
	CeilingNote, Fence string
	Columns            []string
	Keys               []figureKeyView
	Queries            []flagQuery
}

// flagRuleView is one flag explained.
type flagRuleView struct {
	Flag, Name                   string
	Rule, Why, Source, Data      string
	Columns, BidColumns, Figures []string
}

// ceilingRow is one dated ceiling of direct procurement.
type ceilingRow struct {
	Category, Name string
	// Coded: the category as the data writes it differs from its name.
	Coded         bool
	From, FromISO string
	// Flagged is the least value direct_over_threshold flags.
	Limit, Flagged string
	LimitSen       int64
	Source         string
}

// figureKeyView is one key of flag_figures and the flags writing it.
type figureKeyView struct {
	Key, Unit, Meaning string
	Flags              []string
}

// flagQuery is a DuckDB query over the procurement Parquet download.
type flagQuery struct {
	Key, SQL string
}

// handleFlagMethod is /metodologi/tanda-risiko: how the red flags of
// procurement packages are computed, and from what.
func (s *Server) handleFlagMethod(w http.ResponseWriter, r *http.Request) error {
	l := langOf(r)
	s.render(w, r, http.StatusOK, "flagmethod", l.translate("flagmethod.title"), flagMethod(l))
	return nil
}

func flagMethod(l lang) flagMethodPage {
	th := redflag.Rules()
	methods := orList(l, th.Competitive)
	var page flagMethodPage
	for _, f := range redflag.Flags {
		key := "flagmethod." + string(f)
		doc := flagDocs[f]
		page.Flags = append(page.Flags, flagRuleView{
			Flag: string(f), Name: flagName(l, string(f)),
			Rule: flagRule(l, f, th, methods), Why: l.translate(key + ".why"), Source: l.translate(key + ".source"), Data: l.translate(key + ".data"),
			Columns: doc.Columns, BidColumns: doc.BidColumns, Figures: doc.Figures,
		})
	}

	ceilings := redflag.DirectCeilings()
	// Categories in the order the dataset lists them, any other after.
	cats := slices.Sorted(maps.Keys(ceilings))
	slices.SortStableFunc(cats, func(a, b string) int {
		return cmp.Compare(categoryRank(a), categoryRank(b))
	})
	for _, cat := range cats {
		for _, c := range ceilings[cat] {
			page.Ceilings = append(page.Ceilings, ceilingRow{
				Category: cat, Name: categoryName(l, cat), Coded: !strings.EqualFold(cat, categoryName(l, cat)),
				From: dateWords(l, c.From), FromISO: c.From.Format("2006-01-02"),
				Limit: rupiah(l, c.Limit), LimitSen: c.Limit, Flagged: rupiah(l, (c.Limit*th.JustUnderBP+9999)/10000),
				Source: c.Source,
			})
		}
	}
	var uncovered []string
	for _, cat := range dataset.ProcurementCategories {
		if _, ok := ceilings[cat]; !ok {
			uncovered = append(uncovered, strings.ToLower(categoryName(l, cat)))
		}
	}
	page.CeilingNote = fmt.Sprintf(l.translate("flagmethod.ceilings.note"), cmp.Or(strings.Join(uncovered, ", "), "–"))
	page.Fence = fmt.Sprintf(l.translate("flagmethod.fence"), methods, decimal(l, th.FenceIQR), number(l, th.MinFencePackages))

	page.Columns = []string{dataset.FieldBidCount, dataset.FieldFlag, dataset.FieldFlagFigures}
	for _, u := range figureUnits {
		k := figureKeyView{Key: u.Key, Unit: l.translate("flagmethod.unit." + u.Unit), Meaning: l.translate("flagmethod.key." + u.Key)}
		for _, f := range redflag.Flags {
			if slices.Contains(flagDocs[f].Figures, u.Key) {
				k.Flags = append(k.Flags, string(f))
			}
		}
		page.Keys = append(page.Keys, k)
	}
	page.Queries = flagQueries(th)
	return page
}

// flagRule is the rule of a flag with its thresholds filled in.
func flagRule(l lang, f redflag.Flag, th redflag.Thresholds, methods string) string {
	msg := l.translate("flagmethod." + string(f) + ".rule")
	switch f {
	case redflag.SingleBidder:
		return fmt.Sprintf(msg, methods)
	case redflag.ContractNearHPS:
		return fmt.Sprintf(msg, basisPoints(l, th.NearHPSBP))
	case redflag.LowBid:
		return fmt.Sprintf(msg, basisPoints(l, th.LowBidBP))
	case redflag.DirectOverThreshold:
		return fmt.Sprintf(msg, basisPoints(l, th.JustUnderBP))
	case redflag.PossibleSplitting:
		return fmt.Sprintf(msg, number(l, th.SplitWindowDays))
	case redflag.ShortTender:
		return fmt.Sprintf(msg, methods, decimal(l, th.FenceIQR))
	case redflag.RepeatWinner:
		return fmt.Sprintf(msg, number(l, th.RepeatWins), basisPoints(l, th.RepeatShareBP), number(l, th.RepeatMinAwards))
	case redflag.YearEnd:
		return fmt.Sprintf(msg, number(l, th.YearEndFrom))
	}
	return msg
}

// flagQueries are the DuckDB queries the page offers, the fence query
// built from the rules' own values.
func flagQueries(th redflag.Thresholds) []flagQuery {
	quoted := make([]string, len(th.Competitive))
	for i, m := range th.Competitive {
		quoted[i] = "'" + m + "'"
	}
	return []flagQuery{
		{"count", `SELECT f AS flag, count(*) AS packages
FROM (SELECT unnest(string_split(flag, ',')) AS f FROM 'procurement.parquet')
GROUP BY f
ORDER BY packages DESC;`},
		{"figures", `SELECT region_code, fiscal_year, agency_name, supplier_name, title,
       CAST(flag_figures->>'$.repeat_winner.wins' AS INTEGER) AS wins,
       CAST(flag_figures->>'$.repeat_winner.packages' AS INTEGER) AS packages,
       CAST(flag_figures->>'$.repeat_winner.share_bp' AS INTEGER) / 100 AS share_pct
FROM 'procurement.parquet'
WHERE list_contains(string_split(flag, ','), 'repeat_winner')
ORDER BY share_pct DESC;`},
		{"fence", `WITH d AS (
  SELECT region_code, fiscal_year, method,
         awarded_at - CAST(timezone('Asia/Jakarta', announced_at) AS DATE) AS days
  FROM 'procurement.parquet'
  WHERE method IN (` + strings.Join(quoted, ", ") + `)
    AND announced_at IS NOT NULL AND awarded_at IS NOT NULL
)
SELECT region_code, fiscal_year, method, count(*) AS packages,
       quantile_cont(days, 0.25) AS q1, quantile_cont(days, 0.75) AS q3,
       q1 - ` + strconv.FormatFloat(th.FenceIQR, 'f', -1, 64) + ` * (q3 - q1) AS fence_days
FROM d
GROUP BY ALL
HAVING count(*) >= ` + strconv.Itoa(th.MinFencePackages) + ` AND q3 > q1
ORDER BY ALL;`},
	}
}

// basisPoints writes a share in basis points as a percentage, decimals
// only when there are some: 9900 is 99 %, 9950 is 99,5 %.
func basisPoints(l lang, bp int64) string {
	return decimal(l, float64(bp)/100) + " %"
}

// decimal writes x with the decimals it needs, in the language's marks.
func decimal(l lang, x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	_, mark := l.marks()
	return strings.Replace(s, ".", mark, 1)
}

// orList joins values the way a sentence lists alternatives: a, b or c.
func orList(l lang, xs []string) string {
	or := " atau "
	if l == langEN {
		or = " or "
	}
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + or + xs[len(xs)-1]
}

// categoryRank orders procurement categories as the dataset lists them.
func categoryRank(cat string) int {
	if i := slices.Index(dataset.ProcurementCategories, cat); i >= 0 {
		return i
	}
	return len(dataset.ProcurementCategories)
}

// categoryName is a procurement category in the page's language, the value
// itself when the catalogue has no name for it.
func categoryName(l lang, cat string) string {
	key := "flagmethod.cat." + strings.ReplaceAll(cat, " ", "_")
	if _, ok := messages[key]; ok {
		return l.translate(key)
	}
	return cat
}

package site

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/redflag"
)

// The expectations below are worked out from package redflag's exported
// values and formatted here, not by the page's code: a page that drifts
// from the rules, or formats them wrongly, fails.

var idMonths = []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// wantRupiah writes sen the way pages do: Rp 200.000.000 in Indonesian,
// Rp 200,000,000 in English.
func wantRupiah(en bool, sen int64) string {
	group, mark := ".", ","
	if en {
		group, mark = ",", "."
	}
	digits := strconv.FormatInt(sen/100, 10)
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	s := "Rp\u00a0" + b.String()
	if c := sen % 100; c != 0 {
		s += fmt.Sprintf("%s%02d", mark, c)
	}
	return s
}

// wantDate writes a date in words: 1 Juli 2018, 1 July 2018.
func wantDate(en bool, t time.Time) string {
	if en {
		return t.Format("2 January 2006")
	}
	return fmt.Sprintf("%d %s %d", t.Day(), idMonths[t.Month()-1], t.Year())
}

// wantPercent writes basis points as a percentage: 9900 is 99 %, 9950 is
// 99,5 % in Indonesian.
func wantPercent(en bool, bp int64) string {
	s := strconv.FormatInt(bp/100, 10)
	if r := bp % 100; r != 0 {
		mark := ","
		if en {
			mark = "."
		}
		s += mark + strings.TrimRight(fmt.Sprintf("%02d", r), "0")
	}
	return s + " %"
}

// flagSection is the part of the page that explains one flag.
func flagSection(t *testing.T, body string, f redflag.Flag) string {
	t.Helper()
	start := strings.Index(body, `data-flag="`+string(f)+`"`)
	if start < 0 {
		t.Fatalf("no section for %s", f)
	}
	end := strings.Index(body[start:], "</section>")
	return body[start : start+end]
}

// flagSample are packages of one region and year that earn every flag
// between them.
func flagSample() []redflag.Package {
	const juta = 1_000_000 * 100
	at := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 9, 0, 0, 0, dataset.WIB) }
	var pkgs []redflag.Package
	// Tenders taking 30 to 49 days, and one taking 1: the fence is
	// Q1 − 1.5 × IQR = 34 − 15 = 19 days.
	for i := range 21 {
		p := redflag.Package{ID: fmt.Sprintf("tender-%02d", i), Agency: "dinas a", Year: 2024, Method: "tender", Category: "barang",
			Ceiling: 120 * juta, HPS: 100 * juta, Contract: 90 * juta, Announced: at(time.March, 1)}
		p.Awarded = p.Announced.AddDate(0, 0, 29+i)
		switch i {
		case 0:
			p.Awarded = p.Announced.AddDate(0, 0, 1)
		case 1:
			p.Bidders, p.HasBidders, p.Participants = 1, true, 4
		case 2:
			p.Contract = 99*juta + 50*juta/100
		case 3:
			p.Contract = 101 * juta
		case 4:
			p.Category, p.Contract = "pekerjaan konstruksi", 70*juta
		}
		pkgs = append(pkgs, p)
	}
	pkgs = append(pkgs,
		redflag.Package{ID: "december", Agency: "dinas a", Year: 2024, Ceiling: 50 * juta, Announced: at(time.December, 10)},
		redflag.Package{ID: "direct", Agency: "dinas a", Year: 2024, Method: "pengadaan langsung", Category: "barang", HPS: 195 * juta, Announced: at(time.May, 2)},
		redflag.Package{ID: "split-1", Agency: "dinas c", Year: 2024, Method: "pengadaan langsung", Category: "barang", HPS: 150 * juta, Supplier: "npwp:012345678901234", Announced: at(time.June, 1)},
		redflag.Package{ID: "split-2", Agency: "dinas c", Year: 2024, Method: "pengadaan langsung", Category: "barang", HPS: 150 * juta, Supplier: "npwp:012345678901234", Announced: at(time.June, 20)},
	)
	for i, s := range []string{"a", "a", "a", "b", "c"} {
		pkgs = append(pkgs, redflag.Package{ID: fmt.Sprintf("award-%d", i), Agency: "dinas b", Year: 2024, Method: "e-purchasing", Category: "barang",
			Ceiling: 10 * juta, Contract: 9 * juta, Supplier: "name:cv " + s, Announced: at(time.April, 1+i)})
	}
	return pkgs
}

// TestFlagMethodPage reads /metodologi/tanda-risiko in both languages: it
// names every flag with its threshold and the figures the rules write,
// shows every dated ceiling of direct procurement, and warns that a flag
// is no proof; /metodologi links to it.
func TestFlagMethodPage(t *testing.T) {
	ts := newTestServer(t)
	th := redflag.Rules()
	ceilings := redflag.DirectCeilings()
	written := map[redflag.Flag]map[string]bool{}
	for _, fs := range redflag.Check(flagSample()) {
		for _, f := range fs {
			if written[f.Flag] == nil {
				written[f.Flag] = map[string]bool{}
			}
			for k := range f.Why {
				written[f.Flag][k] = true
			}
		}
	}
	if len(written) != len(redflag.Flags) {
		t.Fatalf("the sample earns %d of the %d flags: make it earn every one", len(written), len(redflag.Flags))
	}
	row := regexp.MustCompile(`(?s)<tr data-category="([^"]+)" data-from="([^"]+)">(.*?)</tr>`)

	for _, lg := range []string{"id", "en"} {
		t.Run(lg, func(t *testing.T) {
			en := lg == "en"
			resp, body := get(t, ts.URL+"/metodologi/tanda-risiko?lang="+lg)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if !strings.Contains(body, `<html lang="`+lg+`"`) {
				t.Error("wrong <html lang>")
			}
			if strings.Contains(body, ">flagmethod.") || strings.Contains(body, " flagmethod.") || strings.Contains(body, "%!") {
				t.Error("a message key or a bad format shows on the page")
			}
			caveat := "Tanda bukan bukti pelanggaran."
			if en {
				caveat = "A flag is not proof of wrongdoing."
			}
			if !regexp.MustCompile(`<p class="notice"[^>]*><strong>` + regexp.QuoteMeta(caveat) + `</strong>`).MatchString(body) {
				t.Errorf("the caveat %q is not shown as a notice", caveat)
			}

			for _, f := range redflag.Flags {
				name := flagNames[f].ID
				if en {
					name = flagNames[f].EN
				}
				sec := flagSection(t, body, f)
				if name == "" || !strings.Contains(sec, html.EscapeString(name)) {
					t.Errorf("%s: name %q missing", f, name)
				}
				for k := range written[f] {
					if !strings.Contains(sec, `data-key="`+k+`"`) {
						t.Errorf("%s: figure %q, which the rule writes, is not listed", f, k)
					}
					if !strings.Contains(body, `<tr data-key="`+k+`">`) {
						t.Errorf("figure %q has no row in the table of keys", k)
					}
				}
				var want []string
				switch f {
				case redflag.ContractNearHPS:
					want = []string{wantPercent(en, th.NearHPSBP)}
				case redflag.LowBid:
					want = []string{wantPercent(en, th.LowBidBP)}
				case redflag.DirectOverThreshold:
					want = []string{wantPercent(en, th.JustUnderBP)}
				case redflag.PossibleSplitting:
					want = []string{strconv.Itoa(th.SplitWindowDays)}
				case redflag.RepeatWinner:
					want = []string{strconv.Itoa(th.RepeatWins), wantPercent(en, th.RepeatShareBP), strconv.Itoa(th.RepeatMinAwards)}
				case redflag.YearEnd:
					want = []string{strconv.Itoa(th.YearEndFrom) + " Desember"}
					if en {
						want = []string{strconv.Itoa(th.YearEndFrom) + " December"}
					}
				case redflag.SingleBidder, redflag.ShortTender:
					want = th.Competitive
				}
				for _, w := range want {
					if !strings.Contains(sec, html.EscapeString(w)) {
						t.Errorf("%s: threshold %q missing from its rule", f, w)
					}
				}
			}
			fence := strings.Replace(strconv.FormatFloat(th.FenceIQR, 'f', -1, 64), ".", map[bool]string{false: ",", true: "."}[en], 1)
			fewer := "kurang dari " + strconv.Itoa(th.MinFencePackages) + " paket"
			if en {
				fewer = "fewer than " + strconv.Itoa(th.MinFencePackages) + " packages"
			}
			if !strings.Contains(body, "Q1 − "+fence+" × (Q3 − Q1)") || !strings.Contains(body, fewer) {
				t.Errorf("the fence method does not say Q1 − %s × IQR over %d packages", fence, th.MinFencePackages)
			}

			rows := map[string]string{}
			for _, m := range row.FindAllStringSubmatch(body, -1) {
				rows[m[1]+" "+m[2]] = m[3]
			}
			n := 0
			for cat, cs := range ceilings {
				for _, c := range cs {
					n++
					iso := c.From.Format("2006-01-02")
					r, ok := rows[cat+" "+iso]
					if !ok {
						t.Errorf("no row for the %s ceiling from %s", cat, iso)
						continue
					}
					for _, w := range []string{wantRupiah(en, c.Limit), wantRupiah(en, (c.Limit*th.JustUnderBP+9999)/10000), wantDate(en, c.From), `datetime="` + iso + `"`, html.EscapeString(c.Source)} {
						if !strings.Contains(r, w) {
							t.Errorf("%s from %s: %q missing from %s", cat, iso, w, r)
						}
					}
				}
			}
			if n == 0 || len(rows) != n {
				t.Errorf("%d ceiling rows on the page, %d in redflag", len(rows), n)
			}
			if !strings.Contains(body, "string_split(flag, &#39;,&#39;)") {
				t.Error("no DuckDB query over the flag column")
			}

			resp, method := get(t, ts.URL+"/metodologi?lang="+lg)
			link := `href="/metodologi/tanda-risiko"`
			if en {
				link = `href="/metodologi/tanda-risiko?lang=en"`
			}
			if resp.StatusCode != http.StatusOK || !strings.Contains(method, link) {
				t.Errorf("/metodologi (%s) = %d, without the link %s", lg, resp.StatusCode, link)
			}
		})
	}
}

// TestFlagMethodColumnsExist: the columns the page names are columns of
// the datasets it names them in.
func TestFlagMethodColumnsExist(t *testing.T) {
	pr, _ := dataset.Lookup("procurement")
	bids, err := dataset.Lookup("procurement_bids")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range redflag.Flags {
		doc, ok := flagDocs[f]
		if !ok || len(doc.Columns) == 0 || len(doc.Figures) == 0 {
			t.Errorf("%s: no columns or figures listed", f)
		}
		for _, c := range doc.Columns {
			if pr.Index(c) < 0 {
				t.Errorf("%s: procurement has no column %q", f, c)
			}
		}
		for _, c := range doc.BidColumns {
			if bids.Index(c) < 0 {
				t.Errorf("%s: procurement_bids has no column %q", f, c)
			}
		}
	}
}

// TestFlagMethodRulesMatchChecks: the thresholds redflag.Rules reports are
// the ones Check applies, each tried at its boundary, so the page cannot
// show a value the rules do not use.
func TestFlagMethodRulesMatchChecks(t *testing.T) {
	th := redflag.Rules()
	on := time.Date(2024, 5, 2, 9, 0, 0, 0, dataset.WIB)
	has := func(pkgs []redflag.Package, id string, f redflag.Flag) bool {
		return slices.ContainsFunc(redflag.Check(pkgs)[id], func(x redflag.Finding) bool { return x.Flag == f })
	}
	const hps = 1_000_000 * 100 // Rp 1 juta, in sen
	tender := redflag.Package{ID: "p", Agency: "a", Year: 2024, Method: "tender", Category: "barang", HPS: hps, Announced: on}

	near := tender
	near.Contract = hps * th.NearHPSBP / 10000
	if !has([]redflag.Package{near}, "p", redflag.ContractNearHPS) {
		t.Errorf("contract at %d bp of the HPS not flagged", th.NearHPSBP)
	}
	near.Contract--
	if has([]redflag.Package{near}, "p", redflag.ContractNearHPS) {
		t.Errorf("contract under %d bp of the HPS flagged", th.NearHPSBP)
	}

	low := tender
	low.Category, low.Contract = "pekerjaan konstruksi", hps*th.LowBidBP/10000
	if has([]redflag.Package{low}, "p", redflag.LowBid) {
		t.Errorf("construction contract at %d bp of the HPS flagged low", th.LowBidBP)
	}
	low.Contract--
	if !has([]redflag.Package{low}, "p", redflag.LowBid) {
		t.Errorf("construction contract under %d bp of the HPS not flagged low", th.LowBidBP)
	}

	c, ok := redflag.DirectCeiling("barang", on)
	if !ok {
		t.Fatal("no ceiling for barang")
	}
	direct := redflag.Package{ID: "p", Agency: "a", Year: 2024, Method: "pengadaan langsung", Category: "barang", HPS: c.Limit * th.JustUnderBP / 10000, Announced: on}
	if !has([]redflag.Package{direct}, "p", redflag.DirectOverThreshold) {
		t.Errorf("direct procurement at %d bp of its ceiling not flagged", th.JustUnderBP)
	}
	direct.HPS--
	if has([]redflag.Package{direct}, "p", redflag.DirectOverThreshold) {
		t.Errorf("direct procurement under %d bp of its ceiling flagged", th.JustUnderBP)
	}

	split := func(days int) bool {
		a := redflag.Package{ID: "s1", Agency: "a", Year: 2024, Method: "pengadaan langsung", Category: "barang", HPS: c.Limit/2 + 1, Supplier: "name:x", Announced: on}
		b := a
		b.ID, b.Announced = "s2", on.AddDate(0, 0, days)
		return has([]redflag.Package{a, b}, "s1", redflag.PossibleSplitting)
	}
	if !split(th.SplitWindowDays) || split(th.SplitWindowDays+1) {
		t.Errorf("splitting window is not %d days", th.SplitWindowDays)
	}

	// Fences: days 0, 1, 4, 9, … over n packages.
	fence := func(n int) redflag.Fence {
		var pkgs []redflag.Package
		for i := range n {
			p := tender
			p.ID, p.Awarded = fmt.Sprint(i), on.AddDate(0, 0, i*i)
			pkgs = append(pkgs, p)
		}
		return redflag.Fences(pkgs)[slices.Index(th.Competitive, "tender")]
	}
	if f := fence(th.MinFencePackages); !f.Applicable || f.Days != f.Q1-th.FenceIQR*(f.Q3-f.Q1) {
		t.Errorf("fence over %d packages = %+v, want applicable at Q1 − %g × IQR", th.MinFencePackages, f, th.FenceIQR)
	}
	if f := fence(th.MinFencePackages - 1); f.Applicable {
		t.Errorf("fence applies over %d packages, under the minimum", f.Packages)
	}

	repeat := func(awards, wins int) bool {
		var pkgs []redflag.Package
		for i := range awards {
			s := fmt.Sprint("name:other ", i)
			if i < wins {
				s = "name:winner"
			}
			pkgs = append(pkgs, redflag.Package{ID: fmt.Sprint(i), Agency: "a", Year: 2024, Method: "e-purchasing", Supplier: s})
		}
		return has(pkgs, "0", redflag.RepeatWinner)
	}
	share := int(th.RepeatShareBP) // wins of 10 000 awards at the share
	if !repeat(10000, share) || repeat(10000, share-1) {
		t.Errorf("repeat winner share is not %d bp", th.RepeatShareBP)
	}
	if !repeat(th.RepeatMinAwards, th.RepeatMinAwards) || repeat(th.RepeatMinAwards-1, th.RepeatMinAwards-1) {
		t.Errorf("repeat winner minimum is not %d awards", th.RepeatMinAwards)
	}
	if w := th.RepeatWins - 1; repeat(max(th.RepeatMinAwards, w), w) {
		t.Errorf("%d wins made a repeat winner, fewer than %d", w, th.RepeatWins)
	}

	december := redflag.Package{ID: "p", Agency: "a", Year: 2024, Announced: time.Date(2024, 12, th.YearEndFrom, 9, 0, 0, 0, dataset.WIB)}
	if !has([]redflag.Package{december}, "p", redflag.YearEnd) {
		t.Errorf("announced on %d December, not flagged", th.YearEndFrom)
	}
	december.Announced = december.Announced.AddDate(0, 0, -1)
	if has([]redflag.Package{december}, "p", redflag.YearEnd) {
		t.Errorf("announced the day before %d December, flagged", th.YearEndFrom)
	}

	for _, m := range append(slices.Clone(th.Competitive), "pengadaan langsung") {
		p := tender
		p.Method, p.Bidders, p.HasBidders = m, 1, true
		if got, want := has([]redflag.Package{p}, "p", redflag.SingleBidder), slices.Contains(th.Competitive, m); got != want {
			t.Errorf("one bid in %q: flagged %v, want %v", m, got, want)
		}
	}
}

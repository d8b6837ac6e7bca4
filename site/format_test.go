package site

import (
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/store"
)

// The expected texts below are written out by hand from how each
// language writes money: Indonesian groups thousands with dots and has a
// decimal comma, English the other way round; short units are ribu, juta,
// miliar, triliun (10³, 10⁶, 10⁹, 10¹²) and k, m, bn, tn. "_" stands for
// the no-break space that keeps "Rp", number and unit on one line.

func TestRupiah(t *testing.T) {
	tests := []struct {
		name   string
		sen    int64
		id, en string
	}{
		{"zero", 0, "Rp_0", "Rp_0"},
		{"one sen", 1, "Rp_0,01", "Rp_0.01"},
		{"fifty sen", 50, "Rp_0,50", "Rp_0.50"},
		{"under a thousand", 99999, "Rp_999,99", "Rp_999.99"},
		{"a thousand", 100000, "Rp_1.000", "Rp_1,000"},
		{"contract value", 4294969154300, "Rp_42.949.691.543", "Rp_42,949,691,543"},
		{"LKPP contract with sen", 180047499554, "Rp_1.800.474.995,54", "Rp_1,800,474,995.54"},
		{"negative", -123456789, "−Rp_1.234.567,89", "−Rp_1,234,567.89"},
		{"smallest int64", math.MinInt64, "−Rp_92.233.720.368.547.758,08", "−Rp_92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nb(rupiah(langID, tt.sen)); got != tt.id {
				t.Errorf("rupiah(id, %d) = %q, want %q", tt.sen, got, tt.id)
			}
			if got := nb(rupiah(langEN, tt.sen)); got != tt.en {
				t.Errorf("rupiah(en, %d) = %q, want %q", tt.sen, got, tt.en)
			}
		})
	}
}

func TestRupiahShort(t *testing.T) {
	const rp = 100 // sen
	tests := []struct {
		name   string
		sen    int64
		id, en string
	}{
		{"zero", 0, "Rp_0", "Rp_0"},
		{"sen stay exact under a thousand", 1250, "Rp_12,50", "Rp_12.50"},
		{"999", 999 * rp, "Rp_999", "Rp_999"},
		{"999,99 is not a thousand", 999*rp + 99, "Rp_999,99", "Rp_999.99"},
		{"one thousand", 1000 * rp, "Rp_1_rb", "Rp_1_k"},
		{"450 thousand", 450000 * rp, "Rp_450_rb", "Rp_450_k"},
		{"999.949 rounds down", 999949 * rp, "Rp_999,9_rb", "Rp_999.9_k"},
		{"999.950 rounds up to a million", 999950 * rp, "Rp_1_jt", "Rp_1_m"},
		{"one million", 1000000 * rp, "Rp_1_jt", "Rp_1_m"},
		{"438 million", 438000000 * rp, "Rp_438_jt", "Rp_438_m"},
		{"999.999.999 is 1 miliar, not 1000 juta", 999999999 * rp, "Rp_1_M", "Rp_1_bn"},
		{"one miliar", 1000000000 * rp, "Rp_1_M", "Rp_1_bn"},
		{"half up", 1250000000 * rp, "Rp_1,3_M", "Rp_1.3_bn"},
		{"just under half", 1249999999 * rp, "Rp_1,2_M", "Rp_1.2_bn"},
		{"contract value", 4294969154300, "Rp_42,9_M", "Rp_42.9_bn"},
		{"113,6 miliar is 113.6 billion", 113600000000 * rp, "Rp_113,6_M", "Rp_113.6_bn"},
		{"7,2 triliun", 7200000000000 * rp, "Rp_7,2_T", "Rp_7.2_tn"},
		{"999,96 miliar rounds to a triliun", 999960000000 * rp, "Rp_1_T", "Rp_1_tn"},
		{"thousands of triliun keep their unit", 1234500000000000 * rp, "Rp_1.234,5_T", "Rp_1,234.5_tn"},
		{"negative", -2800000000 * rp, "−Rp_2,8_M", "−Rp_2.8_bn"},
		{"negative sen", -50, "−Rp_0,50", "−Rp_0.50"},
		{"largest int64", math.MaxInt64, "Rp_92.233,7_T", "Rp_92,233.7_tn"},
		{"smallest int64", math.MinInt64, "−Rp_92.233,7_T", "−Rp_92,233.7_tn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nb(rupiahShort(langID, tt.sen)); got != tt.id {
				t.Errorf("rupiahShort(id, %d) = %q, want %q", tt.sen, got, tt.id)
			}
			if got := nb(rupiahShort(langEN, tt.sen)); got != tt.en {
				t.Errorf("rupiahShort(en, %d) = %q, want %q", tt.sen, got, tt.en)
			}
		})
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		n      int64
		id, en string
	}{
		{0, "0", "0"},
		{999, "999", "999"},
		{1000, "1.000", "1,000"},
		{1234567, "1.234.567", "1,234,567"},
		{-1234, "−1.234", "−1,234"},
	}
	for _, tt := range tests {
		if got := number(langID, tt.n); got != tt.id {
			t.Errorf("number(id, %d) = %q, want %q", tt.n, got, tt.id)
		}
		if got := number(langEN, tt.n); got != tt.en {
			t.Errorf("number(en, %d) = %q, want %q", tt.n, got, tt.en)
		}
	}
	if got := number(langEN, uint64(math.MaxUint64)); got != "18,446,744,073,709,551,615" {
		t.Errorf("number(en, MaxUint64) = %q", got)
	}
}

func TestWaktu(t *testing.T) {
	tests := []struct {
		name   string
		t      time.Time
		id, en string
	}{
		{"release published 02.30 UTC", time.Date(2025, 3, 4, 2, 30, 0, 0, time.UTC), "4 Maret 2025 09.30_WIB", "4 March 2025 09:30_WIB"},
		{"evening UTC is the next day in WIB", time.Date(2025, 3, 4, 20, 0, 0, 0, time.UTC), "5 Maret 2025 03.00_WIB", "5 March 2025 03:00_WIB"},
		{"New Year's Eve UTC is New Year in WIB", time.Date(2024, 12, 31, 17, 0, 0, 0, time.UTC), "1 Januari 2025 00.00_WIB", "1 January 2025 00:00_WIB"},
		{"WITA converted to WIB", time.Date(2024, 3, 4, 10, 0, 0, 0, time.FixedZone("WITA", 8*3600)), "4 Maret 2024 09.00_WIB", "4 March 2024 09:00_WIB"},
		{"seconds when there are some", time.Date(2024, 3, 4, 9, 0, 30, 0, dataset.WIB), "4 Maret 2024 09.00.30_WIB", "4 March 2024 09:00:30_WIB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nb(waktu(langID, tt.t)); got != tt.id {
				t.Errorf("waktu(id) = %q, want %q", got, tt.id)
			}
			if got := nb(waktu(langEN, tt.t)); got != tt.en {
				t.Errorf("waktu(en) = %q, want %q", got, tt.en)
			}
		})
	}
	evening := time.Date(2025, 3, 4, 20, 0, 0, 0, time.UTC)
	if got := tanggalWIB(langID, evening); got != "5 Maret 2025" {
		t.Errorf("tanggalWIB(%v) = %q, want 5 Maret 2025", evening, got)
	}
}

// TestFormattedText: search hits carry values as Field.Format writes them
// for the API; pages show them for people.
func TestFormattedText(t *testing.T) {
	sc, err := dataset.Lookup("procurement")
	if err != nil {
		t.Fatal(err)
	}
	field := func(name string) *dataset.Field { return &sc.Fields[sc.Index(name)] }
	tests := []struct {
		field, in, id, en string
	}{
		{"contract_value", "42949691543.00", "Rp_42.949.691.543", "Rp_42,949,691,543"},
		{"contract_value", "1.50", "Rp_1,50", "Rp_1.50"}, // dataset.ParseMoney refuses it as ambiguous
		{"contract_value", "-0.05", "−Rp_0,05", "−Rp_0.05"},
		{"contract_date", "2024-03-17", "17 Maret 2024", "17 March 2024"},
		{"announced_at", "2024-03-04T09:00:00+07:00", "4 Maret 2024 09.00_WIB", "4 March 2024 09:00_WIB"},
		{"announced_at", "2024-03-04T02:00:00.5Z", "4 Maret 2024 09.00_WIB", "4 March 2024 09:00_WIB"},
		{"title", "Jalan 2024-03-04T09:00:00+07:00", "Jalan 2024-03-04T09:00:00+07:00", "Jalan 2024-03-04T09:00:00+07:00"},
		{"contract_value", "Rp 5", "Rp 5", "Rp 5"}, // not Format's: shown as it is
	}
	for _, tt := range tests {
		if got := nb(formattedText(langID, field(tt.field), tt.in)); got != tt.id {
			t.Errorf("formattedText(id, %s, %q) = %q, want %q", tt.field, tt.in, got, tt.id)
		}
		if got := nb(formattedText(langEN, field(tt.field), tt.in)); got != tt.en {
			t.Errorf("formattedText(en, %s, %q) = %q, want %q", tt.field, tt.in, got, tt.en)
		}
	}
}

// nb shows no-break spaces as _, for readable expectations.
func nb(s string) string { return strings.ReplaceAll(s, nbsp, "_") }

var (
	// rawDecimal is an amount as the API writes it: digits, a dot, two
	// digits. Pages group thousands, so never have four digits in a row
	// before a decimal mark.
	rawDecimal = regexp.MustCompile(`\d{4,}\.\d\d\b`)
	rfc3339    = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d`)
	tag        = regexp.MustCompile(`<[^>]*>`)
)

// TestSearchPageFiguresForPeople: a procurement package with sen in its
// contract value and a time of announcement is shown on the search page
// with money and time written for people, in either language; the API and
// the CSV twin keep the exact values.
func TestSearchPageFiguresForPeople(t *testing.T) {
	feed := fixtureFeed{intake.Meta{Dataset: "procurement", Region: "32.73", Year: 2024},
		"package_id,title,agency_name,method,category,budget_ceiling,contract_value,supplier_name,announced_at\n" +
			"51554400,Pembangunan Jembatan Cikapundung,Dinas Pekerjaan Umum dan Penataan Ruang,tender,pekerjaan konstruksi,\"45.000.000.000\",\"42.949.691.543,50\",PT Jembatan Nusantara,2024-03-04 09:00\n"}
	ts := newTestServerWith(t, todays[0], []fixtureFeed{feed})
	for _, tt := range []struct{ lang, amount, contract, announced string }{
		{"id", "Rp\u00a045.000.000.000", "Rp\u00a042.949.691.543,50", "4 Maret 2024 09.00\u00a0WIB"},
		{"en", "Rp\u00a045,000,000,000", "Rp\u00a042,949,691,543.50", "4 March 2024 09:00\u00a0WIB"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			resp, body := get(t, ts.URL+"/search?q=jembatan&dataset=procurement&lang="+tt.lang)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			for _, want := range []string{"<mark>Jembatan</mark>", tt.amount, tt.contract, tt.announced} {
				if !strings.Contains(body, want) {
					t.Errorf("search page lacks %q", want)
				}
			}
			// Links and hidden inputs carry ?min= as a decimal; what the
			// page shows is its text.
			text := tag.ReplaceAllString(body, " ")
			if m := rawDecimal.FindString(text); m != "" {
				t.Errorf("search page shows the raw amount %q", m)
			}
			if m := rfc3339.FindString(text); m != "" {
				t.Errorf("search page shows the RFC 3339 time %q", m)
			}
		})
	}
	_, body := get(t, ts.URL+"/api/v1/search?q=jembatan&dataset=procurement")
	var res apiResponse
	if err := json.Unmarshal([]byte(body), &res); err != nil || len(res.Results) != 1 {
		t.Fatalf("api: %v %s", err, body)
	}
	h := res.Results[0]
	if h.Amount != "45000000000.00" || h.Fields["contract_value"] != "42949691543.50" || h.Fields["announced_at"] != "2024-03-04T09:00:00+07:00" {
		t.Errorf("api hit %+v, want exact decimals and RFC 3339", h)
	}
	// The CSV twin is a data file: exact decimals, as the downloads have them.
	if _, csv := get(t, ts.URL+"/search.csv?q=jembatan&dataset=procurement"); !strings.Contains(csv, ",45000000000.00,") {
		t.Errorf("search.csv = %s, want the exact amount", csv)
	}
}

// TestPagesShowWIB: the feed report, the release page and the home page's
// list of releases say when in WIB, in words; the release JSON keeps RFC
// 3339. The tests' release is published at 02.30 UTC, 09.30 WIB.
func TestPagesShowWIB(t *testing.T) {
	env := newPushEnv(t, Config{})
	status, rep, _ := env.push(t, "dataset=budget&year=2024", env.bandung, "text/csv", bandungBudget)
	if status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	live, err := env.pub.Current(t.Context())
	if err != nil || live == nil {
		t.Fatalf("no live release: %v", err)
	}
	feed := "/feeds/" + rep["feed_id"].(string)
	for _, tt := range []struct{ path, lang, want string }{
		{feed, "id", `<time datetime="2025-03-04T09:30:00&#43;07:00">4 Maret 2025 09.30` + nbsp + `WIB</time>`},
		{feed, "en", `<time datetime="2025-03-04T09:30:00&#43;07:00">4 March 2025 09:30` + nbsp + `WIB</time>`},
		{"/releases/" + live.ID, "id", "4 Maret 2025 09.30" + nbsp + "WIB"},
		{"/releases/" + live.ID, "en", "4 March 2025 09:30" + nbsp + "WIB"},
		{"/", "id", "4 Maret 2025 09.30" + nbsp + "WIB"},
		{"/", "en", "4 March 2025 09:30" + nbsp + "WIB"},
	} {
		resp, body := get(t, env.ts.URL+tt.path+"?lang="+tt.lang)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s (%s) = %d", tt.path, tt.lang, resp.StatusCode)
			continue
		}
		if !strings.Contains(body, tt.want) {
			t.Errorf("%s (%s) lacks %q", tt.path, tt.lang, tt.want)
		}
		if strings.Contains(body, "UTC") || strings.Contains(body, "02.30") || strings.Contains(body, "02:30") {
			t.Errorf("%s (%s) shows a time in UTC", tt.path, tt.lang)
		}
	}
	if _, body := get(t, env.ts.URL+"/releases/"+live.ID+".json"); !strings.Contains(body, `"created": "2025-03-04T02:30:00Z"`) {
		t.Errorf("release JSON lost its RFC 3339 time: %.300s", body)
	}
}

// TestRecordPageFiguresForPeople: the record page of a procurement package
// writes its contract value with sen and its time of announcement in WIB,
// in words, in either language.
func TestRecordPageFiguresForPeople(t *testing.T) {
	env := newPushEnv(t, Config{})
	csv := "package_id,title,agency_name,method,category,budget_ceiling,contract_value,supplier_name,announced_at,contract_date\n" +
		"51554400,Pembangunan Jembatan Cikapundung,Dinas Pekerjaan Umum dan Penataan Ruang,tender,pekerjaan konstruksi,45000000000,\"42.949.691.543,50\",PT Jembatan Nusantara,2024-03-04T02:00:00Z,17/03/2024\n"
	if status, rep, _ := env.push(t, "dataset=procurement&year=2024", env.bandung, "text/csv", []byte(csv)); status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	live, _ := env.pub.Current(t.Context())
	part, _ := live.Partition("procurement/32.73/2024")
	sc, _ := dataset.Lookup("procurement")
	var path string
	for r, err := range partition.Read(store.ReaderAt(t.Context(), env.st, part.Path), part.Bytes, sc) {
		if err != nil {
			t.Fatal(err)
		}
		path = "/data/procurement/32.73/2024/" + r[sc.Index(dataset.FieldID)].Str
	}
	for _, tt := range []struct{ lang, contract, announced, signed string }{
		{"id", "Rp\u00a042.949.691.543,50", "4 Maret 2024 09.00\u00a0WIB", "17 Maret 2024"},
		{"en", "Rp\u00a042,949,691,543.50", "4 March 2024 09:00\u00a0WIB", "17 March 2024"},
	} {
		resp, body := get(t, env.ts.URL+path+"?lang="+tt.lang)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s = %d", path, resp.StatusCode)
		}
		for _, want := range []string{tt.contract, tt.announced, tt.signed} {
			if !strings.Contains(body, want) {
				t.Errorf("record page (%s) lacks %q", tt.lang, want)
			}
		}
		text := tag.ReplaceAllString(body, " ")
		if m := rawDecimal.FindString(text); m != "" {
			t.Errorf("record page (%s) shows the raw amount %q", tt.lang, m)
		}
		if m := rfc3339.FindString(text); m != "" {
			t.Errorf("record page (%s) shows the RFC 3339 time %q", tt.lang, m)
		}
	}
}

func TestPercent(t *testing.T) {
	for _, tc := range []struct {
		l    lang
		x    float64
		want string
	}{
		{langID, 0.039, "3,9 %"},
		{langEN, 0.039, "3.9 %"},
		{langID, 1, "100,0 %"},
		{langEN, 0, "0.0 %"},
	} {
		if got := percent(tc.l, tc.x); got != tc.want {
			t.Errorf("percent(%v, %v) = %q, want %q", tc.l, tc.x, got, tc.want)
		}
	}
	if got := ratio(langEN, 5, 0); got != "" {
		t.Errorf("ratio over 0 = %q, want empty", got)
	}
	if got := ratio(langEN, 1, 8); got != "12.5 %" {
		t.Errorf("ratio(1, 8) = %q", got)
	}
}

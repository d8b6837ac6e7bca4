package site

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/search"
)

// personalIDs are the NIKs and personal NPWPs of privacyFeed and
// rejectedPrivacyFeed, digits only: none may be published, in any format,
// whatever separators the feed wrote them with.
var personalIDs = []string{
	"3273011203900001", // plain run, title
	"7171012345678901", // 7171-0123-4567-8901, title
	"3204123456789012", // 3204 1234 5678 9012, supplier_name
	"3171098765432101", // 3171.0987.6543.2101, location
	"3273021508850003", // 327302 150885 0003 (region, birth date, serial), title
	"3273051203900004", // 32.73.05.120390.0004 (prov.kab.kec.birth.serial), location
	"3273012345678906", // 3273.0123-4567 8906, mixed separators, agency_name
	"3273011203900007", // 3273 0112 0390 0007, supplier_tax_id of "Fa Rudi"
	"092542943407000",  // 09.254.294.3-407.000, supplier_tax_id of "Jo Kurniawan"
	"092542943407001",  // 0925 4294 3407 001, supplier_tax_id of "Co Hendra"
	// rejectedPrivacyFeed's bad values.
	"3273011203900010", "3273011203900011", "3273011203900012", "3273011203900013", "092542943407002",
}

// privacyFeed is a procurement feed for Kota Bandung with NIKs in the
// spellings found in real feeds, in text columns and as the tax ids of
// persons, beside numbers that are not personal and must stay.
const privacyFeed = "package_id,tender_id,title,agency_name,method,budget_ceiling,contract_value,supplier_name,supplier_tax_id,location\n" +
	"60000001,,Honor narasumber NIK 3273011203900001,Dinas Pendidikan,pengadaan langsung,5000000,5000000,PT. Jaya Abadi,01.572.337.2-014.000,Kota Bandung\n" +
	"60000002,,Bantuan sosial a.n. NIK 7171-0123-4567-8901,Dinas Sosial,pengadaan langsung,2500000,2500000,Jo Kurniawan,09.254.294.3-407.000,Kel. Cibiru\n" +
	"60000003,,Sewa kendaraan,Dinas Perhubungan,pengadaan langsung,7500000,7000000,Budi Santoso (NIK 3204 1234 5678 9012),,\"Rumah Bpk. Ahmad, NIK 3171.0987.6543.2101\"\n" +
	"60000004,,Konsumsi rapat (KTP 327302 150885 0003),Dinas Kesehatan,pengadaan langsung,3000000,3000000,Fa Rudi,3273 0112 0390 0007,Kec. Cibiru NIK 32.73.05.120390.0004\n" +
	"60000005,,Pemeliharaan gedung,Dinas Pekerjaan Umum (PPK 3273.0123-4567 8906),pengadaan langsung,9000000,9000000,Co Hendra,0925 4294 3407 001,Kota Bandung\n" +
	"60000006,51554309,Belanja 5.1.02.01.01.0024 senilai Rp 1.234.567.890.123 (RUP 51554309 51554310) 2024-01-15,Dinas Pendidikan,tender,1234567890123,,CV Maju,02.411.369.8-013.000,Kota Bandung\n"

// notPersonal are numbers in a title of privacyFeed that only look like
// ids: an account code, a money amount, RUP ids and a date. They must still
// be published, and so must companyNPWPs wherever tax ids are (OCDS has
// none), or the test proves nothing.
var (
	notPersonal  = []string{"5.1.02.01.01.0024", "1.234.567.890.123", "51554309 51554310", "2024-01-15"}
	companyNPWPs = []string{"01.572.337.2-014.000", "02.411.369.8-013.000"}
)

// rejectedPrivacyFeed has NIK- and NPWP-shaped values where they are wrong,
// which its public report must not repeat.
const rejectedPrivacyFeed = "package_id,title,agency_name,method,budget_ceiling,bidder_count,awarded_at,supplier_tax_id,nik_pptk\n" +
	"1,Jalan,Dinas,tender,3273-0112-0390-0010,09.254.294.3-407.002,32.73.01.120390.0011,NIK 3273 0112 0390 0012,-\n" +
	"2,Jembatan,Dinas,tender,1000,1,,,3273.0112.0390.0013\n"

// TestPersonalDataNeverPublished pushes feeds holding NIKs and personal
// NPWPs through the push API and reads every published form of them: the
// Parquet partition, each download of the partition and of the dataset,
// the search API, and the public report of a rejected feed.
func TestPersonalDataNeverPublished(t *testing.T) {
	env := newPushEnv(t, Config{})
	ctx := t.Context()

	status, rej, _ := env.push(t, "dataset=procurement&year=2023", env.bandung, "text/csv", []byte(rejectedPrivacyFeed))
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("push of the rejected feed = %d %v", status, rej)
	}
	id := rej["feed_id"].(string)
	_, body := get(t, env.ts.URL+"/api/v1/feeds/"+id)
	assertNoPersonalIDs(t, "report /api/v1/feeds/"+id, body)
	_, body = get(t, env.ts.URL+"/feeds/"+id)
	assertNoPersonalIDs(t, "report page /feeds/"+id, body)
	if n := strings.Count(body, dataset.MaskedValue); n < 4 {
		t.Errorf("report page shows %s %d times, want the bad values masked, not dropped", dataset.MaskedValue, n)
	}

	status, rep, _ := env.push(t, "dataset=procurement&year=2024", env.bandung, "text/csv", []byte(privacyFeed))
	if status != http.StatusCreated {
		t.Fatalf("push = %d %v", status, rep)
	}
	release := rep["release"].(string)
	m, err := env.pub.Release(ctx, release)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := dataset.Lookup("procurement")

	formats := map[string]string{}
	part, _ := m.Partition("procurement/32.73/2024")
	rc, _, err := env.st.Get(ctx, part.Path)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(rc)
	rc.Close()
	formats["partition "+part.Path] = parquetText(t, raw, s)

	base := env.ts.URL + "/downloads/" + release + "/procurement"
	for _, ext := range []string{"csv", "csv.gz", "xlsx", "ndjson.gz", "ocds.json", "parquet"} {
		formats[ext] = download(t, base+"/32.73/2024."+ext, s)
	}
	for _, ext := range []string{"csv.gz", "parquet"} {
		formats["procurement."+ext] = download(t, base+"."+ext, s)
	}
	for name, text := range formats {
		assertNoPersonalIDs(t, name, text)
		keep := notPersonal
		if name != "ocds.json" {
			keep = append(keep[:len(keep):len(keep)], companyNPWPs...)
		}
		for _, keep := range keep {
			if !strings.Contains(text, keep) {
				t.Errorf("%s lost %q, which is not personal", name, keep)
			}
		}
	}
	if csv := formats["csv"]; strings.Count(csv, dataset.MaskedValue) != 7 {
		t.Errorf("csv holds %s %d times, want the 7 NIKs of text columns masked:\n%s", dataset.MaskedValue, strings.Count(csv, dataset.MaskedValue), csv)
	}

	// The search index is built from the published partitions, as a
	// serving portal's follower builds it.
	ix, err := search.Open(search.Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	sy := &indexer.Syncer{Store: env.st, Index: ix, Log: quiet, TempDir: t.TempDir()}
	if err := sy.Sync(ctx, m); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Index: ix, Publisher: env.pub, Regions: dataset.LoadRegions(), Log: quiet, Now: clockAt(todays[0])})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetReady()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	_, all := get(t, ts.URL+"/api/v1/search?dataset=procurement&size=50")
	if !strings.Contains(all, `"total": 6`) {
		t.Fatalf("search of everything does not find the 6 records: %s", all)
	}
	assertNoPersonalIDs(t, "search API", all)
	for _, page := range []string{"/search?dataset=procurement", "/search.csv?dataset=procurement"} {
		resp, body := get(t, ts.URL+page)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Honor narasumber") {
			t.Errorf("%s = %d without the records", page, resp.StatusCode)
		}
		assertNoPersonalIDs(t, page, body)
	}
	for _, q := range []string{"3273011203900001", "7171-0123-4567-8901", "3204 1234 5678 9012", "3171.0987.6543.2101", "327302 150885 0003",
		"32.73.05.120390.0004", "3273.0123-4567 8906", "3273 0112 0390 0007", "09.254.294.3-407.000", "092542943407000", "0925 4294 3407 001", "8901"} {
		_, body := get(t, ts.URL+"/api/v1/search?q="+url.QueryEscape(q))
		if !strings.Contains(body, `"total": 0`) {
			t.Errorf("search for %q finds records: %s", q, body)
		}
	}
}

// assertNoPersonalIDs fails when text holds one of personalIDs once the
// separators that NIKs and NPWPs are written with are removed.
func assertNoPersonalIDs(t *testing.T, where, text string) {
	t.Helper()
	digits := strings.NewReplacer(" ", "", ".", "", "-", "", "\u00a0", "").Replace(text)
	for _, id := range personalIDs {
		if i := strings.Index(digits, id); i >= 0 {
			t.Errorf("%s publishes personal id %s: …%s…", where, id, digits[max(0, i-40):min(len(digits), i+len(id)+20)])
		}
	}
}

// download fetches a published file and returns its content as text:
// gzip unpacked, a workbook's XML parts, a Parquet file's decoded rows.
func download(t *testing.T, url string, s *dataset.Schema) string {
	t.Helper()
	resp, body := get(t, url)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s = %d %s", url, resp.StatusCode, body)
	}
	raw := []byte(body)
	switch {
	case strings.HasSuffix(url, ".gz"):
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		return string(b)
	case strings.HasSuffix(url, ".xlsx"):
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		var sb strings.Builder
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatalf("%s %s: %v", url, f.Name, err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			sb.Write(b)
		}
		return sb.String()
	case strings.HasSuffix(url, ".parquet"):
		return parquetText(t, raw, s)
	}
	return body
}

// parquetText decodes a Parquet file's rows and writes each value as the
// CSV download would.
func parquetText(t *testing.T, raw []byte, s *dataset.Schema) string {
	t.Helper()
	var sb strings.Builder
	for r, err := range partition.Read(bytes.NewReader(raw), int64(len(raw)), s) {
		if err != nil {
			t.Fatal(err)
		}
		for i := range s.Fields {
			fmt.Fprintf(&sb, "%s\t", s.Fields[i].Format(r[i]))
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

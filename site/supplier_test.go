package site

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/indexer"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/search"
)

// TestSupplierProfile pushes procurement where one company is written with
// its NPWP in two spellings (dotted, and LKPP's 16 digits) and a person
// won a package, and reads the company's page: every package it won, the
// totals and its share of each agency's packages, figured here from the
// rows. A person has no page.
func TestSupplierProfile(t *testing.T) {
	ix, err := search.Open(search.Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	env := newPushEnv(t, Config{Index: ix})
	csv := "package_id,title,agency_name,method,category,budget_ceiling,contract_value,supplier_name,supplier_tax_id,announced_at\n" +
		"2001,Rehabilitasi Jalan Ruas A,Dinas PUPR,tender,pekerjaan konstruksi,2000000000,1900000000,PT Karya Jalan Nusantara,01.572.337.2-014.000,2024-03-01 08:00\n" +
		"2002,Rehabilitasi Jalan Ruas B,Dinas PUPR,tender,pekerjaan konstruksi,1000000000,\"950.000.000,50\",PT. KARYA JALAN NUSANTARA,0015723372014000,2024-04-01 08:00\n" +
		"2003,Pengadaan Aspal,Dinas PUPR,tender,barang,500000000,480000000,CV Lain Jaya,02.111.222.3-444.000,2024-05-01 08:00\n" +
		"2004,Pagar Sekolah,Dinas Pendidikan,pengadaan langsung,pekerjaan konstruksi,150000000,149000000,PT Karya Jalan Nusantara,01.572.337.2-014.000,2024-06-01 08:00\n" +
		"2005,Jasa Tukang,Dinas Pendidikan,pengadaan langsung,jasa lainnya,20000000,19000000,Budi Santoso,09.254.294.3-407.000,2024-07-01 08:00\n"
	status, rep, _ := env.push(t, "dataset=procurement&year=2024", env.bandung, "text/csv", []byte(csv))
	if status != http.StatusCreated || rep["status"] != intake.StatusPublished {
		t.Fatalf("push = %d %v", status, rep)
	}
	m, err := env.pub.Current(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := (&indexer.Syncer{Store: env.st, Index: ix, Log: quiet, TempDir: t.TempDir()}).Sync(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	env.srv.SetReady()
	env.srv.Followed(m.ID, m.ID)

	resp, page := get(t, env.ts.URL+"/penyedia/015723372014000")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("supplier page = %d:\n%s", resp.StatusCode, page)
	}
	// 1.900.000.000 + 950.000.000,50 + 149.000.000 of three packages.
	for _, want := range []string{
		"<h1>PT Karya Jalan Nusantara</h1>",
		"Rehabilitasi Jalan Ruas A", "Rehabilitasi Jalan Ruas B", "Pagar Sekolah",
		`data-value="299900000050"`, "Rp\u00a02.999.000.000,50",
		// Won 2 of Dinas PUPR's 3 packages and 1 of Dinas Pendidikan's 2.
		"2 / 3", "66,7 %", "1 / 2", "50,0 %",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("supplier page lacks %q", want)
		}
	}
	for _, absent := range []string{"Pengadaan Aspal", "Jasa Tukang"} {
		if strings.Contains(page, absent) {
			t.Errorf("supplier page lists %q, another supplier's package", absent)
		}
	}
	// The search result links the company to its page.
	if _, s := get(t, env.ts.URL+"/search?dataset=procurement&q=pagar"); !strings.Contains(s, `href="/penyedia/015723372014000"`) {
		t.Error("the search result does not link the supplier's page")
	}
	for _, tt := range []struct {
		path, why string
		want      int
	}{
		{"/penyedia/021112223444000", "another company, with one package", http.StatusOK},
		{"/penyedia/092542943407000", "a person's NPWP is masked, so no page finds it", http.StatusNotFound},
		{"/penyedia/999999999999999", "no supplier has it", http.StatusNotFound},
		{"/penyedia/0157233720140", "not 15 digits", http.StatusNotFound},
	} {
		if resp, _ := get(t, env.ts.URL+tt.path); resp.StatusCode != tt.want {
			t.Errorf("%s = %d, want %d (%s)", tt.path, resp.StatusCode, tt.want, tt.why)
		}
	}
}

package search

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/terbuka/terbuka/dataset"
)

// benchRecords builds n budget lines of one region-year with varied,
// realistic text: a kabupaten's APBD has tens of thousands of such lines.
func benchRecords(b testing.TB, n int) []dataset.Record {
	s, err := dataset.Lookup("budget")
	if err != nil {
		b.Fatal(err)
	}
	agencies := []string{"Dinas Pendidikan", "Dinas Kesehatan", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Perhubungan",
		"Dinas Sosial", "Badan Pendapatan Daerah", "Sekretariat Daerah", "Dinas Pertanian", "Dinas Lingkungan Hidup", "Kecamatan Coblong"}
	subs := []string{"Rehabilitasi Jalan", "Pemeliharaan Rutin Jembatan", "Pengadaan Sarana Pendidikan", "Pelayanan Kesehatan Ibu Hamil",
		"Penyediaan Jasa Kebersihan Kantor", "Pembinaan Kelompok Tani", "Pengelolaan Sampah", "Penyelenggaraan Rapat Koordinasi"}
	accounts := []string{"Belanja Alat Tulis Kantor", "Belanja Honorarium", "Belanja Modal Jalan", "Belanja Perjalanan Dinas Dalam Daerah",
		"Belanja Makanan dan Minuman Rapat", "Belanja Pemeliharaan Gedung Kantor", "Belanja Jasa Tenaga Kebersihan"}
	stages := []string{"murni", "perubahan", "realisasi"}
	recs := make([]dataset.Record, n)
	for i := range recs {
		recs[i] = parseRecord(b, s, map[string]string{
			"region_code": "32.73", "fiscal_year": "2024", "stage": stages[i%len(stages)],
			"agency_code": strconv.Itoa(i % len(agencies)), "agency_name": agencies[i%len(agencies)],
			"program_code": fmt.Sprintf("1.%02d.%02d", i%7, i%13), "program_name": "Program " + subs[(i/3)%len(subs)],
			"sub_activity_code": fmt.Sprintf("1.%02d.%02d.2.01.%04d", i%7, i%13, i%97), "sub_activity_name": subs[i%len(subs)],
			"account_code": fmt.Sprintf("5.1.02.%02d.%02d.%04d", i%4+1, i%11+1, i%997+1), "amount": strconv.Itoa(1_000_000+i*7919) + "," + strconv.Itoa(10+i%90),
			"account_name": accounts[i%len(accounts)] + " " + agencies[(i/7)%len(agencies)],
			"description":  fmt.Sprintf("Baris anggaran nomor %d untuk kegiatan %s", i, subs[(i/5)%len(subs)]),
		})
	}
	return recs
}

// BenchmarkReplace indexes one 50,000-line partition per iteration; after
// the first, each Replace also deletes the previous version. Reported:
// docs/s, allocated bytes per record (the batch's memory), and disk bytes
// per record of the resulting index.
func BenchmarkReplace(b *testing.B) {
	const n = 50_000
	recs := benchRecords(b, n)
	path := filepath.Join(b.TempDir(), "index")
	ix, err := Open(Config{Path: path})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	p := Partition{Dataset: "budget", Region: "32.73", Year: 2024}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		p.SHA256 = strconv.Itoa(i)
		if err := ix.Replace(b.Context(), p, seq(recs...)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*i)/b.Elapsed().Seconds(), "docs/s")
	if got, _ := ix.DocCount(); got != n {
		b.Fatalf("index holds %d documents, want %d", got, n)
	}
	var size int64
	filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	b.ReportMetric(float64(size)/n, "disk-B/doc")
}

// BenchmarkSearch measures a typical portal query with facets over a
// 50,000-line partition.
func BenchmarkSearch(b *testing.B) {
	recs := benchRecords(b, 50_000)
	ix, err := Open(Config{Path: filepath.Join(b.TempDir(), "index")})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	p := Partition{Dataset: "budget", Region: "32.73", Year: 2024, SHA256: "1"}
	if err := ix.Replace(b.Context(), p, seq(recs...)); err != nil {
		b.Fatal(err)
	}
	q := Query{Text: "belanja jalan", Year: 2024}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ix.Search(b.Context(), q); err != nil {
			b.Fatal(err)
		}
	}
}

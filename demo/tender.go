package demo

import "slices"

// pkgTpl is a recurring procurement package of a regional government, as
// found in SIRUP plans: a title pattern, the kind of goods or services, a
// ceiling range and who buys it. Titles may use {agency}, {district},
// {village}, {dlabel} (Kecamatan/Distrik), {vlabel} (Desa/Kelurahan…),
// {region} and {short}.
type pkgTpl struct {
	title    string
	category string
	// lo and hi bound the ceiling in million rupiah (drawn log-uniformly).
	lo, hi float64
	// catalog items are usually bought through e-purchasing (e-katalog).
	catalog bool
	// method forces a method (swakelola, dikecualikan, penunjukan langsung).
	method string
	// agency restricts the template to one agency code, "kecamatan" to
	// district offices, "kelurahan" to district offices of a city; empty
	// means any agency, weighted by staff.
	agency string
	weight float64
	kind   supplierKind
	// funding overrides APBD (BLUD for the hospital).
	funding string
	// funds are the budget lines the package is paid from, best first
	// (paidFrom); its MAK names the first the agency's budget has, or,
	// for a joint package, every one it has. None when the demo's tables
	// hold no line for it: its MAK stays empty.
	funds []fund
	joint bool
}

const (
	barang       = "barang"
	konstruksi   = "pekerjaan konstruksi"
	konsultansi  = "jasa konsultansi"
	jasaLainnya  = "jasa lainnya"
	swakelola    = "swakelola"
	dikecualikan = "dikecualikan"
	penunjukan   = "penunjukan langsung"
	disdik       = "1.01.0.00.0.00.01.0000"
	dinkes       = "1.02.0.00.0.00.01.0000"
	rsud         = "1.02.0.00.0.00.02.0000"
	pupr         = "1.03.0.00.0.00.01.0000"
	dishub       = "2.15.0.00.0.00.01.0000"
	perkim       = "1.04.0.00.0.00.01.0000"
	dlh          = "2.11.0.00.0.00.01.0000"
)

// pkgTpls are the routine packages of regencies and cities: office
// purchases any agency makes, then the services of particular agencies.
var pkgTpls = slices.Concat(officeTpls, serviceTpls)

// officeTpls are the purchases of any agency, at every level of government.
var officeTpls = []pkgTpl{
	{title: "Belanja Alat Tulis Kantor {agency}", category: barang, lo: 5, hi: 60, weight: 4, kind: vendor, funds: paidFrom("X.XX.01.2.03.10", "5.1.02.01.01.0024")},
	{title: "Belanja Bahan Cetak dan Penggandaan {agency}", category: barang, lo: 3, hi: 40, weight: 2.5, kind: vendor, funds: paidFrom("X.XX.01.2.03.11", "5.1.02.01.01.0026")},
	{title: "Belanja Makanan dan Minuman Rapat {agency}", category: barang, lo: 10, hi: 150, weight: 3, kind: service, funds: paidFrom("X.XX.01.2.03.17", "5.1.02.01.01.0052")},
	{title: "Jasa Kebersihan Kantor {agency}", category: jasaLainnya, lo: 40, hi: 400, weight: 1.2, kind: service, funds: paidFrom("X.XX.01.2.03.08", "5.1.02.02.01.0030")},
	{title: "Jasa Keamanan Kantor {agency}", category: jasaLainnya, lo: 40, hi: 300, weight: 0.8, kind: service, funds: paidFrom("X.XX.01.2.03.08", "5.1.02.02.01.0031")},
	{title: "Pengadaan Laptop untuk {agency}", category: barang, lo: 40, hi: 900, catalog: true, weight: 1.2, kind: vendor, funds: paidFrom("X.XX.01.2.03.24", "5.2.02.10.01.0002")},
	{title: "Pengadaan Komputer dan Printer {agency}", category: barang, lo: 20, hi: 300, catalog: true, weight: 0.8, kind: vendor, funds: paidFrom("X.XX.01.2.03.24", "5.2.02.10.01.0002")},
	{title: "Pengadaan Air Conditioner {agency}", category: barang, lo: 15, hi: 200, catalog: true, weight: 0.6, kind: vendor, funds: paidFrom("X.XX.01.2.03.24", "5.2.02.05.02.0004")},
	{title: "Pengadaan Mebeler Kantor {agency}", category: barang, lo: 15, hi: 250, weight: 0.6, kind: vendor, funds: paidFrom("X.XX.01.2.03.25", "5.2.02.05.02.0001")},
	{title: "Pengadaan Sepeda Motor Operasional {agency}", category: barang, lo: 50, hi: 400, catalog: true, weight: 0.4, kind: vendor, funds: paidFrom("X.XX.01.2.03.20", "5.2.02.02.01.0004")},
	{title: "Belanja Bahan Bakar Minyak Kendaraan Operasional {agency}", category: barang, lo: 20, hi: 300, catalog: true, weight: 0.8, kind: vendor, funds: paidFrom("X.XX.01.2.03.06", "5.1.02.01.01.0004")},
	{title: "Jasa Servis dan Pemeliharaan Kendaraan Operasional {agency}", category: jasaLainnya, lo: 15, hi: 180, weight: 1.5, kind: service, funds: paidFrom("X.XX.01.2.03.06", "5.1.02.03.02.0035")},
	{title: "Pemeliharaan Gedung Kantor {agency}", category: konstruksi, lo: 30, hi: 190, weight: 1.5, kind: contractor, funds: paidFrom("X.XX.01.2.03.28", "5.1.02.03.03.0001")},
	{title: "Langganan Internet Kantor {agency}", category: jasaLainnya, lo: 20, hi: 180, weight: 0.6, kind: service, funds: paidFrom("X.XX.01.2.03.02", "5.1.02.02.01.0063")},
	{title: "Pembayaran Tagihan Listrik dan Air {agency}", category: jasaLainnya, lo: 20, hi: 900, method: dikecualikan, weight: 0.5, funds: paidFrom("X.XX.01.2.03.02", "5.1.02.02.01.0061", "X.XX.01.2.03.02", "5.1.02.02.01.0060"), joint: true},
	{title: "Sosialisasi Program dan Kegiatan {agency}", lo: 10, hi: 150, method: swakelola, weight: 1.5, funds: paidFrom("", "5.1.02.02.12.0002")},
	{title: "Bimbingan Teknis Pengelolaan Keuangan {agency}", lo: 20, hi: 200, method: swakelola, weight: 0.5, funds: paidFrom("X.XX.01.2.04.11", "5.1.02.02.12.0003")},
	{title: "Penyusunan Renstra dan Renja {agency}", lo: 10, hi: 100, method: swakelola, weight: 0.4, funds: paidFrom("X.XX.01.2.01.01", "5.1.02.01.01.0052")},
}

// serviceTpls are the purchases of particular agencies of a regency or city.
var serviceTpls = []pkgTpl{
	{title: "Pengadaan Meubelair Sekolah Dasar", category: barang, lo: 200, hi: 2500, catalog: true, agency: disdik, weight: 1, kind: vendor, funds: paidFrom("1.01.02.2.01.14", "5.2.02.05.02.0001")},
	{title: "Pengadaan Buku Bacaan Perpustakaan Sekolah Dasar", category: barang, lo: 100, hi: 1500, catalog: true, agency: disdik, weight: 0.6, kind: vendor},
	{title: "Pengadaan Alat Peraga Pendidikan Sekolah Dasar", category: barang, lo: 100, hi: 1500, catalog: true, agency: disdik, weight: 0.5, kind: vendor},
	{title: "Pengadaan Chromebook untuk Sekolah Menengah Pertama", category: barang, lo: 300, hi: 3000, catalog: true, agency: disdik, weight: 0.4, kind: vendor, funding: "DAK"},
	{title: "Pengadaan Seragam Sekolah Gratis bagi Siswa SD dan SMP", category: barang, lo: 300, hi: 4000, agency: disdik, weight: 0.15, kind: vendor, funds: paidFrom("1.01.02.2.01.17", "5.1.02.01.01.0039", "1.01.02.2.02.28", "5.1.02.01.01.0039"), joint: true},
	{title: "Pengadaan Obat dan Bahan Medis Habis Pakai", category: barang, lo: 500, hi: 12000, catalog: true, agency: dinkes, weight: 1.5, kind: vendor, funds: paidFrom("1.02.02.2.01.16", "5.1.02.01.01.0037")},
	{title: "Pengadaan Alat Kesehatan Puskesmas {district}", category: barang, lo: 100, hi: 3000, catalog: true, agency: dinkes, weight: 1, kind: vendor, funds: paidFrom("1.02.02.2.01.14", "5.2.02.07.01.0001")},
	{title: "Pengadaan Makanan Tambahan Balita dan Ibu Hamil", category: barang, lo: 30, hi: 400, agency: dinkes, weight: 0.6, kind: service, funds: paidFrom("1.02.02.2.02.04", "5.1.02.01.01.0039")},
	{title: "Pengadaan Ambulans Puskesmas {district}", category: barang, lo: 350, hi: 950, catalog: true, agency: dinkes, weight: 0.25, kind: vendor, funds: paidFrom("1.02.02.2.01.12", "5.2.02.02.01.0002")},
	{title: "Pengadaan Alat Antropometri untuk Posyandu", category: barang, lo: 50, hi: 600, catalog: true, agency: dinkes, weight: 0.12, kind: vendor, funds: paidFrom("1.02.05.2.03.01", "5.1.02.01.01.0039")},
	{title: "Pembayaran Iuran Jaminan Kesehatan Peserta PBPU dan BP Kelas III", category: jasaLainnya, lo: 5000, hi: 60000, method: dikecualikan, agency: dinkes, weight: 0.2, funds: paidFrom("1.02.02.2.02.26", "5.1.02.02.02.0003")},
	{title: "Pengadaan Obat-obatan RSUD {short}", category: barang, lo: 300, hi: 8000, catalog: true, agency: rsud, weight: 1.5, kind: vendor, funding: "BLUD", funds: paidFrom("1.02.02.2.02.32", "5.1.02.99.99.9999")},
	{title: "Pengadaan Bahan Medis Habis Pakai RSUD {short}", category: barang, lo: 200, hi: 5000, catalog: true, agency: rsud, weight: 1, kind: vendor, funding: "BLUD", funds: paidFrom("1.02.02.2.02.32", "5.1.02.99.99.9999")},
	{title: "Pengadaan Bahan Makanan Pasien RSUD {short}", category: barang, lo: 200, hi: 2000, agency: rsud, weight: 0.3, kind: service, funding: "BLUD", funds: paidFrom("1.02.02.2.02.32", "5.1.02.01.01.0056")},
	{title: "Pengadaan Alat Kedokteran RSUD {short}", category: barang, lo: 200, hi: 6000, catalog: true, agency: rsud, weight: 0.8, kind: vendor, funding: "BLUD", funds: paidFrom("1.02.02.2.01.14", "5.2.02.07.01.0001")},
	{title: "Jasa Laundry Linen RSUD {short}", category: jasaLainnya, lo: 100, hi: 700, agency: rsud, weight: 0.4, kind: service, funding: "BLUD", funds: paidFrom("1.02.02.2.02.32", "5.1.02.99.99.9999")},
	{title: "Pengadaan Aspal Hotmix untuk Pemeliharaan Rutin Jalan", category: barang, lo: 200, hi: 3000, agency: pupr, weight: 0.3, kind: vendor, funds: paidFrom("1.03.10.2.01.11", "5.1.02.03.04.0003", "1.03.10.2.01.11", "5.1.02.03.04.0004")},
	{title: "Sewa Alat Berat untuk Pemeliharaan Jalan dan Jembatan", category: jasaLainnya, lo: 100, hi: 800, agency: pupr, weight: 0.3, kind: contractor, funds: paidFrom("1.03.10.2.01.11", "5.1.02.03.04.0003", "1.03.10.2.01.11", "5.1.02.03.04.0004")},
	{title: "Jasa Konsultansi Penyusunan DED Jalan dan Jembatan", category: konsultansi, lo: 80, hi: 600, agency: pupr, weight: 0.5, kind: consultant, funds: paidFrom("1.03.10.2.01.01", "5.1.02.02.08.0009")},
	{title: "Penanganan Darurat Longsor Jalan {vlabel} {village} {dlabel} {district}", category: konstruksi, lo: 100, hi: 1500, method: penunjukan, agency: pupr, weight: 0.25, kind: contractor, funds: paidFrom("1.03.10.2.01.09", "5.2.04.01.01.0003", "1.03.10.2.01.09", "5.2.04.01.01.0004")},
	{title: "Normalisasi Saluran Drainase {vlabel} {village} {dlabel} {district}", category: konstruksi, lo: 50, hi: 190, agency: pupr, weight: 0.4, kind: contractor},
	{title: "Pembangunan Trotoar Jalan {village} {dlabel} {district}", category: konstruksi, lo: 100, hi: 1500, agency: pupr, weight: 0.25, kind: contractor, funds: paidFrom("1.03.10.2.01.09", "5.2.04.01.01.0003", "1.03.10.2.01.09", "5.2.04.01.01.0004")},
	{title: "Pengadaan dan Pemasangan Rambu Lalu Lintas", category: barang, lo: 100, hi: 1500, agency: "2.15.0.00.0.00.01.0000", weight: 0.3, kind: vendor, funds: paidFrom("2.15.02.2.02.02", "5.2.02.18.01.0003")},
	{title: "Pemasangan Marka Jalan {dlabel} {district}", category: konstruksi, lo: 50, hi: 800, agency: "2.15.0.00.0.00.01.0000", weight: 0.5, kind: contractor, funds: paidFrom("2.15.02.2.02.02", "5.2.02.18.01.0003")},
	{title: "Pengadaan dan Pemasangan Penerangan Jalan Umum (PJU) {dlabel} {district}", category: konstruksi, lo: 100, hi: 2000, agency: "2.15.0.00.0.00.01.0000", weight: 0.4, kind: contractor},
	{title: "Pengadaan dan Pemasangan Alat Pemberi Isyarat Lalu Lintas (APILL) Simpang {village} {dlabel} {district}", category: barang, lo: 150, hi: 1200, agency: dishub, weight: 0.15, kind: vendor, funds: paidFrom("2.15.02.2.02.02", "5.2.02.18.01.0003")},
	{title: "Pengadaan Bahan Bangunan Perbaikan Rumah Tidak Layak Huni (RTLH) {dlabel} {district}", category: barang, lo: 100, hi: 1500, agency: perkim, weight: 0.3, kind: vendor, funds: paidFrom("1.04.03.2.03.02", "5.1.02.01.01.0039")},
	{title: "Penyediaan Permakanan Lanjut Usia Terlantar", category: barang, lo: 50, hi: 600, agency: "1.06.0.00.0.00.01.0000", weight: 0.4, kind: service, funds: paidFrom("1.06.04.2.01.01", "5.1.02.01.01.0039")},
	{title: "Pengadaan Alat Bantu Penyandang Disabilitas", category: barang, lo: 30, hi: 400, catalog: true, agency: "1.06.0.00.0.00.01.0000", weight: 0.3, kind: vendor, funds: paidFrom("1.06.04.2.01.03", "5.1.02.01.01.0039")},
	{title: "Pengadaan Alat Pemadam Api Ringan", category: barang, lo: 20, hi: 200, agency: "1.05.0.00.0.00.01.0000", weight: 0.3, kind: vendor},
	{title: "Pengadaan Mobil Pemadam Kebakaran", category: barang, lo: 1000, hi: 4000, catalog: true, agency: "1.05.0.00.0.00.01.0000", weight: 0.1, kind: vendor, funds: paidFrom("1.05.04.2.01.02", "5.2.02.02.01.0002")},
	{title: "Pengadaan Logistik dan Peralatan Kebencanaan", category: barang, lo: 50, hi: 700, agency: "1.05.0.00.0.00.02.0000", weight: 0.3, kind: vendor},
	{title: "Pengadaan Perangkat Jaringan dan Server", category: barang, lo: 100, hi: 2000, catalog: true, agency: "2.16.2.20.2.21.01.0000", weight: 0.4, kind: vendor},
	{title: "Jasa Konsultansi Penyusunan Masterplan Smart City", category: konsultansi, lo: 100, hi: 500, agency: "2.16.2.20.2.21.01.0000", weight: 0.15, kind: consultant},
	{title: "Belanja Jasa Publikasi di Media Massa", category: jasaLainnya, lo: 50, hi: 600, agency: "2.16.2.20.2.21.01.0000", weight: 0.4, kind: service},
	{title: "Jasa Konsultansi Kajian Perencanaan Pembangunan Daerah", category: konsultansi, lo: 50, hi: 400, agency: "5.01.0.00.0.00.01.0000", weight: 0.3, kind: consultant},
	{title: "Jasa Penyelenggaraan Acara Hari Jadi {region}", category: jasaLainnya, lo: 100, hi: 1500, agency: "4.01.0.00.0.00.01.0000", weight: 0.3, kind: service},
	{title: "Pengadaan Kendaraan Dinas Jabatan", category: barang, lo: 300, hi: 1200, catalog: true, agency: "4.01.0.00.0.00.01.0000", weight: 0.2, kind: vendor},
	{title: "Penyelenggaraan Rapat Paripurna dan Reses DPRD", lo: 100, hi: 900, method: swakelola, agency: "4.02.0.00.0.00.01.0000", weight: 0.3},
	{title: "Audit Kinerja dan Keuangan Perangkat Daerah", lo: 30, hi: 300, method: swakelola, agency: "6.01.0.00.0.00.01.0000", weight: 0.3, funds: paidFrom("6.01.02.2.01.01", "5.1.02.04.01.0001")},
	{title: "Pengadaan Truk Pengangkut Sampah", category: barang, lo: 400, hi: 2500, catalog: true, agency: "2.11.0.00.0.00.01.0000", weight: 0.3, kind: vendor},
	{title: "Pengadaan Kontainer dan Gerobak Sampah", category: barang, lo: 100, hi: 800, agency: "2.11.0.00.0.00.01.0000", weight: 0.3, kind: vendor},
	{title: "Pengadaan Material Tanah Urug Penutup Sel Sampah di Tempat Pemrosesan Akhir (TPA)", category: barang, lo: 100, hi: 800, agency: dlh, weight: 0.2, kind: vendor},
	{title: "Pengadaan Excavator untuk Penataan Sampah di TPA", category: barang, lo: 800, hi: 3000, catalog: true, agency: dlh, weight: 0.1, kind: vendor, funds: paidFrom("2.11.11.2.01.07", "5.2.02.01.01.0012")},
	{title: "Pelatihan Berbasis Kompetensi bagi Pencari Kerja", lo: 50, hi: 800, method: swakelola, agency: "2.07.0.00.0.00.01.0000", weight: 0.3, funds: paidFrom("2.07.03.2.01.01", "5.1.02.02.12.0001")},
	{title: "Pendampingan dan Pelatihan Kewirausahaan bagi Pelaku UMKM", lo: 30, hi: 400, method: swakelola, agency: "2.17.0.00.0.00.01.0000", weight: 0.3, funds: paidFrom("2.17.07.2.01.02", "5.1.02.02.12.0003")},
	{title: "Pengadaan Perangkat Perekaman KTP Elektronik", category: barang, lo: 100, hi: 600, catalog: true, agency: "2.12.0.00.0.00.01.0000", weight: 0.2, kind: vendor},
	{title: "Fasilitasi Penyusunan Perencanaan Pembangunan Desa", lo: 30, hi: 300, method: swakelola, agency: "2.13.0.00.0.00.01.0000", weight: 0.3, funds: paidFrom("2.13.04.2.01.03", "5.1.02.02.12.0003")},
	{title: "Pengadaan Benih Padi Unggul Bersertifikat", category: barang, lo: 100, hi: 1500, agency: "3.27.0.00.0.00.01.0000", weight: 0.3, kind: vendor},
	{title: "Pengadaan Alat dan Mesin Pertanian", category: barang, lo: 200, hi: 3000, catalog: true, agency: "3.27.0.00.0.00.01.0000", weight: 0.3, kind: vendor},
	{title: "Pemeliharaan Gedung {agency}", category: konstruksi, lo: 20, hi: 180, agency: "kecamatan", weight: 0.5, kind: contractor, funds: paidFrom("X.XX.01.2.03.28", "5.1.02.03.03.0001")},
	{title: "Musyawarah Perencanaan Pembangunan {agency}", lo: 15, hi: 120, method: swakelola, agency: "kecamatan", weight: 0.4, funds: paidFrom("7.01.03.2.01.01", "5.1.02.01.01.0052")},
	{title: "Peningkatan Jalan Lingkungan {vlabel} {village} {agency}", category: konstruksi, lo: 50, hi: 190, agency: "kelurahan", weight: 0.6, kind: contractor, funds: paidFrom("7.01.03.2.02.02", "5.2.04.01.01.0004")},
}

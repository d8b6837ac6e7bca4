package demo

import "slices"

// Agency codes of provincial agencies the tables below refer to more than
// once. The rest share their codes with regencies' and cities' (disdik,
// dinkes, rsud, pupr, dishub).
const (
	sda      = "1.03.0.00.0.00.02.0000"
	disnaker = "2.07.3.32.0.00.01.0000"
	dkp      = "3.25.0.00.0.00.01.0000"
	distan   = "3.27.0.00.0.00.01.0000"
)

// provinceAgencyTpls are the agencies (OPD) of a provincial government, as
// the perangkat daerah regulations of provinces name them (Jawa Barat's
// among them): senior high schools, provincial hospital and roads, water
// resources, forestry, energy, marine affairs; no district offices. Codes
// follow the SIPD organisation format, merged agencies carrying both urusan
// (2.07.3.32: labour and transmigration). Staff weights follow provincial
// payrolls, where teachers of senior high schools are half the total.
var provinceAgencyTpls = []agencyTpl{
	{code: disdik, name: "Dinas Pendidikan", unit: "1.01", staff: 45, lines: []lineTpl{
		{"X.XX.01.1.02.01", "5.1.01.03.03.0001", personnel, 14, "Tunjangan profesi guru PNSD SMA, SMK dan SLB"},
		{"1.01.02.1.01.39", "5.1.02.02.01.0013", goods, 3, "Honorarium guru non-ASN SMA negeri"},
		{"1.01.02.1.02.39", "5.1.02.02.01.0013", goods, 2.5, "Honorarium guru non-ASN SMK negeri"},
		{"1.01.02.1.01.40", "5.1.02.88.88", goods, 4, "Dana BOS SMA negeri"},
		{"1.01.02.1.02.40", "5.1.02.88.88", goods, 4, "Dana BOS SMK negeri"},
		{"1.01.02.1.01.40", "5.1.05.06.03", grants, 2.5, "Hibah dana BOS kepada SMA swasta"},
		{"1.01.02.1.02.40", "5.1.05.06.03", grants, 3.5, "Hibah dana BOS kepada SMK swasta"},
		{"1.01.02.1.03.40", "5.1.05.06.04", grants, 0.3, "Hibah dana BOS kepada SLB swasta"},
	}},
	{code: dinkes, name: "Dinas Kesehatan", unit: "1.02", staff: 3, lines: []lineTpl{
		{"1.02.02.1.01.16", "5.1.02.01.01.0037", goods, 0.8, "Obat dan perbekalan kesehatan penyangga (buffer stock) provinsi"},
		{"1.02.02.1.01.14", "5.2.02.07.01.0001", capital, 0.8, "Alat kesehatan rumah sakit rujukan regional"},
		{"1.02.02.1.02.26", "5.1.02.02.02.0003", goods, 3, "Iuran JKN penduduk miskin bersama pemerintah kabupaten/kota"},
	}},
	{code: rsud, name: "Rumah Sakit Umum Daerah Provinsi %s", unit: "1.02", staff: 6, lines: []lineTpl{
		{"1.02.02.1.02.32", "5.1.01.99.99.9999", personnel, 6, "Jasa pelayanan BLUD"},
		{"1.02.02.1.02.32", "5.1.02.99.99.9999", goods, 7, "Operasional BLUD rumah sakit"},
		{"1.02.02.1.02.32", "5.1.02.01.01.0056", goods, 1, "Makanan dan minuman pasien rawat inap"},
		{"1.02.02.1.01.14", "5.2.02.07.01.0001", capital, 2, "Alat kedokteran rumah sakit"},
	}},
	{code: pupr, name: "Dinas Bina Marga dan Penataan Ruang", unit: "1.03", staff: 3, lines: []lineTpl{
		{"1.03.10.1.01.01", "5.1.02.02.08.0009", goods, 1.5, "Penyusunan DED jalan dan jembatan provinsi"},
	}},
	{code: sda, name: "Dinas Sumber Daya Air", unit: "1.03", staff: 2},
	{code: "1.04.0.00.0.00.01.0000", name: "Dinas Perumahan dan Permukiman", unit: "1.04", staff: 1},
	{code: "1.05.0.00.0.00.01.0000", name: "Satuan Polisi Pamong Praja", unit: "1.05", staff: 1.5},
	{code: "1.05.0.00.0.00.02.0000", name: "Badan Penanggulangan Bencana Daerah", unit: "1.05", staff: 0.8},
	{code: "1.06.0.00.0.00.01.0000", name: "Dinas Sosial", unit: "1.06", staff: 1.2},
	{code: disnaker, name: "Dinas Tenaga Kerja dan Transmigrasi", unit: "2.07", staff: 1.2},
	{code: "2.08.2.14.0.00.01.0000", name: "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana", unit: "2.08", staff: 0.6},
	{code: "2.09.3.27.0.00.01.0000", name: "Dinas Ketahanan Pangan dan Peternakan", unit: "2.09", staff: 1},
	{code: "2.11.0.00.0.00.01.0000", name: "Dinas Lingkungan Hidup", unit: "2.11", staff: 0.8},
	{code: "2.12.0.00.0.00.01.0000", name: "Dinas Kependudukan dan Pencatatan Sipil", unit: "2.12", staff: 0.3},
	{code: "2.13.0.00.0.00.01.0000", name: "Dinas Pemberdayaan Masyarakat dan Desa", unit: "2.13", staff: 0.6},
	{code: dishub, name: "Dinas Perhubungan", unit: "2.15", staff: 1.5},
	{code: "2.16.2.20.2.21.01.0000", name: "Dinas Komunikasi dan Informatika", unit: "2.16", staff: 1},
	{code: "2.17.0.00.0.00.01.0000", name: "Dinas Koperasi dan Usaha Kecil", unit: "2.17", staff: 0.6},
	{code: "2.18.0.00.0.00.01.0000", name: "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", unit: "2.18", staff: 0.6},
	{code: "2.19.0.00.0.00.01.0000", name: "Dinas Pemuda dan Olahraga", unit: "2.19", staff: 0.6},
	{code: "2.23.2.24.0.00.01.0000", name: "Dinas Perpustakaan dan Kearsipan Daerah", unit: "2.23", staff: 0.5},
	{code: dkp, name: "Dinas Kelautan dan Perikanan", unit: "3.25", staff: 1},
	{code: "3.26.2.22.0.00.01.0000", name: "Dinas Pariwisata dan Kebudayaan", unit: "3.26", staff: 0.8},
	{code: distan, name: "Dinas Tanaman Pangan dan Hortikultura", unit: "3.27", staff: 1.5},
	{code: "3.28.0.00.0.00.01.0000", name: "Dinas Kehutanan", unit: "3.28", staff: 1.2},
	{code: "3.29.0.00.0.00.01.0000", name: "Dinas Energi dan Sumber Daya Mineral", unit: "3.29", staff: 0.8},
	{code: "3.30.3.31.0.00.01.0000", name: "Dinas Perindustrian dan Perdagangan", unit: "3.30", staff: 0.8},
	{code: "4.01.0.00.0.00.01.0000", name: "Sekretariat Daerah", unit: "4.01", staff: 3, lines: []lineTpl{
		{"X.XX.01.1.02.01", "5.1.01.05.01.0001", personnel, 0.05, "Gubernur dan wakil gubernur"},
		{"X.XX.01.1.02.01", "5.1.01.06.02.0001", personnel, 0.3, "Dana operasional gubernur dan wakil gubernur"},
	}},
	{code: "4.02.0.00.0.00.01.0000", name: "Sekretariat DPRD", unit: "4.02", staff: 1.5, lines: []lineTpl{
		{"X.XX.01.1.02.01", "5.1.01.04.01.0001", personnel, 0.15, "Pimpinan dan anggota DPRD"},
		{"X.XX.01.1.02.01", "5.1.01.04.05.0001", personnel, 0.2, "Pimpinan dan anggota DPRD"},
		{"X.XX.01.1.02.01", "5.1.01.04.08.0001", personnel, 0.5, "Pimpinan dan anggota DPRD"},
		{"X.XX.01.1.02.01", "5.1.01.04.09.0001", personnel, 0.4, "Reses pimpinan dan anggota DPRD"},
	}},
	{code: "5.01.0.00.0.00.01.0000", name: "Badan Perencanaan Pembangunan Daerah", unit: "5.01", staff: 0.8},
	{code: "5.02.0.00.0.00.01.0000", name: "Badan Pengelolaan Keuangan dan Aset Daerah", unit: "5.02", staff: 1.5},
	{code: "5.03.0.00.0.00.01.0000", name: "Badan Kepegawaian Daerah", unit: "5.03", staff: 0.8},
	{code: "5.04.0.00.0.00.01.0000", name: "Badan Pengembangan Sumber Daya Manusia", unit: "5.04", staff: 0.5},
	{code: "6.01.0.00.0.00.01.0000", name: "Inspektorat Daerah", unit: "6.01", staff: 0.8},
	{code: "8.01.0.00.0.00.01.0000", name: "Badan Kesatuan Bangsa dan Politik", unit: "8.01", staff: 0.4},
}

// provinceWorks are a province's construction projects: provincial roads
// and bridges, which join towns across regency borders and cost several
// times a regency's, senior high schools and the provincial hospital.
var provinceWorks = []workKind{
	{"1.03.10.1.01.08", "5.2.04.01.01.0002", "5.2.04.01.01.0002", "Rekonstruksi Jalan Ruas %[2]s - %[5]s %[3]s %[4]s", .14, 12e9, 2, 10, pupr, false},
	{"1.03.10.1.01.09", "5.2.04.01.01.0002", "5.2.04.01.01.0002", "Rehabilitasi Jalan Ruas %[2]s - %[5]s %[3]s %[4]s", .14, 9e9, 3, 14, pupr, false},
	{"1.03.10.1.01.10", "5.2.04.01.01.0002", "5.2.04.01.01.0002", "Pemeliharaan Berkala Jalan Ruas %[2]s - %[5]s %[3]s %[4]s", .12, 6e9, 3, 14, pupr, false},
	{"1.03.10.1.01.05", "5.2.04.01.01.0002", "5.2.04.01.01.0002", "Pembangunan Jalan Lingkar %[2]s %[3]s %[4]s", .06, 25e9, 1, 3, pupr, false},
	{"1.03.10.1.01.12", "5.2.04.01.02.0002", "5.2.04.01.02.0002", "Pembangunan Jembatan %[2]s %[3]s %[4]s", .06, 10e9, 1, 5, pupr, false},
	{"1.03.10.1.01.18", "5.2.04.01.02.0002", "5.2.04.01.02.0002", "Rehabilitasi Jembatan %[2]s %[3]s %[4]s", .03, 4e9, 1, 4, pupr, false},
	{"1.01.02.1.01.14", "5.2.03.01.01.0010", "5.2.03.01.01.0010", "Rehabilitasi Ruang Kelas SMA Negeri %[6]d %[4]s", .05, 1.2e9, 2, 10, disdik, true},
	{"1.01.02.1.02.02", "5.2.03.01.01.0010", "5.2.03.01.01.0010", "Penambahan Ruang Kelas Baru SMK Negeri %[6]d %[4]s", .04, 1.8e9, 1, 6, disdik, true},
	{"1.02.02.1.01.01", "5.2.03.01.01.0006", "5.2.03.01.01.0006", "Pembangunan Gedung Rawat Inap Rumah Sakit Umum Daerah Provinsi %[7]s", .03, 40e9, 1, 1, rsud, true},
}

// provincePkgTpls are a province's routine packages: office purchases as
// everywhere, then what its own agencies buy.
var provincePkgTpls = slices.Concat(officeTpls, provinceServiceTpls)

var provinceServiceTpls = []pkgTpl{
	{title: "Pengadaan Peralatan Praktik Siswa SMK", category: barang, lo: 300, hi: 4000, catalog: true, agency: disdik, weight: 0.8, kind: vendor},
	{title: "Pengadaan Buku Perpustakaan SMA Negeri", category: barang, lo: 100, hi: 1500, catalog: true, agency: disdik, weight: 0.5, kind: vendor},
	{title: "Pengadaan Chromebook untuk Sekolah Menengah Atas", category: barang, lo: 500, hi: 5000, catalog: true, agency: disdik, weight: 0.4, kind: vendor, funding: "DAK"},
	{title: "Pemeliharaan Gedung SMA Negeri di {dlabel} {district}", category: konstruksi, lo: 50, hi: 190, agency: disdik, weight: 0.6, kind: contractor},
	{title: "Pengadaan Obat dan Perbekalan Kesehatan Penyangga Provinsi", category: barang, lo: 500, hi: 8000, catalog: true, agency: dinkes, weight: 0.6, kind: vendor, funds: paidFrom("1.02.02.1.01.16", "5.1.02.01.01.0037")},
	{title: "Pengadaan Obat-obatan RSUD Provinsi {short}", category: barang, lo: 500, hi: 10000, catalog: true, agency: rsud, weight: 1.5, kind: vendor, funding: "BLUD", funds: paidFrom("1.02.02.1.02.32", "5.1.02.99.99.9999")},
	{title: "Pengadaan Bahan Medis Habis Pakai RSUD Provinsi {short}", category: barang, lo: 300, hi: 6000, catalog: true, agency: rsud, weight: 1, kind: vendor, funding: "BLUD", funds: paidFrom("1.02.02.1.02.32", "5.1.02.99.99.9999")},
	{title: "Pengadaan Alat Kedokteran RSUD Provinsi {short}", category: barang, lo: 500, hi: 9000, catalog: true, agency: rsud, weight: 0.8, kind: vendor, funding: "BLUD", funds: paidFrom("1.02.02.1.01.14", "5.2.02.07.01.0001")},
	{title: "Pengadaan Bahan Makanan Pasien RSUD Provinsi {short}", category: barang, lo: 300, hi: 2500, agency: rsud, weight: 0.3, kind: service, funding: "BLUD", funds: paidFrom("1.02.02.1.02.32", "5.1.02.01.01.0056")},
	{title: "Jasa Laundry Linen RSUD Provinsi {short}", category: jasaLainnya, lo: 100, hi: 900, agency: rsud, weight: 0.4, kind: service, funding: "BLUD", funds: paidFrom("1.02.02.1.02.32", "5.1.02.99.99.9999")},
	{title: "Pengadaan Aspal Hotmix untuk Pemeliharaan Rutin Jalan Provinsi di {dlabel} {district}", category: barang, lo: 300, hi: 4000, agency: pupr, weight: 0.5, kind: vendor, funds: paidFrom("1.03.10.1.01.11", "5.1.02.03.04.0002")},
	{title: "Sewa Alat Berat untuk Pemeliharaan Jalan Provinsi", category: jasaLainnya, lo: 200, hi: 1500, agency: pupr, weight: 0.3, kind: contractor, funds: paidFrom("1.03.10.1.01.11", "5.1.02.03.04.0002")},
	{title: "Jasa Konsultansi Penyusunan DED Jalan dan Jembatan Provinsi", category: konsultansi, lo: 150, hi: 1200, agency: pupr, weight: 0.5, kind: consultant, funds: paidFrom("1.03.10.1.01.01", "5.1.02.02.08.0009")},
	{title: "Jasa Konsultansi Survei Kondisi Jalan Provinsi", category: konsultansi, lo: 100, hi: 800, agency: pupr, weight: 0.3, kind: consultant, funds: paidFrom("1.03.10.1.01.01", "5.1.02.02.08.0009")},
	{title: "Penanganan Darurat Longsor Ruas Jalan {village} {dlabel} {district}", category: konstruksi, lo: 200, hi: 3000, method: penunjukan, agency: pupr, weight: 0.3, kind: contractor, funds: paidFrom("1.03.10.1.01.09", "5.2.04.01.01.0002")},
	{title: "Pemeliharaan Rutin Jembatan Provinsi di {dlabel} {district}", category: konstruksi, lo: 100, hi: 190, agency: pupr, weight: 0.4, kind: contractor},
	{title: "Operasi dan Pemeliharaan Jaringan Irigasi Daerah Irigasi {village}", category: konstruksi, lo: 100, hi: 1500, agency: sda, weight: 0.6, kind: contractor},
	{title: "Rehabilitasi Tanggul Sungai di {dlabel} {district}", category: konstruksi, lo: 300, hi: 5000, agency: sda, weight: 0.3, kind: contractor},
	{title: "Jasa Konsultansi Perencanaan Teknis Daerah Irigasi {village}", category: konsultansi, lo: 100, hi: 800, agency: sda, weight: 0.3, kind: consultant},
	{title: "Pengadaan dan Pemasangan Rambu Lalu Lintas Jalan Provinsi", category: barang, lo: 200, hi: 2000, agency: dishub, weight: 0.3, kind: vendor},
	{title: "Pemasangan Marka Jalan Provinsi di {dlabel} {district}", category: konstruksi, lo: 100, hi: 1500, agency: dishub, weight: 0.4, kind: contractor},
	{title: "Pengadaan Logistik dan Peralatan Kebencanaan", category: barang, lo: 100, hi: 1500, agency: "1.05.0.00.0.00.02.0000", weight: 0.3, kind: vendor},
	{title: "Pelatihan Berbasis Kompetensi bagi Pencari Kerja", lo: 100, hi: 1500, method: swakelola, agency: disnaker, weight: 0.3},
	{title: "Pengadaan Benih dan Bibit Tanaman Pangan dan Hortikultura", category: barang, lo: 200, hi: 2500, agency: distan, weight: 0.3, kind: vendor},
	{title: "Pengadaan Alat dan Mesin Pertanian", category: barang, lo: 200, hi: 3000, catalog: true, agency: distan, weight: 0.3, kind: vendor},
	{title: "Pengadaan Benih Ikan dan Sarana Budidaya", category: barang, lo: 100, hi: 1500, agency: dkp, weight: 0.3, kind: vendor},
	{title: "Pengadaan Bibit Tanaman Rehabilitasi Hutan dan Lahan", category: barang, lo: 100, hi: 1500, agency: "3.28.0.00.0.00.01.0000", weight: 0.3, kind: vendor},
	{title: "Pembangunan Penerangan Jalan Umum Tenaga Surya di {dlabel} {district}", category: konstruksi, lo: 200, hi: 2500, agency: "3.29.0.00.0.00.01.0000", weight: 0.3, kind: contractor},
	{title: "Pengadaan Kendaraan Operasional Samsat Keliling", category: barang, lo: 300, hi: 2000, catalog: true, agency: "5.02.0.00.0.00.02.0000", weight: 0.2, kind: vendor},
	{title: "Jasa Konsultansi Kajian Potensi Pajak Daerah", category: konsultansi, lo: 100, hi: 600, agency: "5.02.0.00.0.00.02.0000", weight: 0.2, kind: consultant},
	{title: "Pengadaan Perangkat Jaringan dan Server", category: barang, lo: 200, hi: 3000, catalog: true, agency: "2.16.2.20.2.21.01.0000", weight: 0.4, kind: vendor},
	{title: "Belanja Jasa Publikasi di Media Massa", category: jasaLainnya, lo: 100, hi: 1500, agency: "2.16.2.20.2.21.01.0000", weight: 0.4, kind: service},
	{title: "Jasa Konsultansi Kajian Perencanaan Pembangunan Daerah", category: konsultansi, lo: 100, hi: 800, agency: "5.01.0.00.0.00.01.0000", weight: 0.3, kind: consultant},
	{title: "Jasa Penyelenggaraan Acara Hari Jadi {region}", category: jasaLainnya, lo: 300, hi: 3000, agency: "4.01.0.00.0.00.01.0000", weight: 0.3, kind: service},
	{title: "Pengadaan Kendaraan Dinas Jabatan", category: barang, lo: 300, hi: 1500, catalog: true, agency: "4.01.0.00.0.00.01.0000", weight: 0.2, kind: vendor},
	{title: "Penyelenggaraan Rapat Paripurna dan Reses DPRD", lo: 200, hi: 2000, method: swakelola, agency: "4.02.0.00.0.00.01.0000", weight: 0.3},
	{title: "Audit Kinerja dan Keuangan Perangkat Daerah", lo: 50, hi: 500, method: swakelola, agency: "6.01.0.00.0.00.01.0000", weight: 0.3},
}

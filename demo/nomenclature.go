package demo

import (
	"fmt"
	"slices"
	"strings"
)

// The budget nomenclature the demo feeds use, kept to entries that could be
// checked against published lists rather than guessed:
//
//   - Programmes, activities and sub-activities of regencies and cities are
//     those of the annex to Permendagri 90/2019 (two-digit sub-activity
//     numbers, as first published; Kepmendagri 050-5889/2021 and later
//     updates renumbered sub-activities with four digits). Names keep the
//     annex's spelling, typos included, so they match the official list.
//   - Account codes (kode rekening) are sub-rincian objects of Permendagri
//     90/2019 as updated by Kepmendagri 050-3708/2020 and 050-5889/2021
//     (four-digit sub-rincian), written with a two-digit jenis as SIPD does
//     (5.1.02.01.01.0024). They were checked against a real 2021 APBD export
//     (../shared/data/indonesia/prp2pemkab-apbd-2021) and the Permendagri
//     90/2019 account table. The maintenance accounts for regency and city
//     roads follow the published numbering of their siblings (0002 province,
//     0010 other roads) and the matching capital accounts.
//
// "X.XX" in a code stands for the urusan and bidang of the agency that runs
// the support programme; subActivity expands it.
//
// Provinces' kegiatan carry the level digit 1 where regencies and cities
// carry 2 (1.03.10.1.01 Penyelenggaraan Jalan Provinsi, 1.03.10.2.01
// Penyelenggaraan Jalan Kabupaten/Kota). The support programme and road
// works are numbered alike at both levels, so their provincial
// sub-activities are named from the kabupaten/kota entries (withLevel);
// provincial kegiatan names were checked against a published provincial
// list. The few provincial sub-activities of schools and hospitals are
// numbered after their kabupaten/kota namesakes and were not checked
// against the provincial annex. Accounts of provinces come from the same
// 2021 APBD export (bagi hasil 5.4.01, BOS); the provincial road accounts
// (0002) and the special financial aid to regencies and cities
// (5.4.02.03.02) follow the published numbering of their siblings.
//
// Entries added for issue 20 (water supply, drainage, irrigation and
// river works, waste, posyandu, ambulances, school uniforms, BOS,
// scholarships, uninhabitable houses, job training, micro enterprises)
// were checked against a SIPD reference list of regencies and cities
// (permen_ver 1, as Kabupaten Morowali loaded it in 2022: repository
// irunwazed/sepeda @ b944af4f, public/u9722465_sepeda-6.sql, tables
// ref_program, ref_kegiatan and ref_sub_kegiatan; a row such as
// (1, 1, 3, 3, 201, 3, ...) is 1.03.03.2.01.03). That list numbers the
// entries the file already had as they are numbered here (1.01.02.2.01.26,
// 1.02.02.2.01.16, 1.06.04.2.01.03...) but names some of them differently
// (later wording), so the new entries carry its wording; programme names
// are its upper-case names written in title case. Their accounts are
// objects of the same 2021 APBD export (its row's code with a two-digit
// jenis: 5.1.2.05.01.0003 Belanja Beasiswa is 5.1.02.05.01.0003). Which
// account a region books a work to is a choice the lists do not make:
// drainage channels go to the export's Bangunan Pengaman Sungai/Pantai dan
// Penanggulangan Bencana Alam object, the nearest it holds (the account
// table's Bangunan Air Kotor objects, which some regions use, are not in
// the export); ambulances to Kendaraan Bermotor Penumpang, as the
// demo's other passenger vehicles; pavements (trotoar) have no
// sub-activity of their own and ride on Rehabilitasi Jalan.

// programNames maps programme codes to names.
var programNames = map[string]string{
	"X.XX.01": "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
	"1.01.02": "Program Pengelolaan Pendidikan",
	"1.02.02": "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
	"1.02.05": "Program Pemberdayaan Masyarakat Bidang Kesehatan",
	"1.03.02": "Program Pengelolaan Sumber Daya Air (SDA)",
	"1.03.03": "Program Pengelolaan dan Pengembangan Sistem Penyediaan Air Minum",
	"1.03.06": "Program Pengelolaan dan Pengembangan Sistem Drainase",
	"1.03.10": "Program Penyelenggaraan Jalan",
	"1.04.03": "Program Kawasan Permukiman",
	"1.05.03": "Program Penanggulangan Bencana",
	"1.05.04": "Program Penanggulangan Kebakaran",
	"1.06.04": "Program Rehabilitasi Sosial",
	"2.07.03": "Program Pelatihan Kerja dan Produktivitas Tenaga Kerja",
	"2.11.11": "Program Pengelolaan Persampahan",
	"2.13.04": "Program Administrasi Pemerintahan Desa",
	"2.15.02": "Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan (LLAJ)",
	"2.17.07": "Program Pemberdayaan Usaha Menengah, Usaha Kecil, dan Usaha Mikro (UMKM)",
	"6.01.02": "Program Penyelenggaraan Pengawasan",
	"7.01.02": "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
	"7.01.03": "Program Pemberdayaan Masyarakat Desa dan Kelurahan",
}

// provincialProgramNames names the programmes whose name says the level.
var provincialProgramNames = map[string]string{
	"X.XX.01": "Program Penunjang Urusan Pemerintahan Daerah Provinsi",
}

// parallelPrograms are the programmes numbered alike at both levels.
var parallelPrograms = []string{"X.XX.01", "1.03.10"}

// activityNames maps activity (kegiatan) codes to names.
var activityNames = map[string]string{
	"X.XX.01.2.01": "Perencanaan dan Evaluasi Kinerja Perangkat Daerah",
	"X.XX.01.2.02": "Administrasi Keuangan",
	"X.XX.01.2.03": "Administrasi Umum",
	"X.XX.01.2.04": "Peningkatan Disiplin dan Kapasitas Sumber Daya Aparatur",
	"1.01.02.2.01": "Pengelolaan Pendidikan Sekolah Dasar",
	"1.01.02.2.02": "Pengelolaan Pendidikan Sekolah Menengah Pertama",
	"1.01.02.2.03": "Pengelolaan Pendidikan Anak Usia Dini (PAUD)",
	"1.01.02.1.01": "Pengelolaan Pendidikan Sekolah Menengah Atas",
	"1.01.02.1.02": "Pengelolaan Pendidikan Sekolah Menengah Kejuruan",
	"1.01.02.1.03": "Pengelolaan Pendidikan Khusus",
	"1.02.02.1.01": "Penyediaan Fasilitas Pelayanan, Sarana, Prasarana dan Alat Kesehatan untuk UKP Rujukan, UKM dan UKM Rujukan Tingkat Daerah Provinsi",
	"1.02.02.1.02": "Penyediaan Layanan Kesehatan untuk UKP Rujukan, UKM dan UKM Rujukan Tingkat Daerah Provinsi",
	"1.03.10.1.01": "Penyelenggaraan Jalan Provinsi",
	"1.02.02.2.01": "Penyediaan Fasilitas Pelayanan Kesehatan untuk UKM dan UKP Kewenangan Daerah Kabupaten Kota",
	"1.02.02.2.02": "Penyediaan Layanan Kesehatan untuk UKM dan UKP Rujukan Tingkat Daerah Kabupaten/Kota",
	"1.02.05.2.03": "Pengembangan dan Pelaksanaan Upaya Kesehatan Bersumber Daya Masyarakat (UKBM) Tingkat Daerah Kabupaten/Kota",
	"1.03.02.2.01": "Pengelolaan SDA dan Bangunan Pengaman Pantai pada Wilayah Sungai (WS) dalam 1 (satu) Daerah Kabupaten/Kota",
	"1.03.02.2.02": "Pengembangan dan Pengelolaan Sistem Irigasi Primer dan Sekunder pada Daerah Irigasi yang Luasnya dibawah 1000 Ha dalam 1 (satu) Daerah Kabupaten/Kota",
	"1.03.03.2.01": "Pengelolaan dan Pengembangan Sistem Penyediaan Air Minum (SPAM) di Daerah Kabupaten/Kota",
	"1.03.06.2.01": "Pengelolaan dan Pengembangan Sistem Drainase yang Terhubung Langsung dengan Sungai dalam Daerah Kabupaten/Kota",
	"1.03.10.2.01": "Penyelenggaraan Jalan Kabupaten/Kota",
	"1.04.03.2.03": "Peningkatan Kualitas Kawasan Permukiman Kumuh dengan Luas di Bawah 10 (sepuluh) Ha",
	"1.05.03.2.04": "Penataan Sistem Dasar Penanggulangan Bencana",
	"1.05.04.2.01": "Pencegahan, Pengendalian, Pemadaman, Penyelamatan, dan Penanganan Bahan Berbahaya dan Beracun Kebakaran dalam Daerah Kabupaten/Kota",
	"1.06.04.2.01": "Rehabilitasi Sosial Dasar Penyandang Disabilitas Terlantar, Anak Terlantar, Lanjut Usia Terlantar, serta Gelandangan Pengemis di Luar Panti Sosial",
	"2.07.03.2.01": "Pelaksanaan Pelatihan berdasarkan Unit Kompetensi",
	"2.11.11.2.01": "Pengelolaan Sampah",
	"2.13.04.2.01": "Pembinaan dan Pengawasan Penyelenggaran Administrasi Pemerintahan Desa",
	"2.15.02.2.02": "Penyediaan Perlengkapan Jalan di Jalan Kabupaten/Kota",
	"2.15.02.2.05": "Pengujian Berkala Kendaraan Bermotor",
	"2.17.07.2.01": "Pemberdayaan Usaha Mikro yang Dilakukan melalui Pendataan, Kemitraan, Kemudahan Perizinan, Penguatan Kelembagaan dan Koordinasi dengan Para Pemangku Kepentingan",
	"6.01.02.2.01": "Penyelenggaraan Pengawasan Internal",
	"7.01.02.2.01": "Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan",
	"7.01.03.2.01": "Koordinasi Kegiatan Pemberdayaan Desa",
	"7.01.03.2.02": "Kegiatan Pemberdayaan Kelurahan",
}

// subActivityNames maps sub-activity (sub kegiatan) codes to names.
var subActivityNames = map[string]string{
	"X.XX.01.2.01.01": "Penyusunan Renstra dan Renja Perangkat Daerah",
	"X.XX.01.2.01.05": "Evaluasi Kinerja Perangkat Daerah",
	"X.XX.01.2.02.01": "Penyediaan Gaji dan Tunjangan ASN",
	"X.XX.01.2.02.04": "Penyusunan Akuntansi dan Pelaporan Keuangan",
	"X.XX.01.2.03.02": "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik",
	"X.XX.01.2.03.06": "Penyediaan Jasa Pemeliharaan dan Perizinan Kendaraan Dinas/Operasional",
	"X.XX.01.2.03.08": "Penyediaan Jasa Kebersihan Kantor",
	"X.XX.01.2.03.10": "Penyediaan Alat Tulis Kantor",
	"X.XX.01.2.03.11": "Penyediaan Barang Cetakan dan Penggandaan",
	"X.XX.01.2.03.17": "Penyediaan Makanan dan Minuman",
	"X.XX.01.2.03.18": "Rapat-Rapat Kordinasi dan Konsultasi ke Luar Daerah",
	"X.XX.01.2.03.20": "Pengadaan Kendaraan Dinas/Operasional",
	"X.XX.01.2.03.24": "Pengadaan Peralatan Gedung Kantor",
	"X.XX.01.2.03.25": "Pengadaan Mebeleur",
	"X.XX.01.2.03.28": "Pemeliharaan Rutin/Berkala Gedung Kantor",
	"X.XX.01.2.04.11": "Bimbingan Teknis Implementasi Peraturan Perundang-undangan",
	"1.01.02.2.01.02": "Penambahan Ruang Kelas Baru",
	"1.01.02.2.01.08": "Rehabilitasi Sedang/Berat Ruang Kelas",
	"1.01.02.2.01.14": "Pengadaan Mebeluer Sekolah",
	"1.01.02.2.01.17": "Pengadaan Perlengkapan Siswa",
	"1.01.02.2.01.26": "Penyediaan Pendidik dan Tenaga Kependidikan bagi Satuan Pendidikan Sekolah Dasar",
	"1.01.02.2.01.29": "Pengelolaan Dana BOS Sekolah Dasar",
	"1.01.02.2.02.14": "Rehabilitasi Sedang/Berat Ruang Kelas Sekolah",
	"1.01.02.2.02.28": "Pengadaan Perlengkapan Siswa",
	"1.01.02.2.02.32": "Penyediaan Biaya Personil Peserta Didik Sekolah Menengah Pertama",
	"1.01.02.2.02.39": "Penyediaan Pendidik dan Tenaga Kependidikan bagi Satuan Pendidikan Sekolah Menengah Pertama",
	"1.01.02.2.02.42": "Pengelolaan Dana BOS Sekolah Menengah Pertama",
	"1.01.02.2.03.11": "Penyediaan Biaya Personil Peserta Didik PAUD",
	"1.01.02.1.01.14": "Rehabilitasi Sedang/Berat Ruang Kelas Sekolah",
	"1.01.02.1.01.39": "Penyediaan Pendidik dan Tenaga Kependidikan bagi Satuan Pendidikan Sekolah Menengah Atas",
	"1.01.02.1.01.40": "Pengelolaan Dana BOS Sekolah Menengah Atas",
	"1.01.02.1.02.02": "Penambahan Ruang Kelas Baru",
	"1.01.02.1.02.39": "Penyediaan Pendidik dan Tenaga Kependidikan bagi Satuan Pendidikan Sekolah Menengah Kejuruan",
	"1.01.02.1.02.40": "Pengelolaan Dana BOS Sekolah Menengah Kejuruan",
	"1.01.02.1.03.40": "Pengelolaan Dana BOS Pendidikan Khusus",
	"1.02.02.1.01.01": "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya",
	"1.02.02.1.01.14": "Pengadaan Alat Kesehatan/Alat Penunjang Medik Fasilitas Pelayanan Kesehatan",
	"1.02.02.1.01.16": "Pengadaan Obat, Vaksin",
	"1.02.02.1.02.26": "Pengelolaan Jaminan Kesehatan Masyarakat",
	"1.02.02.1.02.32": "Operasional Pelayanan Rumah Sakit",
	"1.02.02.2.01.02": "Pembangunan Puskesmas",
	"1.02.02.2.01.09": "Rehabilitasi dan Pemeliharaan Puskesmas",
	"1.02.02.2.01.12": "Pengadaan Sarana Fasilitas Pelayanan Kesehatan",
	"1.02.02.2.01.14": "Pengadaan Alat Kesehatan/Alat Penunjang Medik Fasilitas Pelayanan Kesehatan",
	"1.02.02.2.01.16": "Pengadaan Obat, Vaksin",
	"1.02.02.2.02.01": "Pengelolaan Pelayanan Kesehatan Ibu Hamil",
	"1.02.02.2.02.04": "Pengelolaan Pelayanan Kesehatan Balita",
	"1.02.02.2.02.15": "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat",
	"1.02.02.2.02.26": "Pengelolaan Jaminan Kesehatan Masyarakat",
	"1.02.02.2.02.32": "Operasional Pelayanan Rumah Sakit",
	"1.02.02.2.02.33": "Operasional Pelayanan Puskesmas",
	"1.02.05.2.03.01": "Bimbingan Teknis dan Supervisi Pengembangan dan Pelaksanaan Upaya Kesehatan Bersumber Daya Masyarakat (UKBM)",
	"1.03.02.2.01.24": "Rehabilitasi Tanggul Sungai",
	"1.03.02.2.02.14": "Rehabilitasi Jaringan Irigasi Permukaan",
	"1.03.03.2.01.03": "Pembangunan SPAM Jaringan Perpipaan di Kawasan Perkotaan",
	"1.03.03.2.01.04": "Pembangunan SPAM Jaringan Perpipaan di Kawasan Perdesaan",
	"1.03.06.2.01.05": "Pembangunan Sistem Drainase Perkotaan",
	"1.03.06.2.01.09": "Operasi dan Pemeliharaan Sistem Drainase",
	"1.03.10.2.01.01": "Penyusunan Rencana, Kebijakan, Strategi dan Teknis Sistem Pengembangan Jalan",
	"1.03.10.2.01.05": "Pembangunan Jalan",
	"1.03.10.2.01.08": "Rekonstruksi Jalan",
	"1.03.10.2.01.09": "Rehabilitasi Jalan",
	"1.03.10.2.01.10": "Pemeliharaan Berkala Jalan",
	"1.03.10.2.01.11": "Pemeliharaan Rutin Jalan",
	"1.03.10.2.01.12": "Pembangunan Jembatan",
	"1.03.10.2.01.18": "Rehabilitasi Jembatan",
	"1.04.03.2.03.02": "Perbaikan Rumah Tidak Layak Huni",
	"1.05.03.2.04.02": "Penguatan Kelembagaan Bencana Kabupaten/Kota",
	"1.05.04.2.01.01": "Pencegahan Kebakaran dalam Daerah Kabupaten/Kota",
	"1.05.04.2.01.02": "Pemadaman dan Pengendalian Kebakaran dalam Daerah Kabupaten/Kota",
	"1.06.04.2.01.01": "Penyediaan Permakanan",
	"1.06.04.2.01.03": "Penyediaan Alat Bantu",
	"2.07.03.2.01.01": "Proses Pelaksanaan Pendidikan dan Pelatihan Keterampilan bagi Pencari Kerja berdasarkan Klaster Kompetensi",
	"2.11.11.2.01.03": "Penanganan Sampah dengan melakukan Pemilahan, Pengumpulan, Pengangkutan, Pengolahan, dan Pemrosesan Akhir Sampah di TPA/TPST/SPA Kabupaten/Kota",
	"2.11.11.2.01.07": "Penyediaan Sarana dan Prasarana Pengelolaan Persampahan di TPA/TPST/SPA Kabupaten/Kota",
	"2.13.04.2.01.03": "Fasilitasi Penyusunan Perencanaan Pembangunan Desa",
	"2.13.04.2.01.04": "Fasilitasi Pengelolaan Keuangan dan Aset Desa",
	"2.13.04.2.01.05": "Peningkatan Kapasitas Pemerintahan Desa dan BPD",
	"2.15.02.2.02.02": "Penyediaan Perlengkapan Jalan di Jalan Kabupaten/Kota",
	"2.15.02.2.02.04": "Rehabilitasi dan Pemeliharaan Perlengkapan Jalan",
	"2.15.02.2.05.01": "Penyediaan Sarana dan Prasarana Pengujian Berkala Kendaraan Bermotor",
	"2.17.07.2.01.02": "Pemberdayaan melalui Kemitraan Usaha Mikro",
	"6.01.02.2.01.01": "Audit Kinerja dan Keuangan",
	"6.01.02.2.01.02": "Review Kinerja dan Keuangan",
	"6.01.02.2.01.04": "Evaluasi Kinerja dan Keuangan",
	"7.01.02.2.01.02": "Peningkatan Efektifitas Kegiatan Pemerintahan di Tingkat Kecamatan",
	"7.01.03.2.01.01": "Peningkatan Partisipasi Masyarakat Dalam Forum Musyawarah Perencanaan Pembangunan di Desa",
	"7.01.03.2.02.02": "Pembangunan Sarana dan Prasarana Kelurahan",
}

// accountNames maps account codes to their official names. Most are
// sub-rincian objects; a few revenue and financing lines are at objek or
// jenis level, as regional budget regulations present them.
var accountNames = map[string]string{
	// Pendapatan (revenue). Tax objects come from dataset.Levies().
	"4.1.02.01":         "Retribusi Jasa Umum",
	"4.1.02.02":         "Retribusi Jasa Usaha",
	"4.1.02.03":         "Retribusi Perizinan Tertentu",
	"4.1.03.02.01.0001": "Bagian Laba yang Dibagikan kepada Pemerintah Daerah (Dividen) atas Penyertaan Modal pada BUMD (Lembaga Keuangan)",
	"4.1.04.05.01.0001": "Jasa Giro pada Kas Daerah",
	"4.1.04.16.01.0001": "Pendapatan BLUD",
	"4.2.01.01.01.0001": "DBH Pajak Bumi dan Bangunan",
	"4.2.01.01.01.0002": "DBH PPh Pasal 21",
	"4.2.01.01.01.0004": "DBH Cukai Hasil Tembakau (CHT)",
	"4.2.01.01.02.0001": "DAU",
	"4.2.01.01.03.0004": "DAK Fisik-Bidang Pendidikan-Reguler-SMA",
	"4.2.01.01.03.0013": "DAK Fisik-Bidang Kesehatan dan KB-Reguler-Pelayanan Kesehatan Dasar",
	"4.2.01.01.03.0034": "DAK Fisik-Bidang Jalan-Reguler-Jalan",
	"4.2.01.01.04.0001": "DAK Non Fisik-BOS Reguler",
	"4.2.01.01.04.0004": "DAK Non Fisik-TPG PNSD",
	"4.2.01.01.04.0011": "DAK Non Fisik-BOKKB-BOK",
	"4.2.02":            "Pendapatan Transfer Antardaerah",
	// Belanja pegawai (personnel).
	"5.1.01.01.01.0001": "Belanja Gaji Pokok PNS",
	"5.1.01.01.02.0001": "Belanja Tunjangan Keluarga PNS",
	"5.1.01.01.03.0001": "Belanja Tunjangan Jabatan PNS",
	"5.1.01.01.04.0001": "Belanja Tunjangan Fungsional PNS",
	"5.1.01.01.06.0001": "Belanja Tunjangan Beras PNS",
	"5.1.01.01.09.0001": "Belanja Iuran Jaminan Kesehatan PNS",
	"5.1.01.02.01.0001": "Tambahan Penghasilan berdasarkan Beban Kerja PNS",
	"5.1.01.03.03.0001": "Belanja TPG PNSD",
	"5.1.01.04.01.0001": "Belanja Uang Representasi DPRD",
	"5.1.01.04.05.0001": "Belanja Tunjangan Jabatan DPRD",
	"5.1.01.04.08.0001": "Belanja Tunjangan Komunikasi Intensif Pimpinan dan Anggota DPRD",
	"5.1.01.04.09.0001": "Belanja Tunjangan Reses DPRD",
	"5.1.01.05.01.0001": "Belanja Gaji Pokok KDH/WKDH",
	"5.1.01.06.02.0001": "Belanja Dana Operasional KDH/WKDH",
	"5.1.01.99.99.9999": "Belanja Pegawai BLUD",
	// Belanja barang dan jasa (goods and services).
	"5.1.02.01.01.0004": "Belanja Bahan-Bahan Bakar dan Pelumas",
	"5.1.02.01.01.0024": "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor",
	"5.1.02.01.01.0025": "Belanja Alat/Bahan untuk Kegiatan Kantor-Kertas dan Cover",
	"5.1.02.01.01.0026": "Belanja Alat/Bahan untuk Kegiatan Kantor-Bahan Cetak",
	"5.1.02.01.01.0037": "Belanja Obat-Obatan-Obat",
	"5.1.02.01.01.0039": "Belanja Barang untuk Dijual/Diserahkan kepada Masyarakat",
	"5.1.02.01.01.0052": "Belanja Makanan dan Minuman Rapat",
	"5.1.02.01.01.0056": "Belanja Makanan dan Minuman pada Fasilitas Pelayanan Urusan Kesehatan",
	"5.1.02.02.01.0013": "Belanja Jasa Tenaga Pendidikan",
	"5.1.02.02.01.0014": "Belanja Jasa Tenaga Kesehatan",
	"5.1.02.02.01.0026": "Belanja Jasa Tenaga Administrasi",
	"5.1.02.02.01.0030": "Belanja Jasa Tenaga Kebersihan",
	"5.1.02.02.01.0031": "Belanja Jasa Tenaga Keamanan",
	"5.1.02.02.01.0051": "Belanja Jasa Pengolahan Sampah",
	"5.1.02.02.01.0059": "Belanja Tagihan Telepon",
	"5.1.02.02.01.0060": "Belanja Tagihan Air",
	"5.1.02.02.01.0061": "Belanja Tagihan Listrik",
	"5.1.02.02.01.0063": "Belanja Kawat/Faksimili/Internet/TV Berlangganan",
	"5.1.02.02.02.0003": "Belanja Iuran Jaminan Kesehatan bagi Peserta PBPU dan BP Kelas 3",
	"5.1.02.02.08.0009": "Belanja Jasa Konsultansi Perencanaan Rekayasa-Jasa Desain Rekayasa untuk Pekerjaan Teknik Sipil Transportasi",
	"5.1.02.02.08.0019": "Belanja Jasa Konsultansi Pengawasan Rekayasa-Jasa Pengawas Pekerjaan Konstruksi Bangunan Gedung",
	"5.1.02.02.08.0020": "Belanja Jasa Konsultansi Pengawasan Rekayasa-Jasa Pengawas Pekerjaan Konstruksi Teknik Sipil Transportasi",
	"5.1.02.02.12.0001": "Belanja Kursus Singkat/Pelatihan",
	"5.1.02.02.12.0002": "Belanja Sosialisasi",
	"5.1.02.02.12.0003": "Belanja Bimbingan Teknis",
	"5.1.02.03.02.0035": "Belanja Pemeliharaan Alat Angkutan-Alat Angkutan Darat Bermotor-Kendaraan Dinas Bermotor Perorangan",
	"5.1.02.03.03.0001": "Belanja Pemeliharaan Bangunan Gedung-Bangunan Gedung Tempat Kerja-Bangunan Gedung Kantor",
	"5.1.02.03.04.0002": "Belanja Pemeliharaan Jalan dan Jembatan-Jalan-Jalan Provinsi",
	"5.1.02.03.04.0003": "Belanja Pemeliharaan Jalan dan Jembatan-Jalan-Jalan Kabupaten",
	"5.1.02.03.04.0004": "Belanja Pemeliharaan Jalan dan Jembatan-Jalan-Jalan Kota",
	"5.1.02.04.01.0001": "Belanja Perjalanan Dinas Biasa",
	"5.1.02.04.01.0003": "Belanja Perjalanan Dinas Dalam Kota",
	"5.1.02.05.01.0003": "Belanja Beasiswa",
	"5.1.02.88.88":      "Belanja Barang dan Jasa BOS",
	"5.1.02.99.99.9999": "Belanja Barang dan Jasa BLUD",
	// Hibah, bantuan sosial (grants, social assistance).
	"5.1.05.01.01.0001": "Belanja Hibah Uang kepada Pemerintah Pusat",
	"5.1.05.06.02":      "Belanja Hibah Uang Dana BOS yang Diterima oleh Satdikdas Swasta",
	"5.1.05.06.03":      "Belanja Hibah Uang Dana BOS yang Diterima oleh Satdikmen Swasta",
	"5.1.05.06.04":      "Belanja Hibah Uang Dana BOS yang Diterima oleh Satdiksus Swasta",
	"5.1.05.05.01.0001": "Belanja Hibah Uang kepada Badan dan Lembaga yang Bersifat Nirlaba, Sukarela dan Sosial yang Dibentuk Berdasarkan Peraturan Perundang-Undangan",
	"5.1.05.05.02.0001": "Belanja Hibah Uang kepada Badan dan Lembaga Nirlaba, Sukarela dan Sosial yang Telah Memiliki Surat Keterangan Terdaftar",
	"5.1.05.07.01.0001": "Belanja Hibah berupa Bantuan Keuangan kepada Partai Politik",
	"5.1.06.01.01.0001": "Belanja Bantuan Sosial Uang yang Direncanakan kepada Individu",
	// Belanja modal (capital).
	"5.2.02.01.01.0012": "Belanja Modal Alat Besar Darat Lainnya",
	"5.2.02.02.01.0002": "Belanja Modal Kendaraan Bermotor Penumpang",
	"5.2.02.02.01.0004": "Belanja Modal Kendaraan Bermotor Beroda Dua",
	"5.2.02.05.01.0005": "Belanja Modal Alat Kantor Lainnya",
	"5.2.02.05.02.0001": "Belanja Modal Mebel",
	"5.2.02.05.02.0004": "Belanja Modal Alat Pendingin",
	"5.2.02.07.01.0001": "Belanja Modal Alat Kedokteran Umum",
	"5.2.02.10.01.0002": "Belanja Modal Personal Computer",
	"5.2.02.18.01.0003": "Belanja Modal Rambu-Rambu Lalu Lintas Darat Lainnya",
	"5.2.03.01.01.0006": "Belanja Modal Bangunan Kesehatan",
	"5.2.03.01.01.0010": "Belanja Modal Bangunan Gedung Tempat Pendidikan",
	"5.2.04.01.01.0002": "Belanja Modal Jalan Provinsi",
	"5.2.04.01.01.0003": "Belanja Modal Jalan Kabupaten",
	"5.2.04.01.01.0004": "Belanja Modal Jalan Kota",
	"5.2.04.01.01.0005": "Belanja Modal Jalan Desa",
	"5.2.04.01.02.0002": "Belanja Modal Jembatan pada Jalan Provinsi",
	"5.2.04.01.02.0003": "Belanja Modal Jembatan pada Jalan Kabupaten",
	"5.2.04.01.02.0004": "Belanja Modal Jembatan pada Jalan Kota",
	"5.2.04.02.01.0003": "Belanja Modal Bangunan Pembawa Irigasi",
	"5.2.04.02.04.0001": "Belanja Modal Bangunan Pengaman Sungai/Pantai dan Penanggulangan Bencana Alam",
	"5.2.04.02.06.0003": "Belanja Modal Bangunan Pembawa Air Bersih/Air Baku",
	// Belanja tidak terduga, transfer (unforeseen, transfers).
	"5.3.01.01.01.0001": "Belanja Tidak Terduga",
	"5.4.01.01.01.0001": "Belanja Bagi Hasil Pajak Daerah Kepada Pemerintahan Kabupaten",
	"5.4.01.01.02.0001": "Belanja Bagi Hasil Pajak Daerah Kepada Pemerintahan Kota",
	"5.4.02.03.02.0001": "Belanja Bantuan Keuangan Khusus Daerah Provinsi kepada Kabupaten/Kota",
	"5.4.02.05.01.0001": "Belanja Bantuan Keuangan Umum Daerah Provinsi atau Kabupaten/Kota kepada Desa",
	"5.4.02.05.02.0001": "Belanja Bantuan Keuangan Khusus Daerah Provinsi atau Kabupaten/Kota kepada Desa",
	// Pembiayaan (financing).
	"6.1.01":            "Sisa Lebih Perhitungan Anggaran Tahun Sebelumnya",
	"6.2.02.02.01.0001": "Penyertaan Modal Daerah pada BUMD",
}

// nomen is the programme, activity and sub-activity of a budget line.
type nomen struct {
	program, programName   string
	activity, activityName string
	sub, subName           string
}

// subActivity resolves a sub-activity code of either level, expanding X.XX
// to the agency's urusan and bidang. An unknown code is a programmer error
// in the tables.
func subActivity(code, unit string) nomen {
	if code == "" {
		return nomen{}
	}
	parts := strings.Split(code, ".")
	if len(parts) != 6 {
		panic(fmt.Sprintf("demo: sub-activity code %q is not six groups", code))
	}
	prog, act := strings.Join(parts[:3], "."), strings.Join(parts[:5], ".")
	progName, ok := provincialProgramNames[prog]
	if !ok || parts[3] != "1" {
		progName = mustName(programNames, prog)
	}
	n := nomen{
		program: prog, programName: progName,
		activity: act, activityName: levelName(activityNames, act),
		sub: code, subName: levelName(subActivityNames, code),
	}
	if strings.HasPrefix(code, "X.XX") {
		n.program = unit + strings.TrimPrefix(n.program, "X.XX")
		n.activity = unit + strings.TrimPrefix(n.activity, "X.XX")
		n.sub = unit + strings.TrimPrefix(n.sub, "X.XX")
	}
	return n
}

// levelName names a kegiatan or sub-kegiatan code; a provincial code of a
// parallel programme takes the name of its kabupaten/kota twin.
func levelName(table map[string]string, code string) string {
	if name, ok := table[code]; ok {
		return name
	}
	return mustName(table, withLevel(code, "2"))
}

// withLevel sets the level digit of a kegiatan or sub-kegiatan code of a
// parallel programme (1.03.10.2.01.09 → 1.03.10.1.01.09 for "1"); other
// codes are returned as they are.
func withLevel(code, digit string) string {
	parts := strings.SplitN(code, ".", 5)
	if len(parts) < 5 || !slices.Contains(parallelPrograms, strings.Join(parts[:3], ".")) {
		return code
	}
	parts[3] = digit
	return strings.Join(parts, ".")
}

// levelSub writes a kabupaten/kota sub-activity code of a parallel
// programme as the plan's level of government numbers it.
func (p *plan) levelSub(code string) string {
	if p.level != province {
		return code
	}
	return withLevel(code, "1")
}

// accountName returns the official name of an account code.
func accountName(code string) string { return mustName(accountNames, code) }

func mustName(table map[string]string, code string) string {
	name, ok := table[code]
	if !ok {
		panic(fmt.Sprintf("demo: nomenclature code %q is not in the tables", code))
	}
	return name
}

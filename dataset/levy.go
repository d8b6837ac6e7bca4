package dataset

// Levy is a regional tax or levy type of UU 1/2022 (HKPD).
type Levy struct {
	Code string
	Name string
	// Kind is "pajak" or "retribusi".
	Kind string
	// Level says who collects it: "provinsi", "kabupaten/kota" or "semua".
	Level string
	// AccountCode is the revenue account at jenis/objek level under
	// Kepmendagri 050-5889/2021; PBJT types map to the taxes they replaced.
	// Empty where the nomenclature assigns no single object.
	AccountCode string
}

// levies lists every tax of UU 1/2022 art. 4 and the levies of art. 88.
var levies = []Levy{
	{"PKB", "Pajak Kendaraan Bermotor", "pajak", "provinsi", "4.1.01.01"},
	{"BBNKB", "Bea Balik Nama Kendaraan Bermotor", "pajak", "provinsi", "4.1.01.02"},
	{"PAB", "Pajak Alat Berat", "pajak", "provinsi", ""},
	{"PBBKB", "Pajak Bahan Bakar Kendaraan Bermotor", "pajak", "provinsi", "4.1.01.03"},
	{"PAP", "Pajak Air Permukaan", "pajak", "provinsi", "4.1.01.04"},
	{"PROKOK", "Pajak Rokok", "pajak", "provinsi", "4.1.01.05"},
	{"OPSEN-MBLB", "Opsen Pajak MBLB", "pajak", "provinsi", ""},
	{"PBB-P2", "Pajak Bumi dan Bangunan Perdesaan dan Perkotaan", "pajak", "kabupaten/kota", "4.1.01.15"},
	{"BPHTB", "Bea Perolehan Hak atas Tanah dan Bangunan", "pajak", "kabupaten/kota", "4.1.01.16"},
	{"PBJT-MM", "PBJT atas Makanan dan/atau Minuman", "pajak", "kabupaten/kota", "4.1.01.07"},
	{"PBJT-TL", "PBJT atas Tenaga Listrik", "pajak", "kabupaten/kota", "4.1.01.10"},
	{"PBJT-PH", "PBJT atas Jasa Perhotelan", "pajak", "kabupaten/kota", "4.1.01.06"},
	{"PBJT-PP", "PBJT atas Jasa Parkir", "pajak", "kabupaten/kota", "4.1.01.12"},
	{"PBJT-KS", "PBJT atas Jasa Kesenian dan Hiburan", "pajak", "kabupaten/kota", "4.1.01.08"},
	{"REKLAME", "Pajak Reklame", "pajak", "kabupaten/kota", "4.1.01.09"},
	{"PAT", "Pajak Air Tanah", "pajak", "kabupaten/kota", "4.1.01.13"},
	{"MBLB", "Pajak Mineral Bukan Logam dan Batuan", "pajak", "kabupaten/kota", "4.1.01.11"},
	{"WALET", "Pajak Sarang Burung Walet", "pajak", "kabupaten/kota", "4.1.01.14"},
	{"OPSEN-PKB", "Opsen Pajak Kendaraan Bermotor", "pajak", "kabupaten/kota", ""},
	{"OPSEN-BBNKB", "Opsen Bea Balik Nama Kendaraan Bermotor", "pajak", "kabupaten/kota", ""},
	{"RJU-KES", "Retribusi Pelayanan Kesehatan", "retribusi", "semua", "4.1.02.01"},
	{"RJU-KEB", "Retribusi Pelayanan Kebersihan", "retribusi", "kabupaten/kota", "4.1.02.01"},
	{"RJU-PARKIR", "Retribusi Pelayanan Parkir di Tepi Jalan Umum", "retribusi", "kabupaten/kota", "4.1.02.01"},
	{"RJU-PASAR", "Retribusi Pelayanan Pasar", "retribusi", "kabupaten/kota", "4.1.02.01"},
	{"RJU-LLAJ", "Retribusi Pengendalian Lalu Lintas", "retribusi", "kabupaten/kota", "4.1.02.01"},
	{"RJUS-KEKAYAAN", "Retribusi Pemakaian Kekayaan Daerah", "retribusi", "semua", "4.1.02.02"},
	{"RJUS-TEMPAT", "Retribusi Penyediaan Tempat Kegiatan Usaha", "retribusi", "semua", "4.1.02.02"},
	{"RJUS-LELANG", "Retribusi Penyediaan Tempat Pelelangan", "retribusi", "semua", "4.1.02.02"},
	{"RJUS-TERMINAL", "Retribusi Pelayanan Terminal", "retribusi", "semua", "4.1.02.02"},
	{"RJUS-PARKIR", "Retribusi Penyediaan Tempat Khusus Parkir", "retribusi", "semua", "4.1.02.02"},
	{"RJUS-PENGINAPAN", "Retribusi Pelayanan Tempat Penginapan/Pesanggrahan/Vila", "retribusi", "semua", "4.1.02.02"},
	{"RJUS-RPH", "Retribusi Pelayanan Rumah Potong Hewan", "retribusi", "semua", "4.1.02.02"},
	{"RJUS-PELABUHAN", "Retribusi Pelayanan Jasa Kepelabuhanan", "retribusi", "semua", "4.1.02.02"},
	{"RJUS-REKREASI", "Retribusi Pelayanan Tempat Rekreasi, Pariwisata dan Olahraga", "retribusi", "semua", "4.1.02.02"},
	{"RJUS-PENYEBERANGAN", "Retribusi Pelayanan Penyeberangan di Air", "retribusi", "semua", "4.1.02.02"},
	{"RJUS-PRODUKSI", "Retribusi Penjualan Hasil Produksi Usaha Daerah", "retribusi", "semua", "4.1.02.02"},
	{"RPT-PBG", "Retribusi Persetujuan Bangunan Gedung", "retribusi", "kabupaten/kota", "4.1.02.03"},
	{"RPT-TKA", "Retribusi Penggunaan Tenaga Kerja Asing", "retribusi", "semua", "4.1.02.03"},
	{"RPT-TAMBANG", "Retribusi Pengelolaan Pertambangan Rakyat", "retribusi", "kabupaten/kota", "4.1.02.03"},
}

// Levies returns every known tax and levy type.
func Levies() []Levy { return levies }

// LookupLevy returns the tax or levy with the given code.
func LookupLevy(code string) (Levy, bool) {
	for _, l := range levies {
		if l.Code == code {
			return l, true
		}
	}
	return Levy{}, false
}

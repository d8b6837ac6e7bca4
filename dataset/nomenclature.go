package dataset

import (
	"iter"
	"maps"
	"strings"
)

// Names of the upper levels of the regional budget nomenclature of
// Permendagri 90/2019, which profiles group amounts by. Account codes are
// written as Terbuka stores them, with a two-digit jenis (5.1.02; see
// ParseAccountCode).

// accountNames names account groups (akun), kelompok and jenis.
var accountNames = map[string]Label{
	"4":      {"Pendapatan Daerah", "Regional revenue"},
	"4.1":    {"Pendapatan Asli Daerah (PAD)", "Own-source revenue (PAD)"},
	"4.1.01": {"Pajak Daerah", "Regional taxes"},
	"4.1.02": {"Retribusi Daerah", "Regional levies"},
	"4.1.03": {"Hasil Pengelolaan Kekayaan Daerah yang Dipisahkan", "Returns on separated regional assets"},
	"4.1.04": {"Lain-lain PAD yang Sah", "Other own-source revenue"},
	"4.2":    {"Pendapatan Transfer", "Transfers received"},
	"4.2.01": {"Pendapatan Transfer Pemerintah Pusat", "Transfers from the central government"},
	"4.2.02": {"Pendapatan Transfer Antardaerah", "Transfers from other regions"},
	"4.3":    {"Lain-lain Pendapatan Daerah yang Sah", "Other lawful revenue"},
	"4.3.01": {"Pendapatan Hibah", "Grants received"},
	"4.3.02": {"Dana Darurat", "Emergency funds"},
	"4.3.03": {"Lain-lain Pendapatan Sesuai dengan Ketentuan Peraturan Perundang-Undangan", "Other revenue under the law"},
	"5":      {"Belanja Daerah", "Regional expenditure"},
	"5.1":    {"Belanja Operasi", "Operating expenditure"},
	"5.1.01": {"Belanja Pegawai", "Personnel"},
	"5.1.02": {"Belanja Barang dan Jasa", "Goods and services"},
	"5.1.03": {"Belanja Bunga", "Interest"},
	"5.1.04": {"Belanja Subsidi", "Subsidies"},
	"5.1.05": {"Belanja Hibah", "Grants"},
	"5.1.06": {"Belanja Bantuan Sosial", "Social assistance"},
	"5.2":    {"Belanja Modal", "Capital expenditure"},
	"5.2.01": {"Belanja Modal Tanah", "Capital: land"},
	"5.2.02": {"Belanja Modal Peralatan dan Mesin", "Capital: equipment and machinery"},
	"5.2.03": {"Belanja Modal Gedung dan Bangunan", "Capital: buildings"},
	"5.2.04": {"Belanja Modal Jalan, Jaringan, dan Irigasi", "Capital: roads, networks and irrigation"},
	"5.2.05": {"Belanja Modal Aset Tetap Lainnya", "Capital: other fixed assets"},
	"5.2.06": {"Belanja Modal Aset Lainnya", "Capital: other assets"},
	"5.3":    {"Belanja Tidak Terduga", "Unforeseen expenditure"},
	"5.3.01": {"Belanja Tidak Terduga", "Unforeseen expenditure"},
	"5.4":    {"Belanja Transfer", "Transfers paid"},
	"5.4.01": {"Belanja Bagi Hasil", "Revenue sharing"},
	"5.4.02": {"Belanja Bantuan Keuangan", "Financial assistance"},
	"6":      {"Pembiayaan Daerah", "Regional financing"},
	"6.1":    {"Penerimaan Pembiayaan", "Financing receipts"},
	"6.1.01": {"Sisa Lebih Perhitungan Anggaran Tahun Sebelumnya (SiLPA)", "Surplus carried over from the previous year (SiLPA)"},
	"6.1.02": {"Pencairan Dana Cadangan", "Drawdown of reserve funds"},
	"6.1.03": {"Hasil Penjualan Kekayaan Daerah yang Dipisahkan", "Sale of separated regional assets"},
	"6.1.05": {"Penerimaan Pinjaman Daerah", "Regional borrowing"},
	"6.2":    {"Pengeluaran Pembiayaan", "Financing payments"},
	"6.2.01": {"Pembentukan Dana Cadangan", "Reserve funds set aside"},
	"6.2.02": {"Penyertaan Modal Daerah", "Regional equity participation"},
	"6.2.03": {"Pembayaran Cicilan Pokok Utang yang Jatuh Tempo", "Debt principal repaid"},
}

// urusanNames names the government affairs (urusan and bidang) of
// Permendagri 90/2019 that programme codes start with (1.03.10 → 1.03).
var urusanNames = map[string]Label{
	"1.01": {"Pendidikan", "Education"},
	"1.02": {"Kesehatan", "Health"},
	"1.03": {"Pekerjaan Umum dan Penataan Ruang", "Public works and spatial planning"},
	"1.04": {"Perumahan dan Kawasan Permukiman", "Housing and settlements"},
	"1.05": {"Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat", "Public order and protection"},
	"1.06": {"Sosial", "Social affairs"},
	"2.07": {"Tenaga Kerja", "Labour"},
	"2.08": {"Pemberdayaan Perempuan dan Pelindungan Anak", "Women's empowerment and child protection"},
	"2.09": {"Pangan", "Food"},
	"2.10": {"Pertanahan", "Land"},
	"2.11": {"Lingkungan Hidup", "Environment"},
	"2.12": {"Administrasi Kependudukan dan Pencatatan Sipil", "Civil registration"},
	"2.13": {"Pemberdayaan Masyarakat dan Desa", "Community and village empowerment"},
	"2.14": {"Pengendalian Penduduk dan Keluarga Berencana", "Population control and family planning"},
	"2.15": {"Perhubungan", "Transport"},
	"2.16": {"Komunikasi dan Informatika", "Communications and informatics"},
	"2.17": {"Koperasi, Usaha Kecil, dan Menengah", "Cooperatives and small businesses"},
	"2.18": {"Penanaman Modal", "Investment"},
	"2.19": {"Kepemudaan dan Olahraga", "Youth and sports"},
	"2.20": {"Statistik", "Statistics"},
	"2.21": {"Persandian", "Cryptography"},
	"2.22": {"Kebudayaan", "Culture"},
	"2.23": {"Perpustakaan", "Libraries"},
	"2.24": {"Kearsipan", "Archives"},
	"3.25": {"Kelautan dan Perikanan", "Marine affairs and fisheries"},
	"3.26": {"Pariwisata", "Tourism"},
	"3.27": {"Pertanian", "Agriculture"},
	"3.28": {"Kehutanan", "Forestry"},
	"3.29": {"Energi dan Sumber Daya Mineral", "Energy and mineral resources"},
	"3.30": {"Perdagangan", "Trade"},
	"3.31": {"Perindustrian", "Industry"},
	"3.32": {"Transmigrasi", "Transmigration"},
	"4.01": {"Sekretariat Daerah", "Regional secretariat"},
	"4.02": {"Sekretariat DPRD", "Regional parliament secretariat"},
	"5.01": {"Perencanaan", "Planning"},
	"5.02": {"Keuangan", "Finance"},
	"5.03": {"Kepegawaian", "Civil service"},
	"5.04": {"Pendidikan dan Pelatihan", "Training"},
	"5.05": {"Penelitian dan Pengembangan", "Research and development"},
	"6.01": {"Inspektorat", "Inspectorate"},
	"7.01": {"Kecamatan", "Districts"},
	"8.01": {"Kesatuan Bangsa dan Politik", "National unity and politics"},
}

// AccountName names an account code of the upper levels (4, 5.1, 5.1.02),
// or returns the code itself when it is not one the table knows.
func AccountName(code string) Label {
	if l, ok := accountNames[code]; ok {
		return l
	}
	return Label{code, code}
}

// AccountNames yields every account code of the upper levels with its
// name, in no particular order: what search matches a line's hierarchy by.
func AccountNames() iter.Seq2[string, Label] {
	return maps.All(accountNames)
}

// Urusan returns the urusan of a programme code (1.03.10 → 1.03), "" when
// the code has no urusan, as in support programmes written X.XX.01.
func Urusan(programCode string) string {
	parts := strings.SplitN(programCode, ".", 3)
	if len(parts) < 2 || parts[0] == "X" {
		return ""
	}
	return parts[0] + "." + parts[1]
}

// UrusanName names an urusan code, or returns the code when unknown.
func UrusanName(code string) Label {
	if l, ok := urusanNames[code]; ok {
		return l
	}
	return Label{code, code}
}

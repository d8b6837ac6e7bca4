package search

// abbreviations are the short forms Indonesians type for what records spell
// out in full (and records sometimes abbreviate too). A query word found
// here also matches its expansion as a phrase, so "ATK" finds "Belanja
// Alat Tulis Kantor" and "RSUD" the Rumah Sakit Umum Daerah.
var abbreviations = map[string]string{
	"apbd":   "anggaran pendapatan dan belanja daerah",
	"asn":    "aparatur sipil negara",
	"atk":    "alat tulis kantor",
	"bbm":    "bahan bakar minyak",
	"bmhp":   "bahan medis habis pakai",
	"bos":    "bantuan operasional sekolah",
	"dprd":   "dewan perwakilan rakyat daerah",
	"mamin":  "makanan dan minuman",
	"paud":   "pendidikan anak usia dini",
	"pju":    "penerangan jalan umum",
	"pns":    "pegawai negeri sipil",
	"pupr":   "pekerjaan umum dan penataan ruang",
	"rsud":   "rumah sakit umum daerah",
	"rth":    "ruang terbuka hijau",
	"sd":     "sekolah dasar",
	"smp":    "sekolah menengah pertama",
	"tpa":    "tempat pemrosesan akhir",
	"tps":    "tempat penampungan sementara",
	"upt":    "unit pelaksana teknis",
	"puskes": "pusat kesehatan masyarakat",
}

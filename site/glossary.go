package site

import (
	"net/http"

	"github.com/terbuka/terbuka/dataset"
)

// The glossary decides the words the portal's pages use for its own
// things, in both languages, and explains the public-finance words readers
// meet on them. Pages say "baris data", "kiriman" and "berkas per wilayah
// dan tahun", never the engineers' "rekaman", "feed" and "partisi":
// TestMessagesUseGlossaryWords holds the catalogue to it.

// glossaryEntry is one word of the glossary.
type glossaryEntry struct {
	// Anchor is the entry's fragment on /glosarium.
	Anchor string
	Term   dataset.Label
	// Also are other names readers may know it by.
	Also       dataset.Label
	Definition dataset.Label
}

// glossary is the glossary, in the order a reader meets the words.
var glossary = []glossaryEntry{
	{"apbd", dataset.Label{ID: "APBD", EN: "APBD (regional budget)"}, dataset.Label{ID: "Anggaran Pendapatan dan Belanja Daerah", EN: "Anggaran Pendapatan dan Belanja Daerah"},
		dataset.Label{ID: "Rencana keuangan tahunan pemerintah provinsi, kabupaten atau kota: pendapatan dan belanjanya, ditetapkan dengan peraturan daerah.", EN: "The yearly financial plan of a provincial, regency or city government: its revenue and spending, enacted as a regional regulation."}},
	{"tahap", dataset.Label{ID: "Tahap anggaran", EN: "Budget stage"}, dataset.Label{ID: "murni, pergeseran, perubahan", EN: "original, reallocated, amended"},
		dataset.Label{ID: "APBD ditetapkan di awal tahun (murni), dapat digeser antarpos (pergeseran) dan diubah dengan Perda Perubahan APBD (perubahan). Tahap-tahap ini tidak pernah dijumlahkan: yang terakhir menggantikan yang sebelumnya.", EN: "The budget enacted at the start of the year (original) may be moved between items (reallocated) and changed by an amending regulation (amended). Stages are never added up: the latest replaces the earlier ones."}},
	{"realisasi", dataset.Label{ID: "Realisasi", EN: "Outturn (realisasi)"}, dataset.Label{},
		dataset.Label{ID: "Uang yang benar-benar dibelanjakan atau diterima, dibandingkan dengan anggarannya.", EN: "The money actually spent or received, set against its budget."}},
	{"kode-rekening", dataset.Label{ID: "Kode rekening", EN: "Account code"}, dataset.Label{ID: "Permendagri 90/2019", EN: "Permendagri 90/2019"},
		dataset.Label{ID: "Kode bertingkat yang menggolongkan pendapatan dan belanja, mis. 5.1.02.01.01.0024 (belanja alat tulis kantor). Tiga tingkat pertama adalah jenis belanja.", EN: "A hierarchical code classifying revenue and spending, e.g. 5.1.02.01.01.0024 (office stationery). Its first three levels are the type of spending."}},
	{"perangkat-daerah", dataset.Label{ID: "Perangkat daerah", EN: "Regional agency"}, dataset.Label{ID: "OPD, SKPD, dinas, badan", EN: "OPD, SKPD, department"},
		dataset.Label{ID: "Dinas, badan atau kantor pemerintah daerah yang membelanjakan anggaran, mis. Dinas Pendidikan.", EN: "A department or agency of the regional government that spends the budget, e.g. the Education Department."}},
	{"subkegiatan", dataset.Label{ID: "Program, kegiatan, subkegiatan", EN: "Programme, activity, sub-activity"}, dataset.Label{},
		dataset.Label{ID: "Susunan tujuan belanja, dari yang paling umum ke yang paling rinci. Kodenya mengikuti Kepmendagri 050-5889/2021.", EN: "How spending is organised by purpose, from the broadest to the most detailed. Their codes follow Kepmendagri 050-5889/2021."}},
	{"pengadaan", dataset.Label{ID: "Paket pengadaan", EN: "Procurement package"}, dataset.Label{ID: "pengadaan barang/jasa, SIRUP, SPSE", EN: "SIRUP, SPSE"},
		dataset.Label{ID: "Pembelian barang, pekerjaan konstruksi atau jasa oleh perangkat daerah, diumumkan di SIRUP (rencana) dan SPSE/INAPROC (tender dan hasilnya).", EN: "A purchase of goods, construction works or services by an agency, announced in SIRUP (plans) and SPSE/INAPROC (tenders and their results)."}},
	{"pagu", dataset.Label{ID: "Pagu", EN: "Budget ceiling (pagu)"}, dataset.Label{},
		dataset.Label{ID: "Batas tertinggi anggaran sebuah paket pengadaan.", EN: "The most a procurement package may spend."}},
	{"hps", dataset.Label{ID: "HPS", EN: "HPS (owner's estimate)"}, dataset.Label{ID: "Harga Perkiraan Sendiri", EN: "Harga Perkiraan Sendiri"},
		dataset.Label{ID: "Perkiraan harga yang dihitung perangkat daerah sebelum tender; penawaran dibandingkan dengannya.", EN: "The price the agency estimates before a tender; bids are compared with it."}},
	{"nilai-kontrak", dataset.Label{ID: "Nilai kontrak", EN: "Contract value"}, dataset.Label{},
		dataset.Label{ID: "Harga yang disepakati dengan penyedia pemenang.", EN: "The price agreed with the winning supplier."}},
	{"metode", dataset.Label{ID: "Metode pengadaan", EN: "Procurement method"}, dataset.Label{ID: "tender, pengadaan langsung, penunjukan langsung, e-purchasing", EN: "tender, direct procurement, direct appointment, e-purchasing"},
		dataset.Label{ID: "Cara penyedia dipilih: tender terbuka, pembelian langsung untuk nilai kecil, penunjukan satu penyedia, atau pembelian dari katalog elektronik.", EN: "How the supplier is chosen: an open tender, a direct purchase for small amounts, the appointment of one supplier, or a purchase from the e-catalogue."}},
	{"penyedia", dataset.Label{ID: "Penyedia", EN: "Supplier"}, dataset.Label{ID: "rekanan, vendor", EN: "contractor, vendor"},
		dataset.Label{ID: "Badan usaha yang menjual barang atau jasa kepada pemerintah daerah. Profilnya dikenali dari NPWP badan usahanya.", EN: "A company selling goods or services to the regional government. Its profile is found by its company tax id (NPWP)."}},
	{"mak", dataset.Label{ID: "MAK", EN: "MAK (budget code of a package)"}, dataset.Label{ID: "Mata Anggaran Kegiatan", EN: "Mata Anggaran Kegiatan"},
		dataset.Label{ID: "Kode di SIRUP yang menyebut subkegiatan dan kode rekening yang mendanai paket; dengannya paket dihubungkan ke baris APBD-nya.", EN: "The SIRUP code naming the sub-activity and account that fund a package; it links the package to its budget line."}},
	{"tanda-risiko", dataset.Label{ID: "Tanda risiko", EN: "Red flag"}, dataset.Label{},
		dataset.Label{ID: "Pola pada paket pengadaan yang patut diperiksa lebih lanjut, mis. hanya satu penawaran. Bukan bukti pelanggaran.", EN: "A pattern in a procurement package worth a closer look, e.g. a single bid. Not proof of wrongdoing."}},
	{"pajak-retribusi", dataset.Label{ID: "Pajak dan retribusi daerah", EN: "Regional taxes and levies"}, dataset.Label{ID: "PAD", EN: "PAD"},
		dataset.Label{ID: "Pendapatan yang dipungut pemerintah daerah sendiri: pajak (mis. PBB-P2, pajak kendaraan) dan retribusi atas layanan (mis. parkir, pasar). Target tahunan dan realisasinya per bulan.", EN: "Revenue the regional government collects itself: taxes (e.g. property tax, vehicle tax) and levies for services (e.g. parking, markets). Yearly targets and monthly receipts."}},
	{"npwp", dataset.Label{ID: "NPWP", EN: "NPWP (tax id)"}, dataset.Label{ID: "Nomor Pokok Wajib Pajak", EN: "Nomor Pokok Wajib Pajak"},
		dataset.Label{ID: "Nomor wajib pajak. NPWP badan usaha diterbitkan; NPWP pribadi dan NIK tidak pernah.", EN: "A taxpayer number. A company's is published; a person's, and their NIK, never."}},
	{"wilayah", dataset.Label{ID: "Wilayah dan kode wilayah", EN: "Region and region code"}, dataset.Label{ID: "provinsi, kabupaten, kota; kode Kemendagri", EN: "province, regency, city; Kemendagri code"},
		dataset.Label{ID: "Pemerintah daerah yang datanya terbit, dikenali dari kode Kemendagri: 32 Jawa Barat, 32.73 Kota Bandung. Provinsi dan kabupaten/kotanya adalah pemerintah tersendiri; angkanya tidak dijumlahkan.", EN: "A regional government whose data is published, known by its Kemendagri code: 32 West Java, 32.73 Bandung City. A province and its regencies and cities are separate governments; their figures are never added."}},
	{"dataset", dataset.Label{ID: "Dataset", EN: "Dataset"}, dataset.Label{},
		dataset.Label{ID: "Satu jenis data dengan kolom yang sama untuk semua wilayah: APBD, paket pengadaan, pajak dan retribusi.", EN: "One kind of data with the same columns for every region: budgets, procurement packages, taxes and levies."}},
	{"baris-data", dataset.Label{ID: "Baris data", EN: "Record"}, dataset.Label{ID: "entri", EN: "row, entry"},
		dataset.Label{ID: "Satu baris sebuah dataset: satu baris anggaran, satu paket pengadaan, satu target atau realisasi pajak. Setiap baris data punya ID dan halaman sendiri.", EN: "One row of a dataset: one budget line, one procurement package, one tax target or receipt. Every record has an id and a page of its own."}},
	{"kiriman", dataset.Label{ID: "Kiriman", EN: "Submission"}, dataset.Label{ID: "feed", EN: "feed"},
		dataset.Label{ID: "Satu berkas yang dikirim pemerintah daerah untuk satu dataset dan tahun. Setiap kiriman diperiksa dan punya laporan yang menyebut baris, kolom, nilai dan alasan setiap kesalahan; yang salah tidak diterbitkan.", EN: "One file a regional government sends for one dataset and year. Every submission is checked and has a report naming the row, column, value and reason of each error; one with errors is not published."}},
	{"periksa-saja", dataset.Label{ID: "Periksa saja", EN: "Check only"}, dataset.Label{ID: "uji coba", EN: "dry run"},
		dataset.Label{ID: "Kiriman yang hanya diperiksa dan dilaporkan, tanpa diterbitkan.", EN: "A submission that is only checked and reported, not published."}},
	{"rilis", dataset.Label{ID: "Rilis", EN: "Release"}, dataset.Label{},
		dataset.Label{ID: "Versi bernomor dari seluruh data yang terbit. Setiap kiriman yang diterima membuat rilis baru; rilis lama tetap bisa diunduh dan dibandingkan.", EN: "A numbered version of all published data. Every accepted submission makes a new release; earlier releases stay downloadable and can be compared."}},
	{"berkas-wilayah-tahun", dataset.Label{ID: "Berkas per wilayah dan tahun", EN: "File per region and year"}, dataset.Label{ID: "partisi", EN: "partition"},
		dataset.Label{ID: "Data satu dataset untuk satu wilayah dan satu tahun, sebagai satu berkas Parquet atau CSV yang bisa diunduh.", EN: "One dataset's data for one region and one year, as one Parquet or CSV file to download."}},
	{"token", dataset.Label{ID: "Token", EN: "Token"}, dataset.Label{},
		dataset.Label{ID: "Kata sandi panjang yang diberikan pengelola portal kepada satu pemerintah daerah untuk mengirim datanya. Token menentukan wilayah: token Kota Bandung hanya bisa mengirim data Kota Bandung.", EN: "A long password the portal's operator gives one regional government to send its data. The token decides the region: Bandung City's token can send only Bandung City's data."}},
}

// glossaryPage is what /glosarium shows.
type glossaryPage struct {
	Entries []glossaryEntry
}

// handleGlossary is /glosarium.
func (s *Server) handleGlossary(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "glossary", langOf(r).translate("footer.glossary"), glossaryPage{Entries: glossary})
	return nil
}

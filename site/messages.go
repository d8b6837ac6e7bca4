package site

import "github.com/terbuka/terbuka/dataset"

// messages is the catalogue of user-interface text. Templates look strings
// up by key through the "t" function, so no sentence is written in a
// template and every page exists in both languages.
var messages = map[string][2]string{ // key → {Indonesian, English}
	"site.tagline":          {"Data keuangan daerah yang terbuka: APBD, pengadaan, pajak dan retribusi", "Open regional public-finance data: budgets, procurement, taxes and levies"},
	"nav.skip":              {"Langsung ke isi", "Skip to content"},
	"nav.home":              {"Beranda", "Home"},
	"nav.search":            {"Cari", "Search"},
	"search.label":          {"Cari belanja, paket pengadaan, penyedia, kode rekening", "Search spending, procurement packages, suppliers, account codes"},
	"search.placeholder":    {"mis. jalan desa, laptop dinas pendidikan, 5.1.02.01.01.0024", "e.g. jalan desa, laptop dinas pendidikan, 5.1.02.01.01.0024"},
	"search.button":         {"Cari", "Search"},
	"search.results":        {"hasil", "results"},
	"search.none":           {"Tidak ada hasil. Coba kata lain atau hapus filter.", "No results. Try other words or remove filters."},
	"search.filters":        {"Saring", "Filter"},
	"search.clear":          {"Hapus semua filter", "Clear all filters"},
	"search.prev":           {"Sebelumnya", "Previous"},
	"search.next":           {"Berikutnya", "Next"},
	"search.page":           {"Halaman", "Page"},
	"search.json":           {"Hasil ini sebagai JSON", "These results as JSON"},
	"search.rebuilding":     {"Indeks pencarian sedang dibangun; hasil mungkin belum lengkap.", "The search index is being built; results may be incomplete."},
	"home.datasets":         {"Dataset", "Datasets"},
	"home.records":          {"rekaman", "records"},
	"home.release":          {"Rilis yang berlaku", "Live release"},
	"home.norelease":        {"Belum ada data yang diterbitkan.", "Nothing has been published yet."},
	"facet.dataset":         {"Dataset", "Dataset"},
	"facet.province_code":   {"Provinsi", "Province"},
	"facet.region_code":     {"Wilayah", "Region"},
	"facet.fiscal_year":     {"Tahun", "Year"},
	"facet.amount_range":    {"Nilai", "Amount"},
	"sort.label":            {"Urutkan", "Sort by"},
	"sort.relevance":        {"Paling relevan", "Most relevant"},
	"sort.amount_desc":      {"Nilai terbesar", "Largest amount"},
	"sort.amount_asc":       {"Nilai terkecil", "Smallest amount"},
	"sort.date_desc":        {"Terbaru", "Newest"},
	"sort.date_asc":         {"Terlama", "Oldest"},
	"sort.apply":            {"Terapkan", "Apply"},
	"hit.untitled":          {"(tanpa nama paket)", "(no package name)"},
	"feed.title":            {"Laporan feed", "Feed report"},
	"feed.status.received":  {"Diterima; sedang diperiksa. Muat ulang halaman ini sebentar lagi.", "Received; being checked. Reload this page in a moment."},
	"feed.status.rejected":  {"Ditolak: ada kesalahan di bawah. Tidak ada yang diterbitkan; perbaiki berkas lalu kirim lagi.", "Rejected: there are errors below. Nothing was published; fix the file and send it again."},
	"feed.status.validated": {"Sah; sedang diterbitkan.", "Valid; being published."},
	"feed.status.published": {"Diterbitkan.", "Published."},
	"feed.status.unchanged": {"Sah, dan sama dengan data yang sudah terbit: tidak ada rilis baru.", "Valid, and the same as the data already published: no new release."},
	"feed.status.failed":    {"Terbuka gagal memproses feed ini; kirim lagi nanti.", "Terbuka failed to process this feed; send it again later."},
	"feed.dataset":          {"Dataset", "Dataset"},
	"feed.region":           {"Wilayah", "Region"},
	"feed.year":             {"Tahun anggaran", "Fiscal year"},
	"feed.file":             {"Berkas", "File"},
	"feed.received":         {"Diterima", "Received"},
	"feed.rows":             {"Baris", "Rows"},
	"feed.bytes":            {"Ukuran (byte)", "Size (bytes)"},
	"feed.release":          {"Rilis", "Release"},
	"feed.errors":           {"Kesalahan", "Errors"},
	"feed.warnings":         {"Peringatan", "Warnings"},
	"feed.bycode":           {"Menurut jenis", "By kind"},
	"feed.capped":           {"Hanya sebagian yang ditampilkan; jumlah di atas lengkap.", "Only some are listed; the counts above are complete."},
	"feed.row":              {"Baris", "Row"},
	"feed.column":           {"Kolom", "Column"},
	"feed.value":            {"Nilai", "Value"},
	"feed.reason":           {"Alasan", "Reason"},
	"feed.json":             {"Laporan ini sebagai JSON", "This report as JSON"},
	"field.year":            {"Tahun", "Year"},
	"field.region":          {"Wilayah", "Region"},
	"error.title":           {"Terjadi kesalahan", "Something went wrong"},
	"footer.licence":        {"Data wilayah: Kemendagri 2025 via cahyadsn/wilayah (MIT).", "Region data: Kemendagri 2025 via cahyadsn/wilayah (MIT)."},
}

// lang indexes the two languages of the catalogue.
type lang int

const (
	langID lang = iota
	langEN
)

func (l lang) code() string {
	if l == langEN {
		return "en"
	}
	return "id"
}

// label picks the text of a two-language label.
func (l lang) label(lb dataset.Label) string {
	if l == langEN {
		return lb.EN
	}
	return lb.ID
}

// translate returns the text for key, or the key itself so a missing entry
// is visible on the page and caught by tests rather than blank.
func (l lang) translate(key string) string {
	if m, ok := messages[key]; ok {
		return m[l]
	}
	return key
}

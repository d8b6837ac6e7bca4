package site

import "github.com/terbuka/terbuka/dataset"

// messages is the catalogue of user-interface text. Templates look strings
// up by key through the "t" function, so no sentence is written in a
// template and every page exists in both languages.
var messages = map[string][2]string{ // key → {Indonesian, English}
	"site.tagline":        {"Data keuangan daerah yang terbuka: APBD, pengadaan, pajak dan retribusi", "Open regional public-finance data: budgets, procurement, taxes and levies"},
	"nav.skip":            {"Langsung ke isi", "Skip to content"},
	"nav.home":            {"Beranda", "Home"},
	"nav.search":          {"Cari", "Search"},
	"search.label":        {"Cari belanja, paket pengadaan, penyedia, kode rekening", "Search spending, procurement packages, suppliers, account codes"},
	"search.placeholder":  {"mis. jalan desa, laptop dinas pendidikan, 5.1.02.01.01.0024", "e.g. jalan desa, laptop dinas pendidikan, 5.1.02.01.01.0024"},
	"search.button":       {"Cari", "Search"},
	"search.results":      {"hasil", "results"},
	"search.none":         {"Tidak ada hasil. Coba kata lain atau hapus filter.", "No results. Try other words or remove filters."},
	"search.filters":      {"Saring", "Filter"},
	"search.clear":        {"Hapus semua filter", "Clear all filters"},
	"search.prev":         {"Sebelumnya", "Previous"},
	"search.next":         {"Berikutnya", "Next"},
	"search.page":         {"Halaman", "Page"},
	"search.json":         {"Hasil ini sebagai JSON", "These results as JSON"},
	"search.rebuilding":   {"Indeks pencarian sedang dibangun; hasil mungkin belum lengkap.", "The search index is being built; results may be incomplete."},
	"home.datasets":       {"Dataset", "Datasets"},
	"home.records":        {"rekaman", "records"},
	"home.release":        {"Rilis yang berlaku", "Live release"},
	"home.norelease":      {"Belum ada data yang diterbitkan.", "Nothing has been published yet."},
	"facet.dataset":       {"Dataset", "Dataset"},
	"facet.province_code": {"Provinsi", "Province"},
	"facet.region_code":   {"Wilayah", "Region"},
	"facet.fiscal_year":   {"Tahun", "Year"},
	"facet.amount_range":  {"Nilai", "Amount"},
	"sort.label":          {"Urutkan", "Sort by"},
	"sort.relevance":      {"Paling relevan", "Most relevant"},
	"sort.amount_desc":    {"Nilai terbesar", "Largest amount"},
	"sort.amount_asc":     {"Nilai terkecil", "Smallest amount"},
	"sort.date_desc":      {"Terbaru", "Newest"},
	"sort.date_asc":       {"Terlama", "Oldest"},
	"sort.apply":          {"Terapkan", "Apply"},
	"field.year":          {"Tahun", "Year"},
	"field.region":        {"Wilayah", "Region"},
	"error.title":         {"Terjadi kesalahan", "Something went wrong"},
	"footer.licence":      {"Data wilayah: Kemendagri 2025 via cahyadsn/wilayah (MIT).", "Region data: Kemendagri 2025 via cahyadsn/wilayah (MIT)."},
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

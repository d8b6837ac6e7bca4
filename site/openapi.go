package site

import (
	"net/http"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// datasetParam is the dataset parameter, its values the schemas' names.
func datasetParam() map[string]any {
	names := dataset.Names()
	return param("dataset", strings.Join(names, ", ")+".", "string", names...)
}

// openAPI builds the OpenAPI 3.1 description of the JSON API. The filter
// parameters come from the schemas' facet fields, so the documentation
// lists exactly what queryFromURL accepts.
func openAPI() map[string]any {
	params := []any{
		param("q", "Kata, \"frasa\", -pengecualian dan kolom:nilai (wilayah:32.73, tahun:2024, tahap:murni, rekening:5.1.02). Words, \"phrases\", -exclusions and field:value filters.", "string"),
		datasetParam(),
		param("province", "Kode provinsi Kemendagri, mis. 32. Province code.", "string"),
		param("region", "Kode kabupaten/kota Kemendagri, mis. 32.73. Regency/city code.", "string"),
		param("year", "Tahun anggaran. Fiscal year.", "integer"),
		param("min", "Nilai minimum dalam rupiah (1234567, 1.234.567,89, Rp 1.234.567). Minimum amount in rupiah.", "string"),
		param("max", "Nilai maksimum dalam rupiah. Maximum amount in rupiah.", "string"),
		param("date_from", "Tanggal awal (2024-03-17, 17/03/2024). Earliest date.", "string"),
		param("date_to", "Tanggal akhir. Latest date.", "string"),
		param("sort", "Urutan: relevansi (kosong), amount, -amount, date, -date; value, -value: nilai kontrak paket pengadaan.", "string", "", "amount", "-amount", "value", "-value", "date", "-date"),
		param("size", "Hasil per halaman, 1–100 (bawaan 20). Results per page.", "integer"),
		param("from", "Posisi hasil pertama; from+size ≤ 10.000. Offset.", "integer"),
		param("after", "Kursor next dari halaman sebelumnya, untuk melampaui 10.000 hasil. Cursor from the previous page.", "string"),
	}
	for _, name := range filterFields() {
		f := dataset.FindField(name)
		params = append(params, param(name, f.Description.ID+" "+f.Description.EN, "string", f.Allowed...))
	}
	return map[string]any{
		"openapi": "3.1.0",
		"components": map[string]any{"securitySchemes": map[string]any{"token": map[string]any{
			"type": "http", "scheme": "bearer", "description": "Token wilayah dari terbuka token create. A region's token."}}},
		"info": map[string]any{"title": "Terbuka API", "version": "1",
			"description": "Data keuangan daerah yang terbuka: APBD, pengadaan, pajak dan retribusi. Open regional public-finance data."},
		"paths": map[string]any{
			"/api/v1/search": map[string]any{"get": map[string]any{
				"summary":    "Cari rekaman / Search records",
				"parameters": params,
				"responses": map[string]any{
					"200": map[string]any{"description": "Hasil: total, results (dengan highlights: cuplikan kolom teks, kata yang dicari dalam <mark>; stages: setiap tahap baris APBD dengan id dan nilainya, karena satu baris anggaran muncul sekali dengan nilai tahap terakhirnya), facets, next. Bila sedikit (< 10) rekaman memuat semua kata, rekaman yang memuat sebagian besar kata menyusul dengan match \"partial\"; total_all_words menghitung yang memuat semua kata; suggestion mengusulkan kueri lain bila tidak ada yang memuat semua kata. Results with highlights: text-field snippets, HTML-escaped, query words in <mark>; stages: each stage of a budget line with its record id and amount, since a line appears once, with the amount of its latest stage; the stage facet counts lines having each stage. When fewer than 10 records hold every word, records holding most of them follow with match \"partial\"; total_all_words counts those holding every word; suggestion offers another query when none does."},
					"400": map[string]any{"description": "Parameter atau sintaks kueri tidak sah; error {code, message, message_en} menjelaskan. Invalid parameter or query syntax; error {code, message, message_en} says why."},
					"503": map[string]any{"description": "Pencarian melebihi batas waktu."},
				},
			}},
			"/api/v1/records/{id}": map[string]any{"get": map[string]any{
				"summary": "Satu rekaman menurut id-nya / One record by its id",
				"description": "Rekaman di rilis yang berlaku, dengan kolom yang sama dengan unduhan NDJSON (uang dan angka sebagai angka JSON yang tepat), beserta wilayah, tahun, rilis, halaman dan unduhannya. Id ada di hasil pencarian, unduhan dan halaman rekaman; id tahap mana pun dari satu baris APBD bisa dipakai. " +
					"The record in the live release, with the fields of the NDJSON downloads (money and numbers as exact JSON numbers), its region, year, release, page and download. Ids are in search results, downloads and record pages; any stage's id of a budget line will do.",
				"parameters": []any{map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "string"}}},
				"responses": map[string]any{
					"200": map[string]any{"description": "Rekamannya. The record."},
					"404": map[string]any{"description": "Tidak ada rekaman dengan id ini di rilis yang berlaku. No record with this id in the live release."},
				},
			}},
			"/api/v1/feeds": map[string]any{"post": map[string]any{
				"summary": "Kirim feed wilayah / Push a region's feed",
				"description": "Badan permintaan adalah berkas CSV (atau berkas pertama formulir multipart). Wilayah ditentukan oleh token, bukan oleh URL atau berkas. " +
					"The body is a CSV file (or a multipart form's first file). The region is the token's, never the URL's or the file's.",
				"security": []any{map[string]any{"token": []any{}}},
				"parameters": []any{
					datasetParam(),
					param("year", "Tahun anggaran. Fiscal year.", "integer"),
					param("dry_run", "1: periksa saja, jangan terbitkan. Berkas diperiksa persis seperti kiriman sungguhan dan laporannya disimpan (status checked atau rejected), tetapi tidak ada yang diterbitkan. "+
						"1: check only, do not publish. The feed is validated exactly as a real one and its report kept (status checked or rejected), but nothing is published.", "string", "0", "1"),
					map[string]any{"name": "Idempotency-Key", "in": "header", "required": false, "description": "Kunci pengiriman ulang yang aman. A key that makes retries safe.", "schema": map[string]any{"type": "string"}},
				},
				"responses": map[string]any{
					"200": map[string]any{"description": "Dengan dry_run=1: tidak ada kesalahan (status checked); tidak ada yang diterbitkan. With dry_run=1: no errors (status checked); nothing was published."},
					"201": map[string]any{"description": "Diterbitkan (atau sama dengan yang sudah terbit): laporan feed. Published (or unchanged): the feed's report."},
					"202": map[string]any{"description": "Diterima, sedang diproses; Location menunjuk laporannya. Received and being processed; Location points to its report."},
					"401": map[string]any{"description": "Token tidak ada, tidak dikenal atau dicabut. Missing, unknown or revoked token."},
					"403": map[string]any{"description": "Token wilayah lain. The token belongs to another region."},
					"409": map[string]any{"description": "Idempotency-Key sudah dipakai untuk isi lain. Idempotency-Key used for other content."},
					"413": map[string]any{"description": "Berkas terlalu besar. The feed is too large."},
					"415": map[string]any{"description": "Format belum didukung. Unsupported format."},
					"422": map[string]any{"description": "Feed berisi kesalahan; tidak ada yang diterbitkan; laporan menyebut baris, kolom, nilai dan alasannya. The feed has errors; nothing was published; the report names row, column, value and reason."},
					"429": map[string]any{"description": "Terlalu banyak token salah. Too many bad tokens."},
				},
			}},
			"/api/v1/feeds/{id}": map[string]any{"get": map[string]any{
				"summary":    "Status dan laporan feed / A feed's status and report",
				"parameters": []any{map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "string"}}},
				"responses": map[string]any{
					"200": map[string]any{"description": "status (received, rejected, published, unchanged, checked, failed), dry_run, errors, warnings."},
					"404": map[string]any{"description": "Feed tidak ditemukan. No such feed."},
				},
			}},
			"/api/v1/regions/{code}": map[string]any{"get": map[string]any{
				"summary": "Profil wilayah / A region's profile",
				"description": "Angka yang ditampilkan halaman /wilayah/{code}, milik pemerintah daerah itu sendiri: APBD per tahap (pendapatan, belanja, pembiayaan; tidak pernah dijumlahkan antartahap), per penduduk, pengadaan, pajak dan retribusi. " +
					"Untuk provinsi, kabupaten dan kotanya tercantum di members, tidak dijumlahkan ke provinsi. Uang sebagai string desimal rupiah. " +
					"The figures of the page /wilayah/{code}, of the government itself: budget per stage (never added across stages), per resident, procurement, taxes and levies. " +
					"A province lists its regencies and cities under members, never added to its own figures. Money as decimal strings of rupiah.",
				"parameters": []any{
					map[string]any{"name": "code", "in": "path", "required": true, "description": "Kode wilayah Kemendagri (32, 32.73). Region code.", "schema": map[string]any{"type": "string"}},
					param("year", "Tahun anggaran; bawaan: tahun terakhir yang ada datanya. Fiscal year; default: the latest with data.", "integer"),
				},
				"responses": map[string]any{
					"200": map[string]any{"description": "code, name, level, year, years, population, published, budget {stage: {revenue, spending, financing}}, plan, per_capita, procurement, taxes_and_levies, members {published, total, regions}."},
					"400": map[string]any{"description": "year bukan bilangan bulat. year is not a whole number."},
					"404": map[string]any{"description": "Kode wilayah tidak dikenal. Unknown region code."},
				},
			}},
			"/api/v1/openapi.json": map[string]any{"get": map[string]any{
				"summary": "Dokumen OpenAPI ini / This OpenAPI document",
				"description": "Deskripsi OpenAPI 3.1 dari API JSON, dengan parameter filter dari skema dataset. " +
					"The OpenAPI 3.1 description of the JSON API, its filter parameters from the datasets' schemas.",
				"responses": map[string]any{"200": map[string]any{"description": "Dokumen OpenAPI. The OpenAPI document."}},
			}},
			"/healthz": map[string]any{"get": map[string]any{"summary": "Status layanan / Service health",
				"responses": map[string]any{"200": map[string]any{"description": "status, release, documents, index_ready"}}}},
		},
	}
}

func param(name, desc, typ string, enum ...string) map[string]any {
	schema := map[string]any{"type": typ}
	if len(enum) > 0 {
		schema["enum"] = enum
	}
	return map[string]any{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
}

// filterFields lists the facet fields that have a URL parameter of their
// own name, in schema order.
func filterFields() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range dataset.All() {
		for _, f := range s.Fields {
			if isFilterField(f.Name) && !seen[f.Name] {
				seen[f.Name] = true
				out = append(out, f.Name)
			}
		}
	}
	return out
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, openAPI())
	return nil
}

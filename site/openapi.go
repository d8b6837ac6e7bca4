package site

import (
	"net/http"

	"github.com/terbuka/terbuka/dataset"
)

// openAPI builds the OpenAPI 3.1 description of the JSON API. The filter
// parameters come from the schemas' facet fields, so the documentation
// lists exactly what queryFromURL accepts.
func openAPI() map[string]any {
	params := []any{
		param("q", "Kata, \"frasa\", -pengecualian dan kolom:nilai (wilayah:32.73, tahun:2024, tahap:murni, rekening:5.1.02). Words, \"phrases\", -exclusions and field:value filters.", "string"),
		param("dataset", "budget, procurement atau revenue.", "string", "budget", "procurement", "revenue"),
		param("province", "Kode provinsi Kemendagri, mis. 32. Province code.", "string"),
		param("region", "Kode kabupaten/kota Kemendagri, mis. 32.73. Regency/city code.", "string"),
		param("year", "Tahun anggaran. Fiscal year.", "integer"),
		param("min", "Nilai minimum dalam rupiah (1234567, 1.234.567,89, Rp 1.234.567). Minimum amount in rupiah.", "string"),
		param("max", "Nilai maksimum dalam rupiah. Maximum amount in rupiah.", "string"),
		param("date_from", "Tanggal awal (2024-03-17, 17/03/2024). Earliest date.", "string"),
		param("date_to", "Tanggal akhir. Latest date.", "string"),
		param("sort", "Urutan: relevansi (kosong), amount, -amount, date, -date.", "string", "", "amount", "-amount", "date", "-date"),
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
		"info": map[string]any{"title": "Terbuka API", "version": "1",
			"description": "Data keuangan daerah yang terbuka: APBD, pengadaan, pajak dan retribusi. Open regional public-finance data."},
		"paths": map[string]any{
			"/api/v1/search": map[string]any{"get": map[string]any{
				"summary":    "Cari rekaman / Search records",
				"parameters": params,
				"responses": map[string]any{
					"200": map[string]any{"description": "Hasil: total, results (dengan highlights: cuplikan kolom teks, kata yang dicari dalam <mark>), facets, next. Results with highlights: text-field snippets, HTML-escaped, query words in <mark>."},
					"400": map[string]any{"description": "Parameter atau sintaks kueri tidak sah; error dan message {id, en} menjelaskan."},
					"503": map[string]any{"description": "Pencarian melebihi batas waktu."},
				},
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

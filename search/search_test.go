package search

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/terbuka/terbuka/dataset"
)

func TestSearchWords(t *testing.T) {
	ix, fx, _ := openFixture(t)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty matches all", "", []string{"B1", "B2", "B3", "B4", "K1", "K2", "P1", "P2", "P3", "R1", "R2"}},
		{"word in budget, procurement and revenue", "jalan", []string{"B1", "K1", "P1", "R2"}},
		{"case does not matter", "JALAN", []string{"B1", "K1", "P1", "R2"}},
		// K1 alone holds both words; the records with one of them follow,
		// since one record is few (fewAllWords).
		{"all words first, then most", "jalan desa", []string{"K1", "~B1", "~P1", "~R2"}},
		{"phrase across datasets", "alat tulis kantor", []string{"B1", "P2"}},
		{"stop words are ignored", "jalan dan desa", []string{"K1", "~B1", "~P1", "~R2"}},
		{"stop word alone matches nothing", "dan", []string{}},
		{"only stop words match nothing", "yang dan atau", []string{}},
		{"kept domain word dini", "anak usia dini", []string{"B2"}},
		// Three records hold every word: enough, no partial matches.
		{"region name and year as words", "bandung jalan 2024", []string{"B1", "P1", "R2"}},
		// Of three words, a partial match holds two: Bandung's other 2024
		// records and Bandung's or 2024's other roads.
		{"two of three words", "bandung jalan 2024 kapal", []string{"~B1", "~B2", "~B3", "~B4", "~K1", "~P1", "~P2", "~P3", "~R1", "~R2"}},
		{"year as a word", "2023", []string{"K1", "K2"}},
		{"enum value as a word", "tender", []string{"P1"}},
		{"account code", "5.1.02.01.01.0024", []string{"B1"}},
		{"kode RUP", "47859361", []string{"P1"}},
		{"tax code typed in lower case", "pbjt-ph", []string{"R1"}},
		{"unknown word", "kapal", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fx.hitNames(t, ix, Query{Text: tt.text})
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("Search(%q) hits (-got +want):\n%s", tt.text, diff)
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	ix, fx, _ := openFixture(t)
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"dataset and word", Query{Dataset: "budget", Text: "jalan"}, []string{"B1", "K1"}},
		{"region", Query{Region: "32.04"}, []string{"K1", "K2"}},
		{"province", Query{Province: "32", Dataset: "revenue"}, []string{"R1", "R2"}},
		{"other province", Query{Province: "31"}, []string{}},
		{"year", Query{Year: 2023}, []string{"K1", "K2"}},
		{"region and year", Query{Region: "32.73", Year: 2023}, []string{}},
		{"stage", Query{Filters: map[string]string{"stage": "murni"}}, []string{"B1", "B4", "K1"}},
		{"stage and region", Query{Region: "32.73", Filters: map[string]string{"stage": "murni"}}, []string{"B1", "B4"}},
		{"method", Query{Dataset: "procurement", Filters: map[string]string{"method": "tender"}}, []string{"P1"}},
		{"agency across datasets", Query{Filters: map[string]string{"agency_name": "Dinas Pendidikan"}}, []string{"B2", "P2", "P3"}},
		{"agency is exact", Query{Filters: map[string]string{"agency_name": "dinas pendidikan"}}, []string{}},
		{"account group", Query{Filters: map[string]string{"account_group": "pendapatan"}}, []string{"B4"}},
		{"integer facet", Query{Filters: map[string]string{"period": "3"}}, []string{"R2"}},
		{"one of a package's flags", Query{Dataset: "procurement", Filters: map[string]string{"flag": "single_bidder"}}, []string{"P1", "P3"}},
		{"its other flag", Query{Dataset: "procurement", Filters: map[string]string{"flag": "contract_near_hps"}}, []string{"P1"}},
		{"a flag no package has", Query{Dataset: "procurement", Filters: map[string]string{"flag": "year_end"}}, []string{}},
		{"empty filter value is ignored", Query{Year: 2023, Filters: map[string]string{"stage": ""}}, []string{"K1", "K2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fx.hitNames(t, ix, tt.q)
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("Search(%+v) hits (-got +want):\n%s", tt.q, diff)
			}
		})
	}
}

func TestSearchFacets(t *testing.T) {
	ix, _, _ := openFixture(t)
	tests := []struct {
		name string
		q    Query
		want []Facet
	}{
		{"budget", Query{Dataset: "budget"}, []Facet{
			// The dataset facet is counted without its own filter, so
			// the other datasets stay visible to switch to.
			{"dataset", []FacetValue{{Value: "budget", Count: 6}, {Value: "procurement", Count: 3}, {Value: "revenue", Count: 2}}},
			{"province_code", []FacetValue{{Value: "32", Count: 6}}},
			{"region_code", []FacetValue{{Value: "32.73", Count: 4}, {Value: "32.04", Count: 2}}},
			{"fiscal_year", []FacetValue{{Value: "2024", Count: 4}, {Value: "2023", Count: 2}}},
			{"stage", []FacetValue{{Value: "murni", Count: 3}, {Value: "perubahan", Count: 2}, {Value: "realisasi", Count: 1}}},
			{"agency_name", []FacetValue{{Value: "Badan Pendapatan Daerah", Count: 1}, {Value: "Dinas Kesehatan", Count: 1}, {Value: "Dinas Pekerjaan Umum dan Penataan Ruang", Count: 1},
				{Value: "Dinas Pekerjaan Umum dan Tata Ruang", Count: 1}, {Value: "Dinas Pendidikan", Count: 1}, {Value: "Dinas Pertanian", Count: 1}}},
			{"account_group", []FacetValue{{Value: "belanja", Count: 5}, {Value: "pendapatan", Count: 1}}},
		}},
		{"across datasets only the lead facets are counted", Query{Text: "jalan"}, []Facet{
			{"dataset", []FacetValue{{Value: "budget", Count: 2}, {Value: "procurement", Count: 1}, {Value: "revenue", Count: 1}}},
			{"province_code", []FacetValue{{Value: "32", Count: 4}}},
			{"region_code", []FacetValue{{Value: "32.73", Count: 3}, {Value: "32.04", Count: 1}}},
			{"fiscal_year", []FacetValue{{Value: "2024", Count: 3}, {Value: "2023", Count: 1}}},
		}},
		{"a dataset adds its own facets", Query{Text: "sekolah", Dataset: "procurement"}, []Facet{
			{"dataset", []FacetValue{{Value: "procurement", Count: 1}}},
			{"province_code", []FacetValue{{Value: "32", Count: 1}}},
			{"region_code", []FacetValue{{Value: "32.73", Count: 1}}},
			{"fiscal_year", []FacetValue{{Value: "2024", Count: 1}}},
			{"agency_name", []FacetValue{{Value: "Dinas Pendidikan", Count: 1}}},
			{"method", []FacetValue{{Value: "seleksi", Count: 1}}},
			{"category", []FacetValue{{Value: "jasa konsultansi", Count: 1}}},
			{"funding_source", nil},
			{"supplier_name", nil},
			{"status", []FacetValue{{Value: "diumumkan", Count: 1}}},
			{"budget_link", nil},
			{"flag", []FacetValue{{Value: "single_bidder", Count: 1}}},
		}},
		{"a package counts once under each of its flags", Query{Dataset: "procurement"}, []Facet{
			{"dataset", []FacetValue{{Value: "budget", Count: 6}, {Value: "procurement", Count: 3}, {Value: "revenue", Count: 2}}},
			{"province_code", []FacetValue{{Value: "32", Count: 3}}},
			{"region_code", []FacetValue{{Value: "32.73", Count: 3}}},
			{"fiscal_year", []FacetValue{{Value: "2024", Count: 3}}},
			{"agency_name", []FacetValue{{Value: "Dinas Pendidikan", Count: 2}, {Value: "Dinas Pekerjaan Umum dan Penataan Ruang", Count: 1}}},
			{"method", []FacetValue{{Value: "e-purchasing", Count: 1}, {Value: "seleksi", Count: 1}, {Value: "tender", Count: 1}}},
			{"category", []FacetValue{{Value: "barang", Count: 1}, {Value: "jasa konsultansi", Count: 1}, {Value: "pekerjaan konstruksi", Count: 1}}},
			{"funding_source", []FacetValue{{Value: "APBD", Count: 2}}},
			{"supplier_name", []FacetValue{{Value: "CV Sumber Makmur", Count: 1}, {Value: "PT Karya Jalan Mandiri", Count: 1}}},
			{"status", []FacetValue{{Value: "berkontrak", Count: 1}, {Value: "diumumkan", Count: 1}, {Value: "selesai", Count: 1}}},
			{"budget_link", nil},
			{"flag", []FacetValue{{Value: "single_bidder", Count: 2}, {Value: "contract_near_hps", Count: 1}}},
		}},
		{"no hits keeps the lead facets", Query{Text: "kapal"}, []Facet{
			{"dataset", nil}, {"province_code", nil}, {"region_code", nil}, {"fiscal_year", nil},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(t.Context(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := slices.DeleteFunc(res.Facets, func(f Facet) bool { return f.Field == facetAmount })
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("Search(%+v) facets (-got +want):\n%s", tt.q, diff)
			}
		})
	}
}

func TestSearchHit(t *testing.T) {
	ix, fx, _ := openFixture(t)
	tests := []struct {
		name string
		q    Query
		want Hit
	}{
		{"procurement exact to the sen", Query{Text: "47859361"}, Hit{
			ID: fx.ids["P1"], Dataset: "procurement",
			Title: "Pembangunan Jalan Lingkungan Kelurahan Sukajadi", Amount: 180047499554,
			Region: "32.73", RegionName: "Kota Bandung", Year: 2024,
			Fields: map[string]string{
				"package_id": "47859361", "agency_name": "Dinas Pekerjaan Umum dan Penataan Ruang",
				"method": "tender", "category": "pekerjaan konstruksi", "contract_value": "1698250000.00", "flag": "single_bidder,contract_near_hps",
				"supplier_name": "PT Karya Jalan Mandiri", "supplier_tax_id": "01.234.567.8-901.000", "announced_at": "2024-03-17T10:30:00+07:00",
			},
		}},
		{"budget with highlight", Query{Text: "rehabilitasi"}, Hit{
			ID: fx.ids["B1"], Dataset: "budget",
			Title: "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor", Amount: 180047499554,
			Region: "32.73", RegionName: "Kota Bandung", Year: 2024,
			Fields: map[string]string{
				"stage": "murni", "agency_name": "Dinas Pekerjaan Umum dan Penataan Ruang",
				"program_name": "Program Penyelenggaraan Jalan", "sub_activity_name": "Rehabilitasi Jalan",
				"account_code": "5.1.02.01.01.0024", "account_group": "belanja", "description": "Rehabilitasi jalan lingkungan",
			},
			Fragments: map[string][]string{"sub_activity_name": {"<mark>Rehabilitasi</mark> Jalan"}, "description": {"<mark>Rehabilitasi</mark> jalan lingkungan"}},
			Stages:    []Stage{{Stage: "murni", ID: fx.ids["B1"], Amount: 180047499554, Valid: true}},
		}},
		{"highlight is escaped", Query{Text: "tinta"}, Hit{
			ID: fx.ids["P2"], Dataset: "procurement",
			Title: "Pengadaan Alat Tulis Kantor & Tinta Printer", Amount: 12500000000,
			Region: "32.73", RegionName: "Kota Bandung", Year: 2024,
			Fields: map[string]string{
				"package_id": "47859362", "agency_name": "Dinas Pendidikan", "method": "e-purchasing",
				"category": "barang", "contract_value": "120000000.00", "supplier_name": "CV Sumber Makmur",
			},
			Fragments: map[string][]string{"title": {"Pengadaan Alat Tulis Kantor &amp; <mark>Tinta</mark> Printer"}},
		}},
		{"revenue", Query{Dataset: "revenue", Text: "perhotelan"}, Hit{
			ID: fx.ids["R1"], Dataset: "revenue",
			Title: "PBJT atas Jasa Perhotelan", Amount: 28765432100000,
			Region: "32.73", RegionName: "Kota Bandung", Year: 2024,
			Fields:    map[string]string{"period": "0", "kind": "pajak", "type_code": "PBJT-PH", "target": "300000000000.00"},
			Fragments: map[string][]string{"type_name": {"PBJT atas Jasa <mark>Perhotelan</mark>"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(t.Context(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != 1 {
				t.Fatalf("Search(%+v): %d hits, want 1", tt.q, len(res.Hits))
			}
			if diff := cmp.Diff(res.Hits[0], tt.want, cmpopts.IgnoreFields(Hit{}, "Score")); diff != "" {
				t.Errorf("Search(%+v) hit (-got +want):\n%s", tt.q, diff)
			}
		})
	}
}

func TestSearchRanksByScore(t *testing.T) {
	ix, _, _ := openFixture(t)
	res, err := ix.Search(t.Context(), Query{Text: "jalan"})
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range res.Hits {
		if h.Score <= 0 || i > 0 && h.Score > res.Hits[i-1].Score {
			t.Fatalf("hit %d has score %v after %v", i, h.Score, res.Hits[max(i-1, 0)].Score)
		}
	}
}

func TestSearchPaging(t *testing.T) {
	ix, fx, _ := openFixture(t)
	var got []string
	for from := 0; from < 11; from += 4 {
		res, err := ix.Search(t.Context(), Query{From: from, Size: 4})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 11 {
			t.Errorf("page at %d: total %d, want 11", from, res.Total)
		}
		for _, h := range res.Hits {
			got = append(got, fx.names[h.ID])
		}
	}
	slices.Sort(got)
	if diff := cmp.Diff(got, slices.Sorted(maps.Values(fx.names))); diff != "" {
		t.Errorf("pages of 4 (-got +want):\n%s", diff)
	}
	res, err := ix.Search(t.Context(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 11 {
		t.Errorf("default size gave %d hits, want all 11", len(res.Hits))
	}
}

func TestSearchInvalid(t *testing.T) {
	ix, _, _ := openFixture(t)
	tests := []struct {
		name string
		q    Query
		ok   bool
	}{
		{"negative size", Query{Size: -1}, false},
		{"negative from", Query{From: -1}, false},
		{"negative year", Query{Year: -1}, false},
		{"beyond the window", Query{From: 9990, Size: 20}, false},
		{"end of the window", Query{From: 9980, Size: 20}, true},
		{"largest size", Query{Size: 100}, true},
		{"size over the cap is refused", Query{Size: 500}, false},
		{"unknown dataset", Query{Dataset: "pajak"}, false},
		{"unknown filter field", Query{Filters: map[string]string{"colour": "red"}}, false},
		{"field that is not a facet", Query{Filters: map[string]string{"description": "x"}}, false},
		{"filter of another dataset", Query{Dataset: "budget", Filters: map[string]string{"method": "tender"}}, false},
		{"too many words", Query{Text: "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19 a20 a21 a22 a23 a24 a25 a26 a27 a28 a29 a30 a31 a32 a33"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ix.Search(t.Context(), tt.q)
			if tt.ok && err != nil {
				t.Errorf("Search(%+v): %v", tt.q, err)
			}
			if !tt.ok && !errors.Is(err, dataset.ErrInvalid) {
				t.Errorf("Search(%+v) = %v, want an error wrapping ErrInvalid", tt.q, err)
			}
		})
	}
}

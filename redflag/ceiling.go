package redflag

import "time"

// Ceiling is the most a direct procurement (pengadaan langsung) of a
// category may be worth, from a date, under a regulation.
type Ceiling struct {
	From time.Time
	// Limit is in sen.
	Limit  int64
	Source string
}

// rupiah is one rupiah in sen.
const rupiah = 100

var wib = time.FixedZone("WIB", 7*60*60)

// directCeilings are the ceilings of pengadaan langsung by category, each
// list oldest first. Penunjukan langsung has no ceiling of value (it
// depends on circumstances, Perpres 16/2018 ps. 38 ayat (5)), so
// direct_over_threshold does not apply to it.
//
//   - Perpres 16/2018 ps. 38 ayat (3) and ps. 41 ayat (3), in force from
//     1 July 2018 (ps. 94), kept by Perpres 12/2021: goods, construction
//     and other services up to Rp 200 million, consultancy up to Rp 100
//     million.
//   - Perpres 46/2025, the second amendment, enacted 30 April 2025, inserts
//     ps. 1 angka 40a: construction up to Rp 400 million (LKPP's Surat
//     Edaran 9/2025 applies it); goods and other services stay at Rp 200
//     million. Its consultancy ceiling was not confirmed from a published
//     text, so the older one stays.
var directCeilings = map[string][]Ceiling{
	"barang": {
		{time.Date(2018, 7, 1, 0, 0, 0, 0, wib), 200_000_000 * rupiah, "Perpres 16/2018 ps. 38 ayat (3)"},
	},
	"jasa lainnya": {
		{time.Date(2018, 7, 1, 0, 0, 0, 0, wib), 200_000_000 * rupiah, "Perpres 16/2018 ps. 38 ayat (3)"},
	},
	"pekerjaan konstruksi": {
		{time.Date(2018, 7, 1, 0, 0, 0, 0, wib), 200_000_000 * rupiah, "Perpres 16/2018 ps. 38 ayat (3)"},
		{time.Date(2025, 4, 30, 0, 0, 0, 0, wib), 400_000_000 * rupiah, "Perpres 46/2025 ps. 1 angka 40a"},
	},
	"jasa konsultansi": {
		{time.Date(2018, 7, 1, 0, 0, 0, 0, wib), 100_000_000 * rupiah, "Perpres 16/2018 ps. 41 ayat (3)"},
	},
}

// DirectCeiling returns the ceiling of a pengadaan langsung of category in
// force on a date; false for an unknown category or a date before the
// first regulation the table holds.
func DirectCeiling(category string, on time.Time) (Ceiling, bool) {
	var out Ceiling
	found := false
	for _, c := range directCeilings[category] {
		if !on.Before(c.From) {
			out, found = c, true
		}
	}
	return out, found
}

// DirectCeilings returns the ceilings of pengadaan langsung by category,
// each list oldest first, for pages that show the table: a copy, so no
// reader can change what the rules apply.
func DirectCeilings() map[string][]Ceiling {
	out := make(map[string][]Ceiling, len(directCeilings))
	for category, cs := range directCeilings {
		out[category] = append([]Ceiling(nil), cs...)
	}
	return out
}

package dataset

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The Kemendagri 2025 region list (Kepmendagri 300.2.2-2138/2025) with
// population and area, from cahyadsn/wilayah under the MIT licence
// (wilayah/LICENSE-cahyadsn-wilayah.txt).
//
//go:embed wilayah/*.csv wilayah/LICENSE-cahyadsn-wilayah.txt
var wilayahFS embed.FS

// Region is a province or a regency/city: a government that publishes data.
type Region struct {
	// Code is the Kemendagri code: "32" for a province, "32.73" for a regency or city.
	Code string `json:"code"`
	Name string `json:"name"`
	// Kind is "provinsi", "kabupaten" or "kota".
	Kind         string  `json:"kind"`
	ProvinceCode string  `json:"province_code"`
	Population   int64   `json:"population"`
	AreaKM2      float64 `json:"area_km2"`
}

// IsProvince reports whether r is a province rather than a regency or city.
func (r *Region) IsProvince() bool { return r.Kind == "provinsi" }

// Regions is the read-only table of Indonesian regions.
type Regions struct {
	byCode map[string]*Region
	list   []*Region
}

// LoadRegions returns the embedded region table. It is parsed once; the
// table is never modified afterwards, so sharing it is safe.
var LoadRegions = sync.OnceValue(func() *Regions {
	r, err := parseRegions()
	if err != nil {
		panic(fmt.Sprintf("embedded region data is broken: %v", err))
	}
	return r
})

// Lookup returns the region with the given code, or nil.
func (t *Regions) Lookup(code string) *Region { return t.byCode[code] }

// All returns every region in code order, so each province comes just
// before its regencies and cities.
func (t *Regions) All() []*Region { return t.list }

// Provinces returns the 38 provinces in code order.
func (t *Regions) Provinces() []*Region {
	var out []*Region
	for _, r := range t.list {
		if r.IsProvince() {
			out = append(out, r)
		}
	}
	return out
}

// Children returns the regencies and cities of a province in code order.
func (t *Regions) Children(province string) []*Region {
	var out []*Region
	for _, r := range t.list {
		if !r.IsProvince() && r.ProvinceCode == province {
			out = append(out, r)
		}
	}
	return out
}

func parseRegions() (*Regions, error) {
	t := &Regions{byCode: map[string]*Region{}}
	add := func(r *Region) { t.byCode[r.Code] = r; t.list = append(t.list, r) }
	err := readCSV("wilayah/kemendagri_2025_provinsi.csv", func(rec []string) error {
		add(&Region{Code: rec[0], Name: strings.TrimSpace(rec[1]), Kind: "provinsi", ProvinceCode: rec[0]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV("wilayah/kemendagri_2025_kabupaten_kota.csv", func(rec []string) error {
		add(&Region{Code: rec[0], ProvinceCode: rec[1], Name: strings.TrimSpace(rec[2]), Kind: strings.ToLower(rec[3])})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV("wilayah/kemendagri_2025_penduduk_luas.csv", func(rec []string) error {
		r := t.byCode[rec[0]]
		if r == nil {
			return nil // row 0 is the national total
		}
		var err error
		if r.Population, err = strconv.ParseInt(rec[4], 10, 64); err != nil {
			return fmt.Errorf("population of %s: %w", rec[0], err)
		}
		if rec[5] != "" {
			if r.AreaKM2, err = strconv.ParseFloat(rec[5], 64); err != nil {
				return fmt.Errorf("area of %s: %w", rec[0], err)
			}
		}
		return nil
	})
	slices.SortFunc(t.list, func(a, b *Region) int { return strings.Compare(a.Code, b.Code) })
	return t, err
}

func readCSV(name string, row func([]string) error) error {
	f, err := wilayahFS.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	if _, err := r.Read(); err != nil { // header
		return fmt.Errorf("%s: %w", name, err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := row(rec); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
}

// RegionsLicence returns the licence text of the embedded region data.
func RegionsLicence() string {
	b, _ := wilayahFS.ReadFile("wilayah/LICENSE-cahyadsn-wilayah.txt")
	return string(b)
}

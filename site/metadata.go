package site

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// Standard metadata, made from the manifests and the one schema definition
// on request: they describe data, they are not data.

// tableSchemaType is a field's type in Frictionless Table Schema.
func tableSchemaType(t dataset.Type) string {
	switch t {
	case dataset.Integer:
		return "integer"
	case dataset.Money:
		return "number"
	case dataset.Date:
		return "date"
	case dataset.Timestamp:
		return "datetime"
	}
	return "string"
}

// tableSchema is a dataset's Frictionless Table Schema.
func tableSchema(s *dataset.Schema) map[string]any {
	var fields []any
	for i := range s.Fields {
		f := &s.Fields[i]
		fd := map[string]any{"name": f.Name, "type": tableSchemaType(f.Type), "title": f.Label.ID,
			"description": f.Description.ID + " / " + f.Description.EN}
		c := map[string]any{}
		if f.Required {
			c["required"] = true
		}
		if len(f.Allowed) > 0 {
			c["enum"] = f.Allowed
		}
		if f.Pattern != nil {
			c["pattern"] = f.Pattern.String()
		}
		if len(c) > 0 {
			fd["constraints"] = c
		}
		if f.Type == dataset.Money {
			fd["decimalChar"], fd["groupChar"] = ".", ""
		}
		fields = append(fields, fd)
	}
	return map[string]any{"fields": fields, "primaryKey": []string{dataset.FieldID}, "missingValues": []string{""}}
}

// handleDataPackage is /releases/{id}/datapackage.json: a Frictionless
// Data Package of the release, every partition a resource with its bytes,
// sha256 and Table Schema.
func (s *Server) handleDataPackage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.cfg.Publisher.Release(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		return s.releaseError(r, mux.Vars(r)["id"], err)
	}
	var resources []any
	for _, p := range m.Partitions {
		sc, err := dataset.Lookup(p.Dataset)
		if err != nil {
			continue
		}
		resources = append(resources, map[string]any{
			"name":  strings.ReplaceAll(fmt.Sprintf("%s-%s-%d", p.Dataset, p.Region, p.Year), ".", "-"),
			"title": fmt.Sprintf("%s, %s %d", sc.Label.ID, s.regionLabel(p.Region), p.Year),
			"description": fmt.Sprintf("%s %s %d: %d baris. %s %s %d: %d rows.", sc.Label.ID, s.regionLabel(p.Region), p.Year, p.Rows,
				sc.Label.EN, s.regionLabel(p.Region), p.Year, p.Rows),
			"path":      s.baseURL(r) + downloadURL(m.ID, p, "parquet"),
			"format":    "parquet",
			"mediatype": "application/vnd.apache.parquet",
			"bytes":     p.Bytes,
			"hash":      "sha256:" + p.SHA256,
			"profile":   "tabular-data-resource",
			"schema":    tableSchema(sc),
			"sources":   []any{map[string]any{"title": "Feeds " + strings.Join(p.Feeds, ", ")}},
		})
	}
	if resources == nil {
		resources = []any{}
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	writeJSON(w, http.StatusOK, map[string]any{
		"profile":     "tabular-data-package",
		"name":        "terbuka-" + m.ID,
		"id":          s.baseURL(r) + "/releases/" + m.ID + ".json",
		"title":       "Terbuka: data keuangan daerah, rilis " + m.ID,
		"description": "APBD, pengadaan, pajak dan retribusi daerah yang dikirim pemerintah daerah. Regional budgets, procurement, taxes and levies, as regional governments sent them.",
		"version":     m.ID,
		"created":     m.Created.UTC().Format("2006-01-02T15:04:05Z"),
		"licenses":    []any{map[string]any{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}},
		"sources":     []any{map[string]any{"title": "Pemerintah daerah (SIPD, SIRUP/SPSE, Bapenda) / Regional governments"}},
		"resources":   resources,
	})
	return nil
}

// handleCatalog is /catalog.jsonld: a DCAT-AP 3 catalog of the datasets
// and their distributions in the live release, which data portals harvest.
func (s *Server) handleCatalog(w http.ResponseWriter, r *http.Request) error {
	live, err := s.cfg.Publisher.Current(r.Context())
	if err != nil && !errors.Is(err, dataset.ErrNotFound) {
		return err
	}
	base := s.baseURL(r)
	var datasets []any
	for _, sc := range dataset.All() {
		var dists []any
		if live != nil {
			for _, p := range live.Partitions {
				if p.Dataset != sc.Name {
					continue
				}
				for _, f := range []struct{ ext, media string }{{"parquet", "application/vnd.apache.parquet"}, {"csv.gz", "text/csv"}} {
					dists = append(dists, map[string]any{
						"@id": base + downloadURL(live.ID, p, f.ext), "@type": "dcat:Distribution",
						"dct:title":        fmt.Sprintf("%s %d (%s)", s.regionLabel(p.Region), p.Year, f.ext),
						"dcat:accessURL":   map[string]any{"@id": base + downloadURL(live.ID, p, f.ext)},
						"dcat:downloadURL": map[string]any{"@id": base + downloadURL(live.ID, p, f.ext)},
						"dcat:mediaType":   map[string]any{"@id": "https://www.iana.org/assignments/media-types/" + f.media},
						"dct:license":      map[string]any{"@id": "https://creativecommons.org/licenses/by/4.0/"},
						"dct:modified":     map[string]any{"@value": p.Published.UTC().Format("2006-01-02T15:04:05Z"), "@type": "xsd:dateTime"},
					})
				}
			}
		}
		datasets = append(datasets, map[string]any{
			"@id": base + "/datasets/" + sc.Name, "@type": "dcat:Dataset",
			"dct:identifier": sc.Name,
			"dct:title":      []any{map[string]any{"@value": sc.Label.ID, "@language": "id"}, map[string]any{"@value": sc.Label.EN, "@language": "en"}},
			"dct:description": []any{map[string]any{"@value": sc.Description.ID, "@language": "id"},
				map[string]any{"@value": sc.Description.EN, "@language": "en"}},
			"dcat:keyword":      []any{"keuangan daerah", sc.Name},
			"dct:publisher":     map[string]any{"@id": base, "@type": "foaf:Agent", "foaf:name": "Terbuka"},
			"dcat:distribution": dists,
		})
	}
	writeJSONAs(w, http.StatusOK, "application/ld+json", map[string]any{
		"@context": map[string]any{"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
			"foaf": "http://xmlns.com/foaf/0.1/", "xsd": "http://www.w3.org/2001/XMLSchema#"},
		"@id": base + "/catalog.jsonld", "@type": "dcat:Catalog",
		"dct:title":       []any{map[string]any{"@value": "Terbuka: data keuangan daerah", "@language": "id"}, map[string]any{"@value": "Terbuka: regional public finance", "@language": "en"}},
		"dct:description": "APBD, pengadaan, pajak dan retribusi daerah. Regional budgets, procurement, taxes and levies.",
		"dct:publisher":   map[string]any{"@id": base, "@type": "foaf:Agent", "foaf:name": "Terbuka"},
		"dct:license":     map[string]any{"@id": "https://creativecommons.org/licenses/by/4.0/"},
		"dcat:dataset":    datasets,
	})
	return nil
}

func downloadURL(release string, p publisher.Partition, ext string) string {
	return "/downloads/" + release + "/" + p.Dataset + "/" + p.Region + "/" + strconv.Itoa(p.Year) + "." + ext
}

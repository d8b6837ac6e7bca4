package site

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// datasetPage documents one dataset: its schema, its downloads per
// release, and which regions have published which years.
type datasetPage struct {
	Schema    *dataset.Schema
	Fields    []schemaField
	Release   string
	Releases  []releaseDownloads
	Years     []int
	Coverage  []coverageRow
	Published int // regions that published any year
	Late      int // regions missing the latest year
	JSONLD    map[string]any
}

type schemaField struct {
	*dataset.Field
	TypeName string
}

type releaseDownloads struct {
	ID      string
	Created string
	Live    bool
	// Rows are the dataset's records in the release, every file's rows.
	Rows  int64
	Links []bulkDownload
}

// bulkDownload is one whole-dataset file of a release: its format, address
// and size in the page's language ("12,4 MB"), "" while it is not built.
type bulkDownload struct {
	Format, URL, Size string
	Bytes             int64
}

type coverageRow struct {
	Region *dataset.Region
	URL    string
	Cells  []coverageCell // one per year of datasetPage.Years
	Late   bool
}

type coverageCell struct {
	Published string // date in words, "" when not published
	Rows      int64
	URL       string
}

// maxDatasetReleases bounds the releases whose downloads are listed.
const maxDatasetReleases = 10

// handleDataset is /datasets/{name}.
func (s *Server) handleDataset(w http.ResponseWriter, r *http.Request) error {
	sc, err := dataset.Lookup(mux.Vars(r)["name"])
	if err != nil {
		return notFound(dataset.Label{ID: "dataset tidak ada", EN: "no such dataset"})
	}
	l := langOf(r)
	page := &datasetPage{Schema: sc}
	for i := range sc.Fields {
		f := &sc.Fields[i]
		page.Fields = append(page.Fields, schemaField{Field: f, TypeName: l.translate("type." + tableSchemaType(f.Type))})
	}
	live, err := s.liveRelease(r)
	if err != nil {
		return err
	}
	if live != nil {
		page.Release = live.ID
		s.coverage(r, page, live)
		ids, err := s.cfg.Publisher.ReleaseIDs(r.Context())
		if err != nil {
			return err
		}
		slices.Reverse(ids)
		sizes := map[string]int64{} // by object key: releases share the files of a dataset they did not change
		for _, id := range ids[:min(len(ids), maxDatasetReleases)] {
			m, err := s.cfg.Publisher.Release(r.Context(), id)
			if err != nil {
				continue
			}
			// A release without the dataset has no file of it to list.
			if rd, ok := s.releaseDownloads(r, sc, m, live.ID, sizes); ok {
				page.Releases = append(page.Releases, rd)
			}
		}
	}
	page.JSONLD = s.datasetJSONLD(r, sc, live, page.Years)
	s.render(w, r, http.StatusOK, "dataset", l.label(sc.Label), page)
	return nil
}

// releaseDownloads lists the whole-dataset files of release m with their
// rows and sizes; ok is false when m has none of the dataset. The manifest
// counts the rows; the sizes are the stored files', read once per file in
// sizes (-1: not built, or not readable).
func (s *Server) releaseDownloads(r *http.Request, sc *dataset.Schema, m *publisher.Manifest, live string, sizes map[string]int64) (rd releaseDownloads, ok bool) {
	l := langOf(r)
	rd = releaseDownloads{ID: m.ID, Created: tanggalWIB(l, m.Created), Live: m.ID == live}
	for _, p := range m.Partitions {
		if p.Dataset == sc.Name {
			rd.Rows += p.Rows
			ok = true
		}
	}
	if !ok {
		return rd, false
	}
	for _, ext := range []string{"parquet", "csv.gz"} {
		d := bulkDownload{Format: ext, URL: "/downloads/" + m.ID + "/" + sc.Name + "." + ext, Bytes: -1}
		if s.cfg.Store != nil {
			key := publisher.DownloadDatasetPath(m, sc.Name, ext)
			n, ok := sizes[key]
			if !ok {
				n = -1
				if obj, err := s.cfg.Store.Stat(r.Context(), key); err == nil {
					n = obj.Size
				} else if !errors.Is(err, dataset.ErrNotFound) {
					s.cfg.Log.Warn("size of a download", "key", key, "err", err)
				}
				sizes[key] = n
			}
			d.Bytes = n
		}
		if d.Bytes >= 0 {
			d.Size = byteSize(l, d.Bytes)
		}
		rd.Links = append(rd.Links, d)
	}
	// The same CSV unpacked, for whoever cannot open gzip; its size is
	// that of the rows, not known until it is sent.
	rd.Links = append(rd.Links, bulkDownload{Format: "csv", URL: "/downloads/" + m.ID + "/" + sc.Name + ".csv", Bytes: -1})
	return rd, true
}

// coverage fills the table of who published which year, and who is late:
// a region is late when it has published the dataset before but not for
// the latest year any region has.
func (s *Server) coverage(r *http.Request, page *datasetPage, live *publisher.Manifest) {
	l := langOf(r)
	byRegion := map[string]map[int]publisher.Partition{}
	years := map[int]bool{}
	for _, p := range live.Partitions {
		if p.Dataset != page.Schema.Name {
			continue
		}
		if byRegion[p.Region] == nil {
			byRegion[p.Region] = map[int]publisher.Partition{}
		}
		byRegion[p.Region][p.Year] = p
		years[p.Year] = true
	}
	for y := range years {
		page.Years = append(page.Years, y)
	}
	slices.Sort(page.Years)
	if len(page.Years) == 0 {
		return
	}
	latest := page.Years[len(page.Years)-1]
	codes := make([]string, 0, len(byRegion))
	for c := range byRegion {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		row := coverageRow{Region: s.cfg.Regions.Lookup(c), URL: regionURL(r, c, latest)}
		if row.Region == nil {
			row.Region = &dataset.Region{Code: c, Name: c}
		}
		for _, y := range page.Years {
			cell := coverageCell{}
			if p, ok := byRegion[c][y]; ok {
				cell.Published, cell.Rows = tanggalWIB(l, p.Published), p.Rows
				cell.URL = searchURL(l, page.Schema.Name, c, y)
			}
			row.Cells = append(row.Cells, cell)
		}
		_, published := byRegion[c][latest]
		row.Late = !published
		if row.Late {
			page.Late++
		}
		page.Coverage = append(page.Coverage, row)
	}
	// Late regions first: the table is read to see who has not published.
	slices.SortStableFunc(page.Coverage, func(a, b coverageRow) int {
		if a.Late != b.Late {
			if a.Late {
				return -1
			}
			return 1
		}
		return 0
	})
	page.Published = len(codes)
}

// datasetJSONLD describes the dataset for search engines (schema.org
// Dataset), with the live release's whole downloads.
func (s *Server) datasetJSONLD(r *http.Request, sc *dataset.Schema, live *publisher.Manifest, years []int) map[string]any {
	base := s.baseURL(r)
	var vars []any
	for _, f := range sc.Fields {
		vars = append(vars, map[string]any{"@type": "PropertyValue", "name": f.Name, "description": f.Description.ID + " / " + f.Description.EN})
	}
	d := map[string]any{
		"@context":            "https://schema.org/",
		"@type":               "Dataset",
		"@id":                 base + "/datasets/" + sc.Name,
		"url":                 base + "/datasets/" + sc.Name,
		"name":                sc.Label.ID + " (" + sc.Label.EN + ")",
		"alternateName":       sc.Label.EN,
		"identifier":          sc.Name,
		"description":         sc.Description.ID + " " + sc.Description.EN,
		"inLanguage":          []string{"id", "en"},
		"isAccessibleForFree": true,
		"license":             "https://creativecommons.org/licenses/by/4.0/",
		"keywords":            []string{"keuangan daerah", "APBD", "transparansi", sc.Label.ID, sc.Label.EN},
		"spatialCoverage":     map[string]any{"@type": "Place", "name": "Indonesia"},
		"publisher":           map[string]any{"@type": "Organization", "name": "Terbuka", "url": base + "/"},
		"creator":             map[string]any{"@type": "Organization", "name": "Pemerintah daerah di Indonesia / Indonesian regional governments"},
		"variableMeasured":    vars,
	}
	if len(years) > 0 {
		d["temporalCoverage"] = fmt.Sprintf("%d/%d", years[0], years[len(years)-1])
	}
	if live != nil {
		// The day of publication in WIB, as the pages give it.
		d["dateModified"] = live.Created.In(dataset.WIB).Format("2006-01-02")
		d["version"] = live.ID
		d["distribution"] = []any{
			map[string]any{"@type": "DataDownload", "encodingFormat": "application/vnd.apache.parquet", "contentUrl": base + "/downloads/" + live.ID + "/" + sc.Name + ".parquet"},
			map[string]any{"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": base + "/downloads/" + live.ID + "/" + sc.Name + ".csv.gz"},
		}
	}
	return d
}

// handleDatasets is /datasets: every dataset, linking to its page.
func (s *Server) handleDatasets(w http.ResponseWriter, r *http.Request) error {
	live, err := s.liveRelease(r)
	if err != nil {
		return err
	}
	var list []datasetSummary
	for _, sc := range dataset.All() {
		ds := datasetSummary{Schema: sc}
		if live != nil {
			for _, p := range live.Partitions {
				if p.Dataset == sc.Name {
					ds.Records += int(p.Rows)
				}
			}
		}
		list = append(list, ds)
	}
	s.render(w, r, http.StatusOK, "datasets", langOf(r).translate("nav.datasets"), list)
	return nil
}

package site

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// recordPage shows one published record: every field with its label, and
// where it came from (release, partition file, the feeds it was sent in).
type recordPage struct {
	Schema    *dataset.Schema
	ID        string
	Title     string
	Region    *dataset.Region
	Year      int
	Fields    []recordField
	Release   string
	Partition publisher.Partition
	Downloads []downloadLink
	RegionURL string
	Related   []relatedList
	// Stages are the stages of a budget record's line, this one marked.
	Stages []stageView
	// Flags are a procurement package's red flags with their reasons.
	Flags []flagView
}

type recordField struct {
	Name  string
	Label dataset.Label
	Desc  dataset.Label
	Value string
	Money bool
	Sen   int64
	Link  string // a search for records sharing this value
}

type downloadLink struct {
	Format, URL string
}

type relatedList struct {
	Title string
	URL   string // the whole list as a search
	Hits  []hitView
}

// handleRecord is /data/{dataset}/{region}/{year}/{id}.
func (s *Server) handleRecord(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	l := langOf(r)
	sc, err := dataset.Lookup(v["dataset"])
	year, yerr := strconv.Atoi(v["year"])
	if err != nil || yerr != nil || s.cfg.Store == nil || s.cfg.Publisher == nil {
		return notFound(dataset.Label{ID: "rekaman tidak ada", EN: "no such record"})
	}
	live, err := s.liveRelease(r)
	if err != nil {
		return err
	}
	if live == nil {
		return notFound(dataset.Label{ID: "belum ada rilis", EN: "nothing is published yet"})
	}
	part, ok := live.Partition(publisher.PartitionKey(sc.Name, v["region"], year))
	if !ok {
		return notFound(dataset.Label{ID: "rekaman tidak ada", EN: "no such record"})
	}
	rec, err := s.findRecord(r, sc, part, v["id"])
	if err != nil {
		return err
	}
	if rec == nil {
		return notFound(dataset.Label{ID: "rekaman tidak ada di rilis yang berlaku", EN: "the record is not in the live release"})
	}
	page := &recordPage{Schema: sc, ID: v["id"], Region: s.cfg.Regions.Lookup(part.Region), Year: year,
		Release: live.ID, Partition: part, RegionURL: regionURL(r, part.Region, year)}
	base := "/downloads/" + live.ID + "/" + sc.Name + "/" + part.Region + "/" + strconv.Itoa(year) + "."
	for _, f := range []string{"parquet", "csv", "xlsx", "ndjson.gz"} {
		page.Downloads = append(page.Downloads, downloadLink{f, base + f})
	}
	if sc.Name == "procurement" {
		page.Downloads = append(page.Downloads, downloadLink{"ocds.json", base + "ocds.json"})
	}
	if i := sc.Index(dataset.FieldFlag); i >= 0 {
		page.Flags = flagViews(l, rec[i], rec[sc.Index(dataset.FieldFlagFigures)])
	}
	for i := range sc.Fields {
		f := &sc.Fields[i]
		val := rec[i]
		if f.Name == dataset.FieldFlagFigures {
			continue // said in words in the flags' section
		}
		rf := recordField{Name: f.Name, Label: f.Label, Desc: f.Description, Value: fieldText(l, f, val)}
		if f.Name == dataset.FieldFlag && val.Valid {
			rf.Value = flagList(l, val.Str)
		}
		if val.Valid && f.Type == dataset.Money {
			rf.Money, rf.Sen = true, val.Int
		}
		if val.Valid && f.Facet && !f.List && f.Name != dataset.FieldRegionCode && f.Name != dataset.FieldProvinceCode && f.Name != dataset.FieldFiscalYear {
			rf.Link = searchURL(l, sc.Name, part.Region, year, f.Name, val.Str)
		}
		page.Fields = append(page.Fields, rf)
	}
	if t := sc.Index(sc.Title); t >= 0 {
		page.Title = rec[t].Str
	}
	if page.Title == "" {
		page.Title = l.translate("hit.untitled")
	}
	page.Related = s.related(r, sc, part, rec, page.ID)
	if sc.Staged() {
		sts, err := s.cfg.Index.Line(r.Context(), page.ID)
		if err != nil {
			// The record itself is shown without its line.
			s.cfg.Log.Warn("stages of a budget line", "id", page.ID, "err", err)
		}
		if len(sts) > 1 {
			h := search.Hit{Dataset: sc.Name, Region: part.Region, Year: year}
			page.Stages = stageViews(l, h, sts, page.ID)
		}
	}
	s.render(w, r, http.StatusOK, "record", page.Title, page)
	return nil
}

// findRecord reads the partition until the record with id. Partitions are
// sorted by id, so the scan stops as soon as it is past it.
func (s *Server) findRecord(r *http.Request, sc *dataset.Schema, part publisher.Partition, id string) (dataset.Record, error) {
	idx := sc.Index(dataset.FieldID)
	for rec, err := range partition.Read(store.ReaderAt(r.Context(), s.cfg.Store, part.Path), part.Bytes, sc) {
		if err != nil {
			return nil, err
		}
		switch got := rec[idx].Str; {
		case got == id:
			return rec, nil
		case got > id:
			return nil, nil
		}
	}
	return nil, nil
}

// related lists records of the same agency, supplier or package.
func (s *Server) related(r *http.Request, sc *dataset.Schema, part publisher.Partition, rec dataset.Record, id string) []relatedList {
	l := langOf(r)
	var out []relatedList
	for _, field := range []string{"package_id", "supplier_name", "agency_name"} {
		i := sc.Index(field)
		if i < 0 || !rec[i].Valid || rec[i].Str == "" {
			continue
		}
		q := search.Query{Dataset: sc.Name, Region: part.Region, Year: part.Year, Size: 6, Filters: map[string]string{}}
		if f := dataset.FindField(field); f != nil && f.Facet {
			q.Filters[field] = rec[i].Str
		} else {
			q.Text = `"` + rec[i].Str + `"`
		}
		res, err := s.cfg.Index.Search(r.Context(), q)
		if err != nil {
			s.cfg.Log.Warn("related records", "field", field, "err", err)
			continue
		}
		list := relatedList{Title: l.translate("record.related." + field), URL: searchURL(l, sc.Name, part.Region, part.Year, field, rec[i].Str)}
		for _, h := range res.Hits {
			if h.ID != id && len(list.Hits) < 5 {
				list.Hits = append(list.Hits, s.hitView(l, h))
			}
		}
		if len(list.Hits) > 0 {
			out = append(out, list)
		}
	}
	return out
}

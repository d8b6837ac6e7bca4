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
	// Funded is what a budget line funds, nil for other records.
	Funded *fundedList
}

// fundedList is the procurement packages a budget line funds (their
// budget_id is one of the line's stage records), with their suppliers and
// the share of the line contracted.
type fundedList struct {
	Packages []fundedPackage
	// Contracted sums the packages' contract values; Line is the amount
	// of the stage they link to (the latest budget stage).
	Contracted, Line int64
	Share            string
	SearchURL        string
}

type fundedPackage struct {
	URL, Title, Supplier, SupplierURL, Flags string
	Contract                                 int64
	Valued                                   bool
}

// maxFunded bounds the packages a budget line's page lists.
const maxFunded = 100

// funded finds the procurement packages linked to any stage of a budget
// line; nil when there are none.
func (s *Server) funded(r *http.Request, part publisher.Partition, sts []search.Stage) (*fundedList, error) {
	l := langOf(r)
	out := &fundedList{}
	for _, st := range sts {
		q := search.Query{Dataset: "procurement", Region: part.Region, Year: part.Year, Text: "budget_id:" + st.ID, Sort: "-amount", Size: maxFunded}
		res, err := s.cfg.Index.Search(r.Context(), q)
		if err != nil {
			return nil, err
		}
		if len(res.Hits) == 0 {
			continue
		}
		out.Line = st.Amount
		out.SearchURL = searchLink(l, "dataset", "procurement", "region", part.Region, "year", strconv.Itoa(part.Year), "q", q.Text)
		for _, h := range res.Hits {
			value, valued := dataset.ParseFormattedMoney(h.Fields["contract_value"])
			out.Contracted += value
			title := h.Title
			if title == "" {
				title = l.translate("hit.untitled")
			}
			out.Packages = append(out.Packages, fundedPackage{URL: s.hitView(l, h).URL, Title: title, Supplier: h.Fields["supplier_name"],
				SupplierURL: supplierURL(l, h.Fields["supplier_tax_id"]), Flags: flagList(l, h.Fields[dataset.FieldFlag]), Contract: value, Valued: valued})
		}
	}
	if len(out.Packages) == 0 {
		return nil, nil
	}
	out.Share = ratio(l, out.Contracted, out.Line)
	return out, nil
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
		return notFound(dataset.Label{ID: "baris data ini tidak ada", EN: "no such record"})
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
		return notFound(dataset.Label{ID: "baris data ini tidak ada", EN: "no such record"})
	}
	rec, err := s.findRecord(r, sc, part, v["id"])
	if err != nil {
		return err
	}
	if rec == nil {
		return notFound(dataset.Label{ID: "baris data ini tidak ada di rilis yang berlaku", EN: "the record is not in the live release"})
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
		switch {
		case f.Name == "supplier_name" && sc.Index("supplier_tax_id") >= 0 && supplierURL(l, rec[sc.Index("supplier_tax_id")].Str) != "":
			rf.Link = supplierURL(l, rec[sc.Index("supplier_tax_id")].Str)
			page.Fields = append(page.Fields, rf)
			continue
		case f.Name == dataset.FieldBudgetLink && val.Valid:
			if lb, ok := budgetLinkNames[val.Str]; ok {
				rf.Value = l.label(lb)
			}
		case f.Name == dataset.FieldBudgetID && val.Valid:
			rf.Link = "/data/budget/" + part.Region + "/" + strconv.Itoa(year) + "/" + val.Str + l.query("?")
			rf.Value = l.translate("record.funded.by")
			page.Fields = append(page.Fields, rf)
			continue
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
		if len(sts) == 0 {
			sts = []search.Stage{{ID: page.ID, Amount: rec[sc.Index(sc.Amount)].Int, Valid: rec[sc.Index(sc.Amount)].Valid}}
		}
		if page.Funded, err = s.funded(r, part, sts); err != nil {
			return err
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

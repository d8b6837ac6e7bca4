package site

import (
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/search"
	"github.com/terbuka/terbuka/store"
)

// maxCSVRows caps the CSV twin of a result list: larger extracts are what
// the bulk downloads are for.
const maxCSVRows = 50_000

// csvBatchRows is how many hits the CSV of one dataset gathers before it
// reads their records from the partitions, each partition once a batch.
const csvBatchRows = 5_000

// searchCSVColumns are the columns of a result list across datasets: what
// every dataset has, its title and amount under common names, and the
// record's page.
var searchCSVColumns = []string{"dataset", "id", "region_code", "region_name", "fiscal_year", "title", "amount", "url"}

// handleSearchCSV is /search.csv: the result list of /search with the same
// parameters as CSV, every page of it up to maxCSVRows, in result order.
// Narrowed to one dataset (dataset=…), a row is the whole record, every
// field of the schema in its order as the downloads' CSV has them, and the
// record's page last (url); across datasets, whose fields differ, a row is
// searchCSVColumns.
func (s *Server) handleSearchCSV(w http.ResponseWriter, r *http.Request) error {
	q, err := queryFromURL(r.URL.Query())
	if err != nil {
		return err
	}
	var sc *dataset.Schema
	if q.Dataset != "" {
		if sc, err = dataset.Lookup(q.Dataset); err != nil {
			return err
		}
		if sc.Detail {
			dl := "/downloads/latest/" + sc.Name + ".csv.gz"
			return badRequest(fmt.Sprintf("%s tidak dicari, hanya diunduh: seluruhnya di %s, atau per wilayah dan tahun", sc.Name, dl),
				fmt.Sprintf("%s is not searched, only downloaded: whole at %s, or per region and year", sc.Name, dl))
		}
	}
	q.From, q.Size = 0, 100
	res, err := s.cfg.Index.Search(r.Context(), q)
	if err != nil {
		return err
	}
	var live *publisher.Manifest
	if sc != nil {
		if live, err = s.liveRelease(r); err != nil {
			return err
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "terbuka-pencarian.csv"}))
	h.Set("X-Total-Count", strconv.FormatUint(res.Total, 10))
	cw := csv.NewWriter(w)
	if sc != nil {
		cw.Write(append(sc.Names(), "url"))
	} else {
		cw.Write(searchCSVColumns)
	}
	base := s.baseURL(r)
	// The CSV is a data file, read by spreadsheets and scripts, not a page:
	// amounts stay exact decimals (42949691543.50), as in the API and the
	// downloads, never "Rp 42,9 M". Only HTML writes money for people.
	rows := 0
	var batch []search.Hit
	flush := func() error {
		err := s.writeRecordRows(r.Context(), cw, sc, live, q.Filters[dataset.FieldStage], batch, base)
		batch = batch[:0]
		return err
	}
	for {
		for _, hit := range res.Hits {
			if rows >= maxCSVRows {
				break
			}
			rows++
			if sc != nil {
				batch = append(batch, hit)
				continue
			}
			cw.Write([]string{hit.Dataset, hit.ID, hit.Region, publisher.SafeCell(hit.RegionName), strconv.Itoa(hit.Year),
				publisher.SafeCell(hit.Title), dataset.FormatMoney(hit.Amount), base + recordPath(hit.Dataset, hit.Region, hit.Year, hit.ID, langID)})
		}
		if len(batch) >= csvBatchRows {
			if err := flush(); err != nil {
				// The header is sent: a broken CSV is all that is left to say.
				s.cfg.Log.Error("search csv", "err", err)
				break
			}
		}
		if res.Next == "" || rows >= maxCSVRows || r.Context().Err() != nil {
			break
		}
		q.After = res.Next
		if res, err = s.cfg.Index.Search(r.Context(), q); err != nil {
			s.cfg.Log.Error("search csv", "err", err)
			break
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			s.cfg.Log.Error("search csv", "err", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeRecordRows writes hits of dataset sc as whole records, read from
// release live: for a budget line, the record of its stage when the
// search was narrowed to one (stage), else of its lead stage, the one the
// result list shows. A record the release does not hold (the index is a
// moment behind it) is written with what the index has of it.
func (s *Server) writeRecordRows(ctx context.Context, cw *csv.Writer, sc *dataset.Schema, live *publisher.Manifest, stage string, hits []search.Hit, base string) error {
	ids := make([]string, len(hits))
	refs := make([]recordRef, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
		for _, st := range h.Stages {
			if stage != "" && st.Stage == stage {
				ids[i] = st.ID
			}
		}
		refs[i] = recordRef{dataset: h.Dataset, region: h.Region, year: h.Year, id: ids[i]}
	}
	full, err := s.fullRecords(ctx, live, refs)
	if err != nil {
		return err
	}
	row := make([]string, len(sc.Fields)+1)
	for i, h := range hits {
		rec, ok := full[ids[i]]
		for j := range sc.Fields {
			f := &sc.Fields[j]
			if ok {
				row[j] = csvCell(f, rec[j])
				continue
			}
			row[j] = hitValue(sc, f, h, ids[i])
		}
		row[len(sc.Fields)] = base + recordPath(h.Dataset, h.Region, h.Year, ids[i], langID)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// csvCell writes a value as the downloads' CSV does: exact decimals and
// ISO dates, text that a spreadsheet would run as a formula defused.
func csvCell(f *dataset.Field, v dataset.Value) string {
	if !v.Valid {
		return ""
	}
	t := f.Format(v)
	if f.Type == dataset.Text || f.Type == dataset.Code || f.Type == dataset.Enum {
		return publisher.SafeCell(t)
	}
	return t
}

// hitValue is what a search hit holds of field f, "" for a field the
// index does not keep.
func hitValue(sc *dataset.Schema, f *dataset.Field, h search.Hit, id string) string {
	var v string
	switch f.Name {
	case dataset.FieldID:
		return id
	case sc.Title:
		v = h.Title
	case sc.Amount:
		v = dataset.FormatMoney(h.Amount)
	case dataset.FieldRegionCode:
		v = h.Region
	case dataset.FieldRegionName:
		v = h.RegionName
	case dataset.FieldFiscalYear:
		v = strconv.Itoa(h.Year)
	default:
		v = h.Fields[f.Name]
	}
	if f.Type == dataset.Text || f.Type == dataset.Code || f.Type == dataset.Enum {
		return publisher.SafeCell(v)
	}
	return v
}

// recordRef names a published record: the partition that holds it and
// its id.
type recordRef struct {
	dataset, region string
	year            int
	id              string
}

// fullRecordReads bounds the partitions fullRecords reads at once: a page
// of hits may come from as many partitions as it has hits, each read with
// round trips to the store.
const fullRecordReads = 8

// fullRecords reads the records refs name from release live, by id, every
// field of each. Partitions hold their records sorted by id, so each is
// read once, up to the last id wanted of it. A record the release does not
// hold is not in the answer; without a release or a store, none is.
func (s *Server) fullRecords(ctx context.Context, live *publisher.Manifest, refs []recordRef) (map[string]dataset.Record, error) {
	out := map[string]dataset.Record{}
	if live == nil || s.cfg.Store == nil || len(refs) == 0 {
		return out, nil
	}
	wanted := map[string]map[string]bool{}
	for _, ref := range refs {
		k := publisher.PartitionKey(ref.dataset, ref.region, ref.year)
		if wanted[k] == nil {
			wanted[k] = map[string]bool{}
		}
		wanted[k][ref.id] = true
	}
	var mu sync.Mutex
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(fullRecordReads)
	for _, p := range live.Partitions {
		want := wanted[p.Key()]
		sc, err := dataset.Lookup(p.Dataset)
		if len(want) == 0 || err != nil {
			continue
		}
		g.Go(func() error {
			last := slices.Max(slices.Collect(maps.Keys(want)))
			idx, found := sc.Index(dataset.FieldID), 0
			for rec, err := range partition.Read(store.ReaderAt(ctx, s.cfg.Store, p.Path), p.Bytes, sc) {
				if err != nil {
					return fmt.Errorf("read %s: %w", p.Key(), err)
				}
				id := rec[idx].Str
				if want[id] {
					mu.Lock()
					out[id] = rec
					mu.Unlock()
					found++
				}
				if found == len(want) || id >= last {
					break
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

package publisher

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
)

// OCDS output: each procurement partition is also published as an OCDS 1.1
// release package, so procurement analysts' tools read Terbuka. ocids are
// stable: a package's ocid is the one it arrived with (an OCDS feed), or
// OCIDPrefix and its kode RUP, which is unique nationally.

// OCIDPrefix starts the ocids Terbuka makes. A publisher registers its own
// prefix with the Open Contracting Partnership; this one says the ocids
// are Terbuka's.
const OCIDPrefix = "ocds-tbk001-"

// DownloadOCDSPath is where the OCDS release package of a procurement
// partition is kept.
func DownloadOCDSPath(p Partition) string { return downloadBase(p) + ".ocds.json" }

// Terbuka's methods, categories and statuses in OCDS codelists.
var (
	toOCDSMethod = map[string]string{"tender": "open", "tender cepat": "open", "seleksi": "selective",
		"penunjukan langsung": "limited", "e-purchasing": "limited", "pengadaan langsung": "direct", "swakelola": "direct", "dikecualikan": "direct"}
	toOCDSCategory = map[string]string{"barang": "goods", "pekerjaan konstruksi": "works", "jasa konsultansi": "services", "jasa lainnya": "services", "terintegrasi": "works"}
	toOCDSStatus   = map[string]string{"direncanakan": "planned", "diumumkan": "active", "evaluasi": "active", "berkontrak": "complete", "selesai": "complete", "gagal": "unsuccessful", "batal": "cancelled"}
)

// ocdsWriter streams a release package: one release a record.
type ocdsWriter struct {
	w       io.Writer
	s       *dataset.Schema
	p       Partition
	written bool
}

func newOCDSWriter(w io.Writer, s *dataset.Schema, p Partition, published time.Time) (*ocdsWriter, error) {
	head, err := json.Marshal(map[string]any{
		"uri":           "urn:terbuka:" + p.Path,
		"version":       "1.1",
		"publishedDate": published.UTC().Format(time.RFC3339),
		"publisher":     map[string]any{"name": "Terbuka"},
		"license":       "https://creativecommons.org/licenses/by/4.0/",
	})
	if err != nil {
		return nil, err
	}
	// The package's fields, then the releases array, written as records
	// come.
	if _, err := io.WriteString(w, strings.TrimSuffix(string(head), "}")+`,"releases":[`); err != nil {
		return nil, err
	}
	return &ocdsWriter{w: w, s: s, p: p}, nil
}

func (o *ocdsWriter) write(r dataset.Record) error {
	get := func(name string) dataset.Value { return r[o.s.Index(name)] }
	str := func(name string) string { return get(name).Str }
	money := func(name string) map[string]any {
		v := get(name)
		if !v.Valid {
			return nil
		}
		return map[string]any{"amount": json.Number(dataset.FormatMoney(v.Int)), "currency": "IDR"}
	}
	ocid := str("package_id")
	if !strings.HasPrefix(ocid, "ocds-") {
		ocid = OCIDPrefix + ocid
	}
	rel := map[string]any{
		"ocid": ocid, "id": ocid + "-" + str(dataset.FieldID), "initiationType": "tender",
		"language": "id", "date": o.date(r),
		"buyer": map[string]any{"id": "buyer", "name": str("agency_name")},
	}
	parties := []any{map[string]any{"id": "buyer", "name": str("agency_name"), "roles": []string{"buyer", "procuringEntity"}}}
	tags := []string{"tender"}
	tender := map[string]any{"id": ocid + "-tender"}
	if t := str("tender_id"); t != "" {
		tender["id"] = t
	}
	set := func(m map[string]any, k string, v any) {
		switch x := v.(type) {
		case string:
			if x == "" {
				return
			}
		case map[string]any:
			if x == nil {
				return
			}
		}
		m[k] = v
	}
	set(tender, "title", str("title"))
	set(tender, "status", toOCDSStatus[str("status")])
	set(tender, "procurementMethod", toOCDSMethod[str("method")])
	set(tender, "procurementMethodDetails", str("method"))
	set(tender, "mainProcurementCategory", toOCDSCategory[str("category")])
	set(tender, "value", money("owner_estimate"))
	if v := get("bidder_count"); v.Valid {
		tender["numberOfTenderers"] = v.Int
	}
	if v := get("announced_at"); v.Valid {
		tender["tenderPeriod"] = map[string]any{"startDate": time.UnixMilli(v.Int).UTC().Format(time.RFC3339)}
	}
	rel["tender"] = tender
	if b := money("budget_ceiling"); b != nil {
		rel["planning"] = map[string]any{"budget": map[string]any{"amount": b}}
	}
	supplier, value := str("supplier_name"), money("contract_value")
	if supplier != "" || value != nil {
		award := map[string]any{"id": ocid + "-award"}
		if supplier != "" {
			award["suppliers"] = []any{map[string]any{"id": "supplier", "name": supplier}}
			parties = append(parties, map[string]any{"id": "supplier", "name": supplier, "roles": []string{"supplier"}})
		}
		set(award, "value", value)
		if v := get("awarded_at"); v.Valid {
			award["date"] = dateTime(v.Int)
		}
		rel["awards"] = []any{award}
		tags = append(tags, "award")
		if v := get("contract_date"); v.Valid || value != nil {
			contract := map[string]any{"id": ocid + "-contract", "awardID": ocid + "-award"}
			set(contract, "value", value)
			if v.Valid {
				contract["dateSigned"] = dateTime(v.Int)
			}
			rel["contracts"] = []any{contract}
			tags = append(tags, "contract")
		}
	}
	rel["parties"] = parties
	rel["tag"] = tags
	b, err := json.Marshal(rel)
	if err != nil {
		return err
	}
	if o.written {
		if _, err := io.WriteString(o.w, ","); err != nil {
			return err
		}
	}
	o.written = true
	_, err = o.w.Write(b)
	return err
}

// date dates a release by its latest known event, or the fiscal year's
// first day.
func (o *ocdsWriter) date(r dataset.Record) string {
	get := func(name string) dataset.Value { return r[o.s.Index(name)] }
	for _, name := range []string{"contract_date", "awarded_at"} {
		if v := get(name); v.Valid {
			return dateTime(v.Int)
		}
	}
	if v := get("announced_at"); v.Valid {
		return time.UnixMilli(v.Int).UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%d-01-01T00:00:00Z", o.p.Year)
}

func (o *ocdsWriter) close() error {
	_, err := io.WriteString(o.w, "]}")
	return err
}

// dateTime writes a Date value (days) as an OCDS date-time.
func dateTime(days int64) string {
	return time.Unix(days*86400, 0).UTC().Format(time.RFC3339)
}

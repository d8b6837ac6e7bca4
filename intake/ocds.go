package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// OCDS 1.1 release and record packages are read as procurement feeds: each
// release (or each record's compiled release) becomes one row, its ocid
// kept as the package id. Packages are streamed: the releases or records
// array is read one element at a time.

// ocdsColumns are the procurement columns an OCDS release fills.
var ocdsColumns = []string{"package_id", "tender_id", "title", "agency_name", "method", "category",
	"budget_ceiling", "owner_estimate", "contract_value", "supplier_name", "bidder_count",
	"announced_at", "awarded_at", "contract_date", "status"}

// OCDS codelist values in the procurement dataset's terms. Codes not
// listed stay as they are, and validation names them.
var (
	ocdsMethods = map[string]string{"open": "tender", "selective": "seleksi", "limited": "penunjukan langsung", "direct": "pengadaan langsung"}
	// OCDS categories; consultingServices is from the extended codelist.
	ocdsCategories = map[string]string{"goods": "barang", "works": "pekerjaan konstruksi", "services": "jasa lainnya", "consultingServices": "jasa konsultansi"}
	ocdsStatuses   = map[string]string{"planning": "direncanakan", "planned": "direncanakan", "active": "diumumkan",
		"complete": "selesai", "cancelled": "batal", "unsuccessful": "gagal", "withdrawn": "batal"}
)

// ocdsRelease is the part of an OCDS release the procurement row needs.
type ocdsRelease struct {
	OCID  string `json:"ocid"`
	Buyer *struct {
		Name string `json:"name"`
	} `json:"buyer"`
	Planning *struct {
		Budget *struct {
			Amount *ocdsValue `json:"amount"`
		} `json:"budget"`
	} `json:"planning"`
	Tender *struct {
		ID                      any         `json:"id"`
		Title                   string      `json:"title"`
		Status                  string      `json:"status"`
		Value                   *ocdsValue  `json:"value"`
		ProcurementMethod       string      `json:"procurementMethod"`
		MainProcurementCategory string      `json:"mainProcurementCategory"`
		NumberOfTenderers       json.Number `json:"numberOfTenderers"`
		TenderPeriod            *struct {
			StartDate string `json:"startDate"`
		} `json:"tenderPeriod"`
		ProcuringEntity *struct {
			Name string `json:"name"`
		} `json:"procuringEntity"`
	} `json:"tender"`
	Awards []struct {
		Date      string     `json:"date"`
		Value     *ocdsValue `json:"value"`
		Suppliers []struct {
			Name string `json:"name"`
		} `json:"suppliers"`
	} `json:"awards"`
	Contracts []struct {
		DateSigned string     `json:"dateSigned"`
		Value      *ocdsValue `json:"value"`
	} `json:"contracts"`
}

type ocdsValue struct {
	Amount   json.Number `json:"amount"`
	Currency string      `json:"currency"`
}

// ocdsRows streams a package's releases as procurement rows, one release
// (or record) of at most maxReleaseBytes at a time.
type ocdsRows struct {
	dec *json.Decoder
	lim *limitReader
	// records is set for a record package.
	records bool
	started bool
	n       int
}

func newOCDSRows(r io.Reader) *ocdsRows {
	dec, lim := newJSONDecoder(r, maxReleaseBytes)
	return &ocdsRows{dec: dec, lim: lim}
}

func (o *ocdsRows) Read() ([]string, error) {
	if !o.started {
		if err := o.seekArray(); err != nil {
			return nil, err
		}
		o.started = true
		return ocdsColumns, nil
	}
	if !o.dec.More() {
		return nil, io.EOF
	}
	o.n++
	// Read as raw bytes first, whose length is the release's size: the
	// limit reader has kept them bounded.
	o.lim.start = o.dec.InputOffset()
	var raw json.RawMessage
	if err := o.dec.Decode(&raw); err != nil {
		return nil, o.syntax(err)
	}
	if n := int64(len(bytes.TrimSpace(raw))); n > maxReleaseBytes {
		return nil, recordTooLarge(o.n+1, ocdsRecord, n)
	}
	var rel ocdsRelease
	if o.records {
		var rec struct {
			OCID            string            `json:"ocid"`
			CompiledRelease *ocdsRelease      `json:"compiledRelease"`
			Releases        []json.RawMessage `json:"releases"`
		}
		if err := unmarshalNumbers(raw, &rec); err != nil {
			return nil, o.syntax(err)
		}
		if rec.CompiledRelease == nil {
			return nil, newReadError(o.n+1, "", "", "ocds_not_compiled", dataset.Label{
				ID: fmt.Sprintf("record OCDS %s tidak memuat compiledRelease; kirim release package, atau record package yang memuat compiledRelease", rec.OCID),
				EN: fmt.Sprintf("record %s has no compiledRelease; send a release package, or records with compiled releases", rec.OCID)})
		}
		rel = *rec.CompiledRelease
	} else if err := unmarshalNumbers(raw, &rel); err != nil {
		return nil, o.syntax(err)
	}
	return o.row(&rel)
}

// unmarshalNumbers decodes raw into v, keeping numbers as written.
func unmarshalNumbers(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

// seekArray moves the decoder into the package's releases or records array.
func (o *ocdsRows) seekArray() error {
	if tok, err := o.dec.Token(); err != nil || tok != json.Delim('{') {
		return o.syntax(err)
	}
	for o.dec.More() {
		tok, err := o.dec.Token()
		if err != nil {
			return o.syntax(err)
		}
		key, _ := tok.(string)
		if key == "releases" || key == "records" {
			if tok, err := o.dec.Token(); err != nil || tok != json.Delim('[') {
				return o.syntax(err)
			}
			o.records = key == "records"
			return nil
		}
		o.lim.start = o.dec.InputOffset()
		var skip json.RawMessage
		if err := o.dec.Decode(&skip); err != nil {
			return o.syntax(err)
		}
		if n := int64(len(bytes.TrimSpace(skip))); n > maxReleaseBytes {
			return recordTooLarge(1, ocdsPart, n)
		}
	}
	return newReadError(1, "", "", "ocds_no_releases", dataset.Label{
		ID: "objek JSON ini bukan paket OCDS: tidak ada releases atau records",
		EN: "this JSON object is not an OCDS package: it has no releases or records"})
}

func (o *ocdsRows) syntax(err error) error {
	if errors.Is(err, errOverLimit) {
		if !o.started {
			return recordTooLarge(1, ocdsPart, 0)
		}
		return recordTooLarge(o.n+1, ocdsRecord, 0)
	}
	if err == nil {
		err = errors.New("unexpected JSON")
	}
	return newReadError(o.n+1, "", "", "json_syntax", dataset.Label{
		ID: "JSON OCDS tidak bisa dibaca: " + err.Error(), EN: "the OCDS JSON cannot be read: " + err.Error()})
}

// row maps a release to the procurement columns. Amounts in another
// currency than rupiah are refused: Terbuka holds rupiah only.
func (o *ocdsRows) row(r *ocdsRelease) ([]string, error) {
	row := make([]string, len(ocdsColumns))
	set := func(col, v string) {
		for i, c := range ocdsColumns {
			if c == col {
				row[i] = v
			}
		}
	}
	var err error
	money := func(col string, v *ocdsValue) {
		if v == nil || v.Amount == "" || err != nil {
			return
		}
		if v.Currency != "" && v.Currency != "IDR" {
			err = newReadError(o.n+1, col, string(v.Amount)+" "+v.Currency, "currency", dataset.Label{
				ID: fmt.Sprintf("nilai dalam %s; Terbuka hanya memuat rupiah (IDR)", v.Currency),
				EN: fmt.Sprintf("the amount is in %s; Terbuka holds rupiah (IDR) only", v.Currency)})
			return
		}
		set(col, string(v.Amount))
	}
	set("package_id", r.OCID)
	if r.Buyer != nil {
		set("agency_name", r.Buyer.Name)
	}
	if r.Planning != nil && r.Planning.Budget != nil {
		money("budget_ceiling", r.Planning.Budget.Amount)
	}
	if t := r.Tender; t != nil {
		if t.ID != nil {
			set("tender_id", fmt.Sprint(t.ID))
		}
		set("title", t.Title)
		set("method", mapped(ocdsMethods, t.ProcurementMethod))
		set("category", mapped(ocdsCategories, t.MainProcurementCategory))
		set("status", mapped(ocdsStatuses, t.Status))
		set("bidder_count", string(t.NumberOfTenderers))
		money("owner_estimate", t.Value)
		if t.TenderPeriod != nil {
			set("announced_at", t.TenderPeriod.StartDate)
		}
		if row[3] == "" && t.ProcuringEntity != nil {
			set("agency_name", t.ProcuringEntity.Name)
		}
		if row[6] == "" && t.Value != nil {
			// Without a budget, the tender's estimated value is the ceiling.
			money("budget_ceiling", t.Value)
		}
	}
	if len(r.Awards) > 0 {
		a := r.Awards[0]
		set("awarded_at", dateOf(a.Date))
		if len(a.Suppliers) > 0 {
			set("supplier_name", a.Suppliers[0].Name)
		}
		money("contract_value", a.Value)
	}
	if len(r.Contracts) > 0 {
		c := r.Contracts[0]
		set("contract_date", dateOf(c.DateSigned))
		money("contract_value", c.Value)
	}
	return row, err
}

func mapped(m map[string]string, code string) string {
	if v, ok := m[code]; ok {
		return v
	}
	return code
}

// dateOf keeps the date of an OCDS date-time: the day is what the
// procurement dataset's date columns hold.
func dateOf(s string) string {
	if len(s) >= 10 && strings.Count(s[:10], "-") == 2 {
		return s[:10]
	}
	return s
}

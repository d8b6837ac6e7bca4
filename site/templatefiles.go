package site

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/xuri/excelize/v2"

	"github.com/terbuka/terbuka/dataset"
)

// Template files: for each dataset, a CSV file and an Excel workbook an
// official can fill in, with the columns the intake reads and one valid
// example row. They are what /kirim and each dataset's page link to, so a
// first feed starts from a file that validates.

// The region and year every example row is of: Kota Bandung, 2024. The
// examples are lines of one story (a road rehabilitation budgeted, tendered
// and contracted), so a reader can follow one line through the datasets.
const (
	templateRegion = "32.73"
	templateYear   = 2024
)

// templateExamples are the example rows, by dataset and field name. They
// live here, beside the only code that writes them, rather than in
// package dataset: dataset defines what a valid value is, not what a
// good example of a feed is, and nothing else reads them. Every dataset
// regions send has one; TestTemplatesValidate pushes each through the
// intake, so an example the schema no longer accepts fails there.
var templateExamples = map[string]map[string]string{
	"budget": {
		"stage":       "murni",
		"agency_code": "1.03.0.00.0.00.01.0000", "agency_name": "Dinas Sumber Daya Air dan Bina Marga",
		"program_code": "1.03.10", "program_name": "Program Penyelenggaraan Jalan",
		"activity_code": "1.03.10.2.01", "activity_name": "Penyelenggaraan Jalan Kabupaten/Kota",
		"sub_activity_code": "1.03.10.2.01.0009", "sub_activity_name": "Rehabilitasi Jalan",
		"account_code": "5.2.04.01.01.0004", "account_name": "Belanja Modal Jalan Kota",
		"amount":      "2450000000",
		"description": "Rehabilitasi Jalan Soekarno-Hatta ruas Cibiru",
	},
	"budget_accounts": {
		"stage":        "murni",
		"account_code": "4.1.01", "account_name": "Pajak Daerah",
		"account_level": "3",
		"amount":        "2350000000000",
	},
	"procurement": {
		"package_id": "51554309", "tender_id": "4528194",
		"title":       "Rehabilitasi Jalan Soekarno-Hatta Ruas Cibiru",
		"agency_code": "1.03.0.00.0.00.01.0000", "agency_name": "Dinas Sumber Daya Air dan Bina Marga",
		"method": "tender", "category": "pekerjaan konstruksi", "funding_source": "APBD",
		"mak":            "1.03.10.2.01.0009.5.2.04.01.01.0004",
		"budget_ceiling": "2450000000", "owner_estimate": "2398500000", "contract_value": "2154373000",
		"supplier_name": "PT Karya Jalan Nusantara", "supplier_tax_id": "01.572.337.2-014.000",
		"bidder_count": "5",
		"announced_at": "2024-03-04 09:00:00", "awarded_at": "2024-04-02", "contract_date": "2024-04-16",
		"status":   "berkontrak",
		"location": "Jl. Soekarno-Hatta, Kecamatan Cibiru, Kota Bandung",
	},
	"procurement_bids": {
		"tender_id": "4528194", "participant_id": "98213194",
		"agency_code":   "1.03.0.00.0.00.01.0000",
		"supplier_name": "PT Karya Jalan Nusantara", "supplier_tax_id": "01.572.337.2-014.000",
		"bid_value": "2154373000", "corrected_bid": "2154373000",
		"winner": "1",
		"reason": "Penawaran terendah yang lulus evaluasi",
	},
	"revenue": {
		"period": "0", "kind": "pajak",
		"type_code": "PBB-P2", "type_name": "Pajak Bumi dan Bangunan Perdesaan dan Perkotaan",
		"account_code": "4.1.01.15",
		"target":       "650000000000", "realized": "598734512300",
	},
}

// templateColumns are the columns of a dataset's template: the fields a
// feed supplies (dataset.Schema.Columns), without region_code and
// fiscal_year, which a push says (the token's region, the year chosen)
// and a column could only contradict.
func templateColumns(s *dataset.Schema) []string {
	var cols []string
	for _, c := range s.Columns() {
		if c != dataset.FieldRegionCode && c != dataset.FieldFiscalYear {
			cols = append(cols, c)
		}
	}
	return cols
}

// handleTemplateFile is /datasets/{name}/template.{csv,xlsx}.
func (s *Server) handleTemplateFile(w http.ResponseWriter, r *http.Request) error {
	sc, err := dataset.Lookup(mux.Vars(r)["name"])
	example, ok := templateExamples[mux.Vars(r)["name"]]
	if err != nil || !ok {
		return notFound(dataset.Label{ID: "dataset tidak ada", EN: "no such dataset"})
	}
	cols := templateColumns(sc)
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = example[c]
	}
	var body []byte
	var contentType string
	switch ext := mux.Vars(r)["ext"]; ext {
	case "csv":
		body, err = templateCSV(cols, row)
		contentType = "text/csv; charset=utf-8"
	default:
		body, err = templateXLSX(sc, cols, row)
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	if err != nil {
		return fmt.Errorf("template of %s: %w", sc.Name, err)
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="templat_%s.%s"`, sc.Name, mux.Vars(r)["ext"]))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return nil
}

// templateCSV writes the header and the example row as UTF-8 with a byte
// order mark, without which Excel reads a CSV file in the reader's
// Windows code page and garbles every letter beyond ASCII.
func templateCSV(cols, row []string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Write(cols)
	cw.Write(row)
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// templateXLSX writes the header, in bold, and the example row on one
// sheet named after the dataset. Money and whole numbers are number cells
// (money shown with thousands separators), so they add up in Excel;
// codes, names and dates are text cells, so Excel keeps 1.03.10 and a
// 16-digit package id as written.
func templateXLSX(sc *dataset.Schema, cols, row []string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := sc.Name
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	thousands, err := f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0
	if err != nil {
		return nil, err
	}
	for i, c := range cols {
		head, _ := excelize.CoordinatesToCellName(i+1, 1)
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellStr(sheet, head, c); err != nil {
			return nil, err
		}
		if err := setTemplateCell(f, sheet, cell, sc.Field(c), row[i], thousands); err != nil {
			return nil, err
		}
		width := max(float64(len(c)), float64(len(row[i])), 10) + 2
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, min(width, 60)); err != nil {
			return nil, err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// setTemplateCell writes one example value: a number cell for money and
// whole numbers written as plain digits, a text cell for anything else.
func setTemplateCell(f *excelize.File, sheet, cell string, field *dataset.Field, value string, thousands int) error {
	if n, err := strconv.ParseInt(value, 10, 64); err == nil && (field.Type == dataset.Money || field.Type == dataset.Integer) {
		if err := f.SetCellInt(sheet, cell, n); err != nil {
			return err
		}
		if field.Type == dataset.Money {
			return f.SetCellStyle(sheet, cell, cell, thousands)
		}
		return nil
	}
	return f.SetCellStr(sheet, cell, value)
}

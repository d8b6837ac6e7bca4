// Package intake reads a feed as a region sends it (CSV in its dialects,
// Excel workbooks, JSON, NDJSON, OCDS packages), checks every row against
// the dataset's schema and says what is wrong in a Report: row, column,
// value and reason, in Bahasa Indonesia and English. It stores nothing.
package intake

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// Meta is what a feed claims to be: one partition of one dataset.
type Meta struct {
	Dataset string
	Region  string
	Year    int
	// File is the name the feed arrived under, for the report.
	File string
	// Source says how it arrived: "cli", "api", "inbox".
	Source string
	// Encoding is the character encoding the sender declared: "" (detect),
	// "utf-8" or "windows-1252".
	Encoding string
	// Sheet names the worksheet of an Excel feed; "" is the first.
	Sheet string
	// Stage, for a budget feed (budget, budget_accounts), makes it replace only that stage's rows of
	// its partition (murni, pergeseran, perubahan, realisasi): every row
	// must be of that stage, and the partition's other stages are kept.
	Stage string
	// Withdraw says the region takes its partition (or, with Stage, that
	// stage) out of the portal: the feed must have no rows. Without it a
	// feed with no rows is refused, so an empty export sent by mistake
	// cannot wipe published data.
	Withdraw bool
	// ConfirmShrink accepts a feed that removes more than half of the
	// records it replaces, which is otherwise refused as a likely mistake.
	ConfirmShrink bool
	// DryRun asks for a check only ("periksa saja"): the feed is validated
	// exactly as a real one and its report kept, but nothing is published
	// and its bytes are not kept as a feed of the region.
	DryRun bool `json:"dry_run,omitempty"`
}

// Validate reads a CSV feed (see openCSV for the dialects read; a header
// of column names or their aliases) and checks every row against the
// schema. It calls emit for each valid record, with derived fields and the
// record id filled; emit must not keep the record, whose storage is reused.
// Problems go into rep; the returned error is for I/O failures and ctx.
func Validate(ctx context.Context, in io.Reader, meta Meta, regions *dataset.Regions, rep *Report, emit func(dataset.Record) error) error {
	if !checkMeta(meta, regions, rep) {
		return nil
	}
	return validateCSV(ctx, in, meta, regions, rep, emit)
}

// validateCSV validates a CSV feed whose meta is checked.
func validateCSV(ctx context.Context, in io.Reader, meta Meta, regions *dataset.Regions, rep *Report, emit func(dataset.Record) error) error {
	rows := openCSV(in, meta.Encoding, rep)
	if rows == nil {
		return nil
	}
	return validateRows(ctx, rows, meta, regions, rep, emit)
}

// ValidateFile validates a feed on disk as Validate does: a CSV, an Excel
// workbook, a JSON array or NDJSON of objects, or an OCDS release or record
// package, recognised by its content, not its name.
func ValidateFile(ctx context.Context, path string, meta Meta, regions *dataset.Regions, rep *Report, emit func(dataset.Record) error) error {
	if !checkMeta(meta, regions, rep) {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open feed: %w", err)
	}
	defer f.Close()
	if isXLSX(f) {
		rows, err := openXLSX(ctx, path, meta.Sheet, rep)
		if err != nil || rows == nil {
			return err
		}
		defer rows.Close()
		return validateRows(ctx, rows, meta, regions, rep, emit)
	}
	head := make([]byte, 4096)
	n, _ := f.ReadAt(head, 0)
	switch kind := sniffJSON(head[:n]); kind {
	case jsonArray, jsonLines:
		return validateRows(ctx, newJSONRows(&utf8Check{r: skipBOM(f)}, kind), meta, regions, rep, emit)
	case ocdsPackage:
		if meta.Dataset != "procurement" {
			rep.AddError(FileProblem("ocds_dataset", "paket OCDS adalah data pengadaan; kirim sebagai dataset procurement", "an OCDS package is procurement data; send it as the procurement dataset"))
			return nil
		}
		return validateRows(ctx, newOCDSRows(&utf8Check{r: skipBOM(f)}), meta, regions, rep, emit)
	}
	return validateCSV(ctx, f, meta, regions, rep, emit)
}

// Extension is the file extension a feed's raw copy is kept under, told by
// its content: ".xlsx", ".json" (JSON, NDJSON or OCDS) or ".csv".
func Extension(f *os.File) string {
	head := make([]byte, 4096)
	n, _ := f.ReadAt(head, 0)
	switch {
	case isXLSX(f):
		return ".xlsx"
	case sniffJSON(head[:n]) != notJSON:
		return ".json"
	}
	return ".csv"
}

// skipBOM returns f past a UTF-8 byte-order mark.
func skipBOM(f *os.File) io.Reader {
	br := bufio.NewReader(f)
	if b, _ := br.Peek(3); string(b) == "\ufeff" {
		br.Discard(3)
	}
	return br
}

// checkMeta checks what a feed claims to be.
func checkMeta(meta Meta, regions *dataset.Regions, rep *Report) bool {
	s, err := dataset.Lookup(meta.Dataset)
	if err != nil {
		known := strings.Join(dataset.Names(), ", ")
		rep.AddError(FileProblem("dataset_unknown", fmt.Sprintf("dataset %q tidak dikenal (%s)", meta.Dataset, known), fmt.Sprintf("unknown dataset %q (%s)", meta.Dataset, known)))
		return false
	}
	if meta.Stage != "" {
		f := s.Field("stage")
		if f == nil {
			rep.AddError(FileProblem("stage_unexpected", "hanya kiriman APBD (budget, budget_accounts) yang bisa dikirim per tahap", "only budget submissions (budget, budget_accounts) can be sent stage by stage"))
			return false
		}
		if _, err := f.Parse(meta.Stage); err != nil || !slices.Contains(f.Allowed, meta.Stage) {
			rep.AddError(FileProblem("stage_unknown", fmt.Sprintf("tahap %q tidak dikenal (%s)", meta.Stage, strings.Join(f.Allowed, ", ")), fmt.Sprintf("unknown stage %q (%s)", meta.Stage, strings.Join(f.Allowed, ", "))))
			return false
		}
	}
	if regions.Lookup(meta.Region) == nil {
		p := FileProblem("region_unknown", fmt.Sprintf("kode wilayah %q tidak ada dalam daftar Kemendagri 2025", meta.Region), fmt.Sprintf("region code %q is not in the Kemendagri 2025 list", meta.Region))
		if len(meta.Region) == 4 && strings.Trim(meta.Region, "0123456789") == "" {
			h := dataset.RegionCodeHint(meta.Region)
			p.Code, p.Message = h.Code, h.Msg
		}
		rep.AddError(p)
		return false
	}
	return true
}

// rowReader yields a feed's rows, header first, then io.EOF.
type rowReader interface {
	Read() ([]string, error)
}

// validateRows checks a feed's rows against its schema, first the limits
// every format shares (see limits.go): a row past one stops the feed.
func validateRows(ctx context.Context, rows rowReader, meta Meta, regions *dataset.Regions, rep *Report, emit func(dataset.Record) error) error {
	s, _ := dataset.Lookup(meta.Dataset)
	header, err := rows.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			rep.AddError(FileProblem("empty", "berkas kosong: baris judul kolom tidak ada", "the file is empty: no header row"))
			return nil
		}
		rep.AddError(csvProblem(err, 1))
		return nil
	}
	if p := checkRow(1, header, nil); p != nil {
		rep.AddError(*p)
		return nil
	}
	v, ok := newRowValidator(s, meta, header, regions, rep)
	if !ok {
		return nil
	}
	for row := 2; ; row++ {
		if row%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		cells, err := rows.Read()
		if errors.Is(err, io.EOF) {
			checkRowCount(meta, rep)
			if v.accounts != nil {
				v.accounts.finish(rep)
			}
			return nil
		}
		if err != nil {
			rep.AddError(csvProblem(err, row))
			return nil
		}
		if row-1 > maxRows {
			rep.AddError(tooManyRows(row))
			return nil
		}
		if s.Hierarchy && row-1 > maxAccountRows {
			rep.AddError(tooManyAccounts(row))
			return nil
		}
		if p := checkRow(row, cells, v.header); p != nil {
			rep.AddError(*p)
			return nil
		}
		rep.Rows++
		if rec := v.check(row, cells); rec != nil && rep.OK() {
			if err := emit(rec); err != nil {
				return err
			}
		}
	}
}

// csvProblem describes a feed that stops being readable at row.
func csvProblem(err error, row int) Problem {
	var re *readError
	if errors.As(err, &re) {
		return re.problem
	}
	var ee *EncodingError
	if errors.As(err, &ee) {
		return Problem{Row: ee.Line, Value: fmt.Sprintf("0x%02X", ee.Byte), Code: "encoding_invalid", Message: dataset.Label{
			ID: fmt.Sprintf("byte ke-%d (0x%02X) bukan %s yang sah; simpan berkas sebagai CSV UTF-8, atau kirim dengan ?encoding=windows-1252", ee.Offset, ee.Byte, ee.Encoding),
			EN: fmt.Sprintf("byte %d (0x%02X) is not valid %s; save the file as CSV UTF-8, or send it with ?encoding=windows-1252", ee.Offset, ee.Byte, ee.Encoding)}}
	}
	var pe *csv.ParseError
	p := FileProblem("csv_syntax", "CSV tidak sah: "+err.Error(), "invalid CSV: "+err.Error())
	if errors.As(err, &pe) {
		p.Row = pe.Line
		p.Message = dataset.Label{
			ID: fmt.Sprintf("CSV tidak sah pada kolom ke-%d: %v", pe.Column, pe.Err),
			EN: fmt.Sprintf("invalid CSV at character %d: %v", pe.Column, pe.Err)}
	}
	return p
}

// rowValidator checks rows of one feed against its schema.
type rowValidator struct {
	s       *dataset.Schema
	meta    Meta
	regions *dataset.Regions
	rep     *Report
	header  []string
	cols    []int // schema field index of each file column, -1 if ignored
	// fixed holds the values the feed itself gives region_code and
	// fiscal_year, by field index: as text to compare, parsed to fill in.
	fixed    map[int]string
	fixedVal map[int]dataset.Value
	rec      dataset.Record
	seen     map[[16]byte]int32 // first row of each key (unique keys) or its count
	// codes maps the cells of coded columns (see dataset.CodedColumn) to
	// the values they stand for, by file column.
	codes map[int]map[string]string
	// accounts checks the account codes of the whole feed; nil when the
	// dataset has none.
	accounts *accountCheck
}

func newRowValidator(s *dataset.Schema, meta Meta, header []string, regions *dataset.Regions, rep *Report) (*rowValidator, bool) {
	v := &rowValidator{s: s, meta: meta, regions: regions, rep: rep,
		header: append([]string(nil), header...),
		cols:   make([]int, len(header)),
		rec:    make(dataset.Record, len(s.Fields)),
		seen:   map[[16]byte]int32{},
		fixed: map[int]string{
			s.Index(dataset.FieldRegionCode): meta.Region,
			s.Index(dataset.FieldFiscalYear): strconv.Itoa(meta.Year),
		},
	}
	if i := s.Index("stage"); i >= 0 && meta.Stage != "" {
		v.fixed[i] = meta.Stage
	}
	v.fixedVal = map[int]dataset.Value{}
	for i, raw := range v.fixed {
		v.fixedVal[i], _ = s.Fields[i].Parse(raw)
	}
	var present map[int]bool
	v.cols, present = mapHeader(s, v.header, rep)
	v.codes = map[int]map[string]string{}
	for c, i := range v.cols {
		if i < 0 {
			continue
		}
		if codes := s.ColumnCodes(v.header[c]); codes != nil {
			v.codes[c] = codes
		}
		if s.Fields[i].Name == dataset.FieldAccountCode {
			v.accounts = newAccountCheck(s, v.header[c])
		}
	}
	other := fittingDataset(s, v.header, v.fixed)
	for i, f := range s.Fields {
		if f.Recommended && !present[i] {
			rep.AddWarning(Problem{Row: 1, Column: f.Name, Code: "column_recommended", Message: dataset.Label{
				ID: fmt.Sprintf("kolom %s (%s) tidak ada; nilainya akan kosong", f.Name, f.Label.ID),
				EN: fmt.Sprintf("column %s (%s) is missing; its values will be empty", f.Name, f.Label.EN)}})
		}
		if f.Required && !f.Derived && !present[i] && v.fixed[i] == "" && !anyPresent(s, f.ResolvedFrom, present) {
			p := Problem{Row: 1, Column: f.Name, Code: "column_missing", Message: dataset.Label{
				ID: fmt.Sprintf("kolom wajib %s (%s) tidak ada", f.Name, f.Label.ID),
				EN: fmt.Sprintf("required column %s (%s) is missing", f.Name, f.Label.EN)}}
			if len(f.ResolvedFrom) > 0 {
				p.Message.ID += fmt.Sprintf("; beri kolom itu atau salah satu dari %s", strings.Join(f.ResolvedFrom, ", "))
				p.Message.EN += fmt.Sprintf("; give it or one of %s", strings.Join(f.ResolvedFrom, ", "))
			}
			if other != nil {
				p.Message.ID += fmt.Sprintf("; kolom-kolom berkas ini lengkap untuk dataset %s (%s): kirim sebagai dataset itu bila itu isinya", other.Name, other.Label.ID)
				p.Message.EN += fmt.Sprintf("; this file's columns are complete for the %s dataset (%s): send it as that dataset if that is what it holds", other.Name, other.Label.EN)
			}
			rep.AddError(p)
		}
	}
	return v, rep.OK()
}

// anyPresent reports whether the header gives one of the named fields.
func anyPresent(s *dataset.Schema, fields []string, present map[int]bool) bool {
	for _, name := range fields {
		if present[s.Index(name)] {
			return true
		}
	}
	return false
}

// check validates one row and returns the completed record, or nil when
// the row has errors (which are added to the report).
func (v *rowValidator) check(row int, cells []string) dataset.Record {
	if len(cells) != len(v.header) {
		v.rep.AddError(Problem{Row: row, Code: "column_count", Message: dataset.Label{
			ID: fmt.Sprintf("baris memiliki %d kolom, judul memiliki %d", len(cells), len(v.header)),
			EN: fmt.Sprintf("row has %d columns, the header has %d", len(cells), len(v.header))}})
		return nil
	}
	clear(v.rec)
	bad := false
	for i, val := range v.fixedVal {
		v.rec[i] = val
	}
	for c, i := range v.cols {
		if i < 0 {
			// A column Terbuka does not publish may still not carry
			// a NIK: the raw feed is kept. The report does not repeat it.
			if dataset.HasNIK(cells[c]) {
				v.rep.AddError(Problem{Row: row, Column: v.header[c], Value: dataset.MaskedValue, Code: "privacy_nik", Message: dataset.Label{
					ID: "memuat angka 16 digit seperti NIK atau NPWP perorangan; data pribadi tidak boleh dikirim",
					EN: "holds a 16-digit number shaped like a NIK or a person's NPWP; personal data must not be sent"}})
				bad = true
			}
			continue
		}
		f := &v.s.Fields[i]
		raw := cells[c]
		if code, ok := v.codes[c][strings.TrimSpace(raw)]; ok {
			raw = code
		}
		var val dataset.Value
		var ferr *dataset.FieldError
		if f.Name == dataset.FieldAccountCode {
			val, ferr = v.accounts.read(f, row, raw)
		} else {
			val, ferr = f.Parse(raw)
		}
		if ferr == nil && v.fixed[i] != "" && val.Valid && f.Format(val) != v.fixed[i] {
			ferr = v.mismatch(f, val, v.fixed[i])
		}
		if ferr != nil {
			v.rep.AddError(Problem{Row: row, Column: v.header[c], Value: cells[c], Code: ferr.Code, Message: ferr.Msg})
			bad = true
			continue
		}
		if val.Valid {
			v.rec[i] = val
		}
	}
	if bad {
		return nil
	}
	for _, is := range v.s.Complete(v.rec, v.regions) {
		p := Problem{Row: row, Column: is.Field, Value: is.Value, Code: is.Err.Code, Message: is.Err.Msg}
		if is.Warning {
			v.rep.AddWarning(p)
			continue
		}
		v.rep.AddError(p)
		bad = true
	}
	if bad {
		return nil
	}
	rec := v.identify(row)
	if rec != nil && v.accounts != nil {
		v.accounts.add(v.s, row, rec)
	}
	return rec
}

// mismatch explains a region or year that differs from the feed's own.
func (v *rowValidator) mismatch(f *dataset.Field, got dataset.Value, want string) *dataset.FieldError {
	if f.Name == dataset.FieldRegionCode && v.regions.Lookup(got.Str) == nil {
		return &dataset.FieldError{Code: "region_unknown", Msg: dataset.Label{
			ID: fmt.Sprintf("kode wilayah tidak ada dalam daftar Kemendagri 2025 (kiriman ini untuk %s)", want),
			EN: fmt.Sprintf("is not a region code in the Kemendagri 2025 list (this submission is for %s)", want)}}
	}
	return &dataset.FieldError{Code: "partition_mismatch", Msg: dataset.Label{
		ID: fmt.Sprintf("%s harus %s untuk kiriman ini", f.Label.ID, want),
		EN: fmt.Sprintf("%s must be %s for this submission", f.Label.EN, want)}}
}

// identify sets the record id, numbering repeated keys in datasets that
// allow them and rejecting them in those that don't.
func (v *rowValidator) identify(row int) dataset.Record {
	k := v.s.KeyHash(v.rec)
	prev := v.seen[k]
	occurrence := 1
	if v.s.UniqueKey {
		if prev != 0 {
			v.rep.AddError(Problem{Row: row, Column: strings.Join(v.s.Key, "+"), Code: "duplicate_key", Message: dataset.Label{
				ID: fmt.Sprintf("kunci baris data sama dengan baris %d", prev),
				EN: fmt.Sprintf("same record key as row %d", prev)}})
			return nil
		}
		v.seen[k] = int32(row)
	} else {
		occurrence = int(prev) + 1
		v.seen[k] = prev + 1
	}
	v.rec[v.s.Index(dataset.FieldID)] = dataset.StringValue(v.s.RecordID(v.rec, occurrence))
	return v.rec
}

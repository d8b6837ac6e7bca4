package dataset

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// columnAliases are the other names feeds give a field: Indonesian
// headers, SIPD exports, APBD exports (kode_rekening, uraian, anggaran in
// the 2021 APBD export of the shared reference data) and LKPP/INAPROC
// (ISB) column names. They are matched as the canonical names are,
// ignoring case, spaces and punctuation, so "Kode Rekening",
// "kode_rekening" and "KODE REKENING" are one column. A name is an alias
// only where it can mean one field of the dataset: "anggaran" is a budget
// line's amount and a revenue line's target (neither has the other),
// "pagu" a budget line's amount and a procurement package's ceiling,
// "uraian" a budget line's account name and a revenue line's type name.
// Names that could mean two fields of one dataset are
// left out rather than guessed: "nilai" and "jumlah" in procurement (pagu,
// HPS or contract?) and revenue (target or realised?), "realisasi" in a
// budget (an APBD realisation report has both anggaran and realisasi),
// LKPP's tgl_kontrak_awal (the start of the contract period, beside
// tgl_kontrak, the signing date). pemenang, a 0/1 winner flag beside
// nama_penyedia in LKPP's participant lists, is procurement_bids' winner;
// procurement has no such field, so there it stays unknown.
var columnAliases = map[string][]string{
	FieldRegionCode:     {"kode wilayah", "kode daerah", "kode pemda"},
	FieldFiscalYear:     {"tahun anggaran", "tahun", "ta"},
	"agency_code":       {"kode skpd", "kode opd", "kode perangkat daerah", "kode satker", "kd satker", "kd skpd"},
	"agency_name":       {"nama skpd", "nama opd", "skpd", "opd", "perangkat daerah", "nama perangkat daerah", "nama satker", "satuan kerja"},
	"stage":             {"tahap", "tahapan", "tahap anggaran", "st anggaran", "status anggaran"},
	"program_code":      {"kode program", "kd program"},
	"program_name":      {"nama program", "program"},
	"activity_code":     {"kode kegiatan", "kd kegiatan"},
	"activity_name":     {"nama kegiatan", "kegiatan"},
	"sub_activity_code": {"kode sub kegiatan", "kd subkegiatan", "kode subkegiatan"},
	"sub_activity_name": {"nama sub kegiatan", "sub kegiatan", "nama subkegiatan"},
	FieldAccountCode:    {"kode rekening", "kd rek", "kode rek", "kode akun"},
	"account_name":      {"nama rekening", "uraian rekening", "nama akun", "uraian"},
	FieldAccountLevel:   {"level", "tingkat", "level rekening", "tingkat rekening"},
	FieldAccountGroup:   {"jenis", "kelompok rekening"},
	"amount":            {"nilai", "jumlah", "anggaran", "pagu", "pagu anggaran", "nilai anggaran", "jumlah anggaran", "nilai (rp)", "jumlah (rp)", "anggaran (rp)", "pagu (rp)"},
	"description":       {"keterangan", "catatan"},
	"package_id":        {"kd rup", "kode rup", "kd rup paket", "id rup", "rup code"},
	"tender_id":         {"kd tender", "kode tender", "kd nontender", "kode paket lpse"},
	"title":             {"nama paket", "judul paket", "paket", "rup name"},
	"method":            {"mtd pemilihan", "metode pemilihan", "metode pengadaan", "mtd pengadaan"},
	"category":          {"jenis pengadaan"},
	"funding_source":    {"sumber dana"},
	FieldMAK:            {"kode mak", "mata anggaran", "kode anggaran"},
	"budget_ceiling":    {"pagu", "nilai pagu", "pagu (rp)"},
	"owner_estimate":    {"hps", "nilai hps", "harga perkiraan sendiri"},
	"contract_value":    {"nilai kontrak", "nilai kontrak (rp)"},
	"supplier_name":     {"nama penyedia", "penyedia", "nama pemenang"},
	"supplier_tax_id":   {"npwp penyedia", "npwp"},
	"bidder_count":      {"jumlah peserta", "jumlah penawar"},
	"announced_at":      {"tgl pengumuman tender", "tgl pengumuman nontender", "tanggal pengumuman"},
	"awarded_at":        {"tgl penetapan pemenang", "tanggal penetapan pemenang"},
	"contract_date":     {"tgl kontrak", "tanggal kontrak"},
	"participant_id":    {"kd peserta", "kode peserta"},
	"bid_value":         {"nilai penawaran", "harga penawaran"},
	"corrected_bid":     {"nilai terkoreksi", "harga terkoreksi"},
	"winner":            {"pemenang"},
	"reason":            {"alasan"},
	"status":            {"status tender", "status nontender", "status paket"},
	"location":          {"lokasi pekerjaan", "lokasi"},
	"period":            {"bulan", "periode", "masa"},
	"kind":              {"jenis pungutan"},
	"type_code":         {"kode jenis", "kode pajak", "kode retribusi"},
	"type_name":         {"nama jenis", "nama pajak", "jenis pajak", "nama retribusi", "jenis retribusi", "uraian", "nama rekening", "uraian rekening"},
	"target":            {"target pendapatan", "target anggaran", "anggaran", "nilai anggaran", "jumlah anggaran", "target (rp)", "anggaran (rp)"},
	"realized":          {"realisasi", "nilai realisasi", "jumlah realisasi", "realisasi (rp)"},
}

// Aliases returns the other names a field is accepted under.
func (f *Field) Aliases() []string { return columnAliases[f.Name] }

// NormalizeColumn folds a column name for matching: lower case, letters
// and digits only.
func NormalizeColumn(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Column returns the position of the field a feed's column header names
// (its name or an alias, see NormalizeColumn), or -1.
func (s *Schema) Column(header string) int {
	if i, ok := s.columns[NormalizeColumn(header)]; ok {
		return i
	}
	return -1
}

// indexColumns fills s.columns; two fields answering to one name would
// make a feed's meaning depend on map order, so that is a bug.
func (s *Schema) indexColumns() {
	s.columns = map[string]int{}
	for i := range s.Fields {
		f := &s.Fields[i]
		for _, name := range append([]string{f.Name}, f.Aliases()...) {
			n := NormalizeColumn(name)
			if j, dup := s.columns[n]; dup && j != i {
				panic(fmt.Sprintf("schema %s: column name %q means both %s and %s", s.Name, name, s.Fields[j].Name, f.Name))
			}
			s.columns[n] = i
		}
	}
}

// enumSynonyms are the other ways exports write allowed values, folded as
// NormalizeColumn folds (so "E-Purchasing", "e-purchasing" and
// "EPURCHASING" are already one): SPSE/LKPP categories and statuses, SIPD
// stage names.
var enumSynonyms = map[string]map[string]string{
	"method": {"ekatalog": "e-purchasing", "epurchasingekatalog": "e-purchasing", "tokodaring": "e-purchasing"},
	"category": {
		"pengadaanbarang":                        "barang",
		"jasakonsultansibadanusahakonstruksi":    "jasa konsultansi",
		"jasakonsultansibadanusahanonkonstruksi": "jasa konsultansi",
		"jasakonsultansiperorangan":              "jasa konsultansi",
		"jasakonsultansiperorangankonstruksi":    "jasa konsultansi",
		"jasakonsultansiperorangannonkonstruksi": "jasa konsultansi",
		"pekerjaankonstruksiterintegrasi":        "terintegrasi",
	},
	// SPSE reports a failed or cancelled tender as one status.
	"status": {"gagalbatal": "gagal"},
	// APBD stages as SIPD, Perda APBD and LRA exports name them: "APBD"
	// alone (or "APBD Induk") is the original budget; "P-APBD", "APBD-P"
	// and "Perubahan APBD" the amended one; an LRA (Laporan Realisasi
	// Anggaran) is the outturn.
	"stage": {"apbd": "murni", "apbdinduk": "murni", "induk": "murni", "apbdmurni": "murni",
		"apbdperubahan": "perubahan", "apbdp": "perubahan", "papbd": "perubahan", "perubahanapbd": "perubahan",
		"pergeseranapbd": "pergeseran", "realisasiapbd": "realisasi", "lra": "realisasi", "laporanrealisasianggaran": "realisasi"},
	"kind": {"pajakdaerah": "pajak", "retribusidaerah": "retribusi"},
}

// CodedColumn is a column that particular exports fill with numbers
// standing for an enum field's values.
type CodedColumn struct {
	// Column is the column's name as the export writes it.
	Column string
	// Field is the enum field the column gives.
	Field string
	// Codes maps each number to the field's value.
	Codes map[string]string
	// Source names the export that writes it, for the documentation.
	Source string
}

// codedColumns are the numbered columns Terbuka reads. A number stands
// for a value only in the column known to use it: "2" in another stage
// column could as well be pergeseran, and is refused rather than guessed.
var codedColumns = []CodedColumn{
	{Column: "st_anggaran", Field: "stage", Codes: map[string]string{"1": "murni", "2": "perubahan"},
		Source: "the 2021 APBD export (prp2pemkab) writes it"},
}

// CodedColumns returns the numbered columns a feed of s may have.
func (s *Schema) CodedColumns() []CodedColumn {
	var out []CodedColumn
	for _, c := range codedColumns {
		if f := s.Field(c.Field); f != nil && s.Column(c.Column) == s.Index(c.Field) {
			out = append(out, c)
		}
	}
	return out
}

// ColumnCodes returns the numbers a feed column of s stands for, nil when
// it is no coded column.
func (s *Schema) ColumnCodes(header string) map[string]string {
	n := NormalizeColumn(header)
	for _, c := range s.CodedColumns() {
		if NormalizeColumn(c.Column) == n {
			return c.Codes
		}
	}
	return nil
}

// enumValue returns the allowed value v stands for: one that folds to the
// same letters and digits, or a listed synonym.
func (f *Field) enumValue(v string) (string, bool) {
	n := NormalizeColumn(v)
	for _, a := range f.Allowed {
		if NormalizeColumn(a) == n {
			return a, true
		}
	}
	a, ok := enumSynonyms[f.Name][n]
	return a, ok
}

// bpsRegion is a BPS region code: Kemendagri's digits without the dot.
var bpsRegion = regexp.MustCompile(`^\d{4}$`)

// codeHint explains a code that fails its pattern in a way clerks meet
// often, or returns nil.
func codeHint(field, s string) *FieldError {
	switch {
	case field == FieldRegionCode && bpsRegion.MatchString(s):
		return RegionCodeHint(s)
	}
	return nil
}

// RegionCodeHint explains a BPS-style region code (3273 for Kota Bandung).
func RegionCodeHint(s string) *FieldError {
	return fieldErr("region_bps", "%s tampak seperti kode BPS; tulis kode wilayah Kemendagri, mis. %s.%s (kode BPS dan Kemendagri berbeda di Papua)",
		"%s looks like a BPS code; write the Kemendagri region code, e.g. %s.%s (BPS and Kemendagri codes differ in Papua)", s, s[:2], s[2:])
}

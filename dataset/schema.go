// Package dataset defines Terbuka's datasets (budget, budget_accounts,
// procurement, procurement_bids, revenue) once, together with the domain types and reference
// data every other package derives from: field types, money and date
// parsing, region and account codes. It does no I/O beyond reading its
// embedded reference files.
package dataset

import (
	"fmt"
	"regexp"
	"strings"
)

// SchemaVersion is bumped whenever a field is added, removed or changes
// type or nullability. Manifests record it so readers know which layout a
// partition has. Version 2: procurement title and method may be null.
const SchemaVersion = 2

// Names of the fields every dataset has. Code that needs a specific field
// uses these constants rather than repeating the strings.
const (
	FieldID           = "id"
	FieldRegionCode   = "region_code"
	FieldRegionName   = "region_name"
	FieldProvinceCode = "province_code"
	FieldFiscalYear   = "fiscal_year"
	FieldAccountCode  = "account_code"
	FieldAccountGroup = "account_group"
)

// Schema is the definition of one dataset.
type Schema struct {
	Name        string
	Label       Label
	Description Label
	Fields      []Field
	// Key names the fields that identify a record within its region and year.
	Key []string
	// UniqueKey makes a repeated key within one feed an error; otherwise
	// repeats are kept and numbered.
	UniqueKey bool
	// Amount names the money field that totals and sorts use.
	Amount string
	// Value names a second money field search can sort by, "" when none:
	// a package's contract value beside its pagu.
	Value string
	// Title names the field shown as a record's heading.
	Title string
	// Date names the field that dates a record for sorting and date
	// ranges; "" when records carry no date of their own.
	Date string
	// Hierarchy marks a dataset whose records are accounts at every level
	// of the account code, each the total of those below it: its feeds
	// are checked as a whole (see Hierarchy), and its levels are never
	// added to each other.
	Hierarchy bool
	// Detail marks a dataset whose rows detail another's records (the
	// participants of a procurement package's tender). It is published
	// and downloaded like any other, but not searched: its rows, seven
	// times the packages', would crowd a supplier's packages out of its
	// search results and grow the index as much. The records it details
	// show what it says of them.
	Detail bool

	index     map[string]int
	columns   map[string]int
	keyIdx    []int
	idxID     int
	idxRegion int
	idxYear   int
}

// Field returns the field named name, or nil.
func (s *Schema) Field(name string) *Field {
	if i, ok := s.index[name]; ok {
		return &s.Fields[i]
	}
	return nil
}

// Index returns the position of the named field in a Record, or -1.
func (s *Schema) Index(name string) int {
	if i, ok := s.index[name]; ok {
		return i
	}
	return -1
}

// Columns returns the names of the fields a feed may supply, in order: the
// header of a canonical CSV feed.
func (s *Schema) Columns() []string {
	var cols []string
	for _, f := range s.Fields {
		if !f.Derived {
			cols = append(cols, f.Name)
		}
	}
	return cols
}

// Names returns every field name, derived ones included, in order.
func (s *Schema) Names() []string {
	names := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		names[i] = f.Name
	}
	return names
}

func newSchema(s Schema) *Schema {
	s.index = make(map[string]int, len(s.Fields))
	for i, f := range s.Fields {
		if _, dup := s.index[f.Name]; dup {
			panic(fmt.Sprintf("schema %s: field %s defined twice", s.Name, f.Name))
		}
		s.index[f.Name] = i
	}
	for _, f := range s.Fields {
		for _, from := range f.ResolvedFrom {
			if _, ok := s.index[from]; !ok || !f.Required {
				panic(fmt.Sprintf("schema %s: field %s is resolved from %s, which is not defined, or is not required", s.Name, f.Name, from))
			}
		}
	}
	for _, k := range s.Key {
		i, ok := s.index[k]
		if !ok {
			panic(fmt.Sprintf("schema %s: key field %s is not defined", s.Name, k))
		}
		s.keyIdx = append(s.keyIdx, i)
	}
	if s.Date != "" {
		if f, ok := s.index[s.Date]; !ok || s.Fields[f].Type != Date && s.Fields[f].Type != Timestamp {
			panic(fmt.Sprintf("schema %s: date field %s is not a date", s.Name, s.Date))
		}
	}
	for _, name := range []string{s.Amount, s.Title, FieldID, FieldRegionCode, FieldFiscalYear} {
		if _, ok := s.index[name]; !ok {
			panic(fmt.Sprintf("schema %s: field %s is not defined", s.Name, name))
		}
	}
	s.idxID, s.idxRegion, s.idxYear = s.index[FieldID], s.index[FieldRegionCode], s.index[FieldFiscalYear]
	s.indexColumns()
	return &s
}

var (
	// Kemendagri codes: "32" for a province, "32.73" for a regency or city.
	regionPattern = regexp.MustCompile(`^\d{2}(\.\d{2})?$`)
	// Program, activity and sub-activity codes: dotted groups of digits and
	// the letter X (urusan placeholders such as X.XX.01).
	nomenclaturePattern = regexp.MustCompile(`^[0-9X]+(\.[0-9X]+)*$`)
	taxTypePattern      = regexp.MustCompile(`^[A-Z0-9]+(-[A-Z0-9]+)*$`)
)

// commonFields are the leading fields of every dataset: identity and place.
func commonFields() []Field {
	return []Field{
		{Name: FieldID, Type: Code, Derived: true,
			Label:       Label{"ID baris data", "Record ID"},
			Description: Label{"Pengenal tetap baris data, dihitung dari wilayah, tahun dan kolom kunci.", "Stable record identifier, computed from region, year and key fields."}},
		{Name: FieldRegionCode, Type: Code, Required: true, Pattern: regionPattern, Facet: true, Shown: true,
			Label:       Label{"Kode wilayah", "Region code"},
			Description: Label{"Kode wilayah Kemendagri (32 = provinsi, 32.73 = kabupaten/kota).", "Kemendagri region code (32 = province, 32.73 = regency/city)."}},
		{Name: FieldRegionName, Type: Text, Derived: true, Shown: true,
			Label:       Label{"Nama wilayah", "Region name"},
			Description: Label{"Nama pemerintah daerah menurut Kemendagri.", "Name of the regional government per Kemendagri."}},
		{Name: FieldProvinceCode, Type: Code, Derived: true, Facet: true,
			Label:       Label{"Kode provinsi", "Province code"},
			Description: Label{"Dua digit pertama kode wilayah.", "First two digits of the region code."}},
		{Name: FieldFiscalYear, Type: Integer, Required: true, Min: 2000, Max: 2100, Facet: true, Shown: true,
			Label:       Label{"Tahun anggaran", "Fiscal year"},
			Description: Label{"Tahun anggaran (Januari–Desember).", "Fiscal year (January–December)."}},
	}
}

func agencyFields() []Field {
	return []Field{
		{Name: "agency_code", Type: Code, MaxLen: 64,
			Label:       Label{"Kode perangkat daerah", "Agency code"},
			Description: Label{"Kode SKPD/OPD atau satuan kerja.", "Code of the regional agency (SKPD/OPD) or work unit."}},
		{Name: "agency_name", Type: Text, Required: true, Facet: true, Shown: true, MaxLen: 300,
			Label:       Label{"Perangkat daerah", "Agency"},
			Description: Label{"Nama SKPD/OPD atau satuan kerja.", "Name of the regional agency (SKPD/OPD) or work unit."}},
	}
}

func with(fields ...[]Field) []Field {
	var all []Field
	for _, f := range fields {
		all = append(all, f...)
	}
	return all
}

// Stages of a regional budget, in the order a year goes through them.
var budgetStages = []string{"murni", "pergeseran", "perubahan", "realisasi"}

// stageField is the budget stage of a line or an account.
func stageField() Field {
	return Field{Name: FieldStage, Type: Enum, Required: true, Allowed: budgetStages, Facet: true, Shown: true,
		Label:       Label{"Tahap", "Stage"},
		Description: Label{"Tahap APBD: murni, pergeseran, perubahan atau realisasi.", "Budget stage: original (murni), shift (pergeseran), amended (perubahan) or realised (realisasi)."}}
}

// accountFields are an account code, its name and group, and the amount
// a budget line or account holds.
func accountFields() []Field {
	return []Field{
		{Name: FieldAccountCode, Type: Code, Required: true, Pattern: accountPattern, Shown: true,
			Label: Label{"Kode rekening", "Account code"}, Description: Label{"Kode rekening Permendagri 90/2019, mis. 5.1.02.01.01.0024.", "Permendagri 90/2019 account code, e.g. 5.1.02.01.01.0024."}},
		{Name: "account_name", Type: Text, Required: true, MaxLen: 500, Shown: true,
			Label: Label{"Uraian rekening", "Account name"}, Description: Label{"Nama kode rekening.", "Name of the account code."}},
		{Name: FieldAccountGroup, Type: Enum, Derived: true, Allowed: AccountGroups, Facet: true, Shown: true,
			Label: Label{"Kelompok rekening", "Account group"}, Description: Label{"Pendapatan (4), belanja (5) atau pembiayaan (6), dari digit pertama kode rekening.", "Revenue (4), expenditure (5) or financing (6), from the account code's first digit."}},
		{Name: "amount", Type: Money, Required: true, Shown: true,
			Label: Label{"Nilai (Rp)", "Amount (IDR)"}, Description: Label{"Nilai anggaran atau realisasi dalam rupiah, tepat sampai sen.", "Budgeted or realised amount in rupiah, exact to the sen."}},
	}
}

var budget = newSchema(Schema{
	Name:        "budget",
	Label:       Label{"APBD (anggaran dan realisasi)", "Regional budget (APBD)"},
	Description: Label{"Satu baris anggaran: wilayah, tahun, tahap, perangkat daerah, program/kegiatan/subkegiatan, kode rekening dan nilai.", "One budget line: region, year, stage, agency, program/activity/sub-activity, account code and amount."},
	Amount:      "amount",
	Title:       "account_name",
	Key:         []string{FieldStage, "agency_code", "agency_name", "program_code", "activity_code", "sub_activity_code", "account_code", "description"},
	Fields: with(commonFields(),
		[]Field{stageField()},
		agencyFields(),
		[]Field{
			{Name: "program_code", Type: Code, Pattern: nomenclaturePattern, MaxLen: 64,
				Label: Label{"Kode program", "Program code"}, Description: Label{"Kode program menurut Permendagri 90/2019.", "Program code per Permendagri 90/2019."}},
			{Name: "program_name", Type: Text, MaxLen: 500, Shown: true,
				Label: Label{"Program", "Program"}, Description: Label{"Nama program.", "Program name."}},
			{Name: "activity_code", Type: Code, Pattern: nomenclaturePattern, MaxLen: 64,
				Label: Label{"Kode kegiatan", "Activity code"}, Description: Label{"Kode kegiatan.", "Activity code."}},
			{Name: "activity_name", Type: Text, MaxLen: 500,
				Label: Label{"Kegiatan", "Activity"}, Description: Label{"Nama kegiatan.", "Activity name."}},
			{Name: "sub_activity_code", Type: Code, Pattern: nomenclaturePattern, MaxLen: 64,
				Label: Label{"Kode subkegiatan", "Sub-activity code"}, Description: Label{"Kode subkegiatan.", "Sub-activity code."}},
			{Name: "sub_activity_name", Type: Text, MaxLen: 500, Shown: true,
				Label: Label{"Subkegiatan", "Sub-activity"}, Description: Label{"Nama subkegiatan.", "Sub-activity name."}},
		},
		accountFields(),
		[]Field{
			{Name: "description", Type: Text, MaxLen: 1000, Shown: true,
				Label: Label{"Keterangan", "Description"}, Description: Label{"Rincian atau keterangan baris anggaran.", "Detail or remark of the budget line."}},
		}),
})

// FieldAccountLevel is the level of an account-level budget's account code.
const FieldAccountLevel = "account_level"

// budgetAccounts is the APBD as regions without agency-level (DPA) detail
// publish it: the Perda APBD summary or the budget realisation report
// (LRA), every level of the account code with its amount per stage. It is
// a dataset of its own, not budget lines with a marker: its accounts are
// totals of one another and of whatever agency-level lines the region has,
// so keeping them in their own partitions means no sum can add them to
// budget lines, and its schema honestly has no agency.
var budgetAccounts = newSchema(Schema{
	Name:  "budget_accounts",
	Label: Label{"APBD per rekening (Perda APBD / LRA)", "Budget by account"},
	Description: Label{"Satu rekening APBD pada salah satu tingkat kode rekening (akun sampai sub rincian objek) dengan nilainya per tahap, seperti dalam Perda APBD atau Laporan Realisasi Anggaran (LRA), tanpa perangkat daerah maupun subkegiatan. Setiap tingkat adalah jumlah tingkat di bawahnya: jangan dijumlahkan antartingkat, dan jangan dijumlahkan dengan dataset budget.",
		"One APBD account at one level of the account code (akun to sub rincian objek) with its amount per stage, as in the Perda APBD or the budget realisation report (LRA), without agency or sub-activity. Each level totals the one below: never add across levels, nor to the budget dataset."},
	Amount:    "amount",
	Title:     "account_name",
	Key:       []string{FieldStage, FieldAccountCode},
	UniqueKey: true,
	Hierarchy: true,
	Fields: with(commonFields(),
		[]Field{stageField()},
		accountFields()[:2],
		[]Field{{Name: FieldAccountLevel, Type: Integer, Min: 1, Max: 6, Facet: true, Shown: true,
			Label: Label{"Tingkat rekening", "Account level"},
			Description: Label{"Tingkat kode rekening: 1 akun, 2 kelompok, 3 jenis, 4 objek, 5 rincian objek, 6 sub rincian objek; dihitung dari kode bila kosong, dan harus sesuai dengannya.",
				"Level of the account code: 1 akun, 2 kelompok, 3 jenis, 4 objek, 5 rincian objek, 6 sub rincian objek; worked out from the code when empty, and must agree with it."}}},
		accountFields()[2:]),
})

// ProcurementMethods are the selection methods of Perpres 16/2018 and its amendments.
var ProcurementMethods = []string{"tender", "tender cepat", "seleksi", "e-purchasing", "pengadaan langsung", "penunjukan langsung", "swakelola", "dikecualikan"}

// ProcurementCategories are the kinds of goods and services procured.
var ProcurementCategories = []string{"barang", "pekerjaan konstruksi", "jasa konsultansi", "jasa lainnya", "terintegrasi"}

// ProcurementStatuses are the stages a package goes through.
var ProcurementStatuses = []string{"direncanakan", "diumumkan", "evaluasi", "berkontrak", "selesai", "gagal", "batal"}

var procurement = newSchema(Schema{
	Name:        "procurement",
	Label:       Label{"Pengadaan barang/jasa", "Public procurement"},
	Description: Label{"Satu paket pengadaan: kode RUP, perangkat daerah, nama paket, metode, jenis, pagu, HPS, nilai kontrak, penyedia dan tanggal.", "One procurement package: plan id (kode RUP), agency, title, method, category, ceiling, owner estimate, contract value, supplier and dates."},
	Amount:      "budget_ceiling",
	Value:       "contract_value",
	Title:       "title",
	Date:        "announced_at",
	Key:         []string{"package_id", "tender_id"},
	UniqueKey:   true,
	Fields: with(commonFields(),
		[]Field{
			{Name: "package_id", Type: Code, Required: true, MaxLen: 64, Shown: true,
				Label: Label{"Kode RUP", "Plan id (kode RUP)"}, Description: Label{"Kode paket di Rencana Umum Pengadaan (SIRUP).", "Package id in the procurement plan (SIRUP)."}},
			{Name: "tender_id", Type: Code, MaxLen: 64,
				Label: Label{"Kode tender", "Tender id"}, Description: Label{"Kode tender atau non-tender di SPSE.", "Tender or non-tender id in SPSE."}},
			{Name: "title", Type: Text, Recommended: true, MaxLen: 1000, Shown: true,
				Label: Label{"Nama paket", "Title"}, Description: Label{"Nama paket pengadaan.", "Name of the procurement package."}},
		},
		agencyFields(),
		[]Field{
			{Name: "method", Type: Enum, Recommended: true, Allowed: ProcurementMethods, Facet: true, Shown: true,
				Label: Label{"Metode pemilihan", "Method"}, Description: Label{"Metode pemilihan penyedia.", "Supplier selection method."}},
			{Name: "category", Type: Enum, Allowed: ProcurementCategories, Facet: true, Shown: true,
				Label: Label{"Jenis pengadaan", "Category"}, Description: Label{"Jenis barang/jasa.", "Kind of goods or services."}},
			{Name: "funding_source", Type: Code, Facet: true, MaxLen: 64,
				Label: Label{"Sumber dana", "Funding source"}, Description: Label{"Sumber dana, mis. APBD, APBN, BLUD.", "Funding source, e.g. APBD, APBN, BLUD."}},
			{Name: FieldMAK, Type: Code, MaxLen: 500,
				Label: Label{"Kode anggaran (MAK)", "Budget code (MAK)"}, Description: Label{"Mata anggaran yang mendanai paket, seperti di SIRUP: untuk APBD kode subkegiatan lalu kode rekening (1.03.10.2.01.0017.5.2.04.01.01.0012); beberapa dipisahkan titik koma.",
					"The budget line funding the package, as in SIRUP: for an APBD, the sub-activity code then the account code (1.03.10.2.01.0017.5.2.04.01.01.0012); several separated by semicolons."}},
			{Name: "budget_ceiling", Type: Money, Required: true, Shown: true,
				Label: Label{"Pagu (Rp)", "Budget ceiling (IDR)"}, Description: Label{"Pagu anggaran paket.", "Budget ceiling of the package."}},
			{Name: "owner_estimate", Type: Money,
				Label: Label{"HPS (Rp)", "Owner estimate (IDR)"}, Description: Label{"Harga perkiraan sendiri.", "Owner's estimate (HPS)."}},
			{Name: "contract_value", Type: Money, Shown: true,
				Label: Label{"Nilai kontrak (Rp)", "Contract value (IDR)"}, Description: Label{"Nilai kontrak dengan penyedia.", "Value of the contract with the supplier."}},
			{Name: "supplier_name", Type: Text, Facet: true, Shown: true, MaxLen: 300,
				Label: Label{"Penyedia", "Supplier"}, Description: Label{"Nama penyedia pemenang.", "Name of the winning supplier."}},
			{Name: "supplier_tax_id", Type: Code, Pattern: taxIDPattern, MaxLen: 32, Shown: true,
				Label: Label{"NPWP penyedia", "Supplier tax id (NPWP)"}, Description: Label{"NPWP badan usaha penyedia, ditulis NN.NNN.NNN.N-NNN.NNN. NPWP/NIK perorangan tidak diterbitkan.", "Company tax id of the supplier, written NN.NNN.NNN.N-NNN.NNN. Individuals' NPWP/NIK are never published."}},
			{Name: "bidder_count", Type: Integer, Min: 0, Max: 100000,
				Label: Label{"Jumlah peserta", "Bidders"}, Description: Label{"Jumlah peserta tender.", "Number of bidders."}},
			{Name: "announced_at", Type: Timestamp, Shown: true,
				Label: Label{"Tanggal pengumuman", "Announced"}, Description: Label{"Waktu pengumuman tender (WIB bila tanpa zona waktu).", "When the tender was announced (WIB when no time zone is given)."}},
			{Name: "awarded_at", Type: Date,
				Label: Label{"Tanggal penetapan pemenang", "Awarded"}, Description: Label{"Tanggal penetapan pemenang.", "Date the winner was determined."}},
			{Name: "contract_date", Type: Date,
				Label: Label{"Tanggal kontrak", "Contract date"}, Description: Label{"Tanggal penandatanganan kontrak.", "Date the contract was signed."}},
			{Name: "status", Type: Enum, Allowed: ProcurementStatuses, Facet: true,
				Label: Label{"Status", "Status"}, Description: Label{"Status paket.", "Status of the package."}},
			{Name: "location", Type: Text, MaxLen: 500,
				Label: Label{"Lokasi pekerjaan", "Location"}, Description: Label{"Lokasi pekerjaan (bukan alamat perorangan).", "Work location (never a person's address)."}},
			{Name: FieldBudgetID, Type: Code, Derived: true,
				Label: Label{"Baris anggaran", "Budget line"}, Description: Label{"ID baris data APBD (dataset budget) yang mendanai paket: baris wilayah dan tahun yang sama dengan subkegiatan dan kode rekening dari MAK, pada tahap anggaran terakhir (perubahan, lalu pergeseran, lalu murni); kosong bila tidak ada yang cocok.",
					"Id of the APBD record (budget dataset) funding the package: the line of the same region and year with the MAK's sub-activity and account code, at its latest budget stage (perubahan, then pergeseran, then murni); empty when none matches."}},
			{Name: FieldBudgetLink, Type: Enum, Derived: true, Allowed: BudgetLinks, Facet: true,
				Label: Label{"Tautan ke APBD", "Link to the budget"}, Description: Label{"linked: budget_id menunjuk baris APBD; unmatched: MAK ada tetapi tidak cocok dengan baris APBD wilayah dan tahun ini (MAK APBN, baris belum diterbitkan, salah tulis); no_mak: paket tanpa MAK.",
					"linked: budget_id names an APBD line; unmatched: the package has a MAK that matches no APBD line of its region and year (an APBN MAK, a line not published, a typo); no_mak: the package has no MAK."}},
			{Name: FieldBidCount, Type: Integer, Derived: true, Min: 0, Max: 100000,
				Label: Label{"Jumlah penawaran", "Bids submitted"}, Description: Label{"Jumlah peserta yang memasukkan penawaran, dari data peserta tender (procurement_bids) wilayah dan tahun yang sama; kosong bila tidak ada peserta dengan nilai penawaran.",
					"Number of participants who submitted a bid, from the tender participants (procurement_bids) of the same region and year; empty when no participant has a bid value."}},
			{Name: FieldFlag, Type: Enum, Derived: true, List: true, Allowed: ProcurementFlags, Facet: true, Shown: true,
				Label: Label{"Tanda risiko", "Red flags"}, Description: Label{"Indikator risiko paket, dihitung saat rilis dan dipisahkan koma (lihat /metodologi/tanda-risiko). Tanda bukan bukti pelanggaran.",
					"The package's risk indicators, computed at release and comma-separated (see /metodologi/tanda-risiko). A flag is not proof of wrongdoing."}},
			{Name: FieldFlagFigures, Type: Code, Derived: true, Unindexed: true,
				Label: Label{"Angka di balik tanda", "Figures behind the flags"}, Description: Label{"Objek JSON: untuk tiap tanda, angka yang mendasarinya (uang dalam sen, hari, jumlah paket, pangsa dalam basis poin).",
					"JSON object: for each flag, the figures it rests on (money in sen, days, package counts, shares in basis points)."}},
		}),
})

// Names of procurement's derived red-flag fields.
const (
	FieldMAK         = "mak"
	FieldBudgetID    = "budget_id"
	FieldBudgetLink  = "budget_link"
	FieldBidCount    = "bid_count"
	FieldFlag        = "flag"
	FieldFlagFigures = "flag_figures"
)

// BudgetLinks say whether a package was linked to the budget line that
// funds it (FieldBudgetLink).
var BudgetLinks = []string{"linked", "unmatched", "no_mak"}

// ProcurementFlags are the red flags a procurement package can carry, in
// the order they are listed. Package redflag holds the rules; its Flags
// list the same names (TestFlagNames there).
var ProcurementFlags = []string{"single_bidder", "contract_near_hps", "contract_above_hps", "low_bid", "direct_over_threshold",
	"possible_splitting", "short_tender", "repeat_winner", "year_end"}

// procurementBids is LKPP's tender participants export (peserta tender):
// a row per supplier that registered for a tender, with its bid when it
// submitted one. It is a dataset of its own, as LKPP publishes it; a
// package's count of bids (and so single_bidder) is worked out from it
// when a release is published.
var procurementBids = newSchema(Schema{
	Name:  "procurement_bids",
	Label: Label{"Peserta dan penawaran tender", "Tender participants and bids"},
	Description: Label{"Satu peserta satu tender: penyedia yang mendaftar, nilai penawarannya bila memasukkan penawaran, nilai terkoreksi dan apakah ia pemenang, seperti ekspor peserta tender LKPP.",
		"One participant of one tender: the supplier that registered, its bid when it submitted one, the corrected bid and whether it won, as in LKPP's tender participants export."},
	Amount:    "bid_value",
	Title:     "supplier_name",
	Key:       []string{"tender_id", "participant_id"},
	UniqueKey: true,
	Detail:    true,
	Fields: with(commonFields(),
		[]Field{
			{Name: "tender_id", Type: Code, Required: true, MaxLen: 64, Shown: true,
				Label: Label{"Kode tender", "Tender id"}, Description: Label{"Kode tender atau non-tender di SPSE.", "Tender or non-tender id in SPSE."}},
			{Name: "participant_id", Type: Code, MaxLen: 64,
				Label: Label{"Kode peserta", "Participant id"}, Description: Label{"Kode peserta tender di SPSE.", "Id of the tender participant in SPSE."}},
		},
		agencyFields()[:1],
		[]Field{
			{Name: "supplier_name", Type: Text, Facet: true, Shown: true, MaxLen: 300,
				Label: Label{"Penyedia", "Supplier"}, Description: Label{"Nama penyedia peserta.", "Name of the participating supplier."}},
			{Name: "supplier_tax_id", Type: Code, Pattern: taxIDPattern, MaxLen: 32,
				Label: Label{"NPWP penyedia", "Supplier tax id (NPWP)"}, Description: Label{"NPWP badan usaha penyedia. NPWP/NIK perorangan tidak diterbitkan.", "Company tax id of the supplier. Individuals' NPWP/NIK are never published."}},
			{Name: "bid_value", Type: Money, Shown: true,
				Label: Label{"Nilai penawaran (Rp)", "Bid (IDR)"}, Description: Label{"Nilai penawaran yang dimasukkan; kosong bila peserta tidak memasukkan penawaran.", "The bid submitted; empty when the participant submitted none."}},
			{Name: "corrected_bid", Type: Money,
				Label: Label{"Nilai terkoreksi (Rp)", "Corrected bid (IDR)"}, Description: Label{"Nilai penawaran setelah koreksi aritmetik.", "The bid after arithmetic correction."}},
			{Name: "winner", Type: Integer, Min: 0, Max: 1, Facet: true, Shown: true,
				Label: Label{"Pemenang (1 = ya)", "Winner (1 = yes)"}, Description: Label{"1 bila peserta ditetapkan sebagai pemenang.", "1 when the participant was named the winner."}},
			{Name: "reason", Type: Text, MaxLen: 1000,
				Label: Label{"Alasan", "Reason"}, Description: Label{"Alasan yang dicatat untuk peserta, mis. gugur evaluasi.", "The reason recorded for the participant, e.g. failing evaluation."}},
		}),
})

// RevenueKinds are the two kinds of regional levies.
var RevenueKinds = []string{"pajak", "retribusi"}

var revenue = newSchema(Schema{
	Name:        "revenue",
	Label:       Label{"Pajak dan retribusi daerah", "Regional taxes and levies"},
	Description: Label{"Satu baris pajak atau retribusi daerah per periode: jenis, target dan realisasi.", "One regional tax or levy line per period: type, target and realised."},
	Amount:      "realized",
	Title:       "type_name",
	Key:         []string{"period", "kind", "type_code", "account_code"},
	UniqueKey:   true,
	Fields: with(commonFields(),
		[]Field{
			{Name: "period", Type: Integer, Required: true, Min: 0, Max: 12, Facet: true, Shown: true,
				Label: Label{"Periode (bulan)", "Period (month)"}, Description: Label{"Bulan 1–12, atau 0 untuk setahun penuh.", "Month 1–12, or 0 for the whole year."}},
			{Name: "kind", Type: Enum, Required: true, Allowed: RevenueKinds, Facet: true, Shown: true,
				Label: Label{"Jenis pungutan", "Kind"}, Description: Label{"Pajak atau retribusi.", "Tax (pajak) or levy (retribusi)."}},
			{Name: "type_code", Type: Code, Required: true, ResolvedFrom: []string{"type_name", FieldAccountCode}, Pattern: taxTypePattern, Facet: true, Shown: true, MaxLen: 32,
				Label: Label{"Kode jenis", "Type code"}, Description: Label{"Kode jenis pajak/retribusi menurut UU 1/2022, mis. PKB, PBB-P2, PBJT-PH.", "Tax or levy type per UU 1/2022, e.g. PKB, PBB-P2, PBJT-PH."}},
			{Name: "type_name", Type: Text, Required: true, ResolvedFrom: []string{"type_code", FieldAccountCode}, MaxLen: 300, Shown: true,
				Label: Label{"Nama jenis", "Type name"}, Description: Label{"Nama jenis pajak/retribusi.", "Name of the tax or levy type."}},
			{Name: FieldAccountCode, Type: Code, Pattern: accountPattern,
				Label: Label{"Kode rekening", "Account code"}, Description: Label{"Kode rekening pendapatan (4.1.01…).", "Revenue account code (4.1.01…)."}},
			{Name: "target", Type: Money, Shown: true,
				Label: Label{"Target (Rp)", "Target (IDR)"}, Description: Label{"Target penerimaan.", "Revenue target."}},
			{Name: "realized", Type: Money, Shown: true,
				Label: Label{"Realisasi (Rp)", "Realised (IDR)"}, Description: Label{"Penerimaan yang terealisasi.", "Revenue actually collected."}},
		}),
})

// All returns the schemas in their display order.
func All() []*Schema { return []*Schema{budget, budgetAccounts, procurement, procurementBids, revenue} }

// Names returns the names of the datasets in their display order, for
// messages that list them.
func Names() []string {
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	return names
}

// Lookup returns the schema named name ("budget", "budget_accounts",
// "procurement", "procurement_bids", "revenue").
func Lookup(name string) (*Schema, error) {
	for _, s := range All() {
		if s.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("dataset %q: %w (known: %s)", name, ErrNotFound, strings.Join(Names(), ", "))
}

// FindField returns the definition of the named field in whichever schema
// has it, or nil. A name means the same field in every dataset that has it
// (region_code, agency_name, account_code…), so the first one found serves.
func FindField(name string) *Field {
	for _, s := range All() {
		if f := s.Field(name); f != nil {
			return f
		}
	}
	return nil
}

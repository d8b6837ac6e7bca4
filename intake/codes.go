package intake

import (
	"maps"
	"slices"

	"github.com/terbuka/terbuka/dataset"
)

// codeNames names each kind of problem a report can hold, by its code, in
// a few words, for the counts a report page gives ("Kode rekening lama
// (1), Nilai uang (1)"); each problem's message says the rest. It is the
// one list of codes: the ones intake writes, the ones the dataset package
// gives a value it cannot read, and feed_shrink, which the pipeline finds.
// TestEveryCodeHasAName finds the codes in their source and fails on one
// missing here.
var codeNames = map[string]dataset.Label{
	// The file as a whole.
	"empty":              {ID: "Berkas kosong", EN: "Empty file"},
	"feed_empty":         {ID: "Tanpa baris data", EN: "No records"},
	"withdraw_rows":      {ID: "Penarikan yang berisi baris data", EN: "Withdrawal with records"},
	"feed_shrink":        {ID: "Menghapus lebih dari separuh baris data", EN: "Removes over half of the records"},
	"dataset_unknown":    {ID: "Dataset tidak dikenal", EN: "Unknown dataset"},
	"stage_unexpected":   {ID: "Tahap untuk dataset tanpa tahap", EN: "Stage for a dataset without stages"},
	"stage_unknown":      {ID: "Tahap tidak dikenal", EN: "Unknown stage"},
	"csv_syntax":         {ID: "Susunan CSV rusak", EN: "Broken CSV"},
	"json_syntax":        {ID: "Susunan JSON rusak", EN: "Broken JSON"},
	"encoding_invalid":   {ID: "Pengodean huruf rusak", EN: "Broken text encoding"},
	"encoding_unknown":   {ID: "Pengodean huruf tidak dikenal", EN: "Unknown text encoding"},
	"encoding_detected":  {ID: "Dibaca sebagai Windows-1252", EN: "Read as Windows-1252"},
	"xlsx_unreadable":    {ID: "Berkas Excel tidak terbaca", EN: "Unreadable Excel file"},
	"xlsx_sheet":         {ID: "Lembar Excel tidak ada", EN: "No such Excel sheet"},
	"xlsx_too_large":     {ID: "Berkas Excel terlalu besar", EN: "Excel file too large"},
	"too_many_rows":      {ID: "Terlalu banyak baris", EN: "Too many rows"},
	"too_many_columns":   {ID: "Terlalu banyak kolom", EN: "Too many columns"},
	"record_too_large":   {ID: "Baris terlalu besar", EN: "Row too large"},
	"cell_too_large":     {ID: "Sel terlalu besar", EN: "Cell too large"},
	"ocds_dataset":       {ID: "Paket OCDS bukan sebagai pengadaan", EN: "OCDS package not sent as procurement"},
	"ocds_no_releases":   {ID: "Paket OCDS tanpa rilis", EN: "OCDS package without releases"},
	"ocds_not_compiled":  {ID: "Rilis OCDS belum digabung", EN: "OCDS releases not compiled"},
	"region_unknown":     {ID: "Kode wilayah tidak dikenal", EN: "Unknown region code"},
	"region_bps":         {ID: "Kode wilayah BPS, bukan Kemendagri", EN: "BPS region code, not Kemendagri"},
	"partition_mismatch": {ID: "Wilayah atau tahun lain", EN: "Another region or year"},

	// The header.
	"column_missing":     {ID: "Kolom wajib tidak ada", EN: "Required column missing"},
	"column_recommended": {ID: "Kolom yang dianjurkan tidak ada", EN: "Recommended column missing"},
	"column_ignored":     {ID: "Kolom tidak dikenal", EN: "Unknown column"},
	"column_derived":     {ID: "Kolom yang dihitung Terbuka", EN: "Column Terbuka computes"},
	"column_duplicate":   {ID: "Kolom ganda", EN: "Repeated column"},
	"column_clash":       {ID: "Dua kolom untuk satu isian", EN: "Two columns for one field"},
	"column_count":       {ID: "Jumlah kolom baris salah", EN: "Wrong number of columns"},

	// Personal data.
	"privacy_address": {ID: "Alamat (data pribadi)", EN: "Address (personal data)"},
	"privacy_nik":     {ID: "NIK (data pribadi)", EN: "NIK (personal data)"},
	"privacy_npwp":    {ID: "NPWP perorangan (data pribadi)", EN: "Personal NPWP (personal data)"},

	// A value.
	"required":        {ID: "Isian wajib kosong", EN: "Required value missing"},
	"pattern":         {ID: "Format kode", EN: "Code format"},
	"allowed":         {ID: "Nilai di luar pilihan", EN: "Value not allowed"},
	"integer":         {ID: "Bukan bilangan bulat", EN: "Not a whole number"},
	"range":           {ID: "Di luar rentang", EN: "Out of range"},
	"too_long":        {ID: "Teks terlalu panjang", EN: "Text too long"},
	"encoding":        {ID: "Teks bukan UTF-8", EN: "Text not UTF-8"},
	"money":           {ID: "Nilai uang", EN: "Money amount"},
	"money_ambiguous": {ID: "Nilai uang tidak jelas", EN: "Ambiguous money amount"},
	"money_decimals":  {ID: "Lebih dari 2 angka desimal", EN: "More than 2 decimals"},
	"money_range":     {ID: "Nilai uang terlalu besar", EN: "Money amount too large"},
	"currency":        {ID: "Mata uang bukan rupiah", EN: "Currency not rupiah"},
	"date":            {ID: "Tanggal", EN: "Date"},
	"date_order":      {ID: "Urutan hari dan bulan", EN: "Day and month order"},
	"date_range":      {ID: "Tanggal yang tidak ada", EN: "Date that does not exist"},
	"timestamp":       {ID: "Tanggal dan waktu", EN: "Date and time"},

	// Records and accounts.
	"duplicate_key":      {ID: "Baris data ganda", EN: "Repeated record"},
	"account_legacy":     {ID: "Kode rekening lama", EN: "Old account code"},
	"account_level":      {ID: "Tingkat rekening tidak sesuai", EN: "Account level does not match"},
	"account_group":      {ID: "Kelompok rekening salah", EN: "Wrong account group"},
	"hierarchy_mismatch": {ID: "Rekening tidak sama dengan jumlah rinciannya", EN: "Account differs from the sum below it"},
	"levy_unknown":       {ID: "Jenis pajak/retribusi tidak dikenal", EN: "Unknown tax or levy"},
	"levy_kind":          {ID: "Pajak atau retribusi tertukar", EN: "Tax and levy mixed up"},
	"levy_code_resolved": {ID: "Kode jenis dikenali dari isian lain", EN: "Type code worked out from other fields"},
}

// CodeName returns the name of a problem code in both languages; an
// unknown code (of a report kept before it was named) is its own name.
func CodeName(code string) dataset.Label {
	if l, ok := codeNames[code]; ok {
		return l
	}
	return dataset.Label{ID: code, EN: code}
}

// Codes returns every named problem code, sorted.
func Codes() []string {
	return slices.Sorted(maps.Keys(codeNames))
}

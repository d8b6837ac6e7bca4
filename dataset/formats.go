package dataset

import "regexp"

// codeFormat says in words what a code pattern accepts, with an example:
// a feed's report is read by a clerk, who needs "e.g. 5.1.02.01.01.0024",
// not the regular expression that checks it.
type codeFormat struct {
	pattern *regexp.Regexp
	says    Label
}

// codeFormats describes every pattern a field of the schemas uses;
// TestEveryPatternDescribed holds the list to the schemas.
var codeFormats = []codeFormat{
	{regionPattern, Label{"kode wilayah Kemendagri: dua angka untuk provinsi atau dua angka, titik, dua angka untuk kabupaten/kota, mis. 32 atau 32.73",
		"a Kemendagri region code: two digits for a province, or two digits, a dot and two digits for a regency or city, e.g. 32 or 32.73"}},
	{accountPattern, Label{"kode rekening Permendagri 90/2019: angka 4, 5 atau 6 lalu tingkat-tingkat yang dipisah titik, mis. 5.1.02.01.01.0024 atau 4.1.01",
		"a Permendagri 90/2019 account code: 4, 5 or 6 followed by levels separated by dots, e.g. 5.1.02.01.01.0024 or 4.1.01"}},
	{nomenclaturePattern, Label{"kode nomenklatur: angka (atau X) yang dipisah titik, mis. 1.03.10.2.01.0009",
		"a nomenclature code: digits (or X) separated by dots, e.g. 1.03.10.2.01.0009"}},
	{taxIDPattern, Label{"NPWP 15 atau 16 angka, boleh dengan titik dan tanda hubung, mis. 01.572.337.2-014.000",
		"an NPWP of 15 or 16 digits, with or without dots and dashes, e.g. 01.572.337.2-014.000"}},
	{taxTypePattern, Label{"kode jenis pajak atau retribusi: huruf besar dan angka, boleh dengan tanda hubung, mis. PBB-P2 atau PKB",
		"a tax or levy type code: capital letters and digits, with or without dashes, e.g. PBB-P2 or PKB"}},
}

// formatError is the error of a value that does not match pattern.
func formatError(pattern *regexp.Regexp) *FieldError {
	for _, f := range codeFormats {
		if f.pattern == pattern {
			return &FieldError{Code: "pattern", Msg: Label{ID: "format kode tidak sesuai; seharusnya " + f.says.ID, EN: "the code is not in the expected format: " + f.says.EN}}
		}
	}
	return fieldErr("pattern", "format kode tidak sesuai (%s)", "code does not match the format %s", pattern)
}

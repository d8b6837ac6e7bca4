package dataset

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestMaskNIKSpellings checks the NIK rule (see nikShapes) on NIKs as
// regions write them, and on the numbers of public-finance data that look
// like one and must stay.
func TestMaskNIKSpellings(t *testing.T) {
	const m = MaskedValue
	tests := []struct{ name, in, want string }{
		{"plain run", "NIK 3273011203900001", "NIK " + m},
		{"fours with dashes", "a.n. 7171-0123-4567-8901", "a.n. " + m},
		{"fours with spaces", "7171 0123 4567 8901", m},
		{"fours with dots", "NIK. 7171.0123.4567.8901.", "NIK. " + m + "."},
		{"fours mixed", "7171.0123-4567 8901", m},
		{"fours with spaced dashes", "7171 - 0123 - 4567 - 8901", m},
		{"fours with double spaces", "7171  0123  4567  8901", m},
		{"fours with no-break spaces", "7171\u00a00123\u00a04567\u00a08901", m},
		{"fours with en dashes", "7171–0123–4567–8901", m},
		{"region birth serial", "KTP 717101 234567 8901", "KTP " + m},
		{"prov kab kec birth serial", "71.71.01.234567.8901", m},
		{"regency district birth serial", "7171.01.234567.8901", m},
		{"region day month year serial", "717101 23 45 67 8901", m},
		{"every part", "71.71.01.23.45.67.8901", m},
		{"every part but the region", "7171-01-23-45-67-8901", m},
		{"in parentheses", "Budi Santoso (NIK: 3204-1234-5678-9012)", "Budi Santoso (NIK: " + m + ")"},
		{"glued to words", "NIK3273.0123.4567.8901,Cibiru", "NIK" + m + ",Cibiru"},
		{"two", "a 3273011203900001 b 7171-0123-4567-8901", "a " + m + " b " + m},
		{"inside a longer chain", "NIK 3273 0123 4567 8901 2 orang", "NIK " + m + " orang"},
		{"after a number", "No 12 3273 0123 4567 8901", "No " + m},

		{"no digits", "Pengadaan ATK", "Pengadaan ATK"},
		{"account code", "Belanja 5.1.02.01.01.0024", "Belanja 5.1.02.01.01.0024"},
		{"sub-activity and account code", "1.01.02.2.01.0001 5.1.02.01.01.0024", "1.01.02.2.01.0001 5.1.02.01.01.0024"},
		{"agency code", "1.02.0.00.0.00.01.0000", "1.02.0.00.0.00.01.0000"},
		{"money", "Rp 1.234.567.890.123,00", "Rp 1.234.567.890.123,00"},
		{"money of 16 digits", "1.234.567.890.123.456", "1.234.567.890.123.456"},
		{"money with spaces", "Rp 1 234 567 890 123 456", "Rp 1 234 567 890 123 456"},
		{"date", "2024-01-15", "2024-01-15"},
		{"period of dates", "15-01-2024 31-12-2024", "15-01-2024 31-12-2024"},
		{"period of dates, dots", "01.01.2024-31.12.2024", "01.01.2024-31.12.2024"},
		{"RUP ids", "RUP 51554309 51554310", "RUP 51554309 51554310"},
		{"tender ids", "4528194 4528195 45281", "4528194 4528195 45281"},
		{"sentence ends", "Tahun 2024. 1234 5678 9012", "Tahun 2024. 1234 5678 9012"},
		{"company npwp 16", "0015 7233 7201 4000", "0015 7233 7201 4000"},
		{"leading zero", "kode 0273011203900001", "kode 0273011203900001"},
		// A NIK starts with a province code; LKPP's participant export
		// (tender_peserta-tender_2024, PT. OLIVIA AGROINDO SEJAHTERA)
		// holds this in npwp_penyedia_16.
		{"no province 10", "1000000002045734", "1000000002045734"},
		{"no province 99", "9973011203900001", "9973011203900001"},
		{"province 96, Papua Barat Daya", "9671011203900001", m},
		{"npwp 15", "01.572.337.2-014.000", "01.572.337.2-014.000"},
		{"phone", "0812-3456-7890", "0812-3456-7890"},
		{"17 digits", "rek 32730112039000012", "rek 32730112039000012"},
		{"15 digits", "nomor 327301120390000", "nomor 327301120390000"},
		{"four fours and a digit glued", "3273 0123 4567 89012", "3273 0123 4567 89012"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := maskNIKs(tt.in)
			if got != tt.want || changed != (tt.in != tt.want) || HasNIK(tt.in) != changed {
				t.Errorf("maskNIKs(%q) = %q, %v; want %q", tt.in, got, changed, tt.want)
			}
		})
	}
}

// TestMaskIDs checks what reports hide: every NIK- or NPWP-shaped number,
// a company's included.
func TestMaskIDs(t *testing.T) {
	const m = MaskedValue
	tests := []struct{ in, want string }{
		{"3273-0112-0390-0010", m},
		{"NIK 3273 0112 0390 0012", "NIK " + m},
		{"09.254.294.3-407.000", m},
		{"0925 4294 3407 000", m},
		{"092542943407000", m},
		{"0015723372014000", m},
		{"0015.7233.7201.4000", m},
		{"Rp 1.234.567.890.123,00", "Rp 1.234.567.890.123,00"},
		{"5.1.02.01.01.0024", "5.1.02.01.01.0024"},
		{"2024-13-01", "2024-13-01"},
		{"51554309", "51554309"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskIDs(tt.in); got != tt.want {
			t.Errorf("MaskIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsCompanyName(t *testing.T) {
	tests := []struct {
		name    string
		company bool
	}{
		{"PT. Jaya Abadi", true},
		{"PT Jaya Abadi", true},
		{"PT.Dalika Maju Mandiri", true},
		{"P.T. Jaya Abadi", true},
		{"CV Maju", true},
		{"CV. BINTANG PURNAMA KASIH", true},
		{"cv. cahaya abadi persada", true},
		{"C.V. Sinar Komputer", true},
		{"UD Sumber Rejeki", true},
		{"Koperasi Unit Desa Sejahtera", true},
		{"KUD Mina Bahari", true},
		{"PT Wijaya Karya (Persero) Tbk.", true},
		{"Perumda Air Minum Tirtawening", true},
		{"Yayasan Pendidikan Nusantara", true},
		{"KSO PT Adhi Karya - PT Brantas Abipraya", true},
		{"Firma Hukum Sejahtera", true},
		{"Siemens Ltd.", true},
		{"PT/CV Gabungan", true},

		{"Jo Kurniawan", false},
		{"Fa Rudi", false},
		{"Co Hendra", false},
		{"Fa. Rudi Hartono", false},
		{"Budi Santoso", false},
		{"zahris kreasi mandiri", false},
		{"Ptolemy Sitompul", false},
		{"Cvetkovic", false},
		{"Udin Sedunia", false},
		{"M. Yusuf", false},
		{"Koperasiani", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsCompanyName(tt.name); got != tt.company {
				t.Errorf("IsCompanyName(%q) = %v, want %v", tt.name, got, tt.company)
			}
		})
	}
}

// TestPersonalTaxIDSpellings checks that a person's NPWP is masked however
// it is spelled, and a company's is kept.
func TestPersonalTaxIDSpellings(t *testing.T) {
	s, _ := Lookup("procurement")
	tests := []struct {
		name, supplier, taxID string
		masked                bool
	}{
		{"company, official form", "PT. Jaya Abadi", "09.254.294.3-407.000", false},
		{"company, in fours", "CV Maju", "0925 4294 3407 000", false},
		{"company, 16 digits grouped", "Koperasi Unit Desa Sejahtera", "0092-5429-4340-7000", false},
		{"Jo is a name", "Jo Kurniawan", "09.254.294.3-407.000", true},
		{"Fa is a name", "Fa Rudi", "0925 4294 3407 000", true},
		{"Co is a name", "Co Hendra", "092542943407000", true},
		{"NIK with dashes", "PT Maju", "7171-0123-4567-8901", true},
		{"NIK with spaces", "Budi Santoso", "7171 0123 4567 8901", true},
		{"NIK with dots", "CV Maju", "7171.0123.4567.8901", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustParse(t, s, map[string]string{"region_code": "32.73", "fiscal_year": "2024", "package_id": "123", "title": "Pengadaan ATK",
				"agency_name": "Dinas", "method": "tender", "budget_ceiling": "100", "supplier_name": tt.supplier, "supplier_tax_id": tt.taxID})
			issues := s.Complete(r, LoadRegions())
			if got := !r[s.Index("supplier_tax_id")].Valid; got != tt.masked {
				t.Fatalf("masked = %v, want %v (issues %+v)", got, tt.masked, issues)
			}
			for _, is := range issues {
				if strings.Contains(is.Value, tt.taxID) {
					t.Errorf("issue %+v repeats the tax id", is)
				}
			}
		})
	}
}

// nikOracle finds the commonest NIK spellings (a 16-digit run; 4-4-4-4,
// 6-6-4 and 2-2-2-6-4 groups joined by a space, dot or dash) with a
// regular expression, independently of the masker's scanner.
var nikOracle = regexp.MustCompile(`(^|[^0-9])[1-9]([0-9]{15}|[0-9]{3}([ .-][0-9]{4}){3}|[0-9]{5}[ .-][0-9]{6}[ .-][0-9]{4}|[0-9]([ .-][0-9]{2}){2}[ .-][0-9]{6}[ .-][0-9]{4})([^0-9]|$)`)

// FuzzMaskNIKs checks that masking is idempotent and leaves no NIK: none
// its own rule finds, and none the independent nikOracle finds.
func FuzzMaskNIKs(f *testing.F) {
	for _, s := range []string{"NIK 3273011203900001", "7171-0123-4567-8901", "7171 0123 4567 8901", "3171.0987.6543.2101",
		"327302 150885 0003", "32.73.05.120390.0004", "3273.0123-4567 8906", "7171 - 0123 - 4567 - 8901", "7171\u00a00123\u00a04567\u00a08901",
		"NIK 3273 0123 4567 8901 2 orang", "5.1.02.01.01.0024", "Rp 1.234.567.890.123,00", "15-01-2024 31-12-2024", "51554309 51554310",
		"09.254.294.3-407.000", "0925 4294 3407 000", "32730112039000012"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once, _ := maskNIKs(s)
		if twice, again := maskNIKs(once); again || twice != once {
			t.Fatalf("maskNIKs(%q) = %q, masked again to %q", s, once, twice)
		}
		if HasNIK(once) || nikOracle.MatchString(once) {
			t.Fatalf("maskNIKs(%q) = %q still holds a NIK", s, once)
		}
		if nikOracle.MatchString(s) && once == s {
			t.Fatalf("maskNIKs(%q) missed a NIK", s)
		}
		ids := MaskIDs(s)
		if MaskIDs(ids) != ids || HasNIK(ids) {
			t.Fatalf("MaskIDs(%q) = %q, which is not fully masked", s, ids)
		}
	})
}

// nikSeparators are separators NIKs are written with, for FuzzNIKSpellings.
var nikSeparators = []string{" ", ".", "-", "\u00a0", "\u2013", " - ", "  "}

// FuzzNIKSpellings writes a NIK in each shape of nikShapes, its groups
// joined by the separators seps picks, between two texts, and checks that
// none of it is left once masked.
func FuzzNIKSpellings(f *testing.F) {
	f.Add(uint64(3273011203900001), uint8(1), []byte{0, 1, 2}, "NIK ", ".")
	f.Add(uint64(7171012345678901), uint8(2), []byte{5}, "(", ")")
	f.Add(uint64(3171098765432101), uint8(6), []byte{3, 4}, "a.n.", "")
	f.Fuzz(func(t *testing.T, n uint64, shape uint8, seps []byte, before, after string) {
		nik := fmt.Sprintf("%016d", n%1e16)
		joins := func(c byte) bool { return isDigit(c) || c == ' ' || c == '.' || c == '-' || c >= 0x80 }
		if nik[0] == '0' || len(seps) == 0 || before != "" && joins(before[len(before)-1]) || after != "" && joins(after[0]) ||
			strings.Contains(stripSeparators(before+after), nik) {
			return
		}
		var b strings.Builder
		at := 0
		for i, size := range nikShapes[int(shape)%len(nikShapes)] {
			if i > 0 {
				b.WriteString(nikSeparators[int(seps[i%len(seps)])%len(nikSeparators)])
			}
			b.WriteString(nik[at : at+size])
			at += size
		}
		in := before + b.String() + after
		got, found := maskNIKs(in)
		if !found || strings.Contains(stripSeparators(got), nik) || !strings.Contains(got, MaskedValue) {
			t.Fatalf("maskNIKs(%q) = %q", in, got)
		}
	})
}

func stripSeparators(s string) string {
	return strings.NewReplacer(" ", "", ".", "", "-", "", "\u00a0", "", "\u2013", "").Replace(s)
}

// TestNIKProvinces: every province of the Kemendagri list starts NIKs.
func TestNIKProvinces(t *testing.T) {
	n := 0
	for _, r := range LoadRegions().All() {
		if r.IsProvince() {
			n++
			if !nikProvince(strings.ReplaceAll(r.Code, ".", "")) {
				t.Errorf("province %s (%s) is not a NIK prefix", r.Code, r.Name)
			}
		}
	}
	if n != 38 {
		t.Errorf("%d provinces, want 38", n)
	}
}

func TestCanonicalTaxID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"01.572.337.2-014.000", "01.572.337.2-014.000"},
		{"015723372014000", "01.572.337.2-014.000"},
		{"01 572 337 2 014 000", "01.572.337.2-014.000"},
		{"01.572.337.2.014.000", "01.572.337.2-014.000"},
		// LKPP's 16-digit form of a company's NPWP.
		{"0015723372014000", "01.572.337.2-014.000"},
		{"12345", "12345"},
	}
	for _, tt := range tests {
		if got := CanonicalTaxID(tt.in); got != tt.want {
			t.Errorf("CanonicalTaxID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

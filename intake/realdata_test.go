package intake

import (
	"bytes"
	"encoding/csv"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/internal/testfiles"
)

// TestRealLKPPTenderResults feeds real SPSE tender results (LKPP INAPROC,
// ministry K34, 2024) through validation and Parquet, with their columns
// renamed to the canonical ones. Real contract values carry sen, real
// timestamps carry a zone, and suppliers without a legal form must have
// their NPWP masked. Money totals are checked against an independent
// decimal sum of the raw text.
func TestRealLKPPTenderResults(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(testfiles.SharedData(t), "indonesia", "lkpp-inaproc-k34", "tender_tender-selesai-nilai_2024.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rename := map[string]string{"kd_rup_paket": "package_id", "kd_tender": "tender_id", "nama_satker": "agency_name", "pagu": "budget_ceiling",
		"hps": "owner_estimate", "nilai_kontrak": "contract_value", "nama_penyedia": "supplier_name", "npwp_penyedia": "supplier_tax_id",
		"tgl_pengumuman_tender": "announced_at", "tgl_penetapan_pemenang": "awarded_at", "lokasi_pekerjaan": "location"}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	var header []string
	var keep []int
	for i, h := range rows[0] {
		if c, ok := rename[h]; ok {
			header, keep = append(header, c), append(keep, i)
		}
	}
	w.Write(append(header, "title", "method"))
	want := map[string]*big.Rat{"budget_ceiling": new(big.Rat), "contract_value": new(big.Rat)}
	for _, r := range rows[1:] {
		var rec []string
		for _, i := range keep {
			rec = append(rec, r[i])
			if sum, ok := want[rename[rows[0][i]]]; ok && r[i] != "" {
				v, ok := new(big.Rat).SetString(r[i])
				if !ok {
					t.Fatalf("raw value %q", r[i])
				}
				sum.Add(sum, v)
			}
		}
		w.Write(append(rec, "Paket tender "+r[keep[1]], "tender"))
	}
	w.Flush()

	meta := Meta{Dataset: "procurement", Region: "31", Year: 2024}
	rep, recs := validate(t, meta, out.String())
	if !rep.OK() {
		t.Fatalf("real tender results rejected: %d errors, first %+v", rep.ErrorCount, rep.Errors[0])
	}
	if len(recs) != len(rows)-1 {
		t.Fatalf("validated %d records, the file has %d", len(recs), len(rows)-1)
	}
	s, _ := dataset.Lookup("procurement")
	for field, sum := range want {
		var got int64
		for _, r := range recs {
			got += r[s.Index(field)].Int
		}
		wantSen := new(big.Rat).Mul(sum, big.NewRat(100, 1))
		if !wantSen.IsInt() || wantSen.Num().Int64() != got {
			t.Errorf("%s: sum %d sen, raw text sums to %s rupiah", field, got, sum.FloatString(2))
		}
	}
	masked := 0
	for _, r := range recs {
		name := r[s.Index("supplier_name")].Str
		if !r[s.Index("supplier_tax_id")].Valid {
			masked++
			if dataset.IsCompanyName(name) {
				t.Errorf("NPWP of company %q masked", name)
			}
		}
	}
	if masked == 0 || masked != rep.WarningCount {
		t.Errorf("masked %d NPWPs with %d warnings; the file has suppliers without a legal form (e.g. \"zahris kreasi mandiri\")", masked, rep.WarningCount)
	}
}

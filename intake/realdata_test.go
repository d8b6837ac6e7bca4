package intake

import (
	"bytes"
	"encoding/csv"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// TestRealAPBDByAccount ingests the real 2021 APBD export by account
// (prp2pemkab) as it comes, as budget_accounts: every level of the account
// code, written with a one-digit jenis, at two stages (st_anggaran 1 = APBD,
// 2 = P-APBD). The export names no region; the region is given as the
// command line gives it. Rows and amounts per stage and level, and the
// parents that are not the sum of their children, are computed here from
// the raw text with encoding/csv and math/big, not through Terbuka's code.
func TestRealAPBDByAccount(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(testfiles.SharedData(t), "indonesia", "prp2pemkab-apbd-2021", "apbd_2021_rekening_anggaran.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := independentAccountSums(t, raw)

	meta := Meta{Dataset: "budget_accounts", Region: "12.71", Year: 2021}
	rep, recs := validate(t, meta, string(raw))
	if !rep.OK() {
		t.Fatalf("real APBD by account rejected: %d errors, first %+v", rep.ErrorCount, rep.Errors[0])
	}
	s, _ := dataset.Lookup("budget_accounts")
	type stageLevel struct {
		stage string
		level int64
	}
	rows, sums := map[stageLevel]int{}, map[stageLevel]*big.Int{}
	for _, r := range recs {
		k := stageLevel{r[s.Index("stage")].Str, r[s.Index(dataset.FieldAccountLevel)].Int}
		rows[k]++
		if sums[k] == nil {
			sums[k] = new(big.Int)
		}
		sums[k].Add(sums[k], big.NewInt(r[s.Index("amount")].Int))
	}
	if len(recs) != want.records {
		t.Errorf("validated %d records, the file has %d", len(recs), want.records)
	}
	stageOf := map[string]string{"1": "murni", "2": "perubahan"}
	for k, n := range want.rows {
		got := stageLevel{stageOf[k.stage], int64(k.level)}
		if rows[got] != n {
			t.Errorf("st_anggaran %s level %d: %d rows, the file has %d", k.stage, k.level, rows[got], n)
		}
		wantSen := new(big.Int).Mul(want.sums[k], big.NewInt(100))
		if sums[got] == nil || sums[got].Cmp(wantSen) != 0 {
			t.Errorf("st_anggaran %s level %d: %v sen, the file sums to %v rupiah", k.stage, k.level, sums[got], want.sums[k])
		}
	}
	if len(rows) != len(want.rows) {
		t.Errorf("%d stage-levels, the file has %d", len(rows), len(want.rows))
	}
	// The export's jenis column is the account group: 1 pendapatan,
	// 2 belanja, 3 penerimaan and 4 pengeluaran pembiayaan.
	for code, jenis := range want.jenis {
		group := map[string]string{"1": "pendapatan", "2": "belanja", "3": "pembiayaan", "4": "pembiayaan"}[jenis]
		if dataset.AccountGroup(code) != group {
			t.Errorf("%s has jenis %s", code, jenis)
		}
	}

	if got := rep.WarningCodes["hierarchy_mismatch"]; got != len(want.mismatches) {
		t.Errorf("%d hierarchy mismatches reported, the file has %d", got, len(want.mismatches))
	}
	listed := 0
	for _, p := range rep.Warnings {
		if p.Code != "hierarchy_mismatch" {
			continue
		}
		listed++
		m, ok := want.mismatches[p.Row]
		if !ok {
			t.Errorf("row %d (%s) reported as a mismatch; it is none", p.Row, p.Value)
			continue
		}
		for _, figure := range []string{m.code, rupiahText(m.parent), rupiahText(m.children), rupiahText(new(big.Int).Sub(m.parent, m.children))} {
			if !strings.Contains(p.Message.ID, figure) {
				t.Errorf("row %d: %q does not say %s", p.Row, p.Message.ID, figure)
			}
		}
	}
	if listed != min(len(want.mismatches), perCodeListed) {
		t.Errorf("%d mismatches listed, want %d", listed, min(len(want.mismatches), perCodeListed))
	}
	// The first listed is the top of the tree: pendapatan (4) of the APBD
	// murni holds Rp 2,2 M, its kelompok 4.1, 4.2 and 4.3 Rp 7,5 T.
	if first := firstProblem(rep.Warnings, "hierarchy_mismatch"); first == nil || first.Value != "4" ||
		!strings.Contains(first.Message.ID, "Rp 2.200.000.000") {
		t.Errorf("first mismatch %+v, want account 4 of APBD murni", first)
	}
	t.Logf("%d records; %d hierarchy mismatches; per stage and level: %v", len(recs), len(want.mismatches), want.sums)
}

// accountSums are an account-level export's figures computed from its raw
// text.
type accountSums struct {
	records int
	rows    map[rawStageLevel]int
	sums    map[rawStageLevel]*big.Int // rupiah
	jenis   map[string]string          // kode_rekening → jenis
	// mismatches by the parent's row in the file.
	mismatches map[int]rawMismatch
}

type rawStageLevel struct {
	stage string
	level int
}

type rawMismatch struct {
	code             string // with a two-digit jenis, as Terbuka stores it
	parent, children *big.Int
}

func independentAccountSums(t *testing.T, raw []byte) accountSums {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := accountSums{records: len(rows) - 1, rows: map[rawStageLevel]int{}, sums: map[rawStageLevel]*big.Int{}, jenis: map[string]string{}, mismatches: map[int]rawMismatch{}}
	type key struct{ stage, code string }
	amount, row := map[key]*big.Int{}, map[key]int{}
	for i, r := range rows[1:] {
		level, err := strconv.Atoi(r[col["level"]])
		if err != nil {
			t.Fatal(err)
		}
		v, ok := new(big.Int).SetString(r[col["anggaran"]], 10)
		if !ok {
			t.Fatalf("anggaran %q", r[col["anggaran"]])
		}
		k := rawStageLevel{r[col["st_anggaran"]], level}
		out.rows[k]++
		if out.sums[k] == nil {
			out.sums[k] = new(big.Int)
		}
		out.sums[k].Add(out.sums[k], v)
		code := r[col["kode_rekening"]]
		out.jenis[code] = r[col["jenis"]]
		amount[key{k.stage, code}], row[key{k.stage, code}] = v, i+2
	}
	// A parent is the nearest ancestor present at the same stage.
	children, count := map[key]*big.Int{}, map[key]int{}
	for k, v := range amount {
		for p := k.code; strings.Contains(p, "."); {
			p = p[:strings.LastIndex(p, ".")]
			if _, ok := amount[key{k.stage, p}]; ok {
				if children[key{k.stage, p}] == nil {
					children[key{k.stage, p}] = new(big.Int)
				}
				children[key{k.stage, p}].Add(children[key{k.stage, p}], v)
				count[key{k.stage, p}]++
				break
			}
		}
	}
	for k, sum := range children {
		if sum.Cmp(amount[k]) != 0 {
			parts := strings.Split(k.code, ".")
			if len(parts) >= 3 && len(parts[2]) == 1 {
				parts[2] = "0" + parts[2]
			}
			out.mismatches[row[k]] = rawMismatch{code: strings.Join(parts, "."), parent: amount[k], children: sum}
		}
	}
	return out
}

// rupiahText writes whole rupiah as the Indonesian report does: Rp 1.234.567.
func rupiahText(v *big.Int) string {
	s, sign := v.String(), ""
	if strings.HasPrefix(s, "-") {
		s, sign = s[1:], "-"
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return sign + "Rp " + b.String()
}

func firstProblem(list []Problem, code string) *Problem {
	for i := range list {
		if list[i].Code == code {
			return &list[i]
		}
	}
	return nil
}

package intake

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/internal/testfiles"
)

// TestHeaderProblems feeds headers as regions write them and checks what
// the report says about each column, in both languages.
func TestHeaderProblems(t *testing.T) {
	revenue := Meta{Dataset: "revenue", Region: "32.73", Year: 2024}
	type msg struct{ id, en []string } // each message mentions these
	tests := []struct {
		name     string
		meta     Meta
		csv      string
		errors   []Problem
		warnings []Problem
		msgs     map[string]msg // by problem code
	}{
		{
			name: "SIPD-style budget header with Pagu",
			meta: bandung2024,
			csv:  "Tahap,Nama SKPD,Kode Rekening,Uraian,Pagu\nmurni,Dinas Pendidikan,5.1.02.01.01.0024,Belanja ATK,1.500.000\n",
		},
		{
			name: "budget amounts as regions head them",
			meta: bandung2024,
			csv:  "tahap,skpd,kode_rekening,nama_rekening,Nilai Anggaran\nmurni,Dinas,5.1.02,Belanja,1\n",
		},
		{
			name:     "a close miss is ignored with a suggestion",
			meta:     bandung2024,
			csv:      "Tahap,Nama SKPD,Kode Rekening,Uraian,Pagu Angaran\nmurni,Dinas,5.1.02,Belanja,1\n",
			errors:   []Problem{{Row: 1, Column: "amount", Code: "column_missing"}},
			warnings: []Problem{{Row: 1, Column: "Pagu Angaran", Code: "column_ignored"}},
			msgs: map[string]msg{"column_ignored": {
				id: []string{"kolom tidak dikenal", `maksud Anda "pagu anggaran" (amount)?`},
				en: []string{"unknown column", `did you mean "pagu anggaran" (amount)?`}}},
		},
		{
			name:     "no suggestion when nothing is close",
			meta:     bandung2024,
			csv:      "Tahap,Nama SKPD,Kode Rekening,Uraian,Pagu,Sumber Dana Lain\nmurni,Dinas,5.1.02,Belanja,1,PAD\n",
			warnings: []Problem{{Row: 1, Column: "Sumber Dana Lain", Code: "column_ignored"}},
			msgs:     map[string]msg{"column_ignored": {id: []string{"kolom tidak dikenal; diabaikan"}, en: []string{"unknown column; ignored"}}},
		},
		{
			name:   "Uraian beside Nama Rekening is a clash naming both",
			meta:   bandung2024,
			csv:    "Tahap,Nama SKPD,Kode Rekening,Nama Rekening,Uraian,Nilai\nmurni,Dinas,5.1.02,Belanja,ATK,1\n",
			errors: []Problem{{Row: 1, Column: "Uraian", Code: "column_clash"}},
			msgs: map[string]msg{"column_clash": {
				id: []string{`"Nama Rekening" (ke-4)`, `"Uraian" (ke-5)`, "account_name (Uraian rekening)"},
				en: []string{`"Nama Rekening" (column 4)`, `"Uraian" (column 5)`, "both map to account_name (Account name)"}}},
		},
		{
			name:   "a column written twice names it and both positions",
			meta:   bandung2024,
			csv:    "Uraian,Tahap,Nama SKPD,Kode Rekening,uraian,Nilai\nBelanja,murni,Dinas,5.1.02,ATK,1\n",
			errors: []Problem{{Row: 1, Column: "uraian", Code: "column_duplicate"}},
			msgs: map[string]msg{"column_duplicate": {
				id: []string{`"uraian"`, "kolom ke-1 dan ke-5"},
				en: []string{`"uraian"`, "columns 1 and 5"}}},
		},
		{
			name: "revenue with type names and no code column",
			meta: revenue,
			csv:  "Bulan,Jenis Pungutan,Uraian,Realisasi (Rp)\n1,pajak,Pajak Hotel,1000\n",
		},
		{
			name: "revenue with account codes only",
			meta: revenue,
			csv:  "periode,jenis pungutan,kode rekening,realisasi\n1,pajak,4.1.01.06,1000\n",
		},
		{
			name:   "revenue without any way to tell the type",
			meta:   revenue,
			csv:    "periode,jenis pungutan,realisasi\n1,pajak,1000\n",
			errors: []Problem{{Row: 1, Column: "type_code", Code: "column_missing"}, {Row: 1, Column: "type_name", Code: "column_missing"}},
			msgs: map[string]msg{"column_missing": {
				id: []string{"kolom wajib", "salah satu dari", "account_code"},
				en: []string{"required column", "give it or one of", "account_code"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, _ := validate(t, tt.meta, tt.csv)
			ignore := cmpopts.IgnoreFields(Problem{}, "Message")
			if diff := cmp.Diff(rep.Errors, tt.errors, ignore, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("errors (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(rep.Warnings, tt.warnings, ignore, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("warnings (-got +want):\n%s", diff)
			}
			for _, p := range append(rep.Errors, rep.Warnings...) {
				m := tt.msgs[p.Code]
				for _, s := range m.id {
					if !strings.Contains(p.Message.ID, s) {
						t.Errorf("%s: message %q does not say %q", p.Code, p.Message.ID, s)
					}
				}
				for _, s := range m.en {
					if !strings.Contains(p.Message.EN, s) {
						t.Errorf("%s: message %q does not say %q", p.Code, p.Message.EN, s)
					}
				}
			}
		})
	}
}

// TestValidateRevenueTypes sends revenue rows as regions write them: their
// own codes, the names of before UU 1/2022, account codes only. Each is
// kept with the UU 1/2022 type it means and the name the region wrote.
func TestValidateRevenueTypes(t *testing.T) {
	meta := Meta{Dataset: "revenue", Region: "32.73", Year: 2024}
	const header = "period,kind,type_code,type_name,account_code,target,realized\n"
	rows := []struct {
		line               string
		wantCode, wantName string
		warned             bool
	}{
		{"1,pajak,PBJT-MAKMIN,PBJT Makanan dan/atau Minuman,,,1000", "PBJT-MM", "PBJT Makanan dan/atau Minuman", true},
		{"2,pajak,,Pajak Hotel,,,1000", "PBJT-PH", "Pajak Hotel", false},
		{"3,pajak,,PAJAK RESTORAN,,,1000", "PBJT-MM", "PAJAK RESTORAN", false},
		{"4,pajak,,Pajak Hiburan,,,1000", "PBJT-KS", "Pajak Hiburan", false},
		{"5,pajak,,Pajak Penerangan Jalan (PPJ),,,1000", "PBJT-TL", "Pajak Penerangan Jalan (PPJ)", false},
		{"6,pajak,,pajak parkir,,,1000", "PBJT-PP", "pajak parkir", false},
		{"7,pajak,PHR,Pajak Hotel,,,1000", "PBJT-PH", "Pajak Hotel", true},
		{"8,pajak,,,4.1.01.15,,1000", "PBB-P2", "Pajak Bumi dan Bangunan Perdesaan dan Perkotaan", false},
		{"9,retribusi,,,4.1.02.02.06.0001,,1000", "RJUS-PENGINAPAN", "Retribusi Pelayanan Tempat Penginapan/Pesanggrahan/Vila", false},
		{"10,pajak,pbb-p2,PBB,,,1000", "PBB-P2", "PBB", false},
	}
	var csvText strings.Builder
	csvText.WriteString(header)
	for _, r := range rows {
		csvText.WriteString(r.line + "\n")
	}
	rep, recs := validate(t, meta, csvText.String())
	if !rep.OK() || len(recs) != len(rows) {
		t.Fatalf("errors %+v; %d records, want %d", rep.Errors, len(recs), len(rows))
	}
	s, _ := dataset.Lookup("revenue")
	warned := map[int]bool{}
	for _, p := range rep.Warnings {
		if p.Code != "levy_code_resolved" || p.Column != "type_code" {
			t.Errorf("unexpected warning %+v", p)
		}
		warned[p.Row] = true
	}
	for i, r := range rows {
		rec := recs[i]
		if got := rec[s.Index("type_code")].Str; got != r.wantCode {
			t.Errorf("%s: type_code %q, want %q", r.line, got, r.wantCode)
		}
		if got := rec[s.Index("type_name")].Str; got != r.wantName {
			t.Errorf("%s: type_name %q, want %q", r.line, got, r.wantName)
		}
		if warned[i+2] != r.warned {
			t.Errorf("%s: warned %v, want %v", r.line, warned[i+2], r.warned)
		}
	}

	rep, recs = validate(t, meta, header+"1,pajak,PDL,Pendapatan Daerah Lainnya,4.1.04.16,,1000\n")
	want := []Problem{{Row: 2, Column: "type_code", Value: "PDL", Code: "levy_unknown"}}
	if diff := cmp.Diff(rep.Errors, want, cmpopts.IgnoreFields(Problem{}, "Message")); diff != "" || len(recs) != 0 {
		t.Fatalf("errors (-got +want):\n%s", diff)
	}
	for _, m := range []struct{ msg, says string }{
		{rep.Errors[0].Message.ID, `kode ("PDL"), nama ("Pendapatan Daerah Lainnya") maupun kode rekening ("4.1.04.16")`},
		{rep.Errors[0].Message.EN, `code ("PDL"), its name ("Pendapatan Daerah Lainnya") nor its account code ("4.1.04.16")`},
	} {
		if !strings.Contains(m.msg, m.says) {
			t.Errorf("message %q does not say %q", m.msg, m.says)
		}
	}
}

// TestRealHeaders reads the header of every real export in the shared
// data (CSV, and the XLSX copies LKPP publishes) and checks which field
// each column is read as, in the dataset the export is, and that none is
// read twice.
func TestRealHeaders(t *testing.T) {
	dir := filepath.Join(testfiles.SharedData(t), "indonesia")
	lkppTender := map[string]string{"kd_satker": "agency_code", "nama_satker": "agency_name", "tahun_anggaran": "fiscal_year"}
	with := func(m map[string]string, more map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for k, v := range more {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		file, dataset string
		want          map[string]string
	}{
		// The APBD by account, every level with its stage: budget_accounts.
		// jenis (1 pendapatan, 2 belanja, 3 penerimaan and 4 pengeluaran
		// pembiayaan) is the account group, which Terbuka reads from the code.
		{"prp2pemkab-apbd-2021/apbd_2021_rekening_anggaran.csv", "budget_accounts",
			map[string]string{"kode_rekening": "account_code", "uraian": "account_name", "tahun": "fiscal_year", "anggaran": "amount",
				"level": "account_level", "jenis": "account_group", "st_anggaran": "stage"}},
		{"prp2pemkab-apbd-2021/kode_rekening_level1_2.csv", "budget_accounts", map[string]string{"kode_rekening": "account_code", "uraian": "account_name",
			"level": "account_level", "jenis": "account_group"}},
		{"prp2pemkab-apbd-2021/skpd.csv", "budget", map[string]string{"nama_skpd": "agency_name"}},
		{"djpk-dana-desa-2023/pagu-dana-desa.csv", "budget", map[string]string{"tahun": "fiscal_year", "nilai": "amount"}},
		{"djpk-dana-desa-2023/realisasi-dana-desa.csv", "budget", map[string]string{"tahun": "fiscal_year", "nilai": "amount"}},
		{"pajak-daerah-bulanan/input_data_2013-2021.csv", "revenue", map[string]string{"realisasi": "realized"}},
		{"opendata-jabar-bapenda/bapenda-od_15832_jml_kndrn_tidak_daftar_ulang__jenis_kndrn_fungsi_kndrn_data.csv", "revenue",
			map[string]string{"id": "id", "tahun": "fiscal_year"}},
		{"lkpp-inaproc-k34/rup_paket-anggaran-penyedia_2025.csv", "procurement", with(lkppTender,
			map[string]string{"kd_rup": "package_id", "pagu": "budget_ceiling", "sumber_dana": "funding_source", "mak": "mak"})},
		{"lkpp-inaproc-k34/rup_paket-anggaran-swakelola_2025.csv", "procurement", with(lkppTender,
			map[string]string{"kd_rup": "package_id", "pagu": "budget_ceiling", "sumber_dana": "funding_source", "mak": "mak"})},
		{"lkpp-inaproc-k34/rup_paket-swakelola-terumumkan_2025.csv", "procurement", with(lkppTender,
			map[string]string{"kd_rup": "package_id", "pagu": "budget_ceiling", "nama_paket": "title"})},
		{"lkpp-inaproc-k34/tender_pengumuman_2024.csv", "procurement", with(lkppTender, map[string]string{
			"kd_rup": "package_id", "kd_tender": "tender_id", "nama_paket": "title", "mtd_pemilihan": "method", "jenis_pengadaan": "category",
			"sumber_dana": "funding_source", "pagu": "budget_ceiling", "hps": "owner_estimate", "tgl_pengumuman_tender": "announced_at",
			"status_tender": "status", "lokasi_pekerjaan": "location"})},
		{"lkpp-inaproc-k34/tender_tender-selesai-nilai_2024.csv", "procurement", with(lkppTender, map[string]string{
			"kd_rup_paket": "package_id", "kd_tender": "tender_id", "pagu": "budget_ceiling", "hps": "owner_estimate", "nilai_kontrak": "contract_value",
			"nama_penyedia": "supplier_name", "npwp_penyedia": "supplier_tax_id", "tgl_pengumuman_tender": "announced_at",
			"tgl_penetapan_pemenang": "awarded_at", "lokasi_pekerjaan": "location"})},
		{"lkpp-inaproc-k34/tender_non-tender-pengumuman_2024.csv", "procurement", with(lkppTender, map[string]string{
			"kd_rup": "package_id", "kd_nontender": "tender_id", "nama_paket": "title", "mtd_pemilihan": "method", "jenis_pengadaan": "category",
			"sumber_dana": "funding_source", "pagu": "budget_ceiling", "hps": "owner_estimate", "tgl_pengumuman_nontender": "announced_at",
			"status_nontender": "status", "lokasi_pekerjaan": "location", "mak": "mak"})},
		{"lkpp-inaproc-k34/tender_non-tender-selesai_2024.csv", "procurement", with(lkppTender, map[string]string{
			"kd_rup": "package_id", "kd_nontender": "tender_id", "nama_paket": "title", "mtd_pemilihan": "method", "jenis_pengadaan": "category",
			"sumber_dana": "funding_source", "pagu": "budget_ceiling", "hps": "owner_estimate", "nilai_kontrak": "contract_value",
			"nama_penyedia": "supplier_name", "npwp_penyedia": "supplier_tax_id", "tgl_pengumuman_nontender": "announced_at",
			"status_nontender": "status", "lokasi_pekerjaan": "location", "mak": "mak"})},
		{"lkpp-inaproc-k34/tender_pencatatan-non-tender-realisasi_2024.csv", "procurement", with(lkppTender, map[string]string{
			"kd_rup_paket": "package_id", "nama_paket": "title", "pagu": "budget_ceiling", "nama_penyedia": "supplier_name", "npwp_penyedia": "supplier_tax_id"})},
		// tgl_kontrak (signed) and tgl_kontrak_awal (start of the contract period) are two dates.
		{"lkpp-inaproc-k34/tender_tender-ekontrak-kontrak_2024.csv", "procurement", with(lkppTender, map[string]string{
			"kd_tender": "tender_id", "nama_paket": "title", "nilai_kontrak": "contract_value", "nama_penyedia": "supplier_name",
			"npwp_penyedia": "supplier_tax_id", "tgl_kontrak": "contract_date"})},
		{"lkpp-inaproc-k34/tender_non-tender-ekontrak-kontrak_2024.csv", "procurement", with(lkppTender, map[string]string{
			"kd_nontender": "tender_id", "nama_paket": "title", "nilai_kontrak": "contract_value", "nama_penyedia": "supplier_name",
			"npwp_penyedia": "supplier_tax_id", "tgl_kontrak": "contract_date", "mtd_pengadaan": "method"})},
		// The participants of each tender: procurement_bids, where
		// pemenang (a 0/1 flag beside nama_penyedia) is the winner.
		{"lkpp-inaproc-k34/tender_peserta-tender_2024.csv", "procurement_bids", map[string]string{"kd_satker": "agency_code", "tahun_anggaran": "fiscal_year",
			"kd_tender": "tender_id", "kd_peserta": "participant_id", "nama_penyedia": "supplier_name", "npwp_penyedia": "supplier_tax_id",
			"nilai_penawaran": "bid_value", "nilai_terkoreksi": "corrected_bid", "pemenang": "winner", "alasan": "reason"}},
		{"lkpp-inaproc-k34/ekatalog_paket-e-purchasing_2025.csv", "procurement", map[string]string{"nama_satker": "agency_name", "kode_satker": "agency_code",
			"fiscal_year": "fiscal_year", "status": "status", "funding_source": "funding_source", "rup_code": "package_id", "rup_name": "title", "mak": "mak"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			header := readHeader(t, filepath.Join(dir, tt.file))
			checkRealHeader(t, tt.dataset, header, tt.want)
			base := strings.TrimSuffix(filepath.Base(tt.file), ".csv")
			xlsx := filepath.Join(dir, filepath.Dir(tt.file), "xlsx", base+".xlsx")
			if _, err := os.Stat(xlsx); err != nil {
				return
			}
			rep := &Report{}
			rows, err := openXLSX(t.Context(), xlsx, "", rep)
			if err != nil || rows == nil {
				t.Fatalf("open %s: %v %+v", xlsx, err, rep.Errors)
			}
			defer rows.Close()
			xh, err := rows.Read()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(xh, header); diff != "" {
				t.Errorf("the XLSX header differs from the CSV's (-xlsx +csv):\n%s", diff)
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.csv"))
	listed := map[string]bool{}
	for _, tt := range tests {
		listed[filepath.Join(dir, tt.file)] = true
	}
	for _, f := range files {
		// Master lists of work units and programmes, and tender schedules, are not feeds.
		if !listed[f] && !strings.Contains(f, "master") && !strings.Contains(f, "jadwal") {
			t.Errorf("%s is not checked", f)
		}
	}
}

// readHeader reads a real export's header: CSV, or tab-separated as DJPK
// writes it under a .csv name.
func readHeader(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := bytes.Cut(raw, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(line, []byte("\ufeff"))))
	if bytes.Count(line, []byte("\t")) > bytes.Count(line, []byte(",")) {
		r.Comma = '\t'
	}
	h, err := r.Read()
	if err != nil {
		t.Fatalf("header of %s: %v", path, err)
	}
	return h
}

// checkRealHeader maps a header and compares the columns read with want:
// every column read, as which field; no column may be read twice.
func checkRealHeader(t *testing.T, ds string, header []string, want map[string]string) {
	t.Helper()
	s, _ := dataset.Lookup(ds)
	rep := &Report{}
	mapHeader(s, header, rep)
	got := map[string]string{}
	for _, name := range header {
		if i := s.Column(name); i >= 0 {
			got[name] = s.Fields[i].Name
		}
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("columns read (-got +want):\n%s", diff)
	}
	for _, p := range rep.Errors {
		if p.Code == "column_clash" || p.Code == "column_duplicate" {
			t.Errorf("%s: %s", p.Code, p.Message.EN)
		}
	}
}

package search

import (
	"iter"
	"path/filepath"
	"slices"
	"testing"

	"github.com/terbuka/terbuka/dataset"
)

// The test partitions: Kota Bandung's 2024 budget, procurement and revenue,
// and Kabupaten Bandung's 2023 budget.
var (
	bdgBudget      = Partition{Dataset: "budget", Region: "32.73", Year: 2024, SHA256: "sha-bdg-budget-1"}
	bdgProcurement = Partition{Dataset: "procurement", Region: "32.73", Year: 2024, SHA256: "sha-bdg-procurement-1"}
	bdgRevenue     = Partition{Dataset: "revenue", Region: "32.73", Year: 2024, SHA256: "sha-bdg-revenue-1"}
	kabBudget      = Partition{Dataset: "budget", Region: "32.04", Year: 2023, SHA256: "sha-kab-budget-1"}
)

// row is one hand-written feed row: a short name for tests to refer to it,
// its partition and its raw values as a feed would send them.
type row struct {
	name string
	p    Partition
	raw  map[string]string
}

var rows = []row{
	{"B1", bdgBudget, map[string]string{
		"region_code": "32.73", "fiscal_year": "2024", "stage": "Murni",
		"agency_code": "1.03.0.00.0.00.01.0000", "agency_name": "Dinas Pekerjaan Umum dan Penataan Ruang",
		"program_code": "1.03.10", "program_name": "Program Penyelenggaraan Jalan",
		"activity_code": "1.03.10.2.01", "activity_name": "Penyelenggaraan Jalan Kabupaten/Kota",
		"sub_activity_code": "1.03.10.2.01.0017", "sub_activity_name": "Rehabilitasi Jalan",
		"account_code": "5.1.02.01.01.0024", "account_name": "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor",
		"amount": "1.800.474.995,54", "description": "Rehabilitasi jalan lingkungan"}},
	{"B2", bdgBudget, map[string]string{
		"region_code": "32.73", "fiscal_year": "2024", "stage": "perubahan",
		"agency_name": "Dinas Pendidikan", "program_name": "Program Pengelolaan Pendidikan",
		"sub_activity_name": "Pengelolaan Pendidikan Anak Usia Dini", "account_code": "5.1.02.02.01.0003",
		"account_name": "Belanja Honorarium Tenaga Pendidik", "amount": "250000000"}},
	{"B3", bdgBudget, map[string]string{
		"region_code": "32.73", "fiscal_year": "2024", "stage": "realisasi",
		"agency_name": "Dinas Kesehatan", "account_code": "5.2.02.05.01.0001",
		"account_name": "Belanja Modal Alat Kedokteran Umum", "amount": "Rp 975.000.000"}},
	{"B4", bdgBudget, map[string]string{
		"region_code": "32.73", "fiscal_year": "2024", "stage": "murni",
		"agency_name": "Badan Pendapatan Daerah", "account_code": "4.1.01.09.01.0001",
		"account_name": "Pajak Reklame Papan/Billboard", "amount": "50.000.000.000"}},
	{"P1", bdgProcurement, map[string]string{
		"region_code": "32.73", "fiscal_year": "2024", "package_id": "47859361", "tender_id": "10023456",
		"title": "Pembangunan Jalan Lingkungan Kelurahan Sukajadi", "agency_name": "Dinas Pekerjaan Umum dan Penataan Ruang",
		"method": "Tender", "category": "pekerjaan konstruksi", "funding_source": "APBD",
		"budget_ceiling": "1.800.474.995,54", "owner_estimate": "1.750.000.000", "contract_value": "1,698,250,000.00",
		"supplier_name": "PT Karya Jalan Mandiri", "supplier_tax_id": "01.234.567.8-901.000", "bidder_count": "7",
		"announced_at": "2024-03-17 10:30", "awarded_at": "17/04/2024", "contract_date": "2024-05-02",
		"status": "berkontrak", "location": "Kelurahan Sukajadi, Kota Bandung",
		// Flags are derived at publishing; written here in another order
		// than the rules list them.
		"flag": "contract_near_hps, single_bidder"}},
	{"P2", bdgProcurement, map[string]string{
		"region_code": "32.73", "fiscal_year": "2024", "package_id": "47859362",
		"title": "Pengadaan Alat Tulis Kantor & Tinta Printer", "agency_name": "Dinas Pendidikan",
		"method": "e-purchasing", "category": "barang", "funding_source": "APBD",
		"budget_ceiling": "Rp 125.000.000", "contract_value": "Rp 120.000.000", "supplier_name": "CV Sumber Makmur", "status": "selesai"}},
	{"P3", bdgProcurement, map[string]string{
		"region_code": "32.73", "fiscal_year": "2024", "package_id": "47859363",
		"title": "Jasa Konsultansi Perencanaan Gedung Sekolah Dasar", "agency_name": "Dinas Pendidikan",
		"method": "seleksi", "category": "jasa konsultansi", "budget_ceiling": "450000000", "status": "diumumkan", "flag": "single_bidder"}},
	{"R1", bdgRevenue, map[string]string{
		"region_code": "32.73", "fiscal_year": "2024", "period": "0", "kind": "pajak", "type_code": "PBJT-PH",
		"type_name": "PBJT atas Jasa Perhotelan", "account_code": "4.1.01.06.01.0001",
		"target": "300.000.000.000", "realized": "287.654.321.000,00"}},
	{"R2", bdgRevenue, map[string]string{
		"region_code": "32.73", "fiscal_year": "2024", "period": "3", "kind": "retribusi", "type_code": "RJU-PARKIR",
		"type_name": "Retribusi Pelayanan Parkir di Tepi Jalan Umum", "account_code": "4.1.02.01.01.0001",
		"target": "12.000.000.000", "realized": "2.500.000.000"}},
	{"K1", kabBudget, map[string]string{
		"region_code": "32.04", "fiscal_year": "2023", "stage": "murni",
		"agency_name": "Dinas Pekerjaan Umum dan Tata Ruang", "sub_activity_name": "Pemeliharaan Rutin Jalan Desa",
		"account_code": "5.1.02.03.02.0121", "account_name": "Belanja Pemeliharaan Jalan", "amount": "3000000000"}},
	{"K2", kabBudget, map[string]string{
		"region_code": "32.04", "fiscal_year": "2023", "stage": "perubahan",
		"agency_name": "Dinas Pertanian", "account_code": "5.1.02.01.01.0052",
		"account_name": "Belanja Bibit Tanaman", "amount": "120.000.000,50"}},
}

// parseRecord turns raw feed values into a complete record the way the
// pipeline does: parse each field, complete it, then give it its id.
func parseRecord(t testing.TB, s *dataset.Schema, raw map[string]string) dataset.Record {
	t.Helper()
	rec := make(dataset.Record, len(s.Fields))
	for name, v := range raw {
		f := s.Field(name)
		if f == nil {
			t.Fatalf("%s has no field %s", s.Name, name)
		}
		val, ferr := f.Parse(v)
		if ferr != nil {
			t.Fatalf("parse %s.%s %q: %v", s.Name, name, v, ferr)
		}
		rec[s.Index(name)] = val
	}
	for _, is := range s.Complete(rec, dataset.LoadRegions()) {
		if !is.Warning {
			t.Fatalf("complete %s record: %s %q: %v", s.Name, is.Field, is.Value, is.Err)
		}
	}
	rec[s.Index(dataset.FieldID)] = dataset.StringValue(s.RecordID(rec, 1))
	return rec
}

// fixture is the parsed test data: records by row name and the partitions
// in the order they are indexed.
type fixture struct {
	recs  map[string]dataset.Record
	ids   map[string]string // row name → record id
	names map[string]string // record id → row name
	parts []Partition
	byKey map[string][]string // partition key → row names
}

func newFixture(t testing.TB) *fixture {
	fx := &fixture{recs: map[string]dataset.Record{}, ids: map[string]string{}, names: map[string]string{}, byKey: map[string][]string{}}
	for _, r := range rows {
		s, err := dataset.Lookup(r.p.Dataset)
		if err != nil {
			t.Fatal(err)
		}
		rec := parseRecord(t, s, r.raw)
		id := rec[s.Index(dataset.FieldID)].Str
		fx.recs[r.name], fx.ids[r.name], fx.names[id] = rec, id, r.name
		if _, ok := fx.byKey[r.p.Key()]; !ok {
			fx.parts = append(fx.parts, r.p)
		}
		fx.byKey[r.p.Key()] = append(fx.byKey[r.p.Key()], r.name)
	}
	return fx
}

// records yields the named records.
func (fx *fixture) records(names ...string) iter.Seq2[dataset.Record, error] {
	recs := make([]dataset.Record, len(names))
	for i, n := range names {
		recs[i] = fx.recs[n]
	}
	return seq(recs...)
}

// openFixture opens a new index in a temporary directory and indexes every
// fixture partition.
func openFixture(t *testing.T) (*Index, *fixture, string) {
	t.Helper()
	return openFixtureBatch(t, 0)
}

// openFixtureBatch is openFixture with Config.BatchDocs set.
func openFixtureBatch(t *testing.T, batchDocs int) (*Index, *fixture, string) {
	t.Helper()
	fx := newFixture(t)
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Open(Config{Path: path, BatchDocs: batchDocs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for _, p := range fx.parts {
		if err := ix.Replace(t.Context(), p, fx.records(fx.byKey[p.Key()]...)); err != nil {
			t.Fatalf("replace %s: %v", p.Key(), err)
		}
	}
	return ix, fx, path
}

// hitNames runs q and returns the row names of all hits, sorted.
func (fx *fixture) hitNames(t *testing.T, ix *Index, q Query) []string {
	t.Helper()
	q.Size = maxSize
	res, err := ix.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	if res.Total != uint64(len(res.Hits)) {
		t.Errorf("search %+v: total %d, %d hits", q, res.Total, len(res.Hits))
	}
	names := []string{}
	full := 0
	for i, h := range res.Hits {
		n, ok := fx.names[h.ID]
		if !ok {
			n = "?" + h.ID
		}
		if h.Partial {
			n = "~" + n
		} else {
			full++
			if i > 0 && res.Hits[i-1].Partial {
				t.Errorf("search %+v: %s holds every word but follows a partial match", q, n)
			}
		}
		names = append(names, n)
	}
	if res.AllWords != uint64(full) {
		t.Errorf("search %+v: %d records said to hold every word, %d hits not partial", q, res.AllWords, full)
	}
	slices.Sort(names)
	return names
}

package partition_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
)

func TestParquetRoundTrip(t *testing.T) {
	const rows = partition.RowGroupRows + 10 // spans two row groups
	csv := strings.Builder{}
	csv.WriteString("package_id,tender_id,title,agency_name,method,category,budget_ceiling,owner_estimate,contract_value,supplier_name,supplier_tax_id,bidder_count,announced_at,awarded_at\n")
	for i := range rows {
		fmt.Fprintf(&csv, "%d,,Pembangunan Jalan Desa %d,Dinas PUPR,tender,pekerjaan konstruksi,%d.54,,,PT Karya %d,01.572.337.2-014.000,%d,2024-05-08 09:30:00,19/06/2024\n", 10000000+i, i, 1800474995+i, i%7, i%9)
	}
	meta := intake.Meta{Dataset: "procurement", Region: "32.73", Year: 2024}
	rep, want := validate(t, meta, csv.String())
	if !rep.OK() {
		t.Fatalf("validate: %+v", rep.Errors[:1])
	}
	s, _ := dataset.Lookup("procurement")
	var buf bytes.Buffer
	pw := partition.NewWriter(&buf, s)
	for _, r := range want {
		if err := pw.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	var got []dataset.Record
	for r, err := range partition.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), s) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Fatalf("records read back differ (-got +want):\n%.2000s", diff)
	}
	if g := got[0][s.Index("budget_ceiling")].Int; g != 180047499554 {
		t.Errorf("budget_ceiling = %d sen, want 180047499554", g)
	}
}

func TestParquetSchemaOrderAndTypes(t *testing.T) {
	s, _ := dataset.Lookup("budget")
	ps := partition.Schema(s)
	var names []string
	for _, f := range ps.Fields() {
		names = append(names, f.Name())
	}
	if diff := cmp.Diff(names, s.Names()); diff != "" {
		t.Errorf("column order (-got +want):\n%s", diff)
	}
	str := ps.String()
	for _, want := range []string{"(DECIMAL(18,2))", "required binary region_code (STRING)", "optional binary account_group (STRING)"} {
		if !strings.Contains(str, want) {
			t.Errorf("schema lacks %q:\n%s", want, str)
		}
	}
}

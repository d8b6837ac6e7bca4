package publisher_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/internal/testfiles"
	"github.com/terbuka/terbuka/pipeline"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

// quiet is the logger of the external tests.
var quiet = slog.New(slog.DiscardHandler)

// TestOCDSOutputValidates publishes procurement records and checks the
// OCDS release package built for them against the official OCDS 1.1.5
// release package schema, and that ocids are stable.
func TestOCDSOutputValidates(t *testing.T) {
	schemaDir := filepath.Join(testfiles.SharedData(t), "ocds", "schema-1.1.5")
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const base = "https://standard.open-contracting.org/schema/1__1__5/"
	for _, name := range []string{"release-package-schema.json", "release-schema.json"} {
		f, err := os.Open(filepath.Join(schemaDir, name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(base+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile(base + "release-package-schema.json")
	if err != nil {
		t.Fatal(err)
	}

	st := storetest.Dir(t)
	in := &pipeline.Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir()}
	feed := "package_id,tender_id,title,agency_name,method,category,budget_ceiling,owner_estimate,contract_value,supplier_name,bidder_count,announced_at,awarded_at,contract_date,status\n" +
		"51554309,4528194,Pembangunan Jalan Desa Cibiru,Dinas PUPR,tender,pekerjaan konstruksi,2309880000,2200000000,2029932492.5,PT Karya Jalan Nusantara,7,2024-03-01 08:00:00,2024-06-19,2024-07-01,selesai\n" +
		"51554310,,Pengadaan Laptop,Dinas Pendidikan,e-purchasing,barang,450000000,,,,,,,,\n" +
		"ocds-abc123-0001,,Jasa Konsultansi,Dinas PUPR,seleksi,jasa konsultansi,100000000,,,,,,,,diumumkan\n"
	f := filepath.Join(t.TempDir(), "procurement_32.73_2024.csv")
	os.WriteFile(f, []byte(feed), 0o644)
	out, err := in.Run(context.Background(), publisher.New(st, quiet), []pipeline.FeedFile{{Path: f, Meta: intake.Meta{Dataset: "procurement", Region: "32.73", Year: 2024}}}, nil)
	if err != nil || !out.Published {
		t.Fatalf("run: %v %+v", err, out.Reports[0].Errors)
	}
	p, _ := out.Release.Partition(publisher.PartitionKey("procurement", "32.73", 2024))
	b, err := store.ReadAll(t.Context(), st, publisher.DownloadOCDSPath(p), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the package is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the OCDS package does not validate:\n%v", err)
	}
	// The validator does check: a release without its ocid fails.
	broken, _ := jsonschema.UnmarshalJSON(strings.NewReader(strings.Replace(string(b), `"ocid":`, `"ocidx":`, 1)))
	if sch.Validate(broken) == nil {
		t.Error("a release without an ocid validates; the schema check checks nothing")
	}
	var pkg struct {
		Releases []struct {
			OCID   string
			Tender struct{ ProcurementMethod string }
		}
	}
	json.Unmarshal(b, &pkg)
	var got []string
	for _, r := range pkg.Releases {
		got = append(got, r.OCID+" "+r.Tender.ProcurementMethod)
	}
	want := "ocds-tbk001-51554309 open,ocds-tbk001-51554310 limited,ocds-abc123-0001 selective"
	if strings.Join(got, ",") != want {
		t.Errorf("releases %v, want %s", got, want)
	}
}

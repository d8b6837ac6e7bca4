package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
	"github.com/terbuka/terbuka/store/storetest"
)

func TestInbox(t *testing.T) {
	dir := t.TempDir()
	st := storetest.Dir(t)
	pub := publisher.New(st, quiet)
	// Files are dated by the test, not by the machine's clock, which the
	// inbox's clock need not agree with.
	written := time.Date(2025, time.March, 4, 2, 30, 0, 0, time.UTC)
	now := written.Add(time.Hour)
	box := &Inbox{Dir: dir, Ingester: &Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir()}, Publisher: pub,
		Now: func() time.Time { return now }}
	write := func(name, body string) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, written, written); err != nil {
			t.Fatal(err)
		}
	}
	write("budget_32.73_2024.csv", "stage,agency_name,account_code,account_name,amount\nmurni,Dinas,5.1.02.01.01.0024,Belanja ATK,1500000\n")
	write("procurement_32.73_2024.csv", "package_id,title,agency_name,method,budget_ceiling\n1,Jalan,Dinas,lelang bebas,1\n")
	write("catatan.txt", "not a feed")

	out, err := box.Scan(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if out == nil || !out.Published || len(out.Reports) != 2 || len(out.Rejected()) != 1 {
		t.Fatalf("first scan: %+v", out)
	}
	for name, sub := range map[string]string{"budget_32.73_2024.csv": inboxProcessed, "procurement_32.73_2024.csv": inboxRejected, "catatan.txt": inboxUnnamed} {
		if _, err := os.Stat(filepath.Join(dir, sub, name)); err != nil {
			t.Errorf("%s not moved to %s: %v", name, sub, err)
		}
	}
	// Nothing is processed twice.
	if again, err := box.Scan(t.Context(), nil); err != nil || again != nil {
		t.Errorf("second scan = %+v, %v; want nothing to do", again, err)
	}
	// The same file dropped again is the same feed: no new release.
	live, _ := pub.Current(t.Context())
	if err := os.Rename(filepath.Join(dir, inboxProcessed, "budget_32.73_2024.csv"), filepath.Join(dir, "budget_32.73_2024.csv")); err != nil {
		t.Fatal(err)
	}
	out, err = box.Scan(t.Context(), nil)
	if err != nil || out == nil || out.Published || out.Reports[0].Status != intake.StatusUnchanged {
		t.Errorf("re-dropped feed: %+v, %v", out, err)
	}
	if now, _ := pub.Current(t.Context()); now.ID != live.ID {
		t.Errorf("re-dropping a feed made release %s", now.ID)
	}
	// A file still being written (changed within the settle time) waits.
	written = now.Add(-time.Second)
	write("revenue_32.73_2024.csv", "period,kind,type_code,type_name,account_code,target,realized\n")
	if out, err := box.Scan(t.Context(), nil); err != nil || out != nil {
		t.Errorf("a file written just now was taken: %+v, %v", out, err)
	}
}

// TestStoreInbox checks the inbox under a storage prefix, on the directory
// store and on a real S3 server.
func TestStoreInbox(t *testing.T) {
	for name, open := range storetest.Backends() {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			st := open(t)
			pub := publisher.New(st, quiet)
			put := func(key, body string) {
				if _, err := st.Put(ctx, key, strings.NewReader(body), int64(len(body)), store.PutOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			put("inbox/budget_32.73_2024.csv", "stage,agency_name,account_code,account_name,amount\nmurni,Dinas,5.1.02.01.01.0024,Belanja ATK,1500000\n")
			put("inbox/procurement_32.73_2024.csv", "package_id,title,agency_name,method,budget_ceiling\n1,Jalan,Dinas,lelang bebas,1\n")
			put("inbox/readme.txt", "not a feed")
			box := &Inbox{Prefix: "inbox", Ingester: &Ingester{Store: st, Regions: dataset.LoadRegions(), Log: quiet, TempDir: t.TempDir()}, Publisher: pub,
				Now: func() time.Time { return time.Now().Add(time.Hour) }}
			out, err := box.Scan(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if out == nil || !out.Published || len(out.Reports) != 2 || len(out.Rejected()) != 1 {
				t.Fatalf("scan: %+v", out)
			}
			for _, key := range []string{"inbox/processed/budget_32.73_2024.csv", "inbox/rejected/procurement_32.73_2024.csv", "inbox/unnamed/readme.txt"} {
				if _, err := st.Stat(ctx, key); err != nil {
					t.Errorf("%s: %v", key, err)
				}
			}
			for _, key := range []string{"inbox/budget_32.73_2024.csv", "inbox/readme.txt"} {
				if _, err := st.Stat(ctx, key); !errors.Is(err, dataset.ErrNotFound) {
					t.Errorf("%s still in the inbox: %v", key, err)
				}
			}
			if again, err := box.Scan(ctx, nil); err != nil || again != nil {
				t.Errorf("second scan = %+v, %v", again, err)
			}
		})
	}
}

package search

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
)

// TestTyposOnlyWhenNeeded: a word found as written in more than
// maxTypoBase records is what was meant, so its near-misses are not looked
// up (jalan must not find Loa Janan, a district); a misspelt word, or one
// found in few records, still finds the words one edit away.
func TestTyposOnlyWhenNeeded(t *testing.T) {
	s, err := dataset.Lookup("procurement")
	if err != nil {
		t.Fatal(err)
	}
	var recs []dataset.Record
	titles := map[string]string{}
	add := func(title string) {
		rec := parseRecord(t, s, map[string]string{"region_code": "64.02", "fiscal_year": "2024",
			"package_id": fmt.Sprint(1000 + len(recs)), "agency_name": "Dinas Pekerjaan Umum", "title": title,
			"method": "tender", "category": "pekerjaan konstruksi", "budget_ceiling": "1000000"})
		id := s.RecordID(rec, 1)
		rec[s.Index(dataset.FieldID)] = dataset.StringValue(id)
		titles[id] = title
		recs = append(recs, rec)
	}
	for i := range maxTypoBase + 1 {
		add(fmt.Sprintf("Pemeliharaan Jalan Lingkungan Ruas %d", i+1))
	}
	add("Rehabilitasi Kantor Camat Loa Janan")
	add("Pembangunan Gedung Sekolah")
	slices.SortFunc(recs, func(a, b dataset.Record) int { return strings.Compare(a[0].Str, b[0].Str) })

	ix, err := Open(Config{Path: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Replace(t.Context(), Partition{Dataset: "procurement", Region: "64.02", Year: 2024, SHA256: "x"}, seq(recs...)); err != nil {
		t.Fatal(err)
	}
	count := func(text, word string) (total uint64, with int) {
		t.Helper()
		res, err := ix.Search(t.Context(), Query{Text: text, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if strings.Contains(titles[h.ID], word) {
				with++
			}
		}
		return res.Total, with
	}
	tests := []struct {
		query, word string
		total       uint64
		with        int
	}{
		// jalan is in 11 titles: what was meant; Janan is not looked up.
		{"jalan", "Jalan", maxTypoBase + 1, maxTypoBase + 1},
		// janan is in one: its near-miss jalan is looked up, ranked below.
		{"janan", "Janan", maxTypoBase + 2, 1},
		// a misspelling finds the word.
		{"jalam", "Jalan", maxTypoBase + 1, maxTypoBase + 1},
		{"gedung", "Gedung", 1, 1},
	}
	for _, tt := range tests {
		total, with := count(tt.query, tt.word)
		if total != tt.total || with != tt.with {
			t.Errorf("%q finds %d records, %d of them with %q; want %d and %d", tt.query, total, with, tt.word, tt.total, tt.with)
		}
	}
	res, err := ix.Search(t.Context(), Query{Text: "janan", Size: 1})
	if err != nil || len(res.Hits) == 0 || !strings.Contains(titles[res.Hits[0].ID], "Janan") {
		t.Errorf("janan: the record with the word as written does not rank first (%v)", err)
	}
}

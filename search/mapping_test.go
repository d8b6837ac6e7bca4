package search

import (
	"encoding/json"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/dataset"
)

func TestAnalyzer(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	a := m.AnalyzerNamed(analyzerName)
	if a == nil {
		t.Fatalf("analyzer %q not registered", analyzerName)
	}
	tests := []struct {
		text string
		want []string
	}{
		// Stems are Tala's (as Lucene's IndonesianStemmer): light, not
		// always dictionary words; see stem_test.go.
		{"Pemeliharaan Jalan dan Jembatan", []string{"elihara", "jalan", "jembat"}},
		{"Pendidikan Anak Usia Dini", []string{"didik", "anak", "usia", "dini"}},
		{"Retribusi Perizinan Tertentu", []string{"retribusi", "izin", "tentu"}},
		{"Pendapatan Lain-lain yang Sah", []string{"dapat", "lain", "lain", "sah"}},
		{"Pembangunan jalan, membangun jembatan", []string{"bangun", "jalan", "bangun", "jembat"}},
		{"Belanja Perjalanan Dinas", []string{"belanja", "perjalanan", "dinas"}},
		{"kode 5.1.02.01.01.0024", []string{"kode", "5.1.02.01.01.0024"}},
		{"yang dan atau", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var got []string
			for _, tok := range a.Analyze([]byte(tt.text)) {
				got = append(got, string(tok.Term))
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("Analyze(%q) (-got +want):\n%s", tt.text, diff)
			}
		})
	}
}

func TestPairsAnalyzer(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	a := m.AnalyzerNamed(pairsAnalyzerName)
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Alat Tulis Kantor", []string{"alat tulis", "tulis kantor"}},
		// Pairs are of stems, so a phrase meets its other forms.
		{"Pembangunan Jalan", []string{"bangun jalan"}},
		// A removed stop word keeps its place: "jalan jembatan" is not a
		// pair of this text.
		{"Jalan dan Jembatan", []string{"jalan _", "_ jembat"}},
		{"Jalan", nil},
	} {
		var got []string
		for _, tok := range a.Analyze([]byte(tt.text)) {
			got = append(got, string(tok.Term))
		}
		if diff := cmp.Diff(got, tt.want); diff != "" {
			t.Errorf("Analyze(%q) (-got +want):\n%s", tt.text, diff)
		}
	}
}

// TestMappingSameOptionsPerName guards against a merge silently dropping
// stored values or doc values: zap ANDs a field's options across segments.
func TestMappingSameOptionsPerName(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, s := range searched() {
		for name, dm := range m.TypeMapping[s.Name].Properties {
			for _, fm := range dm.Fields {
				fname := fm.Name
				if fname == "" {
					fname = name
				}
				b, err := json.Marshal(fm)
				if err != nil {
					t.Fatal(err)
				}
				if prev, ok := seen[fname]; ok && prev != string(b) {
					t.Errorf("field %s is mapped as %s in %s but %s elsewhere", fname, b, s.Name, prev)
				}
				seen[fname] = string(b)
			}
		}
	}
}

// TestMappingFollowsSchemas checks the mapping against the field flags:
// every field but amounts and dates (which only the columns read) is
// indexed, shown ones are stored, facets have doc values.
func TestMappingFollowsSchemas(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range searched() {
		fields := map[string]*mapping.FieldMapping{}
		for name, dm := range m.TypeMapping[s.Name].Properties {
			for _, fm := range dm.Fields {
				fname := fm.Name
				if fname == "" {
					fname = name
				}
				fields[fname] = fm
			}
		}
		for i := range s.Fields {
			f := &s.Fields[i]
			name := f.Name
			switch f.Type {
			case dataset.Integer:
				name += kwSuffix
			case dataset.Money, dataset.Date, dataset.Timestamp:
				if fm := fields[f.Name]; fm != nil {
					t.Errorf("%s.%s is indexed as %s; amounts and dates are read from the columns", s.Name, f.Name, fm.Type)
				}
				name = ""
			}
			if f.Unindexed {
				if fields[name] != nil {
					t.Errorf("%s.%s is indexed; it is marked Unindexed", s.Name, f.Name)
				}
				continue
			}
			if fm := fields[name]; name != "" && (fm == nil || !fm.Index) {
				t.Errorf("%s.%s is not indexed", s.Name, f.Name)
				continue
			}
			if fm := fields[f.Name]; f.Type == dataset.Text && fm.Analyzer != analyzerName {
				t.Errorf("%s.%s is analysed with %q", s.Name, f.Name, fm.Analyzer)
			}
			if isStored(s, f) {
				if sm := fields[storedProperty(f)]; sm == nil || !sm.Store {
					t.Errorf("%s.%s is shown but %s is not stored", s.Name, f.Name, storedProperty(f))
				}
			}
			if f.Facet {
				if fm := fields[facetProperty(f)]; fm == nil || !fm.DocValues || fm.Analyzer != "keyword" {
					t.Errorf("%s.%s is a facet but %s is not a keyword with doc values", s.Name, f.Name, facetProperty(f))
				}
			}
		}
	}
}

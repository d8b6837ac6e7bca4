package search

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/google/go-cmp/cmp"
)

// stemCases document what the algorithm gives, not what a dictionary
// would: where the stem is not a word, the comment says which rule made
// it. Cases marked "Lucene" are from Lucene's TestIndonesianStemmer and
// pin this implementation to the reference one.
var stemCases = []struct {
	word, want string
}{
	// Required by the brief; all give dictionary roots.
	{"pembangunan", "bangun"},
	{"pengadaan", "ada"},
	{"perjalanan", "jalan"},
	{"kegiatan", "giat"},
	{"pendidikan", "didik"}, // -kan is not removed after pen-, -an is
	{"kesehatan", "sehat"},
	{"penyediaan", "sedia"}, // peny- + vowel → s
	{"membangun", "bangun"},
	{"dibangun", "bangun"},
	{"bangunan", "bangun"},
	{"penerangan", "terang"}, // pen- + vowel → t, a Lucene rule
	{"menyapu", "sapu"},      // Lucene
	{"penyapu", "sapu"},      // Lucene
	{"mengambil", "ambil"},
	{"tertangkap", "tangkap"},
	{"belajar", "ajar"}, // Lucene: the whole word "belajar" loses bel-
	{"bukunya", "buku"}, // Lucene
	{"bacalah", "baca"},

	// Asked for with a dictionary stem, but the algorithm gives another.
	// mem-/pem- before a vowel: Lucene restores no p (Tala's paper and
	// Snowball do), so the stem loses it.
	{"memukul", "ukul"},
	{"pemukul", "ukul"},
	{"pemukulan", "ukul"},
	{"dipukul", "pukul"}, // so di- forms do not meet the mem-/pem- ones
	{"pemerintah", "erintah"},
	{"pemerintahan", "erintah"}, // same stem as pemerintah
	// pemeliharaan: pem- removed, -an removed; a second-order prefix is
	// then looked for but "elihara" has none. "pelihara" would need the
	// p rule, and even with it pe- would then go ("lihara").
	{"pemeliharaan", "elihara"},
	// peng- before a vowel: the k of kelola, keluar or kembang is lost.
	{"pengelolaan", "elola"},
	{"pengeluaran", "eluar"},
	{"pengembangan", "embang"},
	// per- + rumah: the r belongs to the root, but per- is removed whole.
	{"perumahan", "umah"},
	{"perencanaan", "encana"},
	// ke- is a first-order prefix, so "kendaraan" loses ke- and then -an.
	{"kendaraan", "ndara"},
	// pe- is removed before -an; only the whole word "pelajar" keeps the
	// bel-/pel- exception.
	{"pelajaran", "lajar"},
	{"pelajar", "ajar"}, // Lucene

	// Unchanged by rule.
	{"belanja", "belanja"},           // be- needs consonant+"er" after it (be-kerja)
	{"rehabilitasi", "rehabilitasi"}, // -i is never removed after s
	{"retribusi", "retribusi"},
	{"irigasi", "irigasi"},
	{"kabupaten", "kabupaten"},
	{"infrastruktur", "infrastruktur"},
	{"masyarakat", "masyarakat"},
	{"jalan", "jalan"}, // two syllables
	{"pajak", "pajak"},
	{"dan", "dan"},
	{"di", "di"},
	{"ke", "ke"},
	{"laptop", "laptop"},
	{"5.1.02.01.01.0024", "5.1.02.01.01.0024"}, // codes are never stemmed
	{"2024", "2024"},
	{"menu2", "menu2"}, // a digit anywhere keeps the token
	{"", ""},

	// Over-stemming the algorithm is known for. A query word is stemmed
	// alike, so the word still finds itself, but not always its other
	// forms: -nya is stripped before -lah would be looked for.
	{"sekolah", "seko"},       // -lah is taken for the particle
	{"sekolahnya", "sekolah"}, // only -nya goes, so no match with sekolah
	{"jembatan", "jembat"},    // -an is taken for the suffix
	{"jembatannya", "jembat"},
	{"pegawai", "gawa"},   // pe- then -i
	{"selesai", "selesa"}, // -i
	{"pantai", "panta"},   // Lucene
	{"menuduh", "uduh"},   // Lucene: men- + vowel restores no t

	// More public-finance vocabulary.
	{"pendapatan", "dapat"},
	{"penerimaan", "terima"},
	{"pembayaran", "bayar"},
	{"pembiayaan", "biaya"},
	{"penggunaan", "guna"},
	{"pengawasan", "awas"},
	{"pemberdayaan", "daya"}, // pem-, -an, then ber-
	{"kesejahteraan", "sejahtera"},
	{"keuangan", "uang"},
	{"pelayanan", "layan"},
	{"persediaan", "sedia"},
	{"perlengkapan", "lengkap"},
	{"peralatan", "alat"},
	{"peningkatan", "tingkat"},
	{"pembinaan", "bina"},
	{"penataan", "tata"},
	{"penyusunan", "susun"},
	{"penyelenggaraan", "selenggara"},
	{"kecamatan", "camat"},
	{"kelurahan", "lurah"},
	{"kebersihan", "bersih"},
	{"anggaran", "anggar"},
	{"bantuan", "bantu"},
	{"saluran", "salur"},
	{"lainnya", "lain"},
	{"bersama", "sama"},
	{"tertentu", "tentu"},
	{"diberikan", "beri"},
	{"dilaksanakan", "laksana"}, // Lucene
	{"pelaksanaan", "laksana"},  // Lucene
	{"memperhatikan", "hati"},   // mem-, -kan, then per-
	{"perubahan", "ubah"},       // Lucene
	{"pergeseran", "geser"},
	{"direncanakan", "rencana"},
	{"berkontrak", "kontrak"},

	// The rest of Lucene's examples.
	{"bukukah", "buku"},
	{"adalah", "ada"},
	{"bukupun", "buku"},
	{"bukuku", "buku"},
	{"bukumu", "buku"},
	{"mengukur", "ukur"},
	{"menduga", "duga"},
	{"membaca", "baca"},
	{"merusak", "rusak"},
	{"pengukur", "ukur"},
	{"penduga", "duga"},
	{"pembaca", "baca"},
	{"diukur", "ukur"},
	{"tersapu", "sapu"},
	{"kekasih", "kasih"},
	{"berlari", "lari"},
	{"bekerja", "kerja"},
	{"perjelas", "jelas"},
	{"pekerja", "kerja"},
	{"tarikkan", "tarik"},
	{"ambilkan", "ambil"},
	{"mengambilkan", "ambil"},
	{"makanan", "makan"},
	{"janjian", "janji"},
	{"perjanjian", "janji"},
	{"tandai", "tanda"},
	{"dapati", "dapat"},
	{"mendapati", "dapat"},
	{"penyalahgunaan", "salahguna"},
	{"menyalahgunakan", "salahguna"},
	{"disalahgunakan", "salahguna"},
	{"pertanggungjawaban", "tanggungjawab"},
	{"mempertanggungjawabkan", "tanggungjawab"},
	{"dipertanggungjawabkan", "tanggungjawab"},
	{"pelaksana", "laksana"},
	{"melaksanakan", "laksana"},
	{"melibatkan", "libat"},
	{"terlibat", "libat"},
	{"penculikan", "culik"},
	{"menculik", "culik"},
	{"diculik", "culik"},
	{"penculik", "culik"},
	{"peledakan", "ledak"},
	{"penanganan", "tangan"},
	{"kepolisian", "polisi"},
	{"kenaikan", "naik"}, // -kan is not removed after ke-, -an is
	{"bersenjata", "senjata"},
	{"penyelewengan", "seleweng"},
	{"kecelakaan", "celaka"},
	{"gigi", "gigi"},

	// Bytes outside ASCII are carried through; é is not a vowel here, as
	// in Lucene, and counts as one letter in the be-+consonant+er rule.
	{"beéerja", "éerja"},
	{"pemerintahé", "erintahé"},
}

func TestStem(t *testing.T) {
	for _, tt := range stemCases {
		t.Run(tt.word, func(t *testing.T) {
			if got := Stem(tt.word); got != tt.want {
				t.Errorf("Stem(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

// TestStemInflectional covers stemming with stemDerivational=false, with
// Lucene's examples: only particles and possessive pronouns go.
func TestStemInflectional(t *testing.T) {
	tests := []struct{ word, want string }{
		{"bukunya", "buku"},
		{"bukukah", "buku"},
		{"bukunyakah", "buku"},
		{"dibukukannya", "dibukukan"},
		{"pembangunan", "pembangunan"},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			lead, start, end := stemSpan(tt.word, false)
			if got := tt.word[start:end]; lead != 0 || got != tt.want {
				t.Errorf("stemSpan(%q, false) = %q with lead %q, want %q", tt.word, got, lead, tt.want)
			}
		})
	}
}

// TestStemNoAlloc holds Stem to its promise of allocating only when a
// consonant replaces a prefix.
func TestStemNoAlloc(t *testing.T) {
	for _, w := range []string{"pembangunan", "jalan", "rehabilitasi", "5.1.02.01.01.0024", "bukunya"} {
		if n := testing.AllocsPerRun(100, func() { Stem(w) }); n != 0 {
			t.Errorf("Stem(%q) allocates %v times, want 0", w, n)
		}
	}
}

// stemAnalyzer builds an analyzer through a mapping, the way addAnalysis
// builds "id", so that the filter is found by its registered name.
func stemAnalyzer(t *testing.T, filters ...any) analysis.Analyzer {
	t.Helper()
	im := mapping.NewIndexMapping()
	if err := addAnalysis(im); err != nil {
		t.Fatal(err)
	}
	if err := im.AddCustomTokenFilter("stem_light", map[string]any{
		"type":              StemFilterName,
		stemDerivationalKey: false,
	}); err != nil {
		t.Fatal(err)
	}
	if err := im.AddCustomAnalyzer("test", map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": filters,
	}); err != nil {
		t.Fatal(err)
	}
	a := im.AnalyzerNamed("test")
	if a == nil {
		t.Fatal("analyzer test could not be built")
	}
	return a
}

func TestStemFilterInAnalyzer(t *testing.T) {
	const text = "Pembangunan Jalan Desa dan Pengadaan Laptop"
	type term struct {
		Term       string
		Start, End int
	}
	tests := []struct {
		name    string
		filters []any
		want    []term
	}{
		{
			"tokenizer, lowercase, stem",
			[]any{lowercase.Name, StemFilterName},
			[]term{{"bangun", 0, 11}, {"jalan", 12, 17}, {"desa", 18, 22}, {"dan", 23, 26}, {"ada", 27, 36}, {"laptop", 37, 43}},
		},
		{
			// The chain proposed for "id": stop words go before stemming,
			// since the stop list holds surface forms.
			"with id stop words",
			[]any{lowercase.Name, stopTokenName, StemFilterName},
			[]term{{"bangun", 0, 11}, {"jalan", 12, 17}, {"desa", 18, 22}, {"ada", 27, 36}, {"laptop", 37, 43}},
		},
		{
			"inflectional only",
			[]any{lowercase.Name, "stem_light"},
			[]term{{"pembangunan", 0, 11}, {"jalan", 12, 17}, {"desa", 18, 22}, {"dan", 23, 26}, {"pengadaan", 27, 36}, {"laptop", 37, 43}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []term
			for _, tok := range stemAnalyzer(t, tt.filters...).Analyze([]byte(text)) {
				got = append(got, term{string(tok.Term), tok.Start, tok.End})
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("Analyze(%q) (-got +want):\n%s", text, diff)
			}
		})
	}
}

// TestStemFilterTerms checks the in-place rewrite on a shared buffer: a
// replaced prefix, a keyword token left alone, and no write past a stem.
func TestStemFilterTerms(t *testing.T) {
	buf := []byte("menyapu pembangunan bukunya")
	toks := analysis.TokenStream{
		{Term: buf[0:7]},
		{Term: buf[8:19], KeyWord: true},
		{Term: buf[20:27]},
	}
	f, err := newStemFilter(nil, registry.NewCache())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range f.Filter(toks) {
		got = append(got, string(tok.Term))
		if !tok.KeyWord && cap(tok.Term) != len(tok.Term) {
			t.Errorf("term %q has capacity %d past its end", tok.Term, cap(tok.Term))
		}
	}
	if diff := cmp.Diff(got, []string{"sapu", "pembangunan", "buku"}); diff != "" {
		t.Errorf("Filter terms (-got +want):\n%s", diff)
	}
	// The keyword token's bytes must be untouched by its neighbours.
	if s := string(buf[8:19]); s != "pembangunan" {
		t.Errorf("buffer under keyword token = %q, want pembangunan", s)
	}
}

func TestStemFilterConfig(t *testing.T) {
	if _, err := newStemFilter(map[string]any{stemDerivationalKey: "no"}, registry.NewCache()); err == nil {
		t.Errorf("newStemFilter(%s: \"no\") = nil error, want one", stemDerivationalKey)
	}
}

// stemBenchWords are words as they come out of budget and procurement
// titles after lower-casing: mostly affixed, some roots, some codes.
var stemBenchWords = strings.Fields(`
	belanja pegawai pembangunan jalan desa pengadaan laptop pemeliharaan
	gedung kantor perjalanan dinas dalam daerah kegiatan pendidikan
	kesehatan masyarakat penyediaan jasa komunikasi sumber daya air
	listrik pengelolaan keuangan perumahan rakyat kawasan permukiman
	penyelenggaraan pemerintahan kabupaten kecamatan kelurahan
	rehabilitasi jembatan irigasi peningkatan kualitas pelayanan
	penerimaan retribusi pajak kendaraan bermotor 2024
	5.1.02.01.01.0024 honorarium makan minum rapat
`)

func BenchmarkStem(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, w := range stemBenchWords {
			Stem(w)
		}
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*len(stemBenchWords)), "ns/word")
}

// BenchmarkStemFilter measures the filter as indexing uses it, on terms
// that are fresh copies each round because the filter rewrites them.
func BenchmarkStemFilter(b *testing.B) {
	text := []byte(strings.Join(stemBenchWords, " "))
	buf := make([]byte, len(text))
	toks := make(analysis.TokenStream, len(stemBenchWords))
	for i := range toks {
		toks[i] = &analysis.Token{}
	}
	f := &stemFilter{derivational: true}
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, text)
		off := 0
		for i, w := range stemBenchWords {
			toks[i].Term = buf[off : off+len(w)]
			off += len(w) + 1
		}
		f.Filter(toks)
	}
}

func FuzzStem(f *testing.F) {
	for _, tt := range stemCases {
		f.Add(tt.word)
	}
	f.Add("menyé")
	f.Add("be\xffer")
	f.Add("pen")
	f.Fuzz(func(t *testing.T, word string) {
		got := Stem(word)
		if word != "" && got == "" {
			t.Fatalf("Stem(%q) is empty", word)
		}
		if len(got) > len(word) {
			t.Fatalf("Stem(%q) = %q, longer than the word", word, got)
		}
		if utf8.ValidString(word) && !strings.ContainsAny(word, ".0123456789") {
			if want := stemUTF16(word); got != want {
				t.Fatalf("Stem(%q) = %q, the UTF-16 oracle gives %q", word, got, want)
			}
		}
		// The filter must agree with Stem on the same bytes.
		tok := &analysis.Token{Term: []byte(word)}
		(&stemFilter{derivational: true}).Filter(analysis.TokenStream{tok})
		if string(tok.Term) != got {
			t.Fatalf("filter on %q = %q, Stem = %q", word, tok.Term, got)
		}
	})
}

// stemUTF16 is a slow second statement of the rules for FuzzStem, written
// on UTF-16 code units as Java sees a word and with plain slicing instead
// of spans, so that a mistake in Stem's span and lead bookkeeping or its
// byte-level reading of non-ASCII letters shows up as a difference.
func stemUTF16(word string) string {
	w := utf16.Encode([]rune(word))
	vowels := 0
	for _, c := range w {
		if c < utf8.RuneSelf && isVowel(byte(c)) {
			vowels++
		}
	}
	is := func(i int, c byte) bool { return i < len(w) && w[i] == uint16(c) }
	pre := func(p string) bool {
		for i := range len(p) {
			if !is(i, p[i]) {
				return false
			}
		}
		return true
	}
	suf := func(p string) bool {
		return len(w) >= len(p) && string(utf16.Decode(w[len(w)-len(p):])) == p
	}
	vowelAt := func(i int) bool { return i < len(w) && w[i] < utf8.RuneSelf && isVowel(byte(w[i])) }
	flags := 0
	cut := func(n, flag int) bool { w, vowels, flags = w[n:], vowels-1, flags|flag; return true }
	put := func(n int, c byte, flag int) bool { w[n-1] = uint16(c); return cut(n-1, flag) }
	trim := func(n int) bool { w, vowels = w[:len(w)-n], vowels-1; return true }

	if vowels > 2 && (suf("kah") || suf("lah") || suf("pun")) {
		trim(3)
	}
	if vowels > 2 && (suf("ku") || suf("mu")) {
		trim(2)
	} else if vowels > 2 && suf("nya") {
		trim(3)
	}
	first := func() bool {
		switch {
		case pre("meng"):
			return cut(4, removedMeng)
		case pre("meny") && vowelAt(4):
			return put(4, 's', removedMeng)
		case pre("men") || pre("mem"):
			return cut(3, removedMeng)
		case pre("me"):
			return cut(2, removedMeng)
		case pre("peng"):
			return cut(4, removedPeng)
		case pre("peny") && vowelAt(4):
			return put(4, 's', removedPeng)
		case pre("peny"):
			return cut(4, removedPeng)
		case pre("pen") && vowelAt(3):
			return put(3, 't', removedPeng)
		case pre("pen") || pre("pem"):
			return cut(3, removedPeng)
		case pre("di"):
			return cut(2, removedDi)
		case pre("ter"):
			return cut(3, removedTer)
		case pre("ke"):
			return cut(2, removedKe)
		}
		return false
	}
	second := func() bool {
		switch {
		case pre("ber"), len(w) == 7 && pre("belajar"):
			return cut(3, removedBer)
		case pre("be") && len(w) > 4 && !vowelAt(2) && is(3, 'e') && is(4, 'r'):
			return cut(2, removedBer)
		case pre("per"), len(w) == 7 && pre("pelajar"):
			return cut(3, 0)
		case pre("pe"):
			return cut(2, removedPe)
		}
		return false
	}
	suffix := func() bool {
		switch {
		case suf("kan") && flags&(removedKe|removedPeng|removedPe) == 0:
			return trim(3)
		case suf("an") && flags&(removedDi|removedMeng|removedTer) == 0:
			return trim(2)
		case suf("i") && !suf("si") && flags&(removedBer|removedKe|removedPeng) == 0:
			return trim(1)
		}
		return false
	}
	if vowels > 2 {
		if first() {
			if vowels > 2 && suffix() && vowels > 2 {
				second()
			}
		} else {
			second()
			if vowels > 2 {
				suffix()
			}
		}
	}
	return string(utf16.Decode(w))
}

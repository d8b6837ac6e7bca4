package search

import (
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"
	"github.com/blevesearch/bleve/v2/analysis/token/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Names under which the Indonesian analysis is registered in the mapping.
// They are stored in the index, so renaming one needs a new mappingRevision.
const (
	analyzerName      = "id"
	exactAnalyzerName = "id_exact"
	pairsAnalyzerName = "id_pairs"
	pairsTokenName    = "id_pairs"
	stopMapName       = "id_stop_words"
	stopTokenName     = "id_stop"
	keepMapName       = "id_unstemmed_words"
	keepTokenName     = "id_unstemmed"
)

// unstemmedWords are words whose stem is another common word of public
// finance with a different meaning, so the stemmer must leave them be:
// perjalanan (travel, as in perjalanan dinas) would meet jalan (road).
var unstemmedWords = []any{"berjalan", "menjalankan", "perjalanan"}

// keptWords are words of Lucene's Indonesian stop list (which bleve ships as
// analysis/lang/id) that carry meaning in public-finance records, so
// dropping them would make real names unsearchable or over-broad:
// "Pendidikan Anak Usia Dini" (PAUD), "retribusi perizinan tertentu",
// "pendapatan lain-lain", "belanja lainnya", "kerja sama", "usaha kecil",
// "dalam negeri", "masyarakat tidak mampu", "kas kecil".
var keptWords = []string{"bersama", "dalam", "dini", "kecil", "lain", "lainnya", "lama", "mampu", "sama", "tertentu"}

// stopWords returns the Indonesian stop list minus keptWords, sorted so the
// mapping stored in the index is the same on every build.
func stopWords() ([]any, error) {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(id.IndonesianStopWords); err != nil {
		return nil, err
	}
	for _, w := range keptWords {
		delete(tm, w)
	}
	words := make([]string, 0, len(tm))
	for w := range tm {
		words = append(words, w)
	}
	slices.Sort(words)
	out := make([]any, len(words))
	for i, w := range words {
		out[i] = w
	}
	return out, nil
}

// addAnalysis registers the two analyzers. "id" is Unicode word
// segmentation (which keeps dotted codes such as 5.1.02.01.01.0024 in one
// token), lower-casing, Indonesian stop words and the Tala stemmer, so
// "pembangunan" and "membangun" meet at "bangun". "id_exact" stops after
// lower-casing: it indexes words as written, so a query that matches them
// exactly ranks above one that only shares a stem.
func addAnalysis(im *mapping.IndexMappingImpl) error {
	words, err := stopWords()
	if err != nil {
		return err
	}
	if err := im.AddCustomTokenMap(stopMapName, map[string]any{
		"type":   tokenmap.Name,
		"tokens": words,
	}); err != nil {
		return err
	}
	if err := im.AddCustomTokenFilter(stopTokenName, map[string]any{
		"type":           stop.Name,
		"stop_token_map": stopMapName,
	}); err != nil {
		return err
	}
	if err := im.AddCustomTokenMap(keepMapName, map[string]any{"type": tokenmap.Name, "tokens": unstemmedWords}); err != nil {
		return err
	}
	if err := im.AddCustomTokenFilter(keepTokenName, map[string]any{"type": keyword.Name, "keywords_token_map": keepMapName}); err != nil {
		return err
	}
	// Stop words run before the stemmer: the stop list holds surface
	// forms, and stems such as "ada" (from "pengadaan") are stop words.
	// The keyword marker shields unstemmedWords from the stemmer.
	if err := im.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name, stopTokenName, keepTokenName, StemFilterName},
	}); err != nil {
		return err
	}
	if err := im.AddCustomAnalyzer(exactAnalyzerName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return err
	}
	// "id_pairs" indexes each pair of neighbouring stems as one term
	// ("alat tulis", "tulis kantor"), so a phrase is found by looking its
	// pairs up, without reading and comparing word positions. A removed
	// stop word leaves a "_" in its place: "jalan dan jembatan" gives
	// "jalan _" and "_ jembatan", never "jalan jembatan".
	if err := im.AddCustomTokenFilter(pairsTokenName, map[string]any{
		"type": shingle.Name, "min": 2.0, "max": 2.0, "output_original": false, "separator": " ", "filler": "_",
	}); err != nil {
		return err
	}
	return im.AddCustomAnalyzer(pairsAnalyzerName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name, stopTokenName, keepTokenName, StemFilterName, pairsTokenName},
	})
}

// Package searchtest counts what a search index should hold, the plain way,
// for tests of the packages that fill one.
package searchtest

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// Documents returns how many search documents records of schema s make:
// one per record, except for a staged dataset (a budget), where the records
// of one line at its several stages make one. A line is the key without the
// stage; a line sent twice at a stage is two lines, each repeat pairing with
// the same repeat at the other stages, so a key counts as many lines as its
// most repeated stage has records. A detail dataset (a tender's
// participants) makes none: it is published, not searched.
func Documents(s *dataset.Schema, recs iter.Seq2[dataset.Record, error]) (int64, error) {
	if s.Detail {
		return 0, nil
	}
	var rows int64
	repeats := map[string]map[string]int64{} // line → stage → records
	for rec, err := range recs {
		if err != nil {
			return 0, err
		}
		rows++
		if !slices.Contains(s.Key, dataset.FieldStage) {
			continue
		}
		var key []string
		for _, name := range s.Key {
			if name != dataset.FieldStage {
				key = append(key, fmt.Sprintf("%v", rec[s.Index(name)]))
			}
		}
		line := strings.Join(key, "\x00")
		if repeats[line] == nil {
			repeats[line] = map[string]int64{}
		}
		repeats[line][rec[s.Index(dataset.FieldStage)].Str]++
	}
	if !slices.Contains(s.Key, dataset.FieldStage) {
		return rows, nil
	}
	var lines int64
	for _, byStage := range repeats {
		var most int64
		for _, n := range byStage {
			most = max(most, n)
		}
		lines += most
	}
	return lines, nil
}

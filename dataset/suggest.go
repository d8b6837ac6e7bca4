package dataset

import (
	"cmp"
	"slices"
	"strings"
)

// ColumnName is a name a feed's header may give a field: the field's own
// name or one of its aliases.
type ColumnName struct {
	// Name is written as the schema and docs write it ("kode rekening").
	Name  string
	Field string
}

// maxSuggestions caps how many names a suggestion offers.
const maxSuggestions = 3

// SuggestColumns returns the known column names closest to a header the
// schema does not know, for a "did you mean" hint: at most three, one per
// field, nearest first. Names are compared as NormalizeColumn folds them,
// by edit distance (a swap of two neighbouring letters is one edit), and
// only when reasonably close: one edit for headers of up to 7 letters and
// digits, two up to 14, three beyond; headers of one or two are too short
// to guess at. A header written as a code (kd_, kode, id_, …_code, …_id)
// is only offered names written as codes, and the other way round, so that
// kd_paket is not offered "paket" (the package title). Derived fields, and
// fields skip reports true for (those another column already gives), are
// never offered.
func (s *Schema) SuggestColumns(header string, skip func(field string) bool) []ColumnName {
	n := NormalizeColumn(header)
	h := []rune(n)
	limit := suggestLimit(len(h))
	if limit == 0 {
		return nil
	}
	type near struct {
		ColumnName
		d, field int
	}
	var best []near
	for i := range s.Fields {
		f := &s.Fields[i]
		if f.Derived || skip != nil && skip(f.Name) {
			continue
		}
		var b *near
		for _, name := range append([]string{f.Name}, f.Aliases()...) {
			c := NormalizeColumn(name)
			if codeLike(c) != codeLike(n) {
				continue
			}
			d := EditDistance(h, []rune(c), limit)
			if d <= limit && (b == nil || d < b.d) {
				b = &near{ColumnName{name, f.Name}, d, i}
			}
		}
		if b != nil {
			best = append(best, *b)
		}
	}
	slices.SortFunc(best, func(a, b near) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.field, b.field)) })
	var out []ColumnName
	for i := 0; i < len(best) && i < maxSuggestions; i++ {
		out = append(out, best[i].ColumnName)
	}
	return out
}

// suggestLimit is the most edits a suggestion may be from a header of n
// letters and digits.
func suggestLimit(n int) int {
	switch {
	case n < 3:
		return 0
	case n <= 7:
		return 1
	case n <= 14:
		return 2
	}
	return 3
}

// codeLike reports whether a folded column name names a code, as
// Terbuka's names and aliases write codes.
func codeLike(n string) bool {
	for _, p := range []string{"kd", "kode", "id"} {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return strings.HasSuffix(n, "code") || strings.HasSuffix(n, "id")
}

// EditDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours), or
// limit+1 as soon as it must exceed limit.
func EditDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

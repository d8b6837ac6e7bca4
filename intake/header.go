package intake

import (
	"fmt"
	"strings"

	"github.com/terbuka/terbuka/dataset"
)

// mapHeader maps each column of a feed's header to the schema field it
// names (-1 for none, and for derived fields) and reports what the
// header's author should know: an unknown column, with the closest known
// names; a column Terbuka computes; a personal address column; a column
// written twice; two columns naming one field. present holds the fields
// the header gives.
func mapHeader(s *dataset.Schema, header []string, rep *Report) (cols []int, present map[int]bool) {
	cols = make([]int, len(header))
	present = map[int]bool{}
	first := map[int]int{} // the first column giving each field
	for c, name := range header {
		cols[c] = s.Column(name)
		if i := cols[c]; i >= 0 && !present[i] {
			present[i], first[i] = true, c
		}
	}
	for c, name := range header {
		i := cols[c]
		switch {
		case i < 0 && dataset.IsPersonalAddressColumn(name):
			rep.AddError(Problem{Row: 1, Column: name, Code: "privacy_address", Message: dataset.Label{
				ID: "kolom ini memuat alamat penyedia atau perorangan, data pribadi yang tidak boleh dikirim; hapus kolom ini",
				EN: "this column holds the address of a supplier or person, personal data that must not be sent; remove the column"}})
		case i < 0:
			rep.AddWarning(unknownColumn(s, name, present))
		case s.Fields[i].Derived:
			cols[c] = -1
			rep.AddWarning(Problem{Row: 1, Column: name, Code: "column_derived", Message: dataset.Label{ID: "kolom ini dihitung oleh Terbuka; nilai di berkas diabaikan", EN: "Terbuka computes this column; the file's values are ignored"}})
		case first[i] != c:
			rep.AddError(repeatedColumn(&s.Fields[i], header, first[i], c))
		}
	}
	return cols, present
}

// unknownColumn is the warning for a column no field answers to, naming
// the known names closest to it (see dataset.Schema.SuggestColumns) that
// no other column gives.
func unknownColumn(s *dataset.Schema, name string, present map[int]bool) Problem {
	p := Problem{Row: 1, Column: name, Code: "column_ignored", Message: dataset.Label{ID: "kolom tidak dikenal; diabaikan", EN: "unknown column; ignored"}}
	near := s.SuggestColumns(name, func(field string) bool { return present[s.Index(field)] })
	if len(near) == 0 {
		return p
	}
	names := make([]string, len(near))
	for i, n := range near {
		names[i] = fmt.Sprintf("%q", n.Name)
		if n.Name != n.Field {
			names[i] += " (" + n.Field + ")"
		}
	}
	p.Message.ID += "; maksud Anda " + strings.Join(names, " atau ") + "?"
	p.Message.EN += "; did you mean " + strings.Join(names, " or ") + "?"
	return p
}

// repeatedColumn is the error for column c giving field f, which column
// first already gives: the same name twice, or two names of one field
// (Uraian and Nama Rekening are both a budget line's account name).
func repeatedColumn(f *dataset.Field, header []string, first, c int) Problem {
	a, b := header[first], header[c]
	if dataset.NormalizeColumn(a) == dataset.NormalizeColumn(b) {
		return Problem{Row: 1, Column: b, Code: "column_duplicate", Message: dataset.Label{
			ID: fmt.Sprintf("kolom %q muncul lebih dari sekali (kolom ke-%d dan ke-%d); hapus salah satunya", b, first+1, c+1),
			EN: fmt.Sprintf("column %q appears more than once (columns %d and %d); remove one of them", b, first+1, c+1)}}
	}
	return Problem{Row: 1, Column: b, Code: "column_clash", Message: dataset.Label{
		ID: fmt.Sprintf("kolom %q (ke-%d) dan %q (ke-%d) sama-sama dibaca sebagai %s (%s); hapus salah satunya atau ganti namanya", a, first+1, b, c+1, f.Name, f.Label.ID),
		EN: fmt.Sprintf("columns %q (column %d) and %q (column %d) both map to %s (%s); remove one of them or rename it", a, first+1, b, c+1, f.Name, f.Label.EN)}}
}

// fittingDataset returns another dataset whose required columns the
// header all gives (region and year may come from the feed, as fixed
// says by field name), nil when there is none: a budget by account sent
// as a budget lacks the agency, but is complete as budget_accounts.
func fittingDataset(s *dataset.Schema, header []string, fixed map[int]string) *dataset.Schema {
	given := map[string]bool{}
	for i := range fixed {
		given[s.Fields[i].Name] = true
	}
	for _, o := range dataset.All() {
		if o == s {
			continue
		}
		cols := map[int]bool{}
		for _, h := range header {
			if i := o.Column(h); i >= 0 {
				cols[i] = true
			}
		}
		complete := true
		for i, f := range o.Fields {
			if f.Required && !f.Derived && !cols[i] && !given[f.Name] && !anyPresent(o, f.ResolvedFrom, cols) {
				complete = false
			}
		}
		if complete {
			return o
		}
	}
	return nil
}

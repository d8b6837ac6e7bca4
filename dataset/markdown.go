package dataset

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown documents every dataset as Markdown tables, straight from
// the field definitions, so the published documentation cannot drift from
// what validation enforces. docs/datasets.md is its output.
func WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Datasets\n\n<!-- Generated from dataset/schema.go by `go test ./dataset -update`; do not edit. -->\n\n")
	fmt.Fprintf(&b, "Schema version %d. Money is exact to the sen: `DECIMAL(18,2)` in Parquet. Derived columns are computed by Terbuka and ignored when a feed supplies them. "+
		"Feed headers may use a column's name or one of its other names, in any case, with spaces or punctuation (`Kode Rekening` = `kode_rekening` = `KODE REKENING`).\n", SchemaVersion)
	for _, s := range All() {
		fmt.Fprintf(&b, "\n## `%s` — %s / %s\n\n%s\n\n%s\n\n", s.Name, s.Label.ID, s.Label.EN, s.Description.ID, s.Description.EN)
		fmt.Fprintf(&b, "Record key: %s.\n\n", codeList(s.Key))
		b.WriteString("| column | also accepted as | type | required | label (id / en) | description | allowed values |\n| --- | --- | --- | --- | --- | --- | --- |\n")
		for _, f := range s.Fields {
			req := ""
			switch {
			case f.Derived:
				req = "derived"
			case f.Required:
				req = "yes"
			case f.Recommended:
				req = "recommended"
			}
			also := ""
			if !f.Derived {
				also = strings.Join(f.Aliases(), ", ")
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s / %s | %s<br>%s | %s |\n", f.Name, also, f.Type, req, f.Label.ID, f.Label.EN,
				escapePipes(f.Description.ID), escapePipes(f.Description.EN), allowedText(&f))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func allowedText(f *Field) string {
	switch {
	case len(f.Allowed) > 0:
		return codeList(f.Allowed)
	case f.Pattern != nil:
		return "`" + escapePipes(f.Pattern.String()) + "`"
	case f.Max > f.Min:
		return fmt.Sprintf("%d–%d", f.Min, f.Max)
	}
	return ""
}

func codeList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = "`" + s + "`"
	}
	return strings.Join(quoted, ", ")
}

func escapePipes(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

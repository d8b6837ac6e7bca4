package dataset

import (
	"fmt"
	"io"
	"maps"
	"slices"
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
			case f.Required && len(f.ResolvedFrom) > 0:
				req = "yes, or worked out from " + codeList(f.ResolvedFrom)
			case f.Required:
				req = "yes"
			case f.Recommended:
				req = "recommended"
			}
			also := strings.Join(f.Aliases(), ", ")
			if f.Derived && also != "" {
				also = "recognised, values ignored: " + also
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s / %s | %s<br>%s | %s |\n", f.Name, also, f.Type, req, f.Label.ID, f.Label.EN,
				escapePipes(f.Description.ID), escapePipes(f.Description.EN), allowedText(&f))
		}
		for _, c := range s.CodedColumns() {
			var codes []string
			for _, n := range slices.Sorted(maps.Keys(c.Codes)) {
				codes = append(codes, fmt.Sprintf("`%s` = `%s`", n, c.Codes[n]))
			}
			fmt.Fprintf(&b, "\nA column `%s` gives `%s` as numbers, as %s: %s.\n", c.Column, c.Field, c.Source, strings.Join(codes, ", "))
		}
	}
	writeAccountCodes(&b)
	writeLevies(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeAccountCodes documents how account codes are read (see
// ParseAccountCode) and how account-level budgets are checked.
func writeAccountCodes(b *strings.Builder) {
	b.WriteString("\n## Account codes / Kode rekening\n\n" +
		"Account codes are those of Permendagri 90/2019, at any of its six levels: akun (`5`), kelompok (`5.1`), jenis (`5.1.02`), objek (`5.1.02.01`), " +
		"rincian objek (`5.1.02.01.01`) and sub rincian objek (`5.1.02.01.01.0024`). They are stored with a two-digit jenis, as SIPD writes them. " +
		"A jenis written with one digit (`5.1.2.02.01.0003`, as older exports write it) is read as two (`5.1.02.02.01.0003`) when the code has a sub rincian objek, " +
		"which Permendagri 13/2006 does not have. A code of levels 3 to 5 with a one-digit jenis (`5.2.2.01.01`) may be either; it is read as Permendagri 90/2019 " +
		"only when its feed also writes a sub rincian objek with a one-digit jenis, and is otherwise refused (`account_legacy`).\n\n" +
		"An account-level budget (`budget_accounts`) holds every level it publishes. Once the whole feed is read, each account that has accounts below it in the same stage " +
		"(its children: the accounts whose nearest ancestor in the feed it is) is compared with their sum; a difference is a warning (`hierarchy_mismatch`) " +
		"giving the row, the code, the account's amount, its children's sum and the difference. Profiles sum the accounts without children, the most detailed of each branch, " +
		"and say so.\n")
}

// writeLevies documents the revenue types and every way a feed may name
// one, from the tables ResolveLevy reads.
func writeLevies(b *strings.Builder) {
	b.WriteString("\n## Revenue types / Jenis pajak dan retribusi\n\n" +
		"A revenue line's type is recognised by its `type_code` (ignoring case and punctuation: `PBBP2` = `PBB-P2`); when the code is empty or unknown, by its `type_name`; " +
		"when neither is known, by its `account_code` (Permendagri 90/2019, at objek or rincian objek level; see the account codes above). " +
		"Names are matched ignoring case, punctuation, parenthesised parts and the words *atas*, *dan*, *atau*, with PBJT = Pajak Barang dan Jasa Tertentu " +
		"(`PBJT Makanan dan/atau Minuman` = `Pajak Barang dan Jasa Tertentu atas Makanan dan Minuman`); a type's code is also taken as its name. " +
		"An unknown code whose type the name or account code gives is a warning and the row is kept with the type's code; " +
		"the name the region wrote is kept in `type_name`. A type recognised no way is an error.\n\n" +
		"Former names are those of UU 28/2009, in use until UU 1/2022 took effect (5 January 2024): " +
		"Pajak Hotel, Restoran, Hiburan, Penerangan Jalan and Parkir became PBJT (UU 1/2022 art. 50).\n\n" +
		"| code | name (UU 1/2022) | kind | collected by | other spellings | former names | account codes |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, l := range Levies() {
		spellings, former := LevyNames(l.Code)
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s | %s | %s |\n", l.Code, escapePipes(l.Name), l.Kind, l.Level,
			escapePipes(strings.Join(spellings, ", ")), escapePipes(strings.Join(former, ", ")), codeList(LevyAccounts(l.Code)))
	}
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

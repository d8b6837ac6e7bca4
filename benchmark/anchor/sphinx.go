package anchor

import (
	"fmt"
	"slices"
)

// Names every Sphinx index of the bench has, so that one SphinxQL
// statement can search the datasets together, as the portal does.
const (
	// SphinxTitle is a string attribute holding the table's title column,
	// which a page of hits shows.
	SphinxTitle = "title"
	// SphinxAmount is a bigint attribute holding the amount in sen.
	SphinxAmount = "amount"
	// SphinxCodes is a full-text field with one term per code and per
	// dotted prefix of a code (terbuka-anchor's sphinx-source makes them).
	SphinxCodes = "codes"
	// SphinxYear is the year attribute the year filter uses.
	SphinxYear = "fiscal_year"
)

// SphinxColumn is one column of a Sphinx document after its id: the
// tsvpipe source writes the columns in this order, and the configuration
// declares them in this order, which is how Sphinx pairs them.
type SphinxColumn struct {
	Name string
	// Kind is the tsvpipe declaration: field, field_string (a field that
	// is also a string attribute), attr_string or attr_bigint.
	Kind string
	// From is the table column the value is made of: its text, its first
	// Prefix characters, or its amount in sen for SphinxAmount. It is
	// empty for SphinxCodes, which holds every code column.
	From   string
	Prefix int
}

// SphinxLayout is the documents' columns of t, one document per row: the
// text columns (the ones PostgreSQL's tsvector is made of) as full-text
// fields, and as string attributes too when they are facets; the codes as
// terms of one field; and as attributes the title, the year, the facets
// and the amount, which the query mix filters, sorts and counts on.
func SphinxLayout(t Table) ([]SphinxColumn, error) {
	if len(t.Text) == 0 {
		return nil, fmt.Errorf("sphinx layout of %s: no text columns", t.Name)
	}
	types := map[string]string{}
	for _, c := range t.Columns {
		types[c.Name] = c.Type
	}
	whole := map[string]bool{}
	for _, f := range t.Facets {
		if f.Prefix == 0 {
			whole[f.Column] = true
		}
	}
	var out []SphinxColumn
	for i, c := range t.Text {
		kind := "field"
		if whole[c] || (i == 0 && c == SphinxTitle) {
			kind = "field_string"
		}
		out = append(out, SphinxColumn{Name: c, Kind: kind, From: c})
	}
	if t.Text[0] != SphinxTitle {
		out = append(out, SphinxColumn{Name: SphinxTitle, Kind: "attr_string", From: t.Text[0]})
	}
	out = append(out, SphinxColumn{Name: SphinxCodes, Kind: "field"})
	for _, f := range t.Facets {
		if f.Prefix == 0 && slices.Contains(t.Text, f.Column) {
			continue
		}
		kind := "attr_string"
		if f.Prefix == 0 && types[f.Column] == "integer" {
			kind = "attr_bigint"
		}
		out = append(out, SphinxColumn{Name: f.Name(), Kind: kind, From: f.Column, Prefix: f.Prefix})
	}
	if !whole[SphinxYear] {
		out = append(out, SphinxColumn{Name: SphinxYear, Kind: "attr_bigint", From: SphinxYear})
	}
	out = append(out, SphinxColumn{Name: SphinxAmount, Kind: "attr_bigint", From: t.Amount})
	seen := map[string]bool{"id": true}
	for _, c := range out {
		if seen[c.Name] {
			return nil, fmt.Errorf("sphinx layout of %s: two columns named %q", t.Name, c.Name)
		}
		seen[c.Name] = true
		if c.From != "" && types[c.From] == "" {
			return nil, fmt.Errorf("sphinx layout of %s: %s is made of %q, which is not a column", t.Name, c.Name, c.From)
		}
	}
	return out, nil
}

// Attribute reports whether the column can be filtered, sorted and
// counted on.
func (c SphinxColumn) Attribute() bool { return c.Kind != "field" }

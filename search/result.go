package search

import (
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/terbuka/terbuka/dataset"
)

// hit decodes one match from its stored fields.
func hit(dm *search.DocumentMatch) Hit {
	h := Hit{ID: dm.ID, Score: dm.Score}
	h.Dataset, _ = dm.Fields[fieldDataset].(string)
	s, err := dataset.Lookup(h.Dataset)
	if err != nil {
		// Only documents of known datasets are ever indexed; a hit
		// without one still has its id to show.
		return h
	}
	for i := range s.Fields {
		f := &s.Fields[i]
		if !isStored(s, f) {
			continue
		}
		v := storedValue(f, dm.Fields[storedProperty(f)])
		switch f.Name {
		case s.Title:
			h.Title = v.Str
		case s.Amount:
			h.Amount = v.Int
		case dataset.FieldRegionCode:
			h.Region = v.Str
		case dataset.FieldRegionName:
			h.RegionName = v.Str
		case dataset.FieldFiscalYear:
			h.Year = int(v.Int)
		default:
			if v.Valid {
				if h.Fields == nil {
					h.Fields = map[string]string{}
				}
				h.Fields[f.Name] = f.Format(v)
			}
		}
	}
	if s.Staged() {
		text, _ := dm.Fields[fieldStages].(string)
		h.Stages = parseStages(text)
		if lead := leadOf(h.Stages); lead != "" {
			if h.Fields == nil {
				h.Fields = map[string]string{}
			}
			h.Fields[dataset.FieldStage] = lead
		}
	}
	return h
}

// storedValue rebuilds a Value from what the index stored for f: the text
// itself, or the decimal int64 of a _raw property.
func storedValue(f *dataset.Field, stored any) dataset.Value {
	if vals, ok := stored.([]any); ok {
		// A List field stored a value per term, in the field's order.
		var parts []string
		for _, v := range vals {
			if s, ok := v.(string); ok {
				parts = append(parts, s)
			}
		}
		return dataset.StringValue(strings.Join(parts, ","))
	}
	s, ok := stored.(string)
	if !ok {
		return dataset.Value{}
	}
	if isString(f.Type) {
		return dataset.StringValue(s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return dataset.Value{}
	}
	return dataset.IntValue(n)
}

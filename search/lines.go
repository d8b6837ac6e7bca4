package search

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"github.com/terbuka/terbuka/dataset"
)

// A budget line is published as one record per stage (murni, pergeseran,
// perubahan, realisasi), but searched as one document: the record of its
// lead stage (dataset.LeadStage) with every stage's amount beside it. The
// same line no longer fills a page three times, and the index holds a
// document per line rather than per stage.

// Properties of a line's document besides its lead record's fields.
const (
	// fieldStages is stored only: each stage's record id and amount
	// (stageText), what a hit shows and the record page links to.
	fieldStages = "stages"
	// fieldStageIDs holds the record id of each stage, so that the line
	// of any of its records can be found (Index.Line).
	fieldStageIDs = "stage_ids"
)

// Stage is one stage of a budget line: its record and amount.
type Stage struct {
	Stage string
	// ID is the record of this stage, as published.
	ID string
	// Amount is the record's amount in sen; Valid is false when it has none.
	Amount int64
	Valid  bool
}

// lineSlot is a line of one partition: the hash of its key without the
// stage, and which repeat of that key it is, since a feed may send the
// same line twice and each repeat of a stage then pairs with the same
// repeat of the others.
type lineSlot struct {
	hash   [16]byte
	repeat int
}

// line is what the first pass over a staged partition learns of a line:
// its stages in the order of the year and which of them leads it.
type line struct {
	stages []Stage
	lead   string
}

// lineWalk assigns the records of a partition, read in file order, to
// their lines. Two walks over the same records assign them alike.
type lineWalk struct {
	s                 *dataset.Schema
	stage, amount, id int
	// repeats counts the records seen so far of each key and stage.
	repeats map[stageKey]int
}

type stageKey struct {
	hash  [16]byte
	stage string
}

func newLineWalk(s *dataset.Schema) *lineWalk {
	return &lineWalk{s: s, stage: s.Index(dataset.FieldStage), amount: s.Index(s.Amount), id: s.Index(dataset.FieldID),
		repeats: map[stageKey]int{}}
}

// slot returns the line of rec and its stage.
func (w *lineWalk) slot(rec dataset.Record) (lineSlot, Stage) {
	h := w.s.LineHash(rec)
	st := Stage{Stage: rec[w.stage].Str, ID: rec[w.id].Str, Amount: rec[w.amount].Int, Valid: rec[w.amount].Valid}
	k := stageKey{hash: h, stage: st.Stage}
	w.repeats[k]++
	return lineSlot{hash: h, repeat: w.repeats[k]}, st
}

// collectLines reads every record of a staged partition p once and returns
// its lines.
func collectLines(s *dataset.Schema, p Partition, recs iter.Seq2[dataset.Record, error]) (map[lineSlot]*line, error) {
	w := newLineWalk(s)
	lines := map[lineSlot]*line{}
	n := 0
	for rec, err := range recs {
		n++
		if err != nil {
			return nil, fmt.Errorf("read record %d: %w", n, err)
		}
		if err := belongs(s, p, rec); err != nil {
			return nil, fmt.Errorf("record %d: %w", n, err)
		}
		k, st := w.slot(rec)
		if lines[k] == nil {
			lines[k] = &line{}
		}
		lines[k].stages = append(lines[k].stages, st)
	}
	for _, ln := range lines {
		slices.SortFunc(ln.stages, func(a, b Stage) int { return dataset.StageOrder(a.Stage) - dataset.StageOrder(b.Stage) })
		ln.lead = leadOf(ln.stages)
	}
	return lines, nil
}

// leadOf returns the lead stage of a line's stages.
func leadOf(sts []Stage) string {
	names := make([]string, len(sts))
	for i, st := range sts {
		names[i] = st.Stage
	}
	return dataset.LeadStage(names)
}

// stageText encodes a line's stages for fieldStages as
// "murni:<id>:<sen>;perubahan:<id>:<sen>", with no sen when there is no
// amount.
func stageText(sts []Stage) string {
	var b strings.Builder
	for i, st := range sts {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(st.Stage)
		b.WriteByte(':')
		b.WriteString(st.ID)
		b.WriteByte(':')
		if st.Valid {
			b.WriteString(strconv.FormatInt(st.Amount, 10))
		}
	}
	return b.String()
}

// parseStages decodes stageText; nil when text is not one.
func parseStages(text string) []Stage {
	if text == "" {
		return nil
	}
	var out []Stage
	for part := range strings.SplitSeq(text, ";") {
		stage, rest, ok1 := strings.Cut(part, ":")
		id, sen, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 {
			return nil
		}
		st := Stage{Stage: stage, ID: id}
		if sen != "" {
			n, err := strconv.ParseInt(sen, 10, 64)
			if err != nil {
				return nil
			}
			st.Amount, st.Valid = n, true
		}
		out = append(out, st)
	}
	return out
}

// indexDoc is one document to index: its id and properties.
type indexDoc struct {
	id     string
	fields map[string]any
}

// documents yields the documents of partition p: one per record, or, for a
// staged dataset, one per line. A staged partition is read twice (recs
// must allow it, as partition.Read and slices do): once to learn each
// line's stages, once to index the lead records.
func documents(s *dataset.Schema, props []property, p Partition, recs iter.Seq2[dataset.Record, error]) iter.Seq2[indexDoc, error] {
	return func(yield func(indexDoc, error) bool) {
		if s.Detail {
			return // not searched; its partitions are only published
		}
		var lines map[lineSlot]*line
		var w *lineWalk
		if s.Staged() {
			var err error
			if lines, err = collectLines(s, p, recs); err != nil {
				yield(indexDoc{}, err)
				return
			}
			w = newLineWalk(s)
		}
		n := 0
		for rec, err := range recs {
			n++
			if err != nil {
				yield(indexDoc{}, fmt.Errorf("read record %d: %w", n, err))
				return
			}
			if err := belongs(s, p, rec); err != nil {
				yield(indexDoc{}, fmt.Errorf("record %d: %w", n, err))
				return
			}
			var sts []Stage
			if w != nil {
				k, st := w.slot(rec)
				ln := lines[k]
				if ln == nil || st.Stage != ln.lead {
					continue // indexed with its line's lead record
				}
				sts = ln.stages
			}
			id, doc := document(s, props, p, rec)
			if w != nil {
				names, ids := make([]string, len(sts)), make([]string, len(sts))
				for i, st := range sts {
					names[i], ids[i] = st.Stage, st.ID
				}
				doc[dataset.FieldStage] = names
				// The lead record put its own stage in the line's words.
				var text strings.Builder
				if w, ok := doc[fieldText].(string); ok {
					text.WriteString(w)
				}
				lead := rec[s.Index(dataset.FieldStage)].Str
				for _, n := range names {
					if n != lead {
						addWords(&text, n)
					}
				}
				doc[fieldText] = text.String()
				doc[fieldStageIDs] = ids
				doc[fieldStages] = stageText(sts)
			}
			if !yield(indexDoc{id, doc}, nil) {
				return
			}
		}
	}
}

// Line returns the stages of the budget line that the record with id
// belongs to, in the order of the year; nil when the index has no line
// with that record (another dataset, or not indexed yet).
func (ix *Index) Line(ctx context.Context, id string) ([]Stage, error) {
	q := bleve.NewTermQuery(id)
	q.SetField(fieldStageIDs)
	req := bleve.NewSearchRequestOptions(q, 1, 0, false)
	req.Fields = []string{fieldStages}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("find the line of %s: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return nil, nil
	}
	text, _ := res.Hits[0].Fields[fieldStages].(string)
	return parseStages(text), nil
}

// Locate returns the hit of the document that holds the record with id:
// the record itself, or, for a stage of a budget line, the line. Its
// dataset, region and year say which partition holds the record. ok is
// false when the index has no such record.
func (ix *Index) Locate(ctx context.Context, id string) (Hit, bool, error) {
	stage := bleve.NewTermQuery(id)
	stage.SetField(fieldStageIDs)
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(bleve.NewDocIDQuery([]string{id}), stage), 1, 0, false)
	req.Fields = ix.plan.stored
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return Hit{}, false, fmt.Errorf("locate %s: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return Hit{}, false, nil
	}
	return hit(res.Hits[0]), true, nil
}

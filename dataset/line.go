package dataset

import (
	"crypto/sha256"
	"slices"
)

// FieldStage names the stage of a budget record: murni, pergeseran,
// perubahan or realisasi. A schema whose key includes it publishes one
// record per stage of each budget line.
const FieldStage = "stage"

// Staged reports whether s publishes a record per stage of each line: its
// key includes FieldStage.
func (s *Schema) Staged() bool {
	return slices.Contains(s.Key, FieldStage)
}

// LineHash returns a hash of a record's key without its stage: the records
// of one budget line at each of its stages share it.
func (s *Schema) LineHash(r Record) [16]byte {
	h := sha256.New()
	for _, i := range s.keyIdx {
		if s.Fields[i].Name == FieldStage {
			continue
		}
		h.Write([]byte(s.Fields[i].Format(r[i])))
		h.Write([]byte{0x1f})
	}
	var k [16]byte
	copy(k[:], h.Sum(nil))
	return k
}

// Stages returns the stages of a budget line in the order of the year:
// murni, pergeseran, perubahan, realisasi.
func Stages() []string {
	return slices.Clone(budgetStages)
}

// LeadStage returns which of a line's stages speaks for it where the line
// is shown once (a search result): the latest budget stage, since it
// replaces the ones before it, and realisasi only for a line with no budget
// stage. Its amount is the line's amount for sorting, ranges and buckets.
func LeadStage(stages []string) string {
	lead := ""
	for _, st := range budgetStages[:len(budgetStages)-1] {
		if slices.Contains(stages, st) {
			lead = st
		}
	}
	if lead == "" && slices.Contains(stages, StageRealised) {
		return StageRealised
	}
	return lead
}

// StageRealised is the stage of what was actually spent or received.
const StageRealised = "realisasi"

package partition_test

import (
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/pipeline"
)

// validate reads a CSV feed into records as Terbuka's intake does, so the
// codec is tested on records real feeds make.
func validate(t *testing.T, meta pipeline.Meta, csv string) (*pipeline.Report, []dataset.Record) {
	t.Helper()
	rep := &pipeline.Report{}
	var recs []dataset.Record
	err := pipeline.Validate(t.Context(), strings.NewReader(csv), meta, dataset.LoadRegions(), rep, func(r dataset.Record) error {
		recs = append(recs, append(dataset.Record(nil), r...))
		return nil
	})
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	return rep, recs
}

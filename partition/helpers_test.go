package partition_test

import (
	"strings"
	"testing"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
)

// validate reads a CSV feed into records as Terbuka's intake does, so the
// codec is tested on records real feeds make.
func validate(t *testing.T, meta intake.Meta, csv string) (*intake.Report, []dataset.Record) {
	t.Helper()
	rep := &intake.Report{}
	var recs []dataset.Record
	err := intake.Validate(t.Context(), strings.NewReader(csv), meta, dataset.LoadRegions(), rep, func(r dataset.Record) error {
		recs = append(recs, append(dataset.Record(nil), r...))
		return nil
	})
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	return rep, recs
}

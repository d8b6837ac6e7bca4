package pipeline

import (
	"fmt"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
)

// A feed replaces what it covers, so its size is checked against what it
// replaces: an empty export or a truncated one sent by mistake must not
// delete a region's published data. The region says so when it means it.

// checkShrink refuses a feed that would remove more than half of the
// records it replaces (before: the live partition's rows, or its stage's),
// unless the region confirmed it.
func checkShrink(meta intake.Meta, before, after int64, rep *intake.Report) {
	if meta.Withdraw || meta.ConfirmShrink || before == 0 || after*2 >= before {
		return
	}
	what := dataset.Label{ID: "wilayah dan tahun ini", EN: "this region and year"}
	if meta.Stage != "" {
		what = dataset.Label{ID: "tahap " + meta.Stage, EN: "the " + meta.Stage + " stage"}
	}
	removed := before - after
	rep.AddError(intake.FileProblem("feed_shrink",
		fmt.Sprintf("berkas ini akan menghapus %d dari %d baris %s yang sudah terbit (tersisa %d); tidak ada yang diterbitkan. Bila memang demikian, kirim ulang dengan --confirm-shrink (?confirm_shrink=1, atau centang pilihannya di formulir)", removed, before, what.ID, after),
		fmt.Sprintf("this file would remove %d of the %d published rows of %s (leaving %d); nothing was published. If that is intended, send it again with --confirm-shrink (?confirm_shrink=1, or tick the option on the form)", removed, before, what.EN, after)))
}

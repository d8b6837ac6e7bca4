package intake

import "fmt"

// checkRowCount refuses a feed with no rows unless it is a withdrawal, and a
// withdrawal that has rows.
func checkRowCount(meta Meta, rep *Report) {
	switch {
	case rep.Rows == 0 && !meta.Withdraw:
		rep.AddError(FileProblem("feed_empty",
			"berkas hanya berisi judul kolom, tanpa satu baris data pun; tidak ada yang diterbitkan. Bila wilayah memang menarik data ini, kirim ulang dengan --withdraw (?withdraw=1, atau centang pilihannya di formulir)",
			"the file has a header and no data rows; nothing was published. If the region means to withdraw this data, send it again with --withdraw (?withdraw=1, or tick the option on the form)"))
	case rep.Rows > 0 && meta.Withdraw:
		rep.AddError(FileProblem("withdraw_rows",
			fmt.Sprintf("penarikan data (--withdraw) harus berupa berkas tanpa baris data; berkas ini berisi %d baris", rep.Rows),
			fmt.Sprintf("a withdrawal (--withdraw) must be a file with no data rows; this one has %d", rep.Rows)))
	}
}

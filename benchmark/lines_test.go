package benchmark

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/terbuka/terbuka/benchmark/anchor"
	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/demo"
)

const budgetHeader = "region_code,fiscal_year,stage,agency_code,agency_name,program_code,program_name,activity_code,activity_name,sub_activity_code,sub_activity_name,account_code,account_name,amount,description\n"

// budgetRow is a row of the budget files below, which differ in the year,
// the stage, the account code, the amount and the description.
func budgetRow(year, stage, account, amount, desc string) string {
	return "32.73," + year + "," + stage + ",1.02.0.00.0.00.01.0000,Dinas Kesehatan,1.02.02,Program Pemenuhan Upaya Kesehatan,1.02.02.2.01,Penyediaan Fasilitas,1.02.02.2.01.0014,Pengadaan Alat Kesehatan," +
		account + ",Belanja Alat Kedokteran," + amount + "," + desc + "\n"
}

// TestCountLines counts the lines of files written by hand, which the
// index's documents and PostgreSQL's table of lines are checked against.
func TestCountLines(t *testing.T) {
	dir := t.TempDir()
	write := func(name, rows string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(budgetHeader+rows), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	a, b, c, d := "5.2.02.03.01.0001", "5.2.02.03.01.0002", "5.2.02.03.01.0003", "5.2.02.03.01.0004"
	feeds := []demo.Feed{
		{Dataset: "budget", Region: "32.73", Year: 2024, Rows: 11, Path: write("budget_32.73_2024.csv",
			// Line a has every stage; b murni and realisasi; c only
			// realisasi; d is sent twice at murni, once at perubahan:
			// two lines. a with another description is another line.
			budgetRow("2024", "murni", a, "100", "")+budgetRow("2024", "pergeseran", a, "110", "")+budgetRow("2024", "perubahan", a, "120", "")+
				budgetRow("2024", "murni", b, "200", "")+budgetRow("2024", "realisasi", b, "190", "")+
				budgetRow("2024", "realisasi", c, "300", "")+
				budgetRow("2024", "murni", d, "400", "")+budgetRow("2024", "murni", d, "401", "")+budgetRow("2024", "perubahan", d, "410", "")+
				budgetRow("2024", "murni", a, "500", `"Tambahan, dua unit"`)+budgetRow("2024", "realisasi", a, "115", ""))},
		// The same key a year before is a line of its own.
		{Dataset: "budget", Region: "32.73", Year: 2023, Rows: 1, Path: write("budget_32.73_2023.csv", budgetRow("2023", "murni", a, "90", ""))},
		{Dataset: "procurement", Region: "32.73", Year: 2024, Rows: 5, Path: "not read"},
	}
	s, _ := dataset.Lookup("budget")
	tab, err := tableOf(s, []string{feeds[0].Path})
	if err != nil {
		t.Fatal(err)
	}
	got, err := countLines(tab, feeds)
	if err != nil {
		t.Fatal(err)
	}
	// a, b, c, d twice, a with a description (2024), a (2023).
	if want := (lineCount{lines: 7, repeats: 1}); got != want {
		t.Errorf("countLines = %+v, want %+v", got, want)
	}
	data := &Data{Feeds: feeds, Lines: map[string]int64{"budget": got.lines}}
	if n := data.documents(); n != 7+5 {
		t.Errorf("documents = %d, want 7 budget lines + 5 procurement rows", n)
	}
}

// TestLinesOf: the budget's rows make up lines by its key without the
// stage, led by the latest budget stage; procurement has no lines.
func TestLinesOf(t *testing.T) {
	budget, _ := dataset.Lookup("budget")
	want := &anchor.Lines{Table: "budget_lines",
		Key:   []string{"region_code", "fiscal_year", "agency_code", "agency_name", "program_code", "activity_code", "sub_activity_code", "account_code", "description"},
		Stage: "stage", Stages: []string{"murni", "pergeseran", "perubahan", "realisasi"}, Lead: []string{"perubahan", "pergeseran", "murni", "realisasi"}}
	if diff := cmp.Diff(linesOf(budget), want); diff != "" {
		t.Errorf("budget's lines (-got +want):\n%s", diff)
	}
	procurement, _ := dataset.Lookup("procurement")
	if l := linesOf(procurement); l != nil {
		t.Errorf("procurement's lines = %+v, want none", l)
	}
}

package pipeline

import (
	"strconv"
	"testing"
)

func TestMetaFromName(t *testing.T) {
	for name, want := range map[string]string{
		"budget_32.73_2024.csv":          "budget 32.73 2024",
		"budget_accounts_32.73_2021.csv": "budget_accounts 32.73 2021",
		"revenue_32_2024.xlsx":           "revenue 32 2024",
		"budget_accounts_2021.csv":       "",
		"_32.73_2024.csv":                "",
	} {
		m, err := MetaFromName("/inbox/" + name)
		got := ""
		if err == nil {
			got = m.Dataset + " " + m.Region + " " + strconv.Itoa(m.Year)
		}
		if got != want {
			t.Errorf("MetaFromName(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
}

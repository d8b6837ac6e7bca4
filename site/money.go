package site

import "github.com/terbuka/terbuka/dataset"

// budgetLinkNames are the values of a package's budget_link as pages name
// them (publisher/budgetlink.go says how a package is linked).
var budgetLinkNames = map[string]dataset.Label{
	"linked":    {ID: "Terhubung ke baris APBD", EN: "Linked to a budget line"},
	"unmatched": {ID: "MAK tidak cocok dengan APBD", EN: "MAK matches no budget line"},
	"no_mak":    {ID: "Tanpa MAK", EN: "No MAK"},
}

package intake

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// emittedCodes finds the problem codes written in the Go source of the
// packages that make problems: the Code of every Problem or FieldError
// literal, and the code argument of FileProblem, fieldErr and
// newReadError, wherever it is a string literal. Codes passed along in
// variables (ferr.Code) come from one of those.
func emittedCodes(t *testing.T, dirs ...string) map[string][]string {
	t.Helper()
	codeArg := map[string]int{"FileProblem": 0, "fieldErr": 0, "newReadError": 3}
	found := map[string][]string{} // code → where
	fset := token.NewFileSet()
	add := func(e ast.Expr) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		code, _ := strconv.Unquote(lit.Value)
		found[code] = append(found[code], fset.Position(lit.Pos()).String())
	}
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CompositeLit:
					if name := typeName(n.Type); name == "Problem" || name == "FieldError" {
						for _, el := range n.Elts {
							if kv, ok := el.(*ast.KeyValueExpr); ok && typeName(kv.Key) == "Code" {
								add(kv.Value)
							}
						}
					}
				case *ast.CallExpr:
					if i, ok := codeArg[typeName(n.Fun)]; ok && i < len(n.Args) {
						add(n.Args[i])
					}
				}
				return true
			})
		}
	}
	if len(found) < 40 {
		t.Fatalf("found only %d codes in %v; is the search still right?", len(found), dirs)
	}
	return found
}

// typeName is the name an identifier or a qualified identifier ends in.
func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

// TestEveryCodeHasAName fails when a problem code written in intake,
// pipeline or dataset has no readable name (CodeName), or a name is kept
// for a code nothing writes any more.
func TestEveryCodeHasAName(t *testing.T) {
	found := emittedCodes(t, ".", "../pipeline", "../dataset")
	for code, where := range found {
		if _, ok := codeNames[code]; !ok {
			t.Errorf("code %q (%s) has no name in codeNames", code, strings.Join(where, ", "))
		}
	}
	for _, code := range Codes() {
		if _, ok := found[code]; !ok {
			t.Errorf("codeNames names %q, which nothing writes", code)
		}
		if l := CodeName(code); l.ID == "" || l.EN == "" || l.ID == code {
			t.Errorf("code %q is named %+v", code, l)
		}
	}
}

// TestReportCodesHaveNames validates feeds with many kinds of problem and
// checks that each code their reports hold has a name: the codes as
// reports hold them, not only as the source spells them.
func TestReportCodesHaveNames(t *testing.T) {
	budget := "stage,agency_name,account_code,account_name,amount,description,id,kolom_lain\n"
	procurement := "package_id,title,agency_name,method,budget_ceiling,announced_at,contract_date\n"
	revenue := "period,kind,type_code,type_name,target,realized\n"
	feeds := []struct {
		meta Meta
		csv  string
	}{
		{bandung2024, ""},
		{bandung2024, budget},
		{bandung2024, "stage,agency_name,account_code,account_name,amount,alamat_penyedia,amount\n"},
		{bandung2024, budget +
			"final,Dinas Pendidikan,5.1.02.01.01.0024,ATK,1.500.000,,,\n" +
			"murni,,5.1.02.01.01.0024,ATK,1.500.000,,,\n" +
			"murni,Dinas Pendidikan,5.1.02.01.01.0024,ATK,satu juta,,,\n" +
			"murni,Dinas Pendidikan,5.1.02.01.01.0024,ATK,\"1,234\",,,\n" +
			"murni,Dinas Pendidikan,5.1.02.01.01.0024,ATK,1000.123,,,\n" +
			"murni,Dinas Pendidikan,5-1-02,ATK,1000,,,\n" +
			"murni,Dinas Pendidikan,5.1.02.01.01.0024,ATK,1000,NIK 3273012345670001,,\n" +
			"murni,Dinas Pendidikan,5.1.02.01.01.0024,ATK\n"},
		{Meta{Dataset: "procurement", Region: "32.73", Year: 2024}, procurement +
			"51554309,Jalan Desa,Dinas PUPR,tender,2.309.880.000,31/02/2024,2024-03-17\n" +
			"51554309,Jalan Desa,Dinas PUPR,lelang,2.309.880.000,kemarin,17/13/2024\n"},
		{Meta{Dataset: "procurement", Region: "32.73", Year: 2024}, "title,agency_name,budget_ceiling\nJalan,Dinas PUPR,1000\n"},
		{Meta{Dataset: "revenue", Region: "32.73", Year: 2024}, revenue +
			"0,pajak,XYZ,Pajak Entah Apa,1000,\n" +
			"0,retribusi,PBB-P2,Pajak Bumi dan Bangunan Perdesaan dan Perkotaan,1000,\n" +
			"13,pajak,PBB-P2,Pajak Bumi dan Bangunan Perdesaan dan Perkotaan,,\n"},
	}
	var seen []string
	for _, f := range feeds {
		rep, _ := validate(t, f.meta, f.csv)
		for code := range rep.ErrorCodes {
			seen = append(seen, code)
		}
		for code := range rep.WarningCodes {
			seen = append(seen, code)
		}
	}
	slices.Sort(seen)
	seen = slices.Compact(seen)
	if len(seen) < 15 {
		t.Fatalf("the feeds gave only the codes %v", seen)
	}
	t.Logf("codes met: %v", seen)
	var unnamed []string
	for _, code := range seen {
		if _, ok := codeNames[code]; !ok {
			unnamed = append(unnamed, code)
		}
	}
	if diff := cmp.Diff(unnamed, []string(nil)); diff != "" {
		t.Errorf("codes without a name (-got +want):\n%s", diff)
	}
}

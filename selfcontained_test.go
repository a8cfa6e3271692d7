package sigwatch_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// outsideData matches string literals that point tests at data outside the
// module: the project's shared test data and reference folders, and
// absolute paths under the development machine's /work. A fresh clone
// anywhere else has none of them. The pieces are joined so that this file
// does not match itself.
var outsideData = regexp.MustCompile(`shared/(test` + `data|reference)|(^|[^\w.-])/wo` + `rk(/|$)`)

// TestSelfContained checks that no Go file of the module names data outside
// it in a string literal. Comments may still cite where test data came from.
func TestSelfContained(t *testing.T) {
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "module github.com/sigwatch/sigwatch\n") {
		t.Fatalf("go.mod does not declare module github.com/sigwatch/sigwatch: not the module root")
	}
	fset := token.NewFileSet()
	files := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return fs.SkipDir
			}
			if path != "." {
				// A nested module is not part of this one.
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return fs.SkipDir
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || !d.Type().IsRegular() {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Errorf("%v", err)
			return nil
		}
		files++
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Errorf("%s: string literal %s: %v", fset.Position(lit.Pos()), lit.Value, err)
				return true
			}
			if m := outsideData.FindString(s); m != "" {
				t.Errorf("%s: string literal %s names data outside the module (%q); keep test data in the package's testdata/ or refer to another package's by a relative path",
					fset.Position(lit.Pos()), lit.Value, strings.TrimLeft(m, " \t\"'=:"))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The module has hundreds of Go files; a handful means the walk went wrong.
	if files < 100 {
		t.Errorf("checked only %d Go files", files)
	}
	t.Logf("%d Go files checked", files)
}

// The pattern catches the forms the tests used to have and leaves relative
// paths inside the module, and prose, alone.
func TestSelfContainedPattern(t *testing.T) {
	for s, want := range map[string]bool{
		"../../../shared/test" + "data/kev":                     true,
		"/wo" + "rk/shared/test" + "data/csaf/redhat/rhsa.json": true,
		"/wo" + "rk/main/go.mod":                                true,
		"file:///wo" + "rk/x":                                   true,
		"--dir=/wo" + "rk/tmp":                                  true,
		"/wo" + "rk":                                            true,
		"see shared/refer" + "ence/formats.md":                  true,
		"../../feeds/osvfeed/testdata/go-vulndb.zip":            false,
		"testdata/nvd-api-2.0":                                  false,
		"homework/notes":                                        false,
		"../work/x":                                             false,
		"/workspace/x":                                          false,
		"shared":                                                false,
		"the share" + "d test data":                             false,
		"https://example.com/wo" + "rk/x":                       false,
	} {
		if got := outsideData.MatchString(s); got != want {
			t.Errorf("outsideData.MatchString(%q) = %v, want %v", s, got, want)
		}
	}
}

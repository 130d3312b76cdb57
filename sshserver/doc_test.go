package sshserver

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// declared is every name a package declares, as the package doc would
// write it: Name for a top-level func, type, const or var, and Type.Name
// for a method or a struct field.
func declared(t *testing.T, dir string) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[d.Name.Name] = true
					continue
				}
				recv := d.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				if id, ok := recv.(*ast.Ident); ok {
					names[id.Name+"."+d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = true
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fld := range st.Fields.List {
								for _, n := range fld.Names {
									names[s.Name.Name+"."+n.Name] = true
								}
							}
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[n.Name] = true
						}
					}
				}
			}
		}
	}
	return names
}

// The package doc names only what exists: every pkg.Name, Type.Member and
// camel-case name in doc.go is declared where the doc says.
func TestDocNamesRealIdentifiers(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Doc.Text()
	pkgs := map[string]map[string]bool{
		"sshserver": declared(t, "."),
		"tui":       declared(t, filepath.Join("..", "tui")),
		"wire":      declared(t, filepath.Join("..", "wire")),
		"domain":    declared(t, filepath.Join("..", "domain")),
		"directory": declared(t, filepath.Join("..", "directory")),
		"importer":  declared(t, filepath.Join("..", "importer")),
		"textsafe":  declared(t, filepath.Join("..", "textsafe")),
		"timezones": declared(t, filepath.Join("..", "timezones")),
	}
	// "tui.New", "Server.Serve", "Config.ShutdownGrace"; and camel case
	// with more than one hump: "LoadHostKey", "auditingCreator".
	dotted := regexp.MustCompile(`\b([A-Za-z]\w*)\.([A-Za-z]\w*)\b`)
	camel := regexp.MustCompile(`\b(?:[a-z]+|[A-Z][a-z]+)(?:[A-Z][a-z]+)+\b`)
	checked := 0
	for _, m := range dotted.FindAllStringSubmatch(doc, -1) {
		checked++
		if names, ok := pkgs[m[1]]; ok {
			if !names[m[2]] {
				t.Errorf("the package doc names %s: package %s declares no %s", m[0], m[1], m[2])
			}
		} else if !pkgs["sshserver"][m[0]] {
			t.Errorf("the package doc names %s: sshserver declares no such method or field", m[0])
		}
	}
	for _, name := range camel.FindAllString(dotted.ReplaceAllString(doc, ""), -1) {
		checked++
		if !pkgs["sshserver"][name] {
			t.Errorf("the package doc names %s: sshserver declares no %s", name, name)
		}
	}
	if checked == 0 {
		t.Fatal("found no names in the package doc to check")
	}
}

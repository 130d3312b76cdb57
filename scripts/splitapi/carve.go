package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/imports"
)

// Carve moves top-level declarations of one file of the old package into
// another file of it (new or not), before anything is type-checked, so that a
// file holding two jobs can go to two packages. Decls are names: "Classify",
// "pacer" (a type), "pacer.wait" (a method).
type Carve struct {
	From  string   `toml:"from"`
	Into  string   `toml:"into"`
	Decls []string `toml:"decls"`
}

// carve applies the carves to the files of dir and returns the new content of
// every file it changed or made (absolute path -> content); nothing is written.
func carve(dir string, carves []Carve) (map[string][]byte, error) {
	out := map[string][]byte{}
	read := func(p string) ([]byte, bool, error) {
		if b, ok := out[p]; ok {
			return b, true, nil
		}
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			return nil, false, nil
		}
		return b, err == nil, err
	}
	for _, c := range carves {
		from, into := filepath.Join(dir, c.From), filepath.Join(dir, c.Into)
		src, ok, err := read(from)
		if err != nil || !ok {
			return nil, fmt.Errorf("carve: %s: %v", c.From, err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, from, src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		tf := fset.File(f.Pos())
		type span struct{ start, end int }
		var spans []span
		var missing []string
		for _, want := range c.Decls {
			found := false
			for _, d := range f.Decls {
				var doc *ast.CommentGroup
				name := ""
				switch d := d.(type) {
				case *ast.FuncDecl:
					doc, name = d.Doc, d.Name.Name
					if d.Recv != nil && len(d.Recv.List) == 1 {
						name = recvName(d.Recv.List[0].Type) + "." + name
					}
				case *ast.GenDecl:
					if d.Tok == token.IMPORT || len(d.Specs) != 1 {
						continue
					}
					doc = d.Doc
					switch s := d.Specs[0].(type) {
					case *ast.TypeSpec:
						name = s.Name.Name
					case *ast.ValueSpec:
						if len(s.Names) == 1 {
							name = s.Names[0].Name
						}
					}
				}
				if name != want {
					continue
				}
				start := tf.Offset(d.Pos())
				if doc != nil {
					start = tf.Offset(doc.Pos())
				}
				end := tf.Offset(d.End())
				for end < len(src) && src[end] != '\n' {
					end++
				}
				for end < len(src) && src[end] == '\n' {
					end++
				}
				spans = append(spans, span{start, end})
				found = true
			}
			if !found {
				missing = append(missing, want)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("carve: no top-level %s in %s (a grouped declaration cannot be carved)", strings.Join(missing, ", "), c.From)
		}
		slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
		var rest, moved bytes.Buffer
		at := 0
		for _, s := range spans {
			rest.Write(src[at:s.start])
			moved.Write(src[s.start:s.end])
			at = s.end
		}
		rest.Write(src[at:])
		// The imports of From go with the declarations; unused ones are dropped.
		var imps bytes.Buffer
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				imps.Write(src[tf.Offset(g.Pos()):tf.Offset(g.End())])
				imps.WriteString("\n")
			}
		}
		dst, exists, err := read(into)
		if err != nil {
			return nil, err
		}
		var nb bytes.Buffer
		if exists {
			df, err := parser.ParseFile(token.NewFileSet(), into, dst, parser.ImportsOnly)
			if err != nil {
				return nil, err
			}
			// after the package clause and its imports
			end := df.Name.End()
			if n := len(df.Decls); n > 0 {
				end = df.Decls[n-1].End()
			}
			cut := int(end) - int(df.FileStart)
			nb.Write(dst[:cut])
			nb.WriteString("\n\n")
			nb.Write(imps.Bytes())
			nb.Write(dst[cut:])
			nb.WriteString("\n")
			nb.Write(moved.Bytes())
		} else {
			fmt.Fprintf(&nb, "package %s\n\n", f.Name.Name)
			nb.Write(imps.Bytes())
			nb.WriteString("\n")
			nb.Write(moved.Bytes())
		}
		a, err := imports.Process(from, rest.Bytes(), &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: false})
		if err != nil {
			return nil, fmt.Errorf("carve %s: %w", c.From, err)
		}
		b, err := imports.Process(into, nb.Bytes(), &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: false})
		if err != nil {
			return nil, fmt.Errorf("carve into %s: %w\n%s", c.Into, err, nb.Bytes())
		}
		out[from], out[into] = a, b
	}
	return out, nil
}

func recvName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return recvName(e.X)
	case *ast.Ident:
		return e.Name
	case *ast.IndexExpr:
		return recvName(e.X)
	}
	return ""
}

// Command splitapi splits the package api into the packages a mapping file
// names, on a tree that compiles, by what the type checker knows rather than by
// guesses: every reference to a package-level object of api, in every package of
// the module and in its tests, is rewritten to the object's new home; a moved
// file's unqualified use of an object that went elsewhere is qualified; a
// qualified use that now lives in the object's own package loses its qualifier.
// Unexported names used across the new boundaries are exported (capitalised)
// when nothing clashes, and listed. Files move with git mv, package clauses and
// imports are written from the type information, each new package gets the doc
// comment the mapping gives it, and the mapping's text edits fix the paths that
// name the old directory (CI scripts, testdata, README).
//
// Run it from the repository root, on a clean tree:
//
//	go run -C scripts/splitapi . -root ../.. -n        # the plan, nothing touched
//	go run -C scripts/splitapi . -root ../..           # do it
//
// It refuses (and touches nothing) when a file of api is in no package of the
// mapping, when the new packages would import each other in a cycle, when a
// method would leave its type, when a test-only name would have to cross
// packages, when an exported name would clash, or when a new package's name
// already means something where it would be written.
//
// To fit the mapping to a tree whose api has changed, try it on api alone
// (seconds, not minutes) until it passes, then run it for real:
//
//	go run -C scripts/splitapi . -root ../.. -n -pkgs ./api/... -graph
//
// -graph lists, file by file, the uses that cross the new packages: what to
// carve, or which package a new file belongs to.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/tools/go/packages"
)

// Mapping is the mapping file: which file of the old package goes where.
type Mapping struct {
	// From is the directory of the package to split, relative to the root.
	From    string    `toml:"from"`
	Drop    []string  `toml:"drop"`    // files of From deleted (its doc.go)
	Package []Package `toml:"package"` // the new packages
	Move    []Move    `toml:"move"`    // whole sub-packages that move
	Edit    []Edit    `toml:"edit"`    // text fixes applied after the move
	Docs    []string  `toml:"docs"`    // non-Go files whose "api.Name" mentions follow the names
	// Paths are text files where "api/<entry>" follows its entry (moved Go
	// files are always included).
	Paths []string `toml:"paths"`
	// TestCopy copies a test helper into a test file of another package.
	TestCopy []TestCopy `toml:"testcopy"`
	// Carve moves declarations between files of From first.
	Carve []Carve `toml:"carve"`
}

// TestCopy is a test-only function that tests of two new packages use: Into
// gets its own copy, since a test file cannot be imported.
type TestCopy struct {
	Name string `toml:"name"`
	From string `toml:"from"`
	Into string `toml:"into"`
}

// Package is one new package.
type Package struct {
	Name  string   `toml:"name"`
	Dir   string   `toml:"dir"`
	Doc   string   `toml:"doc"`
	Files []string `toml:"files"` // relative to From; Go files, other files, directories
}

// Move is a whole directory (a sub-package) that moves; its import path follows.
type Move struct {
	From string `toml:"from"`
	To   string `toml:"to"`
}

// Edit is one literal replacement in a file (its path after the move); it must
// match at least once.
type Edit struct {
	File string `toml:"file"`
	Old  string `toml:"old"`
	New  string `toml:"new"`
	// Regexp: Old is a regular expression (Go syntax) and New may use $1.
	Regexp bool `toml:"regexp"`
}

var (
	root    = flag.String("root", ".", "the repository root (where go.mod is)")
	mapFile = flag.String("map", "", "the mapping file (default: mapping.toml beside this program, under root/scripts/splitapi)")
	dryRun  = flag.Bool("n", false, "print the plan and what would be exported; change nothing")
	pattern = flag.String("pkgs", "./...", "with -n: the packages to load (./api/... is enough to try a mapping)")
	graph   = flag.Bool("graph", false, "with -n: list, file by file, the uses that cross the new packages")
)

func main() {
	flag.Parse()
	if *pattern != "./..." && !*dryRun {
		fmt.Fprintln(os.Stderr, "splitapi: -pkgs is for trying a mapping with -n; a real run loads ./...")
		os.Exit(2)
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "splitapi:", err)
		os.Exit(1)
	}
}

// edit is one replacement of the bytes [start,end) of a file.
type edit struct {
	start, end int
	text       string
}

type fileState struct {
	path    string // absolute, before the move
	src     []byte
	syntax  *ast.File
	pkg     *packages.Package
	edits   []edit
	needs   map[string]string // import path -> name needed
	dropApi bool              // the import of api goes
	keepApi bool              // some use still qualified by api
}

type objKey struct {
	file string
	off  int
}

func run() error {
	rootAbs, err := filepath.Abs(*root)
	if err != nil {
		return err
	}
	if *mapFile == "" {
		*mapFile = filepath.Join(rootAbs, "scripts", "splitapi", "mapping.toml")
	}
	raw, err := os.ReadFile(*mapFile)
	if err != nil {
		return err
	}
	var m Mapping
	dec := toml.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return fmt.Errorf("%s: %w", *mapFile, err)
	}
	modPath, err := modulePath(rootAbs)
	if err != nil {
		return err
	}
	apiPath := modPath + "/" + m.From
	fromAbs := filepath.Join(rootAbs, m.From)

	// Every entry of From must be placed: a file of a package, dropped, or a
	// moved sub-package.
	home := map[string]int{} // base name in From -> package index
	for i, p := range m.Package {
		for _, f := range p.Files {
			if _, dup := home[f]; dup {
				return fmt.Errorf("mapping: %s is in two packages", f)
			}
			home[f] = i
		}
	}
	placed := map[string]bool{}
	for _, d := range m.Drop {
		placed[d] = true
	}
	for _, mv := range m.Move {
		rel, err := filepath.Rel(m.From, mv.From)
		if err != nil || strings.HasPrefix(rel, "..") {
			return fmt.Errorf("mapping: move %s is not under %s", mv.From, m.From)
		}
		placed[rel] = true
	}
	overlay, err := carve(fromAbs, m.Carve)
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(fromAbs)
	if err != nil {
		return err
	}
	for p := range overlay {
		if _, err := os.Stat(p); err != nil {
			entries = append(entries, fakeEntry(filepath.Base(p)))
		}
	}
	var unplaced []string
	for _, e := range entries {
		n := e.Name()
		if _, ok := home[n]; ok || placed[n] {
			continue
		}
		if e.IsDir() {
			// a directory may be placed piecewise: testdata/x in one package, testdata/y in another
			sub, _ := os.ReadDir(filepath.Join(fromAbs, n))
			all := len(sub) > 0
			for _, s := range sub {
				if _, ok := home[n+"/"+s.Name()]; !ok {
					all = false
					unplaced = append(unplaced, n+"/"+s.Name())
				}
			}
			if all {
				continue
			}
			if len(sub) == 0 {
				unplaced = append(unplaced, n+"/")
			}
			continue
		}
		unplaced = append(unplaced, n)
	}
	for f := range home {
		if _, carved := overlay[filepath.Join(fromAbs, f)]; carved {
			continue
		}
		if _, err := os.Stat(filepath.Join(fromAbs, f)); err != nil {
			return fmt.Errorf("mapping names %s/%s, which is not there", m.From, f)
		}
	}
	if len(unplaced) > 0 {
		sort.Strings(unplaced)
		return fmt.Errorf("these entries of %s/ are in no package of %s; add each to a package's files (or to drop):\n  %s",
			m.From, *mapFile, strings.Join(unplaced, "\n  "))
	}

	pkgPath := func(i int) string { return modPath + "/" + m.Package[i].Dir }

	// Load everything, tests too.
	fmt.Fprintln(os.Stderr, "splitapi: type-checking the module with its tests…")
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedTypes |
			packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedCompiledGoFiles,
		Dir:     rootAbs,
		Tests:   true,
		Overlay: overlay,
	}
	pkgs, err := packages.Load(cfg, strings.Fields(*pattern)...)
	if err != nil {
		return err
	}
	var loadErrs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			loadErrs = append(loadErrs, e.Error())
		}
	})
	if len(loadErrs) > 0 {
		return fmt.Errorf("the tree does not compile; fix it first:\n  %s", strings.Join(loadErrs, "\n  "))
	}

	// homeOf: the package index of a file of From (by its absolute path), or -1.
	homeOf := func(filename string) int {
		if filepath.Dir(filename) != fromAbs {
			return -1
		}
		if i, ok := home[filepath.Base(filename)]; ok {
			return i
		}
		return -1
	}
	isTestFile := func(filename string) bool { return strings.HasSuffix(filename, "_test.go") }
	isAPI := func(obj types.Object) bool {
		return obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == apiPath
	}
	isAPIExt := func(obj types.Object) bool {
		return obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == apiPath+"_test"
	}
	pkgLevel := func(obj types.Object) bool {
		return obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope()
	}
	keyOf := func(fset *token.FileSet, obj types.Object) objKey {
		p := fset.Position(obj.Pos())
		return objKey{p.Filename, p.Offset}
	}

	// The files, each once (a file is in a package and in its test variant).
	files := map[string]*fileState{}
	var order []string
	for _, p := range pkgs {
		for i, f := range p.Syntax {
			name := p.CompiledGoFiles[i]
			if _, seen := files[name]; seen || !strings.HasPrefix(name, rootAbs+string(filepath.Separator)) {
				continue
			}
			src, ok := overlay[name]
			if !ok {
				if src, err = os.ReadFile(name); err != nil {
					return err
				}
			}
			files[name] = &fileState{path: name, src: src, syntax: f, pkg: p, needs: map[string]string{}}
			order = append(order, name)
		}
	}
	sort.Strings(order)

	// newPkg is where a file ends up: (package index or -1, external test).
	type place struct {
		idx  int
		test bool // external test package
		path string
	}
	placeOf := func(fs *fileState) place {
		if i := homeOf(fs.path); i >= 0 {
			return place{i, strings.HasSuffix(fs.syntax.Name.Name, "_test"), pkgPath(i)}
		}
		return place{-1, false, fs.pkg.PkgPath}
	}

	// Pass 1: which unexported objects cross a boundary, which test-only ones
	// would, and the import graph of the new packages.
	var problems []string
	export := map[objKey]string{} // object -> its exported name
	exportWhy := map[objKey]string{}
	methodNames := map[string]bool{} // unexported method names to export, every method of that name
	edges := map[[2]int]string{}
	testEdges := map[[2]int]string{} // of internal test files: must not come back
	fileDeps := map[string]bool{}
	for _, name := range order {
		fs := files[name]
		pl := placeOf(fs)
		if pl.idx < 0 {
			continue
		}
		info := fs.pkg.TypesInfo
		fset := fs.pkg.Fset
		for id, obj := range info.Uses {
			if fset.Position(id.Pos()).Filename != name {
				continue
			}
			if !isAPI(obj) && !isAPIExt(obj) {
				continue
			}
			declFile := fset.Position(obj.Pos()).Filename
			h := homeOf(declFile)
			if h < 0 {
				continue // universe, or a file not in From
			}
			if isTestFile(declFile) {
				if slices.ContainsFunc(m.TestCopy, func(c TestCopy) bool {
					return c.Name == obj.Name() && c.Into == filepath.Base(name) && c.From == filepath.Base(declFile)
				}) {
					continue
				}
				declTest := isAPIExt(obj)
				if h != pl.idx || declTest != pl.test {
					problems = append(problems, fmt.Sprintf("%s (test-only, %s) is used by %s: put both files in one package",
						obj.Name(), filepath.Base(declFile), filepath.Base(name)))
				}
				continue
			}
			if h != pl.idx || pl.test {
				if pkgLevel(obj) && h != pl.idx {
					why := fmt.Sprintf("%s uses %s", filepath.Base(name), obj.Name())
					if !isTestFile(name) {
						edges[[2]int{pl.idx, h}] = why
					} else if !pl.test {
						testEdges[[2]int{pl.idx, h}] = why
					}
					if *graph {
						fileDeps[filepath.Base(name)+" -> "+filepath.Base(declFile)] = true
					}
				}
				if !obj.Exported() && obj.Name() != "_" {
					k := keyOf(fset, obj)
					if _, done := export[k]; !done {
						export[k] = upper(obj.Name())
						exportWhy[k] = fmt.Sprintf("%s.%s (%s) used in %s (%s)", m.Package[h].Name, obj.Name(),
							filepath.Base(declFile), filepath.Base(name), m.Package[pl.idx].Name+map[bool]string{true: "_test"}[pl.test])
					}
					if f, ok := obj.(*types.Func); ok && f.Signature().Recv() != nil {
						methodNames[obj.Name()] = true
					}
				}
			}
		}
	}
	// A method stays with its type.
	for _, name := range order {
		fs := files[name]
		if homeOf(name) < 0 {
			continue
		}
		for _, d := range fs.syntax.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil {
				continue
			}
			f, _ := fs.pkg.TypesInfo.Defs[fd.Name].(*types.Func)
			if f == nil {
				continue
			}
			t := f.Signature().Recv().Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := types.Unalias(t).(*types.Named); ok {
				tfile := fs.pkg.Fset.Position(n.Obj().Pos()).Filename
				if h := homeOf(tfile); h >= 0 && h != homeOf(name) {
					problems = append(problems, fmt.Sprintf("method %s.%s (%s) must go where its type goes (%s, in %s)",
						n.Obj().Name(), f.Name(), filepath.Base(name), filepath.Base(tfile), m.Package[h].Name))
				}
			}
		}
	}
	// A method's new name goes to every method of that name in From, so that
	// interfaces are still satisfied.
	if len(methodNames) > 0 {
		for _, name := range order {
			fs := files[name]
			if homeOf(name) < 0 {
				continue
			}
			for id, obj := range fs.pkg.TypesInfo.Defs {
				if obj == nil || !methodNames[obj.Name()] || fs.pkg.Fset.Position(id.Pos()).Filename != name {
					continue
				}
				if f, ok := obj.(*types.Func); ok && (f.Signature().Recv() != nil || isIfaceMethod(f)) {
					k := keyOf(fs.pkg.Fset, obj)
					if _, ok := export[k]; !ok {
						export[k] = upper(obj.Name())
						exportWhy[k] = fmt.Sprintf("method %s (%s): another method of that name is used across packages", obj.Name(), filepath.Base(name))
					}
				}
			}
		}
	}
	// Clashes: the exported name must be free where the object lives.
	fieldOwner := map[*types.Var]*types.Named{}
	for _, p := range pkgs {
		if p.PkgPath != apiPath && p.PkgPath != apiPath+"_test" {
			continue
		}
		for _, n := range p.Types.Scope().Names() {
			tn, ok := p.Types.Scope().Lookup(n).(*types.TypeName)
			if !ok {
				continue
			}
			named, ok := tn.Type().(*types.Named)
			if !ok {
				continue
			}
			if st, ok := named.Underlying().(*types.Struct); ok {
				for i := range st.NumFields() {
					fieldOwner[st.Field(i)] = named
				}
			}
		}
	}
	for _, name := range order {
		fs := files[name]
		if homeOf(name) < 0 {
			continue
		}
		for id, obj := range fs.pkg.TypesInfo.Defs {
			if obj == nil || fs.pkg.Fset.Position(id.Pos()).Filename != name {
				continue
			}
			k := keyOf(fs.pkg.Fset, obj)
			nn, ok := export[k]
			if !ok {
				continue
			}
			if nn == obj.Name() || !utf8.ValidString(nn) {
				problems = append(problems, fmt.Sprintf("cannot export %s", obj.Name()))
				continue
			}
			if pkgLevel(obj) {
				if other := obj.Pkg().Scope().Lookup(nn); other != nil && homeOf(fs.pkg.Fset.Position(other.Pos()).Filename) == homeOf(name) {
					problems = append(problems, fmt.Sprintf("cannot export %s as %s: %s already names something in %s",
						obj.Name(), nn, nn, filepath.Base(fs.pkg.Fset.Position(other.Pos()).Filename)))
				}
				continue
			}
			if f, ok := obj.(*types.Func); ok && f.Signature().Recv() != nil {
				if o, _, _ := types.LookupFieldOrMethod(f.Signature().Recv().Type(), true, obj.Pkg(), nn); o != nil {
					problems = append(problems, fmt.Sprintf("cannot export method %s as %s: the type already has %s", obj.Name(), nn, nn))
				}
			}
			if v, ok := obj.(*types.Var); ok && v.IsField() {
				if owner := fieldOwner[v]; owner != nil {
					if o, _, _ := types.LookupFieldOrMethod(owner, true, obj.Pkg(), nn); o != nil {
						problems = append(problems, fmt.Sprintf("cannot export field %s.%s as %s: the type already has %s", owner.Obj().Name(), obj.Name(), nn, nn))
					}
				}
				if v.Embedded() {
					problems = append(problems, fmt.Sprintf("cannot export the embedded field %s (%s): export its type by hand first", obj.Name(), filepath.Base(name)))
				}
			}
		}
	}
	// Cycles among the new packages.
	if cyc := findCycle(len(m.Package), edges); cyc != nil {
		var b strings.Builder
		for i := range cyc {
			a, c := cyc[i], cyc[(i+1)%len(cyc)]
			fmt.Fprintf(&b, "\n  %s -> %s (%s)", m.Package[a].Name, m.Package[c].Name, edges[[2]int{a, c}])
		}
		problems = append(problems, "the new packages would import each other in a cycle:"+b.String())
	}

	// An internal test may not import a package that imports its own.
	for e, why := range testEdges {
		if reaches(len(m.Package), edges, e[1], e[0]) {
			problems = append(problems, fmt.Sprintf("import cycle in the tests of %s: %s, and %s imports %s", m.Package[e[0]].Name, why, m.Package[e[1]].Name, m.Package[e[0]].Name))
		}
	}
	if *graph {
		var fd []string
		for d := range fileDeps {
			fd = append(fd, d)
		}
		sort.Strings(fd)
		fmt.Println("# across packages, file by file\n  " + strings.Join(fd, "\n  "))
	}

	// The plan.
	fmt.Println("# new packages and what they import of each other")
	var es []string
	for e, why := range edges {
		es = append(es, fmt.Sprintf("  %s -> %s\t(e.g. %s)", m.Package[e[0]].Name, m.Package[e[1]].Name, why))
	}
	sort.Strings(es)
	fmt.Println(strings.Join(es, "\n"))
	fmt.Println("# exported because they cross a boundary")
	var ex []string
	for k, why := range exportWhy {
		ex = append(ex, fmt.Sprintf("  %s -> %s", why, export[k]))
	}
	sort.Strings(ex)
	fmt.Println(strings.Join(ex, "\n"))
	if len(problems) > 0 {
		slices.Sort(problems)
		problems = slices.Compact(problems)
		return errors.New("refusing, nothing changed:\n  " + strings.Join(problems, "\n  "))
	}

	// Pass 2: the rewrites.
	apiNames := map[string]int{} // exported package-level names of api -> home, for comments and docs
	allNames := map[string]int{} // every package-level name of api -> home, for symbols
	for _, p := range pkgs {
		if p.PkgPath != apiPath && p.PkgPath != apiPath+"_test" {
			continue
		}
		for _, n := range p.Types.Scope().Names() {
			obj := p.Types.Scope().Lookup(n)
			h := homeOf(p.Fset.Position(obj.Pos()).Filename)
			if h < 0 {
				continue
			}
			if obj.Exported() {
				apiNames[n] = h
			}
			if p.PkgPath == apiPath {
				allNames[n] = h
				if nn, ok := export[keyOf(p.Fset, obj)]; ok {
					allNames[nn] = h
				}
			}
		}
	}
	// rewrite gives the edits of the node of fs as if it were written in a file
	// at pl (whose imports are target's), offsets from base.
	rewrite := func(fs *fileState, node ast.Node, pl place, target *fileState, base int) []edit {
		var edits []edit
		info := fs.pkg.TypesInfo
		fset := fs.pkg.Fset
		tf := fset.File(fs.syntax.Pos())
		off := func(p token.Pos) int { return tf.Offset(p) - base }
		nameOf := func(obj types.Object) string {
			if nn, ok := export[keyOf(fset, obj)]; ok {
				return nn
			}
			return obj.Name()
		}
		qual := func(h int, at token.Pos) string {
			n := m.Package[h].Name
			// The name must mean the package wherever it is written.
			if sc := fs.pkg.Types.Scope().Innermost(at); sc != nil {
				if _, o := sc.LookupParent(n, at); o != nil {
					if pn, ok := o.(*types.PkgName); !ok || pn.Imported().Path() != pkgPath(h) {
						problems = append(problems, fmt.Sprintf("%s: %s already names something here; the package %s needs another name",
							fset.Position(at), n, pkgPath(h)))
					}
				}
			}
			target.needs[pkgPath(h)] = n
			return n
		}
		handled := map[*ast.Ident]bool{}
		ast.Inspect(node, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec:
				p, _ := strconv.Unquote(n.Path.Value)
				if p == apiPath {
					target.dropApi = true
				}
				for _, mv := range m.Move {
					if p == modPath+"/"+mv.From || strings.HasPrefix(p, modPath+"/"+mv.From+"/") {
						np := modPath + "/" + mv.To + strings.TrimPrefix(p, modPath+"/"+mv.From)
						edits = append(edits, edit{off(n.Path.Pos()), off(n.Path.End()), strconv.Quote(np)})
					}
				}
				return false
			case *ast.SelectorExpr:
				x, ok := n.X.(*ast.Ident)
				if !ok {
					return true
				}
				pn, ok := info.Uses[x].(*types.PkgName)
				if ok && pn.Imported().Path() != apiPath && target != fs {
					// a copied helper takes the imports it uses
					target.needs[pn.Imported().Path()] = pn.Name()
				}
				if !ok || pn.Imported().Path() != apiPath {
					return true
				}
				obj := info.Uses[n.Sel]
				handled[x], handled[n.Sel] = true, true
				h := homeOf(fset.Position(obj.Pos()).Filename)
				if h < 0 {
					target.keepApi = true
					return false
				}
				if h == pl.idx && !pl.test {
					edits = append(edits, edit{off(n.Pos()), off(n.End()), nameOf(obj)})
				} else {
					edits = append(edits, edit{off(n.Pos()), off(n.End()), qual(h, n.Pos()) + "." + nameOf(obj)})
				}
				return false
			case *ast.Ident:
				if handled[n] {
					return false
				}
				obj := info.Uses[n]
				def := false
				if obj == nil {
					obj, def = info.Defs[n], true
				}
				if obj == nil || !(isAPI(obj) || isAPIExt(obj)) {
					return false
				}
				declFile := fset.Position(obj.Pos()).Filename
				h := homeOf(declFile)
				if h < 0 {
					return false
				}
				if isTestFile(declFile) && slices.ContainsFunc(m.TestCopy, func(c TestCopy) bool {
					return c.Name == obj.Name() && c.Into == filepath.Base(target.path) && c.From == filepath.Base(declFile)
				}) {
					return false // the file has its own copy
				}
				nn := nameOf(obj)
				if !def && pkgLevel(obj) && pl.idx >= 0 && (h != pl.idx || pl.test && isAPI(obj)) {
					edits = append(edits, edit{off(n.Pos()), off(n.End()), qual(h, n.Pos()) + "." + nn})
				} else if nn != n.Name {
					edits = append(edits, edit{off(n.Pos()), off(n.End()), nn})
				}
				return false
			}
			return true
		})
		return edits
	}
	for _, name := range order {
		fs := files[name]
		fs.edits = append(fs.edits, rewrite(fs, fs.syntax, placeOf(fs), fs, 0)...)
	}
	// Test helpers copied where another package's tests need them.
	for _, c := range m.TestCopy {
		src, dst := files[filepath.Join(fromAbs, c.From)], files[filepath.Join(fromAbs, c.Into)]
		if src == nil || dst == nil {
			return fmt.Errorf("testcopy %s: %s or %s is not a Go file of %s", c.Name, c.From, c.Into, m.From)
		}
		var decl ast.Decl
		for _, d := range src.syntax.Decls {
			if f, ok := d.(*ast.FuncDecl); ok && f.Recv == nil && f.Name.Name == c.Name {
				decl = f
			}
		}
		if decl == nil {
			return fmt.Errorf("testcopy: no func %s in %s", c.Name, c.From)
		}
		tf := src.pkg.Fset.File(src.syntax.Pos())
		start := tf.Offset(decl.Pos())
		if fd := decl.(*ast.FuncDecl); fd.Doc != nil {
			start = tf.Offset(fd.Doc.Pos())
		}
		end := tf.Offset(decl.End())
		text, err := apply(src.src[start:end], rewrite(src, decl, placeOf(dst), dst, start))
		if err != nil {
			return fmt.Errorf("testcopy %s: %w", c.Name, err)
		}
		sep := ""
		if strings.HasPrefix(string(text), "//") {
			sep = "//\n"
		}
		copied := fmt.Sprintf("\n// %s is a copy of the one in %s/%s: test files cannot be imported.\n%s%s\n", c.Name, m.Package[placeOf(src).idx].Dir, c.From, sep, text)
		dst.edits = append(dst.edits, edit{len(dst.src), len(dst.src), copied})
	}
	// "api.Name" in comments follows the name.
	mention := regexp.MustCompile(`\bapi\.([A-Z][A-Za-z0-9_]*)`)
	for _, name := range order {
		fs := files[name]
		pl := placeOf(fs)
		tf := fs.pkg.Fset.File(fs.syntax.Pos())
		for _, cg := range fs.syntax.Comments {
			for _, c := range cg.List {
				base := tf.Offset(c.Pos())
				for _, loc := range mention.FindAllStringSubmatchIndex(c.Text, -1) {
					h, ok := apiNames[c.Text[loc[2]:loc[3]]]
					if !ok {
						continue
					}
					repl := m.Package[h].Name + "."
					if h == pl.idx && !pl.test {
						repl = ""
					}
					fs.edits = append(fs.edits, edit{base + loc[0], base + loc[2], repl})
				}
			}
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		problems = slices.Compact(problems)
		return errors.New("refusing, nothing changed:\n  " + strings.Join(problems, "\n  "))
	}

	// Package clauses, imports, the new text of every changed file.
	out := map[string][]byte{} // path before the move -> new content
	for _, name := range order {
		fs := files[name]
		pl := placeOf(fs)
		tf := fs.pkg.Fset.File(fs.syntax.Pos())
		if pl.idx >= 0 {
			want := m.Package[pl.idx].Name
			if pl.test {
				want += "_test"
			}
			fs.edits = append(fs.edits, edit{tf.Offset(fs.syntax.Name.Pos()), tf.Offset(fs.syntax.Name.End()), want})
			if fs.syntax.Doc != nil && strings.HasPrefix(fs.syntax.Doc.Text(), "Package ") {
				fs.edits = append(fs.edits, edit{tf.Offset(fs.syntax.Doc.Pos()), tf.Offset(fs.syntax.Doc.End()) + 1, ""})
			}
			if !pl.test {
				delete(fs.needs, pkgPath(pl.idx)) // never import itself (an external test does)
			}
		}
		if len(fs.edits) == 0 && !fs.dropApi {
			continue
		}
		if err := importEdits(fs, tf, apiPath, modPath); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		text, err := apply(fs.src, fs.edits)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		pretty, err := format.Source(text)
		if err != nil {
			return fmt.Errorf("%s: the rewrite does not parse: %w\n%s", name, err, text)
		}
		out[name] = pretty
	}

	if *dryRun {
		fmt.Printf("# would rewrite %d files, move %d\n", len(out), len(home))
		return nil
	}

	// Write, then move.
	for name, text := range overlay {
		if _, isNew := os.Stat(name); isNew != nil {
			if err := os.WriteFile(name, text, 0o644); err != nil {
				return err
			}
			if err := exec.Command("git", "-C", rootAbs, "add", name).Run(); err != nil {
				return fmt.Errorf("git add %s: %w", name, err)
			}
		}
		if _, done := out[name]; !done {
			out[name] = text
		}
	}
	for name, text := range out {
		if err := os.WriteFile(name, text, 0o644); err != nil {
			return err
		}
	}
	git := func(args ...string) error {
		cmd := exec.Command("git", args...)
		cmd.Dir = rootAbs
		cmd.Stderr = os.Stderr
		return cmd.Run()
	}
	for i, p := range m.Package {
		if err := os.MkdirAll(filepath.Join(rootAbs, p.Dir), 0o755); err != nil {
			return err
		}
		for _, f := range p.Files {
			dst := filepath.Join(p.Dir, f)
			if err := os.MkdirAll(filepath.Dir(filepath.Join(rootAbs, dst)), 0o755); err != nil {
				return err
			}
			if err := git("mv", filepath.Join(m.From, f), dst); err != nil {
				return fmt.Errorf("git mv %s: %w", f, err)
			}
		}
		doc := filepath.Join(rootAbs, p.Dir, "doc.go")
		if _, err := os.Stat(doc); err == nil {
			return fmt.Errorf("%s exists; the mapping writes each package's doc.go", doc)
		}
		text := commentOut(p.Doc) + "package " + p.Name + "\n"
		if err := os.WriteFile(doc, []byte(text), 0o644); err != nil {
			return err
		}
		if err := git("add", doc); err != nil {
			return err
		}
		_ = i
	}
	for _, d := range m.Drop {
		if err := git("rm", "-q", filepath.Join(m.From, d)); err != nil {
			return err
		}
	}
	for _, mv := range m.Move {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(rootAbs, mv.To)), 0o755); err != nil {
			return err
		}
		if err := git("mv", mv.From, mv.To); err != nil {
			return err
		}
	}
	// Text edits, on the paths after the move; each must match.
	var missed []string
	for _, e := range m.Edit {
		p := filepath.Join(rootAbs, e.File)
		b, err := os.ReadFile(p)
		if err != nil {
			missed = append(missed, fmt.Sprintf("%s: %v", e.File, err))
			continue
		}
		var nb []byte
		if e.Regexp {
			re, err := regexp.Compile(e.Old)
			if err != nil {
				return fmt.Errorf("mapping: edit of %s: %w", e.File, err)
			}
			if re.Match(b) {
				nb = re.ReplaceAll(b, []byte(e.New))
			}
		} else if bytes.Contains(b, []byte(e.Old)) {
			nb = bytes.ReplaceAll(b, []byte(e.Old), []byte(e.New))
		}
		if nb == nil {
			missed = append(missed, fmt.Sprintf("%s: %q not found", e.File, e.Old))
			continue
		}
		if strings.HasSuffix(p, ".go") {
			if pretty, err := format.Source(nb); err == nil {
				nb = pretty
			} else {
				missed = append(missed, fmt.Sprintf("%s: the edit does not parse: %v", e.File, err))
			}
		}
		if err := os.WriteFile(p, nb, 0o644); err != nil {
			return err
		}
	}
	// "api.Name" in the documents.
	for _, d := range m.Docs {
		p := filepath.Join(rootAbs, d)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b = mention.ReplaceAllFunc(b, func(s []byte) []byte {
			if h, ok := apiNames[string(s[4:])]; ok {
				return []byte(m.Package[h].Name + "." + string(s[4:]))
			}
			return s
		})
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	// "api/<entry>" in the texts that name paths, and in the moved Go files.
	type rename struct{ old, new string }
	var renames []rename
	for _, p := range m.Package {
		for _, f := range p.Files {
			renames = append(renames, rename{m.From + "/" + f, p.Dir + "/" + f})
		}
	}
	for _, mv := range m.Move {
		renames = append(renames, rename{mv.From, mv.To})
	}
	sort.Slice(renames, func(i, j int) bool { return len(renames[i].old) > len(renames[j].old) })
	pathFiles := slices.Clone(m.Paths)
	pathFiles = append(pathFiles, m.Docs...)
	for _, p := range m.Package {
		for _, f := range p.Files {
			if strings.HasSuffix(f, ".go") {
				pathFiles = append(pathFiles, filepath.Join(p.Dir, f))
			}
		}
	}
	for _, name := range order {
		if homeOf(name) < 0 {
			if rel, err := filepath.Rel(rootAbs, name); err == nil && !strings.HasPrefix(rel, m.From+string(filepath.Separator)) {
				pathFiles = append(pathFiles, rel)
			}
		}
	}
	for _, mv := range m.Move {
		for _, name := range order {
			if rel, err := filepath.Rel(filepath.Join(rootAbs, mv.From), name); err == nil && !strings.HasPrefix(rel, "..") {
				pathFiles = append(pathFiles, filepath.Join(mv.To, rel))
			}
		}
	}
	slices.Sort(pathFiles)
	pathFiles = slices.Compact(pathFiles)
	symbol := regexp.MustCompile(regexp.QuoteMeta(modPath+"/"+m.From) + `\.(\(\*)?([A-Za-z_][A-Za-z0-9_]*)`)
	for _, pf := range pathFiles {
		full := filepath.Join(rootAbs, pf)
		b, err := os.ReadFile(full)
		if err != nil {
			missed = append(missed, fmt.Sprintf("%s: %v", pf, err))
			continue
		}
		nb := b
		for _, r := range renames {
			nb = pathMention(nb, r.old, r.new)
		}
		// symbols, as pprof and the runtime print them:
		// enerflo-onboard/api.(*Directory).Wait, enerflo-onboard/api/fakeenerflo.New
		for _, mv := range m.Move {
			nb = bytes.ReplaceAll(nb, []byte(modPath+"/"+mv.From+"."), []byte(modPath+"/"+mv.To+"."))
		}
		nb = symbol.ReplaceAllFunc(nb, func(s []byte) []byte {
			sub := symbol.FindSubmatch(s)
			if h, ok := allNames[string(sub[2])]; ok {
				return []byte(modPath + "/" + m.Package[h].Dir + "." + string(sub[1]) + string(sub[2]))
			}
			return s
		})
		if !bytes.Equal(nb, b) {
			if err := os.WriteFile(full, nb, 0o644); err != nil {
				return err
			}
		}
	}
	if len(missed) > 0 {
		return errors.New("done, but these edits of the mapping matched nothing (fix by hand):\n  " + strings.Join(missed, "\n  "))
	}
	fmt.Fprintf(os.Stderr, "splitapi: rewrote %d files, moved %d entries, exported %d names\n", len(out), len(home), len(export))
	removeEmptyDirs(fromAbs)
	return nil
}

// reaches reports whether package to is reachable from package from.
func reaches(n int, edges map[[2]int]string, from, to int) bool {
	seen := make([]bool, n)
	var walk func(int) bool
	walk = func(v int) bool {
		if v == to {
			return true
		}
		if seen[v] {
			return false
		}
		seen[v] = true
		for e := range edges {
			if e[0] == v && walk(e[1]) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

func isIfaceMethod(f *types.Func) bool {
	return f.Signature().Recv() != nil && types.IsInterface(f.Signature().Recv().Type())
}

// importEdits drops the import of api when nothing is left qualified by it and
// adds the imports the rewrite needs, next to it or in the first import block.
func importEdits(fs *fileState, tf *token.File, apiPath, modPath string) error {
	var paths []string
	for p := range fs.needs {
		paths = append(paths, p)
	}
	for _, imp := range fs.syntax.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if i := slices.Index(paths, p); i >= 0 {
			paths = slices.Delete(paths, i, i+1) // already imported
		}
	}
	sort.Strings(paths)
	var lines strings.Builder
	for _, p := range paths {
		fmt.Fprintf(&lines, "\t%q\n", p)
	}
	add := lines.String()
	for _, imp := range fs.syntax.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if p != apiPath || fs.keepApi {
			continue
		}
		start, end := tf.Offset(imp.Pos()), tf.Offset(imp.End())
		if imp.Name != nil {
			start = tf.Offset(imp.Name.Pos())
		}
		// the spec's own line
		for start > 0 && fs.src[start-1] != '\n' {
			start--
		}
		for end < len(fs.src) && fs.src[end] != '\n' {
			end++
		}
		if end < len(fs.src) {
			end++
		}
		decl := enclosingImportDecl(fs.syntax, imp)
		if decl != nil && !decl.Lparen.IsValid() {
			// import "enerflo-onboard/api"
			fs.edits = append(fs.edits, edit{tf.Offset(decl.Pos()), tf.Offset(decl.End()), "import (\n" + add + ")"})
		} else {
			fs.edits = append(fs.edits, edit{start, end, add})
		}
		return nil
	}
	if add == "" {
		return nil
	}
	for _, d := range fs.syntax.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		if g.Lparen.IsValid() {
			// beside the last import when it is not the standard library's
			// (format.Source sorts the group), else a group of their own
			last := g.Specs[len(g.Specs)-1].(*ast.ImportSpec)
			lp, _ := strconv.Unquote(last.Path.Value)
			if first, _, _ := strings.Cut(lp, "/"); strings.Contains(first, ".") || first == modPath {
				at := tf.Offset(last.End())
				fs.edits = append(fs.edits, edit{at, at, "\n" + strings.TrimSuffix(add, "\n")})
			} else {
				at := tf.Offset(g.Rparen)
				fs.edits = append(fs.edits, edit{at, at, "\n" + add})
			}
		} else {
			at := tf.Offset(g.Pos())
			fs.edits = append(fs.edits, edit{at, at, "import (\n" + add + ")\n"})
		}
		return nil
	}
	at := tf.Offset(fs.syntax.Name.End())
	fs.edits = append(fs.edits, edit{at, at, "\n\nimport (\n" + add + ")\n"})
	return nil
}

func enclosingImportDecl(f *ast.File, spec *ast.ImportSpec) *ast.GenDecl {
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT && slices.Contains(g.Specs, ast.Spec(spec)) {
			return g
		}
	}
	return nil
}

// apply makes the edits, which must not overlap (identical ones count once).
func apply(src []byte, edits []edit) ([]byte, error) {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end < edits[j].end
	})
	edits = slices.Compact(edits)
	var b bytes.Buffer
	at := 0
	for _, e := range edits {
		if e.start < at {
			return nil, fmt.Errorf("overlapping rewrites at byte %d", e.start)
		}
		b.Write(src[at:e.start])
		b.WriteString(e.text)
		at = e.end
	}
	b.Write(src[at:])
	return b.Bytes(), nil
}

func upper(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// commentOut turns the mapping's doc text into a // comment.
func commentOut(doc string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(doc), "\n") {
		if l == "" {
			b.WriteString("//\n")
		} else {
			b.WriteString("// " + l + "\n")
		}
	}
	return b.String()
}

func modulePath(root string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "module" {
			return f[1], nil
		}
	}
	return "", errors.New("go.mod names no module")
}

// findCycle returns the packages of one import cycle, or nil.
func findCycle(n int, edges map[[2]int]string) []int {
	adj := make([][]int, n)
	for e := range edges {
		adj[e[0]] = append(adj[e[0]], e[1])
	}
	state := make([]int, n) // 0 new, 1 on stack, 2 done
	var stack []int
	var cyc []int
	var dfs func(int) bool
	dfs = func(v int) bool {
		state[v] = 1
		stack = append(stack, v)
		for _, w := range adj[v] {
			if state[w] == 1 {
				i := slices.Index(stack, w)
				cyc = slices.Clone(stack[i:])
				return true
			}
			if state[w] == 0 && dfs(w) {
				return true
			}
		}
		stack = stack[:len(stack)-1]
		state[v] = 2
		return false
	}
	for v := range n {
		if state[v] == 0 && dfs(v) {
			return cyc
		}
	}
	return nil
}

// fakeEntry is a file a carve makes, for the check that every file is placed.
type fakeEntry string

func (f fakeEntry) Name() string               { return string(f) }
func (f fakeEntry) IsDir() bool                { return false }
func (f fakeEntry) Type() os.FileMode          { return 0 }
func (f fakeEntry) Info() (os.FileInfo, error) { return nil, os.ErrNotExist }

// pathMention replaces the path old by new where it stands as a path: not
// inside a longer name ("/api/v1/users" is no mention of api/v1).
func pathMention(b []byte, old, new string) []byte {
	var out bytes.Buffer
	for {
		i := bytes.Index(b, []byte(old))
		if i < 0 {
			out.Write(b)
			return out.Bytes()
		}
		j := i + len(old)
		before := i == 0 || !isPathByte(b[i-1])
		after := j == len(b) || !isPathByte(b[j])
		out.Write(b[:i])
		if before && after {
			out.WriteString(new)
		} else {
			out.Write(b[i:j])
		}
		b = b[j:]
	}
}

func isPathByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// removeEmptyDirs removes dir and the directories under it that the moves left
// empty.
func removeEmptyDirs(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() {
			removeEmptyDirs(filepath.Join(dir, e.Name()))
		}
	}
	if rest, err := os.ReadDir(dir); err == nil && len(rest) == 0 {
		os.Remove(dir)
	}
}

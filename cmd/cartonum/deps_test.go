package main

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOnlyServeImportsHTTP: the commands other than serve (import,
// analyse, download…) reach the data through the services and the
// generation package, never through the HTTP API's package.
func TestOnlyServeImportsHTTP(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "serve.go" {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "github.com/cartonum/cartonum/internal/httpapi" {
				t.Errorf("%s imports %s: only serve.go may", name, path)
			}
		}
	}
}

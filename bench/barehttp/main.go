// Command barehttp is the Go standard library's own ceiling for
// bench/nginx-compare.sh: a bare net/http handler answering the tiles that
// the script wrote to disk (ROOT/tiles/…/y.mvt.gz) from a map in memory,
// with their gzip bytes and the headers a cached tile needs, 204 for any
// other path. No router, no middleware, no request id, no metrics: what
// Cartonum's tile route costs above it is Cartonum's; what it costs above
// nginx is Go's HTTP server.
//
//	go run ./bench/barehttp ROOT 127.0.0.1:PORT
package main

import (
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: barehttp ROOT ADDR")
		os.Exit(2)
	}
	root := os.Args[1]
	tiles := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".gz") {
			return err
		}
		b, err := os.ReadFile(p)
		tiles[filepath.ToSlash(strings.TrimSuffix(strings.TrimPrefix(p, root), ".gz"))] = b
		return err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cacheControl := []string{"public, max-age=31536000, immutable"}
	contentType := []string{"application/vnd.mapbox-vector-tile"}
	gzip := []string{"gzip"}
	lengths := map[string][]string{}
	for p, b := range tiles {
		lengths[p] = []string{strconv.Itoa(len(b))}
	}
	err = http.ListenAndServe(os.Args[2], http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := tiles[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h := w.Header()
		h["Cache-Control"] = cacheControl
		h["Content-Type"] = contentType
		h["Content-Encoding"] = gzip
		h["Content-Length"] = lengths[r.URL.Path]
		w.Write(b)
	}))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

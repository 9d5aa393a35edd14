// Package web holds the built front end (web/dist, filled by `make web`)
// embedded into the binary. The TypeScript sources, the build script and
// the tests live beside it; only dist/README.txt is versioned in dist/, so
// that a fresh clone builds (and the server answers 503 until `make web`).
package web

import "embed"

// Dist is the content of web/dist: index.html, assets/ with hashed names,
// and a .gz and a .br beside every text file.
//
//go:embed all:dist
var Dist embed.FS

// Package testmirror locates the data mirror for the tests of internal
// packages and commands: $CARTONUM_DATA_MIRROR (set by the Makefile), or
// ../shared/data beside the module. Under CI the mirror must be there: its
// absence fails the test instead of skipping it. (tiles/ and analysis/ stay
// free of internal imports and carry their own copy of this rule.)
package testmirror

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the mirror directory, skipping the test when it is missing
// outside CI and failing it under CI.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("CARTONUM_DATA_MIRROR")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "communes-32.geojson")); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("data mirror missing under CI: %v", err)
		}
		tb.Skipf("data mirror not found (%v); set CARTONUM_DATA_MIRROR", err)
	}
	return dir
}

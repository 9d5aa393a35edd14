package main

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/cartonum/cartonum/analysis"
)

// TestAnalyseValidates: the analyse command applies the API's range
// check (analysis.Params.Validate) before it opens anything.
func TestAnalyseValidates(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"threshold below", Config{ThresholdMin: -5}},
		{"threshold above", Config{ThresholdMin: 500}},
		{"speed above", Config{SpeedKmh: 1000}},
		{"circuity below", Config{Circuity: 0.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Level, tc.cfg.Format, tc.cfg.DB = "commune", "csv", t.TempDir()+"/absent.db"
			var pe *analysis.ParamError
			if err := runAnalyse(context.Background(), tc.cfg, io.Discard); !errors.As(err, &pe) {
				t.Fatalf("error %v, want a *analysis.ParamError", err)
			}
		})
	}
}

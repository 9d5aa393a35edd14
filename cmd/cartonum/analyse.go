package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// runAnalyse writes the indicator table of one level for batch use: the
// same figures as GET /api/indicators.
func runAnalyse(ctx context.Context, cfg Config, stdout io.Writer) error {
	p := analysis.DefaultParams()
	if cfg.ThresholdMin != 0 {
		p.ThresholdMin = cfg.ThresholdMin
	}
	if cfg.SpeedKmh != 0 {
		p.SpeedKmh = cfg.SpeedKmh
	}
	if cfg.Circuity != 0 {
		p.Circuity = cfg.Circuity
	}
	if err := p.Validate(); err != nil {
		return err
	}
	for _, pair := range []struct {
		raw   string
		vocab *cartonum.Vocabulary
		dst   *[]string
	}{{cfg.Services, cartonum.Services, &p.Services}, {cfg.Dispositifs, cartonum.Dispositifs, &p.Dispositifs}} {
		for _, v := range strings.Split(pair.raw, "|") {
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			c, ok := pair.vocab.Canonical(v)
			if !ok {
				return fmt.Errorf("valeur %[2]q inconnue pour %[1]s (valeurs : %[3]s)", pair.vocab.Field, v, strings.Join(pair.vocab.Values, " | "))
			}
			*pair.dst = append(*pair.dst, c)
		}
	}
	p.Profile = strings.ToLower(strings.TrimSpace(cfg.Profile))
	if err := analysis.CheckProfile(p.Profile); err != nil {
		return err
	}
	if cfg.Mix != "" {
		if p.Profile != analysis.ProfileMix {
			return fmt.Errorf("--mix ne vaut qu'avec --profil %s", analysis.ProfileMix)
		}
		mix, err := analysis.ParseMix(cfg.Mix)
		if err != nil {
			return err
		}
		p.Mix = mix
	}
	switch cfg.Level {
	case analysis.LevelCommune, analysis.LevelEPCI, analysis.LevelDepartement, analysis.LevelRegion, analysis.LevelNational:
		// national: Rows refuses it when the database holds one region.
	default:
		return fmt.Errorf("niveau %q invalide : commune, epci, departement, region ou national", cfg.Level)
	}
	if cfg.Format != "csv" && cfg.Format != "json" {
		return fmt.Errorf("format %q invalide : csv ou json", cfg.Format)
	}
	db, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	snap, err := loadSnapshot(ctx, db)
	if err != nil {
		return err
	}
	if len(snap.Communes()) == 0 {
		return fmt.Errorf("%s ne contient aucune commune : lancez d'abord cartonum import", cfg.DB)
	}
	start := time.Now()
	demand, err := loadDemand(ctx, db)
	if err != nil {
		return err
	}
	gcfg := generation.Config{NoTiles: true, Demand: demand}
	if err := cfg.Travel.useRouting(&gcfg, db, slog.New(slog.NewTextHandler(os.Stderr, nil))); err != nil {
		return err
	}
	gen, err := generation.Build(ctx, snap, gcfg)
	if err != nil {
		return err
	}
	res, err := gen.Compute(ctx, p)
	if err != nil {
		return err
	}
	rows, err := gen.Rows(res, cfg.Level)
	if err != nil {
		return err
	}
	w := stdout
	if cfg.Out != "" && cfg.Out != "-" {
		f, err := os.Create(cfg.Out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	if cfg.Format == "csv" {
		err = generation.WriteCSV(w, res.Params, rows)
	} else {
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		err = enc.Encode(map[string]any{"params": res.Params, "level": cfg.Level, "items": rows})
	}
	if err == nil && cfg.Out != "" && cfg.Out != "-" {
		fmt.Fprintf(os.Stderr, "%d lignes (%s) écrites dans %s en %s\n", len(rows), cfg.Level, cfg.Out, time.Since(start).Round(time.Millisecond))
	}
	return err
}

package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/osrm"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// TravelConfig is the routing engine of serve and analyse.
type TravelConfig struct {
	OSRM           string        // base URL of an OSRM server; empty: crow-fly
	K              int           // nearest places asked per demand point
	CutoffKm       float64       // straight-line distance beyond which nothing is asked
	Timeout        time.Duration // of one request to the engine
	MaxCoordinates int           // sources + destinations of one request
	Concurrency    int           // requests in flight
}

// envFloat returns the number in CARTONUM_<name>, or def when it is unset;
// a value that is not a number is an error of checkEnv.
func envFloat(getenv func(string) string, name string, def float64) float64 {
	if f, err := strconv.ParseFloat(env(getenv, name, ""), 64); err == nil {
		return f
	}
	return def
}

// travelFlags adds the routing engine's flags.
func travelFlags(fs *flag.FlagSet, t *TravelConfig, getenv func(string) string) {
	fs.StringVar(&t.OSRM, "osrm", env(getenv, "OSRM", ""), "URL of an OSRM server (osrm-routed, car profile), e.g. http://localhost:5000: travel times and distances on the road network instead of crow-fly; empty: crow-fly (CARTONUM_OSRM)")
	fs.IntVar(&t.K, "osrm-k", envInt(getenv, "OSRM_K", analysis.DefaultRoutingK), "places asked per demand point: its nearest by straight line (CARTONUM_OSRM_K)")
	fs.Float64Var(&t.CutoffKm, "osrm-cutoff-km", envFloat(getenv, "OSRM_CUTOFF_KM", analysis.DefaultRoutingCutoffKm), "straight-line distance in km beyond which no place is asked (CARTONUM_OSRM_CUTOFF_KM)")
	fs.DurationVar(&t.Timeout, "osrm-timeout", envDuration(getenv, "OSRM_TIMEOUT", 10*time.Second), "time limit of one request to OSRM (CARTONUM_OSRM_TIMEOUT)")
	fs.IntVar(&t.MaxCoordinates, "osrm-max-table", envInt(getenv, "OSRM_MAX_TABLE", 100), "sources plus destinations of one request, at most osrm-routed's --max-table-size (CARTONUM_OSRM_MAX_TABLE)")
	fs.IntVar(&t.Concurrency, "osrm-concurrency", envInt(getenv, "OSRM_CONCURRENCY", 4), "requests to OSRM in flight at once (CARTONUM_OSRM_CONCURRENCY)")
}

// check validates the routing settings.
func (t *TravelConfig) check() error {
	if t.OSRM == "" {
		return nil
	}
	switch {
	case t.K < 1 || t.K > 100:
		return fmt.Errorf("--osrm-k %d : entre 1 et 100", t.K)
	case !(t.CutoffKm >= 1 && t.CutoffKm <= 300):
		return fmt.Errorf("--osrm-cutoff-km %g : entre 1 et 300 km", t.CutoffKm)
	case t.Timeout <= 0:
		return fmt.Errorf("--osrm-timeout %s : une durée positive est attendue", t.Timeout)
	case t.MaxCoordinates < 2:
		return fmt.Errorf("--osrm-max-table %d : 2 au moins", t.MaxCoordinates)
	case t.Concurrency < 1:
		return fmt.Errorf("--osrm-concurrency %d : 1 au moins", t.Concurrency)
	}
	_, err := osrm.New(osrm.Config{URL: t.OSRM})
	return err
}

// useRouting sets the routing engine of cfg (nothing when --osrm is
// empty), its trips cached in db.
func (t *TravelConfig) useRouting(cfg *generation.Config, db *sqlite.DB, logger *slog.Logger) error {
	if t.OSRM == "" {
		return nil
	}
	c, err := osrm.New(osrm.Config{URL: t.OSRM, MaxCoordinates: t.MaxCoordinates, Concurrency: t.Concurrency, Timeout: t.Timeout})
	if err != nil {
		return err
	}
	cfg.Routing = &analysis.Routing{Engine: c, Name: "osrm", Host: c.Host(), K: t.K, CutoffKm: t.CutoffKm,
		MaxCoordinates: t.MaxCoordinates, Concurrency: t.Concurrency}
	store := db.TripStore(c.Key(), logger)
	cfg.TripCache = func(v int64) analysis.TripCache { return store.ForVersion(v) }
	logger.Info("travel on the road network", "osrm", c.Host(), "k", t.K, "cutoff_km", t.CutoffKm)
	return nil
}

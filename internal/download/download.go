// Package download produces, for one French région or for all of them
// (AllRegions), the four input files of Cartonum from their official online
// sources: the communes with contours
// and population (geo.api.gouv.fr), the départements contours (Etalab's
// contours-administratifs), the EPCI and their members (the npm package
// @etalab/decoupage-administratif) and the national file of digital-inclusion
// places (data.gouv.fr).
//
// The files have the shapes of the development mirror (../shared/data):
//
//	communes-<R>.geojson      FeatureCollection as answered by geo.api.gouv.fr
//	                          (R is the région code, or "all" for France)
//	departements-<R>.geojson  FeatureCollection, properties code and nom
//	epci-<R>.json             [{code, nom, type, population, membres: [codes]}]
//	lieux-<R>-v1.csv          the places CSV, as published (national)
//
// Fetch validates everything it downloads and installs the four files only
// when all of them are ready, so that a failed run leaves the destination as
// it was.
package download

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Default source addresses. They are the official publications; tests and
// mirrors override them through Sources.
const (
	// DefaultGeoAPI is the base URL of the French government's geographic
	// API, which answers the communes of a région with contours.
	DefaultGeoAPI = "https://geo.api.gouv.fr"

	// DefaultContours is the national départements contours file (IGN Admin
	// Express simplified at 100 m, WGS84) published by Etalab; yearly
	// folders exist, the year is part of the URL.
	DefaultContours = "https://etalab-datasets.geo.data.gouv.fr/contours-administratifs/2024/geojson/departements-100m.geojson"

	// DefaultNPMRegistry is the npm registry that serves the package
	// @etalab/decoupage-administratif, source of the EPCI and their members.
	DefaultNPMRegistry = "https://registry.npmjs.org"

	// DefaultPlaces is the stable data.gouv.fr link to the CSV resource of the
	// national dataset "Lieux de médiation numérique sur le territoire
	// national" (ANCT, standard of digital-inclusion places, v1 schema). The
	// link redirects to the latest upload of the resource; if the publisher
	// replaces the resource by a new one, the link must be updated, or
	// overridden by the user.
	DefaultPlaces = "https://www.data.gouv.fr/api/1/datasets/r/398edc71-0d51-4cb6-9cbe-2540a4db573c"

	// DefaultMaxBytes caps each download (after HTTP decompression) and each
	// file read from the npm tarball.
	DefaultMaxBytes int64 = 512 << 20

	// DefaultMaxBytesAll is the cap of AllRegions, whose communes answer
	// holds the contours of France's ~35,000 communes.
	DefaultMaxBytesAll int64 = 4 * DefaultMaxBytes
)

// AllRegions is the Region of Options that fetches every région: the
// national answer of geo.api.gouv.fr (communes-all.geojson), every
// département and EPCI.
const AllRegions = "all"

// npmPackage is the npm package that carries the EPCI data.
const npmPackage = "@etalab/decoupage-administratif"

// Sources holds the base URLs of the official sources. A zero field means the
// default.
type Sources struct {
	GeoAPI      string // base URL of geo.api.gouv.fr, default DefaultGeoAPI
	Contours    string // URL of the national départements GeoJSON, default DefaultContours
	NPMRegistry string // base URL of an npm registry, default DefaultNPMRegistry
	Places      string // URL of the national places CSV, default DefaultPlaces
}

// DefaultSources returns the official sources.
func DefaultSources() Sources {
	return Sources{
		GeoAPI:      DefaultGeoAPI,
		Contours:    DefaultContours,
		NPMRegistry: DefaultNPMRegistry,
		Places:      DefaultPlaces,
	}
}

// withDefaults fills the zero fields of s with the defaults.
func (s Sources) withDefaults() Sources {
	d := DefaultSources()
	if s.GeoAPI == "" {
		s.GeoAPI = d.GeoAPI
	}
	if s.Contours == "" {
		s.Contours = d.Contours
	}
	if s.NPMRegistry == "" {
		s.NPMRegistry = d.NPMRegistry
	}
	if s.Places == "" {
		s.Places = d.Places
	}
	return s
}

// validate checks that every source is an absolute http or https URL.
func (s Sources) validate() error {
	for _, f := range []struct{ name, value string }{
		{"GeoAPI", s.GeoAPI},
		{"Contours", s.Contours},
		{"NPMRegistry", s.NPMRegistry},
		{"Places", s.Places},
	} {
		if err := checkHTTPURL(f.value); err != nil {
			return invalidInput("source %s: %v", f.name, err)
		}
	}
	return nil
}

// Options configures Fetch.
type Options struct {
	// Region is the INSEE code of the région, two digits: "32"
	// (Hauts-de-France), "11" (Île-de-France), "01" to "06" overseas; or
	// AllRegions.
	Region string
	// Dest is the directory that receives the files; it is created if
	// needed.
	Dest string
	// Sources are the source URLs; zero fields take the defaults.
	Sources Sources
	// Client makes the requests; nil means a client without timeout, the
	// caller's context bounding each run.
	Client *http.Client
	// Logger receives progress and warnings; nil discards them.
	Logger *slog.Logger
	// MaxBytes caps each download; zero means DefaultMaxBytes
	// (DefaultMaxBytesAll for AllRegions).
	MaxBytes int64
}

// Files holds the paths of the files Fetch wrote.
type Files struct {
	Communes     string
	Departements string
	EPCI         string
	Places       string
}

// FileNames returns the paths of the four files of region in dir, the names
// Fetch writes and the mirror uses.
func FileNames(dir, region string) Files {
	return Files{
		Communes:     filepath.Join(dir, "communes-"+region+".geojson"),
		Departements: filepath.Join(dir, "departements-"+region+".geojson"),
		EPCI:         filepath.Join(dir, "epci-"+region+".json"),
		Places:       filepath.Join(dir, "lieux-"+region+"-v1.csv"),
	}
}

// regionCode matches INSEE région codes: two digits, overseas régions
// included ("01" Guadeloupe … "06" Mayotte).
var regionCode = regexp.MustCompile(`^\d{2}$`)

// ValidateRegion reports whether code has the form of a région code, or is
// AllRegions. The error is of kind cartonum.KindInvalid.
func ValidateRegion(code string) error {
	if regionCode.MatchString(code) || code == AllRegions {
		return nil
	}
	if len(code) == 3 && strings.HasPrefix(code, "97") {
		return invalidInput("region code %q looks like an overseas département; overseas régions are 01 to 06", code)
	}
	return invalidInput("region code %q: want two digits, such as 32 or 01", code)
}

// Fetch downloads and validates the files of o.Region from o.Sources and
// writes them into o.Dest. The files are first written to temporary files in
// o.Dest and renamed into place only when all four are valid; on error no
// file is left behind and existing files are untouched (except if one of the
// final renames itself fails, which can leave the files renamed before it
// replaced). The context bounds the whole run: give it a deadline.
func Fetch(ctx context.Context, o Options) (Files, error) {
	if err := ValidateRegion(o.Region); err != nil {
		return Files{}, err
	}
	if o.Dest == "" {
		return Files{}, invalidInput("destination directory is empty")
	}
	src := o.Sources.withDefaults()
	if err := src.validate(); err != nil {
		return Files{}, err
	}
	if err := os.MkdirAll(o.Dest, 0o755); err != nil {
		return Files{}, fmt.Errorf("create destination: %w", err)
	}

	f := &fetcher{client: o.Client, log: o.Logger, max: o.MaxBytes}
	if f.client == nil {
		f.client = &http.Client{}
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	if f.max <= 0 {
		f.max = DefaultMaxBytes
		if o.Region == AllRegions {
			f.max = DefaultMaxBytesAll
		}
	}
	f.log = f.log.With("region", o.Region)

	files := FileNames(o.Dest, o.Region)
	st := &stage{dir: o.Dest}
	defer st.cleanup()

	communes, err := f.communes(ctx, st, src.GeoAPI, o.Region, files.Communes)
	if err != nil {
		return Files{}, fmt.Errorf("communes of region %s: %w", o.Region, err)
	}
	if err := f.departements(ctx, st, src.Contours, communes, files.Departements); err != nil {
		return Files{}, fmt.Errorf("départements of region %s: %w", o.Region, err)
	}
	if err := f.epci(ctx, st, src.NPMRegistry, communes, files.EPCI); err != nil {
		return Files{}, fmt.Errorf("EPCI of region %s: %w", o.Region, err)
	}
	if err := f.places(ctx, st, src.Places, communes, files.Places); err != nil {
		return Files{}, fmt.Errorf("places: %w", err)
	}
	if err := st.commit(); err != nil {
		return Files{}, err
	}
	f.log.Info("download complete", "dir", o.Dest)
	return files, nil
}

// checkHTTPURL reports whether raw is an absolute http or https URL.
func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return nil
}

// invalidInput returns an error of kind cartonum.KindInvalid, for options the
// caller got wrong.
func invalidInput(format string, args ...any) error {
	return cartonum.Errorf(cartonum.KindInvalid, format, args...)
}

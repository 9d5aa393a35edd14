package main

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/internal/territory"
	"github.com/cartonum/cartonum/internal/webui"
)

// Config is every setting of the program, read from flags and environment
// variables here and passed down explicitly.
type Config struct {
	DB string // SQLite file
	// Region is the region setting as given: one code ("32"), a list
	// ("28,32") or "all"; Regions its codes, sorted (nil: all regions).
	Region  string
	Regions []string

	// serve
	Addr        string
	MetricsAddr string // listen address of /metrics; empty: /metrics on Addr
	// contributions (serve): the source name of accepted contributions,
	// the minimum form fill time, proposals per client per hour and the
	// hex key of the form tokens (random per start when empty).
	SourceName       string
	MinFill          time.Duration
	ProposalsPerHour int
	FormKey          string
	RequestTimeout   time.Duration
	ShutdownTimeout  time.Duration
	ReloadInterval   time.Duration
	MaxLimit         int
	TileCacheBytes   int64
	// AnswerCacheBytes bounds the computed answers of the read routes
	// kept for the current generation.
	AnswerCacheBytes int64
	Basemap          string
	PMTilesURL       string // PMTiles archive the map reads its territories from (cartonum export-tiles)
	FrameAncestors   string // origins allowed to frame the embed page (webui.ParseFrameAncestors)
	Geocoder         string
	DirectionsURL    string // template of the "Itinéraire" links ({lat}, {lon}, {nom})
	TileCacheControl string
	Limits           LimitsConfig  // what anonymous clients may write (serve.go)
	Travel           TravelConfig  // routing engine of serve and analyse (travel.go)
	SessionTTL       time.Duration // lifetime of a moderator's session

	// logging
	LogFormat string // "text" or "json"
	LogLevel  string

	// import: the territory files, one or more of each kind
	Communes     []string
	EPCI         []string
	Departements []string
	Report       string
	KeepOutside  bool
	MarginKm     float64
	GeocodeMin   float64
	Files        []string

	// users add, users disable (users.go)
	Email            string
	Role             string
	UserDepartements []string
	UserEPCIs        []string
	// backup writes its copy to Out (see analyse)

	// download
	Dest      string
	PlacesURL string

	// analyse
	Level        string
	Format       string
	Out          string
	ThresholdMin float64
	SpeedKmh     float64
	Circuity     float64
	Services     string
	Dispositifs  string
	Profile      string // demand profile (analysis.Profiles), Mix its weights for mixte
	Mix          string
}

// env returns the environment variable CARTONUM_<name>, or def.
func env(getenv func(string) string, name, def string) string {
	if v := getenv("CARTONUM_" + name); v != "" {
		return v
	}
	return def
}

// envDuration returns the duration in CARTONUM_<name>, or def when it is
// unset. A value that is not a duration also gives def here, but never
// silently: checkEnv, run by parseConfig, makes it an error.
func envDuration(getenv func(string) string, name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env(getenv, name, "")); err == nil {
		return d
	}
	return def
}

// envInt returns the integer in CARTONUM_<name>, or def when it is unset;
// a value that is not an integer is an error of checkEnv.
func envInt(getenv func(string) string, name string, def int) int {
	if n, err := strconv.Atoi(env(getenv, name, "")); err == nil {
		return n
	}
	return def
}

// parseConfig reads the flags of one subcommand over the environment.
func parseConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c := Config{}
	fs := flag.NewFlagSet("cartonum "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DB, "db", env(getenv, "DB", "data/cartonum.db"), "SQLite database file (CARTONUM_DB)")
	fs.StringVar(&c.Region, "region", env(getenv, "REGION", "32"), "region code (32), comma-separated codes (28,32) or all (CARTONUM_REGION)")
	fs.StringVar(&c.LogFormat, "log-format", env(getenv, "LOG_FORMAT", "text"), "log format: text or json (CARTONUM_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", env(getenv, "LOG_LEVEL", "info"), "log level: debug, info, warn, error (CARTONUM_LOG_LEVEL)")
	switch cmd {
	case "serve":
		fs.StringVar(&c.Addr, "addr", env(getenv, "ADDR", ":8080"), "listen address (CARTONUM_ADDR)")
		fs.StringVar(&c.MetricsAddr, "metrics-addr", env(getenv, "METRICS_ADDR", ""), "listen address of the Prometheus metrics (/metrics), e.g. 127.0.0.1:9090, which then leave the public address; empty: /metrics on --addr (CARTONUM_METRICS_ADDR)")
		fs.StringVar(&c.SourceName, "source-name", env(getenv, "SOURCE_NAME", "Cartonum"), "the `source` of the places accepted contributions create or change, in the export (CARTONUM_SOURCE_NAME)")
		fs.DurationVar(&c.MinFill, "min-fill", envDuration(getenv, "MIN_FILL", 3*time.Second), "shortest time between getting the proposal form and sending it, 0 for none (CARTONUM_MIN_FILL)")
		fs.IntVar(&c.ProposalsPerHour, "proposals-per-hour", envInt(getenv, "PROPOSALS_PER_HOUR", 10), "proposals one client may send per hour (CARTONUM_PROPOSALS_PER_HOUR)")
		fs.StringVar(&c.FormKey, "form-key", env(getenv, "FORM_KEY", ""), "hex key (16 bytes or more) of the form tokens; empty: a random key per start (CARTONUM_FORM_KEY)")
		fs.DurationVar(&c.RequestTimeout, "request-timeout", envDuration(getenv, "REQUEST_TIMEOUT", 30*time.Second), "time limit of one request (CARTONUM_REQUEST_TIMEOUT)")
		fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", envDuration(getenv, "SHUTDOWN_TIMEOUT", 10*time.Second), "time given to requests in flight at shutdown (CARTONUM_SHUTDOWN_TIMEOUT)")
		fs.DurationVar(&c.ReloadInterval, "reload-interval", envDuration(getenv, "RELOAD_INTERVAL", 10*time.Second), "how often the database is checked for new data, 0 to never (CARTONUM_RELOAD_INTERVAL)")
		fs.IntVar(&c.MaxLimit, "max-limit", envInt(getenv, "MAX_LIMIT", 1000), "largest page size of /api/sites (CARTONUM_MAX_LIMIT)")
		fs.StringVar(&c.Geocoder, "geocoder", env(getenv, "GEOCODER", ""), "address search service (Base Adresse Nationale API, e.g. https://api-adresse.data.gouv.fr/search/); empty: communes and postcodes only (CARTONUM_GEOCODER)")
		fs.StringVar(&c.DirectionsURL, "directions-url", env(getenv, "DIRECTIONS_URL", ""), "template of the \"Itinéraire\" links shown on desktops, with {lat}, {lon} and optionally {nom} (URL-encoded name); phones get a geo: link; empty: OpenStreetMap, https://www.openstreetmap.org/directions?to={lat},{lon} (CARTONUM_DIRECTIONS_URL)")
		fs.StringVar(&c.Basemap, "basemap", env(getenv, "BASEMAP", ""), "URL of an external MapLibre basemap style for online deployments; empty: the project's own layers only (CARTONUM_BASEMAP)")
		fs.StringVar(&c.PMTilesURL, "pmtiles-url", env(getenv, "PMTILES_URL", ""), "URL of a PMTiles archive of the territories (cartonum export-tiles --layers departements,epci,communes,libelles) the web map reads instead of /tiles, served with CORS and Range; empty: the server's tiles (CARTONUM_PMTILES_URL)")
		fs.StringVar(&c.FrameAncestors, "frame-ancestors", env(getenv, "FRAME_ANCESTORS", ""), "sites allowed to show the embed map /integration/carte in a frame, space-separated origins (https://www.example.fr, https://*.example.fr, * for any); every other page refuses frames (CARTONUM_FRAME_ANCESTORS)")
		fs.Int64Var(&c.TileCacheBytes, "tile-cache-bytes", int64(envInt(getenv, "TILE_CACHE_BYTES", 64<<20)), "memory for cached tiles, in bytes (CARTONUM_TILE_CACHE_BYTES)")
		fs.Int64Var(&c.AnswerCacheBytes, "answer-cache-bytes", int64(envInt(getenv, "ANSWER_CACHE_BYTES", 96<<20)), "memory for computed answers of the read routes (indicators, search, places) kept for the current data version, in bytes (CARTONUM_ANSWER_CACHE_BYTES)")
		fs.StringVar(&c.TileCacheControl, "tile-cache-control", env(getenv, "TILE_CACHE_CONTROL", "public, max-age=300"), "Cache-Control of tiles whose URL lacks the current data version (CARTONUM_TILE_CACHE_CONTROL)")
		limitsFlags(fs, &c.Limits, getenv)
		travelFlags(fs, &c.Travel, getenv)
		fs.DurationVar(&c.SessionTTL, "session-ttl", envDuration(getenv, "SESSION_TTL", 12*time.Hour), "lifetime of a moderator's session from its login (CARTONUM_SESSION_TTL)")
	case "import":
		fs.Var(newFileList(&c.Communes, env(getenv, "COMMUNES", "")), "communes", "communes GeoJSON (geo.api.gouv.fr shape), repeatable (one file per region); the communes of regions outside --region are left out and counted; default: the communes already in the database (CARTONUM_COMMUNES: one file)")
		fs.Var(newFileList(&c.EPCI, env(getenv, "EPCI", "")), "epci", "EPCI JSON, repeatable; the EPCI no file gives are derived from the communes (CARTONUM_EPCI: one file)")
		fs.Var(newFileList(&c.Departements, env(getenv, "DEPARTEMENTS", "")), "departements", "départements GeoJSON, repeatable; the départements no file gives are derived from the communes (CARTONUM_DEPARTEMENTS: one file)")
		fs.StringVar(&c.Report, "report", env(getenv, "REPORT", ""), "write the JSON import report to this file (default: beside the database)")
		fs.BoolVar(&c.KeepOutside, "keep-outside", false, "keep places outside the regions' communes, flagged, instead of rejecting them")
		fs.Float64Var(&c.MarginKm, "margin-km", 30, "keep places outside the regions but within this distance of them, in km, as neighbouring supply (0: none)")
		fs.StringVar(&c.Geocoder, "geocoder", env(getenv, "GEOCODER", ""), "geocoder (Base Adresse Nationale API, e.g. https://api-adresse.data.gouv.fr/search/) placing from their address the places without usable coordinates or at their commune's centre; answers are cached in the database (CARTONUM_GEOCODER)")
		fs.Float64Var(&c.GeocodeMin, "geocode-min-score", standard.DefaultGeocodeMinScore, "lowest geocoder score accepted (0–1)")
	case "analyse":
		fs.StringVar(&c.Level, "level", "commune", "commune, epci, departement, region or national (the total of several regions)")
		fs.StringVar(&c.Format, "format", "csv", "csv or json")
		fs.StringVar(&c.Out, "out", "-", "output file (- for standard output)")
		fs.Float64Var(&c.ThresholdMin, "threshold-min", 20, "white-zone threshold in minutes")
		fs.Float64Var(&c.SpeedKmh, "speed-kmh", 45, "travel speed in km/h")
		fs.Float64Var(&c.Circuity, "circuity", 1.3, "road distance over straight-line distance")
		fs.StringVar(&c.Services, "services", "", "only places offering one of these services (separated by |)")
		fs.StringVar(&c.Dispositifs, "dispositifs", "", "only places of one of these dispositifs (separated by |), e.g. 'France Services'")
		travelFlags(fs, &c.Travel, getenv)
		fs.StringVar(&c.Profile, "profil", "population", "whose demand: population, 65plus, pauvres or mixte (65plus, pauvres and mixte need cartonum import-grid)")
		fs.StringVar(&c.Mix, "mix", "", "weights of the mixte profile: population,65plus,pauvres, e.g. 1,2,2 (default 1,1,1)")
	case "users add":
		fs.StringVar(&c.Email, "email", "", "the account's e-mail address")
		fs.StringVar(&c.Role, "role", "", "moderateur or administrateur")
		fs.Var((*stringList)(&c.UserDepartements), "departement", "a département code the moderator reaches (repeatable)")
		fs.Var((*stringList)(&c.UserEPCIs), "epci", "the SIREN of an EPCI the moderator reaches (repeatable)")
	case "users disable":
		fs.StringVar(&c.Email, "email", "", "the account's e-mail address")
	case "backup":
		fs.StringVar(&c.Out, "out", "", "file of the copy (must not exist)")
	case "download":
		fs.StringVar(&c.Dest, "dest", env(getenv, "DEST", "data/cache"), "directory the files are written to")
		fs.StringVar(&c.PlacesURL, "places-url", env(getenv, "PLACES_URL", ""), "URL of the national places CSV (default: the official data.gouv.fr resource)")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if err := checkEnv(fs, getenv); err != nil {
		return c, err
	}
	c.Files = fs.Args()
	if cmd != "import" && len(c.Files) > 0 {
		return c, fmt.Errorf("cartonum %s : arguments inattendus %s", cmd, strings.Join(c.Files, " "))
	}
	for _, u := range []struct{ flag, value string }{{"geocoder", c.Geocoder}, {"basemap", c.Basemap}, {"places-url", c.PlacesURL}, {"pmtiles-url", c.PMTilesURL}} {
		if u.value == "" {
			continue
		}
		if p, err := url.Parse(u.value); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return c, fmt.Errorf("--%s %q : une URL http(s) est attendue", u.flag, u.value)
		}
	}
	if d := c.DirectionsURL; d != "" {
		p, err := url.Parse(strings.NewReplacer("{lat}", "0", "{lon}", "0", "{nom}", "x").Replace(d))
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || !strings.Contains(d, "{lat}") || !strings.Contains(d, "{lon}") {
			return c, fmt.Errorf("--directions-url %q : une URL http(s) contenant {lat} et {lon} est attendue", d)
		}
	}
	if _, err := webui.ParseFrameAncestors(c.FrameAncestors); err != nil {
		return c, fmt.Errorf("--frame-ancestors : %w", err)
	}
	if cmd == "serve" && c.SessionTTL < time.Minute {
		return c, fmt.Errorf("--session-ttl %v : une minute au moins", c.SessionTTL)
	}
	if err := c.Travel.check(); err != nil {
		return c, err
	}
	if err := c.checkContributions(); err != nil {
		return c, err
	}
	if c.MarginKm < 0 || c.MarginKm > 200 {
		return c, fmt.Errorf("--margin-km %g : entre 0 et 200 km", c.MarginKm)
	}
	if c.GeocodeMin < 0 || c.GeocodeMin > 1 {
		return c, fmt.Errorf("--geocode-min-score %g : entre 0 et 1", c.GeocodeMin)
	}
	regions, err := territory.ParseRegions(c.Region)
	if err != nil {
		return c, fmt.Errorf("--region : %w", err)
	}
	c.Regions = regions
	return c, nil
}

// checkContributions checks the contribution settings of serve.
func (c *Config) checkContributions() error {
	if c.MinFill < 0 || c.MinFill > time.Hour {
		return fmt.Errorf("--min-fill %s : entre 0 et 1h", c.MinFill)
	}
	if c.AnswerCacheBytes < 0 || c.TileCacheBytes < 0 {
		return fmt.Errorf("--answer-cache-bytes et --tile-cache-bytes : un nombre positif d'octets est attendu")
	}
	if c.ProposalsPerHour < 0 {
		return fmt.Errorf("--proposals-per-hour %d : un nombre positif est attendu", c.ProposalsPerHour)
	}
	if len(c.SourceName) > 200 {
		return fmt.Errorf("--source-name : 200 caractères au plus")
	}
	if c.FormKey != "" {
		if _, err := c.formKey(); err != nil {
			return err
		}
	}
	return nil
}

// formKey decodes the form key; nil when none is set.
func (c *Config) formKey() ([]byte, error) {
	if c.FormKey == "" {
		return nil, nil
	}
	k, err := hex.DecodeString(c.FormKey)
	if err != nil || len(k) < 16 {
		return nil, fmt.Errorf("--form-key : une clé hexadécimale d'au moins 16 octets (32 chiffres) est attendue")
	}
	return k, nil
}

// checkEnv parses again, with the flags' own parsers, the environment
// variables that the flags not given on the command line read (those whose
// usage names them, "(CARTONUM_X)" for the flag x): a value they cannot
// parse is an error naming the variable, never the default in disguise.
func checkEnv(fs *flag.FlagSet, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name := "CARTONUM_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		v := getenv(name)
		if given[f.Name] || v == "" || !strings.Contains(f.Usage, "("+name+")") {
			return
		}
		if err := f.Value.Set(v); err != nil {
			want := "valeur invalide"
			if g, ok := f.Value.(flag.Getter); ok {
				switch g.Get().(type) {
				case time.Duration:
					want = "une durée est attendue (par exemple 30s, 5m ou 1h30m)"
				case int, int64, uint, uint64:
					want = "un nombre entier est attendu"
				case float64:
					want = "un nombre est attendu"
				}
			}
			errs = append(errs, fmt.Errorf("variable d'environnement %s=%q : %s", name, v, want))
		}
	})
	return errors.Join(errs...)
}

// fileList is a repeatable file flag whose default, from the environment,
// the first file given on the command line replaces.
type fileList struct {
	files *[]string
	given bool
}

func newFileList(files *[]string, def string) *fileList {
	if def != "" {
		*files = []string{def}
	}
	return &fileList{files: files}
}

func (l *fileList) String() string {
	if l.files == nil {
		return ""
	}
	return strings.Join(*l.files, ",")
}

func (l *fileList) Set(v string) error {
	if !l.given {
		*l.files, l.given = nil, true
	}
	*l.files = append(*l.files, v)
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func getenvOS(k string) string { return os.Getenv(k) }

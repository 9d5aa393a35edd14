package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cartonum/cartonum/internal/accounts"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/contributing"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/httpapi"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/metrics"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/internal/territory"
	"github.com/cartonum/cartonum/internal/webui"
	"github.com/cartonum/cartonum/web"
)

// LimitsConfig bounds what anonymous clients may write through the API.
// Zero fields take the defaults of the flags.
type LimitsConfig struct {
	// WriteRate is the number of write requests (POST) one client may
	// make per minute.
	WriteRate int
	// MaxBodyBytes bounds the body of a write request.
	MaxBodyBytes int64
	// TrustedProxies lists, comma-separated, the CIDR prefixes of the
	// reverse proxies whose X-Forwarded-For names the client.
	TrustedProxies string
	// ScenariosMax and ScenariosMaxBytes bound the stored scenarios, in
	// number and in bytes; ScenariosPerClient is what one client may store
	// per 24 hours; ScenarioDays is how long a scenario is kept.
	ScenariosMax       int
	ScenariosMaxBytes  int64
	ScenariosPerClient int
	ScenarioDays       int
}

// Default limits, documented in README.
const (
	defaultWriteRate          = 120
	defaultMaxBodyBytes       = 256 << 10
	defaultScenariosMax       = 10000
	defaultScenariosMaxBytes  = 256 << 20
	defaultScenariosPerClient = 20
	defaultScenarioDays       = 90
)

func limitsFlags(fs *flag.FlagSet, c *LimitsConfig, getenv func(string) string) {
	fs.IntVar(&c.WriteRate, "write-rate", envInt(getenv, "WRITE_RATE", defaultWriteRate), "write requests (POST) one client may make per minute (CARTONUM_WRITE_RATE)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", int64(envInt(getenv, "MAX_BODY_BYTES", defaultMaxBodyBytes)), "largest body of a write request, in bytes (CARTONUM_MAX_BODY_BYTES)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env(getenv, "TRUSTED_PROXIES", ""), "CIDR prefixes, comma-separated, of the reverse proxies whose X-Forwarded-For names the client; empty: the TCP peer is the client (CARTONUM_TRUSTED_PROXIES)")
	fs.IntVar(&c.ScenariosMax, "scenarios-max", envInt(getenv, "SCENARIOS_MAX", defaultScenariosMax), "most scenarios stored at once (CARTONUM_SCENARIOS_MAX)")
	fs.Int64Var(&c.ScenariosMaxBytes, "scenarios-max-bytes", int64(envInt(getenv, "SCENARIOS_MAX_BYTES", defaultScenariosMaxBytes)), "most bytes of stored scenarios (CARTONUM_SCENARIOS_MAX_BYTES)")
	fs.IntVar(&c.ScenariosPerClient, "scenarios-per-client", envInt(getenv, "SCENARIOS_PER_CLIENT", defaultScenariosPerClient), "scenarios one client may store per 24 hours (CARTONUM_SCENARIOS_PER_CLIENT)")
	fs.IntVar(&c.ScenarioDays, "scenario-days", envInt(getenv, "SCENARIO_DAYS", defaultScenarioDays), "days a stored scenario is kept (CARTONUM_SCENARIO_DAYS)")
}

// withDefaults returns c with its zero fields set to the defaults.
func (c LimitsConfig) withDefaults() LimitsConfig {
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&c.WriteRate, defaultWriteRate)
	set(&c.ScenariosMax, defaultScenariosMax)
	set(&c.ScenariosPerClient, defaultScenariosPerClient)
	set(&c.ScenarioDays, defaultScenarioDays)
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = defaultMaxBodyBytes
	}
	if c.ScenariosMaxBytes <= 0 {
		c.ScenariosMaxBytes = defaultScenariosMaxBytes
	}
	return c
}

// proxies returns the trusted proxy prefixes, checked.
func (c LimitsConfig) proxies() ([]string, error) {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, err := netip.ParsePrefix(p); err != nil {
			return nil, fmt.Errorf("--trusted-proxies : « %s » n'est pas un préfixe CIDR (par exemple 10.0.0.0/8 ou 127.0.0.1/32)", p)
		}
		out = append(out, p)
	}
	return out, nil
}

// Main is the running server: database, the current generation of derived
// data (index, analysis, tiles) and HTTP server. End-to-end tests start it
// on ":0" with a temporary database.
type Main struct {
	Config Config
	Logger *slog.Logger

	db       *sqlite.DB
	regions  string           // the regions of the data at start (servedRegions)
	idx      *generation.Live // the current generation; idx.Current() its snapshot
	genCfg   generation.Config
	reloadMu sync.Mutex // one reload at a time
	api      *httpapi.Server
	srv      *http.Server
	ln       net.Listener
	stop     context.CancelFunc
	wg       sync.WaitGroup
	served   chan error

	// metrics of this server; with --metrics-addr they are served by
	// metricsSrv on metricsLn instead of the public address.
	metrics       *metrics.Metrics
	metricsSrv    *http.Server
	metricsLn     net.Listener
	metricsServed chan error

	// changes asks for a reload at once (a moderator's decision); one
	// pending request stands for any number.
	changes chan struct{}
}

// NewMain returns a server for cfg; Run starts it.
func NewMain(cfg Config, logger *slog.Logger) *Main {
	return &Main{Config: cfg, Logger: logger}
}

// Run opens the database, loads the snapshot, builds its generation
// (indicators, tiles generalised at every zoom), starts listening and
// serving in the background, and returns.
func (m *Main) Run(ctx context.Context) error {
	start := time.Now()
	db, err := sqlite.Open(ctx, m.Config.DB)
	if err != nil {
		return fmt.Errorf("ouverture de la base de données : %w", err)
	}
	m.db = db
	d, err := db.Load(ctx)
	if err != nil {
		return err
	}
	// The communes' topology is read from the database (stored by the
	// import, or by an earlier start) or built, while the snapshot is
	// indexed.
	pre := generation.PrepareStored(ctx, d.Communes, db)
	snap := snapshotOf(d)
	if len(snap.Communes()) == 0 {
		m.Logger.Warn("the database holds no communes: run cartonum import first", "db", m.Config.DB)
	}
	m.regions = servedRegions(snap.Communes(), m.Config.Region)
	m.Logger.Info("data loaded", "db", m.Config.DB, "regions", m.regions, "places", len(snap.Places()), "communes", len(snap.Communes()),
		"data_version", snap.Version(), "duration_ms", time.Since(start).Milliseconds())
	m.genCfg = generation.DefaultConfig()
	// Nothing serves yet: the first generation is published before its
	// tiles' zooms are all generalised (see generation.Config).
	m.genCfg.BackgroundWarm = true
	// The default indicators of a data version are kept in the database
	// (crow-fly): the next start reads them instead of computing them.
	m.genCfg.Store = db
	if m.Config.TileCacheBytes > 0 {
		m.genCfg.Tiles.CacheBytes = m.Config.TileCacheBytes
	}
	if err := m.Config.Travel.useRouting(&m.genCfg, db, m.Logger); err != nil {
		return err
	}
	gen, err := m.build(ctx, snap, pre)
	if err != nil {
		return err
	}
	m.idx = generation.NewLive(gen)
	m.metrics = metrics.New()
	m.metrics.WatchGeneration(m.idx)
	m.metrics.WatchImports(db)

	apiCfg := httpapi.DefaultConfig()
	if m.Config.RequestTimeout > 0 {
		apiCfg.RequestTimeout = m.Config.RequestTimeout
	}
	if m.Config.MaxLimit > 0 {
		apiCfg.MaxLimit = m.Config.MaxLimit
	}
	apiCfg.GeocoderURL = m.Config.Geocoder
	apiCfg.DirectionsURL = m.Config.DirectionsURL
	apiCfg.AnswerCacheBytes = int(m.Config.AnswerCacheBytes)
	if m.Config.TileCacheControl != "" {
		apiCfg.TileCacheControl = m.Config.TileCacheControl
	}
	lim := m.Config.Limits.withDefaults()
	if apiCfg.TrustedProxies, err = lim.proxies(); err != nil {
		return err
	}
	apiCfg.Writes.RatePerMinute = lim.WriteRate
	apiCfg.Writes.MaxBodyBytes = lim.MaxBodyBytes
	scenarios := db.Scenarios(sqlite.ScenarioLimits{
		MaxCount: lim.ScenariosMax, MaxBytes: lim.ScenariosMaxBytes,
		PerClient: lim.ScenariosPerClient, PerClientWindow: 24 * time.Hour,
		Retention: time.Duration(lim.ScenarioDays) * 24 * time.Hour,
	})
	frameAncestors, _ := webui.ParseFrameAncestors(m.Config.FrameAncestors) // checked by parseConfig
	m.api = httpapi.New(m.idx, apiCfg, m.Logger).WithScenarios(scenarios).
		WithPages(webui.New(web.Dist, webui.Options{Basemap: m.Config.Basemap, FrameAncestors: frameAncestors, PMTilesURL: m.Config.PMTilesURL}))
	m.api.WithAccounts(&accounts.Service{Store: db, SessionTTL: m.Config.SessionTTL}) // moderators' sessions
	m.api.WithMetrics(m.metrics, m.Config.MetricsAddr == "")
	if err := m.contributions(); err != nil {
		return err
	}
	m.srv = &http.Server{
		Handler:           m.api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      apiCfg.RequestTimeout + 10*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("écoute sur %s impossible : %w", m.Config.Addr, err)
	}
	m.ln = ln
	m.served = make(chan error, 1)
	go func() { m.served <- m.srv.Serve(ln) }()
	m.Logger.Info("serving", "addr", ln.Addr().String(), "startup_ms", time.Since(start).Milliseconds())
	if err := m.serveMetrics(); err != nil {
		return err
	}

	var bg context.Context
	bg, m.stop = context.WithCancel(context.Background())
	if m.Config.ReloadInterval > 0 {
		m.wg.Add(1)
		go m.watch(bg)
	}
	m.wg.Add(1)
	go m.reloadOnChange(bg)
	m.logStarted(pre, gen)
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.saveDerived(bg, pre, gen)
	}()
	// The default indicators are computed while the server already
	// answers: a request for them meanwhile waits for this computation
	// instead of starting its own.
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.api.WarmAnswers()
	}()
	return nil
}

// logStarted says where the first generation's topology and default
// indicators came from.
func (m *Main) logStarted(pre *generation.Prepared, gen *generation.Generation) {
	stored, took := pre.Stored()
	source := "built"
	if stored {
		source = "stored"
	}
	if err := pre.Err(); err != nil {
		m.Logger.Warn("stored topology of the communes unreadable: built again", "err", err)
	}
	m.Logger.Info("topology of the communes", "source", source, "duration_ms", took.Milliseconds())
	stored, err := gen.IndicatorsStored()
	if err != nil {
		m.Logger.Warn("stored default indicators unreadable: computed again", "err", err)
	}
	source = "computed"
	if stored {
		source = "stored"
	}
	m.Logger.Info("default indicators", "source", source, "data_version", gen.Version())
}

// saveDerived stores the first generation's topology when it was built,
// and its default indicators when they were computed, once the tiles'
// zooms are generalised (not beside the first visitors' tiles), so that
// the next start reads them.
func (m *Main) saveDerived(ctx context.Context, pre *generation.Prepared, gen *generation.Generation) {
	if warm := gen.TilesWarm(); warm != nil {
		select {
		case <-warm:
		case <-ctx.Done():
			return
		}
	}
	start := time.Now()
	saved, err := pre.Save(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		m.Logger.Warn("topology of the communes not stored", "err", err)
	case saved:
		m.Logger.Info("topology of the communes stored", "duration_ms", time.Since(start).Milliseconds())
	}
	if m.idx.Load() == gen { // not once a newer version stored its own
		m.saveIndicators(ctx, gen)
	}
}

// saveIndicators stores the default indicators of gen when it computed
// them (see generation.Config.Store).
func (m *Main) saveIndicators(ctx context.Context, gen *generation.Generation) {
	start := time.Now()
	saved, err := gen.SaveIndicators(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		m.Logger.Warn("default indicators not stored", "data_version", gen.Version(), "err", err)
	case saved:
		m.Logger.Info("default indicators stored", "data_version", gen.Version(), "duration_ms", time.Since(start).Milliseconds())
	}
}

// serveMetrics serves /metrics on --metrics-addr, when given (then the
// public address answers 404 there).
func (m *Main) serveMetrics() error {
	if m.Config.MetricsAddr == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.metrics.Handler())
	m.metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn)}
	ln, err := net.Listen("tcp", m.Config.MetricsAddr)
	if err != nil {
		return fmt.Errorf("écoute des métriques sur %s impossible : %w", m.Config.MetricsAddr, err)
	}
	m.metricsLn = ln
	m.metricsServed = make(chan error, 1)
	go func() { m.metricsServed <- m.metricsSrv.Serve(ln) }()
	m.Logger.Info("serving metrics", "addr", ln.Addr().String(), "path", "/metrics")
	return nil
}

// MetricsAddr is the address of the metrics listener ("" without
// --metrics-addr).
func (m *Main) MetricsAddr() string {
	if m.metricsLn == nil {
		return ""
	}
	return m.metricsLn.Addr().String()
}

// contributions wires the contribution service into the API: proposals
// and decisions go to the database, checked against the current
// generation's territory; every decision asks for a reload at once.
func (m *Main) contributions() error {
	key, err := m.Config.formKey()
	if err != nil {
		return err
	}
	m.changes = make(chan struct{}, 1)
	perHour := m.Config.ProposalsPerHour
	if perHour <= 0 {
		perHour = contributing.DefaultPerHour
	}
	svc := &contributing.Service{
		Store: m.db, Contributions: m.db, Territory: m.idx.Current,
		Normalize:  standard.Options{Region: m.regions},
		SourceName: m.Config.SourceName, MinFill: m.Config.MinFill, PerHour: perHour, FormKey: key,
		OnChange: m.changed,
	}
	m.api.WithContributions(svc)
	return nil
}

// servedRegions is the region setting of the data served, which the
// contributions are checked against and name in their messages: the
// regions of its communes ("28,32"), "all" when it holds every region;
// def when no commune has a region code.
func servedRegions(communes []cartonum.Commune, def string) string {
	var codes []string
	for i := range communes {
		if r := communes[i].CodeRegion; r != "" && !slices.Contains(codes, r) {
			codes = append(codes, r)
		}
	}
	if len(codes) == 0 {
		return def
	}
	if len(codes) == len(territory.RegionCodes()) {
		return "all"
	}
	slices.Sort(codes)
	return strings.Join(codes, ",")
}

// changed asks the reload goroutine for a reload, without waiting.
func (m *Main) changed() {
	select {
	case m.changes <- struct{}{}:
	default: // a reload is already asked for: it will see this change too
	}
}

// reloadOnChange reloads as soon as a decision changed the data, besides
// the periodic watch (which sees the other processes' writes).
func (m *Main) reloadOnChange(ctx context.Context) {
	defer m.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.changes:
			if err := m.Reload(ctx); err != nil && ctx.Err() == nil {
				m.Logger.Error("reload after a decision failed", "err", err)
			}
		}
	}
}

// loadSnapshot builds the index snapshot of the dataset the store holds,
// read in one transaction: a snapshot is never a mix of two imports.
func loadSnapshot(ctx context.Context, store cartonum.Store) (*index.Snapshot, error) {
	d, err := store.Load(ctx)
	if err != nil {
		return nil, err
	}
	return snapshotOf(d), nil
}

// snapshotOf indexes a dataset.
func snapshotOf(d cartonum.Dataset) *index.Snapshot {
	return index.New(index.Data{Version: d.Version, Communes: d.Communes, EPCIs: d.EPCIs,
		Departements: d.Departements, Places: d.Places})
}

// watch reloads the snapshot when another process changed the database.
func (m *Main) watch(ctx context.Context) {
	defer m.wg.Done()
	t := time.NewTicker(m.Config.ReloadInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := m.Reload(ctx); err != nil && ctx.Err() == nil {
				m.Logger.Error("reload failed", "err", err)
			}
		}
	}
}

// Reload publishes a new generation if the data version changed: it is
// built completely while the current one keeps serving, then swapped in.
func (m *Main) Reload(ctx context.Context) error {
	m.reloadMu.Lock()
	defer m.reloadMu.Unlock()
	v, err := m.db.Version(ctx)
	if err != nil {
		return err
	}
	if v == m.idx.Current().Version() {
		return nil
	}
	start := time.Now()
	snap, err := loadSnapshot(ctx, m.db)
	if err != nil {
		return err
	}
	loaded := time.Since(start)
	gen, err := m.build(ctx, snap, nil)
	if err != nil {
		return err
	}
	m.idx.Swap(gen)
	m.Logger.Info("data reloaded", "data_version", snap.Version(), "places", len(snap.Places()),
		"load_ms", loaded.Milliseconds(), "duration_ms", time.Since(start).Milliseconds())
	m.saveIndicators(ctx, gen)
	return nil
}

// build makes the generation of a snapshot, its tile cache filled with the
// tiles the current generation served last, and logs the time it took; pre
// is the work started on the snapshot's communes, if any.
func (m *Main) build(ctx context.Context, snap *index.Snapshot, pre *generation.Prepared) (*generation.Generation, error) {
	var prev *generation.Generation
	if m.idx != nil {
		prev = m.idx.Load()
	}
	cfg := m.genCfg
	demand, err := loadDemand(ctx, m.db)
	if err != nil {
		return nil, err
	}
	cfg.Demand = demand
	gen, err := generation.RebuildPrepared(ctx, prev, snap, cfg, pre)
	if err != nil {
		return nil, err
	}
	m.Logger.Info("generation ready", "data_version", snap.Version(), "duration_ms", gen.BuildTime().Milliseconds())
	if warm := gen.TilesWarm(); warm != nil {
		select {
		case <-warm:
		default:
			go func() {
				select {
				case <-warm:
					m.Logger.Info("tiles generalised at every zoom", "data_version", snap.Version(), "duration_ms", gen.WarmTime().Milliseconds())
				case <-ctx.Done():
				}
			}()
		}
	}
	return gen, nil
}

// Addr is the address the server listens on (useful with ":0").
func (m *Main) Addr() string { return m.ln.Addr().String() }

// Close stops accepting requests, lets those in flight finish within the
// shutdown timeout, and closes the database.
func (m *Main) Close() error {
	var errs []error
	if m.stop != nil {
		m.stop()
		m.wg.Wait()
	}
	if m.srv != nil {
		timeout := m.Config.ShutdownTimeout
		if timeout <= 0 {
			timeout = 10 * time.Second
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		if err := m.srv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
		if err := <-m.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	if m.metricsSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := m.metricsSrv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
		if err := <-m.metricsServed; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	if m.db != nil {
		errs = append(errs, m.db.Close())
	}
	return errors.Join(errs...)
}

func runServe(ctx context.Context, cfg Config, logger *slog.Logger) error {
	m := NewMain(cfg, logger)
	if err := m.Run(ctx); err != nil {
		_ = m.Close()
		return err
	}
	select {
	case <-ctx.Done():
		logger.Info("shutting down")
	case err := <-m.served:
		m.served <- err
	}
	return m.Close()
}

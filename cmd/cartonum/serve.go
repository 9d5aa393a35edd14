package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/cartonum/cartonum/internal/httpapi"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/webui"
	"github.com/cartonum/cartonum/web"
)

// Main is the running server: database, in-memory index and HTTP server.
// End-to-end tests start it on ":0" with a temporary database.
type Main struct {
	Config Config
	Logger *slog.Logger

	db     *sqlite.DB
	idx    *index.Index
	api    *httpapi.Server
	srv    *http.Server
	ln     net.Listener
	stop   context.CancelFunc
	wg     sync.WaitGroup
	served chan error
}

// NewMain returns a server for cfg; Run starts it.
func NewMain(cfg Config, logger *slog.Logger) *Main {
	return &Main{Config: cfg, Logger: logger}
}

// Run opens the database, loads the snapshot, starts listening and serving
// in the background, and returns.
func (m *Main) Run(ctx context.Context) error {
	start := time.Now()
	db, err := sqlite.Open(ctx, m.Config.DB)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	m.db = db
	snap, err := loadSnapshot(ctx, db)
	if err != nil {
		return err
	}
	if len(snap.Communes()) == 0 {
		m.Logger.Warn("the database holds no communes: run cartonum import first", "db", m.Config.DB)
	}
	m.idx = index.NewIndex(snap)
	m.Logger.Info("data loaded", "db", m.Config.DB, "places", len(snap.Places()), "communes", len(snap.Communes()),
		"data_version", snap.Version(), "duration_ms", time.Since(start).Milliseconds())

	apiCfg := httpapi.DefaultConfig()
	if m.Config.RequestTimeout > 0 {
		apiCfg.RequestTimeout = m.Config.RequestTimeout
	}
	if m.Config.MaxLimit > 0 {
		apiCfg.MaxLimit = m.Config.MaxLimit
	}
	if m.Config.TileCacheBytes > 0 {
		apiCfg.Tiles.CacheBytes = m.Config.TileCacheBytes
	}
	apiCfg.GeocoderURL = m.Config.Geocoder
	if m.Config.TileCacheControl != "" {
		apiCfg.TileCacheControl = m.Config.TileCacheControl
	}
	m.api = httpapi.New(m.idx, apiCfg, m.Logger).WithScenarios(db).
		WithPages(webui.New(web.Dist, webui.Options{Basemap: m.Config.Basemap}))
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
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.ln = ln
	m.served = make(chan error, 1)
	go func() { m.served <- m.srv.Serve(ln) }()
	m.Logger.Info("serving", "addr", ln.Addr().String(), "startup_ms", time.Since(start).Milliseconds())

	var bg context.Context
	bg, m.stop = context.WithCancel(context.Background())
	m.warm()
	if m.Config.ReloadInterval > 0 {
		m.wg.Add(1)
		go m.watch(bg)
	}
	return nil
}

// loadSnapshot reads everything the index holds from the database. The
// reads are separate statements: when an import lands in between, the data
// version moves and the load is retried, so a snapshot is never a mix.
func loadSnapshot(ctx context.Context, db *sqlite.DB) (*index.Snapshot, error) {
	for attempt := 0; ; attempt++ {
		d, err := readData(ctx, db)
		if err != nil {
			return nil, err
		}
		after, err := db.Version(ctx)
		if err != nil {
			return nil, err
		}
		if after == d.Version || attempt == 4 {
			return index.New(d), nil
		}
	}
}

func readData(ctx context.Context, db *sqlite.DB) (index.Data, error) {
	var d index.Data
	var err error
	if d.Version, err = db.Version(ctx); err != nil {
		return d, err
	}
	if d.Communes, err = db.Communes(ctx); err != nil {
		return d, err
	}
	if d.EPCIs, err = db.EPCIs(ctx); err != nil {
		return d, err
	}
	if d.Departements, err = db.Departements(ctx); err != nil {
		return d, err
	}
	d.Places, err = db.Places(ctx)
	return d, err
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

// Reload swaps in a new snapshot if the data version changed.
func (m *Main) Reload(ctx context.Context) error {
	v, err := m.db.Version(ctx)
	if err != nil {
		return err
	}
	if v == m.idx.Current().Version() {
		return nil
	}
	snap, err := loadSnapshot(ctx, m.db)
	if err != nil {
		return err
	}
	m.idx.Swap(snap)
	m.Logger.Info("data reloaded", "data_version", snap.Version(), "places", len(snap.Places()))
	m.warm()
	return nil
}

// warm generalises the tiles of the current snapshot in the background.
func (m *Main) warm() {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		start := time.Now()
		m.api.WarmTiles()
		m.Logger.Info("tiles ready", "duration_ms", time.Since(start).Milliseconds())
	}()
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

// Package metrics exposes Cartonum's operating figures in the Prometheus
// text format (github.com/prometheus/client_golang): HTTP requests per
// route (the chi route pattern, never the raw path, so that the number of
// series stays bounded), the tile cache, the current generation (build
// time, data version), the imports recorded in the database and the
// proposals received and decided through the API.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// OtherRoute is the route label of requests no API route took: the web
// app's pages and assets, 404s, CORS preflights.
const OtherRoute = "other"

// Proposal outcomes, the values of the outcome label of
// cartonum_proposals_total.
const (
	ProposalReceived = "received"
	ProposalAccepted = "accepted"
	ProposalRefused  = "refused"
)

// Metrics is the registry of one server. Its methods are safe for
// concurrent use.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec
	proposals *prometheus.CounterVec
}

// New returns the registry with the HTTP and proposal metrics, and the Go
// runtime and process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cartonum_http_requests_total",
		Help: "HTTP requests answered, by route (chi pattern; \"other\" for pages and unknown paths), method and status code.",
	}, []string{"route", "method", "code"})
	m.durations = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cartonum_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route (chi pattern) and method.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method"})
	m.proposals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cartonum_proposals_total",
		Help: "Contributions through the API since start: proposals received, accepted and refused by moderators.",
	}, []string{"outcome"})
	for _, o := range []string{ProposalReceived, ProposalAccepted, ProposalRefused} {
		m.proposals.WithLabelValues(o) // every outcome is shown, 0 included
	}
	m.reg.MustRegister(m.requests, m.durations, m.proposals,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry is the underlying registry (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// methods are the values of the method label; any other method is OTHER.
var methods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

// ObserveRequest counts one answered request. route must be a route
// pattern or OtherRoute, never a raw path.
func (m *Metrics) ObserveRequest(route, method string, code int, d time.Duration) {
	if route == "" {
		route = OtherRoute
	}
	if !methods[method] {
		method = "OTHER"
	}
	m.requests.WithLabelValues(route, method, codeLabel(code)).Inc()
	m.durations.WithLabelValues(route, method).Observe(d.Seconds())
}

// Route is the request metrics of one route and method, resolved once:
// observing a request then costs no label hashing nor lookup (the tile
// route answers tens of thousands of requests a second). A series appears
// at its first request, as with ObserveRequest. Safe for concurrent use.
type Route struct {
	m             *Metrics
	route, method string
	duration      atomic.Pointer[prometheus.Observer]
	codes         [600]atomic.Pointer[prometheus.Counter]
}

// Route returns the metrics of route (a route pattern) and method.
func (m *Metrics) Route(route, method string) *Route {
	if !methods[method] {
		method = "OTHER"
	}
	return &Route{m: m, route: route, method: method}
}

// Observe counts one answered request, as ObserveRequest does.
func (r *Route) Observe(code int, d time.Duration) {
	if code < 100 || code >= len(r.codes) {
		r.m.ObserveRequest(r.route, r.method, code, d)
		return
	}
	c := r.codes[code].Load()
	if c == nil {
		v := r.m.requests.WithLabelValues(r.route, r.method, codeLabel(code))
		c = &v
		r.codes[code].Store(c)
	}
	(*c).Inc()
	o := r.duration.Load()
	if o == nil {
		v := r.m.durations.WithLabelValues(r.route, r.method)
		o = &v
		r.duration.Store(o)
	}
	(*o).Observe(d.Seconds())
}

// codeLabels are the values of the code label of the status codes 100 to
// 599, made once rather than at every request.
var codeLabels = func() (l [600]string) {
	for c := 100; c < len(l); c++ {
		l[c] = strconv.Itoa(c)
	}
	return l
}()

// codeLabel is the code label of a status code.
func codeLabel(code int) string {
	if code >= 100 && code < len(codeLabels) {
		return codeLabels[code]
	}
	return strconv.Itoa(code)
}

// Proposal counts a proposal received, accepted or refused.
func (m *Metrics) Proposal(outcome string) { m.proposals.WithLabelValues(outcome).Inc() }

// WatchGeneration registers the figures of the generation live serves:
// data version, build time, tile cache.
func (m *Metrics) WatchGeneration(live *generation.Live) {
	m.reg.MustRegister(&generationCollector{live: live})
}

// ImportLister is what the import metrics read: sqlite.DB.
type ImportLister interface {
	Imports(ctx context.Context) ([]sqlite.Import, error)
}

// WatchImports registers the figures of the imports recorded in the
// database (imports run as other processes: the database is where they
// are counted), read at each scrape.
func (m *Metrics) WatchImports(db ImportLister) {
	m.reg.MustRegister(&importCollector{db: db})
}

var (
	descVersion   = prometheus.NewDesc("cartonum_data_version", "Data version of the generation being served.", nil, nil)
	descBuild     = prometheus.NewDesc("cartonum_generation_build_seconds", "Time taken to build the generation being served (index, analysis, tiles).", nil, nil)
	descHits      = prometheus.NewDesc("cartonum_tile_cache_hits_total", "Tile requests answered from the tile cache.", nil, nil)
	descMisses    = prometheus.NewDesc("cartonum_tile_cache_misses_total", "Tile requests that had to encode the tile.", nil, nil)
	descBytes     = prometheus.NewDesc("cartonum_tile_cache_bytes", "Bytes of the tiles held by the tile cache of the generation being served.", nil, nil)
	descTiles     = prometheus.NewDesc("cartonum_tile_cache_tiles", "Tiles held by the tile cache of the generation being served.", nil, nil)
	descImports   = prometheus.NewDesc("cartonum_imports_total", "Imports of files recorded in the database.", nil, nil)
	descImportRow = prometheus.NewDesc("cartonum_import_rows_total", "Rows of all the imports recorded in the database, by outcome.", []string{"outcome"}, nil)
	descLastImp   = prometheus.NewDesc("cartonum_last_import_timestamp_seconds", "End of the last import of files (Unix time).", nil, nil)
	descImpErr    = prometheus.NewDesc("cartonum_imports_read_errors_total", "Scrapes that could not read the imports from the database.", nil, nil)
)

// generationCollector reads the generation being served at each scrape.
// Each generation has its own tile cache: the hit and miss counters add
// the final figures of the generations served before, so that they only
// grow.
type generationCollector struct {
	live *generation.Live

	mu                   sync.Mutex
	last                 *generation.Generation
	baseHits, baseMisses int64
}

func (c *generationCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descVersion, descBuild, descHits, descMisses, descBytes, descTiles} {
		ch <- d
	}
}

func (c *generationCollector) Collect(ch chan<- prometheus.Metric) {
	g := c.live.Load()
	bytes, tiles, hits, misses := g.Tiles().Stats()
	c.mu.Lock()
	if c.last != nil && c.last != g {
		// The previous generation serves no more requests (but those in
		// flight): its figures are final.
		_, _, h, m := c.last.Tiles().Stats()
		c.baseHits += h
		c.baseMisses += m
	}
	c.last = g
	hits += c.baseHits
	misses += c.baseMisses
	c.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(descVersion, prometheus.GaugeValue, float64(g.Version()))
	ch <- prometheus.MustNewConstMetric(descBuild, prometheus.GaugeValue, g.BuildTime().Seconds())
	ch <- prometheus.MustNewConstMetric(descHits, prometheus.CounterValue, float64(hits))
	ch <- prometheus.MustNewConstMetric(descMisses, prometheus.CounterValue, float64(misses))
	ch <- prometheus.MustNewConstMetric(descBytes, prometheus.GaugeValue, float64(bytes))
	ch <- prometheus.MustNewConstMetric(descTiles, prometheus.GaugeValue, float64(tiles))
}

// importCollector reads the imports from the database at each scrape.
type importCollector struct {
	db     ImportLister
	mu     sync.Mutex
	errors int
}

func (c *importCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descImports, descImportRow, descLastImp, descImpErr} {
		ch <- d
	}
}

func (c *importCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	imports, err := c.db.Imports(ctx)
	c.mu.Lock()
	if err != nil {
		c.errors++
	}
	errs := c.errors
	c.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(descImpErr, prometheus.CounterValue, float64(errs))
	if err != nil {
		return // no figure rather than a false one
	}
	var read, imported, merged, conflicts, rejected, repaired int
	var last time.Time
	for _, im := range imports {
		read += im.Counts.RowsRead
		imported += im.Counts.Imported
		merged += im.Counts.Merged
		conflicts += im.Counts.Conflicts
		rejected += im.Counts.Rejected
		repaired += im.Counts.Repaired
		if im.FinishedAt.After(last) {
			last = im.FinishedAt
		}
	}
	ch <- prometheus.MustNewConstMetric(descImports, prometheus.CounterValue, float64(len(imports)))
	for _, o := range []struct {
		name string
		n    int
	}{{"read", read}, {"imported", imported}, {"merged", merged}, {"conflicts", conflicts}, {"rejected", rejected}, {"repaired", repaired}} {
		ch <- prometheus.MustNewConstMetric(descImportRow, prometheus.CounterValue, float64(o.n), o.name)
	}
	if !last.IsZero() {
		ch <- prometheus.MustNewConstMetric(descLastImp, prometheus.GaugeValue, float64(last.UnixNano())/1e9)
	}
}

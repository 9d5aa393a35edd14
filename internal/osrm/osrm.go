// Package osrm is a client of the OSRM HTTP API's table service
// (/table/v1/{profile}/{coordinates}?sources=…&destinations=…&annotations=duration,distance):
// travel times and distances on a road network for many sources × many
// destinations, as analysis.Travel.
//
// A Matrix call is split into requests of at most MaxCoordinates sources
// plus destinations (osrm-routed --max-table-size, 100 by default, bounds
// sources × destinations by its square, and URLs stay short), sent
// Concurrency at a time. Each request has its own timeout and is retried
// on a 5xx answer or a broken connection. A null cell is a pair the engine
// cannot route: unreachable. Any request that still fails fails the whole
// call: the analysis then answers with an error, never with crow-fly
// figures in place of road times.
package osrm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
)

// Config sets up a Client. Zero fields take the defaults.
type Config struct {
	// URL is the engine's base URL, e.g. http://localhost:5000.
	URL string
	// Profile is the profile of the URLs (driving).
	Profile string
	// MaxCoordinates bounds the sources plus destinations of one request
	// (100).
	MaxCoordinates int
	// Concurrency is the requests in flight at once, over all calls (4).
	Concurrency int
	// Timeout bounds one request (10 s).
	Timeout time.Duration
	// Retries is how many times a request is sent again after a 5xx
	// answer or a broken connection (2), after 200 ms, then 400 ms…
	Retries int
	// HTTP is the client used (http.DefaultClient's transport when nil).
	HTTP *http.Client
}

// Client asks an OSRM server. It is safe for concurrent use.
type Client struct {
	base    *url.URL
	cfg     Config
	sem     chan struct{}
	http    *http.Client
	backoff time.Duration

	requests atomic.Int64
	cells    atomic.Int64
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("adresse OSRM « %s » invalide : http://hôte:port attendu", cfg.URL)
	}
	if cfg.Profile == "" {
		cfg.Profile = "driving"
	}
	if cfg.MaxCoordinates < 2 {
		cfg.MaxCoordinates = 100
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	} else if cfg.Retries == 0 {
		cfg.Retries = 2
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{base: u, cfg: cfg, sem: make(chan struct{}, cfg.Concurrency), http: hc, backoff: 200 * time.Millisecond}, nil
}

// Host is the engine's host (and port): what answers name, without the
// URL's credentials or path.
func (c *Client) Host() string { return c.base.Host }

// Key identifies the engine and its profile, for a cache of its trips.
func (c *Client) Key() string { return "osrm " + c.base.Host + c.base.Path + "/" + c.cfg.Profile }

// MaxCoordinates is the most sources plus destinations of one request.
func (c *Client) MaxCoordinates() int { return c.cfg.MaxCoordinates }

// Stats returns the requests sent and the cells (sources × destinations)
// they asked for, since the client was made.
func (c *Client) Stats() (requests, cells int64) { return c.requests.Load(), c.cells.Load() }

// Error is a failed request: the engine unreachable or too slow
// (wrapping analysis.ErrTravelUnavailable), an HTTP error, or an answer
// that is not a table.
type Error struct {
	Status  int    // HTTP status, 0 when no answer
	Code    string // OSRM's code ("InvalidQuery", "TooBig"…), when given
	Message string
	err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("OSRM")
	if e.Status != 0 {
		fmt.Fprintf(&b, " HTTP %d", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, " : %s", e.Message)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.err }

// Matrix returns the trips from every source to every destination, in
// as many requests as MaxCoordinates needs.
func (c *Client) Matrix(ctx context.Context, sources, destinations []orb.Point) (*analysis.Matrix, error) {
	out := analysis.NewMatrix(len(sources), len(destinations))
	if len(sources) == 0 || len(destinations) == 0 {
		return out, nil
	}
	max := c.cfg.MaxCoordinates
	// Split: destinations in chunks of at most half the request when there
	// are more sources than fit beside them all.
	nd := len(destinations)
	if len(sources)+nd > max {
		nd = min(nd, max/2)
		if len(sources) < max-nd {
			nd = max - len(sources)
		}
	}
	ns := max - nd
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	fail := func(err error) {
		once.Do(func() { first = err; cancel() })
	}
	for s0 := 0; s0 < len(sources); s0 += ns {
		for d0 := 0; d0 < len(destinations); d0 += nd {
			s1, d1 := min(s0+ns, len(sources)), min(d0+nd, len(destinations))
			wg.Add(1)
			go func() {
				defer wg.Done()
				select {
				case c.sem <- struct{}{}:
				case <-ctx.Done():
					return
				}
				defer func() { <-c.sem }()
				if ctx.Err() != nil {
					return
				}
				dur, dist, err := c.table(ctx, sources[s0:s1], destinations[d0:d1])
				if err != nil {
					fail(err)
					return
				}
				for i := range dur {
					for j := range dur[i] {
						if dur[i][j] != nil && dist[i][j] != nil {
							out.Minutes[s0+i][d0+j] = *dur[i][j] / 60
							out.Meters[s0+i][d0+j] = *dist[i][j]
						}
					}
				}
			}()
		}
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out, nil
}

// tableAnswer is the body of a table answer.
type tableAnswer struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	Durations [][]*float64 `json:"durations"`
	Distances [][]*float64 `json:"distances"`
}

// table sends one request, retrying on 5xx answers and broken
// connections.
func (c *Client) table(ctx context.Context, src, dst []orb.Point) (dur, dist [][]*float64, err error) {
	u := c.tableURL(src, dst)
	for attempt := 0; ; attempt++ {
		var retry bool
		dur, dist, retry, err = c.once(ctx, u, len(src), len(dst))
		if err == nil || !retry || attempt >= c.cfg.Retries || ctx.Err() != nil {
			return dur, dist, err
		}
		select {
		case <-time.After(c.backoff << attempt):
		case <-ctx.Done():
			return nil, nil, err
		}
	}
}

// tableURL is the URL of the table of src × dst: the sources' coordinates
// first, then the destinations'.
func (c *Client) tableURL(src, dst []orb.Point) string {
	var b strings.Builder
	b.WriteString(c.base.String())
	b.WriteString("/table/v1/")
	b.WriteString(url.PathEscape(c.cfg.Profile))
	b.WriteByte('/')
	for k, p := range append(append([]orb.Point(nil), src...), dst...) {
		if k > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatFloat(p[0], 'f', 6, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(p[1], 'f', 6, 64))
	}
	b.WriteString("?sources=")
	for i := range src {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.Itoa(i))
	}
	b.WriteString("&destinations=")
	for j := range dst {
		if j > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.Itoa(len(src) + j))
	}
	b.WriteString("&annotations=duration,distance")
	return b.String()
}

func (c *Client) once(ctx context.Context, u string, ns, nd int) (dur, dist [][]*float64, retry bool, err error) {
	rctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, false, err
	}
	c.requests.Add(1)
	c.cells.Add(int64(ns * nd))
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, false, ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, nil, false, &Error{Message: fmt.Sprintf("pas de réponse en %s", c.cfg.Timeout), err: analysis.ErrTravelUnavailable}
		}
		return nil, nil, true, &Error{Message: "injoignable", err: fmt.Errorf("%w: %v", analysis.ErrTravelUnavailable, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, false, ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, nil, false, &Error{Status: resp.StatusCode, Message: fmt.Sprintf("pas de réponse en %s", c.cfg.Timeout), err: analysis.ErrTravelUnavailable}
		}
		return nil, nil, true, &Error{Status: resp.StatusCode, Message: "réponse interrompue", err: fmt.Errorf("%w: %v", analysis.ErrTravelUnavailable, err)}
	}
	var a tableAnswer
	jerr := json.Unmarshal(body, &a)
	if resp.StatusCode != http.StatusOK {
		e := &Error{Status: resp.StatusCode, Code: a.Code, Message: a.Message}
		if resp.StatusCode >= 500 {
			e.err = analysis.ErrTravelUnavailable
			return nil, nil, true, e
		}
		return nil, nil, false, e
	}
	if jerr != nil {
		return nil, nil, false, &Error{Status: resp.StatusCode, Message: "réponse illisible : " + jerr.Error()}
	}
	if a.Code != "Ok" {
		return nil, nil, false, &Error{Status: resp.StatusCode, Code: a.Code, Message: a.Message}
	}
	if !shaped(a.Durations, ns, nd) || !shaped(a.Distances, ns, nd) {
		return nil, nil, false, &Error{Status: resp.StatusCode, Message: fmt.Sprintf("table incomplète : %d × %d attendues avec durées et distances", ns, nd)}
	}
	for i := range a.Durations {
		for j := range a.Durations[i] {
			if v := a.Durations[i][j]; v != nil && (math.IsNaN(*v) || *v < 0) {
				return nil, nil, false, &Error{Status: resp.StatusCode, Message: "durée négative"}
			}
		}
	}
	return a.Durations, a.Distances, false, nil
}

func shaped(t [][]*float64, rows, cols int) bool {
	if len(t) != rows {
		return false
	}
	for _, r := range t {
		if len(r) != cols {
			return false
		}
	}
	return true
}

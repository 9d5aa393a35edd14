// Package osrmtest is a fake OSRM server on loopback for tests: it speaks
// the table service of the OSRM HTTP API (/table/v1/{profile}/{lon,lat;…}
// with sources, destinations and annotations=duration,distance) with a
// known metric, so that answers can be checked by hand, and it can be made
// slow, failing or partially failing.
package osrmtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
)

// MetersPerDegree is the length of a degree of latitude in the metric.
const MetersPerDegree = 111_320.0

// SpeedMps is the speed of every trip, in meters per second (36 km/h).
const SpeedMps = 10.0

// Trip is the metric: a Manhattan trip along the meridians and parallels
// (|Δlon|·cos(mean latitude) + |Δlat|, in meters) at SpeedMps, both
// rounded to 0.1 as OSRM rounds them.
func Trip(a, b orb.Point) (meters, seconds float64) {
	cos := math.Cos((a[1] + b[1]) / 2 * math.Pi / 180)
	m := (math.Abs(a[0]-b[0])*cos + math.Abs(a[1]-b[1])) * MetersPerDegree
	return math.Round(m*10) / 10, math.Round(m/SpeedMps*10) / 10
}

// Request is what one request asked.
type Request struct {
	Sources, Destinations int
}

// Server is a fake OSRM. Set its fields before the requests they concern.
type Server struct {
	*httptest.Server

	mu sync.Mutex
	// MaxTableSize is osrm-routed's --max-table-size: a request whose
	// sources × destinations exceeds its square is refused (TooBig).
	MaxTableSize int
	// Delay holds every answer.
	Delay time.Duration
	// FailStatus, when set, is the status of the next FailCount requests
	// (every request when FailCount is 0).
	FailStatus int
	FailCount  int
	// Wall: destinations east of this longitude cannot be reached (null
	// cells), when not zero.
	Wall float64
	// Truncate answers one row too few (a broken answer).
	Truncate bool

	requests []Request
}

// New starts a fake OSRM on loopback; Close it when done.
func New() *Server {
	s := &Server{MaxTableSize: 100}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Requests returns the requests answered or refused so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Reset forgets the requests.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Set changes the server's behaviour under its lock.
func (s *Server) Set(f func(s *Server)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	answer(w, status, map[string]string{"code": code, "message": msg})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/table/v1/")
	profile, coords, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || profile == "" {
		fail(w, http.StatusBadRequest, "InvalidUrl", "URL string malformed close to position 1")
		return
	}
	var pts []orb.Point
	for _, c := range strings.Split(coords, ";") {
		lon, lat, ok := strings.Cut(c, ",")
		x, err1 := strconv.ParseFloat(lon, 64)
		y, err2 := strconv.ParseFloat(lat, 64)
		if !ok || err1 != nil || err2 != nil || x < -180 || x > 180 || y < -90 || y > 90 {
			fail(w, http.StatusBadRequest, "InvalidQuery", "Query string malformed close to position 1")
			return
		}
		pts = append(pts, orb.Point{x, y})
	}
	// OSRM separates indices with ';', which net/url's query parser
	// rejects: split the raw query on '&' only.
	q := map[string]string{}
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		q[k] = v
	}
	indices := func(name string) ([]int, bool) {
		raw := q[name]
		if raw == "" || raw == "all" {
			out := make([]int, len(pts))
			for i := range out {
				out[i] = i
			}
			return out, true
		}
		var out []int
		for _, v := range strings.Split(raw, ";") {
			i, err := strconv.Atoi(v)
			if err != nil || i < 0 || i >= len(pts) {
				return nil, false
			}
			out = append(out, i)
		}
		return out, true
	}
	src, ok1 := indices("sources")
	dst, ok2b := indices("destinations")
	if !ok1 || !ok2b {
		fail(w, http.StatusBadRequest, "InvalidOptions", "Sources or destinations indices are invalid")
		return
	}
	ann := q["annotations"]
	wantDur := ann == "" || strings.Contains(ann, "duration")
	wantDist := strings.Contains(ann, "distance")

	s.mu.Lock()
	s.requests = append(s.requests, Request{Sources: len(src), Destinations: len(dst)})
	delay, max, wall, truncate := s.Delay, s.MaxTableSize, s.Wall, s.Truncate
	status := 0
	if s.FailStatus != 0 {
		status = s.FailStatus
		if s.FailCount > 0 {
			s.FailCount--
			if s.FailCount == 0 {
				s.FailStatus = 0
			}
		}
	}
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if status != 0 {
		fail(w, status, "InternalError", fmt.Sprintf("status %d", status))
		return
	}
	if max > 0 && len(src)*len(dst) > max*max {
		fail(w, http.StatusBadRequest, "TooBig", "Too many table coordinates")
		return
	}
	dur := make([][]*float64, len(src))
	dist := make([][]*float64, len(src))
	for i, a := range src {
		dur[i] = make([]*float64, len(dst))
		dist[i] = make([]*float64, len(dst))
		for j, b := range dst {
			if wall != 0 && pts[b][0] > wall && pts[a][0] <= wall {
				continue
			}
			m, sec := Trip(pts[a], pts[b])
			dur[i][j], dist[i][j] = &sec, &m
		}
	}
	if truncate && len(dur) > 0 {
		dur, dist = dur[:len(dur)-1], dist[:len(dist)-1]
	}
	waypoint := func(idx []int) []map[string]any {
		out := make([]map[string]any, len(idx))
		for k, i := range idx {
			out[k] = map[string]any{"location": []float64{pts[i][0], pts[i][1]}, "name": "", "hint": ""}
		}
		return out
	}
	body := map[string]any{"code": "Ok", "sources": waypoint(src), "destinations": waypoint(dst)}
	if wantDur {
		body["durations"] = dur
	}
	if wantDist {
		body["distances"] = dist
	}
	answer(w, http.StatusOK, body)
}

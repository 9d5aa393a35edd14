package httpapi

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/tileset"
)

// tileSet returns the tiles of the current generation, built and
// generalised before it was published; a request only reads them (the
// cache's LRU bookkeeping aside).
func (s *Server) tileSet() *tileset.Set { return s.idx.Load().Tiles() }

// singleLayers holds, for each layer, the one-layer list of a request
// naming only it (most tile requests), shared read-only.
var singleLayers = func() map[string][]string {
	m := make(map[string][]string, len(tileset.Layers))
	for _, l := range tileset.Layers {
		m[l.ID] = []string{l.ID}
	}
	return m
}()

// tileLayers parses "communes" or "communes,sites" into known layer names.
// The result is read-only.
func tileLayers(raw string) ([]string, error) {
	if one, ok := singleLayers[raw]; ok {
		return one, nil
	}
	var out []string
	for _, name := range strings.Split(raw, ",") {
		if _, ok := tileset.Layer(name); !ok {
			return nil, notFound("couche « %s » inconnue ; couches : sites, communes, epci, departements", name)
		}
		for _, o := range out {
			if o == name {
				return nil, invalid("couche « %s » demandée deux fois", name)
			}
		}
		out = append(out, name)
	}
	return out, nil
}

// tileFilter reads the site filters of a tile request: the same as
// /api/sites, plus v, the data version (any value accepted).
func (s *Server) tileFilter(v url.Values) (index.Filter, error) {
	if _, ok := v["v"]; len(v) == 0 || ok && len(v) == 1 {
		return index.Filter{}, nil // no filter: nearly every tile request
	}
	rest := url.Values{}
	for k, vals := range v {
		if k != "v" {
			rest[k] = vals
		}
	}
	for k := range rest {
		if k == "bbox" || k == "near" || k == "radius" || k == "limit" || k == "offset" {
			return index.Filter{}, invalid("paramètre « %s » sans objet pour une tuile", k)
		}
	}
	if rest.Get("ouvert") == "maintenant" {
		// A tile URL is cached (for a year with v): it must not depend on the clock.
		return index.Filter{}, invalid("ouvert=maintenant sans objet pour une tuile, mise en cache : donnez un instant, comme ouvert=2026-05-01T10:00:00+02:00")
	}
	q, err := s.siteQuery(rest, false)
	return q.Filter, err
}

func (s *Server) getTile(w http.ResponseWriter, r *http.Request) error {
	layers, err := tileLayers(chi.URLParam(r, "layer"))
	if err != nil {
		return err
	}
	z, err1 := strconv.Atoi(chi.URLParam(r, "z"))
	x, err2 := strconv.Atoi(chi.URLParam(r, "x"))
	yRaw := chi.URLParam(r, "y")
	yStr, ok := strings.CutSuffix(yRaw, ".mvt")
	if !ok {
		yStr, ok = strings.CutSuffix(yRaw, ".pbf")
	}
	y, err3 := strconv.Atoi(yStr)
	if !ok || err1 != nil || err2 != nil || err3 != nil || z < 0 || z > tileset.MaxRequestZoom ||
		x < 0 || y < 0 || x >= 1<<z || y >= 1<<z {
		return invalid("tuile %s/%s/%s invalide : z de 0 à %d, x et y de 0 à 2^z−1, extension .mvt",
			chi.URLParam(r, "z"), chi.URLParam(r, "x"), yRaw, tileset.MaxRequestZoom)
	}
	var query url.Values // nil for no query: nearly every tile request
	if r.URL.RawQuery != "" {
		query = r.URL.Query()
	}
	filter, err := s.tileFilter(query)
	if err != nil {
		return err
	}
	set := s.tileSet()
	t, err := set.Get(tileset.Request{Layers: layers, Tile: maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), Filter: filter})
	if err != nil {
		return err
	}
	_, err = s.writeTile(w, r, set, layers, t, query.Get("v"))
	return err
}

// writeTile answers a tile of set: 204 when empty, 304 when the request's
// If-None-Match names it, else its bytes, gzipped when the client takes
// gzip. v is the request's data version parameter ("" without one). It
// returns the status answered; an error is returned before anything is
// written. It is the answer of both the routed tile requests (getTile)
// and the hot ones (hottiles.go).
func (s *Server) writeTile(w http.ResponseWriter, r *http.Request, set *tileset.Set, layers []string, t tileset.Tile, v string) (int, error) {
	// The headers are set by their canonical names to shared one-value
	// slices (len = cap: an Add elsewhere copies them), which spares the
	// canonicalisation and an allocation per header on the hottest route.
	h := w.Header()
	h["Cache-Control"] = s.cacheControl(v, set, layers)
	// A tile is the same for every origin and is made to be cached (by
	// CDNs too): it is always open to any origin, whether the request
	// names one or not, so it does not vary with Origin.
	h["Access-Control-Allow-Origin"] = headerAnyOrigin
	h["Vary"] = headerVaryEncoding
	if t.Gzip == nil {
		w.WriteHeader(http.StatusNoContent)
		return http.StatusNoContent, nil
	}
	gz := acceptsGzip(r)
	etag := t.Values.ETag
	if gz {
		etag = t.Values.GzipETag
	}
	if inm := r.Header["If-None-Match"]; len(inm) > 0 && match(inm[0], etag[0]) {
		h["Etag"] = etag
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified, nil
	}
	if gz {
		h["Etag"] = etag
		h["Content-Type"] = headerMVT
		h["Content-Encoding"] = headerGzip
		h["Content-Length"] = t.Values.GzipLength
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(t.Gzip)
		}
		return http.StatusOK, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(t.Gzip))
	if err != nil {
		return 0, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return 0, err
	}
	h["Etag"] = etag
	h["Content-Type"] = headerMVT
	h.Set("Content-Length", strconv.Itoa(len(raw)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(raw)
	}
	return http.StatusOK, nil
}

// Header values of the tile route, shared by every answer (see getTile).
var (
	headerAnyOrigin    = []string{"*"}
	headerVaryEncoding = []string{"Accept-Encoding"}
	headerMVT          = []string{"application/vnd.mapbox-vector-tile"}
	headerGzip         = []string{"gzip"}
	headerImmutable    = []string{"public, max-age=31536000, immutable"}
)

// cacheControl: URLs carrying the current version of their layers (the
// data version at which their tiles last changed, see
// tileset.Set.LayersVersion) never change and are cached for a year;
// others for the configured time.
func (s *Server) cacheControl(v string, set *tileset.Set, layers []string) []string {
	var buf [20]byte
	if v != "" && v == string(strconv.AppendInt(buf[:0], set.LayersVersion(layers), 10)) {
		return headerImmutable
	}
	return s.tileCacheControl
}

func acceptsGzip(r *http.Request) bool {
	rest := r.Header.Get("Accept-Encoding")
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") || strings.TrimSpace(enc) == "*" {
			return !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") || strings.Contains(params, "q=0.")
		}
	}
	return false
}

// match reports whether an If-None-Match header matches etag.
func match(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == etag || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// baseURL is the scheme and host the client used.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

type tileJSON struct {
	TileJSON     string              `json:"tilejson"`
	Name         string              `json:"name"`
	Description  string              `json:"description"`
	Version      string              `json:"version"`
	Attribution  string              `json:"attribution"`
	Scheme       string              `json:"scheme"`
	Tiles        []string            `json:"tiles"`
	MinZoom      int                 `json:"minzoom"`
	MaxZoom      int                 `json:"maxzoom"`
	Bounds       [4]float64          `json:"bounds"`
	Center       [3]float64          `json:"center"`
	VectorLayers []tileset.LayerInfo `json:"vector_layers"`
}

func (s *Server) getTileJSON(w http.ResponseWriter, r *http.Request) error {
	name, ok := strings.CutSuffix(chi.URLParam(r, "file"), ".json")
	if !ok {
		return notFound("aucune ressource à l'adresse %s", r.URL.Path)
	}
	layers, err := tileLayers(name)
	if err != nil {
		return err
	}
	if _, err := s.tileFilter(r.URL.Query()); err != nil {
		return err
	}
	set := s.tileSet()
	writeJSON(w, http.StatusOK, s.tileJSONFor(r, set, name, layers))
	return nil
}

func (s *Server) tileJSONFor(r *http.Request, set *tileset.Set, name string, layers []string) tileJSON {
	q := r.URL.Query()
	q.Set("v", strconv.FormatInt(set.LayersVersion(layers), 10))
	b, c := set.Bounds(), set.Center()
	tj := tileJSON{
		TileJSON: "3.0.0", Name: "cartonum-" + name,
		Description: tileset.Description,
		Version:     "1.0.0", Attribution: tileset.Attribution,
		Scheme:  "xyz",
		Tiles:   []string{baseURL(r) + "/tiles/" + name + "/{z}/{x}/{y}.mvt?" + q.Encode()},
		MinZoom: 0, MaxZoom: tileset.MaxZoom,
		Bounds: [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]},
		Center: [3]float64{c[0], c[1], 7},
	}
	// The source's first zoom is its layers' first: the communes alone
	// start where the set measured their tiles to fit.
	tj.MinZoom = tileset.MaxZoom
	for _, l := range layers {
		info, _ := set.LayerInfo(l)
		tj.VectorLayers = append(tj.VectorLayers, info)
		tj.MinZoom = min(tj.MinZoom, info.MinZoom)
	}
	return tj
}

func (s *Server) tileCatalog(w http.ResponseWriter, r *http.Request) error {
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	set := s.tileSet()
	type entry struct {
		ID          string `json:"id"`
		Description string `json:"description"`
		URL         string `json:"url"`
	}
	var out []entry
	for _, l := range tileset.Layers {
		out = append(out, entry{ID: l.ID, Description: l.Description, URL: baseURL(r) + "/tiles/" + l.ID + ".json"})
	}
	all := make([]string, len(tileset.Layers))
	for i, l := range tileset.Layers {
		all[i] = l.ID
	}
	combined := strings.Join(all, ",")
	out = append(out, entry{ID: combined, Description: "Toutes les couches en une requête", URL: baseURL(r) + "/tiles/" + combined + ".json"})
	bytes, n, hits, misses := set.Stats()
	writeJSON(w, http.StatusOK, map[string]any{"tilesets": out, "data_version": set.Version(), "layer_versions": set.LayerVersions(all),
		"cache": map[string]any{"bytes": bytes, "tiles": n, "hits": hits, "misses": misses}})
	return nil
}

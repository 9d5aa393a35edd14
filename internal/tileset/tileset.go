// Package tileset builds the vector tiles of one data snapshot: commune,
// EPCI and département polygons generalised per zoom with shared borders
// simplified once (tiles/topology), places clustered per zoom at low zoom
// (tiles/cluster), encoded as MVT 2.1 (tiles) and kept gzipped in a cache
// bounded by bytes. A new snapshot gets a new Set; each layer keeps its
// version, and its cached tiles, while its content does not change
// (versions.go), and ExportPMTiles writes the same tiles as a PMTiles
// archive.
package tileset

import (
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/tiles"
	"github.com/cartonum/cartonum/tiles/cluster"
	"github.com/cartonum/cartonum/tiles/topology"
)

// Layer names.
const (
	Sites        = "sites"
	Communes     = "communes"
	EPCI         = "epci"
	Departements = "departements"
)

// MaxZoom is the most detailed zoom generalised; tiles beyond it are cut
// from its geometry (overzoom).
const MaxZoom = 14

// MaxRequestZoom is the deepest zoom served.
const MaxRequestZoom = 22

// LayerInfo describes a layer for TileJSON.
type LayerInfo struct {
	ID          string            `json:"id"`
	Description string            `json:"description"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

// Layers lists the layers in their drawing order, with the attributes of
// each (the indicator attributes from analysis.Fields).
var Layers = withIndicators([]LayerInfo{
	{ID: Departements, Description: "Départements de la région", MinZoom: 0, MaxZoom: MaxZoom,
		Fields: map[string]string{"code": "Code du département", "nom": "Nom", "population": "Population", "lieux": "Nombre de lieux"}},
	{ID: EPCI, Description: "Intercommunalités (EPCI) de la région ; identifiant numérique = SIREN, seul attribut avant le zoom 6", MinZoom: 0, MaxZoom: MaxZoom,
		Fields: map[string]string{"code": "SIREN (à partir du zoom 6)", "nom": "Nom (à partir du zoom 6)", "type": "CA, CC, CU ou METRO (à partir du zoom 6)", "population": "Population (à partir du zoom 6)", "lieux": "Nombre de lieux (à partir du zoom 6)"}},
	{ID: Communes, Description: "Communes de la région ; identifiant numérique = code INSEE lu comme un nombre (2A004 → 20004, 2B033 → 120033), seul attribut avant le zoom 9", MinZoom: 5, MaxZoom: MaxZoom,
		Fields: map[string]string{"code": "Code INSEE (à partir du zoom 9)", "nom": "Nom (à partir du zoom 9)", "population": "Population légale (à partir du zoom 9)", "departement": "Code du département (à partir du zoom 9)", "epci": "SIREN de l'EPCI (à partir du zoom 9)", "lieux": "Nombre de lieux (à partir du zoom 9)"}},
	{ID: Sites, Description: "Lieux de médiation numérique (regroupés aux petits zooms)", MinZoom: 0, MaxZoom: MaxZoom,
		Fields: map[string]string{
			"id": "Identifiant du lieu", "nom": "Nom (celui de la source)", "nom_affiche": "Nom normalisé pour la lecture (majuscules, tirets bas)", "commune": "Commune",
			"services": "Services, séparés par |", "dispositifs": "Dispositifs, séparés par |",
			"frais": "Frais à charge, séparés par |", "modalites_acces": "Modalités d'accès, séparées par |",
			"modalites_accompagnement": "Modalités d'accompagnement, séparées par |",
			"france_services":          "Labellisé France Services", "conseillers_numeriques": "Conseillers numériques",
			"precision": "exact ou commune", "approx": "Position approximative (lieu placé au centre de sa commune), présent seulement quand vrai", "hors_region": "Lieu d'une région voisine (offre proche de la limite), présent seulement quand vrai", "cluster": "Regroupement de lieux",
			"point_count": "Nombre de lieux du regroupement", "expansion_zoom": "Zoom où le regroupement se sépare",
		}},
	labelsInfo,
})

// withIndicators adds to the communes and EPCI layers the indicator
// attributes of analysis.Fields.
func withIndicators(layers []LayerInfo) []LayerInfo {
	for i := range layers {
		if layers[i].ID != Communes && layers[i].ID != EPCI {
			continue
		}
		for _, f := range analysis.Fields {
			if f.Tile == "" {
				continue
			}
			desc := f.Label + " (" + f.Unit + ")"
			switch layers[i].ID {
			case Communes:
				desc += " (à partir du zoom 9)"
			case EPCI:
				desc += " (à partir du zoom 6)"
			}
			layers[i].Fields[f.Tile] = desc
		}
	}
	return layers
}

// Layer returns the description of a layer.
func Layer(name string) (LayerInfo, bool) {
	for _, l := range Layers {
		if l.ID == name {
			return l, true
		}
	}
	return LayerInfo{}, false
}

// Config tunes a Set.
type Config struct {
	// CacheBytes bounds the gzipped tiles kept in memory.
	CacheBytes int64
	Cluster    cluster.Options
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{CacheBytes: 64 << 20, Cluster: cluster.DefaultOptions()}
}

// polygons are the world geometries of one polygon layer at one zoom.
type zoomLevel struct {
	once     sync.Once
	done     atomic.Bool // once has run: the level is complete
	communes []orb.MultiPolygon
	epci     []orb.MultiPolygon // in Set.epci order
	deps     []orb.MultiPolygon // in Set.deps order
	// bounds of the generalised geometries, computed once per zoom
	communeBounds, epciBounds, depBounds []orb.Bound
}

func bounds(geoms []orb.MultiPolygon) []orb.Bound {
	out := make([]orb.Bound, len(geoms))
	for i, g := range geoms {
		if len(g) > 0 {
			out[i] = g.Bound()
		}
	}
	return out
}

type polyMeta struct {
	id    uint64
	props map[string]any // every property, from DetailZoom on
	small map[string]any // the properties kept below DetailZoom
	bound orb.Bound      // world bound of the unsimplified geometry
}

// DetailZoom is the zoom from which commune features carry their
// properties; below it, where one tile holds hundreds or thousands of the
// region's 3,782 communes, they carry only their numeric id
// (tiles.CommuneID of the INSEE code), which keeps every tile under
// 100 KB (with its ten properties, the densest z8 tile of Hauts-de-France,
// around Lille, weighs 200 KB): maps join figures by feature id (feature
// state), names are in the API and in the libelles layer.
const DetailZoom = 9

// EPCIDetailZoom is the zoom from which EPCI features carry their
// properties; below it, where a tile of the whole country holds its 1,250
// EPCI (the z0–z5 tiles weighed 135–155 KB with them), they carry only
// their numeric id, the SIREN read as a number. The web app draws EPCI
// contours from this zoom and joins figures by feature id below it.
const EPCIDetailZoom = 6

// Set is the tile data of one snapshot.
type Set struct {
	snap   *index.Snapshot
	cfg    Config
	bounds orb.Bound // WGS84 bounds of the region

	gen       *generalised
	epciKey   []string // per commune: its EPCI code
	deptKey   []string // per commune: its département code
	communes  []polyMeta
	epci      []polyMeta
	epciCodes []string
	deps      []polyMeta
	depCodes  []string

	placeIDs []uint64 // per place of the snapshot
	world    []orb.Point

	clusterMu sync.Mutex
	clusters  map[string]*clusterEntry

	cache *Cache

	labels labelSet

	versions map[string]int64 // by layer name, see versions.go
	keysOnce sync.Once
	keys     map[string]uint64 // contentKeys
}

type clusterEntry struct {
	once   sync.Once
	places []int // indexes into snap.Places()
	idx    *cluster.Index
}

// Attributes are extra properties of the polygon layers, by territory code
// (e.g. the default accessibility indicators).
type Attributes struct {
	Communes map[string]map[string]any
	EPCI     map[string]map[string]any
}

// IndicatorAttributes returns the indicator attributes of territories, by
// code, as the tiles carry them: the figures of analysis.Fields that have a
// Tile name, rounded to their TileDigits.
func IndicatorAttributes(rows []analysis.Indicators) map[string]map[string]any {
	out := make(map[string]map[string]any, len(rows))
	for i := range rows {
		attrs := map[string]any{}
		for _, f := range analysis.Fields {
			if f.Tile != "" {
				p := math.Pow(10, float64(f.TileDigits))
				attrs[f.Tile] = math.Round(f.Value(&rows[i])*p) / p
			}
		}
		out[rows[i].Code] = attrs
	}
	return out
}

// generalised is the topology of the communes and its generalisation per
// zoom: it depends only on the territories, so data versions that change
// only places share it.
type generalised struct {
	// communesFirst is the first zoom of the communes layer, measured
	// once (see Set.CommunesMinZoom).
	firstOnce     sync.Once
	communesFirst int

	key           uint64 // territoryKey of the territories it was built from
	codes         territoryCodes
	bounds        orb.Bound
	communeBounds []orb.Bound // world bound of each commune's contour
	topo          *topology.Topology
	zooms         [MaxZoom + 1]zoomLevel
}

// newGeneralised groups the communes of a topology by EPCI and
// département; the zooms are generalised on first use (or by Warm).
func newGeneralised(key uint64, t *Topology, codes territoryCodes) *generalised {
	return &generalised{key: key, codes: codes, communeBounds: t.communeBounds, bounds: t.bounds, topo: t.topo}
}

// Topology is the topology of a list of communes in world coordinates: the
// part of Territories that needs only their contours, so that it can be
// built from the communes a snapshot is made of while the snapshot is
// indexed (see PrepareTerritoriesFrom).
type Topology struct {
	communes      []cartonum.Commune // the list it was built from
	bounds        orb.Bound          // WGS84 bounds of the communes
	communeBounds []orb.Bound        // world bound of each commune's contour
	topo          *topology.Topology
}

// NewTopology projects the communes to world coordinates and builds their
// topology.
func NewTopology(communes []cartonum.Commune) *Topology {
	t := &Topology{communes: communes, communeBounds: make([]orb.Bound, len(communes)),
		bounds: orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}}
	world := make([]orb.MultiPolygon, len(communes))
	for i := range communes {
		world[i] = tiles.WorldGeometry(communes[i].Geometry).(orb.MultiPolygon)
		t.communeBounds[i] = world[i].Bound()
		t.bounds = t.bounds.Union(communes[i].Geometry.Bound())
	}
	t.topo = topology.Build(world)
	return t
}

// of reports whether t was built from this very list of communes (the
// same slice, not an equal one).
func (t *Topology) of(communes []cartonum.Commune) bool {
	return t != nil && len(t.communes) == len(communes) && (len(communes) == 0 || &t.communes[0] == &communes[0])
}

// New prepares the tiles of a snapshot: the topology of the communes is
// built now, each zoom's generalisation on first use (or by Warm).
func New(snap *index.Snapshot, cfg Config, attrs Attributes) *Set {
	return NewFrom(nil, snap, cfg, attrs)
}

// NewFrom is New for the data version that follows prev's: when the
// territories (communes' codes and contours, their EPCI and département)
// are the same, the new set shares prev's topology and generalised zooms
// instead of computing them again, as when only places changed.
func NewFrom(prev *Set, snap *index.Snapshot, cfg Config, attrs Attributes) *Set {
	return NewWith(prev, PrepareTerritories(prev, snap), snap, cfg, attrs)
}

// Territories is the part of a tile set that depends only on the
// territories of a snapshot: the topology of its communes and their
// generalisation per zoom. It is made apart from the Set so that it can be
// built, and warmed, while the indicators that the Set's attributes need
// are computed.
type Territories struct {
	gen *generalised
}

// PrepareTerritories returns the territories of snap: prev's when they are
// the same (nothing is computed), else a new topology of the communes,
// whose zooms are generalised on first use or by Warm.
func PrepareTerritories(prev *Set, snap *index.Snapshot) *Territories {
	return PrepareTerritoriesFrom(prev, snap, nil)
}

// PrepareTerritoriesFrom is PrepareTerritories with the topology of the
// communes of snap already built by NewTopology, from the slice the
// snapshot holds (index.New keeps it); another topology (or nil) is
// ignored, and the topology built again when needed.
func PrepareTerritoriesFrom(prev *Set, snap *index.Snapshot, topo *Topology) *Territories {
	codes := territoryCodesOf(snap)
	communes := snap.Communes()
	key := territoryKey(communes, codes.epciKey, codes.deptKey, codes.epciCodes, codes.depCodes)
	if prev != nil && prev.gen.key == key {
		return &Territories{gen: prev.gen}
	}
	if !topo.of(communes) {
		topo = NewTopology(communes)
	}
	return &Territories{gen: newGeneralised(key, topo, codes)}
}

// Warm generalises every zoom now (see Set.Warm).
func (t *Territories) Warm() { t.gen.warm() }

// Shares reports whether t are the territories of s (and share their
// generalisation).
func (t *Territories) Shares(s *Set) bool { return s != nil && s.gen == t.gen }

// Outlines returns the polygons of the EPCI and départements (see
// Set.Outlines).
func (t *Territories) Outlines() (epci, departements map[string]orb.MultiPolygon) {
	return t.gen.outlines()
}

// territoryCodes are the codes the generalisation groups communes by.
type territoryCodes struct {
	epciKey   []string // per commune: its EPCI code
	deptKey   []string // per commune: its département code
	epciCodes []string // the EPCI drawn, in snapshot order
	depCodes  []string // the départements drawn, sorted
}

// territoryCodesOf lists the EPCI and départements of a snapshot's
// communes: an EPCI is drawn when it has a member commune, inhabitants or
// places.
func territoryCodesOf(snap *index.Snapshot) territoryCodes {
	communes := snap.Communes()
	c := territoryCodes{epciKey: make([]string, len(communes)), deptKey: make([]string, len(communes))}
	epciPop := map[string]int{}
	epciPlaces := map[string]int{}
	deps := map[string]bool{}
	for i := range communes {
		e := snap.EPCIOf(communes[i].Code)
		c.epciKey[i], c.deptKey[i] = e, communes[i].CodeDepartement
		epciPop[e] += communes[i].Population
		epciPlaces[e] += snap.PlacesIn(communes[i].Code)
		deps[communes[i].CodeDepartement] = true
	}
	members := make(map[string]bool, len(communes))
	for _, e := range c.epciKey {
		members[e] = true
	}
	for _, e := range snap.EPCIs() {
		if epciPop[e.Code] == 0 && epciPlaces[e.Code] == 0 && !members[e.Code] {
			continue
		}
		c.epciCodes = append(c.epciCodes, e.Code)
	}
	c.depCodes = slices.Sorted(maps.Keys(deps))
	return c
}

// NewWith is NewFrom with the territories already prepared from snap (by
// PrepareTerritories, with the same prev).
func NewWith(prev *Set, terr *Territories, snap *index.Snapshot, cfg Config, attrs Attributes) *Set {
	s := &Set{snap: snap, cfg: cfg, clusters: map[string]*clusterEntry{}, cache: NewCache(cfg.CacheBytes)}
	s.gen = terr.gen
	codes := s.gen.codes
	s.epciKey, s.deptKey, s.epciCodes, s.depCodes = codes.epciKey, codes.deptKey, codes.epciCodes, codes.depCodes
	communes := snap.Communes()
	epciPop := map[string]int{}
	depPop := map[string]int{}
	epciPlaces := map[string]int{}
	depPlaces := map[string]int{}
	s.communes = make([]polyMeta, 0, len(communes))
	for i := range communes {
		c := &communes[i]
		e := s.epciKey[i]
		n := snap.PlacesIn(c.Code)
		epciPop[e] += c.Population
		depPop[c.CodeDepartement] += c.Population
		epciPlaces[e] += n
		depPlaces[c.CodeDepartement] += n
		s.communes = append(s.communes, polyMeta{
			id: tiles.CommuneID(c.Code),
			props: map[string]any{"code": c.Code, "nom": c.Nom, "population": c.Population,
				"departement": c.CodeDepartement, "epci": e, "lieux": n},
			small: map[string]any{},
			bound: s.gen.communeBounds[i],
		})
		if tiles.CommuneID(c.Code) >= 20000 && strings.ContainsAny(c.Code, "AB") {
			// Corsican codes contain letters: their numeric id is not the
			// code, which they keep as a property at every zoom.
			s.communes[i].small["code"] = c.Code
		}
		for k, v := range attrs.Communes[c.Code] {
			s.communes[i].props[k] = v
		}
	}
	for _, code := range s.epciCodes {
		e, _ := snap.EPCI(code)
		id, _ := parseUint(e.Code)
		pop := e.Population
		if pop == 0 {
			pop = epciPop[e.Code]
		}
		props := map[string]any{"code": e.Code, "nom": e.Nom, "type": e.Type, "population": pop, "lieux": epciPlaces[e.Code]}
		for k, v := range attrs.EPCI[e.Code] {
			props[k] = v
		}
		s.epci = append(s.epci, polyMeta{id: id, props: props})
	}
	depNames := map[string]string{}
	for _, d := range snap.Departements() {
		depNames[d.Code] = d.Nom
	}
	for _, code := range s.depCodes {
		s.deps = append(s.deps, polyMeta{id: departementID(code), props: map[string]any{"code": code, "nom": depNames[code], "population": depPop[code], "lieux": depPlaces[code]}})
	}
	s.bounds = s.gen.bounds
	// Places: stable numeric ids and world positions.
	places := snap.Places()
	s.placeIDs = make([]uint64, len(places))
	s.world = make([]orb.Point, len(places))
	used := make(map[uint64]bool, len(places))
	for i := range places {
		id := placeID(places[i].ID)
		for used[id] {
			id = (id + 1) & (1<<62 - 1)
			if id == 0 {
				id = 1
			}
		}
		used[id] = true
		s.placeIDs[i] = id
		s.world[i] = tiles.ToWorld(places[i].Longitude, places[i].Latitude)
	}
	s.setVersions(prev)
	return s
}

// territoryKey hashes what the generalised polygons depend on: each
// commune's code, contour, EPCI and département, and the EPCI and
// départements drawn, in their order.
func territoryKey(communes []cartonum.Commune, epci, deps, epciCodes, depCodes []string) uint64 {
	k := newKeyWriter(0)
	for i := range communes {
		k.str(communes[i].Code)
		k.str(epci[i])
		k.str(deps[i])
		for _, poly := range communes[i].Geometry {
			for _, ring := range poly {
				k.points(ring)
			}
			k.h.WriteByte(0)
		}
		k.h.WriteByte(0x1e)
	}
	k.list(epciCodes)
	k.list(depCodes)
	return k.sum()
}

// SharesTerritories reports whether s and other were made from the same
// territories (and share their generalisation).
func (s *Set) SharesTerritories(other *Set) bool { return other != nil && s.gen == other.gen }

func parseUint(s string) (uint64, bool) {
	var n uint64
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + uint64(r-'0')
	}
	return n, true
}

// departementID is a numeric id for a département code: its number, with
// Corsica's 2A and 2B as 201 and 202.
func departementID(code string) uint64 {
	switch code {
	case "2A":
		return 201
	case "2B":
		return 202
	}
	n, _ := parseUint(code)
	return n
}

// placeID is a stable numeric id for a place: a 62-bit FNV-1a hash of its
// id (non-zero, below the ids of clusters).
func placeID(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	v := h.Sum64() & (1<<62 - 1)
	if v == 0 {
		v = 1
	}
	return v
}

// Bounds returns the WGS84 bounds of the region.
func (s *Set) Bounds() orb.Bound { return s.bounds }

// Center returns where a map of the tiles opens: the median, in longitude
// and in latitude, of the centres of the communes' bounds. It is near the
// middle of the bounds for one region, and stays in metropolitan France
// when the overseas départements stretch the bounds over the Atlantic.
func (s *Set) Center() orb.Point {
	communes := s.snap.Communes()
	if len(communes) == 0 {
		return s.bounds.Center()
	}
	lon, lat := make([]float64, len(communes)), make([]float64, len(communes))
	for i := range communes {
		c := communes[i].Geometry.Bound().Center()
		lon[i], lat[i] = c[0], c[1]
	}
	slices.Sort(lon)
	slices.Sort(lat)
	return orb.Point{lon[len(lon)/2], lat[len(lat)/2]}
}

// Version is the data version of the snapshot.
func (s *Set) Version() int64 { return s.snap.Version() }

// Outlines returns the polygons of the EPCI and départements, in WGS84,
// dissolved from the communes' topology without simplification: the same
// topology the tiles generalise, so outlines and tiles share their borders.
func (s *Set) Outlines() (epci, departements map[string]orb.MultiPolygon) { return s.gen.outlines() }

// outlines dissolves the EPCI and the départements at the same time (the
// topology is only read).
func (g *generalised) outlines() (epci, departements map[string]orb.MultiPolygon) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		epci = unproject(g.topo.Dissolve(g.codes.epciKey, 0))
	}()
	departements = unproject(g.topo.Dissolve(g.codes.deptKey, 0))
	<-done
	return epci, departements
}

// unproject brings world geometries back to longitude and latitude.
func unproject(in map[string]orb.MultiPolygon) map[string]orb.MultiPolygon {
	for _, mp := range in {
		for _, poly := range mp {
			for _, ring := range poly {
				for i, p := range ring {
					ring[i][0], ring[i][1] = tiles.FromWorld(p)
				}
			}
		}
	}
	return in
}

// Snapshot returns the snapshot the tiles are made from.
func (s *Set) Snapshot() *index.Snapshot { return s.snap }

// Pixel is the size of a pixel of a 512-pixel tile, in tile units: what
// the generalisation of the polygons is matched to.
const Pixel = tiles.Extent / 512

// RegionZoom is the deepest zoom at which one tile holds all, or most, of
// a region (Hauts-de-France fits in one z6 tile): there, every commune
// is a feature of the same tile, and what a feature costs whatever its
// shape (its id, type and first point, about 20 bytes) is most of the
// tile.
const RegionZoom = 6

// tolerance is the simplification tolerance at zoom z, in world units:
//   - up to RegionZoom, 1.5 pixel (12 units), with the points snapped to
//     the pixel grid (grid): a commune there is 2 to 4 pixels wide and a
//     whole-region tile stays under 100 KB (one pixel leaves it at 103 KB);
//   - below DetailZoom, half a pixel (4 units);
//   - from DetailZoom on, one tile unit (an eighth of a pixel), where tiles
//     carry the communes' properties and hold a few hundred of them.
func tolerance(z int) float64 {
	var units float64
	switch {
	case z <= RegionZoom:
		units = 1.5 * Pixel
	case z < DetailZoom:
		units = Pixel / 2
	default:
		units = 1
	}
	return units / (float64(tiles.Extent) * math.Exp2(float64(z)))
}

// grid is the quantum, in tile units, of the polygon layers at zoom z (see
// tiles.Layer.Grid): the pixel up to RegionZoom, one unit deeper.
func grid(z int) int32 {
	if z <= RegionZoom {
		return Pixel
	}
	return 1
}

// level returns the generalised polygons of zoom z (computed once).
func (s *Set) level(z int) *zoomLevel { return s.gen.level(z) }

// level returns the generalised polygons of zoom z (computed once).
func (g *generalised) level(z int) *zoomLevel {
	if z > MaxZoom {
		z = MaxZoom
	}
	lv := &g.zooms[z]
	lv.once.Do(func() {
		gen := g.topo.Generalise(tolerance(z))
		if info, _ := Layer(Communes); z >= info.MinZoom {
			// Below, only the EPCI and départements are drawn.
			lv.communes = gen.Polygons()
		}
		byEPCI := gen.Dissolve(g.codes.epciKey)
		for _, code := range g.codes.epciCodes {
			lv.epci = append(lv.epci, byEPCI[code])
		}
		byDep := gen.Dissolve(g.codes.deptKey)
		for _, code := range g.codes.depCodes {
			lv.deps = append(lv.deps, byDep[code])
		}
		// A polygon that this zoom's tolerance leaves as the next zoom's
		// (or the previous one's) shares its memory: from zoom 10 on,
		// where a tolerance of one tile unit drops few points, a third to
		// four fifths of the communes are the same from one zoom to the
		// next.
		for _, nz := range []int{z + 1, z - 1} {
			if nz < 0 || nz > MaxZoom || !g.zooms[nz].done.Load() {
				continue
			}
			near := &g.zooms[nz]
			shareEqual(lv.communes, near.communes)
			shareEqual(lv.epci, near.epci)
			shareEqual(lv.deps, near.deps)
			break
		}
		lv.communeBounds, lv.epciBounds, lv.depBounds = bounds(lv.communes), bounds(lv.epci), bounds(lv.deps)
		lv.done.Store(true)
	})
	return lv
}

// shareEqual replaces each geometry of mps that is equal to the one at the
// same index of other, a complete level's, by other's, and copies the
// others into new arrays of their exact size: the geometries of a level
// share a few large arrays (topology.Generalisation.Polygons), which would
// stay alive as long as one geometry refers to them.
func shareEqual(mps, other []orb.MultiPolygon) {
	if len(mps) != len(other) {
		return
	}
	shared := make([]bool, len(mps))
	var nPolys, nRings, nPoints int
	for i := range mps {
		if mps[i].Equal(other[i]) {
			shared[i] = true
			continue
		}
		nPolys += len(mps[i])
		for _, p := range mps[i] {
			nRings += len(p)
			for _, r := range p {
				nPoints += len(r)
			}
		}
	}
	polys := make([]orb.Polygon, 0, nPolys)
	rings := make([]orb.Ring, 0, nRings)
	points := make([]orb.Point, 0, nPoints)
	for i, mp := range mps {
		if shared[i] {
			mps[i] = other[i]
			continue
		}
		if mp == nil {
			continue
		}
		p0 := len(polys)
		for _, p := range mp {
			r0 := len(rings)
			for _, r := range p {
				q0 := len(points)
				points = append(points, r...)
				rings = append(rings, orb.Ring(points[q0:len(points):len(points)]))
			}
			polys = append(polys, orb.Polygon(rings[r0:len(rings):len(rings)]))
		}
		mps[i] = orb.MultiPolygon(polys[p0:len(polys):len(polys)])
	}
}

// Warm measures the first zoom of the communes layer (which the TileJSON
// gives) and generalises every zoom now, so that first requests do not
// wait.
func (s *Set) Warm() {
	s.CommunesMinZoom()
	s.gen.warm()
}

// warm generalises every zoom on every core. The zooms, deepest first, are
// cut into one run per core of about the same cost (zoomCost); each run is
// generalised in order, so that each zoom finds the next deeper one done
// and shares the polygons they have in common (level).
func (g *generalised) warm() {
	runs := warmRuns(min(runtime.GOMAXPROCS(0), MaxZoom+1))
	var wg sync.WaitGroup
	for _, run := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, z := range run {
				g.level(z)
			}
		}()
	}
	wg.Wait()
}

// zoomCost is the relative time to generalise zoom z (measured on the
// communes of the whole country: 75 ms up to zoom 6, 180–190 ms at zooms 7
// and 8, 200–330 ms deeper, where few points are dropped).
func zoomCost(z int) int {
	switch {
	case z <= RegionZoom:
		return 1
	case z < DetailZoom:
		return 2
	default:
		return 3
	}
}

// warmRuns cuts the zooms, deepest first, into n runs of consecutive zooms
// of about the same total cost.
func warmRuns(n int) [][]int {
	total := 0
	for z := 0; z <= MaxZoom; z++ {
		total += zoomCost(z)
	}
	runs := make([][]int, 0, n)
	var run []int
	cost := 0
	for z := MaxZoom; z >= 0; z-- {
		run = append(run, z)
		cost += zoomCost(z)
		if len(runs) < n-1 && cost*n >= total*(len(runs)+1) {
			runs = append(runs, run)
			run = nil
		}
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	return runs
}

// Tile is one encoded tile.
type Tile struct {
	Gzip []byte // gzipped MVT; nil for an empty tile
	Size int    // bytes before compression
	ETag string // strong ETag of the uncompressed bytes, quoted
	// GzipETag is the strong ETag of the gzipped bytes: ETag with "-gz"
	// before its closing quote.
	GzipETag string
	// Values are the tile's header values, made once with the tile (nil
	// for an empty tile).
	Values *HeaderValues
}

// HeaderValues are the values of a tile's HTTP headers as one-value
// slices (len = cap, so that an Add elsewhere copies them), made once when
// the tile is built: answering a cached tile then allocates nothing for
// its headers. They are shared and must not be modified.
type HeaderValues struct {
	ETag, GzipETag []string
	GzipLength     []string // len(Gzip) in decimal
}

// Request is one tile request.
type Request struct {
	Layers []string
	Tile   maptile.Tile
	Filter index.Filter
}

// filterKey is a canonical form of the filter for cache keys.
func filterKey(f index.Filter) string {
	parts := []string{
		strings.Join(f.Services, "|"), strings.Join(f.Dispositifs, "|"), strings.Join(f.Publics, "|"),
		strings.Join(f.PriseEnCharge, "|"), strings.Join(f.Frais, "|"),
		strings.Join(f.ModalitesAccompagnement, "|"), strings.Join(f.ModalitesAcces, "|"),
		strings.Join(f.Equipements, "|"), strings.Join(f.Qualifications, "|"),
		strings.Join(f.Communes, "|"), strings.Join(f.EPCIs, "|"), strings.Join(f.Departements, "|"),
		cartonum.Fold(f.Text), fmt.Sprint(f.OpenAt.Unix()),
	}
	return strings.Join(parts, ";")
}

// emptyFilterKey is the filterKey of no filter, the filter of nearly
// every tile request.
var emptyFilterKey = filterKey(index.Filter{})

// noFilter reports whether f selects every place.
func noFilter(f index.Filter) bool {
	return len(f.Services)+len(f.Dispositifs)+len(f.Publics)+len(f.PriseEnCharge)+len(f.Frais)+
		len(f.ModalitesAccompagnement)+len(f.ModalitesAcces)+len(f.Equipements)+len(f.Qualifications)+
		len(f.Communes)+len(f.EPCIs)+len(f.Departements) == 0 && f.Text == "" && f.OpenAt.IsZero()
}

// appendCacheKey appends the key of a request in the cache to b:
// layers/z/x/y?filter. It is built on every tile request, cached or not,
// hence by hand, into a buffer on the caller's stack.
func appendCacheKey(b []byte, r *Request) []byte {
	fk := emptyFilterKey
	if !noFilter(r.Filter) {
		fk = filterKey(r.Filter)
	}
	for i, l := range r.Layers {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, l...)
	}
	b = append(b, '/')
	b = strconv.AppendUint(b, uint64(r.Tile.Z), 10)
	b = append(b, '/')
	b = strconv.AppendUint(b, uint64(r.Tile.X), 10)
	b = append(b, '/')
	b = strconv.AppendUint(b, uint64(r.Tile.Y), 10)
	b = append(b, '?')
	return append(b, fk...)
}

// cacheKey is the key of a request in the cache.
func cacheKey(r Request) string { return string(appendCacheKey(nil, &r)) }

// Get returns a tile from the cache, encoding it on a miss. A hit
// allocates nothing: the key is built on the stack and looked up without
// a copy.
func (s *Set) Get(r Request) (Tile, error) {
	var buf [160]byte
	key := appendCacheKey(buf[:0], &r)
	if t, ok := s.cache.getBytes(key); ok {
		return t, nil
	}
	return s.getMiss(string(key), r)
}

// getMiss builds and caches the tile of a request missing from the cache.
// Apart from Get, so that r moves to the heap (the cache keeps it) only
// on a miss.
//
//go:noinline
func (s *Set) getMiss(key string, r Request) (Tile, error) {
	t, err := s.build(r)
	if err != nil {
		return Tile{}, err
	}
	s.cache.add(key, t, &r)
	return t, nil
}

// Encode builds a tile without the cache.
func (s *Set) Encode(r Request) ([]byte, error) {
	var layers []tiles.Layer
	for _, name := range r.Layers {
		info, ok := Layer(name)
		if !ok {
			return nil, fmt.Errorf("unknown layer %q", name)
		}
		if int(r.Tile.Z) < info.MinZoom || name == Communes && int(r.Tile.Z) < s.CommunesMinZoom() {
			continue
		}
		var feats []tiles.Feature
		switch name {
		case Communes:
			feats = s.communeFeatures(r.Tile)
		case EPCI:
			lv := s.level(int(r.Tile.Z))
			feats = s.groupFeatures(r.Tile, s.epci, lv.epci, lv.epciBounds, r.Tile.Z < EPCIDetailZoom)
		case Departements:
			lv := s.level(int(r.Tile.Z))
			feats = s.groupFeatures(r.Tile, s.deps, lv.deps, lv.depBounds, false)
		case Sites:
			feats = s.siteFeatures(r.Tile, r.Filter)
		case Labels:
			feats = s.labelFeatures(r.Tile)
		}
		if len(feats) > 0 {
			l := tiles.Layer{Name: name, Features: feats}
			if name == Communes || name == EPCI || name == Departements {
				l.Grid = grid(int(r.Tile.Z))
			}
			layers = append(layers, l)
		}
	}
	if len(layers) == 0 {
		return nil, nil
	}
	return tiles.Encode(r.Tile, layers)
}

// padded is the tile's world bound grown by the buffer.
func padded(t maptile.Tile) orb.Bound {
	b := tiles.TileBound(t)
	pad := (b.Max[0] - b.Min[0]) * float64(tiles.Buffer) / float64(tiles.Extent)
	return b.Pad(pad)
}

func (s *Set) communeFeatures(t maptile.Tile) []tiles.Feature {
	b := padded(t)
	// The same bound in longitude and latitude, for the index.
	geo := t.Bound(float64(tiles.Buffer) / float64(tiles.Extent))
	var idx []int
	s.snap.CommunesIntersecting(geo, func(i int) bool {
		if s.communes[i].bound.Intersects(b) {
			idx = append(idx, i)
		}
		return true
	})
	lv := s.level(int(t.Z))
	if len(idx) == 0 || lv.communes == nil {
		return nil
	}
	sort.Ints(idx)
	out := make([]tiles.Feature, 0, len(idx))
	for _, i := range idx {
		props := s.communes[i].props
		if t.Z < DetailZoom {
			props = s.communes[i].small
		}
		out = append(out, tiles.Feature{ID: s.communes[i].id, Geometry: lv.communes[i], Properties: props, Bound: lv.communeBounds[i]})
	}
	return out
}

// groupFeatures are the EPCI or départements meeting tile t; with idOnly,
// they carry their id alone.
func (s *Set) groupFeatures(t maptile.Tile, meta []polyMeta, geoms []orb.MultiPolygon, bs []orb.Bound, idOnly bool) []tiles.Feature {
	b := padded(t)
	var out []tiles.Feature
	for i, g := range geoms {
		if len(g) == 0 || !bs[i].Intersects(b) {
			continue
		}
		props := meta[i].props
		if idOnly {
			props = nil
		}
		out = append(out, tiles.Feature{ID: meta[i].id, Geometry: g, Properties: props, Bound: bs[i]})
	}
	return out
}

// clustersFor returns the clustering of the places matching f, computed
// once per distinct filter (at most 64 kept).
func (s *Set) clustersFor(f index.Filter) *clusterEntry {
	key := filterKey(f)
	s.clusterMu.Lock()
	e, ok := s.clusters[key]
	if !ok {
		if len(s.clusters) >= 64 {
			for k := range s.clusters {
				delete(s.clusters, k)
				break
			}
		}
		e = &clusterEntry{}
		s.clusters[key] = e
	}
	s.clusterMu.Unlock()
	e.once.Do(func() {
		places := s.snap.Places()
		res := s.snap.Search(index.Query{Filter: f})
		pts := make([]orb.Point, 0, len(res.Hits))
		for _, h := range res.Hits {
			i := placeIndex(places, h.Place)
			e.places = append(e.places, i)
			pts = append(pts, s.world[i])
		}
		e.idx = cluster.New(pts, s.cfg.Cluster)
	})
	return e
}

// placeIndex is the position of p in places (p points into it).
func placeIndex(places []cartonum.Place, p *cartonum.Place) int {
	return sort.Search(len(places), func(i int) bool { return places[i].ID >= p.ID })
}

func (s *Set) siteFeatures(t maptile.Tile, f index.Filter) []tiles.Feature {
	e := s.clustersFor(f)
	places := s.snap.Places()
	var out []tiles.Feature
	for _, c := range e.idx.Query(int(t.Z), padded(t)) {
		if len(c.Members) == 1 {
			i := e.places[c.Members[0]]
			p := &places[i]
			out = append(out, tiles.Feature{ID: s.placeIDs[i], Geometry: s.world[i], Properties: siteProps(p)})
			continue
		}
		fs, cn := 0, 0
		for _, m := range c.Members {
			p := &places[e.places[m]]
			if contains(p.Dispositifs, "France Services") {
				fs++
			}
			if contains(p.Dispositifs, "Conseillers numériques") {
				cn++
			}
		}
		id := uint64(1)<<63 | uint64(t.Z)<<40 | uint64(c.Members[0])
		out = append(out, tiles.Feature{ID: id, Geometry: c.Center, Properties: map[string]any{
			"cluster": true, "point_count": len(c.Members), "france_services": fs,
			"conseillers_numeriques": cn, "expansion_zoom": min(int(t.Z)+1, e.idx.MaxZoom()+1),
		}})
	}
	return out
}

func siteProps(p *cartonum.Place) map[string]any {
	props := map[string]any{
		"id": p.ID, "nom": p.Nom, "nom_affiche": index.DisplayName(p.Nom), "commune": p.Commune,
		"services":                 strings.Join(p.Services, "|"),
		"dispositifs":              strings.Join(p.Dispositifs, "|"),
		"frais":                    strings.Join(p.Frais, "|"),
		"modalites_acces":          strings.Join(p.ModalitesAcces, "|"),
		"modalites_accompagnement": strings.Join(p.ModalitesAccompagnement, "|"),
		"france_services":          contains(p.Dispositifs, "France Services"),
		"conseillers_numeriques":   contains(p.Dispositifs, "Conseillers numériques"),
		"precision":                string(p.Provenance.Precision),
	}
	if p.Provenance.Precision == cartonum.PrecisionCommune {
		// Placed at its commune's anchor: drawn as a hollow pin.
		props["approx"] = true
	}
	if p.Provenance.OutsideRegion {
		// A neighbouring region's place, kept as supply near the border.
		props["hors_region"] = true
	}
	return props
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// MaxCommunesTileBytes bounds the uncompressed communes tile: from the
// first zoom of the communes layer on, the densest tile stays under it.
const MaxCommunesTileBytes = 100_000

// densestTiles is how many of the tiles holding the most communes are
// encoded to measure a zoom.
const densestTiles = 3

// LayerInfo describes a layer as this set serves it: Layer's description,
// with the communes' first zoom measured on these territories (see
// CommunesMinZoom).
func (s *Set) LayerInfo(name string) (LayerInfo, bool) {
	info, ok := Layer(name)
	if ok && name == Communes {
		info.MinZoom = s.CommunesMinZoom()
	}
	return info, ok
}

// CommunesMinZoom returns the first zoom of the communes layer: the
// lowest zoom from Layer(Communes).MinZoom on at which the densest
// communes tile weighs at most MaxCommunesTileBytes before compression.
// Below it, a tile of a whole country would hold thousands of communes a
// few pixels wide: the layer is left out and the EPCI and départements
// are drawn. The densest tiles of each candidate zoom (those meeting the
// most communes' bounds) are encoded to measure it, once per set of
// territories.
func (s *Set) CommunesMinZoom() int {
	s.gen.firstOnce.Do(func() {
		info, _ := Layer(Communes)
		z := info.MinZoom
		for ; z < MaxZoom; z++ {
			if s.densestCommunesTile(z) <= MaxCommunesTileBytes {
				break
			}
		}
		s.gen.communesFirst = z
	})
	return s.gen.communesFirst
}

// densestCommunesTile returns the size in bytes of the largest of the
// communes tiles of zoom z that meet the most communes' bounds.
func (s *Set) densestCommunesTile(z int) int {
	n := math.Ldexp(1, z)
	last := int(n) - 1
	counts := map[maptile.Tile]int{}
	for i := range s.communes {
		b := s.communes[i].bound
		x0 := min(max(int(math.Floor(b.Min[0]*n)), 0), last)
		x1 := min(max(int(math.Floor(b.Max[0]*n)), 0), last)
		y0 := min(max(int(math.Floor(b.Min[1]*n)), 0), last)
		y1 := min(max(int(math.Floor(b.Max[1]*n)), 0), last)
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				counts[maptile.New(uint32(x), uint32(y), maptile.Zoom(z))]++
			}
		}
	}
	dense := make([]maptile.Tile, 0, len(counts))
	for t := range counts {
		dense = append(dense, t)
	}
	sort.Slice(dense, func(a, b int) bool {
		ta, tb := dense[a], dense[b]
		if counts[ta] != counts[tb] {
			return counts[ta] > counts[tb]
		}
		if ta.X != tb.X {
			return ta.X < tb.X
		}
		return ta.Y < tb.Y
	})
	largest := 0
	for _, t := range dense[:min(densestTiles, len(dense))] {
		feats := s.communeFeatures(t)
		if len(feats) == 0 {
			continue
		}
		raw, err := encodeCommunes(t, feats)
		if err != nil {
			// Not measurable: counted as too large, the next zoom is tried.
			return math.MaxInt
		}
		largest = max(largest, len(raw))
	}
	return largest
}

// encodeCommunes encodes a tile of the communes layer alone.
func encodeCommunes(t maptile.Tile, feats []tiles.Feature) ([]byte, error) {
	if len(feats) == 0 {
		return nil, nil
	}
	return tiles.Encode(t, []tiles.Layer{{Name: Communes, Features: feats, Grid: grid(int(t.Z))}})
}

// TilesOver lists the tiles of zoom z meeting the WGS84 bound b, by column
// then row (tests and bench programs walk a region's tiles with it).
func TilesOver(b orb.Bound, z int) []maptile.Tile {
	lo := maptile.At(orb.Point{b.Min[0], b.Max[1]}, maptile.Zoom(z))
	hi := maptile.At(orb.Point{b.Max[0], b.Min[1]}, maptile.Zoom(z))
	var out []maptile.Tile
	for x := lo.X; x <= hi.X; x++ {
		for y := lo.Y; y <= hi.Y; y++ {
			out = append(out, maptile.New(x, y, maptile.Zoom(z)))
		}
	}
	return out
}

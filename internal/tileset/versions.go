package tileset

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"
)

// Each layer has its own version: the data version at which what its
// tiles show last changed. A set computes, per layer, a key of everything
// the layer's tiles are made from; NewFrom keeps the previous set's
// version of a layer whose key did not change. So a contribution that
// corrects a phone number, which no tile shows, changes no layer version;
// one that moves a place changes the sites layer, and the communes, EPCI
// and départements layers only if it changes their figures (the places per
// commune, the indicators of the supply). Tile URLs carry the version of
// their layers (the newest, for several), so the URLs of unchanged layers,
// and every cache holding them, stay valid.

// keyedLayers are the layers that have a content key and a version.
var keyedLayers = []string{Communes, EPCI, Departements, Sites, Labels}

// contentKeys returns the content keys of the layers of s (layerKeys), by
// layer name, computed on first use: a set made with no previous one has
// nothing to compare them with, and leaves them to the set that follows it.
func (s *Set) contentKeys() map[string]uint64 {
	s.keysOnce.Do(func() { s.keys = s.layerKeys() })
	return s.keys
}

// keySeed seeds every content key of the process: keys are only compared
// between the sets of one process, never stored.
var keySeed = maphash.MakeSeed()

// keyWriter hashes values in a canonical form (hash/maphash: a content key
// hashes every place and every commune's properties, on the path of each
// new generation).
type keyWriter struct {
	h    maphash.Hash
	keys []string // scratch of props
	buf  []byte   // scratch of points
}

func newKeyWriter(seed uint64) *keyWriter {
	k := &keyWriter{}
	k.h.SetSeed(keySeed)
	k.u64(seed)
	return k
}

func (k *keyWriter) u64(v uint64) {
	k.buf = binary.LittleEndian.AppendUint64(k.buf[:0], v)
	k.h.Write(k.buf)
}

// points hashes a sequence of points, its length first.
func (k *keyWriter) points(ps []orb.Point) {
	k.buf = binary.LittleEndian.AppendUint64(k.buf[:0], uint64(len(ps)))
	for _, p := range ps {
		k.buf = binary.LittleEndian.AppendUint64(k.buf, math.Float64bits(p[0]))
		k.buf = binary.LittleEndian.AppendUint64(k.buf, math.Float64bits(p[1]))
	}
	k.h.Write(k.buf)
}

func (k *keyWriter) num(v float64) { k.u64(math.Float64bits(v)) }

func (k *keyWriter) str(s string) {
	k.h.WriteString(s)
	k.h.WriteByte(0x1f)
}

func (k *keyWriter) list(l []string) {
	for _, s := range l {
		k.h.WriteString(s)
		k.h.WriteByte(0x1d)
	}
	k.h.WriteByte(0x1f)
}

// props hashes a property map, keys sorted, each value with its type.
func (k *keyWriter) props(m map[string]any) {
	keys := k.keys[:0]
	for key := range m {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		k.str(key)
		switch v := m[key].(type) {
		case string:
			k.h.WriteByte('s')
			k.str(v)
		case int:
			k.h.WriteByte('i')
			k.u64(uint64(v))
		case int64:
			k.h.WriteByte('l')
			k.u64(uint64(v))
		case uint64:
			k.h.WriteByte('u')
			k.u64(v)
		case float64:
			k.h.WriteByte('f')
			k.num(v)
		case bool:
			k.h.WriteByte('b')
			if v {
				k.h.WriteByte(1)
			} else {
				k.h.WriteByte(0)
			}
		default:
			k.h.WriteByte('?')
			k.str(fmt.Sprintf("%T:%v", v, v))
		}
	}
	k.keys = keys
	k.h.WriteByte(0x1e)
}

func (k *keyWriter) sum() uint64 { return k.h.Sum64() }

// layerKeys returns the content key of every layer of s. The places' and
// the labels' keys are computed on goroutines of their own, beside the
// polygons' (each hashes tens of thousands of features nationally, after
// the indicators and before the generation is published).
func (s *Set) layerKeys() map[string]uint64 {
	keys := map[string]uint64{}
	var sitesKey, labelsKey uint64
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		sitesKey = s.sitesKey()
	}()
	go func() {
		defer wg.Done()
		labelsKey = s.labelsKey()
	}()

	communes := newKeyWriter(s.gen.key)
	for i := range s.communes {
		communes.num(float64(s.communes[i].id))
		communes.props(s.communes[i].props)
		communes.props(s.communes[i].small)
	}
	keys[Communes] = communes.sum()

	group := func(codes []string, meta []polyMeta) uint64 {
		k := newKeyWriter(s.gen.key)
		for i := range meta {
			k.str(codes[i])
			k.num(float64(meta[i].id))
			k.props(meta[i].props)
		}
		return k.sum()
	}
	keys[EPCI] = group(s.epciCodes, s.epci)
	keys[Departements] = group(s.depCodes, s.deps)
	wg.Wait()
	keys[Sites], keys[Labels] = sitesKey, labelsKey
	return keys
}

// sitesKey hashes every field a sites tile shows or a tile filter reads.
func (s *Set) sitesKey() uint64 {
	sites := newKeyWriter(0)
	places := s.snap.Places()
	for i := range places {
		p := &places[i]
		sites.str(p.ID)
		sites.num(p.Longitude)
		sites.num(p.Latitude)
		sites.props(siteProps(p))
		sites.list(p.OfferedServices())
		for _, l := range [][]string{p.Dispositifs, p.Publics, p.PriseEnCharge, p.Frais,
			p.ModalitesAccompagnement, p.ModalitesAcces, p.Equipements, p.Qualifications} {
			sites.list(l)
		}
		sites.str(p.CodeInsee)
		sites.str(s.snap.EPCIOf(p.CodeInsee))
		sites.str(p.Horaires)
	}
	return sites.sum()
}

// labelsKey hashes the names, populations and anchors of the territories.
func (s *Set) labelsKey() uint64 {
	labels := newKeyWriter(s.gen.key)
	for _, c := range s.snap.Communes() {
		at, _ := s.snap.Anchor(c.Code)
		labels.str(c.Code)
		labels.str(c.Nom)
		labels.num(float64(c.Population))
		labels.num(at[0])
		labels.num(at[1])
	}
	for _, meta := range [][]polyMeta{s.epci, s.deps} {
		for i := range meta {
			labels.num(float64(meta[i].id))
			labels.str(fmt.Sprint(meta[i].props["nom"], meta[i].props["population"]))
		}
	}
	return labels.sum()
}

// setVersions gives every layer of s its version: prev's when the layer's
// content key is the same, the snapshot's data version otherwise. Without
// prev, every layer has the snapshot's version, and the keys (tens of
// thousands of features hashed nationally) are left to the set that
// follows, off the path of a server's first generation.
func (s *Set) setVersions(prev *Set) {
	s.versions = make(map[string]int64, len(keyedLayers))
	for _, name := range keyedLayers {
		s.versions[name] = s.snap.Version()
	}
	if prev == nil {
		return
	}
	prevKeys := prev.contentKeys()
	for name, key := range s.contentKeys() {
		if pk, ok := prevKeys[name]; ok && pk == key {
			s.versions[name] = prev.versions[name]
		}
	}
}

// LayerVersion returns the version of a layer: the data version at which
// its tiles last changed (0 for an unknown layer).
func (s *Set) LayerVersion(name string) int64 { return s.versions[name] }

// LayersVersion returns the version of tiles holding the given layers:
// the newest of theirs. It is the v= of their URLs.
func (s *Set) LayersVersion(layers []string) int64 {
	var v int64
	for _, l := range layers {
		v = max(v, s.LayerVersion(l))
	}
	return v
}

// LayerVersions returns the version of each of the given layers.
func (s *Set) LayerVersions(layers []string) map[string]int64 {
	out := make(map[string]int64, len(layers))
	for _, l := range layers {
		out[l] = s.LayerVersion(l)
	}
	return out
}

// sameLayers reports whether the tiles of these layers are the same in s
// and old.
func (s *Set) sameLayers(old *Set, layers []string) bool {
	keys, oldKeys := s.contentKeys(), old.contentKeys()
	for _, l := range layers {
		a, ok1 := keys[l]
		b, ok2 := oldKeys[l]
		if !ok1 || !ok2 || a != b {
			return false
		}
	}
	return true
}

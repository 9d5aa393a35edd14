package generation

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/zeebo/xxh3"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/tileset"
)

// DerivedStore keeps what a process derives from the data, by name, for
// the processes that follow (sqlite.DB): a server's first generation reads
// the topology of the communes and the default indicators of its data
// version from it instead of computing them again.
type DerivedStore interface {
	// Derived returns the data stored under name with key, nil when there
	// is none with that key.
	Derived(ctx context.Context, name string, key []byte) ([]byte, error)
	// PutDerived stores data under name and key, replacing what name held.
	PutDerived(ctx context.Context, name string, key, data []byte) error
}

// topologyName is the name of the communes' topology in a DerivedStore.
const topologyName = "topology"

// derivedFormat is written first in every key of a DerivedStore: it
// changes with what is stored, or how.
const derivedFormat = "cartonum-derived-1\x00"

// programID identifies the running program: its Go build ID
// (actionID/contentID, from the ELF note .note.go.buildid), else, for a
// build whose id was pinned (-ldflags=-buildid=…) or a binary that is not
// ELF, an xxh3 hash of its executable file; nil when neither can be read.
// A derived value is stored and read under the program that computed it:
// another build, whose code may compute it differently, does not read it.
// It is read once, when the process starts, from /proc/self/exe where
// there is one (the running file, even if it was replaced since).
func programID() []byte { return startProgramID }

var startProgramID = readProgramID()

func readProgramID() []byte {
	exe := "/proc/self/exe"
	if _, err := os.Stat(exe); err != nil {
		if exe, err = os.Executable(); err != nil {
			return nil
		}
	}
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if s := f.Section(".note.go.buildid"); s != nil {
			// The note: name size, id size, type, "Go\x00\x00", id.
			if note, err := s.Data(); err == nil && len(note) > 16 {
				id := string(note[16:])
				if parts := strings.Split(id, "/"); len(parts) >= 2 && len(id) >= 40 && !strings.Contains(id, "redacted") {
					return append([]byte(derivedFormat), id...)
				}
			}
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return nil
	}
	defer f.Close()
	h := xxh3.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil
	}
	sum := h.Sum128().Bytes()
	return append([]byte(derivedFormat+"file:"), sum[:]...)
}

// topologyKey is the key of the topology of communes in a DerivedStore:
// the program and tileset.TopologyKey; nil when the program is unknown.
func topologyKey(communes []cartonum.Commune) []byte {
	id := programID()
	if id == nil {
		return nil
	}
	return append(append([]byte(nil), id...), tileset.TopologyKey(communes)...)
}

// PrepareStored is Prepare with the topology read from store when store
// holds the one of these communes, stored by this very program; else it is
// built, and Save stores it. A store that cannot be read costs the time to
// build the topology, not the start (see Prepared.Err).
func PrepareStored(ctx context.Context, communes []cartonum.Commune, store DerivedStore) *Prepared {
	p := &Prepared{done: make(chan struct{}), store: store}
	go func() {
		defer close(p.done)
		start := time.Now()
		defer func() { p.took = time.Since(start) }()
		if p.key = topologyKey(communes); p.key != nil && store != nil {
			data, err := store.Derived(ctx, topologyName, p.key)
			if err == nil && data != nil {
				p.topo, err = tileset.DecodeTopology(communes, data)
				if err == nil {
					p.stored = true
					return
				}
			}
			p.err = err
		}
		p.topo = tileset.NewTopology(communes)
	}()
	return p
}

// Stored reports, once the topology is ready, whether it was read from the
// store rather than built, and how long that took.
func (p *Prepared) Stored() (stored bool, took time.Duration) {
	<-p.done
	return p.stored, p.took
}

// Err is the error that made the topology be built although a store was
// given (reading or decoding it), nil if none.
func (p *Prepared) Err() error {
	<-p.done
	return p.err
}

// Save stores the topology in the store of PrepareStored when it was built
// rather than read; nothing to do otherwise (or without a store); an error,
// once, when the program is unknown (programID). saved reports whether it
// wrote.
func (p *Prepared) Save(ctx context.Context) (saved bool, err error) {
	<-p.done
	if p.stored || p.store == nil || !p.saved.CompareAndSwap(false, true) {
		return false, nil
	}
	if p.key == nil {
		return false, errors.New("topologie des communes : programme non identifié (ni identifiant de compilation ni exécutable lisible), rien n'est gardé")
	}
	data, err := p.topo.MarshalBinary()
	if err == nil {
		err = p.store.PutDerived(ctx, topologyName, p.key, data)
	}
	if err != nil {
		p.saved.Store(false)
		return false, fmt.Errorf("topologie des communes : %w", err)
	}
	return true, nil
}

// SaveTopology makes sure store holds the topology of communes for this
// program, building and storing it if it does not (after an import that
// changed the communes, so that the next server start reads it).
func SaveTopology(ctx context.Context, store DerivedStore, communes []cartonum.Commune) (saved bool, err error) {
	// A topology that could not be read (damaged) is built and replaced.
	return PrepareStored(ctx, communes, store).Save(ctx)
}

// indicatorsName is the name of the default indicators in a DerivedStore.
const indicatorsName = "indicators"

// indicatorsKey is the key of the default indicators of data version v in
// a DerivedStore: the program, the version and whether the demand is the
// gridded population (whose import changes the data version too); nil
// when the program is unknown. Every write of the data a generation reads
// changes the data version, and the store is in the same database.
func indicatorsKey(v int64, gridded bool) []byte {
	id := programID()
	if id == nil {
		return nil
	}
	k := append([]byte("indicators\x00"), id...)
	k = binary.LittleEndian.AppendUint64(k, uint64(v))
	if gridded {
		return append(k, 'g')
	}
	return append(k, 'u')
}

// readIndicators reads the default indicators of g's key and seeds the
// model with them; nil when the store holds none. A damaged copy, or one
// that is not a result of the model (Model.Seed), is an error: they are
// then computed.
func (g *Generation) readIndicators(ctx context.Context) (*analysis.Result, error) {
	data, err := g.store.Derived(ctx, indicatorsName, g.key)
	if err != nil || data == nil {
		return nil, err
	}
	// The gob encoding, then its xxh3 checksum.
	const sumSize = 16
	if len(data) < sumSize {
		return nil, errors.New("indicateurs enregistrés tronqués")
	}
	body, sum := data[:len(data)-sumSize], data[len(data)-sumSize:]
	if want := xxh3.Hash128(body).Bytes(); !bytes.Equal(want[:], sum) {
		return nil, errors.New("indicateurs enregistrés endommagés (somme de contrôle)")
	}
	var res analysis.Result
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&res); err != nil {
		return nil, fmt.Errorf("indicateurs enregistrés illisibles : %w", err)
	}
	// Model.Seed refuses a result whose rows are not the model's.
	if !g.model.Seed(analysis.DefaultParams(), &res) {
		return nil, errors.New("indicateurs enregistrés d'un autre territoire ou d'autres paramètres")
	}
	return &res, nil
}

// IndicatorsStored reports whether the default indicators were read from
// Config.Store rather than computed, and the error that made them be
// computed although they were looked for there.
func (g *Generation) IndicatorsStored() (bool, error) { return g.stored, g.storeErr }

// SaveIndicators stores the default indicators in Config.Store when they
// were computed (crow-fly, known program), once; saved reports whether it
// wrote. The server calls it after publishing the generation, so that its
// next start reads them.
func (g *Generation) SaveIndicators(ctx context.Context) (saved bool, err error) {
	if g.stored || g.key == nil || g.defaults == nil || !g.saved.CompareAndSwap(false, true) {
		return false, nil
	}
	var buf bytes.Buffer
	err = gob.NewEncoder(&buf).Encode(g.defaults)
	if err == nil {
		sum := xxh3.Hash128(buf.Bytes()).Bytes()
		buf.Write(sum[:])
		err = g.store.PutDerived(ctx, indicatorsName, g.key, buf.Bytes())
	}
	if err != nil {
		g.saved.Store(false)
		return false, fmt.Errorf("indicateurs par défaut : %w", err)
	}
	return true, nil
}

package generation

import (
	"context"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/zeebo/xxh3"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/tileset"
)

// DerivedStore keeps what a process derives from the data, by name, for
// the processes that follow (sqlite.DB): a server's first generation reads
// the topology of the communes from it instead of building it again.
type DerivedStore interface {
	// Derived returns the data stored under name with key, nil when there
	// is none with that key.
	Derived(ctx context.Context, name string, key []byte) ([]byte, error)
	// PutDerived stores data under name and key, replacing what name held.
	PutDerived(ctx context.Context, name string, key, data []byte) error
}

// topologyName is the name of the communes' topology in a DerivedStore.
const topologyName = "topology"

// programID identifies the running program: its Go build ID (the ELF note
// .note.go.buildid), else a hash of its executable file; nil when neither
// can be read. A derived value is stored and read under the program that
// computed it: another build, whose code may compute it differently, does
// not read it.
var programID = sync.OnceValue(func() []byte {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if s := f.Section(".note.go.buildid"); s != nil {
			if note, err := s.Data(); err == nil && len(note) > 16 {
				return note
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
	return sum[:]
})

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
// rather than read; nothing to do otherwise (or without a store, or when
// the program is unknown). saved reports whether it wrote.
func (p *Prepared) Save(ctx context.Context) (saved bool, err error) {
	<-p.done
	if p.stored || p.store == nil || p.key == nil || !p.saved.CompareAndSwap(false, true) {
		return false, nil
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

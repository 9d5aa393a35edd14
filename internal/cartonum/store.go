package cartonum

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Dataset is everything one data version holds: the territories and the
// places, read together so that they never mix two versions.
type Dataset struct {
	// Version is the data version the rows were read at.
	Version      int64
	Communes     []Commune
	EPCIs        []EPCI
	Departements []Departement
	// Places are the open places: those closed by moderation are left out
	// (ContributionStore.ClosedPlaces lists them).
	Places []Place
	// Overrides are the fields moderators set, which imports keep against
	// older source values.
	Overrides []Override
}

// Batch is everything one import writes, atomically.
type Batch struct {
	// Base, when set, is the data version the batch was computed from
	// (Dataset.Version of the load it started with). The store applies the
	// batch only if its version is still Base, checked inside the write
	// transaction; otherwise it fails with an error of kind KindConflict
	// wrapping ErrStale, so that two writers never lose each other's update.
	// Nil applies the batch whatever the version.
	Base *int64

	Region     string
	Files      []string
	StartedAt  time.Time
	FinishedAt time.Time

	// Communes, EPCIs and Departements replace their table when non-nil:
	// the listed rows are inserted or updated by code, the others deleted.
	// Nil leaves the table unchanged.
	Communes     []Commune
	EPCIs        []EPCI
	Departements []Departement

	// Upserts are inserted, or fully replace the stored place of the same
	// id; the Provenance.BatchID they carry is ignored. A place that differs
	// from the stored one gets the new import's id as BatchID; one equal to
	// it in every field is left alone (it keeps the BatchID of the import
	// that last changed it, and the data version does not move). Every id of
	// their Provenance.SourceIDs, and their own id, maps to them; a source id
	// that another place keeps is an error of kind KindConflict.
	Upserts []Place
	// Deletes are ids of places to delete, such as places a merge absorbed.
	// Unknown ids are ignored.
	Deletes []string

	Counts Counts
	// Report is the JSON report of the import, stored as is.
	Report []byte
	// Geocodes are geocoder answers obtained during the import, cached in
	// the same transaction.
	Geocodes []Geocode

	// Actor is who writes the batch (an import when Kind is empty): every
	// place the batch creates, changes, closes, reopens or deletes gets an
	// entry in its history naming the batch, its actor, the changed fields
	// and the record before and after.
	Actor Actor
	// Closes are ids of open places to close: they leave the dataset but
	// stay in the store, with their history, and can be reopened. Reopens
	// are ids of closed places to open again. Unknown ids are errors of
	// kind KindNotFound.
	Closes  []string
	Reopens []string
	// Overrides are fields set by a moderator, recorded (replacing the
	// stored override of the same place and field) with the batch's id.
	Overrides []Override
	// Proposals are added to the queue (those whose Key is already stored
	// are skipped), such as a source's newer value for a corrected field.
	Proposals []Proposal
	// Decision, when set, decides a proposal: the batch is applied only if
	// the proposal is still pending, else nothing is written and the error,
	// of kind KindConflict, wraps ErrDecided.
	Decision *Decision
}

// Counts are the row counts of an import, as its report states them.
type Counts struct {
	RowsRead, Imported, Merged, Conflicts, Rejected, Repaired int
}

// Geocode is one cached geocoder answer: the result for Key, or Found =
// false when the geocoder had none.
type Geocode struct {
	Key       string
	Found     bool
	Lon, Lat  float64
	Score     float64
	CityCode  string
	Label     string
	Kind      string // housenumber, street, locality, municipality
	FetchedAt time.Time
}

// ErrStale is wrapped by the KindConflict error a store returns when a
// batch was computed from a data version that has moved since: the writer
// reloads and computes its batch again.
var ErrStale = errors.New("les données ont changé depuis leur lecture")

// Store is where the data lives. Implementations are safe for concurrent
// use; internal/sqlite is one.
type Store interface {
	// Load reads a consistent dataset: every row of one data version, in
	// one read transaction.
	Load(ctx context.Context) (Dataset, error)
	// Apply writes b in one transaction, checking b.Base against the data
	// version inside it, and returns the id of the new import. The data
	// version moves when a territory or a place actually changed.
	Apply(ctx context.Context, b Batch) (int64, error)
	// Geocodes returns every cached geocoder answer, by key.
	Geocodes(ctx context.Context) (map[string]Geocode, error)
}

// Validate checks what a store would not, or only halfway through the
// batch: missing and duplicate keys, and the report's syntax. Its errors
// are of kind KindInvalid.
func (b *Batch) Validate() error {
	invalid := func(format string, args ...any) error {
		return Errorf(KindInvalid, "invalid batch: "+format, args...)
	}
	if err := uniqueCodes("commune", len(b.Communes), func(i int) string { return b.Communes[i].Code }); err != nil {
		return invalid("%s", err)
	}
	if err := uniqueCodes("EPCI", len(b.EPCIs), func(i int) string { return b.EPCIs[i].Code }); err != nil {
		return invalid("%s", err)
	}
	if err := uniqueCodes("departement", len(b.Departements), func(i int) string { return b.Departements[i].Code }); err != nil {
		return invalid("%s", err)
	}
	if err := uniqueCodes("place", len(b.Upserts), func(i int) string { return b.Upserts[i].ID }); err != nil {
		return invalid("%s", err)
	}
	if len(b.Deletes) > 0 && len(b.Upserts) > 0 {
		upserted := make(map[string]bool, len(b.Upserts))
		for i := range b.Upserts {
			upserted[b.Upserts[i].ID] = true
		}
		for _, id := range b.Deletes {
			if upserted[id] {
				return invalid("place %q both upserted and deleted", id)
			}
		}
	}
	if len(b.Report) > 0 && !json.Valid(b.Report) {
		return invalid("report is not valid JSON")
	}
	return b.validateContribution()
}

// validateContribution checks the parts of b that contributions add: the
// actor, closes and reopens, overrides, proposals and the decision.
func (b *Batch) validateContribution() error {
	invalid := func(format string, args ...any) error {
		return Errorf(KindInvalid, "invalid batch: "+format, args...)
	}
	switch b.Actor.Kind {
	case "", ActorImport, ActorModeration:
	default:
		return invalid("actor kind %q", b.Actor.Kind)
	}
	if err := uniqueCodes("closed place", len(b.Closes), func(i int) string { return b.Closes[i] }); err != nil {
		return invalid("%s", err)
	}
	if err := uniqueCodes("reopened place", len(b.Reopens), func(i int) string { return b.Reopens[i] }); err != nil {
		return invalid("%s", err)
	}
	for _, id := range b.Reopens {
		for _, c := range b.Closes {
			if c == id {
				return invalid("place %q both closed and reopened", id)
			}
		}
	}
	for i, o := range b.Overrides {
		if o.Place == "" || o.Field == "" || !json.Valid(o.Value) {
			return invalid("override %d: empty place or field, or value not JSON", i)
		}
	}
	for i, p := range b.Proposals {
		if p.Type == "" {
			return invalid("proposal %d has no type", i)
		}
	}
	if d := b.Decision; d != nil {
		if d.Proposal == 0 || (d.Status != StatusAccepted && d.Status != StatusRejected) {
			return invalid("decision on proposal %d with status %q", d.Proposal, d.Status)
		}
	}
	return nil
}

// uniqueCodes checks that the n keys key(i) are non-empty and distinct.
func uniqueCodes(what string, n int, key func(int) string) error {
	seen := make(map[string]bool, n)
	for i := range n {
		k := key(i)
		if k == "" {
			return fmt.Errorf("%s %d has an empty key", what, i)
		}
		if seen[k] {
			return fmt.Errorf("duplicate %s %q", what, k)
		}
		seen[k] = true
	}
	return nil
}

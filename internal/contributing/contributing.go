// Package contributing is the contribution use case: anonymous people
// propose a new place, new values for a place's fields or report a problem
// (closed, moved, wrong hours…); moderators of a territory accept, edit then
// accept, or reject these proposals, confirm that a place is up to date and
// restore places closed by moderation.
//
// A proposal is checked as an import row would be: its fields are laid over
// the place's current record (for a modification) and the whole record goes
// through standard.Normalize with the region's options, so that the
// contributor sees the same repairs and rejections as an import would make.
// The columns id, source and date_maj are the service's: a contributor's
// values for them are ignored (an accepted contribution gets the deployer's
// source name and today's date).
//
// A decision is one cartonum.Batch: the changed place, its overrides (the
// fields moderators set, which imports keep against older source values)
// and the decision on the proposal, applied together or not at all and
// computed from one loaded data version (retried when another writer moved
// it, as internal/importing does). Two moderators deciding the same proposal:
// the store lets one win and the other gets a conflict.
package contributing

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/standard"
)

// Defaults of the service's settings (the serve flags').
const (
	DefaultSourceName = "Cartonum"
	DefaultMinFill    = 3 * time.Second
	DefaultPerHour    = 10
	// MaxFormAge is how long a form token stays valid.
	MaxFormAge = 24 * time.Hour
	// attempts bounds how many times a decision is computed again when
	// another writer changed the data between its load and its write.
	attempts = 3
)

// Service runs contributions and moderation against the stores.
type Service struct {
	Store         cartonum.Store
	Contributions cartonum.ContributionStore
	// Territory returns the current generation's snapshot: its communes
	// normalise the proposed records and give the territory (EPCI,
	// département) of places and proposals.
	Territory func() *index.Snapshot
	// Normalize are the region's normalisation options, the import's.
	Normalize standard.Options
	// SourceName is the `source` of the places accepted contributions
	// create or change (DefaultSourceName when empty).
	SourceName string
	// MinFill is the shortest time between getting a form and sending it
	// (0: no minimum).
	MinFill time.Duration
	// PerHour is the number of proposals one client may send per hour
	// (DefaultPerHour when zero or less).
	PerHour int
	// FormKey is the key of the form tokens (HMAC-SHA256); a random one is
	// drawn when empty, by NewFormKey.
	FormKey []byte
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// OnChange, when set, is called after every applied decision, so that
	// the server publishes the new data version at once.
	OnChange func()

	keyOnce sync.Once
	key     []byte // FormKey, or a random key when it is empty
}

// NewFormKey returns a random key for the form tokens.
func NewFormKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// today is the date of now in France, as date_maj writes it.
func (s *Service) today() string {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		loc = time.UTC
	}
	return s.now().In(loc).Format("2006-01-02")
}

func (s *Service) sourceName() string {
	if s.SourceName != "" {
		return s.SourceName
	}
	return DefaultSourceName
}

func (s *Service) perHour() int {
	if s.PerHour > 0 {
		return s.PerHour
	}
	return DefaultPerHour
}

func (s *Service) changed() {
	if s.OnChange != nil {
		s.OnChange()
	}
}

// FieldError is one field's problem, as the API lists them.
type FieldError struct {
	Field   string `json:"champ"`
	Message string `json:"message"`
}

// InvalidError is a refused proposal with the problem of each field. It
// wraps an error of kind cartonum.KindInvalid (HTTP 400).
type InvalidError struct {
	Message string
	Fields  []FieldError
}

func (e *InvalidError) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + " : " + f.Message
	}
	return e.Message + " (" + strings.Join(parts, " ; ") + ")"
}

// Unwrap makes the error of kind KindInvalid.
func (e *InvalidError) Unwrap() error {
	return &cartonum.Error{Kind: cartonum.KindInvalid, Message: e.Message}
}

func invalidFields(fields ...FieldError) error {
	return &InvalidError{Message: "proposition invalide", Fields: fields}
}

// forbidden is an error wrapping cartonum.ErrForbidden.
func forbidden(format string, args ...any) error {
	return fmt.Errorf("%s : %w", fmt.Sprintf(format, args...), cartonum.ErrForbidden)
}

// tooMany is an error wrapping cartonum.ErrTooMany.
type tooMany struct{ msg string }

func (e *tooMany) Error() string { return e.msg }
func (e *tooMany) Unwrap() error { return cartonum.ErrTooMany }

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newPlaceID is the id of a place an accepted proposal adds.
func newPlaceID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "cartonum-" + hex.EncodeToString(b)
}

// scopeOf returns the département and EPCI of a commune in the current
// territory.
func (s *Service) scopeOf(codeInsee string) (dep, epci string) {
	snap := s.snapshot()
	if snap == nil || codeInsee == "" {
		return "", ""
	}
	if c, ok := snap.Commune(codeInsee); ok {
		dep = c.CodeDepartement
		epci = c.CodeEpci
	}
	if e := snap.EPCIOf(codeInsee); e != "" {
		epci = e
	}
	return dep, epci
}

func (s *Service) snapshot() *index.Snapshot {
	if s.Territory == nil {
		return nil
	}
	return s.Territory()
}

// openPlace returns the open place of this id in the current generation.
func (s *Service) openPlace(id string) (*cartonum.Place, bool) {
	snap := s.snapshot()
	if snap == nil {
		return nil, false
	}
	return snap.Place(id)
}

// isNotFound tells whether err is of kind KindNotFound.
func isNotFound(err error) bool { return cartonum.KindOf(err) == cartonum.KindNotFound }

// retry runs one attempt of a decision again when the data moved between
// its load and its write.
func retry(ctx context.Context, attempt func(ctx context.Context) error) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = attempt(ctx); err == nil || !errors.Is(err, cartonum.ErrStale) {
			return err
		}
	}
	return err
}

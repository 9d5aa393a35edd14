package contributing

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// ModProposal is a proposal as moderators see it: with the contributor's
// e-mail, the place's (or proposed) name and commune.
type ModProposal struct {
	cartonum.Proposal
	Email   string `json:"courriel,omitempty"`
	Name    string `json:"nom"`
	Commune string `json:"commune"`
}

// Decided is the outcome of a decision.
type Decided struct {
	Proposal ModProposal `json:"proposition"`
	// Place is the id of the place the decision created or changed.
	Place string `json:"lieu,omitempty"`
	// Version is the data version after the decision.
	Version int64 `json:"version"`
}

// versioner is what stores that tell their data version cheaply have.
type versioner interface {
	Version(ctx context.Context) (int64, error)
}

// proposalFor returns proposal id if user may decide it.
func (s *Service) proposalFor(ctx context.Context, user *cartonum.User, id int64) (cartonum.Proposal, error) {
	if user == nil {
		return cartonum.Proposal{}, fmt.Errorf("modération : %w", cartonum.ErrUnauthorized)
	}
	p, err := s.Contributions.Proposal(ctx, id)
	if err != nil {
		if isNotFound(err) {
			return p, cartonum.Errorf(cartonum.KindNotFound, "aucune proposition n° %d", id)
		}
		return p, err
	}
	if !user.Reaches(p.Departement, p.EPCI) {
		return p, forbidden("la proposition n° %d est hors de votre territoire", id)
	}
	return p, nil
}

func decidedError(p cartonum.Proposal) error {
	what := "acceptée"
	if p.Status == cartonum.StatusRejected {
		what = "refusée"
	}
	return &cartonum.Error{Kind: cartonum.KindConflict, Message: fmt.Sprintf("la proposition n° %d a déjà été %s", p.ID, what), Err: cartonum.ErrDecided}
}

// moderationBatch is a batch written by user, about proposal (0: none).
func (s *Service) moderationBatch(user *cartonum.User, proposal int64) cartonum.Batch {
	now := s.now()
	return cartonum.Batch{Region: s.Normalize.Region, StartedAt: now, FinishedAt: now,
		Actor: cartonum.Actor{Kind: cartonum.ActorModeration, User: user.ID, Email: user.Email, Proposal: proposal}}
}

// findPlace returns the open place of this id in a dataset.
func findPlace(ds *cartonum.Dataset, id string) (*cartonum.Place, bool) {
	for i := range ds.Places {
		if ds.Places[i].ID == id {
			return &ds.Places[i], true
		}
	}
	return nil, false
}

// Accept applies a pending proposal, with the moderator's edited fields
// when given (they replace the proposal's), and decides it, in one batch.
func (s *Service) Accept(ctx context.Context, user *cartonum.User, id int64, edited map[string]json.RawMessage) (*Decided, error) {
	p, err := s.proposalFor(ctx, user, id)
	if err != nil {
		return nil, err
	}
	if p.Status != cartonum.StatusPending {
		return nil, decidedError(p)
	}
	fieldsJSON := p.Fields
	if edited != nil {
		fieldsJSON = edited
	}
	fields, errs := parseFields(fieldsJSON)
	if len(errs) > 0 {
		return nil, invalidFields(errs...)
	}
	if p.Type == cartonum.ProposalReport && edited == nil {
		fields = nil // a report's fields are applied only as the moderator edits them
	}
	newID := newPlaceID()
	var result string
	attempt := func(ctx context.Context) error {
		ds, err := s.Store.Load(ctx)
		if err != nil {
			return err
		}
		b := s.moderationBatch(user, p.ID)
		b.Base = &ds.Version
		switch {
		case p.Type == cartonum.ProposalAdd:
			place, _, rej := s.normalize(nil, fields)
			if rej != nil {
				return invalidFields(*rej)
			}
			place.ID = newID
			place.Provenance.SourceIDs = []string{newID}
			place.Provenance.Sources = []string{place.Source}
			for i := range place.Provenance.Repairs {
				place.Provenance.Repairs[i].Record = newID
			}
			if err := s.reaches(user, place); err != nil {
				return err
			}
			b.Upserts = []cartonum.Place{*place}
			result = newID
		case len(fields) == 0 && p.Type == cartonum.ProposalEdit:
			result = p.Place // a comment only, acknowledged: nothing to change
		case p.Type == cartonum.ProposalEdit || len(fields) > 0:
			current, ok := findPlace(&ds, p.Place)
			if !ok {
				return cartonum.Errorf(cartonum.KindConflict, "le lieu « %s » n'est plus ouvert : restaurez-le d'abord", p.Place)
			}
			place, _, rej := s.normalize(current, fields)
			if rej != nil {
				return invalidFields(*rej)
			}
			if err := s.reaches(user, place); err != nil {
				return err
			}
			at := s.now()
			for _, d := range differences(current, place) {
				b.Overrides = append(b.Overrides, cartonum.Override{Place: place.ID, Field: d.Field,
					Value: overrideValue(d.Field, d.After), At: at})
			}
			// The date of the correction too: an older source record
			// does not bring back its own (internal/importing).
			b.Overrides = append(b.Overrides, dateOverride(place, at))
			b.Upserts = []cartonum.Place{*place}
			result = place.ID
		case p.Motive == cartonum.MotiveClosed:
			if _, ok := findPlace(&ds, p.Place); !ok {
				return cartonum.Errorf(cartonum.KindConflict, "le lieu « %s » n'est plus ouvert", p.Place)
			}
			b.Closes = []string{p.Place}
			result = p.Place
		default:
			result = p.Place // a report acknowledged, nothing to change
		}
		b.Decision = &cartonum.Decision{Proposal: p.ID, Status: cartonum.StatusAccepted, By: user.ID, At: s.now(), Result: result}
		_, err = s.Store.Apply(ctx, b)
		return err
	}
	if err := retry(ctx, attempt); err != nil {
		return nil, err
	}
	s.changed()
	return s.decided(ctx, p.ID, result)
}

// dateOverride records the date_maj a moderator gave a place.
func dateOverride(p *cartonum.Place, at time.Time) cartonum.Override {
	return cartonum.Override{Place: p.ID, Field: "date_maj", Value: overrideValue("date_maj", p.DateMaj), At: at}
}

// reaches checks that the moderator's scope holds the place (its
// commune's département or EPCI).
func (s *Service) reaches(user *cartonum.User, p *cartonum.Place) error {
	dep, epci := s.scopeOf(p.CodeInsee)
	if !user.Reaches(dep, epci) {
		return forbidden("le lieu « %s » est hors de votre territoire", p.Nom)
	}
	return nil
}

// decided reads back a decided proposal and the data version.
func (s *Service) decided(ctx context.Context, id int64, place string) (*Decided, error) {
	p, err := s.Contributions.Proposal(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &Decided{Proposal: s.modProposal(ctx, p), Place: place}
	if v, ok := s.Store.(versioner); ok {
		if d.Version, err = v.Version(ctx); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Reject decides a pending proposal as refused, with the moderator's
// reason (shown on the tracking page).
func (s *Service) Reject(ctx context.Context, user *cartonum.User, id int64, reason string) (*Decided, error) {
	p, err := s.proposalFor(ctx, user, id)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, invalidFields(FieldError{"motif", "motif du refus manquant"})
	}
	if errs := checkText("motif", reason, MaxReason, true); len(errs) > 0 {
		return nil, invalidFields(errs...)
	}
	if p.Status != cartonum.StatusPending {
		return nil, decidedError(p)
	}
	b := s.moderationBatch(user, p.ID)
	b.Decision = &cartonum.Decision{Proposal: p.ID, Status: cartonum.StatusRejected, Reason: reason, By: user.ID, At: s.now()}
	if _, err := s.Store.Apply(ctx, b); err != nil {
		return nil, err
	}
	s.changed()
	return s.decided(ctx, p.ID, "")
}

// Confirm records that a place's information is up to date: its date_maj
// becomes today, with an entry in its history.
func (s *Service) Confirm(ctx context.Context, user *cartonum.User, placeID string) (*cartonum.Place, error) {
	if user == nil {
		return nil, fmt.Errorf("modération : %w", cartonum.ErrUnauthorized)
	}
	var out cartonum.Place
	err := retry(ctx, func(ctx context.Context) error {
		ds, err := s.Store.Load(ctx)
		if err != nil {
			return err
		}
		current, ok := findPlace(&ds, placeID)
		if !ok {
			return cartonum.Errorf(cartonum.KindNotFound, "aucun lieu ouvert d'identifiant « %s »", placeID)
		}
		if err := s.reaches(user, current); err != nil {
			return err
		}
		out = *current
		out.DateMaj = s.today()
		b := s.moderationBatch(user, 0)
		b.Base = &ds.Version
		b.Upserts = []cartonum.Place{out}
		b.Overrides = []cartonum.Override{dateOverride(&out, s.now())}
		_, err = s.Store.Apply(ctx, b)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.changed()
	return &out, nil
}

// Restore reopens a place closed by moderation.
func (s *Service) Restore(ctx context.Context, user *cartonum.User, placeID string) (*cartonum.Place, error) {
	if user == nil {
		return nil, fmt.Errorf("modération : %w", cartonum.ErrUnauthorized)
	}
	p, err := s.Contributions.ClosedPlace(ctx, placeID)
	if err != nil {
		if isNotFound(err) {
			return nil, cartonum.Errorf(cartonum.KindNotFound, "aucun lieu fermé d'identifiant « %s »", placeID)
		}
		return nil, err
	}
	if err := s.reaches(user, &p); err != nil {
		return nil, err
	}
	b := s.moderationBatch(user, 0)
	b.Reopens = []string{placeID}
	if _, err := s.Store.Apply(ctx, b); err != nil {
		return nil, err
	}
	s.changed()
	return &p, nil
}

// ClosedPlaces lists the places closed by moderation that user reaches.
func (s *Service) ClosedPlaces(ctx context.Context, user *cartonum.User) ([]cartonum.Place, error) {
	if user == nil {
		return nil, fmt.Errorf("modération : %w", cartonum.ErrUnauthorized)
	}
	all, err := s.Contributions.ClosedPlaces(ctx)
	if err != nil {
		return nil, err
	}
	out := []cartonum.Place{}
	for _, p := range all {
		dep, epci := s.scopeOf(p.CodeInsee)
		if user.Reaches(dep, epci) {
			out = append(out, p)
		}
	}
	return out, nil
}

// QueueFilter selects the moderation queue.
type QueueFilter struct {
	Status      cartonum.ProposalStatus // StatusPending when empty
	Type        cartonum.ProposalType
	Departement string
	EPCI        string
	// MinAge keeps the proposals at least this old.
	MinAge time.Duration
	Limit  int
}

// Queue lists the proposals user reaches. A territory filter outside the
// user's scope is forbidden.
func (s *Service) Queue(ctx context.Context, user *cartonum.User, q QueueFilter) ([]ModProposal, error) {
	if user == nil {
		return nil, fmt.Errorf("modération : %w", cartonum.ErrUnauthorized)
	}
	if q.Departement != "" && !user.Reaches(q.Departement, "") {
		return nil, forbidden("le département %s est hors de votre territoire", q.Departement)
	}
	if q.EPCI != "" && !s.reachesEPCI(user, q.EPCI) {
		return nil, forbidden("l'EPCI %s est hors de votre territoire", q.EPCI)
	}
	f := cartonum.ProposalFilter{Status: q.Status, Type: q.Type, Limit: q.Limit}
	if f.Status == "" {
		f.Status = cartonum.StatusPending
	}
	if f.Limit <= 0 {
		f.Limit = 500
	}
	if q.MinAge > 0 {
		f.Before = s.now().Add(-q.MinAge)
	}
	switch {
	case q.Departement != "" || q.EPCI != "":
		if q.Departement != "" {
			f.Departements = []string{q.Departement}
		}
		if q.EPCI != "" {
			f.EPCIs = []string{q.EPCI}
		}
	case user.Role == cartonum.RoleAdmin:
		f.All = true
	default:
		f.Departements, f.EPCIs = user.Departements, user.EPCIs
	}
	list, err := s.Contributions.Proposals(ctx, f)
	if err != nil {
		return nil, err
	}
	out := []ModProposal{}
	for _, p := range list {
		if !user.Reaches(p.Departement, p.EPCI) ||
			(q.Departement != "" && p.Departement != q.Departement) || (q.EPCI != "" && p.EPCI != q.EPCI) {
			continue
		}
		out = append(out, s.modProposal(ctx, p))
	}
	return out, nil
}

// reachesEPCI tells whether user reaches an EPCI: by its code, or by the
// départements of all its communes.
func (s *Service) reachesEPCI(user *cartonum.User, code string) bool {
	if user.Reaches("", code) {
		return true
	}
	snap := s.snapshot()
	if snap == nil {
		return false
	}
	e, ok := snap.EPCI(code)
	if !ok || len(e.Membres) == 0 {
		return false
	}
	for _, m := range e.Membres {
		c, ok := snap.Commune(m)
		if !ok || !user.Reaches(c.CodeDepartement, "") {
			return false
		}
	}
	return true
}

// modProposal adds what moderators see to a proposal.
func (s *Service) modProposal(ctx context.Context, p cartonum.Proposal) ModProposal {
	m := ModProposal{Proposal: p, Email: p.Email, Name: s.proposalName(ctx, &p)}
	if snap := s.snapshot(); snap != nil && p.CodeInsee != "" {
		if c, ok := snap.Commune(p.CodeInsee); ok {
			m.Commune = c.Nom
		}
	}
	return m
}

// Detail is a proposal as the moderator decides it.
type Detail struct {
	Proposal    ModProposal       `json:"proposition"`
	Current     *cartonum.Place   `json:"actuel"`
	Proposed    *cartonum.Place   `json:"propose"`
	Differences []Difference      `json:"differences"`
	Repairs     []FieldError      `json:"reparations"`
	Errors      []FieldError      `json:"erreurs"`
	History     []cartonum.Change `json:"historique"`
}

// Detail returns a proposal with the current place, the normalised
// proposed place, their differences and the place's history.
func (s *Service) Detail(ctx context.Context, user *cartonum.User, id int64) (*Detail, error) {
	p, err := s.proposalFor(ctx, user, id)
	if err != nil {
		return nil, err
	}
	d := &Detail{Proposal: s.modProposal(ctx, p), Differences: []Difference{}, Repairs: []FieldError{},
		Errors: []FieldError{}, History: []cartonum.Change{}}
	if p.Place != "" {
		if cur, ok := s.openPlace(p.Place); ok {
			d.Current = cur
		} else if cur, err := s.Contributions.ClosedPlace(ctx, p.Place); err == nil {
			d.Current = &cur
		}
		if d.History, err = s.Contributions.History(ctx, p.Place); err != nil {
			return nil, err
		}
	}
	fields, errs := parseFields(p.Fields)
	d.Errors = append(d.Errors, errs...)
	if len(errs) == 0 && (p.Type == cartonum.ProposalAdd || len(fields) > 0) && (p.Type == cartonum.ProposalAdd || d.Current != nil) {
		place, repairs, rej := s.normalize(d.Current, fields)
		d.Repairs = append(d.Repairs, repairs...)
		if rej != nil {
			d.Errors = append(d.Errors, *rej)
		} else {
			d.Proposed = place
			d.Differences = differences(d.Current, place)
		}
	}
	if d.History == nil {
		d.History = []cartonum.Change{}
	}
	return d, nil
}

// History returns the history of a place, open or closed, oldest first.
// The moderator's e-mail and the records before and after each change are
// kept only for a user who reaches the place.
func (s *Service) History(ctx context.Context, user *cartonum.User, placeID string) ([]cartonum.Change, error) {
	var place *cartonum.Place
	if p, ok := s.openPlace(placeID); ok {
		place = p
	} else if p, err := s.Contributions.ClosedPlace(ctx, placeID); err == nil {
		place = &p
	}
	h, err := s.Contributions.History(ctx, placeID)
	if err != nil {
		return nil, err
	}
	if place == nil && len(h) == 0 {
		return nil, cartonum.Errorf(cartonum.KindNotFound, "aucun lieu d'identifiant « %s »", placeID)
	}
	full := false
	if user != nil && place != nil {
		dep, epci := s.scopeOf(place.CodeInsee)
		full = user.Reaches(dep, epci)
	}
	out := slices.Clone(h)
	if out == nil {
		out = []cartonum.Change{}
	}
	if !full {
		for i := range out {
			out[i].ModeratorEmail, out[i].Before, out[i].After = "", nil, nil
		}
	}
	return out, nil
}

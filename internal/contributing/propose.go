package contributing

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Motive is a report motive with its label.
type Motive struct {
	Code  string `json:"code"`
	Label string `json:"libelle"`
}

// MotiveLabels are the labels of the report motives.
var MotiveLabels = map[string]string{
	cartonum.MotiveClosed:  "Le lieu a fermé",
	cartonum.MotiveMoved:   "Le lieu a déménagé",
	cartonum.MotiveHours:   "Les horaires sont faux",
	cartonum.MotiveContact: "Les coordonnées sont fausses",
	cartonum.MotiveOther:   "Autre problème",
}

// Form is what the proposal form needs: a fresh token and the rules.
type Form struct {
	Token        string              `json:"jeton"`
	MinFillS     float64             `json:"delai_min_s"`
	Motives      []Motive            `json:"motifs"`
	Vocabularies map[string][]string `json:"vocabulaires"`
	Limits       map[string]int      `json:"limites"`
}

// Form returns a form with a token signed now.
func (s *Service) Form() Form {
	f := Form{Token: s.formToken(s.now()), MinFillS: s.MinFill.Seconds(), Vocabularies: Vocabularies(), Limits: Limits}
	for _, m := range cartonum.Motives {
		f.Motives = append(f.Motives, Motive{m, MotiveLabels[m]})
	}
	return f
}

// formToken is the issue time in milliseconds and its HMAC-SHA256 under
// the form key.
func (s *Service) formToken(at time.Time) string {
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	return ts + "." + base64.RawURLEncoding.EncodeToString(s.formMAC(ts))
}

func (s *Service) formMAC(ts string) []byte {
	s.keyOnce.Do(func() {
		s.key = s.FormKey
		if len(s.key) == 0 {
			s.key = NewFormKey()
		}
	})
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("cartonum-formulaire:" + ts))
	return m.Sum(nil)
}

// checkFormToken checks that the token is one of ours, at least MinFill
// and at most MaxFormAge old.
func (s *Service) checkFormToken(tok string) *FieldError {
	ts, mac, ok := strings.Cut(tok, ".")
	sum, err := base64.RawURLEncoding.DecodeString(mac)
	ms, perr := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil || perr != nil || !hmac.Equal(sum, s.formMAC(ts)) {
		return &FieldError{"jeton", "jeton de formulaire absent ou invalide : rechargez le formulaire"}
	}
	age := s.now().Sub(time.UnixMilli(ms))
	switch {
	case age < s.MinFill:
		return &FieldError{"jeton", fmt.Sprintf("formulaire envoyé trop vite : attendez au moins %g secondes avant de l'envoyer", s.MinFill.Seconds())}
	case age > MaxFormAge:
		return &FieldError{"jeton", "formulaire expiré (plus de 24 heures) : rechargez le formulaire"}
	}
	return nil
}

// Receipt is what a stored proposal answers.
type Receipt struct {
	ID       int64        `json:"id"`
	Tracking string       `json:"suivi"`
	Repairs  []FieldError `json:"reparations"`
}

// Propose checks a proposal and stores it durably: the receipt is
// returned only once the store has committed it.
func (s *Service) Propose(ctx context.Context, req Request) (*Receipt, error) {
	if strings.TrimSpace(req.Honeypot) != "" {
		return nil, &InvalidError{Message: "proposition refusée"}
	}
	if fe := s.checkFormToken(req.FormToken); fe != nil {
		return nil, invalidFields(*fe)
	}
	now := s.now()
	if req.Client != "" {
		n, err := s.Contributions.RecentProposals(ctx, req.Client, now.Add(-time.Hour))
		if err != nil {
			return nil, err
		}
		if n >= s.perHour() {
			return nil, &tooMany{fmt.Sprintf("trop de propositions envoyées : %d par heure au plus ; réessayez dans une heure", s.perHour())}
		}
	}
	c, err := s.Check(ctx, req)
	if err != nil {
		return nil, err
	}
	if len(c.Errors) > 0 {
		return nil, invalidFields(c.Errors...)
	}
	p := cartonum.Proposal{
		Type: req.Type, Place: req.Place, Fields: req.Fields, Motive: req.Motive,
		Comment: strings.TrimSpace(req.Comment), Email: strings.TrimSpace(req.Email),
		Token: randomToken(32), Client: req.Client, Status: cartonum.StatusPending, CreatedAt: now,
	}
	if req.Type == cartonum.ProposalAdd {
		p.Place = ""
	}
	// Only the columns a contributor may set are kept.
	fields := map[string]json.RawMessage{}
	for k, v := range req.Fields {
		if !managed[k] {
			fields[k] = v
		}
	}
	p.Fields = fields
	// The territory of a proposal is its place's (its moderators decide
	// it), or the proposed position of a new place.
	where := c.Current
	if where == nil {
		where = c.Place
	}
	if where != nil {
		p.CodeInsee, p.Lon, p.Lat = where.CodeInsee, where.Longitude, where.Latitude
		p.Departement, p.EPCI = s.scopeOf(where.CodeInsee)
	}
	stored, err := s.Contributions.AddProposal(ctx, p)
	if err != nil {
		return nil, err
	}
	rep := c.Repairs
	if rep == nil {
		rep = []FieldError{}
	}
	return &Receipt{ID: stored.ID, Tracking: "/propositions/" + p.Token, Repairs: rep}, nil
}

// Status is what the tracking page shows of a proposal: never the e-mail.
type Status struct {
	ID        int64                   `json:"id"`
	Type      cartonum.ProposalType   `json:"type"`
	Status    cartonum.ProposalStatus `json:"statut"`
	Reason    string                  `json:"raison,omitempty"`
	CreatedAt time.Time               `json:"cree_le"`
	DecidedAt *time.Time              `json:"decide_le,omitempty"`
	Place     string                  `json:"lieu,omitempty"`
	Result    string                  `json:"resultat,omitempty"`
	Name      string                  `json:"nom,omitempty"`
}

// Track returns the status of the proposal of this tracking token.
func (s *Service) Track(ctx context.Context, token string) (*Status, error) {
	if token == "" || len(token) > 100 {
		return nil, cartonum.Errorf(cartonum.KindNotFound, "aucune proposition pour ce lien de suivi")
	}
	p, err := s.Contributions.ProposalByToken(ctx, token)
	if err != nil {
		if isNotFound(err) {
			return nil, cartonum.Errorf(cartonum.KindNotFound, "aucune proposition pour ce lien de suivi")
		}
		return nil, err
	}
	st := &Status{ID: p.ID, Type: p.Type, Status: p.Status, Reason: p.Reason, CreatedAt: p.CreatedAt,
		Place: p.Place, Result: p.Result, Name: s.proposalName(ctx, &p)}
	if !p.DecidedAt.IsZero() {
		d := p.DecidedAt
		st.DecidedAt = &d
	}
	return st, nil
}

// proposalName is the name of the place a proposal is about, or the
// proposed name.
func (s *Service) proposalName(ctx context.Context, p *cartonum.Proposal) string {
	for _, id := range []string{p.Result, p.Place} {
		if id == "" {
			continue
		}
		if pl, ok := s.openPlace(id); ok {
			return pl.Nom
		}
		if pl, err := s.Contributions.ClosedPlace(ctx, id); err == nil {
			return pl.Nom
		}
	}
	if v, ok := p.Fields["nom"]; ok {
		var name string
		if json.Unmarshal(v, &name) == nil {
			return name
		}
	}
	return ""
}

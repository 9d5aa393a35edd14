package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/contributing"
	"github.com/cartonum/cartonum/internal/openinghours"
)

// WithContributions sets the contribution service behind the proposal
// and moderation routes; without it they answer 404.
func (s *Server) WithContributions(c *contributing.Service) *Server {
	s.contrib = c
	return s
}

// contributionRoutes mounts the contribution and moderation routes under
// /api, except the proposal writes (proposalWriteRoutes).
func (s *Server) contributionRoutes(r chi.Router) {
	r.Get("/propositions/formulaire", s.handle(s.proposalForm))
	r.Get("/propositions/{token}", s.handle(s.proposalStatus))
	s.moderationRoutes(r)
}

// proposalWriteRoutes mounts the anonymous proposal writes, inside the
// rate-limited and body-limited group of write routes.
func (s *Server) proposalWriteRoutes(r chi.Router) {
	r.Post("/propositions/verification", s.handle(s.verifyProposal))
	r.Post("/propositions", s.handle(s.postProposal))
}

// contributions returns the service, or a 404 when the server has none.
func (s *Server) contributions() (*contributing.Service, error) {
	if s.contrib == nil {
		return nil, notFound("les contributions ne sont pas ouvertes sur ce serveur")
	}
	return s.contrib, nil
}

// proposalBody is the body of POST /api/propositions and of its
// verification.
type proposalBody struct {
	Type      string                     `json:"type"`
	Place     string                     `json:"lieu"`
	Fields    map[string]json.RawMessage `json:"champs"`
	Motive    string                     `json:"motif"`
	Comment   string                     `json:"commentaire"`
	Email     string                     `json:"courriel"`
	FormToken string                     `json:"jeton"`
	Honeypot  string                     `json:"site_internet"`
}

func (b *proposalBody) request() contributing.Request {
	return contributing.Request{Type: cartonum.ProposalType(b.Type), Place: b.Place, Fields: b.Fields,
		Motive: b.Motive, Comment: b.Comment, Email: b.Email, FormToken: b.FormToken, Honeypot: b.Honeypot}
}

func (s *Server) proposalForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, c.Form())
	return nil
}

// placeProperties is a place as /api/sites/{id} gives its properties.
func (s *Server) placeProperties(p *cartonum.Place) *siteDetail {
	if p == nil {
		return nil
	}
	snap := s.idx.Current()
	sch, err := openinghours.Parse(p.Horaires)
	if err != nil {
		sch = nil
	}
	d := &siteDetail{Place: p, CodeEpci: snap.EPCIOf(p.CodeInsee), HorairesCalcules: hoursAt(p.Horaires, sch, s.now())}
	if c, ok := snap.Commune(p.CodeInsee); ok {
		d.CodeDepartement = c.CodeDepartement
	}
	return d
}

func (s *Server) verifyProposal(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	var body proposalBody
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	res, err := c.Check(r.Context(), body.request())
	if err != nil {
		return err
	}
	out := struct {
		Place   *siteDetail               `json:"lieu"`
		Repairs []contributing.FieldError `json:"reparations"`
		Errors  []contributing.FieldError `json:"erreurs"`
	}{s.placeProperties(res.Place), nonNilFields(res.Repairs), nonNilFields(res.Errors)}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func nonNilFields(v []contributing.FieldError) []contributing.FieldError {
	if v == nil {
		return []contributing.FieldError{}
	}
	return v
}

func (s *Server) postProposal(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	var body proposalBody
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	req := body.request()
	req.Client = s.clientKey(r)
	rec, err := c.Propose(r.Context(), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api%s", rec.Tracking))
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

func (s *Server) proposalStatus(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	st, err := c.Track(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, st)
	return nil
}

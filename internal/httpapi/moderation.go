package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/contributing"
)

// moderationRoutes mounts the moderation routes, every one behind a
// session (requireUser: 401 without one, 403 for a write without the CSRF
// token), and the history of places, whose details only a moderator who
// reaches the place sees.
func (s *Server) moderationRoutes(r chi.Router) {
	r.With(s.optionalUser).Get("/sites/{id}/historique", s.handle(s.placeHistory))
	r.Group(func(r chi.Router) {
		r.Use(s.requireUser)
		r.Use(s.limitBody)
		r.Get("/moderation/propositions", s.handle(s.moderationQueue))
		r.Get("/moderation/propositions/{id}", s.handle(s.moderationDetail))
		r.Post("/moderation/propositions/{id}/accepter", s.handle(s.acceptProposal))
		r.Post("/moderation/propositions/{id}/refuser", s.handle(s.rejectProposal))
		r.Post("/moderation/sites/{id}/confirmer", s.handle(s.confirmPlace))
		r.Post("/moderation/sites/{id}/restaurer", s.handle(s.restorePlace))
		r.Get("/moderation/sites/fermes", s.handle(s.closedPlaces))
	})
}

func (s *Server) placeHistory(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	h, err := c.History(r.Context(), userFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, h)
	return nil
}

// proposalID reads the {id} of a moderation route.
func proposalID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, invalid("numéro de proposition « %s » invalide", chi.URLParam(r, "id"))
	}
	return id, nil
}

func (s *Server) moderationQueue(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	v := r.URL.Query()
	if err := unknownParams(v, "statut", "type", "departement", "epci", "age_min_jours"); err != nil {
		return err
	}
	q := contributing.QueueFilter{Status: cartonum.ProposalStatus(v.Get("statut")), Type: cartonum.ProposalType(v.Get("type")),
		Departement: v.Get("departement"), EPCI: v.Get("epci")}
	switch q.Status {
	case "", cartonum.StatusPending, cartonum.StatusAccepted, cartonum.StatusRejected:
	default:
		return invalid("statut « %s » inconnu : en_attente, acceptee ou refusee", q.Status)
	}
	switch q.Type {
	case "", cartonum.ProposalAdd, cartonum.ProposalEdit, cartonum.ProposalReport:
	default:
		return invalid("type « %s » inconnu : ajout, modification ou signalement", q.Type)
	}
	if q.Departement != "" && !cartonum.ValidDepartementCode(q.Departement) {
		return invalid("code de département « %s » invalide", q.Departement)
	}
	if q.EPCI != "" && !cartonum.ValidSIREN(q.EPCI) {
		return invalid("code d'EPCI « %s » invalide", q.EPCI)
	}
	days, err := intParam(v, "age_min_jours", 0, 0, 3650)
	if err != nil {
		return err
	}
	q.MinAge = time.Duration(days) * 24 * time.Hour
	list, err := c.Queue(r.Context(), userFrom(r.Context()), q)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, map[string]any{"propositions": list})
	return nil
}

func (s *Server) moderationDetail(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	id, err := proposalID(r)
	if err != nil {
		return err
	}
	d, err := c.Detail(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		return err
	}
	out := struct {
		Proposal    contributing.ModProposal  `json:"proposition"`
		Current     *siteDetail               `json:"actuel"`
		Proposed    *siteDetail               `json:"propose"`
		Differences []contributing.Difference `json:"differences"`
		Repairs     []contributing.FieldError `json:"reparations"`
		Errors      []contributing.FieldError `json:"erreurs"`
		History     []cartonum.Change         `json:"historique"`
	}{d.Proposal, s.placeProperties(d.Current), s.placeProperties(d.Proposed), d.Differences, d.Repairs, d.Errors, d.History}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, out)
	return nil
}

// readOptionalJSON decodes a body that may be empty (no edited fields).
func readOptionalJSON(r *http.Request, dst any) error {
	b, err := io.ReadAll(r.Body)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return bodyTooLarge(mbe.Limit)
	case err != nil:
		return err
	case len(bytes.TrimSpace(b)) == 0:
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return decodeJSON(r, dst)
}

func (s *Server) acceptProposal(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	id, err := proposalID(r)
	if err != nil {
		return err
	}
	var body struct {
		Fields map[string]json.RawMessage `json:"champs"`
	}
	if err := readOptionalJSON(r, &body); err != nil {
		return err
	}
	d, err := c.Accept(r.Context(), userFrom(r.Context()), id, body.Fields)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) rejectProposal(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	id, err := proposalID(r)
	if err != nil {
		return err
	}
	var body struct {
		Reason string `json:"motif"`
	}
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	d, err := c.Reject(r.Context(), userFrom(r.Context()), id, body.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) confirmPlace(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	p, err := c.Confirm(r.Context(), userFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"lieu": p.ID, "date_maj": p.DateMaj})
	return nil
}

func (s *Server) restorePlace(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	p, err := c.Restore(r.Context(), userFrom(r.Context()), chi.URLParam(r, "id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"lieu": p.ID})
	return nil
}

func (s *Server) closedPlaces(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contributions()
	if err != nil {
		return err
	}
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	list, err := c.ClosedPlaces(r.Context(), userFrom(r.Context()))
	if err != nil {
		return err
	}
	out := make([]*siteDetail, 0, len(list))
	for i := range list {
		out = append(out, s.placeProperties(&list[i]))
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, map[string]any{"lieux": out})
	return nil
}

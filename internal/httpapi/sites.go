package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/openinghours"
	"github.com/cartonum/cartonum/internal/standard"
)

// siteSummary is what lists and maps need of a place.
type siteSummary struct {
	ID  string `json:"id"`
	Nom string `json:"nom"`
	// NomAffiche is the name normalised for reading (index.DisplayName);
	// Nom stays the source's.
	NomAffiche              string   `json:"nom_affiche"`
	Adresse                 string   `json:"adresse"`
	ComplementAdresse       string   `json:"complement_adresse,omitempty"`
	CodePostal              string   `json:"code_postal"`
	Commune                 string   `json:"commune"`
	CodeInsee               string   `json:"code_insee,omitempty"`
	Telephone               string   `json:"telephone,omitempty"`
	Horaires                string   `json:"horaires,omitempty"`
	Services                []string `json:"services"`
	Dispositifs             []string `json:"dispositif_programmes_nationaux"`
	Publics                 []string `json:"publics_specifiquement_adresses"`
	PriseEnCharge           []string `json:"prise_en_charge_specifique"`
	Frais                   []string `json:"frais_a_charge"`
	ModalitesAcces          []string `json:"modalites_acces"`
	ModalitesAccompagnement []string `json:"modalites_accompagnement"`
	Equipements             []string `json:"equipements"`
	Qualifications          []string `json:"qualifications"`
	PriseRdv                string   `json:"prise_rdv,omitempty"`
	Precision               string   `json:"precision"`
	HorsRegion              bool     `json:"hors_region,omitempty"`
	DistanceM               *float64 `json:"distance_m,omitempty"`
	// HorsRayon marks the places of plus_proches, beyond the radius.
	HorsRayon bool `json:"hors_rayon,omitempty"`
	// HorairesCalcules is absent when the place has no opening hours.
	HorairesCalcules *computedHours `json:"horaires_calcules,omitempty"`
}

// computedHours is the reading of a place's opening hours (the horaires
// field, kept as written) at the time of the request, in Europe/Paris with
// the French public holidays, by the one engine of internal/openinghours.
type computedHours struct {
	// Valide is false when the hours cannot be read; the other fields are
	// then empty and only the raw text tells.
	Valide bool `json:"valide"`
	Ouvert bool `json:"ouvert"`
	// ProchainChangement is the next opening or closing within eight days,
	// null when there is none.
	ProchainChangement *time.Time `json:"prochain_changement"`
	// Libelle says Ouvert or Fermé and the next change, in French.
	Libelle string `json:"libelle"`
	// Semaine is the ordinary week, Monday first, public holidays aside.
	Semaine []computedDay `json:"semaine"`
}

type computedDay struct {
	Jour         string   `json:"jour"`
	Plages       []string `json:"plages"`
	Commentaires []string `json:"commentaires,omitempty"`
}

// hoursAt reads a place's parsed hours (nil when unreadable) at now; nil
// when the place has none.
func hoursAt(horaires string, sch *openinghours.Schedule, now time.Time) *computedHours {
	if horaires == "" {
		return nil
	}
	if sch == nil {
		return &computedHours{Semaine: []computedDay{}}
	}
	now = now.In(openinghours.Paris())
	st := sch.StatusAt(now)
	h := &computedHours{Valide: true, Ouvert: st.Open, Libelle: st.Label(now), Semaine: make([]computedDay, 7)}
	if !st.Next.IsZero() {
		h.ProchainChangement = &st.Next
	}
	for d, ivs := range sch.Week() {
		day := computedDay{Jour: openinghours.DayNames[d], Plages: make([]string, 0, len(ivs))}
		for _, iv := range ivs {
			day.Plages = append(day.Plages, fmt.Sprintf("%02d:%02d-%02d:%02d", iv.Start/60, iv.Start%60, iv.End/60, iv.End%60))
			if iv.Comment != "" && !slices.Contains(day.Commentaires, iv.Comment) {
				day.Commentaires = append(day.Commentaires, iv.Comment)
			}
		}
		h.Semaine[d] = day
	}
	return h
}

// now is the clock of computed hours and of the ouvert filter.
func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// feature is a GeoJSON Feature whose properties are a typed struct: orb's
// geojson.Feature takes a map per feature, which the lists of up to 1,000
// places would pay for; the geometry is orb's.
type feature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties any               `json:"properties"`
}

type featureCollection struct {
	Type     string    `json:"type"`
	Features []feature `json:"features"`
	Total    int       `json:"total"`
	Limit    int       `json:"limit"`
	Offset   int       `json:"offset"`
	Version  int64     `json:"data_version"`
	// PlusProches are, when plus_proches=k was asked with near and nothing
	// lies within the radius, the k places nearest beyond it that match
	// the filters (hors_rayon: true), nearest first.
	PlusProches []feature `json:"plus_proches,omitempty"`
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func summary(snap *index.Snapshot, p *cartonum.Place, dist float64, hours *computedHours) siteSummary {
	s := siteSummary{
		ID: p.ID, Nom: p.Nom, NomAffiche: snap.DisplayName(p), Adresse: p.Adresse, ComplementAdresse: p.ComplementAdresse,
		CodePostal: p.CodePostal, Commune: p.Commune, CodeInsee: p.CodeInsee,
		Telephone: p.Telephone, Horaires: p.Horaires, Services: nonNil(p.Services),
		Dispositifs: nonNil(p.Dispositifs), Publics: nonNil(p.Publics),
		PriseEnCharge: nonNil(p.PriseEnCharge), Frais: nonNil(p.Frais),
		ModalitesAcces: nonNil(p.ModalitesAcces), ModalitesAccompagnement: nonNil(p.ModalitesAccompagnement),
		Equipements: nonNil(p.Equipements), Qualifications: nonNil(p.Qualifications),
		PriseRdv: p.PriseRdv, Precision: string(p.Provenance.Precision),
		HorsRegion: p.Provenance.OutsideRegion, HorairesCalcules: hours,
	}
	if !math.IsNaN(dist) {
		d := math.Round(dist)
		s.DistanceM = &d
	}
	return s
}

func (s *Server) listSites(w http.ResponseWriter, r *http.Request) error {
	q, err := s.siteQuery(r.URL.Query(), true)
	if err != nil {
		return err
	}
	snap := s.idx.Current()
	res := snap.Search(q)
	now := s.now()
	fc := featureCollection{Type: "FeatureCollection", Features: make([]feature, 0, len(res.Hits)),
		Total: res.Total, Limit: q.Limit, Offset: q.Offset, Version: snap.Version()}
	for _, h := range res.Hits {
		fc.Features = append(fc.Features, feature{
			Type: "Feature", ID: h.Place.ID,
			Geometry:   geojson.NewGeometry(orb.Point{h.Place.Longitude, h.Place.Latitude}),
			Properties: summary(snap, h.Place, h.Distance, hoursAt(h.Place.Horaires, snap.Hours(h.Place), now)),
		})
	}
	for _, h := range res.Nearest {
		p := summary(snap, h.Place, h.Distance, hoursAt(h.Place.Horaires, snap.Hours(h.Place), now))
		p.HorsRayon = true
		fc.PlusProches = append(fc.PlusProches, feature{
			Type: "Feature", ID: h.Place.ID,
			Geometry:   geojson.NewGeometry(orb.Point{h.Place.Longitude, h.Place.Latitude}),
			Properties: p,
		})
	}
	setLinks(w, r, q, res.Total)
	writeGeoJSON(w, http.StatusOK, fc)
	return nil
}

// setLinks adds RFC 8288 next/prev links for pagination.
func setLinks(w http.ResponseWriter, r *http.Request, q index.Query, total int) {
	link := func(offset int, rel string) {
		v := r.URL.Query()
		v.Set("offset", strconv.Itoa(offset))
		u := url.URL{Path: r.URL.Path, RawQuery: v.Encode()}
		w.Header().Add("Link", "<"+u.String()+`>; rel="`+rel+`"`)
	}
	if q.Offset+q.Limit < total {
		link(q.Offset+q.Limit, "next")
	}
	if q.Offset > 0 {
		link(max(0, q.Offset-q.Limit), "prev")
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
}

// siteDetail is the full record of a place with its territories.
type siteDetail struct {
	*cartonum.Place
	// NomAffiche is the name normalised for reading; nom stays the source's.
	NomAffiche      string `json:"nom_affiche"`
	CodeEpci        string `json:"code_epci,omitempty"`
	CodeDepartement string `json:"code_departement,omitempty"`
	// HorairesCalcules is absent when the place has no opening hours.
	HorairesCalcules *computedHours `json:"horaires_calcules,omitempty"`
}

func (s *Server) getSite(w http.ResponseWriter, r *http.Request) error {
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	id := chi.URLParam(r, "id")
	snap := s.idx.Current()
	p, ok := snap.Place(id)
	if !ok {
		return notFound("aucun lieu d'identifiant « %s »", id)
	}
	d := siteDetail{Place: p, NomAffiche: snap.DisplayName(p), CodeEpci: snap.EPCIOf(p.CodeInsee), HorairesCalcules: hoursAt(p.Horaires, snap.Hours(p), s.now())}
	if c, ok := snap.Commune(p.CodeInsee); ok {
		d.CodeDepartement = c.CodeDepartement
	}
	writeGeoJSON(w, http.StatusOK, feature{
		Type: "Feature", ID: p.ID,
		Geometry:   geojson.NewGeometry(orb.Point{p.Longitude, p.Latitude}),
		Properties: d,
	})
	return nil
}

func (s *Server) exportSites(w http.ResponseWriter, r *http.Request) error {
	q, err := s.siteQuery(r.URL.Query(), false)
	if err != nil {
		return err
	}
	res := s.idx.Current().Search(q)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="lieux-mediation-numerique.csv"`)
	w.Header().Set("X-Total-Count", strconv.Itoa(res.Total))
	cw := standard.NewCSVWriter(w)
	for i, h := range res.Hits {
		if i%1000 == 0 {
			if err := r.Context().Err(); err != nil {
				return nil // client gone or timeout: nothing more to send
			}
		}
		if err := cw.Write(h.Place); err != nil {
			return nil
		}
	}
	_ = cw.Flush()
	return nil
}

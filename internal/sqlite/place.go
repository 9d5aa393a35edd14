package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/mattn/go-sqlite3"
)

// placeColumns are the columns of places, in the order placeArgs writes them
// and placeScanner reads them.
var placeColumns = []string{
	"id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse",
	"latitude", "longitude", "typologie", "telephone", "courriels", "site_web", "horaires",
	"presentation_resume", "presentation_detail", "source", "itinerance", "structure_parente",
	"date_maj", "services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
	"frais_a_charge", "dispositif_programmes_nationaux", "formations_labels",
	"autres_formations_labels", "modalites_acces", "modalites_accompagnement",
	"fiche_acces_libre", "prise_rdv", "equipements", "qualifications",
	"source_ids", "sources", "precision", "outside_region", "horaires_invalid", "repairs",
	"batch_id",
}

// placeSelect selects every column of places, open or closed: add
// openOnly or closedOnly.
var placeSelect = `SELECT ` + strings.Join(placeColumns, ", ") + ` FROM places`

// openOnly and closedOnly select the open and the closed places.
const (
	openOnly   = ` WHERE closed_at IS NULL`
	closedOnly = ` WHERE closed_at IS NOT NULL`
)

// placeUpsert inserts a place or replaces the stored one by id. A stored
// place whose every column but batch_id is equal is left alone, so that
// re-importing unchanged data changes no row and keeps the batch that last
// really changed the place.
var placeUpsert = func() string {
	var set, cur, next []string
	for _, c := range placeColumns[1:] {
		set = append(set, c+" = excluded."+c)
		if c != "batch_id" {
			cur = append(cur, "places."+c)
			next = append(next, "excluded."+c)
		}
	}
	return `INSERT INTO places (` + strings.Join(placeColumns, ", ") + `)
		VALUES (?` + strings.Repeat(", ?", len(placeColumns)-1) + `)
		ON CONFLICT (id) DO UPDATE SET ` + strings.Join(set, ", ") + `
		WHERE (` + strings.Join(cur, ", ") + `) IS NOT (` + strings.Join(next, ", ") + `)`
}()

// Places returns every open place with its provenance, ordered by id.
func (db *DB) Places(ctx context.Context) ([]cartonum.Place, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("places: %w", err)
	}
	defer tx.Rollback()
	return readPlaces(ctx, tx)
}

// readPlaces reads every open place through q, ordered by id.
func readPlaces(ctx context.Context, q querier) ([]cartonum.Place, error) {
	return queryPlaces(ctx, q, openOnly)
}

// queryPlaces reads the places that where (a WHERE clause with its args)
// selects through q, ordered by id.
func queryPlaces(ctx context.Context, q querier, where string, args ...any) ([]cartonum.Place, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM places`+where, args...).Scan(&n); err != nil {
		return nil, fmt.Errorf("places: %w", err)
	}
	rows, err := q.QueryContext(ctx, placeSelect+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("places: %w", err)
	}
	defer rows.Close()

	places := make([]cartonum.Place, 0, n)
	var s placeScanner
	for rows.Next() {
		var p cartonum.Place
		if err := s.scan(rows, &p); err != nil {
			return nil, fmt.Errorf("places: %w", err)
		}
		places = append(places, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("places: %w", err)
	}
	return places, nil
}

// Place returns the open place with the given id, or an error of kind
// KindNotFound (ClosedPlace returns a closed one).
func (db *DB) Place(ctx context.Context, id string) (cartonum.Place, error) {
	return queryPlace(ctx, db.read, openOnly, id)
}

// ClosedPlace returns the place of the given id closed by moderation, or an
// error of kind KindNotFound: it is out of Load's dataset but can be
// reopened.
func (db *DB) ClosedPlace(ctx context.Context, id string) (cartonum.Place, error) {
	return queryPlace(ctx, db.read, closedOnly, id)
}

// ClosedPlaces returns the places closed by moderation, ordered by id.
func (db *DB) ClosedPlaces(ctx context.Context) ([]cartonum.Place, error) {
	return queryPlaces(ctx, db.read, closedOnly)
}

// queryPlace reads through q the place of the given id that where (a WHERE
// clause) selects, or returns an error of kind KindNotFound.
func queryPlace(ctx context.Context, q querier, where, id string) (cartonum.Place, error) {
	rows, err := q.QueryContext(ctx, placeSelect+where+` AND id = ?`, id)
	if err != nil {
		return cartonum.Place{}, fmt.Errorf("place %s: %w", id, err)
	}
	defer rows.Close()

	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return cartonum.Place{}, fmt.Errorf("place %s: %w", id, err)
		}
		return cartonum.Place{}, cartonum.Errorf(cartonum.KindNotFound, "place %q not found", id)
	}
	var (
		p cartonum.Place
		s placeScanner
	)
	if err := s.scan(rows, &p); err != nil {
		return cartonum.Place{}, fmt.Errorf("place %s: %w", id, err)
	}
	return p, nil
}

// placeScanner reads rows of placeSelect, reusing its buffers for the JSON
// columns from one row to the next.
type placeScanner struct {
	typologie, courriels, siteWeb, itinerance, services, publics, priseEnCharge, frais,
	dispositifs, formations, autresFormations, acces, accompagnement, equipements, qualifications,
	sourceIDs, sources, repairs sql.RawBytes
	precision string
}

// scan reads the current row into p.
func (s *placeScanner) scan(rows *sql.Rows, p *cartonum.Place) error {
	pv := &p.Provenance
	if err := rows.Scan(&p.ID, &p.Pivot, &p.Nom, &p.Commune, &p.CodePostal, &p.CodeInsee,
		&p.Adresse, &p.ComplementAdresse, &p.Latitude, &p.Longitude, &s.typologie,
		&p.Telephone, &s.courriels, &s.siteWeb, &p.Horaires, &p.PresentationResume,
		&p.PresentationDetail, &p.Source, &s.itinerance, &p.StructureParente, &p.DateMaj,
		&s.services, &s.publics, &s.priseEnCharge, &s.frais, &s.dispositifs, &s.formations,
		&s.autresFormations, &s.acces, &s.accompagnement, &p.FicheAccesLibre, &p.PriseRdv,
		&s.equipements, &s.qualifications, &s.sourceIDs, &s.sources, &s.precision, &pv.OutsideRegion, &pv.HorairesInvalid,
		&s.repairs, &pv.BatchID); err != nil {
		return err
	}
	pv.Precision = cartonum.Precision(s.precision)

	lists := [...]struct {
		dst  *[]string
		src  sql.RawBytes
		name string
	}{
		{&p.Typologie, s.typologie, "typologie"},
		{&p.Courriels, s.courriels, "courriels"},
		{&p.SiteWeb, s.siteWeb, "site_web"},
		{&p.Itinerance, s.itinerance, "itinerance"},
		{&p.Services, s.services, "services"},
		{&p.Publics, s.publics, "publics_specifiquement_adresses"},
		{&p.PriseEnCharge, s.priseEnCharge, "prise_en_charge_specifique"},
		{&p.Frais, s.frais, "frais_a_charge"},
		{&p.Dispositifs, s.dispositifs, "dispositif_programmes_nationaux"},
		{&p.FormationsLabels, s.formations, "formations_labels"},
		{&p.AutresFormationsLabels, s.autresFormations, "autres_formations_labels"},
		{&p.ModalitesAcces, s.acces, "modalites_acces"},
		{&p.ModalitesAccompagnement, s.accompagnement, "modalites_accompagnement"},
		{&p.Equipements, s.equipements, "equipements"},
		{&p.Qualifications, s.qualifications, "qualifications"},
		{&pv.SourceIDs, s.sourceIDs, "source_ids"},
		{&pv.Sources, s.sources, "sources"},
	}
	for _, l := range lists {
		var err error
		if *l.dst, err = decodeStrings(l.src); err != nil {
			return fmt.Errorf("place %s: %s: %w", p.ID, l.name, err)
		}
	}
	var err error
	if pv.Repairs, err = decodeRepairs(s.repairs); err != nil {
		return fmt.Errorf("place %s: %w", p.ID, err)
	}
	return nil
}

// placeArgs returns the values of placeColumns for p, stored as changed by
// import batchID.
func placeArgs(p *cartonum.Place, batchID int64) ([]any, error) {
	pv := &p.Provenance
	repairs, err := encodeRepairs(pv.Repairs)
	if err != nil {
		return nil, err
	}
	return []any{
		p.ID, p.Pivot, p.Nom, p.Commune, p.CodePostal, p.CodeInsee, p.Adresse, p.ComplementAdresse,
		p.Latitude, p.Longitude, encodeStrings(p.Typologie), p.Telephone,
		encodeStrings(p.Courriels), encodeStrings(p.SiteWeb), p.Horaires,
		p.PresentationResume, p.PresentationDetail, p.Source, encodeStrings(p.Itinerance),
		p.StructureParente, p.DateMaj, encodeStrings(p.Services), encodeStrings(p.Publics),
		encodeStrings(p.PriseEnCharge), encodeStrings(p.Frais), encodeStrings(p.Dispositifs),
		encodeStrings(p.FormationsLabels), encodeStrings(p.AutresFormationsLabels),
		encodeStrings(p.ModalitesAcces), encodeStrings(p.ModalitesAccompagnement),
		p.FicheAccesLibre, p.PriseRdv, encodeStrings(p.Equipements), encodeStrings(p.Qualifications),
		encodeStrings(pv.SourceIDs), encodeStrings(pv.Sources), string(pv.Precision),
		pv.OutsideRegion, pv.HorairesInvalid, repairs, batchID,
	}, nil
}

// applyPlaces deletes the places of deletes, then inserts or replaces the
// places of upserts as changed by the batch of h and rewrites their
// place_sources, recording each place it creates, changes or deletes in h.
// It returns how many places it inserted, updated or deleted.
//
// Deletions and the old source mappings of the upserted places go first, so
// that a source id may move from one place to another within one batch (as
// when a merge absorbs a place).
func applyPlaces(ctx context.Context, tx *sql.Tx, h *history, upserts []cartonum.Place, deletes []string) (int, error) {
	changed := 0
	if len(deletes) > 0 {
		ids := encodeStrings(deletes)
		gone, err := queryPlaces(ctx, tx, ` WHERE id IN (SELECT value FROM json_each(?))`, ids)
		if err != nil {
			return 0, fmt.Errorf("delete places: %w", err)
		}
		res, err := tx.ExecContext(ctx, `
			DELETE FROM places WHERE id IN (SELECT value FROM json_each(?))`, ids)
		if err != nil {
			return 0, fmt.Errorf("delete places: %w", err)
		}
		changed += rowsAffected(res)
		if _, err := tx.ExecContext(ctx, `
			DELETE FROM place_overrides WHERE place_id IN (SELECT value FROM json_each(?))`, ids); err != nil {
			return 0, fmt.Errorf("delete overrides: %w", err)
		}
		for i := range gone {
			if err := h.deleted(ctx, &gone[i]); err != nil {
				return 0, err
			}
		}
	}
	if len(upserts) == 0 {
		return changed, nil
	}

	ids := make([]string, len(upserts))
	for i := range upserts {
		ids[i] = upserts[i].ID
	}
	if _, err := tx.ExecContext(ctx, `
		DELETE FROM place_sources WHERE place_id IN (SELECT value FROM json_each(?))`, encodeStrings(ids)); err != nil {
		return 0, fmt.Errorf("clear place sources: %w", err)
	}

	// The stored places, for their history: read in one statement, which
	// costs a tenth of a statement per place.
	stored, err := queryPlaces(ctx, tx, ` WHERE id IN (SELECT value FROM json_each(?))`, encodeStrings(ids))
	if err != nil {
		return 0, fmt.Errorf("upsert places: %w", err)
	}
	current := make(map[string]*cartonum.Place, len(stored))
	for i := range stored {
		current[stored[i].ID] = &stored[i]
	}
	upsert, err := tx.PrepareContext(ctx, placeUpsert)
	if err != nil {
		return 0, fmt.Errorf("upsert places: %w", err)
	}
	defer upsert.Close()
	source, err := tx.PrepareContext(ctx, `
		INSERT INTO place_sources (source_id, place_id) VALUES (?, ?)
		ON CONFLICT (source_id) DO NOTHING`)
	if err != nil {
		return 0, fmt.Errorf("upsert places: %w", err)
	}
	defer source.Close()

	// Rows run with a context that cannot be cancelled, which spares the
	// driver a goroutine per statement; cancellation is checked once per
	// place instead, and the transaction is rolled back by Apply.
	ectx := context.WithoutCancel(ctx)
	var sids []string
	for i := range upserts {
		p := &upserts[i]
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("place %s: %w", p.ID, err)
		}
		args, err := placeArgs(p, h.batch)
		if err != nil {
			return 0, fmt.Errorf("place %s: %w", p.ID, err)
		}
		res, err := upsert.ExecContext(ectx, args...)
		if err != nil {
			return 0, fmt.Errorf("place %s: %w", p.ID, constraintError(err))
		}
		if n := rowsAffected(res); n > 0 {
			changed += n
			now := *p
			now.Provenance.BatchID = h.batch
			if old := current[p.ID]; old != nil {
				err = h.changed(ectx, old, &now)
			} else {
				err = h.created(ectx, &now)
			}
			if err != nil {
				return 0, err
			}
		}

		sids = appendSourceIDs(sids[:0], p)
		for _, sid := range sids {
			res, err := source.ExecContext(ectx, sid, p.ID)
			if err != nil {
				return 0, fmt.Errorf("place %s: source %s: %w", p.ID, sid, err)
			}
			if rowsAffected(res) == 0 {
				return 0, sourceConflict(ctx, tx, p.ID, sid)
			}
		}
	}
	return changed, nil
}

// setClosed closes (or, with closed false, reopens) each place of ids,
// recording it in h; an id that is not an open (closed) place is an error
// of kind KindNotFound. It returns how many places it closed or reopened.
func setClosed(ctx context.Context, tx *sql.Tx, h *history, ids []string, closed bool) (int, error) {
	where, set, what := openOnly, any(h.at), "ouvert"
	if !closed {
		where, set, what = closedOnly, nil, "fermé"
	}
	for _, id := range ids {
		p, err := queryPlace(ctx, tx, where, id)
		if cartonum.KindOf(err) == cartonum.KindNotFound {
			return 0, cartonum.Errorf(cartonum.KindNotFound, "aucun lieu %s d'identifiant %q", what, id)
		} else if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE places SET closed_at = ? WHERE id = ?`, set, id); err != nil {
			return 0, fmt.Errorf("place %s: %w", id, err)
		}
		if err := h.closed(ctx, &p, closed); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// appendSourceIDs appends to dst the distinct ids that map to p: its own
// id, even when a caller left it out, then those of its SourceIDs.
func appendSourceIDs(dst []string, p *cartonum.Place) []string {
	dst = append(dst, p.ID)
	for _, sid := range p.Provenance.SourceIDs {
		if !slices.Contains(dst, sid) {
			dst = append(dst, sid)
		}
	}
	return dst
}

// sourceConflict returns the error of kind KindConflict for source id sid
// of place id, which another place already has.
func sourceConflict(ctx context.Context, tx *sql.Tx, id, sid string) error {
	var owner string
	if err := tx.QueryRowContext(ctx, `SELECT place_id FROM place_sources WHERE source_id = ?`, sid).Scan(&owner); err != nil {
		return fmt.Errorf("place %s: source %s: %w", id, sid, err)
	}
	return &cartonum.Error{
		Kind:    cartonum.KindConflict,
		Message: fmt.Sprintf("place %q: source id %q already belongs to place %q", id, sid, owner),
	}
}

// constraintError gives a constraint violation reported by SQLite the kind
// KindInvalid: the data, not the store, is at fault.
func constraintError(err error) error {
	var serr sqlite3.Error
	if errors.As(err, &serr) && serr.Code == sqlite3.ErrConstraint {
		return &cartonum.Error{Kind: cartonum.KindInvalid, Message: "invalid place", Err: err}
	}
	return err
}

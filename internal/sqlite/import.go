package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Batch is everything one import writes; Apply writes it atomically.
type Batch = cartonum.Batch

// Counts are the row counts of an import, as its report states them.
type Counts = cartonum.Counts

// Import is a past import, as listed by Imports.
type Import struct {
	ID         int64
	Region     string
	Files      []string
	StartedAt  time.Time
	FinishedAt time.Time
	Counts     Counts
	// Changed is how many places the import actually inserted, updated or
	// deleted: len(Upserts)+len(Deletes) when every upsert changed its place
	// and every deleted id existed.
	Changed int
}

// Apply writes b in one transaction and returns the id of the new import:
// either all of b lands or nothing does. The data version is bumped when a
// territory or a place actually changed (created, changed, deleted, closed
// or reopened). When b.Base is set and the data version is no longer
// *b.Base, nothing is written and the error, of kind KindConflict, wraps
// cartonum.ErrStale: the version is read inside the write transaction,
// which holds the database's write lock from its start, so no other writer
// can move it between the check and the commit. Likewise, a b.Decision on a
// proposal that is no longer pending writes nothing and fails with a
// KindConflict error wrapping cartonum.ErrDecided.
func (db *DB) Apply(ctx context.Context, b Batch) (int64, error) {
	if err := b.Validate(); err != nil {
		return 0, err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("apply import: begin: %w", err)
	}
	defer tx.Rollback()

	if b.Base != nil {
		v, err := readVersion(ctx, tx)
		if err != nil {
			return 0, fmt.Errorf("apply import: %w", err)
		}
		if v != *b.Base {
			return 0, &cartonum.Error{Kind: cartonum.KindConflict, Err: cartonum.ErrStale,
				Message: fmt.Sprintf("import calculé sur la version %d des données, devenue %d", *b.Base, v)}
		}
	}
	id, err := applyBatch(ctx, tx, &b, time.Now())
	if err != nil {
		return 0, fmt.Errorf("apply import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("apply import: commit: %w", err)
	}
	return id, nil
}

// applyBatch writes b within tx at time now and returns the new import's
// id.
func applyBatch(ctx context.Context, tx *sql.Tx, b *Batch, now time.Time) (int64, error) {
	if b.Decision != nil {
		if err := decide(ctx, tx, b.Decision, now); err != nil {
			return 0, err
		}
	}
	id, err := insertImport(ctx, tx, b)
	if err != nil {
		return 0, err
	}

	territories := 0
	if b.Communes != nil {
		n, err := replaceCommunes(ctx, tx, b.Communes)
		if err != nil {
			return 0, err
		}
		territories += n
	}
	if b.EPCIs != nil {
		n, err := replaceEPCIs(ctx, tx, b.EPCIs)
		if err != nil {
			return 0, err
		}
		territories += n
	}
	if b.Departements != nil {
		n, err := replaceDepartements(ctx, tx, b.Departements)
		if err != nil {
			return 0, err
		}
		territories += n
	}

	h, err := newHistory(ctx, tx, id, formatTime(now))
	if err != nil {
		return 0, err
	}
	defer h.Close()
	places, err := applyPlaces(ctx, tx, h, b.Upserts, b.Deletes)
	if err != nil {
		return 0, err
	}
	for _, set := range []struct {
		ids    []string
		closed bool
	}{{b.Closes, true}, {b.Reopens, false}} {
		n, err := setClosed(ctx, tx, h, set.ids, set.closed)
		if err != nil {
			return 0, err
		}
		places += n
	}
	if err := putOverrides(ctx, tx, id, b.Overrides, now); err != nil {
		return 0, err
	}
	for _, p := range b.Proposals {
		if _, _, err := insertProposal(ctx, tx, &p, now); err != nil {
			return 0, err
		}
	}
	if err := putGeocodes(ctx, tx, b.Geocodes); err != nil {
		return 0, err
	}
	if places > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE imports SET changed = ? WHERE id = ?`, places, id); err != nil {
			return 0, fmt.Errorf("import %d: %w", id, err)
		}
	}
	if territories+places > 0 {
		if err := bumpDataVersion(ctx, tx); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// decide records d on its proposal if that is still pending. Otherwise it
// returns an error of kind KindNotFound for an unknown proposal, or of kind
// KindConflict wrapping cartonum.ErrDecided.
func decide(ctx context.Context, tx *sql.Tx, d *cartonum.Decision, now time.Time) error {
	at := d.At
	if at.IsZero() {
		at = now
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE proposals SET status = ?, reason = ?, decided_at = ?, decided_by = ?, result = ?
		WHERE id = ? AND status = ?`,
		string(d.Status), d.Reason, formatTime(at), d.By, d.Result, d.Proposal, string(cartonum.StatusPending))
	if err != nil {
		return fmt.Errorf("decide proposal %d: %w", d.Proposal, err)
	}
	if rowsAffected(res) == 1 {
		return nil
	}
	var status string
	err = tx.QueryRowContext(ctx, `SELECT status FROM proposals WHERE id = ?`, d.Proposal).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return cartonum.Errorf(cartonum.KindNotFound, "aucune proposition n°%d", d.Proposal)
	} else if err != nil {
		return fmt.Errorf("decide proposal %d: %w", d.Proposal, err)
	}
	return &cartonum.Error{Kind: cartonum.KindConflict, Err: cartonum.ErrDecided,
		Message: fmt.Sprintf("proposition n°%d", d.Proposal)}
}

// insertImport records the import of b and returns its id.
func insertImport(ctx context.Context, tx *sql.Tx, b *Batch) (int64, error) {
	var report any
	if len(b.Report) > 0 {
		report = string(b.Report)
	}
	kind := b.Actor.Kind
	if kind == "" {
		kind = cartonum.ActorImport
	}
	proposal := b.Actor.Proposal
	if proposal == 0 && b.Decision != nil {
		proposal = b.Decision.Proposal
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO imports (started_at, finished_at, region, files,
			rows_read, imported, merged, conflicts, rejected, repaired, report,
			kind, actor_user, actor_email, proposal_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		formatTime(b.StartedAt), formatTime(b.FinishedAt), b.Region, encodeStrings(b.Files),
		b.Counts.RowsRead, b.Counts.Imported, b.Counts.Merged, b.Counts.Conflicts, b.Counts.Rejected, b.Counts.Repaired,
		report, kind, b.Actor.User, b.Actor.Email, proposal)
	if err != nil {
		return 0, fmt.Errorf("insert import: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("insert import: %w", err)
	}
	return id, nil
}

// putOverrides records the moderators' fields of batch, replacing those of
// the same place and field; a zero At is now.
func putOverrides(ctx context.Context, tx *sql.Tx, batch int64, list []cartonum.Override, now time.Time) error {
	for _, o := range list {
		at := o.At
		if at.IsZero() {
			at = now
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO place_overrides (place_id, field, value, at, batch_id) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (place_id, field) DO UPDATE SET value = excluded.value, at = excluded.at,
				batch_id = excluded.batch_id`,
			o.Place, o.Field, string(o.Value), formatTime(at), batch); err != nil {
			return fmt.Errorf("override %s of place %s: %w", o.Field, o.Place, err)
		}
	}
	return nil
}

// readOverrides reads every override through q, by place and field.
func readOverrides(ctx context.Context, q querier) ([]cartonum.Override, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT place_id, field, value, at, batch_id FROM place_overrides ORDER BY place_id, field`)
	if err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	defer rows.Close()
	var out []cartonum.Override
	for rows.Next() {
		var (
			o         cartonum.Override
			value, at string
		)
		if err := rows.Scan(&o.Place, &o.Field, &value, &at, &o.Batch); err != nil {
			return nil, fmt.Errorf("overrides: %w", err)
		}
		o.Value = json.RawMessage(value)
		if o.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("override %s of place %s: %w", o.Field, o.Place, err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("overrides: %w", err)
	}
	return out, nil
}

// Imports returns every import of files (the batches of kind import, not
// the moderators'), newest first, without its report.
func (db *DB) Imports(ctx context.Context) ([]Import, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT id, region, files, started_at, finished_at,
			rows_read, imported, merged, conflicts, rejected, repaired, changed
		FROM imports
		WHERE kind = 'import'
		ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	defer rows.Close()

	var (
		imports               []Import
		files                 sql.RawBytes
		startedAt, finishedAt string
	)
	for rows.Next() {
		var im Import
		c := &im.Counts
		if err := rows.Scan(&im.ID, &im.Region, &files, &startedAt, &finishedAt,
			&c.RowsRead, &c.Imported, &c.Merged, &c.Conflicts, &c.Rejected, &c.Repaired, &im.Changed); err != nil {
			return nil, fmt.Errorf("imports: %w", err)
		}
		if im.Files, err = decodeStrings(files); err != nil {
			return nil, fmt.Errorf("import %d: files: %w", im.ID, err)
		}
		if im.StartedAt, err = parseTime(startedAt); err != nil {
			return nil, fmt.Errorf("import %d: %w", im.ID, err)
		}
		if im.FinishedAt, err = parseTime(finishedAt); err != nil {
			return nil, fmt.Errorf("import %d: %w", im.ID, err)
		}
		imports = append(imports, im)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	return imports, nil
}

// ImportReport returns the JSON report of import id as it was given to
// Apply (nil if it had none), or an error of kind KindNotFound.
func (db *DB) ImportReport(ctx context.Context, id int64) ([]byte, error) {
	var report []byte
	err := db.read.QueryRowContext(ctx, `SELECT report FROM imports WHERE id = ?`, id).Scan(&report)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cartonum.Errorf(cartonum.KindNotFound, "import %d not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("import %d report: %w", id, err)
	}
	return report, nil
}

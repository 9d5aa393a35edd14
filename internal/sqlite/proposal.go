package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// The store keeps proposals, history, users and sessions.
var _ cartonum.ContributionStore = (*DB)(nil)

// proposalSelect selects the columns proposalScan reads.
const proposalSelect = `SELECT id, type, place_id, fields, motive, comment, email, token, client,
	origin, source_name, key, code_insee, epci, departement, lon, lat,
	status, reason, created_at, decided_at, decided_by, result FROM proposals`

// scanProposal reads one row of proposalSelect.
func scanProposal(row interface{ Scan(...any) error }) (cartonum.Proposal, error) {
	var (
		p                            cartonum.Proposal
		typ, status                  string
		fields, createdAt, decidedAt string
	)
	if err := row.Scan(&p.ID, &typ, &p.Place, &fields, &p.Motive, &p.Comment, &p.Email, &p.Token, &p.Client,
		&p.Origin, &p.SourceName, &p.Key, &p.CodeInsee, &p.EPCI, &p.Departement, &p.Lon, &p.Lat,
		&status, &p.Reason, &createdAt, &decidedAt, &p.DecidedBy, &p.Result); err != nil {
		return p, err
	}
	p.Type, p.Status = cartonum.ProposalType(typ), cartonum.ProposalStatus(status)
	if fields != "" && fields != "{}" {
		if err := json.Unmarshal([]byte(fields), &p.Fields); err != nil {
			return p, fmt.Errorf("proposal %d: fields: %w", p.ID, err)
		}
	}
	var err error
	if p.CreatedAt, err = parseTime(createdAt); err != nil {
		return p, fmt.Errorf("proposal %d: %w", p.ID, err)
	}
	if decidedAt != "" {
		if p.DecidedAt, err = parseTime(decidedAt); err != nil {
			return p, fmt.Errorf("proposal %d: %w", p.ID, err)
		}
	}
	return p, nil
}

// insertProposal adds p within tx, created at now when its CreatedAt is
// zero and pending when it has no status. A proposal whose non-empty Key is
// stored already is not added: insertProposal returns the stored one's id
// and false.
func insertProposal(ctx context.Context, tx *sql.Tx, p *cartonum.Proposal, now time.Time) (int64, bool, error) {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	if p.Status == "" {
		p.Status = cartonum.StatusPending
	}
	fields := "{}"
	if len(p.Fields) > 0 {
		buf, err := json.Marshal(p.Fields)
		if err != nil {
			return 0, false, cartonum.Errorf(cartonum.KindInvalid, "proposition : champs invalides : %v", err)
		}
		fields = string(buf)
	}
	decidedAt := ""
	if !p.DecidedAt.IsZero() {
		decidedAt = formatTime(p.DecidedAt)
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO proposals (type, place_id, fields, motive, comment, email, token, client,
			origin, source_name, key, code_insee, epci, departement, lon, lat,
			status, reason, created_at, decided_at, decided_by, result)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) WHERE key <> '' DO NOTHING`,
		string(p.Type), p.Place, fields, p.Motive, p.Comment, p.Email, p.Token, p.Client,
		p.Origin, p.SourceName, p.Key, p.CodeInsee, p.EPCI, p.Departement, p.Lon, p.Lat,
		string(p.Status), p.Reason, formatTime(p.CreatedAt), decidedAt, p.DecidedBy, p.Result)
	if err != nil {
		if cartonum.KindOf(constraintError(err)) == cartonum.KindInvalid {
			return 0, false, &cartonum.Error{Kind: cartonum.KindConflict, Message: "proposition déjà enregistrée", Err: err}
		}
		return 0, false, fmt.Errorf("insert proposal: %w", err)
	}
	if rowsAffected(res) == 0 {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM proposals WHERE key = ?`, p.Key).Scan(&id); err != nil {
			return 0, false, fmt.Errorf("insert proposal: %w", err)
		}
		return id, false, nil
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, false, fmt.Errorf("insert proposal: %w", err)
	}
	return id, true, nil
}

// AddProposal stores p, committed (synchronously, on disk) before it
// returns, and returns it with its ID. A proposal whose non-empty Key is
// stored already is not added again: the stored one is returned. A token
// that another proposal has is an error of kind KindConflict.
func (db *DB) AddProposal(ctx context.Context, p cartonum.Proposal) (cartonum.Proposal, error) {
	if p.Type == "" {
		return p, cartonum.Errorf(cartonum.KindInvalid, "proposition sans type")
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return p, fmt.Errorf("add proposal: %w", err)
	}
	defer tx.Rollback()
	id, inserted, err := insertProposal(ctx, tx, &p, time.Now())
	if err != nil {
		return p, err
	}
	if !inserted {
		stored, err := scanProposal(tx.QueryRowContext(ctx, proposalSelect+` WHERE id = ?`, id))
		if err != nil {
			return p, fmt.Errorf("add proposal: %w", err)
		}
		return stored, nil
	}
	if err := tx.Commit(); err != nil {
		return p, fmt.Errorf("add proposal: commit: %w", err)
	}
	p.ID = id
	return p, nil
}

// Proposal returns the proposal id, or an error of kind KindNotFound.
func (db *DB) Proposal(ctx context.Context, id int64) (cartonum.Proposal, error) {
	p, err := scanProposal(db.read.QueryRowContext(ctx, proposalSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, cartonum.Errorf(cartonum.KindNotFound, "aucune proposition n°%d", id)
	} else if err != nil {
		return p, fmt.Errorf("proposal %d: %w", id, err)
	}
	return p, nil
}

// ProposalByToken returns the proposal of the tracking token, or an error
// of kind KindNotFound.
func (db *DB) ProposalByToken(ctx context.Context, token string) (cartonum.Proposal, error) {
	if token == "" {
		return cartonum.Proposal{}, cartonum.Errorf(cartonum.KindNotFound, "aucune proposition pour ce lien de suivi")
	}
	p, err := scanProposal(db.read.QueryRowContext(ctx, proposalSelect+` WHERE token = ?`, token))
	if errors.Is(err, sql.ErrNoRows) {
		return p, cartonum.Errorf(cartonum.KindNotFound, "aucune proposition pour ce lien de suivi")
	} else if err != nil {
		return p, fmt.Errorf("proposal by token: %w", err)
	}
	return p, nil
}

// Proposals returns the proposals f selects, newest first. Unless f.All,
// only those whose département is one of f.Departements or whose EPCI is
// one of f.EPCIs are selected (none when both are empty).
func (db *DB) Proposals(ctx context.Context, f cartonum.ProposalFilter) ([]cartonum.Proposal, error) {
	var (
		where []string
		args  []any
	)
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if f.Type != "" {
		where, args = append(where, "type = ?"), append(args, string(f.Type))
	}
	if f.Place != "" {
		where, args = append(where, "place_id = ?"), append(args, f.Place)
	}
	if !f.Before.IsZero() {
		where, args = append(where, "created_at < ?"), append(args, formatTime(f.Before))
	}
	if !f.All {
		where = append(where, `(departement IN (SELECT value FROM json_each(?))
			OR epci IN (SELECT value FROM json_each(?)))`)
		args = append(args, encodeStrings(nonEmpty(f.Departements)), encodeStrings(nonEmpty(f.EPCIs)))
	}
	q := proposalSelect
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY created_at DESC, id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("proposals: %w", err)
	}
	defer rows.Close()
	var out []cartonum.Proposal
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, fmt.Errorf("proposals: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("proposals: %w", err)
	}
	return out, nil
}

// nonEmpty returns the non-empty strings of ss.
func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// RecentProposals counts the proposals of client created since t.
func (db *DB) RecentProposals(ctx context.Context, client string, since time.Time) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM proposals WHERE client = ? AND created_at >= ?`,
		client, formatTime(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("recent proposals: %w", err)
	}
	return n, nil
}

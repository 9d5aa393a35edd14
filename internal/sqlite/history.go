package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// history writes the place_history rows of one batch.
type history struct {
	stmt  *sql.Stmt
	batch int64
	at    string // formatted time of the batch
}

// newHistory prepares the history of batch, written at time at.
func newHistory(ctx context.Context, tx *sql.Tx, batch int64, at string) (*history, error) {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO place_history (place_id, batch_id, at, action, fields, before, after)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return &history{stmt: stmt, batch: batch, at: at}, nil
}

// Close releases the statement.
func (h *history) Close() error { return h.stmt.Close() }

// add writes one entry; before and after are nil or places.
func (h *history) add(ctx context.Context, id, action string, fields []string, before, after *cartonum.Place) error {
	var b, a any
	for _, x := range []struct {
		p   *cartonum.Place
		dst *any
	}{{before, &b}, {after, &a}} {
		if x.p == nil {
			continue
		}
		buf, err := json.Marshal(x.p)
		if err != nil {
			return fmt.Errorf("history of place %s: %w", id, err)
		}
		*x.dst = string(buf)
	}
	if _, err := h.stmt.ExecContext(ctx, id, h.batch, h.at, action, encodeStrings(fields), b, a); err != nil {
		return fmt.Errorf("history of place %s: %w", id, err)
	}
	return nil
}

func (h *history) created(ctx context.Context, p *cartonum.Place) error {
	return h.add(ctx, p.ID, cartonum.ActionCreate, changedFields(&cartonum.Place{}, p), nil, p)
}

func (h *history) deleted(ctx context.Context, p *cartonum.Place) error {
	return h.add(ctx, p.ID, cartonum.ActionDelete, nil, p, nil)
}

func (h *history) changed(ctx context.Context, before, after *cartonum.Place) error {
	return h.add(ctx, after.ID, cartonum.ActionEdit, changedFields(before, after), before, after)
}

func (h *history) closed(ctx context.Context, p *cartonum.Place, closed bool) error {
	action := cartonum.ActionClose
	if !closed {
		action = cartonum.ActionReopen
	}
	return h.add(ctx, p.ID, action, nil, p, p)
}

// placeField is a field of cartonum.Place and its JSON name, which is the
// standard's column name.
type placeField struct {
	index int
	name  string
}

// placeFieldList are the fields of cartonum.Place but its provenance, in
// declaration order.
var placeFieldList = func() []placeField {
	t := reflect.TypeFor[cartonum.Place]()
	var out []placeField
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || name == "provenance" {
			continue
		}
		out = append(out, placeField{i, name})
	}
	return out
}()

// changedFields returns the JSON names of the fields whose values differ
// between a and b, an empty list and a nil one being equal; "provenance"
// when only the provenance does.
func changedFields(a, b *cartonum.Place) []string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	var out []string
	for _, f := range placeFieldList {
		x, y := va.Field(f.index), vb.Field(f.index)
		var same bool
		if x.Kind() == reflect.Slice {
			same = (x.Len() == 0 && y.Len() == 0) || reflect.DeepEqual(x.Interface(), y.Interface())
		} else {
			same = x.Equal(y)
		}
		if !same {
			out = append(out, f.name)
		}
	}
	if len(out) == 0 {
		out = []string{"provenance"}
	}
	return out
}

// History returns the history of the place id, oldest first: every batch
// that created, changed, closed, reopened or deleted it, with its author.
func (db *DB) History(ctx context.Context, id string) ([]cartonum.Change, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT h.id, h.place_id, h.batch_id, h.at, h.action, h.fields, h.before, h.after,
			i.kind, i.actor_user, i.actor_email, i.proposal_id, i.files
		FROM place_history h JOIN imports i ON i.id = h.batch_id
		WHERE h.place_id = ?
		ORDER BY h.id`, id)
	if err != nil {
		return nil, fmt.Errorf("history of place %s: %w", id, err)
	}
	defer rows.Close()
	var out []cartonum.Change
	for rows.Next() {
		var (
			c                 cartonum.Change
			at, fields, files string
			before, after     sql.NullString
		)
		if err := rows.Scan(&c.ID, &c.Place, &c.Batch, &at, &c.Action, &fields, &before, &after,
			&c.Actor.Kind, &c.Actor.User, &c.Actor.Email, &c.Actor.Proposal, &files); err != nil {
			return nil, fmt.Errorf("history of place %s: %w", id, err)
		}
		if c.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("history of place %s: %w", id, err)
		}
		if c.Fields, err = decodeStrings([]byte(fields)); err != nil {
			return nil, fmt.Errorf("history of place %s: %w", id, err)
		}
		if c.Fields == nil {
			c.Fields = []string{}
		}
		if before.Valid {
			c.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			c.After = json.RawMessage(after.String)
		}
		c.ModeratorEmail = c.Actor.Email
		if c.Actor.Kind == cartonum.ActorImport {
			names, err := decodeStrings([]byte(files))
			if err != nil {
				return nil, fmt.Errorf("history of place %s: %w", id, err)
			}
			for _, n := range names {
				c.Sources = append(c.Sources, filepath.Base(n))
			}
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("history of place %s: %w", id, err)
	}
	return out, nil
}

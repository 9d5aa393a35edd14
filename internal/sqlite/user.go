package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/mattn/go-sqlite3"
)

// userSelect selects the columns scanUser reads.
const userSelect = `SELECT id, email, password_hash, role, departements, epcis, disabled, created_at FROM users`

// scanUser reads one row of userSelect.
func scanUser(row interface{ Scan(...any) error }) (cartonum.User, error) {
	var (
		u                     cartonum.User
		role, deps, epcis, at string
	)
	if err := row.Scan(&u.ID, &u.Email, &u.PasswordHash, &role, &deps, &epcis, &u.Disabled, &at); err != nil {
		return u, err
	}
	u.Role = cartonum.Role(role)
	var err error
	if u.Departements, err = decodeStrings([]byte(deps)); err != nil {
		return u, fmt.Errorf("user %d: %w", u.ID, err)
	}
	if u.EPCIs, err = decodeStrings([]byte(epcis)); err != nil {
		return u, fmt.Errorf("user %d: %w", u.ID, err)
	}
	if u.CreatedAt, err = parseTime(at); err != nil {
		return u, fmt.Errorf("user %d: %w", u.ID, err)
	}
	return u, nil
}

// AddUser stores the account u and returns it with its ID (and its
// creation time, now when zero). An e-mail address already used, whatever
// its case, is an error of kind KindConflict.
func (db *DB) AddUser(ctx context.Context, u cartonum.User) (cartonum.User, error) {
	u.Email = strings.TrimSpace(u.Email)
	if u.Email == "" || u.PasswordHash == "" {
		return u, cartonum.Errorf(cartonum.KindInvalid, "compte sans adresse électronique ou sans mot de passe")
	}
	if u.Role != cartonum.RoleModerator && u.Role != cartonum.RoleAdmin {
		return u, cartonum.Errorf(cartonum.KindInvalid, "rôle %q inconnu : moderateur ou administrateur", u.Role)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now()
	}
	res, err := db.write.ExecContext(ctx, `
		INSERT INTO users (email, password_hash, role, departements, epcis, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.Email, u.PasswordHash, string(u.Role), encodeStrings(u.Departements), encodeStrings(u.EPCIs),
		u.Disabled, formatTime(u.CreatedAt))
	var serr sqlite3.Error
	if errors.As(err, &serr) && serr.ExtendedCode == sqlite3.ErrConstraintUnique {
		return u, cartonum.Errorf(cartonum.KindConflict, "un compte existe déjà pour %s", u.Email)
	} else if err != nil {
		return u, fmt.Errorf("add user: %w", err)
	}
	if u.ID, err = res.LastInsertId(); err != nil {
		return u, fmt.Errorf("add user: %w", err)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return u, nil
}

// UserByEmail returns the account of the e-mail address, whatever its
// case, or an error of kind KindNotFound.
func (db *DB) UserByEmail(ctx context.Context, email string) (cartonum.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, userSelect+` WHERE email = ?`, strings.TrimSpace(email)))
	if errors.Is(err, sql.ErrNoRows) {
		return u, cartonum.Errorf(cartonum.KindNotFound, "aucun compte pour %s", email)
	} else if err != nil {
		return u, fmt.Errorf("user %s: %w", email, err)
	}
	return u, nil
}

// UserByID returns the account id, or an error of kind KindNotFound.
func (db *DB) UserByID(ctx context.Context, id int64) (cartonum.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, userSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, cartonum.Errorf(cartonum.KindNotFound, "aucun compte n°%d", id)
	} else if err != nil {
		return u, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// Users returns every account, by e-mail address.
func (db *DB) Users(ctx context.Context) ([]cartonum.User, error) {
	rows, err := db.read.QueryContext(ctx, userSelect+` ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var out []cartonum.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return out, nil
}

// DisableUser disables the account of the e-mail address and ends its
// sessions; an unknown address is an error of kind KindNotFound.
func (db *DB) DisableUser(ctx context.Context, email string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `UPDATE users SET disabled = 1 WHERE email = ? RETURNING id`, strings.TrimSpace(email)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return cartonum.Errorf(cartonum.KindNotFound, "aucun compte pour %s", email)
	} else if err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	return nil
}

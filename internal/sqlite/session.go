package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// loginFailureRetention is how long failed logins are kept: longer than
// any throttle window.
const loginFailureRetention = 24 * time.Hour

// AddSession stores s, deleting the expired sessions on the way.
func (db *DB) AddSession(ctx context.Context, s cartonum.Session) error {
	if s.TokenHash == "" || s.User == 0 {
		return cartonum.Errorf(cartonum.KindInvalid, "session sans jeton ou sans compte")
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = time.Now()
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add session: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(s.CreatedAt)); err != nil {
		return fmt.Errorf("expire sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		s.TokenHash, s.User, s.CSRF, formatTime(s.CreatedAt), formatTime(s.ExpiresAt)); err != nil {
		if cartonum.KindOf(constraintError(err)) == cartonum.KindInvalid {
			return &cartonum.Error{Kind: cartonum.KindInvalid, Message: "session invalide (compte inconnu ou jeton déjà pris)", Err: err}
		}
		return fmt.Errorf("add session: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add session: %w", err)
	}
	return nil
}

// SessionByHash returns the session of the token hash and its user, if the
// session has not expired at now and the user is enabled. Otherwise the
// error, of kind KindNotFound, wraps cartonum.ErrUnauthorized.
func (db *DB) SessionByHash(ctx context.Context, hash string, now time.Time) (cartonum.Session, cartonum.User, error) {
	var (
		s                    cartonum.Session
		createdAt, expiresAt string
	)
	row := db.read.QueryRowContext(ctx, `
		SELECT s.token_hash, s.user_id, s.csrf, s.created_at, s.expires_at,
			u.id, u.email, u.password_hash, u.role, u.departements, u.epcis, u.disabled, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`, hash, formatTime(now))
	u, err := scanUser(scanFunc(func(dest ...any) error {
		return row.Scan(append([]any{&s.TokenHash, &s.User, &s.CSRF, &createdAt, &expiresAt}, dest...)...)
	}))
	if errors.Is(err, sql.ErrNoRows) {
		return s, u, &cartonum.Error{Kind: cartonum.KindNotFound, Message: "session inconnue ou expirée", Err: cartonum.ErrUnauthorized}
	} else if err != nil {
		return s, u, fmt.Errorf("session: %w", err)
	}
	if s.CreatedAt, err = parseTime(createdAt); err != nil {
		return s, u, fmt.Errorf("session: %w", err)
	}
	if s.ExpiresAt, err = parseTime(expiresAt); err != nil {
		return s, u, fmt.Errorf("session: %w", err)
	}
	return s, u, nil
}

// scanFunc adapts a function to the Scan method scanUser reads through.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// DeleteSession deletes the session of the token hash, if any.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// LoginFailures counts the failed logins of key since t.
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?`,
		key, formatTime(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("login failures: %w", err)
	}
	return n, nil
}

// AddLoginFailure records a failed login of key at time at, forgetting on
// the way the failures older than a day.
func (db *DB) AddLoginFailure(ctx context.Context, key string, at time.Time) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add login failure: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at < ?`, formatTime(at.Add(-loginFailureRetention))); err != nil {
		return fmt.Errorf("add login failure: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, formatTime(at)); err != nil {
		return fmt.Errorf("add login failure: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add login failure: %w", err)
	}
	return nil
}

// ClearLoginFailures forgets the failed logins of key.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, key); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}

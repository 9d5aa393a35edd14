package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// ScenarioLimits bound what anonymous clients may store. A zero field
// sets no bound.
type ScenarioLimits struct {
	// MaxCount is the number of scenarios kept at most.
	MaxCount int
	// MaxBytes bounds the total size of the stored titles and bodies.
	MaxBytes int64
	// PerClient is the number of scenarios one client may store within
	// PerClientWindow.
	PerClient       int
	PerClientWindow time.Duration
	// Retention is how long a scenario is kept: older ones are no longer
	// served and are deleted by the next save.
	Retention time.Duration
}

// QuotaError says that storing a scenario would break a ScenarioLimits
// bound; nothing was stored. Its message is meant for users.
type QuotaError struct {
	Message string
}

func (e *QuotaError) Error() string { return e.Message }

// Quota reports that the error is a storage quota, for callers that match
// the behaviour without importing this package.
func (e *QuotaError) Quota() bool { return true }

// ScenarioStore keeps the what-if scenarios of anonymous clients within
// limits.
type ScenarioStore struct {
	db     *DB
	limits ScenarioLimits
	now    func() time.Time
}

// Scenarios returns the scenario store of db with the given limits.
func (db *DB) Scenarios(l ScenarioLimits) *ScenarioStore {
	return &ScenarioStore{db: db, limits: l, now: time.Now}
}

// SaveScenario stores a what-if scenario (its title and JSON body) for
// client, an opaque key of who asks, and returns its id. It first deletes
// the expired scenarios; over a limit it returns a *QuotaError and stores
// nothing.
func (s *ScenarioStore) SaveScenario(ctx context.Context, client, title string, body []byte) (int64, error) {
	now := s.now()
	tx, err := s.db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("save scenario: %w", err)
	}
	defer tx.Rollback()
	if s.limits.Retention > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM scenarios WHERE created_at < ?`,
			formatTime(now.Add(-s.limits.Retention))); err != nil {
			return 0, fmt.Errorf("expire scenarios: %w", err)
		}
	}
	size := int64(len(title) + len(body))
	if err := s.checkQuota(ctx, tx, client, size, now); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO scenarios (created_at, title, body, client, size) VALUES (?, ?, ?, ?, ?)`,
		formatTime(now), title, string(body), client, size)
	if err != nil {
		return 0, fmt.Errorf("save scenario: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("save scenario: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("save scenario: %w", err)
	}
	return id, nil
}

// checkQuota returns a *QuotaError when one more scenario of size bytes
// from client would break a limit.
func (s *ScenarioStore) checkQuota(ctx context.Context, tx *sql.Tx, client string, size int64, now time.Time) error {
	l := s.limits
	if l.MaxBytes > 0 && size > l.MaxBytes {
		return &QuotaError{Message: "scénario trop volumineux pour être enregistré"}
	}
	if l.MaxCount > 0 || l.MaxBytes > 0 {
		var n, bytes int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(size), 0) FROM scenarios`).Scan(&n, &bytes); err != nil {
			return fmt.Errorf("count scenarios: %w", err)
		}
		if (l.MaxCount > 0 && n >= int64(l.MaxCount)) || (l.MaxBytes > 0 && bytes+size > l.MaxBytes) {
			return &QuotaError{Message: "capacité d'enregistrement des scénarios atteinte sur ce serveur ; réessayez plus tard ou partagez le scénario sans l'enregistrer"}
		}
	}
	if l.PerClient > 0 && l.PerClientWindow > 0 {
		since := now.Add(-l.PerClientWindow)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scenarios WHERE client = ? AND created_at >= ?`,
			client, formatTime(since)).Scan(&n); err != nil {
			return fmt.Errorf("count scenarios of client: %w", err)
		}
		if n >= l.PerClient {
			return &QuotaError{Message: fmt.Sprintf("vous avez déjà enregistré %d scénarios en %s, le maximum pour un même client ; réessayez plus tard",
				n, durationFR(l.PerClientWindow))}
		}
	}
	return nil
}

// durationFR writes d for a French sentence: "24 h", "30 min", "10 s".
func durationFR(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d s", int64(d.Round(time.Second)/time.Second))
}

// Scenario returns the JSON body of a saved scenario, or an error of kind
// KindNotFound when there is none or it has expired.
func (s *ScenarioStore) Scenario(ctx context.Context, id int64) ([]byte, error) {
	since := ""
	if s.limits.Retention > 0 {
		since = formatTime(s.now().Add(-s.limits.Retention))
	}
	var body string
	err := s.db.read.QueryRowContext(ctx, `SELECT body FROM scenarios WHERE id = ? AND created_at >= ?`, id, since).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cartonum.Errorf(cartonum.KindNotFound, "aucun scénario n°%d (jamais enregistré, ou expiré)", id)
	} else if err != nil {
		return nil, fmt.Errorf("scenario %d: %w", id, err)
	}
	return []byte(body), nil
}

// ScenarioCount returns the number of stored scenarios and their total
// size in bytes, expired ones included until the next save deletes them.
func (s *ScenarioStore) ScenarioCount(ctx context.Context) (n int, bytes int64, err error) {
	err = s.db.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(size), 0) FROM scenarios`).Scan(&n, &bytes)
	if err != nil {
		return 0, 0, fmt.Errorf("count scenarios: %w", err)
	}
	return n, bytes, nil
}

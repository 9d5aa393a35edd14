package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// SaveScenario stores a what-if scenario (its JSON body) and returns its id.
func (db *DB) SaveScenario(ctx context.Context, title string, body []byte) (int64, error) {
	res, err := db.write.ExecContext(ctx, `INSERT INTO scenarios (created_at, title, body) VALUES (?, ?, ?)`,
		formatTime(time.Now()), title, string(body))
	if err != nil {
		return 0, fmt.Errorf("save scenario: %w", err)
	}
	return res.LastInsertId()
}

// Scenario returns the JSON body of a saved scenario, or an error of kind
// KindNotFound.
func (db *DB) Scenario(ctx context.Context, id int64) ([]byte, error) {
	var body string
	err := db.read.QueryRowContext(ctx, `SELECT body FROM scenarios WHERE id = ?`, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cartonum.Errorf(cartonum.KindNotFound, "aucun scénario n°%d", id)
	} else if err != nil {
		return nil, fmt.Errorf("scenario %d: %w", id, err)
	}
	return []byte(body), nil
}

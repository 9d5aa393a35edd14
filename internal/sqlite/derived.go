package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Derived returns the data stored under name with key (see PutDerived),
// or nil when name holds nothing or holds data of another key. The data
// is read only when the key matches.
func (db *DB) Derived(ctx context.Context, name string, key []byte) ([]byte, error) {
	var data []byte
	err := db.read.QueryRowContext(ctx, `SELECT data FROM derived WHERE name = ? AND key = ?`, name, key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("derived %s: %w", name, err)
	}
	return data, nil
}

// PutDerived stores data under name and key, replacing what name held:
// the derived table is a cache of what a process would otherwise compute
// again (no data version changes with it).
func (db *DB) PutDerived(ctx context.Context, name string, key, data []byte) error {
	if key == nil {
		key = []byte{}
	}
	if data == nil {
		data = []byte{}
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO derived (name, key, data, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET key = excluded.key, data = excluded.data, updated_at = excluded.updated_at`,
		name, key, data, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("derived %s: %w", name, err)
	}
	return nil
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math"
	"sync"

	"github.com/cartonum/cartonum/analysis"
)

// TripStore caches the trips of one routing engine and its travel
// parameters (its key) in the travel_matrix table: analysis.TripCache. The
// first lookup loads the key's trips into memory; stored trips are written
// in one transaction per call. Pairs are keyed by their coordinates in
// micro-degrees, so a new data version reuses every trip whose demand point
// and place did not move. It is safe for concurrent use.
type TripStore struct {
	db     *DB
	key    string
	logger *slog.Logger

	mu     sync.Mutex
	loaded bool
	trips  map[tripKey]analysis.Trip
}

type tripKey [4]int64

func microDeg(v float64) int64 { return int64(math.Round(v * 1e6)) }

func keyOf(p analysis.Pair) tripKey {
	return tripKey{microDeg(p.From[0]), microDeg(p.From[1]), microDeg(p.To[0]), microDeg(p.To[1])}
}

// TripStore returns the cache of the trips of the engine and travel
// parameters key (e.g. "osrm host:5000/driving"). Failures to write are
// logged on logger (nil: discarded): they cost queries, not answers.
func (db *DB) TripStore(key string, logger *slog.Logger) *TripStore {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &TripStore{db: db, key: key, logger: logger}
}

// TripView is the TripStore seen from one data version: the version is
// recorded with the trips it stores.
type TripView struct {
	s       *TripStore
	version int64
}

// ForVersion returns the cache seen from data version v.
func (s *TripStore) ForVersion(v int64) *TripView { return &TripView{s: s, version: v} }

// Trips returns the known trips of pairs.
func (v *TripView) Trips(ctx context.Context, pairs []analysis.Pair) ([]analysis.Trip, []bool, error) {
	return v.s.lookup(ctx, pairs)
}

// Store keeps trips.
func (v *TripView) Store(ctx context.Context, pairs []analysis.Pair, trips []analysis.Trip) {
	v.s.store(ctx, pairs, trips, v.version)
}

// Len returns the trips the store holds in memory, after a first lookup.
func (s *TripStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.trips)
}

func (s *TripStore) load(ctx context.Context) error {
	if s.loaded {
		return nil
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT src_lon, src_lat, dst_lon, dst_lat, seconds, meters
		FROM travel_matrix WHERE travel = ?`, s.key)
	if err != nil {
		return fmt.Errorf("lecture des trajets en cache : %w", err)
	}
	defer rows.Close()
	trips := map[tripKey]analysis.Trip{}
	for rows.Next() {
		var k tripKey
		var sec, m sql.NullFloat64
		if err := rows.Scan(&k[0], &k[1], &k[2], &k[3], &sec, &m); err != nil {
			return fmt.Errorf("lecture des trajets en cache : %w", err)
		}
		t := analysis.Trip{Meters: math.Inf(1), Minutes: math.Inf(1)}
		if sec.Valid && m.Valid {
			t = analysis.Trip{Meters: m.Float64, Minutes: sec.Float64 / 60}
		}
		trips[k] = t
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lecture des trajets en cache : %w", err)
	}
	s.trips, s.loaded = trips, true
	return nil
}

func (s *TripStore) lookup(ctx context.Context, pairs []analysis.Pair) ([]analysis.Trip, []bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.load(ctx); err != nil {
		return nil, nil, err
	}
	trips := make([]analysis.Trip, len(pairs))
	known := make([]bool, len(pairs))
	for k, p := range pairs {
		trips[k], known[k] = s.trips[keyOf(p)]
	}
	return trips, known, nil
}

func (s *TripStore) store(ctx context.Context, pairs []analysis.Pair, trips []analysis.Trip, version int64) {
	if len(pairs) == 0 {
		return
	}
	s.mu.Lock()
	if s.trips == nil {
		s.trips = map[tripKey]analysis.Trip{}
	}
	for k, p := range pairs {
		s.trips[keyOf(p)] = trips[k]
	}
	s.mu.Unlock()
	if err := s.write(ctx, pairs, trips, version); err != nil {
		s.logger.Warn("trips not cached", "travel", s.key, "pairs", len(pairs), "err", err)
	}
}

func (s *TripStore) write(ctx context.Context, pairs []analysis.Pair, trips []analysis.Trip, version int64) error {
	tx, err := s.db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO travel_matrix
		(travel, src_lon, src_lat, dst_lon, dst_lat, seconds, meters, data_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for k, p := range pairs {
		key := keyOf(p)
		var sec, m any
		if t := trips[k]; !math.IsInf(t.Minutes, 0) && !math.IsNaN(t.Minutes) {
			sec, m = t.Minutes*60, t.Meters
		}
		if _, err := st.ExecContext(ctx, s.key, key[0], key[1], key[2], key[3], sec, m, version); err != nil {
			return err
		}
	}
	return tx.Commit()
}

package sqlite

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
)

func TestDerived(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cartonum.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v0, err := db.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := db.Derived(ctx, "topology", []byte("k1")); err != nil || data != nil {
		t.Fatalf("empty store: %q, %v", data, err)
	}
	big := bytes.Repeat([]byte{0, 1, 2, 0xff}, 1<<20)
	if err := db.PutDerived(ctx, "topology", []byte("k1"), big); err != nil {
		t.Fatal(err)
	}
	if err := db.PutDerived(ctx, "other", []byte("k1"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if data, err := db.Derived(ctx, "topology", []byte("k1")); err != nil || !bytes.Equal(data, big) {
		t.Fatalf("got %d bytes, %v; want %d", len(data), err, len(big))
	}
	if data, err := db.Derived(ctx, "topology", []byte("k2")); err != nil || data != nil {
		t.Fatalf("another key: %d bytes, %v", len(data), err)
	}
	// A new key replaces the old one.
	if err := db.PutDerived(ctx, "topology", []byte("k2"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if data, _ := db.Derived(ctx, "topology", []byte("k1")); data != nil {
		t.Error("the replaced key still answers")
	}
	if v, _ := db.Version(ctx); v != v0 {
		t.Errorf("data version %d → %d: a derived cache is not data", v0, v)
	}
	// Durable: another process (here, another opening) reads it.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, path)
	if data, err := db.Derived(ctx, "topology", []byte("k2")); err != nil || string(data) != "new" {
		t.Fatalf("after reopening: %q, %v", data, err)
	}
	if data, err := db.Derived(ctx, "other", []byte("k1")); err != nil || string(data) != "x" {
		t.Fatalf("other name after reopening: %q, %v", data, err)
	}
}

func reopen(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

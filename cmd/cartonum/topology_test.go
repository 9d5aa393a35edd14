package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// logBuffer collects a server's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// storedTopology reports whether the database at path holds the topology
// of its communes for this program.
func storedTopology(t *testing.T, path string) bool {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	communes, err := db.Communes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := generation.PrepareStored(ctx, communes, db).Stored()
	return stored
}

// serveLogged starts a server on cfg whose log is returned.
func serveLogged(t *testing.T, cfg Config) (*Main, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	cfg.Addr = "127.0.0.1:0"
	cfg.ShutdownTimeout = 5 * time.Second
	m := NewMain(cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m, logs
}

// TestTopologyStored: an import of territories stores their topology, a
// server start reads it; when it is missing (or stale), the start builds
// it and stores it for the next one.
func TestTopologyStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	cfg := territoryConfig(t, path)
	doImport(t, cfg)
	if !storedTopology(t, path) {
		t.Fatal("the import did not store the topology of the communes")
	}
	m, logs := serveLogged(t, cfg)
	if !strings.Contains(logs.String(), `msg="topology of the communes" source=stored`) {
		t.Fatalf("the start did not read the stored topology:\n%s", logs)
	}
	// The default indicators are computed by this first start, and
	// stored for the next one, which answers the same.
	if !strings.Contains(logs.String(), `msg="default indicators" source=computed`) {
		t.Fatalf("the first start did not compute the indicators:\n%s", logs)
	}
	waitLog(t, logs, `msg="default indicators stored"`)
	answers := indicatorAnswers(t, m)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m, logs = serveLogged(t, cfg)
	if !strings.Contains(logs.String(), `msg="default indicators" source=stored`) {
		t.Fatalf("the next start did not read the stored indicators:\n%s", logs)
	}
	if got := indicatorAnswers(t, m); !reflect.DeepEqual(got, answers) {
		t.Fatal("the indicators read from the database are not those computed")
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	// Another program's topology (here, a stale key) is not read.
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutDerived(context.Background(), "topology", []byte("another program"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if storedTopology(t, path) {
		t.Fatal("a stale topology was read")
	}
	m, logs = serveLogged(t, cfg)
	defer m.Close()
	if !strings.Contains(logs.String(), `msg="topology of the communes" source=built`) {
		t.Fatalf("the start did not build the topology:\n%s", logs)
	}
	waitLog(t, logs, `msg="topology of the communes stored"`)
	if !storedTopology(t, path) {
		t.Fatal("the topology the server stored is not read back")
	}
}

// waitLog waits until logs hold line.
func waitLog(t *testing.T, logs *logBuffer, line string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(logs.String(), line) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s in the log:\n%s", line, logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// indicatorAnswers are a server's default indicators at every level, and
// a tile with their attributes.
func indicatorAnswers(t *testing.T, m *Main) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, path := range []string{"/api/indicators", "/api/indicators?level=epci", "/api/indicators?level=departement",
		"/api/indicators?level=region", "/tiles/communes,epci/9/259/173.mvt"} {
		resp, body := get(t, "http://"+m.Addr()+path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: HTTP %d", path, resp.StatusCode)
		}
		out[path] = string(body)
	}
	return out
}

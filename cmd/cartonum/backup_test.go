package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// TestBackupWhileWriting: cartonum backup copies the database while
// another process's handle (a running serve) keeps adding proposals; the
// copy opens, and holds every proposal committed before the backup began
// and none half-written.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "cartonum.db")
	live, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()

	// written counts the proposals committed, started those whose write
	// began: a write committed during the backup may not be counted in
	// written yet when the backup returns, so the copy's upper bound is
	// started.
	var written, started atomic.Int64
	add := func(i int) error {
		started.Add(1)
		_, err := live.AddProposal(ctx, cartonum.Proposal{Type: cartonum.ProposalReport, Place: "lieu-1",
			Motive: cartonum.MotiveClosed, Comment: fmt.Sprintf("signalement %d", i), Token: fmt.Sprintf("jeton-%d", i),
			Departement: "80", Status: cartonum.StatusPending})
		if err == nil {
			written.Add(1)
		}
		return err
	}
	for i := range 20 {
		if err := add(i); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 20; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := add(i); err != nil {
				writeErr = err
				return
			}
		}
	}()

	before := written.Load()
	out := filepath.Join(dir, "copie.db")
	stdout, stderr, err := cli(t, "", "backup", "--db", dbPath, "--out", out)
	after := started.Load()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr)
	}
	if writeErr != nil {
		t.Fatalf("the writer failed during the backup: %v", writeErr)
	}
	if !strings.Contains(stdout, out) {
		t.Errorf("backup printed %q", stdout)
	}
	if written.Load() <= before {
		t.Log("no proposal was written during the backup")
	}

	cp, err := sqlite.Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	ps, err := cp.Proposals(ctx, cartonum.ProposalFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := int64(len(ps)); n < before || n > after {
		t.Fatalf("the copy holds %d proposals; %d were committed before the backup, %d begun by its end", n, before, after)
	}
	for _, p := range ps {
		if !strings.HasPrefix(p.Comment, "signalement ") {
			t.Fatalf("proposal %+v", p)
		}
	}

	// An existing file is never overwritten; a missing database is not
	// created.
	st, _ := os.Stat(out)
	if _, _, err := cli(t, "", "backup", "--db", dbPath, "--out", out); err == nil || !strings.Contains(err.Error(), "existe déjà") {
		t.Fatalf("backup over an existing file: %v", err)
	}
	if st2, _ := os.Stat(out); st2.Size() != st.Size() || !st2.ModTime().Equal(st.ModTime()) {
		t.Fatal("the existing copy was touched")
	}
	missing := filepath.Join(dir, "absente.db")
	if _, _, err := cli(t, "", "backup", "--db", missing, "--out", filepath.Join(dir, "x.db")); err == nil || !strings.Contains(err.Error(), "introuvable") {
		t.Fatalf("backup of a missing database: %v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("backup created the missing database")
	}
	if _, _, err := cli(t, "", "backup", "--db", dbPath); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Fatalf("backup without --out: %v", err)
	}
}

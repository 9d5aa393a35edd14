package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/accounts"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// cli runs the command line with stdin and returns its outputs.
func cli(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestUsersCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cartonum.db")
	const pw = "mot de passe du modérateur 80"
	const adminPW = "mot de passe de l'administrateur"

	out, errOut, err := cli(t, pw+"\n", "users", "add", "--db", db, "--email", "Moderateur80@Example.fr",
		"--role", "moderateur", "--departement", "80", "--departement", "02", "--epci", "200070993")
	if err != nil {
		t.Fatalf("users add: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "moderateur80@example.fr") || strings.Contains(out+errOut, pw) {
		t.Fatalf("users add printed %q, %q", out, errOut)
	}
	// The e2e tests' form: printf '%s\n' "$PASSWORD" | cartonum users add …
	if _, errOut, err := cli(t, adminPW+"\r\n", "users", "add", "--db", db, "--email", "admin@example.fr", "--role", "administrateur"); err != nil {
		t.Fatalf("users add admin: %v\n%s", err, errOut)
	}

	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  string // in the error
	}{
		{"duplicate e-mail", pw + "\n", []string{"--email", "moderateur80@example.fr", "--role", "moderateur", "--departement", "59"}, "existe"},
		{"duplicate e-mail, other case", pw + "\n", []string{"--email", "MODERATEUR80@example.fr", "--role", "administrateur"}, "existe"},
		{"short password", "court\n", []string{"--email", "x@example.fr", "--role", "administrateur"}, "trop court"},
		{"no password", "", []string{"--email", "x@example.fr", "--role", "administrateur"}, "mot de passe attendu"},
		{"no territory", pw + "\n", []string{"--email", "x@example.fr", "--role", "moderateur"}, "au moins un département"},
		{"bad département", pw + "\n", []string{"--email", "x@example.fr", "--role", "moderateur", "--departement", "999"}, "département"},
		{"bad role", pw + "\n", []string{"--email", "x@example.fr", "--role", "chef"}, "rôle"},
		{"no role", pw + "\n", []string{"--email", "x@example.fr"}, "--role"},
		{"no e-mail", pw + "\n", []string{"--role", "administrateur"}, "--email"},
		{"password as a flag", pw + "\n", []string{"--email", "x@example.fr", "--role", "administrateur", "--password", pw}, "password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, err := cli(t, tc.stdin, append([]string{"users", "add", "--db", db}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error()+errOut, tc.want) {
				t.Fatalf("err = %v (stderr %q), want one about %q", err, errOut, tc.want)
			}
			if strings.Contains(out+errOut+err.Error(), pw) {
				t.Fatal("the password is printed")
			}
		})
	}

	out, _, err = cli(t, "", "users", "list", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "E-MAIL") || !strings.Contains(lines[0], "TERRITOIRES") {
		t.Fatalf("users list:\n%s", out)
	}
	if !strings.Contains(out, "départements 02, 80 ; EPCI 200070993") || !strings.Contains(out, "tous les territoires") ||
		strings.Count(out, "actif") != 2 || strings.Contains(out, "argon2") || strings.Contains(out, pw) {
		t.Fatalf("users list:\n%s", out)
	}

	// The stored hash is argon2id and the password logs in.
	store, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	u, err := store.UserByEmail(context.Background(), "moderateur80@example.fr")
	if err != nil || !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("stored user %+v, %v", u, err)
	}
	svc := accounts.New(store)
	if _, _, _, err := svc.Login(context.Background(), "moderateur80@example.fr", pw, "test"); err != nil {
		t.Fatalf("login with the password given on stdin: %v", err)
	}
	if _, _, _, err := svc.Login(context.Background(), "admin@example.fr", adminPW, "test"); err != nil {
		t.Fatalf("login with the password given with CRLF: %v", err)
	}
	store.Close()

	if out, _, err := cli(t, "", "users", "disable", "--db", db, "--email", "Moderateur80@example.fr"); err != nil || !strings.Contains(out, "désactivé") {
		t.Fatalf("users disable: %q, %v", out, err)
	}
	out, _, _ = cli(t, "", "users", "list", "--db", db)
	if !strings.Contains(out, "désactivé") || strings.Count(out, "actif") != 1 {
		t.Fatalf("users list after disable:\n%s", out)
	}
	if _, _, err := cli(t, "", "users", "disable", "--db", db, "--email", "inconnu@example.fr"); cartonum.KindOf(err) != cartonum.KindNotFound {
		t.Fatalf("disable an unknown account: %v", err)
	}
}

func TestUsersUsage(t *testing.T) {
	for _, args := range [][]string{{"users"}, {"users", "remove"}} {
		_, errOut, err := cli(t, "", args...)
		if err == nil || !strings.Contains(errOut, "cartonum users add") {
			t.Errorf("%v: err %v, stderr %q", args, err, errOut)
		}
	}
	out, _, err := cli(t, "", "help", "users")
	if err != nil || !strings.Contains(out, "users disable") {
		t.Errorf("help users: %q, %v", out, err)
	}
	out, _, err = cli(t, "", "help")
	if err != nil || !strings.Contains(out, "users") || !strings.Contains(out, "backup") {
		t.Errorf("help: %q, %v", out, err)
	}
	if _, _, err := cli(t, "", "users", "add", "-h"); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("users add -h: %v", err)
	}
}

// The password is read from the first line only: what follows is not
// part of it.
func TestReadPasswordFirstLine(t *testing.T) {
	got, err := readPassword(strings.NewReader("premier mot de passe\nseconde ligne\n"), io.Discard)
	if err != nil || got != "premier mot de passe" {
		t.Fatalf("readPassword = %q, %v", got, err)
	}
	got, err = readPassword(strings.NewReader("sans fin de ligne"), io.Discard)
	if err != nil || got != "sans fin de ligne" {
		t.Fatalf("readPassword = %q, %v", got, err)
	}
}

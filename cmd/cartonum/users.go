package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/cartonum/cartonum/internal/accounts"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
)

const usersUsage = `Usage:
  cartonum users add --email E --role moderateur|administrateur [--departement CODE …] [--epci SIREN …] [--db F]
      create an account; the password (12 characters at least) is asked twice on
      the terminal, or read from the first line of standard input: never a flag
  cartonum users list [--db F]
      list the accounts: e-mail, role, territories, state
  cartonum users disable --email E [--db F]
      disable an account; its sessions end at once
`

// usersCommand splits "users add …" into the command "users add" and its
// flags.
func usersCommand(rest []string) (string, []string, error) {
	if len(rest) > 0 {
		switch rest[0] {
		case "add", "list", "disable":
			return "users " + rest[0], rest[1:], nil
		}
	}
	if len(rest) == 0 {
		return "", nil, errors.New("cartonum users : sous-commande manquante (add, list ou disable)")
	}
	return "", nil, fmt.Errorf("cartonum users : sous-commande %q inconnue (add, list ou disable)", rest[0])
}

// runUsers runs users add, list or disable on the database of cfg.
func runUsers(ctx context.Context, cmd string, cfg Config, stdin io.Reader, stdout, stderr io.Writer) error {
	if (cmd == "users add" || cmd == "users disable") && cfg.Email == "" {
		return fmt.Errorf("%s : --email requis", cmd)
	}
	if cmd == "users add" && cfg.Role == "" {
		return errors.New("users add : --role requis (moderateur ou administrateur)")
	}
	db, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := accounts.New(db)
	switch cmd {
	case "users add":
		// Check everything but the password before asking for it.
		if _, err := accounts.NormalizeEmail(cfg.Email); err != nil {
			return err
		}
		password, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		u, err := svc.AddUser(ctx, accounts.NewUser{Email: cfg.Email, Role: cartonum.Role(cfg.Role),
			Departements: cfg.UserDepartements, EPCIs: cfg.UserEPCIs, Password: password})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Compte %s créé : %s, %s.\n", u.Email, u.Role, territories(u))
	case "users list":
		us, err := svc.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "E-MAIL\tRÔLE\tTERRITOIRES\tÉTAT")
		for _, u := range us {
			state := "actif"
			if u.Disabled {
				state = "désactivé"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, u.Role, territories(u), state)
		}
		return tw.Flush()
	case "users disable":
		if err := svc.Disable(ctx, cfg.Email); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Compte %s désactivé.\n", strings.ToLower(strings.TrimSpace(cfg.Email)))
	}
	return nil
}

// territories describes what a user reaches.
func territories(u cartonum.User) string {
	if u.Role == cartonum.RoleAdmin {
		return "tous les territoires"
	}
	var parts []string
	if len(u.Departements) > 0 {
		parts = append(parts, "départements "+strings.Join(u.Departements, ", "))
	}
	if len(u.EPCIs) > 0 {
		parts = append(parts, "EPCI "+strings.Join(u.EPCIs, ", "))
	}
	if len(parts) == 0 {
		return "aucun territoire"
	}
	return strings.Join(parts, " ; ")
}

// readPassword reads the new account's password: from the terminal,
// without echo and twice, when stdin is one; otherwise the first line of
// stdin (e.g. printf '%s\n' "$PASSWORD" | cartonum users add …).
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		fmt.Fprint(stderr, "Mot de passe (12 caractères au moins) : ")
		p1, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("lecture du mot de passe : %w", err)
		}
		fmt.Fprint(stderr, "Confirmation : ")
		p2, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("lecture du mot de passe : %w", err)
		}
		if string(p1) != string(p2) {
			return "", errors.New("les deux mots de passe diffèrent")
		}
		return string(p1), nil
	}
	if stdin == nil {
		return "", errors.New("mot de passe attendu sur l'entrée standard")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("lecture du mot de passe : %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("mot de passe attendu sur la première ligne de l'entrée standard")
	}
	return line, nil
}

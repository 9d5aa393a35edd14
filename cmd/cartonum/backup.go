package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/cartonum/cartonum/internal/sqlite"
)

// runBackup writes a consistent copy of the database to cfg.Out. It works
// while serve runs: the store copies one read transaction's view of the
// live database.
func runBackup(ctx context.Context, cfg Config, stdout io.Writer) error {
	if cfg.Out == "" {
		return errors.New("backup : --out requis (fichier de la copie)")
	}
	if _, err := os.Stat(cfg.DB); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("backup : base de données %s introuvable", cfg.DB)
		}
		return fmt.Errorf("backup : %w", err)
	}
	if _, err := os.Stat(cfg.Out); err == nil {
		return fmt.Errorf("backup : %s existe déjà ; choisissez un autre fichier", cfg.Out)
	}
	db, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, cfg.Out); err != nil {
		return fmt.Errorf("backup vers %s : %w", cfg.Out, err)
	}
	st, err := os.Stat(cfg.Out)
	if err != nil {
		return fmt.Errorf("backup : %w", err)
	}
	fmt.Fprintf(stdout, "Copie de %s écrite dans %s (%d octets).\n", cfg.DB, cfg.Out, st.Size())
	return nil
}

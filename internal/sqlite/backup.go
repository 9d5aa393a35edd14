package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Backup writes a consistent copy of the live database to the new file at
// path with VACUUM INTO, on the write connection: writers wait for the
// copy (a few seconds for a region), readers do not. An existing file is
// never overwritten: it is an error of kind KindInvalid.
func (db *DB) Backup(ctx context.Context, path string) error {
	if path == "" {
		return cartonum.Errorf(cartonum.KindInvalid, "sauvegarde : chemin vide")
	}
	if _, err := os.Stat(path); err == nil {
		return cartonum.Errorf(cartonum.KindInvalid, "sauvegarde : %s existe déjà, choisissez un autre fichier", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sauvegarde %s : %w", path, err)
	}
	if _, err := db.write.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("sauvegarde %s : %w", path, err)
	}
	return nil
}

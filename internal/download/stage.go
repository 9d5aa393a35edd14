package download

import (
	"fmt"
	"os"
)

// stage holds the temporary files of one Fetch run, all in the destination
// directory so that the final renames stay on one file system. Files bound
// for a final path are renamed by commit; the others, and all of them on
// failure, are removed by cleanup.
type stage struct {
	dir   string
	files []*stagedFile
}

// stagedFile is a temporary file, with the final path it is bound for, if
// any.
type stagedFile struct {
	f       *os.File
	final   string
	renamed bool
}

// temp creates a scratch file, removed at cleanup.
func (s *stage) temp() (*stagedFile, error) {
	return s.create("")
}

// create creates a temporary file that commit renames to final.
func (s *stage) create(final string) (*stagedFile, error) {
	f, err := os.CreateTemp(s.dir, ".cartonum-download-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create temporary file: %w", err)
	}
	sf := &stagedFile{f: f, final: final}
	s.files = append(s.files, sf)
	return sf, nil
}

// commit makes the files bound for a final path durable and renames them
// into place. The renames are atomic one by one, not as a group: if one of
// them fails, the files renamed before it stay in place.
func (s *stage) commit() error {
	for _, sf := range s.files {
		if sf.final == "" {
			continue
		}
		if err := sf.f.Chmod(0o644); err != nil {
			return fmt.Errorf("chmod %s: %w", sf.f.Name(), err)
		}
		if err := sf.f.Sync(); err != nil {
			return fmt.Errorf("sync %s: %w", sf.f.Name(), err)
		}
	}
	for _, sf := range s.files {
		if sf.final == "" {
			continue
		}
		if err := sf.f.Close(); err != nil {
			return fmt.Errorf("close %s: %w", sf.f.Name(), err)
		}
		if err := os.Rename(sf.f.Name(), sf.final); err != nil {
			return fmt.Errorf("install %s: %w", sf.final, err)
		}
		sf.renamed = true
	}
	return nil
}

// cleanup closes and removes every file that was not renamed into place.
func (s *stage) cleanup() {
	for _, sf := range s.files {
		if sf.renamed {
			continue
		}
		_ = sf.f.Close()           // may already be closed by commit
		_ = os.Remove(sf.f.Name()) // best effort: nothing better to do on error
	}
	s.files = nil
}

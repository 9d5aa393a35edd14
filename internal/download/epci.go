package download

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Paths of the data files inside the npm package.
const (
	epciPath     = "data/epci.json"
	communesPath = "data/communes.json"
)

// npmMetadata is the part of an npm registry package document Fetch reads;
// the abbreviated ("install") and full documents both have it.
type npmMetadata struct {
	Name     string            `json:"name"`
	DistTags map[string]string `json:"dist-tags"`
	Versions map[string]struct {
		Dist struct {
			Tarball   string `json:"tarball"`
			Shasum    string `json:"shasum"`
			Integrity string `json:"integrity"`
		} `json:"dist"`
	} `json:"versions"`
}

// pkgEPCI is an EPCI of the package's data/epci.json. The package (built
// from the DGCL list) gives populationTotale and populationMunicipale, and
// members as objects {code, siren, nom, populationTotale,
// populationMunicipale}; a plain population field and members given as bare
// codes are accepted too.
type pkgEPCI struct {
	Code                 string      `json:"code"`
	Nom                  string      `json:"nom"`
	Type                 string      `json:"type"`
	Population           *count      `json:"population"`
	PopulationMunicipale *count      `json:"populationMunicipale"`
	PopulationTotale     *count      `json:"populationTotale"`
	Membres              []pkgMember `json:"membres"`
}

// pkgMember is a member commune of a pkgEPCI.
type pkgMember struct {
	Code                 string
	Population           *count
	PopulationMunicipale *count
}

func (m *pkgMember) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &m.Code)
	}
	var o struct {
		Code                 string `json:"code"`
		Population           *count `json:"population"`
		PopulationMunicipale *count `json:"populationMunicipale"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*m = pkgMember{Code: o.Code, Population: o.Population, PopulationMunicipale: o.PopulationMunicipale}
	return nil
}

// population returns the member's municipal population, if given.
func (m pkgMember) population() (int, bool) {
	if m.PopulationMunicipale != nil {
		return int(*m.PopulationMunicipale), true
	}
	if m.Population != nil {
		return int(*m.Population), true
	}
	return 0, false
}

// count is a population: a JSON number, possibly written as a string or
// with a zero fraction by spreadsheet conversions.
type count int

func (c *count) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if uq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(uq)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v != float64(int64(v)) {
		return fmt.Errorf("population %s is not a count", b)
	}
	*c = count(v)
	return nil
}

// pkgCommune is a commune of the package's data/communes.json.
type pkgCommune struct {
	Code       string `json:"code"`
	Type       string `json:"type"`
	Population *count `json:"population"`
}

// epci resolves the latest version of the npm package, downloads its
// tarball, checks its checksum, and writes into the file bound for dest the
// EPCI with at least one member commune in the région, sorted by code, with
// all their members.
//
// The population of an EPCI is the package's populationMunicipale (the
// commune populations of geo.api.gouv.fr are municipal populations too),
// else its population field, else its populationTotale. When the package
// gives none, it is the sum of the members' populations: from the member
// entries, else from the downloaded communes, else from the package's
// data/communes.json; members whose population is found nowhere count for
// zero and are logged.
func (f *fetcher) epci(ctx context.Context, st *stage, registry string, rc *regionCommunes, dest string) error {
	metaURL := strings.TrimRight(registry, "/") + "/" + npmPackage
	version, tarballURL, sum, err := f.resolvePackage(ctx, metaURL)
	if err != nil {
		return err
	}
	f.log.Info("npm package", "name", npmPackage, "version", version, "tarball", tarballURL)

	tgz, err := st.temp()
	if err != nil {
		return err
	}
	h := sum.newHash()
	var w io.Writer = tgz.f
	if h != nil {
		w = io.MultiWriter(tgz.f, h)
	}
	if _, err := f.get(ctx, tarballURL, acceptGzip, w); err != nil {
		return err
	}
	if h != nil {
		if got := h.Sum(nil); !bytes.Equal(got, sum.digest) {
			return fmt.Errorf("GET %s: %w: %s checksum mismatch", tarballURL, ErrInvalidData, sum.algorithm)
		}
	} else {
		f.log.Warn("npm tarball has no checksum to verify", "version", version)
	}

	var all []pkgEPCI
	if err := f.readTarEntry(tgz, epciPath, func(r io.Reader) error {
		return json.NewDecoder(r).Decode(&all)
	}); err != nil {
		return fmt.Errorf("%s %s: %w", npmPackage, version, err)
	}
	if len(all) == 0 {
		return fmt.Errorf("%s %s: %w: %s is empty", npmPackage, version, ErrInvalidData, epciPath)
	}

	kept, err := f.selectEPCI(all, rc, func() (map[string]int, error) {
		pop := make(map[string]int)
		err := f.readTarEntry(tgz, communesPath, func(r io.Reader) error {
			var cs []pkgCommune
			if err := json.NewDecoder(r).Decode(&cs); err != nil {
				return err
			}
			for _, c := range cs {
				if c.Population != nil && (c.Type == "" || c.Type == "commune-actuelle") {
					pop[c.Code] = int(*c.Population)
				}
			}
			return nil
		})
		return pop, err
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", npmPackage, version, err)
	}

	out, err := st.create(dest)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(kept, "", "  ")
	if err != nil {
		return fmt.Errorf("encode EPCI: %w", err)
	}
	if _, err := out.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write %s: %w", out.f.Name(), err)
	}
	f.log.Info("EPCI", "count", len(kept), "national", len(all), "version", version)
	return nil
}

// selectEPCI keeps the EPCI of all with a member in the région, sorted by
// code, and computes the populations the package lacks. pkgCommunes loads
// the package's commune populations, and is called at most once, only when
// needed.
func (f *fetcher) selectEPCI(all []pkgEPCI, rc *regionCommunes, pkgCommunes func() (map[string]int, error)) ([]cartonum.EPCI, error) {
	var (
		kept    []cartonum.EPCI
		pkgPop  map[string]int
		unknown []string
		seen    = make(map[string]bool)
	)
	for i, e := range all {
		inRegion := slices.ContainsFunc(e.Membres, func(m pkgMember) bool { return rc.codes[m.Code] })
		if !inRegion {
			continue
		}
		if e.Code == "" || e.Nom == "" {
			return nil, invalidData("EPCI %d has no code or nom", i)
		}
		if seen[e.Code] {
			return nil, invalidData("EPCI %s given twice", e.Code)
		}
		seen[e.Code] = true
		out := cartonum.EPCI{Code: e.Code, Nom: e.Nom, Type: e.Type, Membres: make([]string, 0, len(e.Membres))}
		for _, m := range e.Membres {
			if !cartonum.ValidCommuneCode(m.Code) {
				return nil, invalidData("EPCI %s: member code %q", e.Code, m.Code)
			}
			out.Membres = append(out.Membres, m.Code)
		}
		switch {
		case e.PopulationMunicipale != nil:
			out.Population = int(*e.PopulationMunicipale)
		case e.Population != nil:
			out.Population = int(*e.Population)
		case e.PopulationTotale != nil:
			out.Population = int(*e.PopulationTotale)
		default:
			for _, m := range e.Membres {
				if p, ok := m.population(); ok {
					out.Population += p
					continue
				}
				if p, ok := rc.population[m.Code]; ok {
					out.Population += p
					continue
				}
				if pkgPop == nil {
					var err error
					if pkgPop, err = pkgCommunes(); err != nil {
						return nil, fmt.Errorf("populations: %w", err)
					}
				}
				if p, ok := pkgPop[m.Code]; ok {
					out.Population += p
					continue
				}
				unknown = append(unknown, m.Code)
			}
			f.log.Debug("EPCI population summed from members", "epci", e.Code, "population", out.Population)
		}
		kept = append(kept, out)
	}
	if len(kept) == 0 {
		return nil, invalidData("no EPCI has a member commune in région %s", rc.region)
	}
	if len(unknown) > 0 {
		f.log.Warn("EPCI members without population, counted as zero", "count", len(unknown), "codes", sample(unknown))
	}
	var missing []string
	for code := range rc.epci {
		if !seen[code] {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		f.log.Warn("communes name EPCI that the npm package lacks (different vintages?)", "count", len(missing), "codes", sample(missing))
	}
	slices.SortFunc(kept, func(a, b cartonum.EPCI) int { return strings.Compare(a.Code, b.Code) })
	return kept, nil
}

// resolvePackage reads the registry document of the package at metaURL and
// returns its latest version, the tarball URL and the expected checksum.
func (f *fetcher) resolvePackage(ctx context.Context, metaURL string) (version, tarball string, sum checksum, err error) {
	b, err := f.getBytes(ctx, metaURL, acceptNPMMeta)
	if err != nil {
		return "", "", checksum{}, err
	}
	var m npmMetadata
	if err := json.Unmarshal(b, &m); err != nil {
		return "", "", checksum{}, fmt.Errorf("GET %s: %w: %v", metaURL, ErrInvalidData, err)
	}
	if m.Name != "" && m.Name != npmPackage {
		return "", "", checksum{}, fmt.Errorf("GET %s: %w: package %q, want %q", metaURL, ErrInvalidData, m.Name, npmPackage)
	}
	version = m.DistTags["latest"]
	if version == "" {
		return "", "", checksum{}, fmt.Errorf("GET %s: %w: no dist-tags.latest", metaURL, ErrInvalidData)
	}
	v, ok := m.Versions[version]
	if !ok {
		return "", "", checksum{}, fmt.Errorf("GET %s: %w: latest version %s not in versions", metaURL, ErrInvalidData, version)
	}
	tarball = v.Dist.Tarball
	if err := checkHTTPURL(tarball); err != nil {
		return "", "", checksum{}, fmt.Errorf("GET %s: %w: version %s tarball: %v", metaURL, ErrInvalidData, version, err)
	}
	sum, err = parseChecksum(v.Dist.Integrity, v.Dist.Shasum)
	if err != nil {
		return "", "", checksum{}, fmt.Errorf("GET %s: %w: version %s: %v", metaURL, ErrInvalidData, version, err)
	}
	return version, tarball, sum, nil
}

// checksum is the expected digest of a tarball; the zero value checks
// nothing.
type checksum struct {
	algorithm string
	digest    []byte
}

func (c checksum) newHash() hash.Hash {
	switch c.algorithm {
	case "sha512":
		return sha512.New()
	case "sha384":
		return sha512.New384()
	case "sha256":
		return sha256.New()
	case "sha1":
		return sha1.New()
	}
	return nil
}

// parseChecksum reads the npm dist fields: integrity is a Subresource
// Integrity string ("sha512-<base64>", possibly several separated by
// spaces, the strongest wins), shasum the older hexadecimal SHA-1.
func parseChecksum(integrity, shasum string) (checksum, error) {
	var best checksum
	rank := map[string]int{"sha1": 1, "sha256": 2, "sha384": 3, "sha512": 4}
	for _, tok := range strings.Fields(integrity) {
		alg, b64, ok := strings.Cut(tok, "-")
		if !ok || rank[alg] == 0 {
			continue // unknown algorithms are skipped, as SRI requires
		}
		b64, _, _ = strings.Cut(b64, "?") // SRI options
		d, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return checksum{}, fmt.Errorf("integrity %q: %v", tok, err)
		}
		if rank[alg] > rank[best.algorithm] {
			best = checksum{algorithm: alg, digest: d}
		}
	}
	if best.algorithm != "" {
		if len(best.digest) != best.newHash().Size() {
			return checksum{}, fmt.Errorf("integrity: %s digest of %d bytes", best.algorithm, len(best.digest))
		}
		return best, nil
	}
	if shasum != "" {
		d, err := hex.DecodeString(shasum)
		if err != nil || len(d) != sha1.Size {
			return checksum{}, fmt.Errorf("shasum %q is not a SHA-1", shasum)
		}
		return checksum{algorithm: "sha1", digest: d}, nil
	}
	return checksum{}, nil
}

// readTarEntry finds name (relative to the package's top directory,
// "package/" in npm tarballs) in the gzipped tar file tf and calls read with
// its content, at most f.max bytes of it.
func (f *fetcher) readTarEntry(tf *stagedFile, name string, read func(io.Reader) error) error {
	if _, err := tf.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("rewind %s: %w", tf.f.Name(), err)
	}
	gz, err := gzip.NewReader(tf.f)
	if err != nil {
		return invalidData("tarball: %v", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return invalidData("tarball has no %s", name)
		}
		if err != nil {
			return invalidData("tarball: %v", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		_, rel, ok := strings.Cut(path.Clean(strings.TrimPrefix(hdr.Name, "./")), "/")
		if !ok || rel != name {
			continue
		}
		if hdr.Size > f.max {
			return fmt.Errorf("tarball %s: %w: %d bytes, limit %d", name, ErrTooLarge, hdr.Size, f.max)
		}
		if err := read(io.LimitReader(tr, hdr.Size)); err != nil {
			return invalidData("tarball %s: %v", name, err)
		}
		return nil
	}
}

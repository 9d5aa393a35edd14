// Command tilereplay measures what a browser fetches again after one
// accepted change of the data: it replays the tile requests of a map
// session (the TileJSON of the web app's two tile sources, then their
// tiles along a path: the region at z7, Amiens at z9 and z11, Lille at
// z12 and z14), once to fill a browser cache, then applies a one-place
// change through the store (an import of one row, the same batch seam as
// an accepted contribution), waits for the server to publish the new
// generation, and replays the session with a fresh TileJSON. A tile URL
// already fetched is a cache hit (the server marks versioned tile URLs
// immutable for a year); any other is fetched, its gzip bytes counted.
//
// Usage (a server running with --reload-interval 1s on DB):
//
//	go run ./bench/tilereplay -base http://127.0.0.1:8080 -bin ./cartonum -db DB \
//	    -places ../shared/data/lieux-32-v1.csv -change phone|hours|name
//
// It prints one line per session: requests, cache hits, hit rate, bytes
// fetched, the TileJSON tile URLs.
package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// sources are the web app's tile sources (web/src/map/style.ts).
var sources = []string{"departements,epci,communes,libelles", "sites"}

// path is the session: zoom and centre of each view, and how many tiles
// around the centre (radius) it shows.
var path = []struct {
	z        maptile.Zoom
	lon, lat float64
	radius   int
}{
	{7, 2.8, 49.9, 2},        // the region
	{9, 2.2957, 49.8942, 1},  // Amiens
	{11, 2.2957, 49.8942, 1}, // Amiens, closer
	{12, 3.0573, 50.6366, 1}, // Lille
	{14, 3.0573, 50.6366, 1}, // Lille, street level
}

type browser struct {
	base  string
	cache map[string]bool
}

type session struct {
	requests, hits int
	bytes          int64
	templates      []string
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tilereplay:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tilereplay", flag.ContinueOnError)
	base := fs.String("base", "http://127.0.0.1:8080", "server base URL")
	bin := fs.String("bin", "", "cartonum binary used to apply the change (import)")
	db := fs.String("db", "", "the server's database")
	places := fs.String("places", "", "the places CSV the database was imported from (its first row is changed)")
	change := fs.String("change", "phone", "what the contribution changes: phone, hours or name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *bin == "" || *db == "" || *places == "" {
		return errors.New("-bin, -db and -places are required")
	}
	b := &browser{base: *base, cache: map[string]bool{}}
	v0, err := version(*base)
	if err != nil {
		return err
	}
	first, err := b.session()
	if err != nil {
		return err
	}
	report(stdout, fmt.Sprintf("session 1, data version %d (cold cache)", v0), first)

	row, err := changedRow(*places, *change, filepath.Dir(*db))
	if err != nil {
		return err
	}
	out, err := exec.CommandContext(ctx, *bin, "import", "--db", *db, row).CombinedOutput()
	if err != nil {
		return fmt.Errorf("import %s: %v\n%s", row, err, out)
	}
	deadline := time.Now().Add(60 * time.Second)
	v1 := v0
	for v1 == v0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		if v1, err = version(*base); err != nil {
			return err
		}
	}
	if v1 == v0 {
		return errors.New("the server did not load the new data version within 60 s (is it started with --reload-interval?)")
	}
	second, err := b.session()
	if err != nil {
		return err
	}
	report(stdout, fmt.Sprintf("session 2, data version %d after one change (%s)", v1, *change), second)
	return nil
}

func report(w io.Writer, title string, s session) {
	fmt.Fprintf(w, "%s: %d tile requests, %d cache hits (%.0f %%), %d bytes fetched\n", title, s.requests, s.hits,
		100*float64(s.hits)/float64(max(s.requests, 1)), s.bytes)
	for _, t := range s.templates {
		fmt.Fprintf(w, "  %s\n", t)
	}
}

// session fetches the TileJSON of each source (never cached: it is how
// the web app learns the current URLs) and the session's tiles.
func (b *browser) session() (session, error) {
	var s session
	for _, src := range sources {
		var tj struct {
			Tiles []string `json:"tiles"`
		}
		resp, err := http.Get(b.base + "/tiles/" + src + ".json")
		if err != nil {
			return s, err
		}
		err = json.NewDecoder(resp.Body).Decode(&tj)
		resp.Body.Close()
		if err != nil || len(tj.Tiles) == 0 {
			return s, fmt.Errorf("tilejson of %s: %v", src, err)
		}
		s.templates = append(s.templates, tj.Tiles[0])
		for _, step := range path {
			c := maptile.At(orb.Point{step.lon, step.lat}, step.z)
			for dx := -step.radius; dx <= step.radius; dx++ {
				for dy := -step.radius; dy <= step.radius; dy++ {
					u := strings.NewReplacer("{z}", fmt.Sprint(step.z), "{x}", fmt.Sprint(int(c.X)+dx),
						"{y}", fmt.Sprint(int(c.Y)+dy)).Replace(tj.Tiles[0])
					s.requests++
					if b.cache[u] {
						s.hits++
						continue
					}
					n, cacheable, err := fetch(u)
					if err != nil {
						return s, err
					}
					s.bytes += n
					if cacheable {
						b.cache[u] = true
					}
				}
			}
		}
	}
	return s, nil
}

// fetch gets a tile as a browser does (gzip) and says whether the
// browser may keep it without asking again.
func fetch(u string) (int64, bool, error) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 && resp.StatusCode != 204 {
		return n, false, fmt.Errorf("%s: %s", u, resp.Status)
	}
	return n, strings.Contains(resp.Header.Get("Cache-Control"), "immutable"), err
}

func version(base string) (int64, error) {
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var h struct {
		DataVersion int64 `json:"data_version"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return 0, fmt.Errorf("healthz: %w", err)
	}
	return h.DataVersion, nil
}

// changedRow writes a CSV holding the first place of the file with one
// field changed, and returns its path.
func changedRow(places, change, dir string) (string, error) {
	f, err := os.Open(places)
	if err != nil {
		return "", err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return "", err
	}
	row, err := r.Read()
	if err != nil {
		return "", err
	}
	col := map[string]string{"phone": "telephone", "hours": "horaires", "name": "nom"}[change]
	if col == "" {
		return "", fmt.Errorf("-change %q: phone, hours or name", change)
	}
	i := -1
	for j, h := range header {
		if h == col {
			i = j
		}
	}
	if i < 0 {
		return "", fmt.Errorf("%s: no column %q", places, col)
	}
	switch change {
	case "phone":
		row[i] = fmt.Sprintf("+333%08d", time.Now().UnixNano()%1e8)
	case "hours":
		row[i] = "Mo-Fr 09:00-12:00"
	case "name":
		row[i] += " (annexe)"
	}
	out := filepath.Join(dir, "tilereplay-change.csv")
	g, err := os.Create(out)
	if err != nil {
		return "", err
	}
	w := csv.NewWriter(g)
	w.Write(header)
	w.Write(row)
	w.Flush()
	if err := w.Error(); err != nil {
		g.Close()
		return "", err
	}
	return out, g.Close()
}

// Command dedupeval measures the duplicate test of the import on a
// labelled set of record pairs of a region.
//
// It has two modes. With -candidates it lists, for labelling, the pairs
// of normalised records worth a look: same commune, or within -radius
// metres, or sharing a phone, an e-mail or a known SIRET. Otherwise it
// reads the labels (internal/standard/testdata/dedup-pairs-32.csv) and
// prints the precision and recall of standard.IsDuplicate on them, and
// with -places writes the normalised records the labels name, the fixture
// the package's tests read.
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/internal/territory"
)

type config struct {
	data, region, file, labels, places string
	candidates, list, all              bool
	radius                             float64
}

func main() {
	var c config
	flag.StringVar(&c.data, "data", "../shared/data", "data mirror directory")
	flag.StringVar(&c.region, "region", "32", "region code")
	flag.StringVar(&c.file, "file", "", "places file (default lieux-REGION-v1.csv in -data)")
	flag.StringVar(&c.labels, "labels", "internal/standard/testdata/dedup-pairs-32.csv", "labelled pairs")
	flag.StringVar(&c.places, "places", "", "write the normalised records of the labelled pairs to this JSON file")
	flag.BoolVar(&c.candidates, "candidates", false, "list candidate pairs for labelling instead")
	flag.BoolVar(&c.list, "list", false, "list every labelled pair with the verdict")
	flag.BoolVar(&c.all, "all", false, "list every pair of records of one commune (other ids) a test calls duplicates, labelled or not")
	flag.Float64Var(&c.radius, "radius", 300, "candidate pairs: distance in metres")
	flag.Parse()
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dedupeval:", err)
		os.Exit(1)
	}
}

// record is a normalised row and its line in the file.
type record struct {
	line  int
	place cartonum.Place
}

func load(c config) ([]record, error) {
	f, err := os.Open(filepath.Join(c.data, "communes-"+c.region+".geojson"))
	if err != nil {
		return nil, err
	}
	communes, err := territory.ReadCommunes(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	terr := index.New(index.Data{Communes: communes})
	name := c.file
	if name == "" {
		name = filepath.Join(c.data, "lieux-"+c.region+"-v1.csv")
	}
	f, err = os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := standard.Read(filepath.Base(name), f)
	if err != nil {
		return nil, err
	}
	var out []record
	for _, rec := range src.Records {
		p, rej := standard.Normalize(rec, terr, standard.Options{Region: c.region})
		if rej != nil {
			continue
		}
		out = append(out, record{line: rec.Line, place: p})
	}
	return out, nil
}

func run(c config, w io.Writer) error {
	recs, err := load(c)
	if err != nil {
		return err
	}
	if c.candidates {
		return candidates(c, recs, w)
	}
	return evaluate(c, recs, w)
}

func shares(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if strings.EqualFold(x, y) {
				return true
			}
		}
	}
	return false
}

func candidates(c config, recs []record, w io.Writer) error {
	// Rows sharing an id are folded by id, never by the duplicate test:
	// keep the first of each.
	seen := map[string]bool{}
	kept := recs[:0:0]
	for _, r := range recs {
		if !seen[r.place.ID] {
			seen[r.place.ID] = true
			kept = append(kept, r)
		}
	}
	recs = kept
	n := 0
	for i := range recs {
		for j := i + 1; j < len(recs); j++ {
			a, b := &recs[i].place, &recs[j].place
			d := standard.Distance(a.Latitude, a.Longitude, b.Latitude, b.Longitude)
			var why []string
			if a.CodeInsee == b.CodeInsee {
				why = append(why, "insee")
			}
			if d <= c.radius {
				why = append(why, "near")
			}
			if a.Telephone != "" && a.Telephone == b.Telephone {
				why = append(why, "tel")
			}
			if shares(a.Courriels, b.Courriels) {
				why = append(why, "mail")
			}
			if a.Pivot == b.Pivot && a.Pivot != "00000000000000" && a.Pivot != "" {
				why = append(why, "pivot")
			}
			// Same commune alone is too broad in a city: keep it when the
			// names or the addresses share something, or the records are near.
			if len(why) == 0 || (len(why) == 1 && why[0] == "insee" && d > 2*c.radius && !related(a, b)) {
				continue
			}
			if len(why) == 1 && why[0] != "insee" && why[0] != "near" && d > 5000 {
				why = append(why, "far")
			}
			n++
			fmt.Fprintf(w, "## %d:%d  %s  d=%.0fm  old=%v\n", recs[i].line, recs[j].line, strings.Join(why, ","), d, standard.IsDuplicate(a, b))
			show(w, recs[i].line, a)
			show(w, recs[j].line, b)
		}
	}
	fmt.Fprintf(os.Stderr, "%d candidate pairs\n", n)
	return nil
}

// related: the names or addresses share a word of four letters or more.
func related(a, b *cartonum.Place) bool {
	words := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, t := range strings.FieldsFunc(cartonum.Fold(s), func(r rune) bool { return !(r >= 'a' && r <= 'z') }) {
			if len(t) >= 4 {
				m[t] = true
			}
		}
		return m
	}
	wa, wb := words(a.Nom), words(b.Nom)
	for t := range wa {
		if wb[t] {
			return true
		}
	}
	return false
}

func show(w io.Writer, line int, p *cartonum.Place) {
	fmt.Fprintf(w, "  %4d %s | %s | %s | %s %s | %.6f,%.6f %s | piv=%s tel=%s mail=%s web=%s | %s %s typ=%s\n",
		line, p.ID, p.Nom, p.Adresse, p.CodeInsee, p.Commune, p.Latitude, p.Longitude, p.Provenance.Precision,
		p.Pivot, p.Telephone, strings.Join(p.Courriels, ";"), strings.Join(p.SiteWeb, ";"), p.Source, p.DateMaj, strings.Join(p.Typologie, ";"))
}

// label is one labelled pair.
type label struct {
	lineA, lineB int
	idA, idB     string
	dup, unsure  bool
	reason       string
}

func readLabels(name string) ([]label, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	var out []label
	for i, row := range rows {
		if i == 0 {
			continue // header
		}
		if len(row) != 6 {
			return nil, fmt.Errorf("%s: row %d has %d fields", name, i+1, len(row))
		}
		la, err1 := strconv.Atoi(row[0])
		lb, err2 := strconv.Atoi(row[2])
		if err1 != nil || err2 != nil || (row[4] != "dup" && row[4] != "distinct" && row[4] != "unsure") {
			return nil, fmt.Errorf("%s: row %d: bad line or label", name, i+1)
		}
		out = append(out, label{lineA: la, idA: row[1], lineB: lb, idB: row[3], dup: row[4] == "dup", unsure: row[4] == "unsure", reason: row[5]})
	}
	return out, nil
}

func evaluate(c config, recs []record, w io.Writer) error {
	labels, err := readLabels(c.labels)
	if err != nil {
		return err
	}
	byLine := map[int]*cartonum.Place{}
	all := make([]cartonum.Place, 0, len(recs))
	for i := range recs {
		byLine[recs[i].line] = &recs[i].place
		all = append(all, recs[i].place)
	}
	used := map[int]bool{}
	for _, l := range labels {
		a, b := byLine[l.lineA], byLine[l.lineB]
		if a == nil || b == nil || a.ID != l.idA || b.ID != l.idB {
			return fmt.Errorf("pair %d:%d does not match the file's records", l.lineA, l.lineB)
		}
		used[l.lineA], used[l.lineB] = true, true
	}
	if c.all {
		labelled := map[[2]int]string{}
		for _, l := range labels {
			v := "distinct"
			if l.dup {
				v = "dup"
			} else if l.unsure {
				v = "unsure"
			}
			labelled[[2]int{l.lineA, l.lineB}], labelled[[2]int{l.lineB, l.lineA}] = v, v
		}
		for _, t := range tests(all) {
			n := 0
			for i := range recs {
				for j := i + 1; j < len(recs); j++ {
					a, b := &recs[i].place, &recs[j].place
					if a.ID == b.ID || !t.dup(a, b) {
						continue
					}
					n++
					l := labelled[[2]int{recs[i].line, recs[j].line}]
					if l == "" {
						l = "unlabelled"
					}
					fmt.Fprintf(w, "%s %d:%d %s %.0fm %q / %q | %q / %q\n", t.name, recs[i].line, recs[j].line, l,
						standard.Distance(a.Latitude, a.Longitude, b.Latitude, b.Longitude), a.Nom, b.Nom, a.Adresse, b.Adresse)
				}
			}
			fmt.Fprintf(w, "%s: %d pairs\n", t.name, n)
		}
		return nil
	}
	for _, t := range tests(all) {
		var tp, fp, fn, tn int
		fmt.Fprintf(w, "== %s\n", t.name)
		for _, l := range labels {
			a, b := byLine[l.lineA], byLine[l.lineB]
			got := t.dup(a, b)
			if got != t.dup(b, a) {
				fmt.Fprintf(w, "ASYMMETRIC %d:%d\n", l.lineA, l.lineB)
			}
			mark := "ok   "
			switch {
			case l.unsure:
				mark = "?    "
			case got && l.dup:
				tp++
			case got && !l.dup:
				fp++
				mark = "FALSE"
			case !got && l.dup:
				fn++
				mark = "MISS "
			default:
				tn++
			}
			if c.list || (got != l.dup && !l.unsure) || l.unsure {
				fmt.Fprintf(w, "%s %d:%d got=%v %.0fm %q / %q — %s\n", mark, l.lineA, l.lineB, got, standard.Distance(a.Latitude, a.Longitude, b.Latitude, b.Longitude), a.Nom, b.Nom, l.reason)
			}
		}
		prec := 1.0
		if tp+fp > 0 {
			prec = float64(tp) / float64(tp+fp)
		}
		fmt.Fprintf(w, "pairs %d scored (dup %d, distinct %d): TP %d FP %d FN %d TN %d: precision %.3f, recall %.3f\n",
			tp+fp+fn+tn, tp+fn, fp+tn, tp, fp, fn, tn, prec, float64(tp)/float64(tp+fn))
	}
	if c.places == "" {
		return nil
	}
	return writePlaces(c.places, recs)
}

// writePlaces writes the fixture the package's tests read: one JSON object
// a line, the record's line in the file and the normalised place reduced
// to the fields the duplicate test reads.
func writePlaces(name string, recs []record) error {
	type fixture struct {
		Line  int            `json:"line"`
		Place cartonum.Place `json:"place"`
	}
	var b []byte
	for _, r := range recs {
		p := r.place
		q := cartonum.Place{
			ID: p.ID, Pivot: p.Pivot, Nom: p.Nom, Commune: p.Commune, CodePostal: p.CodePostal,
			CodeInsee: p.CodeInsee, Adresse: p.Adresse, Latitude: p.Latitude, Longitude: p.Longitude,
			Telephone: p.Telephone, Courriels: p.Courriels, SiteWeb: p.SiteWeb, PriseRdv: p.PriseRdv,
			DateMaj: p.DateMaj, Provenance: cartonum.Provenance{Precision: p.Provenance.Precision},
		}
		line, err := json.Marshal(fixture{Line: r.line, Place: q})
		if err != nil {
			return err
		}
		b = append(append(b, line...), '\n')
	}
	return os.WriteFile(name, b, 0o644)
}

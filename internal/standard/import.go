package standard

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Row statuses in the report.
const (
	StatusImported = "imported" // became a place, or updated its own place
	StatusMerged   = "merged"   // merged into another place as a duplicate
	StatusConflict = "conflict" // its id names another place: kept under a derived id
	StatusRejected = "rejected"
)

// Counts account for every row read: Imported + Merged + Conflicts +
// Rejected = RowsRead. Repaired counts the imported, merged or conflicting
// rows with at least one repair or warning.
type Counts struct {
	RowsRead  int `json:"rows_read"`
	Imported  int `json:"imported"`
	Merged    int `json:"merged"`
	Conflicts int `json:"conflicts"`
	Rejected  int `json:"rejected"`
	Repaired  int `json:"repaired"`
}

func (c *Counts) add(o Counts) {
	c.RowsRead += o.RowsRead
	c.Imported += o.Imported
	c.Merged += o.Merged
	c.Conflicts += o.Conflicts
	c.Rejected += o.Rejected
	c.Repaired += o.Repaired
}

// Report is the full account of one import, written as JSON.
type Report struct {
	Region string `json:"region"` // the region setting (Options.Region)
	// Communes accounts for the communes files of the import; nil when it
	// had none.
	Communes *CommuneCounts `json:"communes,omitempty"`
	Totals   Counts         `json:"totals"`
	Places   PlaceChanges   `json:"places"`
	Files    []FileReport   `json:"files"`
	// Merges lists every place that absorbed duplicates in this import.
	Merges []MergeReport `json:"merges"`
	// Conflicts lists the rows whose id already named another place.
	Conflicts []ConflictReport `json:"conflicts"`
}

// CommuneCounts account for every commune of an import's communes files:
// Kept + the sum of LeftOut = Read.
type CommuneCounts struct {
	Read int `json:"read"`
	Kept int `json:"kept"` // the communes of the selected regions
	// LeftOut counts the communes of the other regions, by region code:
	// they are not imported.
	LeftOut map[string]int `json:"left_out,omitempty"`
}

// ConflictReport is one id conflict: a row whose id is already the id of a
// different place (other name, commune or position) is kept as a place of
// its own under a derived stable id.
type ConflictReport struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	ID        string `json:"id"`         // the id the row declared
	PlaceID   string `json:"place_id"`   // the place that keeps that id
	DerivedID string `json:"derived_id"` // the id the row's place was given
	Reason    string `json:"reason"`
}

// PlaceChanges counts the effect of the import on the stored places.
type PlaceChanges struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Total     int `json:"total"`
}

// FileReport accounts for the rows of one file.
type FileReport struct {
	Name      string      `json:"name"`
	Format    string      `json:"format"`
	Schema    string      `json:"schema"`
	Encoding  string      `json:"encoding"`
	Delimiter string      `json:"delimiter,omitempty"`
	Ignored   []string    `json:"ignored_columns,omitempty"`
	Counts    Counts      `json:"counts"`
	Rows      []RowReport `json:"rows"`
}

// RowReport is the fate of one row.
type RowReport struct {
	Line      int               `json:"line"`
	ID        string            `json:"id,omitempty"`
	Status    string            `json:"status"`
	PlaceID   string            `json:"place_id,omitempty"`
	Rejection *Rejection        `json:"rejection,omitempty"`
	Repairs   []cartonum.Repair `json:"repairs,omitempty"`
}

// MergeReport names the records merged into one place.
type MergeReport struct {
	PlaceID string   `json:"place_id"`
	Records []string `json:"records"` // "file:line (id)"
}

// Result is what an import would change.
type Result struct {
	Report *Report
	// Upserts are the places created or changed, in id order.
	Upserts []cartonum.Place
}

// Import normalises and deduplicates the records of the given sources
// against the existing places. It changes nothing itself: the caller
// stores Result.Upserts in one transaction.
func Import(existing []cartonum.Place, sources []*Source, t Territory, o Options) (*Result, error) {
	rep := &Report{Region: o.Region}
	merges := map[string][]string{}
	total, done := 0, 0
	for _, src := range sources {
		total += len(src.Records)
	}
	// Every record is normalised first, so that the duplicate test knows
	// how many sites carry each phone, e-mail or SIRET (a value shared by
	// many places identifies none of them).
	type normalised struct {
		place cartonum.Place
		rej   *Rejection
	}
	norm := make([][]normalised, len(sources))
	all := append([]cartonum.Place(nil), existing...)
	for i, src := range sources {
		norm[i] = make([]normalised, len(src.Records))
		for j, rec := range src.Records {
			done++
			if o.Progress != nil && (done%256 == 0 || done == total) {
				o.Progress(done, total)
			}
			p, rej := Normalize(rec, t, o)
			norm[i][j] = normalised{p, rej}
			if rej == nil {
				all = append(all, p)
			}
		}
	}
	m := newMerger(existing)
	m.match = NewMatcher(all)
	for i, src := range sources {
		fr := FileReport{Name: src.Name, Format: src.Format, Schema: src.Schema, Encoding: src.Encoding, Delimiter: src.Delimiter, Ignored: src.Ignored}
		for j, rec := range src.Records {
			fr.Counts.RowsRead++
			rr := RowReport{Line: rec.Line, ID: strings.TrimSpace(rec.Fields["id"])}
			p, rej := norm[i][j].place, norm[i][j].rej
			if rej != nil {
				rr.Status, rr.Rejection = StatusRejected, rej
				fr.Counts.Rejected++
				fr.Rows = append(fr.Rows, rr)
				continue
			}
			target, merged, conflict := m.add(&p)
			rr.PlaceID = target.ID
			if conflict != nil {
				conflict.File, conflict.Line = src.Name, rec.Line
				rep.Conflicts = append(rep.Conflicts, *conflict)
			}
			switch {
			case merged:
				rr.Status = StatusMerged
				fr.Counts.Merged++
				merges[target.ID] = append(merges[target.ID], fmt.Sprintf("%s:%d (%s)", src.Name, rec.Line, p.ID))
			case conflict != nil:
				rr.Status = StatusConflict
				fr.Counts.Conflicts++
			default:
				rr.Status = StatusImported
				fr.Counts.Imported++
			}
			rr.Repairs = p.Provenance.Repairs
			if len(rr.Repairs) > 0 {
				fr.Counts.Repaired++
			}
			fr.Rows = append(fr.Rows, rr)
		}
		rep.Totals.add(fr.Counts)
		rep.Files = append(rep.Files, fr)
	}
	ids := make([]string, 0, len(merges))
	for id := range merges {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		rep.Merges = append(rep.Merges, MergeReport{PlaceID: id, Records: merges[id]})
	}
	res := &Result{Report: rep}
	var err error
	res.Upserts, rep.Places, err = m.changes()
	return res, err
}

// merger holds the places while records are folded into them.
type merger struct {
	places   map[string]*cartonum.Place
	bySource map[string]*cartonum.Place
	byArea   map[string][]*cartonum.Place // by commune code (or postcode when outside)
	before   map[string]string            // fingerprint of each existing place
	touched  map[string]bool              // places a record of this import went to
	match    *Matcher                     // the duplicate test, knowing how specific each identifier is
}

func newMerger(existing []cartonum.Place) *merger {
	m := &merger{
		places:   make(map[string]*cartonum.Place, len(existing)),
		bySource: make(map[string]*cartonum.Place, len(existing)),
		byArea:   make(map[string][]*cartonum.Place, len(existing)),
		before:   make(map[string]string, len(existing)),
		touched:  map[string]bool{},
	}
	for i := range existing {
		p := clonePlace(&existing[i])
		m.before[p.ID] = fingerprint(p)
		m.insert(p)
	}
	return m
}

func areaKey(p *cartonum.Place) string {
	if p.CodeInsee != "" {
		return p.CodeInsee
	}
	return "cp:" + p.CodePostal
}

func (m *merger) insert(p *cartonum.Place) {
	m.places[p.ID] = p
	for _, s := range p.Provenance.SourceIDs {
		m.bySource[s] = p
	}
	m.bySource[p.ID] = p
	k := areaKey(p)
	m.byArea[k] = append(m.byArea[k], p)
}

// add folds a normalised record in and returns the place it went to,
// whether it was merged into a place of another record, and the id
// conflict when the record's id already named a different place (the
// record then becomes a place of its own under a derived id).
//
// An id is one source's key, not proof of identity: a record reusing the id
// of a place (or of a record merged into it) joins that place only when it
// is the same record again, updated in place (sameRecord), or a duplicate.
func (m *merger) add(r *cartonum.Place) (*cartonum.Place, bool, *ConflictReport) {
	var conflict *ConflictReport
	base := r.ID
	for attempt := 0; attempt < 8; attempt++ {
		p, own := m.places[r.ID]
		if !own {
			p = m.bySource[r.ID]
		}
		if p == nil {
			break
		}
		if !m.sameRecord(p, r) {
			if conflict == nil {
				conflict = &ConflictReport{ID: base, PlaceID: p.ID, Reason: conflictReason(p, r)}
			}
			rename(r, derivedID(base, r, attempt), p)
			continue
		}
		if own {
			again := m.touched[p.ID]
			m.touched[p.ID] = true
			if !again && len(p.Provenance.SourceIDs) == 1 && p.Provenance.SourceIDs[0] == r.ID {
				// The place's only record, read again: it is replaced.
				oldKey := areaKey(p)
				*p = *r
				if k := areaKey(p); k != oldKey {
					m.byArea[k] = append(m.byArea[k], p)
				}
				return p, false, conflict
			}
			m.fold(p, r)
			return p, again && conflict == nil, conflict
		}
		m.touched[p.ID] = true
		m.fold(p, r)
		return p, conflict == nil, conflict
	}
	if conflict != nil {
		conflict.DerivedID = r.ID
	}
	for _, p := range m.byArea[areaKey(r)] {
		if m.isDuplicate(p, r) {
			m.touched[p.ID] = true
			m.fold(p, r)
			return p, true, conflict
		}
	}
	m.touched[r.ID] = true
	m.insert(r)
	return r, false, conflict
}

// sameRecord reports whether r, which carries the id of place p (or of a
// record merged into it), describes the same place: a duplicate, or the same
// record updated in place — a similar name in the same commune or within
// 2 km, or the same address in the same commune.
func (m *merger) sameRecord(p, r *cartonum.Place) bool {
	if m.isDuplicate(p, r) {
		return true
	}
	d := Distance(p.Latitude, p.Longitude, r.Latitude, r.Longitude)
	sameArea := areaKey(p) == areaKey(r)
	switch {
	case similarNames(p.Nom, r.Nom) && (sameArea || d <= sameRecordDistance):
		return true
	case sameArea && d <= sameRecordDistance && similarAddresses(p.Adresse, r.Adresse):
		return true
	case similarNames(p.Nom, r.Nom) && similarAddresses(p.Adresse, r.Adresse) && sharesContact(p, r):
		// The same record with contradictory locations (one row's code
		// or point wrong): one place, whose location merge chooses.
		return true
	}
	return false
}

// sharesContact reports whether two records share a known SIRET, a phone
// number, an e-mail address or a website.
func sharesContact(p, r *cartonum.Place) bool {
	if p.Pivot != "" && p.Pivot != unknownPivot && p.Pivot == r.Pivot {
		return true
	}
	if p.Telephone != "" && p.Telephone == r.Telephone {
		return true
	}
	for _, pair := range [][2][]string{{p.Courriels, r.Courriels}, {p.SiteWeb, r.SiteWeb}} {
		for _, a := range pair[0] {
			for _, b := range pair[1] {
				if strings.EqualFold(a, b) {
					return true
				}
			}
		}
	}
	return false
}

// sameRecordDistance is how far a record may move and still be the same
// record updated in place.
const sameRecordDistance = 2000.0

// derivedID is the stable id given to a record whose id names another
// place: its id followed by a hash of what identifies it (name, commune,
// address), so that importing the same file again gives the same id.
func derivedID(base string, r *cartonum.Place, attempt int) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s\x1f%s\x1f%s\x1f%s\x1f%d", base, cartonum.Key(r.Nom), areaKey(r), cartonum.Key(r.Adresse), attempt)))
	return fmt.Sprintf("%s-%x", base, h[:4])
}

// rename gives record r the derived id, recording why.
func rename(r *cartonum.Place, id string, other *cartonum.Place) {
	old := r.ID
	r.ID = id
	r.Provenance.SourceIDs = []string{id}
	r.Provenance.Repairs = append(r.Provenance.Repairs, cartonum.Repair{Field: "id", Record: old,
		Message: fmt.Sprintf("identifiant « %s » déjà porté par un autre lieu (« %s », %s) : lieu gardé sous l'identifiant %s", old, other.Nom, other.Commune, id)})
}

// conflictReason says how two places sharing an id differ.
func conflictReason(p, r *cartonum.Place) string {
	var parts []string
	if !similarNames(p.Nom, r.Nom) {
		parts = append(parts, fmt.Sprintf("autre nom (« %s » / « %s »)", p.Nom, r.Nom))
	}
	if areaKey(p) != areaKey(r) {
		parts = append(parts, fmt.Sprintf("autre commune (%s / %s)", p.Commune, r.Commune))
	}
	d := Distance(p.Latitude, p.Longitude, r.Latitude, r.Longitude)
	parts = append(parts, fmt.Sprintf("à %s km", frenchFloat(d/1000, 1)))
	return strings.Join(parts, ", ")
}

// frenchFloat formats v with the given decimals and a decimal comma.
func frenchFloat(v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", ",", 1)
}

// isDuplicate is the duplicate test, with the import's Matcher when set.
func (m *merger) isDuplicate(a, b *cartonum.Place) bool {
	if m.match != nil {
		return m.match.IsDuplicate(a, b)
	}
	return IsDuplicate(a, b)
}

// fold merges r into p and indexes p under its new keys.
func (m *merger) fold(p, r *cartonum.Place) {
	oldKey := areaKey(p)
	merge(p, r)
	for _, s := range r.Provenance.SourceIDs {
		if _, taken := m.bySource[s]; !taken {
			m.bySource[s] = p
		}
	}
	if k := areaKey(p); k != oldKey {
		m.byArea[k] = append(m.byArea[k], p)
	}
}

// clonePlace copies a place deeply, so that merging never writes into the
// caller's slices.
func clonePlace(p *cartonum.Place) *cartonum.Place {
	q := *p
	for _, l := range []*[]string{&q.Typologie, &q.Courriels, &q.SiteWeb, &q.Itinerance, &q.Services,
		&q.Publics, &q.PriseEnCharge, &q.Frais, &q.Dispositifs, &q.FormationsLabels,
		&q.AutresFormationsLabels, &q.ModalitesAcces, &q.ModalitesAccompagnement,
		&q.Equipements, &q.Qualifications,
		&q.Provenance.SourceIDs, &q.Provenance.Sources} {
		*l = append([]string(nil), (*l)...)
	}
	q.Provenance.Repairs = append([]cartonum.Repair(nil), q.Provenance.Repairs...)
	return &q
}

// changes returns the places that differ from what existed, and counts.
func (m *merger) changes() ([]cartonum.Place, PlaceChanges, error) {
	var out []cartonum.Place
	var c PlaceChanges
	ids := make([]string, 0, len(m.places))
	for id := range m.places {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		p := m.places[id]
		old, existed := m.before[id]
		switch {
		case !existed:
			c.Created++
			out = append(out, *p)
		case old != fingerprint(p):
			c.Updated++
			out = append(out, *p)
		case m.touched[id]:
			c.Unchanged++
		}
	}
	c.Total = len(m.places)
	return out, c, nil
}

// fingerprint is a place's content, without the import that last changed it.
func fingerprint(p *cartonum.Place) string {
	q := *p
	q.Provenance.BatchID = 0
	b, _ := json.Marshal(&q)
	return string(b)
}

// Summary writes a readable account of the import: totals, per file, the
// most frequent rejection reasons and repairs.
func (r *Report) Summary(w io.Writer) {
	fmt.Fprintf(w, "Import %s : %d lignes lues, %d importées, %d fusionnées (doublons), %d en conflit d'identifiant (gardées à part), %d rejetées, %d réparées ou signalées\n",
		Options{Region: r.Region}.words().of, r.Totals.RowsRead, r.Totals.Imported, r.Totals.Merged, r.Totals.Conflicts, r.Totals.Rejected, r.Totals.Repaired)
	fmt.Fprintf(w, "Lieux : %d créés, %d modifiés, %d inchangés, %d au total\n",
		r.Places.Created, r.Places.Updated, r.Places.Unchanged, r.Places.Total)
	for _, f := range r.Files {
		fmt.Fprintf(w, "\n%s (%s, schéma %s, %s", f.Name, f.Format, f.Schema, f.Encoding)
		if f.Delimiter != "" {
			fmt.Fprintf(w, ", séparateur %q", f.Delimiter)
		}
		fmt.Fprintf(w, ") : %d lues, %d importées, %d fusionnées, %d en conflit, %d rejetées, %d réparées\n",
			f.Counts.RowsRead, f.Counts.Imported, f.Counts.Merged, f.Counts.Conflicts, f.Counts.Rejected, f.Counts.Repaired)
		if len(f.Ignored) > 0 {
			fmt.Fprintf(w, "  colonnes ignorées : %s\n", strings.Join(f.Ignored, ", "))
		}
		rejects := map[string][]int{}
		repairs := map[string]int{}
		for _, row := range f.Rows {
			if row.Rejection != nil {
				k := row.Rejection.Field + ": " + generic(row.Rejection.Reason)
				rejects[k] = append(rejects[k], row.Line)
			}
			for _, rp := range row.Repairs {
				repairs[rp.Field+": "+generic(rp.Message)]++
			}
		}
		printTop(w, "  rejets", rejects)
		printCounts(w, "  réparations et avertissements", repairs)
	}
	if len(r.Conflicts) > 0 {
		fmt.Fprintf(w, "\nConflits d'identifiant (deux lieux différents sous le même id, les deux sont gardés) :\n")
		for i, c := range r.Conflicts {
			if i == 20 {
				fmt.Fprintf(w, "    … et %d autres (voir le rapport)\n", len(r.Conflicts)-i)
				break
			}
			fmt.Fprintf(w, "    %s:%d  id %s → %s (l'id reste à %s) : %s\n", c.File, c.Line, c.ID, c.DerivedID, c.PlaceID, c.Reason)
		}
	}
}

// generic drops the quoted values and numbers of a message so that
// messages of the same kind are counted together.
func generic(msg string) string {
	var b strings.Builder
	quoted, paren := false, false
	for _, r := range msg {
		switch {
		case r == '(' && !quoted:
			paren = true
			b.WriteString("(…")
		case r == ')' && paren:
			paren = false
			b.WriteRune(r)
		case paren:
		case r == '«':
			quoted = true
			b.WriteString("«…")
		case r == '»':
			quoted = false
			b.WriteRune(r)
		case quoted:
		case r >= '0' && r <= '9':
			if s := b.String(); !strings.HasSuffix(s, "#") {
				b.WriteRune('#')
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func printTop(w io.Writer, title string, m map[string][]int) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return len(m[keys[i]]) > len(m[keys[j]]) || (len(m[keys[i]]) == len(m[keys[j]]) && keys[i] < keys[j])
	})
	fmt.Fprintf(w, "%s :\n", title)
	for _, k := range keys {
		lines := m[k]
		show := lines
		if len(show) > 8 {
			show = show[:8]
		}
		parts := make([]string, len(show))
		for i, l := range show {
			parts[i] = fmt.Sprint(l)
		}
		more := ""
		if len(lines) > len(show) {
			more = ", …"
		}
		fmt.Fprintf(w, "    %5d  %s (lignes %s%s)\n", len(lines), k, strings.Join(parts, ", "), more)
	}
}

func printCounts(w io.Writer, title string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || (m[keys[i]] == m[keys[j]] && keys[i] < keys[j]) })
	fmt.Fprintf(w, "%s :\n", title)
	for _, k := range keys {
		fmt.Fprintf(w, "    %5d  %s\n", m[k], k)
	}
}

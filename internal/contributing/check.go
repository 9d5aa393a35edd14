package contributing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/standard"
)

// Size limits of a proposal.
const (
	// MaxFields bounds the number of fields (champs) of a proposal.
	MaxFields = 64
	// MaxListValues bounds the values of one list field.
	MaxListValues = 50
	// MaxComment bounds the comment, MaxEmail the contributor's e-mail,
	// MaxReason a moderator's reason, in characters.
	MaxComment = 2000
	MaxEmail   = 254
	MaxReason  = 1000
	// maxPlaceID bounds a place id given in a request.
	maxPlaceID = 200
)

// Limits are the most characters of each field (of each value, for lists),
// as the form tells its users.
var Limits = map[string]int{
	"pivot": 20, "nom": 200, "commune": 100, "code_postal": 10, "code_insee": 10,
	"adresse": 300, "complement_adresse": 300, "latitude": 30, "longitude": 30,
	"typologie": 50, "telephone": 50, "courriels": MaxEmail, "site_web": 500,
	"horaires": 1000, "presentation_resume": 280, "presentation_detail": 5000,
	"itinerance": 50, "structure_parente": 200, "services": 200,
	"publics_specifiquement_adresses": 200, "prise_en_charge_specifique": 200,
	"frais_a_charge": 200, "dispositif_programmes_nationaux": 200, "formations_labels": 200,
	"autres_formations_labels": 200, "modalites_acces": 200, "modalites_accompagnement": 200,
	"fiche_acces_libre": 500, "prise_rdv": 500, "equipements": 200, "qualifications": 200,
	"commentaire": MaxComment, "courriel": MaxEmail,
}

// listFields are the multi-valued columns (JSON arrays in champs).
var listFields = map[string]bool{
	"typologie": true, "courriels": true, "site_web": true, "itinerance": true, "services": true,
	"publics_specifiquement_adresses": true, "prise_en_charge_specifique": true,
	"frais_a_charge": true, "dispositif_programmes_nationaux": true, "formations_labels": true,
	"autres_formations_labels": true, "modalites_acces": true, "modalites_accompagnement": true,
	"equipements": true, "qualifications": true,
}

// managed are the columns the service sets itself: a contributor's values
// are ignored.
var managed = map[string]bool{"id": true, "source": true, "date_maj": true}

// Vocabularies are the closed lists of values of the form's fields.
func Vocabularies() map[string][]string {
	out := map[string][]string{}
	for _, v := range []*cartonum.Vocabulary{cartonum.Services, cartonum.Publics, cartonum.PriseEnCharge,
		cartonum.Frais, cartonum.Itinerance, cartonum.Dispositifs, cartonum.FormationsLabels,
		cartonum.ModalitesAcces, cartonum.ModalitesAccompagnement, cartonum.Equipements, cartonum.Qualifications} {
		out[v.Field] = v.Values
	}
	return out
}

// Columns are the fields a proposal may name: the standard's columns and
// the extra columns.
func Columns() []string {
	return append(slices.Clone(standard.Columns), cartonum.ExtraColumns...)
}

// known reports whether a column may be named in champs.
func known(col string) bool {
	return slices.Contains(standard.Columns, col) || slices.Contains(cartonum.ExtraColumns, col)
}

// Request is a proposal as a contributor sends it.
type Request struct {
	Type  cartonum.ProposalType
	Place string // modification, signalement
	// Fields are the proposed values by column: JSON strings, arrays of
	// strings, numbers (coordinates) or null.
	Fields  map[string]json.RawMessage
	Motive  string
	Comment string
	Email   string
	// FormToken is the token of the form (Form), Honeypot the field that
	// people leave empty and robots fill.
	FormToken string
	Honeypot  string
	// Client is an opaque key of the sender, for the rate limit.
	Client string
}

// Checked is a proposal as the import would read it.
type Checked struct {
	// Current is the place a modification or report is about.
	Current *cartonum.Place
	// Place is the normalised proposed place (nil when rejected or when
	// nothing is proposed: a report without fields).
	Place   *cartonum.Place
	Repairs []FieldError
	Errors  []FieldError
}

// Check builds the record a proposal makes and normalises it as the import
// would, without storing anything. Field problems are in Errors; the error
// is for a request that cannot be checked at all (unknown place: 404).
func (s *Service) Check(ctx context.Context, req Request) (*Checked, error) {
	c := &Checked{}
	switch req.Type {
	case cartonum.ProposalAdd:
	case cartonum.ProposalEdit, cartonum.ProposalReport:
		if strings.TrimSpace(req.Place) == "" || len(req.Place) > maxPlaceID {
			c.Errors = append(c.Errors, FieldError{"lieu", "identifiant du lieu manquant ou invalide"})
			return c, nil
		}
		p, ok := s.openPlace(req.Place)
		if !ok {
			return nil, cartonum.Errorf(cartonum.KindNotFound, "aucun lieu ouvert d'identifiant « %s »", req.Place)
		}
		c.Current = p
	default:
		c.Errors = append(c.Errors, FieldError{"type", "type de proposition attendu : ajout, modification ou signalement"})
		return c, nil
	}
	if req.Type == cartonum.ProposalReport {
		if !slices.Contains(cartonum.Motives, req.Motive) {
			c.Errors = append(c.Errors, FieldError{"motif", "motif du signalement attendu : " + strings.Join(cartonum.Motives, ", ")})
		}
	} else if req.Motive != "" {
		c.Errors = append(c.Errors, FieldError{"motif", "un motif ne s'applique qu'à un signalement"})
	}
	c.Errors = append(c.Errors, checkText("commentaire", req.Comment, MaxComment, true)...)
	if req.Email != "" {
		if msg := checkEmail(req.Email); msg != "" {
			c.Errors = append(c.Errors, FieldError{"courriel", msg})
		}
	}
	fields, errs := parseFields(req.Fields)
	c.Errors = append(c.Errors, errs...)
	if len(errs) > 0 {
		return c, nil
	}
	if req.Type == cartonum.ProposalReport && len(fields) == 0 {
		return c, nil
	}
	if req.Type == cartonum.ProposalEdit && len(fields) == 0 {
		// A modification may be a comment only ("the hours changed in
		// July"): the moderator then edits the fields.
		if strings.TrimSpace(req.Comment) == "" {
			c.Errors = append(c.Errors, FieldError{"champs", "aucun champ modifié ni commentaire"})
		}
		return c, nil
	}
	p, repairs, rej := s.normalize(c.Current, fields)
	c.Repairs = repairs
	if rej != nil {
		c.Errors = append(c.Errors, *rej)
		return c, nil
	}
	c.Place = p
	return c, nil
}

// parseFields reads champs into record values (lists joined with "|"),
// checking names and sizes.
func parseFields(raw map[string]json.RawMessage) (map[string]string, []FieldError) {
	var errs []FieldError
	if len(raw) > MaxFields {
		return nil, []FieldError{{"champs", fmt.Sprintf("%d champs, %d au plus", len(raw), MaxFields)}}
	}
	out := make(map[string]string, len(raw))
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, col := range keys {
		v := raw[col]
		if !known(col) {
			name := col
			if utf8.RuneCountInString(name) > 60 {
				name = string([]rune(name)[:60]) + "…"
			}
			errs = append(errs, FieldError{name, "colonne inconnue du schéma des lieux"})
			continue
		}
		if managed[col] {
			continue
		}
		max := Limits[col]
		values, ok := jsonValues(v)
		switch {
		case !ok:
			errs = append(errs, FieldError{col, "valeur attendue : un texte ou une liste de textes"})
			continue
		case len(values) > 1 && !listFields[col]:
			errs = append(errs, FieldError{col, "une seule valeur attendue"})
			continue
		case len(values) > MaxListValues:
			errs = append(errs, FieldError{col, fmt.Sprintf("%d valeurs, %d au plus", len(values), MaxListValues)})
			continue
		}
		bad := false
		for _, s := range values {
			if e := checkText(col, s, max, col == "presentation_detail" || col == "horaires"); len(e) > 0 {
				errs = append(errs, e...)
				bad = true
				break
			}
		}
		if bad {
			continue
		}
		out[col] = strings.Join(values, "|")
	}
	return out, errs
}

// jsonValues reads one value of champs: a string, a number, null or an
// array of strings.
func jsonValues(v json.RawMessage) ([]string, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return nil, true
	}
	switch v[0] {
	case '"':
		var s string
		if json.Unmarshal(v, &s) != nil {
			return nil, false
		}
		return []string{s}, true
	case '[':
		var list []string
		if json.Unmarshal(v, &list) != nil {
			return nil, false
		}
		var out []string
		for _, s := range list {
			if strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
		}
		return out, true
	default:
		var f float64
		if json.Unmarshal(v, &f) != nil {
			return nil, false
		}
		return []string{strconv.FormatFloat(f, 'f', -1, 64)}, true
	}
}

// checkText checks the length of a text and its characters: no control
// characters, except line breaks and tabs in multi-line texts.
func checkText(field, s string, max int, multiline bool) []FieldError {
	if n := utf8.RuneCountInString(s); max > 0 && n > max {
		return []FieldError{{field, fmt.Sprintf("%d caractères, %d au plus", n, max)}}
	}
	if !utf8.ValidString(s) {
		return []FieldError{{field, "texte illisible (encodage UTF-8 attendu)"}}
	}
	if strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	}) >= 0 {
		return []FieldError{{field, "caractères de contrôle interdits"}}
	}
	return nil
}

// checkEmail validates a contributor's e-mail with the import's rule for
// e-mails (an address as net/mail reads it, alone, with a dotted domain).
func checkEmail(e string) string {
	if n := utf8.RuneCountInString(e); n > MaxEmail {
		return fmt.Sprintf("%d caractères, %d au plus", n, MaxEmail)
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
		return fmt.Sprintf("courriel « %s » invalide", e)
	}
	return ""
}

// record returns the place as the fields of an import record: its
// standard row and the extra columns.
func record(p *cartonum.Place) map[string]string {
	m := map[string]string{}
	row := standard.Row(p)
	for i, c := range standard.Columns {
		if i < len(row) {
			m[c] = row[i]
		}
	}
	m["equipements"] = strings.Join(p.Equipements, "|")
	m["qualifications"] = strings.Join(p.Qualifications, "|")
	return m
}

// normalize lays fields over the current place's record (none for an
// ajout) and normalises the record with the region's options. The place
// keeps the provenance of the current one.
func (s *Service) normalize(current *cartonum.Place, fields map[string]string) (*cartonum.Place, []FieldError, *FieldError) {
	rec := map[string]string{}
	if current != nil {
		rec = record(current)
	}
	for k, v := range fields {
		rec[k] = v
	}
	rec["id"] = "proposition"
	if current != nil {
		rec["id"] = current.ID
	}
	rec["source"] = s.sourceName()
	rec["date_maj"] = s.today()
	snap := s.snapshot()
	if snap == nil {
		return nil, nil, &FieldError{"lieu", "territoire de la région indisponible"}
	}
	p, rej := standard.Normalize(standard.Record{Fields: rec}, snap, s.Normalize)
	var repairs []FieldError
	for _, r := range p.Provenance.Repairs {
		repairs = append(repairs, FieldError{r.Field, r.Message})
	}
	if rej != nil {
		field := rej.Field
		if field == "" {
			field = "lieu"
		}
		return nil, repairs, &FieldError{field, rej.Reason}
	}
	if current != nil {
		prov := p.Provenance
		p.Provenance = current.Provenance
		p.Provenance.SourceIDs = slices.Clone(current.Provenance.SourceIDs)
		p.Provenance.Sources = slices.Clone(current.Provenance.Sources)
		if !slices.Contains(p.Provenance.Sources, p.Source) {
			p.Provenance.Sources = append(p.Provenance.Sources, p.Source)
		}
		_, lat := fields["latitude"]
		_, lon := fields["longitude"]
		if lat || lon || current.Provenance.Precision != cartonum.PrecisionCommune {
			p.Provenance.Precision = prov.Precision
		}
		p.Provenance.OutsideRegion = prov.OutsideRegion
		p.Provenance.HorairesInvalid = prov.HorairesInvalid
		p.Provenance.Repairs = prov.Repairs
	}
	return &p, repairs, nil
}

// Difference is one field that a proposal changes.
type Difference struct {
	Field  string `json:"champ"`
	Before string `json:"avant"`
	After  string `json:"apres"`
}

// differences lists the fields whose value differs between two places
// (either may be nil), in the columns' order; date_maj and source aside.
func differences(before, after *cartonum.Place) []Difference {
	var a, b map[string]string
	if before != nil {
		a = record(before)
	}
	if after != nil {
		b = record(after)
	}
	out := []Difference{}
	for _, c := range Columns() {
		if c == "date_maj" || c == "source" || c == "id" {
			continue
		}
		if a[c] != b[c] {
			out = append(out, Difference{Field: c, Before: a[c], After: b[c]})
		}
	}
	return out
}

// overrideValue is the JSON of a field's value: an array for lists, a
// string otherwise.
func overrideValue(col, v string) json.RawMessage {
	var b []byte
	if listFields[col] {
		list := []string{}
		if v != "" {
			list = strings.Split(v, "|")
		}
		b, _ = json.Marshal(list)
	} else {
		b, _ = json.Marshal(v)
	}
	return b
}

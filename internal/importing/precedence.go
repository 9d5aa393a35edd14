package importing

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Precedence of moderators' edits over imports (README, "Précédence").
//
// A field a moderator set (a cartonum.Override) is kept against the source
// record of an import unless the record is newer: its date_maj after the
// day of the correction. A newer source value that differs from the
// correction is not written either: it becomes a proposal in the
// moderation queue, made once per place, field and value (its Key), so
// that importing the same file again proposes nothing new.

// originSource is the Origin of the proposals imports make.
const originSource = "source"

// precedence applies the overrides to the places of one import.
type precedence struct {
	overrides map[string][]cartonum.Override // by place
	communes  map[string]*cartonum.Commune   // by code
	// source names the proposals of places without a source.
	source string
	now    time.Time

	kept      int
	proposals []cartonum.Proposal
}

func newPrecedence(overrides []cartonum.Override, communes []cartonum.Commune, source string, now time.Time) *precedence {
	pr := &precedence{
		overrides: map[string][]cartonum.Override{},
		communes:  make(map[string]*cartonum.Commune, len(communes)),
		source:    source,
		now:       now,
	}
	for _, o := range overrides {
		pr.overrides[o.Place] = append(pr.overrides[o.Place], o)
	}
	for i := range communes {
		pr.communes[communes[i].Code] = &communes[i]
	}
	return pr
}

// apply gives the overridden fields of p their moderator's value, counting
// the corrections kept and collecting the proposals of newer differing
// source values.
func (pr *precedence) apply(p *cartonum.Place) error {
	list := pr.overrides[p.ID]
	if len(list) == 0 {
		return nil
	}
	sourceDate := p.DateMaj // before any override changes it
	for _, o := range list {
		if _, ok := placeFields[o.Field]; !ok {
			continue // not a field of a place
		}
		var corrected cartonum.Place
		if err := setField(&corrected, o.Field, o.Value); err != nil {
			return fmt.Errorf("correction du champ %s du lieu %s : %w", o.Field, p.ID, err)
		}
		want, _ := fieldValue(&corrected, o.Field)
		got, _ := fieldValue(p, o.Field)
		if string(want) == string(got) {
			continue
		}
		newer := validDate(sourceDate) && sourceDate > o.At.UTC().Format(time.DateOnly)
		if newer && o.Field == "date_maj" {
			continue // a newer record's date is the place's date
		}
		if err := setField(p, o.Field, o.Value); err != nil {
			return fmt.Errorf("correction du champ %s du lieu %s : %w", o.Field, p.ID, err)
		}
		pr.kept++
		if newer {
			pr.propose(p, o.Field, got, sourceDate)
		}
	}
	return nil
}

// propose queues the source's value of field for place p.
func (pr *precedence) propose(p *cartonum.Place, field string, value json.RawMessage, date string) {
	source := p.Source
	if source == "" {
		source = pr.source
	}
	sum := sha256.Sum256([]byte(p.ID + "\x1f" + field + "\x1f" + string(value)))
	prop := cartonum.Proposal{
		Type:       cartonum.ProposalEdit,
		Place:      p.ID,
		Fields:     map[string]json.RawMessage{field: value},
		Comment:    fmt.Sprintf("La source « %s » propose une autre valeur pour « %s » (mise à jour du %s) que la correction d'un modérateur.", source, field, date),
		Origin:     originSource,
		SourceName: source,
		Key:        hex.EncodeToString(sum[:]),
		CodeInsee:  p.CodeInsee,
		Lon:        p.Longitude,
		Lat:        p.Latitude,
		Status:     cartonum.StatusPending,
		CreatedAt:  pr.now,
	}
	if c := pr.communes[p.CodeInsee]; c != nil {
		prop.EPCI, prop.Departement = c.CodeEpci, c.CodeDepartement
	} else {
		prop.Departement = departementOf(p.CodeInsee)
	}
	pr.proposals = append(pr.proposals, prop)
}

// departementOf is the département of a commune code when the commune is
// unknown: its first two characters, three overseas.
func departementOf(insee string) string {
	switch {
	case len(insee) != 5:
		return ""
	case strings.HasPrefix(insee, "97") || strings.HasPrefix(insee, "98"):
		return insee[:3]
	}
	return insee[:2]
}

// validDate reports whether s is a date YYYY-MM-DD.
func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// placeFields maps the JSON names of the fields of cartonum.Place (the
// standard's columns and the extra ones) to their index.
var placeFields = func() map[string]int {
	t := reflect.TypeFor[cartonum.Place]()
	m := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || name == "provenance" || name == "id" {
			continue
		}
		m[name] = i
	}
	return m
}()

// fieldValue returns the value of field of p as proposals write them: a
// list as a JSON array (empty for none), any other value as a JSON string.
func fieldValue(p *cartonum.Place, field string) (json.RawMessage, bool) {
	i, ok := placeFields[field]
	if !ok {
		return nil, false
	}
	v := reflect.ValueOf(p).Elem().Field(i)
	var x any
	switch v.Kind() {
	case reflect.Slice:
		ss := v.Interface().([]string)
		if ss == nil {
			ss = []string{}
		}
		x = ss
	case reflect.Float64:
		x = strconv.FormatFloat(v.Float(), 'f', -1, 64)
	default:
		x = v.Interface()
	}
	buf, err := json.Marshal(x)
	if err != nil {
		return nil, false
	}
	return buf, true
}

// setField sets field of p from a JSON value: an array of strings for a
// list, a string for any other field (a number too for a coordinate).
func setField(p *cartonum.Place, field string, raw json.RawMessage) error {
	i, ok := placeFields[field]
	if !ok {
		return fmt.Errorf("champ %q inconnu", field)
	}
	v := reflect.ValueOf(p).Elem().Field(i)
	if v.Kind() == reflect.Float64 {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return err
			}
			v.SetFloat(f)
			return nil
		}
	}
	ptr := reflect.New(v.Type())
	if err := json.Unmarshal(raw, ptr.Interface()); err != nil {
		return err
	}
	v.Set(ptr.Elem())
	return nil
}

package standard

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// importText reads and imports one file into an empty store.
func importText(t *testing.T, name, text string) (*Source, *Result) {
	t.Helper()
	src, err := Read(name, strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(nil, []*Source{src}, newFakeTerritory(), Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	return src, res
}

func placeByID(t *testing.T, places []cartonum.Place, id string) *cartonum.Place {
	t.Helper()
	for i := range places {
		if places[i].ID == id {
			return &places[i]
		}
	}
	t.Fatalf("place %s not imported", id)
	return nil
}

func extraRepair(p *cartonum.Place, field, text string) bool {
	for _, r := range p.Provenance.Repairs {
		if r.Field == field && strings.Contains(r.Message, text) {
			return true
		}
	}
	return false
}

// TestExtraColumnsRead: the extra columns equipements and qualifications
// are read from CSV ("|" or ";" separated, any header spelling) and JSON
// (arrays or strings) through the vocabularies, like the standard's
// enumerations: exact spelling kept, case and accents corrected with a
// repair, usual other spellings mapped, unknown values dropped with a
// warning; the columns are not reported as ignored.
func TestExtraColumnsRead(t *testing.T) {
	const head = "id,nom,commune,code_postal,adresse,latitude,longitude,date_maj,"
	tests := []struct {
		name, file, text string
		equipements      []string
		qualifications   []string
		repairs          map[string]string // field → part of the message
	}{
		{
			name: "csv exact values", file: "lieux.csv",
			text: csvOf(head+"equipements,qualifications",
				"a,Espace,Lille,59000,1 rue A,50.63,3.06,2024-01-02,Wifi|Imprimante|Ordinateurs en libre accès,PictoAccess|Pass numérique (APTIC)"),
			equipements:    []string{"Ordinateurs en libre accès", "Imprimante", "Wifi"},
			qualifications: []string{"Pass numérique (APTIC)", "PictoAccess"},
		},
		{
			name: "csv repaired and unknown values", file: "lieux.csv",
			text: csvOf(head+"equipements,qualifications",
				"a,Espace,Lille,59000,1 rue A,50.63,3.06,2024-01-02,WI-FI ; scanner ; Fablab,pictoaccess|Label inconnu"),
			equipements:    []string{"Scanner", "Wifi"},
			qualifications: []string{"PictoAccess"},
			repairs: map[string]string{
				"equipements":    "valeur inconnue « Fablab » ignorée",
				"qualifications": "valeur inconnue « Label inconnu » ignorée",
			},
		},
		{
			name: "csv header spellings and usual value spellings", file: "lieux.csv",
			text: csvOf(head+"Équipement,Qualification",
				`a,Espace,Lille,59000,1 rue A,50.63,3.06,2024-01-02,Tablettes|Visioconférence,Pass numérique`),
			equipements:    []string{"Tablette", "Poste de visioconférence"},
			qualifications: []string{"Pass numérique (APTIC)"},
		},
		{
			name: "json arrays", file: "lieux.json",
			text: `[{"id": "a", "nom": "Espace", "commune": "Lille", "code_postal": "59000", "adresse": "1 rue A",
"latitude": 50.63, "longitude": 3.06, "date_maj": "2024-01-02",
"equipements": ["Tablette", "wifi", "Imprimante"], "qualifications": ["Pass numérique (APTIC)"]}]`,
			equipements:    []string{"Imprimante", "Tablette", "Wifi"},
			qualifications: []string{"Pass numérique (APTIC)"},
			repairs:        map[string]string{"equipements": "valeur « wifi » corrigée en « Wifi »"},
		},
		{
			name: "json strings", file: "lieux.json",
			text: `[{"id": "a", "nom": "Espace", "commune": "Lille", "code_postal": "59000", "adresse": "1 rue A",
"latitude": 50.63, "longitude": 3.06, "date_maj": "2024-01-02", "équipements": "Scanner|Poste de visioconférence"}]`,
			equipements: []string{"Scanner", "Poste de visioconférence"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, res := importText(t, tc.file, tc.text)
			if len(src.Ignored) != 0 {
				t.Errorf("columns reported as ignored: %q", src.Ignored)
			}
			p := placeByID(t, res.Upserts, "a")
			if !slices.Equal(p.Equipements, tc.equipements) {
				t.Errorf("equipements %q, want %q", p.Equipements, tc.equipements)
			}
			if !slices.Equal(p.Qualifications, tc.qualifications) {
				t.Errorf("qualifications %q, want %q", p.Qualifications, tc.qualifications)
			}
			for field, msg := range tc.repairs {
				if !extraRepair(p, field, msg) {
					t.Errorf("no repair %s « %s » in %+v", field, msg, p.Provenance.Repairs)
				}
			}
		})
	}
}

// TestExtraColumnsMerge: duplicates merged into one place keep the union
// of their equipment and qualifications, in the vocabulary's order.
func TestExtraColumnsMerge(t *testing.T) {
	_, res := importText(t, "lieux.csv", csvOf(
		"id,pivot,nom,commune,code_postal,adresse,latitude,longitude,date_maj,equipements,qualifications",
		"a,21590350100017,Médiathèque Jean Lévy,Lille,59000,32 rue Édouard Delesalle,50.6333,3.0622,2023-01-01,Wifi,",
		"b,21590350100017,MEDIATHEQUE JEAN LEVY,Lille,59000,32 R EDOUARD DELESALLE,50.6334,3.0622,2024-01-01,Imprimante,PictoAccess"))
	if len(res.Upserts) != 1 {
		t.Fatalf("%d places, want the two records merged", len(res.Upserts))
	}
	p := res.Upserts[0]
	if want := []string{"Imprimante", "Wifi"}; !slices.Equal(p.Equipements, want) {
		t.Errorf("equipements %q, want %q", p.Equipements, want)
	}
	if want := []string{"PictoAccess"}; !slices.Equal(p.Qualifications, want) {
		t.Errorf("qualifications %q, want %q", p.Qualifications, want)
	}
}

// extraPlaces imports two places, one with equipment and qualifications.
func extraPlaces(t *testing.T) []cartonum.Place {
	t.Helper()
	_, res := importText(t, "lieux.csv", csvOf(
		"id,nom,commune,code_postal,adresse,latitude,longitude,date_maj,services,equipements,qualifications",
		"a,Espace,Lille,59000,1 rue A,50.63,3.06,2024-01-02,Loisirs et créations numériques,Ordinateurs en libre accès|Wifi,Pass numérique (APTIC)|PictoAccess",
		"b,Médiathèque,Roubaix,59100,2 rue B,50.69,3.17,2024-01-03,,,"))
	if len(res.Upserts) != 2 {
		t.Fatalf("%d places imported, want 2", len(res.Upserts))
	}
	return res.Upserts
}

func exportCSV(t *testing.T, places []cartonum.Place) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewCSVWriter(&buf)
	for i := range places {
		if err := w.Write(&places[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestExtraColumnsStandardReader: the export is a standard file with two
// more columns at the end: a reader that knows only the standard's columns
// (by name or by position) reads every standard value as Row writes it.
func TestExtraColumnsStandardReader(t *testing.T) {
	places := extraPlaces(t)
	rows, err := csv.NewReader(bytes.NewReader(exportCSV(t, places))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	if !slices.Equal(header[:len(Columns)], Columns) {
		t.Fatalf("the export's header does not start with the standard's columns: %q", header)
	}
	if !slices.Equal(header[len(Columns):], cartonum.ExtraColumns) {
		t.Errorf("extra columns %q, want %q", header[len(Columns):], cartonum.ExtraColumns)
	}
	// A standard reader: the columns it knows, found by name; others skipped.
	at := map[string]int{}
	for i, c := range header {
		if slices.Contains(Columns, c) {
			at[c] = i
		}
	}
	if len(at) != len(Columns) {
		t.Fatalf("the standard reader finds %d of the %d columns", len(at), len(Columns))
	}
	for i := range places {
		want := Row(&places[i])
		got := rows[i+1]
		for j, c := range Columns {
			if got[at[c]] != want[j] {
				t.Errorf("%s: %s read as %q, want %q", places[i].ID, c, got[at[c]], want[j])
			}
		}
	}
}

// TestExtraColumnsRoundTrip: export → import gives identical places,
// extras included (the first import's repairs aside: the export holds the
// repaired values), with no repair and no ignored column.
func TestExtraColumnsRoundTrip(t *testing.T) {
	places := extraPlaces(t)
	src, err := Read("export.csv", bytes.NewReader(exportCSV(t, places)))
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Ignored) != 0 {
		t.Errorf("re-import ignores %q", src.Ignored)
	}
	again, err := Import(nil, []*Source{src}, newFakeTerritory(), Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	if c := again.Report.Totals; c.Repaired != 0 || c.Imported != len(places) {
		t.Errorf("re-import totals %+v", c)
	}
	for i := range places {
		want := &places[i]
		got, w := *placeByID(t, again.Upserts, want.ID), *want
		w.Provenance.Repairs = got.Provenance.Repairs
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s after the round trip:\n%+v\nwant\n%+v", want.ID, got, w)
		}
	}
	if a := placeByID(t, again.Upserts, "a"); len(a.Equipements) != 2 || len(a.Qualifications) != 2 {
		t.Errorf("extras lost: %q %q", a.Equipements, a.Qualifications)
	}
}

package standard

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// readTestdata reads the named files of testdata as sources.
func readTestdata(t *testing.T, names ...string) []*Source {
	t.Helper()
	var out []*Source
	for _, name := range names {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		src, err := Read(name, f)
		f.Close()
		if err != nil {
			t.Fatalf("Read %s: %v", name, err)
		}
		out = append(out, src)
	}
	return out
}

// checkAccounting fails unless every row of every file is accounted for,
// per file and in the totals.
func checkAccounting(t *testing.T, rep *Report, sources []*Source) {
	t.Helper()
	var sum Counts
	for i, f := range rep.Files {
		c := f.Counts
		if c.Imported+c.Merged+c.Conflicts+c.Rejected != c.RowsRead {
			t.Errorf("%s: %d imported + %d merged + %d conflicts + %d rejected != %d rows read", f.Name, c.Imported, c.Merged, c.Conflicts, c.Rejected, c.RowsRead)
		}
		if c.RowsRead != len(sources[i].Records) || len(f.Rows) != c.RowsRead {
			t.Errorf("%s: %d rows read, %d row reports, want %d", f.Name, c.RowsRead, len(f.Rows), len(sources[i].Records))
		}
		sum.add(c)
	}
	if rep.Totals != sum {
		t.Errorf("totals %+v, want the sum of the files %+v", rep.Totals, sum)
	}
	if tc := rep.Totals; tc.Imported+tc.Merged+tc.Conflicts+tc.Rejected != tc.RowsRead {
		t.Errorf("totals do not add up: %+v", tc)
	}
}

// clonePlaces deep-copies places, so that a test can see whether a callee
// changed them.
func clonePlaces(t *testing.T, ps []cartonum.Place) []cartonum.Place {
	t.Helper()
	b, err := json.Marshal(ps)
	if err != nil {
		t.Fatal(err)
	}
	var out []cartonum.Place
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImport(t *testing.T) {
	sources := readTestdata(t, "lieux-import.csv", "lieux-v0.json")
	var progress [][2]int
	res, err := Import(nil, sources, newFakeTerritory(), Options{Region: "32", Progress: func(done, total int) {
		progress = append(progress, [2]int{done, total})
	}})
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report
	checkAccounting(t, rep, sources)

	t.Run("counts", func(t *testing.T) {
		if rep.Region != "32" {
			t.Errorf("region %q", rep.Region)
		}
		want := []Counts{
			{RowsRead: 10, Imported: 4, Merged: 2, Rejected: 4, Repaired: 4},
			{RowsRead: 4, Imported: 1, Merged: 1, Rejected: 2, Repaired: 2},
		}
		for i, w := range want {
			if got := rep.Files[i].Counts; got != w {
				t.Errorf("%s: counts %+v, want %+v", rep.Files[i].Name, got, w)
			}
		}
		if want := (PlaceChanges{Created: 5, Total: 5}); rep.Places != want {
			t.Errorf("places %+v, want %+v", rep.Places, want)
		}
		if len(progress) == 0 || progress[len(progress)-1] != [2]int{14, 14} {
			t.Errorf("progress %v, want to end at 14 of 14", progress)
		}
	})

	t.Run("rows", func(t *testing.T) {
		type row struct {
			line           int
			id, status, to string
			rejectedOn     string
		}
		want := [][]row{{
			{2, "lille-1", StatusImported, "lille-1", ""},
			{3, "dora-77", StatusMerged, "lille-1", ""},
			{4, "roubaix-1", StatusImported, "roubaix-1", ""},
			{5, "lille-2", StatusRejected, "", "nom"},
			{6, "paris-1", StatusRejected, "", "latitude"},
			{7, "laventie-1", StatusImported, "laventie-1", ""},
			{9, "lille-3", StatusImported, "lille-3", ""},
			{11, "lille-4", StatusRejected, "", "date_maj"},
			{12, "roubaix-2", StatusMerged, "roubaix-1", ""},
			{13, "lille-5", StatusRejected, "", ""},
		}, {
			{2, "v0-1", StatusMerged, "lille-3", ""},
			{6, "v0-2", StatusImported, "v0-2", ""},
			{10, "v0-3", StatusRejected, "", "adresse"},
			{11, "", StatusRejected, "", ""},
		}}
		for i, f := range rep.Files {
			var got []row
			for _, r := range f.Rows {
				x := row{r.Line, r.ID, r.Status, r.PlaceID, ""}
				if r.Rejection != nil {
					x.rejectedOn = r.Rejection.Field
					if r.Rejection.Reason == "" {
						t.Errorf("%s:%d: rejection without a reason", f.Name, r.Line)
					}
				}
				got = append(got, x)
			}
			if !slices.Equal(got, want[i]) {
				t.Errorf("%s rows:\n%v\nwant\n%v", f.Name, got, want[i])
			}
		}
	})

	t.Run("merges", func(t *testing.T) {
		want := []MergeReport{
			{PlaceID: "lille-1", Records: []string{"lieux-import.csv:3 (dora-77)"}},
			{PlaceID: "lille-3", Records: []string{"lieux-v0.json:2 (v0-1)"}},
			{PlaceID: "roubaix-1", Records: []string{"lieux-import.csv:12 (roubaix-2)"}},
		}
		if !slices.EqualFunc(rep.Merges, want, func(a, b MergeReport) bool {
			return a.PlaceID == b.PlaceID && slices.Equal(a.Records, b.Records)
		}) {
			t.Errorf("merges %+v, want %+v", rep.Merges, want)
		}
	})

	t.Run("places", func(t *testing.T) {
		byID := map[string]cartonum.Place{}
		var ids []string
		for _, p := range res.Upserts {
			byID[p.ID] = p
			ids = append(ids, p.ID)
		}
		if want := []string{"laventie-1", "lille-1", "lille-3", "roubaix-1", "v0-2"}; !slices.Equal(ids, want) {
			t.Fatalf("upserts %q, want %q in id order", ids, want)
		}
		l1 := byID["lille-1"]
		if l1.Nom != "MEDIATHEQUE JEAN LEVY" || l1.DateMaj != "2024-05-10" || l1.Horaires != "Mo-Fr 09:00-12:00,14:00-18:00" ||
			!slices.Equal(l1.Services, []string{"Aide aux démarches administratives", "Loisirs et créations numériques"}) ||
			!slices.Equal(l1.Provenance.SourceIDs, []string{"lille-1", "dora-77"}) ||
			!slices.Equal(l1.Provenance.Sources, []string{"conseiller-numerique", "dora"}) {
			t.Errorf("lille-1 merged wrongly: %+v", l1)
		}
		r1 := byID["roubaix-1"]
		if r1.Pivot != "24590044700011" || r1.Latitude != 50.69 || r1.CodeInsee != "59512" || r1.Telephone != "+33320000000" ||
			!slices.Equal(r1.SiteWeb, []string{"https://www.ville-roubaix.fr"}) ||
			!slices.Equal(r1.Services, []string{"Aide aux démarches administratives", "Accès internet et matériel informatique"}) {
			t.Errorf("roubaix-1 merged wrongly: %+v", r1)
		}
		l3 := byID["lille-3"]
		if !slices.Equal(l3.Dispositifs, []string{"Conseillers numériques"}) || !slices.Equal(l3.AutresFormationsLabels, []string{"APTIC"}) ||
			!slices.Equal(l3.Services, []string{"Maîtrise des outils numériques du quotidien", "Loisirs et créations numériques", "Accès internet et matériel informatique"}) {
			t.Errorf("lille-3 merged wrongly: %+v", l3)
		}
		if lv := byID["laventie-1"]; lv.Provenance.Precision != cartonum.PrecisionCommune || lv.PresentationDetail != "Ateliers le mardi.\nPrêt de tablettes." {
			t.Errorf("laventie-1: %+v", lv)
		}
		if v := byID["v0-2"]; !slices.Equal(v.Publics, []string{"Jeunes"}) || !slices.Equal(v.PriseEnCharge, []string{"Surdité"}) ||
			!slices.Equal(v.ModalitesAccompagnement, []string{"Accompagnement individuel"}) || !slices.Equal(v.Courriels, []string{"france-services@laventie.fr"}) ||
			!slices.Equal(v.Dispositifs, []string{"France Services"}) || v.CodeInsee != "62491" {
			t.Errorf("v0-2 mapped wrongly: %+v", v)
		}
	})

	t.Run("summary", func(t *testing.T) {
		var b strings.Builder
		rep.Summary(&b)
		for _, want := range []string{"14 lignes lues, 5 importées, 3 fusionnées (doublons), 0 en conflit d'identifiant (gardées à part), 6 rejetées", "5 créés", "lieux-import.csv", "lieux-v0.json", "nom: nom manquant (lignes 5)"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("summary lacks %q:\n%s", want, b.String())
			}
		}
	})
}

// TestImportIdempotent: importing the same files again into the places the
// first import produced changes nothing.
func TestImportIdempotent(t *testing.T) {
	terr := newFakeTerritory()
	first, err := Import(nil, readTestdata(t, "lieux-import.csv", "lieux-v0.json"), terr, Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	sources := readTestdata(t, "lieux-import.csv", "lieux-v0.json")
	second, err := Import(first.Upserts, sources, terr, Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	checkAccounting(t, second.Report, sources)
	if len(second.Upserts) != 0 {
		for _, p := range second.Upserts {
			t.Errorf("second import changed %s", p.ID)
		}
	}
	if want := (PlaceChanges{Unchanged: 5, Total: 5}); second.Report.Places != want {
		t.Errorf("places %+v, want %+v", second.Report.Places, want)
	}
	if second.Report.Totals != first.Report.Totals {
		t.Errorf("totals %+v, want the first import's %+v", second.Report.Totals, first.Report.Totals)
	}
}

// TestImportUpdate: a newer record of a stored place updates it, an older
// one leaves it unchanged, and places no record touches are not counted.
func TestImportUpdate(t *testing.T) {
	terr := newFakeTerritory()
	first, err := Import(nil, readTestdata(t, "lieux-import.csv"), terr, Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	in := csvOf("id,nom,commune,code_postal,adresse,latitude,longitude,telephone,date_maj",
		"lille-3,Espace numérique du Vieux-Lille,Lille,59800,10 place Louise de Bettignies,50.6406,3.0633,+33320999999,2025-01-01",
		"nouveau-1,Tiers-lieu de Fives,Lille,59800,3 rue Pierre Legrand,50.6301,3.0801,,2025-01-01")
	src, err := Read("maj.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	existing := clonePlaces(t, first.Upserts)
	before := clonePlaces(t, existing)
	res, err := Import(existing, []*Source{src}, terr, Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (PlaceChanges{Created: 1, Updated: 1, Total: 5}); res.Report.Places != want {
		t.Errorf("places %+v, want %+v", res.Report.Places, want)
	}
	var ids []string
	for _, p := range res.Upserts {
		ids = append(ids, p.ID)
		if p.ID == "lille-3" && p.Telephone != "+33320999999" {
			t.Errorf("lille-3 not updated: %+v", p)
		}
	}
	if want := []string{"lille-3", "nouveau-1"}; !slices.Equal(ids, want) {
		t.Errorf("upserts %q, want %q", ids, want)
	}
	t.Run("existing places left untouched", func(t *testing.T) {
		for i := range existing {
			if a, b := fingerprint(&existing[i]), fingerprint(&before[i]); a != b {
				t.Errorf("Import, which \"changes nothing itself\", modified the caller's existing place %s in place:\nbefore %s\nafter  %s", existing[i].ID, b, a)
			}
		}
	})
}

// TestImportMovedPlaceDedup: a stored place read again at a new commune
// must still absorb a duplicate in that commune.
func TestImportMovedPlaceDedup(t *testing.T) {
	terr := newFakeTerritory()
	old := placeAt("ccas", "CCAS", "1 place de la Liberté", "59350", 50.6333, 3.0622)
	old.Provenance.SourceIDs = []string{"ccas"}
	in := csvOf("id,nom,commune,code_postal,adresse,latitude,longitude,date_maj",
		"ccas,CCAS de Roubaix,Roubaix,59100,20 avenue des Nations Unies,50.69,3.18,2024-01-01",
		"ccas-bis,CCAS ROUBAIX,Roubaix,59100,20 AV DES NATIONS UNIES,50.6901,3.1801,2024-01-01")
	src, err := Read("lieux.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import([]cartonum.Place{old}, []*Source{src}, terr, Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Totals.Merged != 1 {
		t.Errorf("the stored place ccas moved from 59350 to 59512 when its record was read again, but stayed indexed under 59350, so its duplicate ccas-bis in 59512 became a separate place: totals %+v, places %+v", res.Report.Totals, res.Report.Places)
	}
}

// TestExportRoundTrip: the places of an import, written as standard CSV,
// read and imported into an empty store, are the same places, with no
// repair needed.
func TestExportRoundTrip(t *testing.T) {
	terr := newFakeTerritory()
	first, err := Import(nil, readTestdata(t, "lieux-import.csv", "lieux-v0.json"), terr, Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	again := roundTrip(t, first.Upserts, terr, Options{Region: "32"})
	if c := again.Totals; c.Repaired != 0 {
		t.Errorf("the export needed %d repairs on re-import", c.Repaired)
		for _, r := range again.Files[0].Rows {
			if len(r.Repairs) > 0 {
				t.Logf("line %d %s: %+v", r.Line, r.ID, r.Repairs)
			}
		}
	}
}

// roundTrip exports places as standard CSV, imports the file into an empty
// store and checks that every standard field and extra column comes back
// unchanged. Repairs
// may be reported again (warnings such as a CEDEX postcode), but none may
// change a value. It returns the report of the re-import.
func roundTrip(t *testing.T, places []cartonum.Place, terr Territory, o Options) *Report {
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
	src, err := Read("export.csv", bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("Read export: %v\n%s", err, buf.String())
	}
	if src.Schema != "1.0.2" || src.Delimiter != "," || src.Encoding != "utf-8" || !slices.Equal(src.Columns, ExportColumns) || len(src.Ignored) != 0 {
		t.Errorf("export read as %s %q %s, columns %q", src.Schema, src.Delimiter, src.Encoding, src.Columns)
	}
	again, err := Import(nil, []*Source{src}, terr, o)
	if err != nil {
		t.Fatal(err)
	}
	if c := again.Report.Totals; c.Imported != len(places) || c.Rejected != 0 || c.Merged != 0 {
		t.Errorf("re-import totals %+v, want %d imported", c, len(places))
		for _, r := range again.Report.Files[0].Rows {
			if r.Rejection != nil {
				t.Logf("line %d %s: %+v", r.Line, r.ID, r.Rejection)
			}
		}
	}
	got := map[string]cartonum.Place{}
	for _, p := range again.Upserts {
		got[p.ID] = p
	}
	for i := range places {
		want := &places[i]
		p, ok := got[want.ID]
		if !ok {
			t.Errorf("%s lost in the round trip", want.ID)
			continue
		}
		a, b := ExportRow(&p), ExportRow(want)
		for j := range ExportColumns {
			if a[j] != b[j] {
				t.Errorf("%s: %s = %q after the round trip, want %q", want.ID, ExportColumns[j], a[j], b[j])
			}
		}
	}
	return again.Report
}

// TestExportRoundTripLineBreaks: a JSON source may hold Windows line
// breaks inside presentation_detail; they must survive the export too.
func TestExportRoundTripLineBreaks(t *testing.T) {
	terr := newFakeTerritory()
	in := `[{"id": "j1", "nom": "Espace", "commune": "Lille", "code_postal": "59000", "adresse": "1 rue A", "latitude": 50.63, "longitude": 3.06,
"presentation_detail": "Ateliers le mardi.\r\nPrêt de tablettes.", "date_maj": "2024-01-02"}]`
	src, err := Read("lieux.json", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(nil, []*Source{src}, terr, Options{Region: "32"})
	if err != nil || len(res.Upserts) != 1 {
		t.Fatalf("import: %v, %d upserts", err, len(res.Upserts))
	}
	if d := res.Upserts[0].PresentationDetail; strings.Contains(d, "\r") {
		t.Errorf("presentation_detail keeps the CR of a CRLF line break (%q); the standard CSV written by CSVWriter is read back with a bare LF, so the export does not round-trip", d)
	}
	roundTrip(t, res.Upserts, terr, Options{Region: "32"})
}

// TestCSVWriter checks the exported file against the standard's own valid
// example: same header, and the place written back as it was read.
func TestCSVWriter(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		var b bytes.Buffer
		if err := NewCSVWriter(&b).Flush(); err != nil {
			t.Fatal(err)
		}
		if b.String() != strings.Join(ExportColumns, ",")+"\n" {
			t.Errorf("empty export %q, want the header only", b.String())
		}
	})
	t.Run("row", func(t *testing.T) {
		p := cartonum.Place{
			ID: "structure-1", Pivot: "43493312300029", Nom: "Anonymal", Commune: "Lille", CodePostal: "59000", CodeInsee: "59350",
			Adresse: "12 BIS RUE DE LECLERCQ", ComplementAdresse: "Le patio", Latitude: 50.63, Longitude: 3.06,
			Typologie: []string{"TIERS_LIEUX", "ASSO"}, Telephone: "+33180059880",
			Courriels: []string{"contact@laquincaillerie.tl", "responsable@laquincaillerie.tl"},
			SiteWeb:   []string{"https://www.laquincaillerie.tl/"}, Horaires: "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
			PresentationResume: "Résumé, avec virgule", PresentationDetail: "Ligne 1\nLigne \"2\"", Source: "Hubik",
			Itinerance: []string{"Itinérant"}, StructureParente: "Ville", DateMaj: "2024-04-02",
			Services: []string{"Maîtrise des outils numériques du quotidien"}, Publics: []string{"Jeunes", "Femmes"},
			PriseEnCharge: []string{"Surdité"}, Frais: []string{"Gratuit sous condition", "Payant"},
			Dispositifs: []string{"Aidants Connect"}, FormationsLabels: []string{"Formé à « Mon Espace Santé »"},
			AutresFormationsLabels: []string{"Label et la bête"}, ModalitesAcces: []string{"Se présenter", "Téléphoner"},
			ModalitesAccompagnement: []string{"En autonomie"}, FicheAccesLibre: "https://acceslibre.beta.gouv.fr/x",
			PriseRdv: "https://www.rdv-solidarites.fr/", Equipements: []string{"Imprimante", "Wifi"},
			Qualifications: []string{"PictoAccess"},
		}
		if n := len(Row(&p)); n != len(Columns) {
			t.Fatalf("Row: %d values for %d columns", n, len(Columns))
		}
		row := ExportRow(&p)
		if len(row) != len(ExportColumns) {
			t.Fatalf("%d values for %d columns", len(row), len(ExportColumns))
		}
		want := map[string]string{
			"latitude": "50.63", "typologie": "TIERS_LIEUX|ASSO", "courriels": "contact@laquincaillerie.tl|responsable@laquincaillerie.tl",
			"frais_a_charge": "Gratuit sous condition|Payant", "prise_rdv": "https://www.rdv-solidarites.fr/",
			"equipements": "Imprimante|Wifi", "qualifications": "PictoAccess",
		}
		for i, c := range ExportColumns {
			if w, ok := want[c]; ok && row[i] != w {
				t.Errorf("%s = %q, want %q", c, row[i], w)
			}
		}
		var b bytes.Buffer
		w := NewCSVWriter(&b)
		if err := w.Write(&p); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		src, err := Read("export.csv", &b)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range ExportColumns {
			if got := src.Records[0].Fields[c]; got != row[i] {
				t.Errorf("%s read back as %q, want %q", c, got, row[i])
			}
		}
	})
}

// TestImportIdempotentUnknownPivot: two duplicates, the newer without a
// SIRET. Importing them twice must give the same place both times.
func TestImportIdempotentUnknownPivot(t *testing.T) {
	terr := newFakeTerritory()
	in := csvOf("id,pivot,nom,commune,code_postal,adresse,latitude,longitude,date_maj",
		"a,21590350100017,Médiathèque Jean Lévy,Lille,59000,32 rue Édouard Delesalle,50.6333,3.0622,2023-01-01",
		"b,,MEDIATHEQUE JEAN LEVY,Lille,59000,32 R EDOUARD DELESALLE,50.6334,3.0622,2024-01-01")
	read := func() []*Source {
		src, err := Read("lieux.csv", strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		return []*Source{src}
	}
	first, err := Import(nil, read(), terr, Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Upserts) != 1 || first.Report.Totals.Merged != 1 {
		t.Fatalf("first import: %d places, totals %+v; want b merged into a", len(first.Upserts), first.Report.Totals)
	}
	pivot := first.Upserts[0].Pivot
	second, err := Import(first.Upserts, read(), terr, Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Upserts) != 0 {
		t.Errorf("re-importing the same file changed the place (pivot %s after the first import, %s after the second): the newer record's unknown pivot 00000000000000 overwrote the SIRET in the first import, and re-merging a restored it", pivot, second.Upserts[0].Pivot)
	}
}

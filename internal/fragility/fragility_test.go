package fragility

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// fakeStore holds communes and records the scores it was given.
type fakeStore struct {
	communes []cartonum.Commune
	scores   map[string]float64
	rec      *cartonum.FragilityImport
	fail     error
}

func (s *fakeStore) Communes(context.Context) ([]cartonum.Commune, error) { return s.communes, nil }

func (s *fakeStore) ReplaceFragility(_ context.Context, scores []cartonum.FragilityScore, rec cartonum.FragilityImport) (int64, error) {
	if s.fail != nil {
		return 0, s.fail
	}
	s.scores = map[string]float64{}
	for _, sc := range scores {
		s.scores[sc.Code] = sc.Score
	}
	s.rec = &rec
	return 7, nil
}

func region() *fakeStore {
	return &fakeStore{communes: []cartonum.Commune{
		{Code: "02691", Nom: "Saint-Quentin", CodeDepartement: "02"},
		{Code: "59350", Nom: "Lille", CodeDepartement: "59"},
		{Code: "80001", Nom: "Abbeville", CodeDepartement: "80"},
		{Code: "80021", Nom: "Amiens", CodeDepartement: "80"},
	}}
}

// mednum are the options of La MedNum's IRIS export (testdata: an extract
// in its published column layout, scores made up).
func mednum(pop string) Options {
	return Options{Level: LevelIRIS, CodeCol: "Code Iris", ScoreCol: "SCORE GLOBAL region *", PopulationCol: pop}
}

func importFile(t *testing.T, s *fakeStore, path string, o Options) (*Report, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Import(context.Background(), s, "ifn-iris-extrait.csv", f, o)
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestImportIRISWeightedByPopulation(t *testing.T) {
	s := region()
	rep, err := importFile(t, s, "testdata/ifn-iris-extrait.csv", mednum("P16 Pop"))
	if err != nil {
		t.Fatal(err)
	}
	// Every row accounted for: 12 = 6 imported + 1 outside + 5 rejected.
	if rep.Rows != 12 || rep.Imported != 6 || rep.Outside != 1 || rep.Rejected != 5 || rep.Communes != 3 {
		t.Fatalf("rows %d imported %d outside %d rejected %d communes %d, want 12 6 1 5 3",
			rep.Rows, rep.Imported, rep.Outside, rep.Rejected, rep.Communes)
	}
	// Amiens: (2000·120 + 3000·80 + 1000·150) / 6000 = 630000 / 6000 = 105.
	// Abbeville: the IRIS of population 0 weighs nothing: 104.5.
	// Saint-Quentin: "26910000" lost its leading zero; one IRIS: 132.8.
	want := map[string]float64{"80021": 105, "80001": 104.5, "02691": 132.8}
	if len(s.scores) != len(want) {
		t.Fatalf("scores %v, want %v", s.scores, want)
	}
	for code, w := range want {
		if !near(s.scores[code], w) {
			t.Errorf("score of %s = %v, want %v", code, s.scores[code], w)
		}
	}
	if s.rec.Rows != 12 || s.rec.PopulationCol != "P16 Pop" || s.rec.Level != LevelIRIS || rep.ID != 7 {
		t.Errorf("import record %+v, id %d", s.rec, rep.ID)
	}
	if len(rep.OutsideRows) != 1 || rep.OutsideRows[0].Line != 10 || rep.OutsideRows[0].Code != "751010101" {
		t.Errorf("outside rows %+v, want line 10 (Paris)", rep.OutsideRows)
	}
	wantRejected := []struct {
		line   int
		reason string
	}{
		{8, "code en double (déjà ligne 2)"},
		{9, "commune 80099 absente des communes chargées"},
		{11, "code invalide : code IRIS (9 caractères) attendu"},
		{12, `score "" invalide`},
		{13, `score "N/A" invalide`},
	}
	if len(rep.RejectedRows) != len(wantRejected) {
		t.Fatalf("rejected %+v", rep.RejectedRows)
	}
	for i, w := range wantRejected {
		got := rep.RejectedRows[i]
		if got.Line != w.line || !strings.HasPrefix(got.Reason, w.reason) {
			t.Errorf("rejected #%d = line %d %q, want line %d %q…", i, got.Line, got.Reason, w.line, w.reason)
		}
	}
	if !near(rep.Min, 104.5) || !near(rep.Max, 132.8) {
		t.Errorf("min %v max %v", rep.Min, rep.Max)
	}
}

func TestImportIRISPlainMean(t *testing.T) {
	s := region()
	if _, err := importFile(t, s, "testdata/ifn-iris-extrait.csv", mednum("")); err != nil {
		t.Fatal(err)
	}
	// Without a population column: (120 + 80 + 150) / 3 and (104.5 + 141.3) / 2.
	if !near(s.scores["80021"], 350.0/3) || !near(s.scores["80001"], 122.9) {
		t.Errorf("scores %v, want 80021: 116.67 and 80001: 122.9", s.scores)
	}
}

func TestImportCommuneLevel(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		sep  rune
	}{
		{"comma, BOM, decimal point", "\ufeffcode_insee,nom,score\n80021,Amiens,6.5\n2691,Saint-Quentin,7.25\n\n", 0},
		{"semicolon, decimal comma", "code_insee;nom;score\n80021;Amiens;6,5\n02691;Saint-Quentin;7,25\n", 0},
		{"tab given", "code_insee\tnom\tscore\n80021\tAmiens\t6.5\n02691\tSaint-Quentin\t7.25\n", '\t'},
		{"Windows-1252", "code_insee;nom;score\n80021;Amiens;6,5\n02691;Saint-Quentin \xe9;7,25\n", 0},
		{"UTF-16 with BOM", utf16le("code_insee;nom;score\r\n80021;Amiens;6,5\r\n02691;Saint-Quentin;7,25\r\n"), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := region()
			rep, err := Import(context.Background(), s, "f.csv", strings.NewReader(tc.file),
				Options{CodeCol: "CODE_INSEE", ScoreCol: "score", Sep: tc.sep})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Rows != 2 || rep.Imported != 2 || len(s.scores) != 2 || s.scores["80021"] != 6.5 || s.scores["02691"] != 7.25 {
				t.Errorf("report %+v scores %v", rep, s.scores)
			}
		})
	}
}

func utf16le(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

func TestImportFailsChangingNothing(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		o          Options
		storeErr   error
		want       string
	}{
		{"missing column", "code;score\n80021;1\n", Options{CodeCol: "code", ScoreCol: "indice"}, nil, `colonne "indice" absente`},
		{"missing population column", "code;score\n80021;1\n", Options{CodeCol: "code", ScoreCol: "score", PopulationCol: "pop"}, nil, `colonne "pop" absente`},
		{"header only", "code;score\n", Options{CodeCol: "code", ScoreCol: "score"}, nil, "aucune ligne de données"},
		{"no row in the region", "code;score\n75056;1\n80999;2\n", Options{CodeCol: "code", ScoreCol: "score"}, nil, "aucune ligne importée (1 hors région, 1 rejetées)"},
		{"bad level", "code;score\n80021;1\n", Options{CodeCol: "code", ScoreCol: "score", Level: "epci"}, nil, "niveau"},
		{"store fails", "code;score\n80021;1\n", Options{CodeCol: "code", ScoreCol: "score"}, errors.New("disque plein"), "disque plein"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := region()
			s.fail = tc.storeErr
			_, err := Import(context.Background(), s, "f.csv", strings.NewReader(tc.file), tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if s.scores != nil {
				t.Errorf("scores stored: %v", s.scores)
			}
		})
	}
}

func TestReadRejectsIncompleteAndMalformedRows(t *testing.T) {
	rows, rejected, total, err := Read(strings.NewReader("code;nom;score\n80021;Amiens\n80001;Abbeville;3\n02691;x;-1\n"),
		Options{CodeCol: "code", ScoreCol: "score"})
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || len(rows) != 1 || rows[0].Code != "80001" || rows[0].Line != 3 || len(rejected) != 2 ||
		rejected[0].Line != 2 || !strings.HasPrefix(rejected[0].Reason, "ligne incomplète") || rejected[1].Line != 4 {
		t.Errorf("total %d rows %+v rejected %+v", total, rows, rejected)
	}
}

func TestParseSep(t *testing.T) {
	for in, want := range map[string]rune{"": 0, "auto": 0, ";": ';', ",": ',', "|": '|', "tab": '\t'} {
		if got, err := ParseSep(in); err != nil || got != want {
			t.Errorf("ParseSep(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseSep(":"); err == nil {
		t.Error("ParseSep(\":\") accepted")
	}
}

// FuzzRead checks that any file either fails as a whole or accounts for
// every data row, with valid codes and scores.
func FuzzRead(f *testing.F) {
	b, err := os.ReadFile("testdata/ifn-iris-extrait.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b, true)
	f.Add([]byte("code;score\n80021;1\n\"80;2\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, iris bool) {
		o := Options{CodeCol: "Code Iris", ScoreCol: "SCORE GLOBAL region *", Level: LevelCommune}
		if iris {
			o.Level = LevelIRIS
		} else {
			o.CodeCol, o.ScoreCol = "code", "score"
		}
		rows, rejected, total, err := Read(strings.NewReader(string(data)), o)
		if err != nil {
			return
		}
		if len(rows)+len(rejected) != total {
			t.Fatalf("%d rows + %d rejected != %d", len(rows), len(rejected), total)
		}
		for _, r := range rows {
			if !(r.Score >= 0) || math.IsInf(r.Score, 0) || len(r.Commune) != 5 {
				t.Fatalf("bad row %+v", r)
			}
		}
	})
}

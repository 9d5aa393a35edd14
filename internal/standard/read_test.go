package standard

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
)

// header1 is a v1.0.2 header with the columns the read tests use.
const header1 = "id,nom,commune,code_postal,adresse,latitude,longitude,date_maj"

// csvOf joins lines with "\n" and ends the file with a newline.
func csvOf(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// utf16LE encodes s as UTF-16 little-endian with its byte-order mark, as
// spreadsheet software writes "Unicode text".
func utf16LE(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// wantRecord is what a test expects of one record.
type wantRecord struct {
	line    int
	fields  map[string]string // checked values only
	problem bool
}

func checkRecords(t *testing.T, src *Source, want []wantRecord) {
	t.Helper()
	if len(src.Records) != len(want) {
		t.Fatalf("%d records, want %d: %+v", len(src.Records), len(want), src.Records)
	}
	for i, w := range want {
		got := src.Records[i]
		if got.Line != w.line {
			t.Errorf("record %d: line %d, want %d", i, got.Line, w.line)
		}
		if (got.Problem != "") != w.problem {
			t.Errorf("record %d: problem %q, want problem=%v", i, got.Problem, w.problem)
		}
		if got.Problem == "" && got.Fields == nil {
			t.Errorf("record %d: nil fields without a problem", i)
		}
		for k, v := range w.fields {
			if got.Fields[k] != v {
				t.Errorf("record %d: %s = %q, want %q", i, k, got.Fields[k], v)
			}
		}
	}
}

func TestReadCSV(t *testing.T) {
	plain := csvOf(header1,
		"l1,Espace numérique,Saint-Quentin,02100,1 rue de la Sellerie,49.8467,3.2876,2024-01-02",
		"l2,Médiathèque,Lille,59000,32 rue Édouard Delesalle,50.6333,3.0622,2024-01-03")
	rows := []wantRecord{
		{line: 2, fields: map[string]string{"id": "l1", "nom": "Espace numérique", "commune": "Saint-Quentin", "date_maj": "2024-01-02"}},
		{line: 3, fields: map[string]string{"id": "l2", "adresse": "32 rue Édouard Delesalle", "date_maj": "2024-01-03"}},
	}
	longText := strings.Repeat("Ateliers numériques pour tous, le mardi. ", 1<<20/41+1)

	for _, tc := range []struct {
		name      string
		in        []byte
		encoding  string
		delimiter string
		schema    string
		want      []wantRecord
	}{
		{name: "utf-8", in: []byte(plain), encoding: "utf-8", delimiter: ",", schema: "1.0.2", want: rows},
		{name: "utf-8 with BOM", in: append([]byte{0xEF, 0xBB, 0xBF}, plain...), encoding: "utf-8 (BOM)", delimiter: ",", schema: "1.0.2", want: rows},
		{name: "CRLF line endings", in: []byte(strings.ReplaceAll(plain, "\n", "\r\n")), encoding: "utf-8", delimiter: ",", schema: "1.0.2", want: rows},
		{name: "BOM and CRLF", in: append([]byte{0xEF, 0xBB, 0xBF}, strings.ReplaceAll(plain, "\n", "\r\n")...), encoding: "utf-8 (BOM)", delimiter: ",", schema: "1.0.2", want: rows},
		{
			name:     "windows-1252",
			in:       []byte("id;nom;commune;code_postal;adresse;date_maj\r\nl1;M\xe9diath\xe8que \x93Le Labo\x94;Saint-Quentin \xe9;02100;1 rue de la Sellerie;02/01/2024\r\n"),
			encoding: "windows-1252", delimiter: ";", schema: "1.0.2",
			want: []wantRecord{{line: 2, fields: map[string]string{"nom": "Médiathèque “Le Labo”", "commune": "Saint-Quentin é", "date_maj": "02/01/2024"}}},
		},
		{name: "utf-16le with BOM", in: utf16LE(strings.ReplaceAll(plain, "\n", "\r\n")), encoding: "utf-16", delimiter: ",", schema: "1.0.2", want: rows},
		{
			name: "semicolons as spreadsheets export them",
			in: []byte("\xEF\xBB\xBFid;nom;commune;code_postal;adresse;latitude;longitude;date_maj\r\n" +
				"l1;\"Espace « Cyber » ; salle 2\";Lille;59000;\"32, rue Édouard Delesalle\";50,6333;3,0622;02/05/2022\r\n"),
			encoding: "utf-8 (BOM)", delimiter: ";", schema: "1.0.2",
			want: []wantRecord{{line: 2, fields: map[string]string{
				"nom": "Espace « Cyber » ; salle 2", "adresse": "32, rue Édouard Delesalle", "latitude": "50,6333", "date_maj": "02/05/2022",
			}}},
		},
		{
			name:     "tabs",
			in:       []byte(strings.ReplaceAll(plain, ",", "\t")),
			encoding: "utf-8", delimiter: "\t", schema: "1.0.2", want: rows,
		},
		{
			name: "quoted fields with newlines and delimiters",
			in: []byte(csvOf("id,nom,commune,code_postal,adresse,presentation_detail,date_maj",
				`l1,"Espace, numérique",Lille,59000,"1 rue A","Ligne 1`,
				`ligne 2, avec ""guillemets""`,
				`ligne 3",2024-01-02`,
				`l2,Médiathèque,Lille,59000,"2 rue B","",2024-01-03`,
				`l3,"Maison`,
				`du projet",Lille,59000,"3 rue C",,2024-01-04`)),
			encoding: "utf-8", delimiter: ",", schema: "1.0.2",
			want: []wantRecord{
				{line: 2, fields: map[string]string{"nom": "Espace, numérique", "presentation_detail": "Ligne 1\nligne 2, avec \"guillemets\"\nligne 3", "date_maj": "2024-01-02"}},
				{line: 5, fields: map[string]string{"id": "l2", "date_maj": "2024-01-03"}},
				{line: 6, fields: map[string]string{"id": "l3", "nom": "Maison\ndu projet", "date_maj": "2024-01-04"}},
			},
		},
		{
			name: "quoted newlines with CRLF",
			in: []byte(strings.ReplaceAll(csvOf("id,nom,commune,code_postal,adresse,presentation_detail,date_maj",
				`l1,Espace,Lille,59000,"1 rue A","a`, `b`, `c",2024-01-02`,
				`l2,Médiathèque,Lille,59000,"2 rue B",,2024-01-03`), "\n", "\r\n")),
			encoding: "utf-8", delimiter: ",", schema: "1.0.2",
			want: []wantRecord{
				{line: 2, fields: map[string]string{"presentation_detail": "a\nb\nc"}},
				{line: 5, fields: map[string]string{"id": "l2"}},
			},
		},
		{
			name: "very long field",
			in: []byte(csvOf("id,nom,commune,code_postal,adresse,presentation_detail,date_maj",
				`l1,Espace,Lille,59000,1 rue A,"`+longText+`",2024-01-02`,
				`l2,Médiathèque,Lille,59000,2 rue B,,2024-01-03`)),
			encoding: "utf-8", delimiter: ",", schema: "1.0.2",
			want: []wantRecord{
				{line: 2, fields: map[string]string{"presentation_detail": longText}},
				{line: 3, fields: map[string]string{"id": "l2"}},
			},
		},
		{
			name: "too many and too few fields",
			in: []byte(csvOf(header1,
				"l1,Espace,Lille,59000,1 rue A,50.63,3.06,2024-01-02,en trop",
				"l2,Espace,Lille",
				"l3,Médiathèque,Lille,59000,2 rue B,50.63,3.06,2024-01-03")),
			encoding: "utf-8", delimiter: ",", schema: "1.0.2",
			want: []wantRecord{
				{line: 2, problem: true, fields: map[string]string{"id": "l1"}},
				{line: 3, problem: true, fields: map[string]string{"id": "l2"}},
				{line: 4, fields: map[string]string{"id": "l3"}},
			},
		},
		{
			name: "blank lines skipped",
			in: []byte(csvOf(header1, "",
				"l1,Espace,Lille,59000,1 rue A,50.63,3.06,2024-01-02",
				"", "   ", "",
				"l2,Médiathèque,Lille,59000,2 rue B,50.63,3.06,2024-01-03", "")),
			encoding: "utf-8", delimiter: ",", schema: "1.0.2",
			want: []wantRecord{
				{line: 3, fields: map[string]string{"id": "l1"}},
				{line: 7, fields: map[string]string{"id": "l2"}},
			},
		},
		{
			name: "unterminated quote at end of file",
			in: []byte(csvOf(header1,
				"l1,Espace,Lille,59000,1 rue A,50.63,3.06,2024-01-02",
				`l2,"Médiathèque,Lille,59000,2 rue B,50.63,3.06,2024-01-03`)),
			encoding: "utf-8", delimiter: ",", schema: "1.0.2",
			want: []wantRecord{
				{line: 2, fields: map[string]string{"id": "l1"}},
				{line: 3, problem: true},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Read("lieux.csv", bytes.NewReader(tc.in))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if src.Name != "lieux.csv" || src.Format != "csv" || src.Encoding != tc.encoding || src.Delimiter != tc.delimiter || src.Schema != tc.schema {
				t.Errorf("source = %q %q %q %q %q, want lieux.csv csv %q %q %q",
					src.Name, src.Format, src.Encoding, src.Delimiter, src.Schema, tc.encoding, tc.delimiter, tc.schema)
			}
			if src.Columns[0] != "id" {
				t.Errorf("first column %q, want id", src.Columns[0])
			}
			checkRecords(t, src, tc.want)
		})
	}
}

func TestReadHeader(t *testing.T) {
	for _, tc := range []struct {
		name    string
		header  string
		row     string
		schema  string
		columns []string
		fields  map[string]string
		ignored []string
	}{
		{
			name:    "v1.0.2 columns",
			header:  strings.Join(Columns, ","),
			row:     "l1,21590350100017,Espace,Lille,59000,59350,1 rue A,,50.63,3.06" + strings.Repeat(",", 11) + "2024-01-02" + strings.Repeat(",", 11),
			schema:  "1.0.2",
			columns: Columns,
			fields:  map[string]string{"id": "l1", "pivot": "21590350100017", "code_insee": "59350", "date_maj": "2024-01-02"},
		},
		{
			name:    "v0.1 aliases",
			header:  "ID;Nom;Commune;Code postal;Adresse;Courriel;Accessibilité;Conditions_access;Date_mise_a_jour;Lat;Lng",
			row:     "l1;Espace;Lille;59000;1 rue A;a@b.fr;https://acceslibre.beta.gouv.fr/x;Gratuit : Je peux accéder gratuitement au lieu;2022-05-02;50.63;3.06",
			schema:  "0.1",
			columns: []string{"id", "nom", "commune", "code_postal", "adresse", "courriels", "fiche_acces_libre", "conditions_acces", "date_maj", "latitude", "longitude"},
			fields: map[string]string{
				"courriels": "a@b.fr", "fiche_acces_libre": "https://acceslibre.beta.gouv.fr/x",
				"conditions_acces": "Gratuit : Je peux accéder gratuitement au lieu", "date_maj": "2022-05-02",
				"latitude": "50.63", "longitude": "3.06",
			},
		},
		{
			name:    "v0.1 by its own columns",
			header:  "id,nom,commune,code_postal,adresse,publics_accueillis,labels_nationaux,date_maj",
			row:     "l1,Espace,Lille,59000,1 rue A,Jeunes (16-26 ans);Seniors (+ 65 ans),CNFS;France Services,2022-05-02",
			schema:  "0.1",
			columns: []string{"id", "nom", "commune", "code_postal", "adresse", "publics_accueillis", "labels_nationaux", "date_maj"},
			fields:  map[string]string{"publics_accueillis": "Jeunes (16-26 ans);Seniors (+ 65 ans)", "labels_nationaux": "CNFS;France Services"},
		},
		{
			name:    "quoted and spaced header cells, unknown columns ignored",
			header:  `"id", "nom" ,"Code_Postal","commune","adresse","Remarques internes","date_maj"`,
			row:     "l1,Espace,59000,Lille,1 rue A,à rappeler,2024-01-02",
			schema:  "1.0.2",
			columns: []string{"id", "nom", "code_postal", "commune", "adresse", "remarques_internes", "date_maj"},
			fields:  map[string]string{"code_postal": "59000", "commune": "Lille"},
			ignored: []string{"Remarques internes"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Read("lieux.csv", strings.NewReader(csvOf(tc.header, tc.row)))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if src.Schema != tc.schema {
				t.Errorf("schema %q, want %q", src.Schema, tc.schema)
			}
			if !slices.Equal(src.Columns, tc.columns) {
				t.Errorf("columns %q\nwant %q", src.Columns, tc.columns)
			}
			if !slices.Equal(src.Ignored, tc.ignored) {
				t.Errorf("ignored %q, want %q", src.Ignored, tc.ignored)
			}
			checkRecords(t, src, []wantRecord{{line: 2, fields: tc.fields}})
			if _, ok := src.Records[0].Fields["remarques_internes"]; ok {
				t.Errorf("an ignored column is in the fields")
			}
		})
	}
}

func TestReadJSON(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     string
		schema string
		want   []wantRecord
	}{
		{
			name: "array of v0.1 places",
			in: `[
 {"id": "a1", "nom": "ESCALE", "commune": "AUBY", "code_postal": "59950", "adresse": "place de la république",
  "latitude": 50.414308, "longitude": 3.053973, "conditions_access": "Gratuit : Je peux accéder gratuitement au lieu et à ses services",
  "labels_nationaux": "CNFS", "date_maj": "2022-05-02"},
 {"id": "a2", "nom": "Municipalité d'Annay", "commune": "ANNAY", "code_postal": "62880", "adresse": "PL ROGER SALENGRO", "date_maj": "2022-05-10"}
]`,
			schema: "0.1",
			want: []wantRecord{
				{line: 2, fields: map[string]string{"id": "a1", "latitude": "50.414308", "longitude": "3.053973", "conditions_acces": "Gratuit : Je peux accéder gratuitement au lieu et à ses services", "labels_nationaux": "CNFS"}},
				{line: 5, fields: map[string]string{"id": "a2", "adresse": "PL ROGER SALENGRO", "latitude": ""}},
			},
		},
		{
			name: "GeoJSON FeatureCollection with Point geometry",
			in: `{"type": "FeatureCollection", "name": "lieux",
"features": [
{"type": "Feature", "id": "f1", "geometry": {"type": "Point", "coordinates": [3.0622, 50.6333]},
 "properties": {"nom": "Médiathèque", "commune": "Lille", "code_postal": "59000", "adresse": "1 rue A", "date_maj": "2024-01-02"}},
{"type": "Feature", "geometry": null,
 "properties": {"id": "f2", "nom": "Espace", "commune": "Lille", "code_postal": "59000", "adresse": "2 rue B", "date_maj": "2024-01-03"}}
]}`,
			schema: "1.0.2",
			want: []wantRecord{
				{line: 3, fields: map[string]string{"id": "f1", "nom": "Médiathèque", "latitude": "50.6333", "longitude": "3.0622"}},
				{line: 5, fields: map[string]string{"id": "f2", "latitude": "", "longitude": ""}},
			},
		},
		{
			name: "data array with numbers, null, booleans, arrays and objects",
			in: `{"meta": {"v": 1}, "data": [{"id": 17, "nom": "Espace", "commune": "Lille", "code_postal": 2100, "adresse": "1 rue A",
"latitude": 50.6333, "longitude": 3.0622, "telephone": null, "services": ["Aide aux démarches administratives", null, "Loisirs et créations numériques"],
"courriel": ["a@b.fr", "c@d.fr"], "itinerance": true, "horaires": {"lundi": "9h"}, "date_maj": "2024-01-02"}]}`,
			schema: "0.1",
			want: []wantRecord{{line: 1, fields: map[string]string{
				"id": "17", "code_postal": "2100", "latitude": "50.6333", "telephone": "",
				"services":  "Aide aux démarches administratives|Loisirs et créations numériques",
				"courriels": "a@b.fr|c@d.fr", "itinerance": "true", "horaires": "",
			}}},
		},
		{
			name: "element that is not an object",
			in: `[
 "Médiathèque",
 {"id": "a1", "nom": "Espace", "commune": "Lille", "code_postal": "59000", "adresse": "1 rue A", "date_maj": "2024-01-02"},
 42
]`,
			schema: "1.0.2",
			want: []wantRecord{
				{line: 2, problem: true},
				{line: 3, fields: map[string]string{"id": "a1"}},
				{line: 4, problem: true},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Read("lieux.json", strings.NewReader(tc.in))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if src.Format != "json" || src.Schema != tc.schema || src.Delimiter != "" {
				t.Errorf("format %q schema %q delimiter %q, want json %q and no delimiter", src.Format, src.Schema, src.Delimiter, tc.schema)
			}
			checkRecords(t, src, tc.want)
		})
	}
}

func TestReadUnreadable(t *testing.T) {
	lineNum := regexp.MustCompile(`ligne (\d+)`)
	for _, tc := range []struct {
		name string
		in   []byte
		// lines, when set, bounds the line the error must mention: from
		// the start of the element holding the error to the error itself.
		lines [2]int
	}{
		{name: "empty", in: nil},
		{name: "whitespace only", in: []byte(" \r\n\t\n  \n")},
		{name: "BOM only", in: []byte{0xEF, 0xBB, 0xBF}},
		{name: "UTF-16 BOM only", in: []byte{0xFF, 0xFE}},
		{name: "header only", in: []byte(header1 + "\n")},
		{name: "header only, CRLF and blank lines", in: []byte(header1 + "\r\n\r\n\r\n")},
		{name: "header without the standard's columns", in: []byte("a,b,c\n1,2,3\n")},
		{name: "spreadsheet of something else", in: []byte("nom;prénom;téléphone\nDupont;Jean;0320000000\n")},
		{name: "broken JSON", in: []byte("[\n {\"id\": \"a1\",\n  \"nom\": }\n]"), lines: [2]int{2, 3}},
		{
			// Not line 2, the valid element before the broken one (the
			// decoder's offset before the separating comma).
			name:  "broken JSON after a good element",
			in:    []byte("[\n {\"id\": \"a1\", \"nom\": \"Espace\", \"adresse\": \"1 rue A\", \"commune\": \"Lille\"},\n {\"id\": \"a2\", \"nom\" \"Espace\"}\n]"),
			lines: [2]int{3, 3},
		},
		{name: "JSON object without features", in: []byte(`{"type": "FeatureCollection", "name": "lieux"}`)},
		{name: "JSON features not an array", in: []byte(`{"type": "FeatureCollection", "features": {"a": 1}}`)},
		{name: "empty JSON array", in: []byte(`[]`)},
		{name: "JSON array of non-objects", in: []byte(`[1, "a", null]`)},
		{name: "JSON array without the standard's keys", in: []byte(`[{"a": 1, "b": 2}]`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Read("lieux", bytes.NewReader(tc.in))
			if err == nil {
				t.Fatalf("Read succeeded with %d records, want an error", len(src.Records))
			}
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("error %v does not wrap ErrUnreadable", err)
			}
			if !strings.Contains(err.Error(), "lieux") {
				t.Errorf("error %q does not name the file", err)
			}
			if tc.lines[0] > 0 {
				m := lineNum.FindStringSubmatch(err.Error())
				if m == nil {
					t.Fatalf("error %q mentions no line", err)
				}
				if n, _ := strconv.Atoi(m[1]); n < tc.lines[0] || n > tc.lines[1] {
					t.Errorf("error %q: line %d, want between %d and %d", err, n, tc.lines[0], tc.lines[1])
				}
			}
		})
	}
}

// TestReadTruncatedJSON: a JSON file cut right after an element (a
// download interrupted between two places) is broken JSON, and Read must
// not take it for the whole file.
func TestReadTruncatedJSON(t *testing.T) {
	in := "[\n {\"id\": \"a1\", \"nom\": \"Espace\", \"adresse\": \"1 rue A\", \"commune\": \"Lille\", \"date_maj\": \"2024-01-02\"},\n" +
		" {\"id\": \"a2\", \"nom\": \"Médiathèque\", \"adresse\": \"2 rue B\", \"commune\": \"Lille\", \"date_maj\": \"2024-01-02\"}\n"
	for _, tc := range []struct{ name, in string }{
		{name: "closing bracket missing", in: in},
		{name: "cut after a comma", in: strings.TrimSuffix(in, "\n") + ",\n"},
		{name: "features array not closed", in: `{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "a1", "nom": "Espace", "adresse": "1 rue A", "commune": "Lille"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Read("lieux.json", strings.NewReader(tc.in))
			if err == nil {
				t.Fatalf("truncated JSON (no closing ]) is accepted as complete: %d records, no error", len(src.Records))
			}
			if !errors.Is(err, ErrUnreadable) {
				t.Errorf("error %v does not wrap ErrUnreadable", err)
			}
		})
	}
}

func TestReadReaderError(t *testing.T) {
	boom := errors.New("disque débranché")
	_, err := Read("lieux.csv", iotest.ErrReader(boom))
	if !errors.Is(err, boom) {
		t.Fatalf("Read error %v does not wrap the reader's error", err)
	}
	if errors.Is(err, ErrUnreadable) {
		t.Errorf("an I/O error is not an unreadable file: %v", err)
	}
}

// TestReadLineNumbers checks the line of every row of a file mixing quoted
// multi-line fields, CRLF and blank lines against a count made by hand.
func TestReadLineNumbers(t *testing.T) {
	var b strings.Builder
	b.WriteString(header1 + "\r\n")
	line := 2
	var want []wantRecord
	for i := range 30 {
		id := fmt.Sprintf("l%d", i)
		want = append(want, wantRecord{line: line, fields: map[string]string{"id": id}})
		extra := i % 4 // newlines inside the quoted name
		name := "Espace" + strings.Repeat("\r\nsuite", extra)
		fmt.Fprintf(&b, "%s,\"%s\",Lille,59000,1 rue A,50.63,3.06,2024-01-02\r\n", id, name)
		line += 1 + extra
		if i%5 == 0 {
			b.WriteString("\r\n")
			line++
		}
	}
	src, err := Read("lieux.csv", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	checkRecords(t, src, want)
}

// TestReadEmptySpreadsheetRows: spreadsheet software exports the empty rows
// under a table as delimiters only (";;;;;;;"). They hold no data and are
// blank lines for the reader, not places without an id.
func TestReadEmptySpreadsheetRows(t *testing.T) {
	in := "id;nom;commune;code_postal;adresse;latitude;longitude;date_maj\r\n" +
		"l1;Espace;Lille;59000;1 rue A;50,63;3,06;02/01/2024\r\n" +
		";;;;;;;\r\n" +
		" ; ;;;;;;\r\n"
	src, err := Read("lieux.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Records) != 1 {
		t.Fatalf("rows made only of delimiters are read as %d records (want 1): they are then rejected as places without an id instead of being skipped as blank lines", len(src.Records))
	}
	checkRecords(t, src, []wantRecord{{line: 2, fields: map[string]string{"id": "l1"}}})
}

// TestReadJSONAliasesDeterministic: when an object holds a column under two
// names (the v1 name and a v0.1 alias), reading it twice must give the same
// record.
func TestReadJSONAliasesDeterministic(t *testing.T) {
	in := `[{"id": "a1", "nom": "Espace", "commune": "Lille", "adresse": "1 rue A", "date_maj": "2024-01-02",
"courriels": "nouveau@lille.fr", "courriel": "ancien@lille.fr", "latitude": 50.6333, "lat": 50.6334}]`
	seen := map[string]bool{}
	for range 200 {
		src, err := Read("lieux.json", strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		f := src.Records[0].Fields
		seen[f["courriels"]+" "+f["latitude"]] = true
	}
	if len(seen) > 1 {
		var got []string
		for k := range seen {
			got = append(got, k)
		}
		slices.Sort(got)
		t.Errorf("the value kept for a column given under two names depends on Go's map order: reading the same file gave %q", got)
	}
}

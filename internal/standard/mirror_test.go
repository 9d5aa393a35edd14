package standard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/territory"
	"github.com/cartonum/cartonum/internal/testmirror"
)

func readMirror(tb testing.TB, dir, name string) *Source {
	tb.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	src, err := Read(name, f)
	if err != nil {
		tb.Fatalf("Read %s: %v", name, err)
	}
	return src
}

// regionTerritory is the real territory of Hauts-de-France from the mirror.
func regionTerritory(tb testing.TB, dir string) Territory {
	tb.Helper()
	f, err := os.Open(filepath.Join(dir, "communes-32.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	communes, err := territory.ReadCommunes(f)
	if err != nil {
		tb.Fatal(err)
	}
	return index.New(index.Data{Communes: communes})
}

func TestMirrorRead(t *testing.T) {
	dir := mirrorDir(t)
	for _, tc := range []struct {
		file, format, schema string
		rows                 int
	}{
		{file: "lieux-32-v1.csv", format: "csv", schema: "1.0.2", rows: 680},
		{file: "lieux-32-v0.json", format: "json", schema: "0.1", rows: 680},
		{file: "lieux-france-v1.csv", format: "csv", schema: "1.0.2", rows: 8741},
		{file: "exemple-valide-1.0.2.csv", format: "csv", schema: "1.0.2", rows: 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			src := readMirror(t, dir, tc.file)
			if src.Format != tc.format || src.Schema != tc.schema || len(src.Records) != tc.rows {
				t.Errorf("%s schema %s, %d records; want %s schema %s, %d", src.Format, src.Schema, len(src.Records), tc.format, tc.schema, tc.rows)
			}
			prev := 0
			for _, rec := range src.Records {
				if rec.Problem != "" || rec.Line <= prev || rec.Fields["id"] == "" {
					t.Errorf("line %d (after %d): problem %q, id %q", rec.Line, prev, rec.Problem, rec.Fields["id"])
				}
				prev = rec.Line
			}
		})
	}
}

// TestMirrorV0MatchesV1: the mirror's v0.1 JSON holds the same places as
// its v1.0.2 CSV; normalised, both must give the same standard fields.
func TestMirrorV0MatchesV1(t *testing.T) {
	dir := mirrorDir(t)
	terr := regionTerritory(t, dir)
	norm := func(src *Source) map[string]cartonum.Place {
		out := map[string]cartonum.Place{}
		for _, rec := range src.Records {
			p, rej := Normalize(rec, terr, Options{Region: "32"})
			if rej != nil {
				t.Errorf("%s:%d rejected: %+v", src.Name, rec.Line, rej)
				continue
			}
			out[p.ID+" "+p.Source] = p
		}
		return out
	}
	v1 := norm(readMirror(t, dir, "lieux-32-v1.csv"))
	v0 := norm(readMirror(t, dir, "lieux-32-v0.json"))
	if len(v1) != len(v0) {
		t.Errorf("%d places from v1, %d from v0", len(v1), len(v0))
	}
	crlf := 0
	for k, p := range v1 {
		q, ok := v0[k]
		if !ok {
			t.Errorf("%s only in v1", k)
			continue
		}
		a, b := Row(&p), Row(&q)
		for j, c := range Columns {
			if c == "presentation_detail" && a[j] != b[j] && a[j] == strings.ReplaceAll(b[j], "\r\n", "\n") {
				crlf++ // see TestExportRoundTripLineBreaks
				continue
			}
			if a[j] != b[j] {
				t.Errorf("%s %s: v1 gives %q, v0 %q", k, c, a[j], b[j])
			}
		}
	}
	if crlf > 0 {
		t.Logf("%d places keep CRLF line breaks in presentation_detail from the v0.1 JSON", crlf)
	}
}

// TestMirrorImport imports the region's places from both schema versions:
// every row accounted for, no rejection, the same import again changes
// nothing, and the export reads back to the same places.
func TestMirrorImport(t *testing.T) {
	dir := mirrorDir(t)
	terr := regionTerritory(t, dir)
	sources := []*Source{readMirror(t, dir, "lieux-32-v1.csv"), readMirror(t, dir, "lieux-32-v0.json")}
	first, err := Import(nil, sources, terr, Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	checkAccounting(t, first.Report, sources)
	if c := first.Report.Totals; c.Rejected != 0 || c.Merged < 680 || c.Imported != first.Report.Places.Created {
		t.Errorf("totals %+v, places %+v", c, first.Report.Places)
	}
	second, err := Import(clonePlaces(t, first.Upserts), sources, terr, Options{Region: "32"})
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Upserts) != 0 || second.Report.Places.Unchanged != len(first.Upserts) {
		t.Errorf("second import: %d upserts, places %+v", len(second.Upserts), second.Report.Places)
	}
	roundTrip(t, first.Upserts, terr, Options{Region: "32"})
}

// mirrorDir returns the data mirror directory.
func mirrorDir(tb testing.TB) string {
	tb.Helper()
	return testmirror.Dir(tb)
}

package httpapi

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/sqlite"
)

func fixedClock(t *testing.T) {
	old := exportClock
	exportClock = func() time.Time { return time.Date(2026, 4, 7, 10, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { exportClock = old })
}

// outsidePlace is a place of a neighbouring region, lon degrees east.
func withOutsidePlace(d index.Data, lon float64) index.Data {
	d.Places = append(d.Places, cartonum.Place{ID: "voisin-1", Nom: "Lieu voisin", Commune: "Ailleurs", CodeInsee: "60001",
		CodePostal: "60000", Adresse: "1 rue", Longitude: lon, Latitude: 49.90, DateMaj: "2024-01-01",
		Services:   []string{"Aide aux démarches administratives"},
		Provenance: cartonum.Provenance{SourceIDs: []string{"voisin-1"}, Precision: cartonum.PrecisionExact, OutsideRegion: true}})
	return d
}

func serverOf(t *testing.T, d index.Data) string {
	s := New(liveOf(t, d), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs.URL
}

func get(t *testing.T, u string) (string, string, []byte) {
	t.Helper()
	resp, body := do(t, "GET", u, nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, body)
	}
	return resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), body
}

// TestExportFormats: every download is an attachment with a name saying
// what it holds; the spreadsheet CSV has a BOM, ";" and decimal commas;
// the .xlsx opens with its table and its Paramètres sheet.
func TestExportFormats(t *testing.T) {
	fixedClock(t)
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	cases := []struct {
		path, disposition string
	}{
		{"/api/indicators?level=epci&format=csv", `attachment; filename="indicateurs-epci-20min-45kmh-detour1.3-2026-04-07.csv"`},
		{"/api/indicators?level=commune&format=csv-excel&threshold_min=15&dispositifs=France+Services", `attachment; filename="indicateurs-commune-15min-45kmh-detour1.3-france-services-2026-04-07-excel.csv"`},
		{"/api/indicators?level=epci&format=xlsx", `attachment; filename="indicateurs-epci-20min-45kmh-detour1.3-2026-04-07.xlsx"`},
		{"/api/indicators?level=departement&format=geojson", `attachment; filename="indicateurs-departement-20min-45kmh-detour1.3-2026-04-07.geojson"`},
		{"/api/whitezones?threshold_min=2", `attachment; filename="zones-blanches-2min-45kmh-detour1.3-2026-04-07.geojson"`},
		{"/api/whitezones?threshold_min=2&format=xlsx", `attachment; filename="zones-blanches-2min-45kmh-detour1.3-2026-04-07.xlsx"`},
		{"/api/whitezones?threshold_min=2&format=csv-excel", `attachment; filename="zones-blanches-2min-45kmh-detour1.3-2026-04-07-excel.csv"`},
		{"/api/export/sites.csv", `attachment; filename="`},
	}
	for _, c := range cases {
		_, disp, _ := get(t, ts.URL+c.path)
		if !strings.HasPrefix(disp, c.disposition) {
			t.Errorf("%s: Content-Disposition %q, want %q", c.path, disp, c.disposition)
		}
	}

	// Spreadsheet CSV.
	typ, _, body := get(t, ts.URL+"/api/indicators?level=epci&format=csv-excel&circuity=1.25")
	if typ != "text/csv; charset=utf-8" || !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("type %q, start % x", typ, body[:min(8, len(body))])
	}
	r := csv.NewReader(bytes.NewReader(body[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("%v %v", recs, err)
	}
	col := map[string]int{}
	for i, c := range recs[0] {
		col[c] = i
	}
	if v := recs[1][col["detour"]]; v != "1,25" {
		t.Errorf("detour %q, want 1,25", v)
	}
	if v := recs[1][col["temps_moyen_min"]]; !regexp.MustCompile(`^\d+,\d+$`).MatchString(v) {
		t.Errorf("temps_moyen_min %q: want a decimal comma", v)
	}

	// Workbook.
	typ, _, body = get(t, ts.URL+"/api/indicators?level=commune&format=xlsx&threshold_min=12")
	if typ != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("type %q", typ)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Indicateurs" || got[1] != "Paramètres" {
		t.Fatalf("sheets %q", got)
	}
	rows, _ := f.GetRows("Indicateurs")
	if len(rows) != 3 || rows[0][1] != "code" {
		t.Fatalf("rows %q", rows)
	}
	names := map[string]bool{rows[1][2]: true, rows[2][2]: true}
	if !names["Amiens"] || !names["Abbeville"] {
		t.Errorf("names %v", names)
	}
	params, _ := f.GetRows("Paramètres")
	found := map[string]string{}
	for _, r := range params {
		if len(r) == 2 {
			found[r[0]] = r[1]
		}
	}
	if found["Seuil de la zone blanche (minutes)"] != "12" || found["Niveau"] != "commune" || found["Version des données"] != "1" ||
		found["Date de l'export"] == "" {
		t.Errorf("parameters %q", found)
	}

	// White zones as a table.
	_, _, body = get(t, ts.URL+"/api/whitezones?threshold_min=2&format=csv")
	recs, err = csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(recs) < 2 || recs[0][0] != "cellule" || recs[0][7] != "incertaine" {
		t.Fatalf("white zones CSV %v %v", recs[:min(2, len(recs))], err)
	}

	// A saved scenario as a download.
	resp, b := postScenarioJSON(t, ts, nil, strings.NewReader(`{"store":true,"title":"Test","add":[{"lon":2.27,"lat":49.87}],"params":{"threshold_min":2}}`))
	if resp.StatusCode != 201 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var sc ScenarioSummary
	_ = json.Unmarshal(b, &sc)
	_, disp, body := get(t, fmt.Sprintf("%s/api/scenarios/%d?format=xlsx", ts.URL, sc.ID))
	if want := fmt.Sprintf(`attachment; filename="scenario-%d-2min-45kmh-detour1.3-2026-04-07.xlsx"`, sc.ID); disp != want {
		t.Errorf("scenario download %q, want %q", disp, want)
	}
	sf, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	srows, _ := sf.GetRows("Écarts")
	if len(srows) < 3 || srows[1][0] != "region" {
		t.Errorf("scenario rows %q", srows)
	}
	if v, _ := sf.GetCellValue("Paramètres", "B4"); v != "1" {
		t.Errorf("added places %q", v)
	}
	if _, disp, _ := get(t, fmt.Sprintf("%s/api/scenarios/%d", ts.URL, sc.ID)); disp != "" {
		t.Errorf("the scenario's JSON is an attachment: %q", disp)
	}
}

func whiteZonesOf(t *testing.T, u string) (*geojson.FeatureCollection, supplyEdge, float64) {
	t.Helper()
	_, _, body := get(t, u)
	fc, err := geojson.UnmarshalFeatureCollection(body)
	if err != nil {
		t.Fatal(err)
	}
	var extra struct {
		Edge       supplyEdge `json:"edge"`
		Population float64    `json:"population"`
	}
	_ = json.Unmarshal(body, &extra)
	return fc, extra.Edge, extra.Population
}

// TestRegionEdge: without places beyond the region, the white cells within
// reach of its edge are uncertain; with neighbouring places kept farther
// than the reach, none is. The indicators say how many such places count.
func TestRegionEdge(t *testing.T) {
	bare := serverOf(t, fixtureData())
	fc, edge, _ := whiteZonesOf(t, bare+"/api/whitezones?threshold_min=4")
	if edge.PlacesOutside != 0 || edge.MarginKm != 0 || edge.UncertainWithinKm != edge.ReachKm || math.Abs(edge.ReachKm-2.3) > 0.05 {
		t.Errorf("edge without neighbours %+v", edge)
	}
	uncertain := 0
	for _, f := range fc.Features {
		if f.Properties["incertain"] == true {
			uncertain++
		}
	}
	if len(fc.Features) == 0 || uncertain == 0 {
		t.Fatalf("%d white cells, %d uncertain: want some uncertain", len(fc.Features), uncertain)
	}
	// A cell 5 km inside the region, farther than the reach from its edge,
	// is never uncertain: the fixture is 14 × 11 km, so at most the cells
	// near the centre; every uncertain one is within reach of the edge.
	for _, f := range fc.Features {
		c := f.Geometry.Bound().Center()
		toEdge := math.Min(math.Min(c[0]-2.25, 2.45-c[0])*71.7, math.Min(c[1]-49.85, 49.95-c[1])*111.3)
		if f.Properties["incertain"] == true && toEdge > edge.UncertainWithinKm+1.5 {
			t.Errorf("cell %v is %.1f km from the edge but uncertain", c, toEdge)
		}
		if f.Properties["incertain"] != true && toEdge < edge.UncertainWithinKm-1.5 {
			t.Errorf("cell %v is %.1f km from the edge but certain", c, toEdge)
		}
	}

	// A neighbouring place 20 km east of the region: the supply is known
	// 20 km beyond, farther than the 2.3 km reach.
	near := serverOf(t, withOutsidePlace(fixtureData(), 2.45+20/71.7))
	fc, edge, _ = whiteZonesOf(t, near+"/api/whitezones?threshold_min=4")
	if edge.PlacesOutside != 1 || math.Abs(edge.MarginKm-20) > 0.5 || edge.UncertainWithinKm != 0 {
		t.Errorf("edge with a neighbour %+v", edge)
	}
	for _, f := range fc.Features {
		if f.Properties["incertain"] == true {
			t.Fatalf("uncertain cell %v with the supply known 20 km beyond", f.Geometry.Bound().Center())
		}
	}
	var ind struct {
		Edge supplyEdge `json:"edge"`
	}
	_, _, body := get(t, near+"/api/indicators?level=region")
	_ = json.Unmarshal(body, &ind)
	if ind.Edge.PlacesOutside != 1 || ind.Edge.MarginKm < 19.5 {
		t.Errorf("indicators edge %+v", ind.Edge)
	}
	// A filter that the neighbouring place does not pass.
	_, _, body = get(t, near+"/api/indicators?level=region&dispositifs=France+Services")
	_ = json.Unmarshal(body, &ind)
	if ind.Edge.PlacesOutside != 0 {
		t.Errorf("France Services only: %d places outside counted", ind.Edge.PlacesOutside)
	}
}

// TestScenarioMapChanges: a scenario answers the changes of the EPCI and
// of the white-zone cells; applied to the white zones before, they give
// the population beyond the threshold after.
func TestScenarioMapChanges(t *testing.T) {
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	before, _, pop := whiteZonesOf(t, ts.URL+"/api/whitezones?threshold_min=3")
	resp, b := postScenarioJSON(t, ts, nil, strings.NewReader(`{"add":[{"lon":2.27,"lat":49.87}],"remove":["lieu-3"],"params":{"threshold_min":3}}`))
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var sc ScenarioSummary
	if err := json.Unmarshal(b, &sc); err != nil {
		t.Fatal(err)
	}
	if len(sc.EPCIDeltas) != 1 || sc.EPCIDeltas[0].Code != "248000531" || len(sc.DepartementDeltas) != 1 {
		t.Fatalf("EPCI %+v, départements %+v", sc.EPCIDeltas, sc.DepartementDeltas)
	}
	if d := sc.EPCIDeltas[0].BeyondPopulation; math.Abs(d-sc.Total.BeyondPopulation) > 0.01 {
		t.Errorf("the one EPCI changes by %g, the region by %g", d, sc.Total.BeyondPopulation)
	}
	wz := sc.WhiteZones
	if wz == nil || len(wz.Remove) == 0 || len(wz.Add) == 0 {
		t.Fatalf("white-zone changes %+v", wz)
	}
	if wz.PopulationBefore != math.Round(pop) {
		t.Errorf("population before %g, white zones %g", wz.PopulationBefore, pop)
	}
	cells := map[string]float64{}
	for _, f := range before.Features {
		cells[fmt.Sprint(f.ID)] = f.Properties["population"].(float64)
	}
	for _, id := range wz.Remove {
		if _, ok := cells[id]; !ok {
			t.Errorf("removed cell %s was not white", id)
		}
		delete(cells, id)
	}
	for _, f := range wz.Add {
		cells[fmt.Sprint(f.ID)] = f.Properties["population"].(float64)
	}
	var after float64
	for _, p := range cells {
		after += p
	}
	if math.Abs(after-wz.PopulationAfter) > 0.5*float64(len(cells))/10+1 {
		t.Errorf("cells after hold %g people, answer %g", after, wz.PopulationAfter)
	}
	if math.Abs(wz.PopulationAfter-sc.After.BeyondPopulation) > 1 {
		t.Errorf("white zones after %g, region beyond after %g", wz.PopulationAfter, sc.After.BeyondPopulation)
	}
	// Stored scenarios keep the changes of territories, not the cells.
	resp, b = postScenarioJSON(t, ts, nil, strings.NewReader(`{"store":true,"add":[{"lon":2.27,"lat":49.87}],"params":{"threshold_min":3}}`))
	if resp.StatusCode != 201 {
		t.Fatalf("stored scenario: status %d: %s", resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, &sc); err != nil {
		t.Fatal(err)
	}
	_, _, b = get(t, fmt.Sprintf("%s/api/scenarios/%d", ts.URL, sc.ID))
	if strings.Contains(string(b), `"whitezones"`) || !strings.Contains(string(b), `"epci_deltas"`) {
		t.Errorf("stored scenario %s", b)
	}
}

package standard

import (
	"strings"
	"testing"
)

// TestIDConflicts: rows sharing an id are one place only when they are the
// same record (updated in place) or duplicates; otherwise both places are
// kept, the later under a derived id that is the same at every import,
// whatever the order of the rows.
func TestIDConflicts(t *testing.T) {
	header := "id,nom,commune,code_postal,code_insee,adresse,latitude,longitude,telephone,date_maj\n"
	lilleRow := "x1,Médiathèque Jean Lévy,Lille,59000,59350,32 rue Édouard Delesalle,50.6333,3.0622,,2024-03-01\n"
	for _, tc := range []struct {
		name      string
		rows      []string
		places    int
		conflicts int
		merged    int
	}{
		{name: "same id, other place tens of km away", places: 2, conflicts: 1, rows: []string{lilleRow,
			"x1,Foyer rural,Laventie,62840,62491,9 rue du Moulin,50.6200,2.7800,,2024-03-01\n"}},
		{name: "same id, other name in the same commune and other address", places: 2, conflicts: 1, rows: []string{lilleRow,
			"x1,Centre social Fives,Lille,59000,59350,40 rue de Lannoy,50.6200,3.0800,,2024-03-01\n"}},
		{name: "same id, record updated in place (new phone, moved 300 m)", places: 1, merged: 1, rows: []string{lilleRow,
			"x1,Médiathèque Jean Lévy,Lille,59000,59350,32 rue Édouard Delesalle,50.6360,3.0622,+33320000000,2024-06-01\n"}},
		{name: "same id, renamed at the same address", places: 1, merged: 1, rows: []string{lilleRow,
			"x1,Médiathèque municipale,Lille,59000,59350,32 rue Édouard Delesalle,50.6333,3.0622,,2024-06-01\n"}},
		{name: "same id, similar name, moved 1.5 km in the same commune", places: 1, merged: 1, rows: []string{lilleRow,
			"x1,Médiathèque Jean Lévy,Lille,59000,59350,10 rue Solférino,50.6250,3.0500,,2024-06-01\n"}},
		{name: "three places under one id", places: 3, conflicts: 2, rows: []string{lilleRow,
			"x1,Foyer rural,Laventie,62840,62491,9 rue du Moulin,50.6200,2.7800,,2024-03-01\n",
			"x1,CCAS de Roubaix,Roubaix,59100,59512,17 Grand'Place,50.6900,3.1800,,2024-03-01\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			terr := newFakeTerritory()
			read := func(rows []string) *Source {
				src, err := Read("ids.csv", strings.NewReader(header+strings.Join(rows, "")))
				if err != nil {
					t.Fatal(err)
				}
				return src
			}
			src := read(tc.rows)
			res, err := Import(nil, []*Source{src}, terr, Options{Region: "32"})
			if err != nil {
				t.Fatal(err)
			}
			checkAccounting(t, res.Report, []*Source{src})
			c := res.Report.Totals
			if res.Report.Places.Total != tc.places || c.Conflicts != tc.conflicts || c.Merged != tc.merged || len(res.Report.Conflicts) != tc.conflicts {
				t.Fatalf("places %d, totals %+v, conflicts %+v; want %d places, %d conflicts, %d merged", res.Report.Places.Total, c, res.Report.Conflicts, tc.places, tc.conflicts, tc.merged)
			}
			ids := map[string]bool{}
			for _, p := range res.Upserts {
				ids[p.ID] = true
			}
			for _, cf := range res.Report.Conflicts {
				if cf.ID != "x1" || cf.PlaceID != "x1" || !strings.HasPrefix(cf.DerivedID, "x1-") || !ids[cf.DerivedID] || cf.Reason == "" {
					t.Errorf("conflict %+v", cf)
				}
			}
			// Again, rows reversed, over the stored places: nothing changes.
			rev := append([]string(nil), tc.rows...)
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			again, err := Import(clonePlaces(t, res.Upserts), []*Source{read(rev)}, terr, Options{Region: "32"})
			if err != nil {
				t.Fatal(err)
			}
			if again.Report.Places.Total != tc.places || again.Report.Places.Created != 0 {
				t.Errorf("re-import in reverse order: places %+v", again.Report.Places)
			}
		})
	}
}

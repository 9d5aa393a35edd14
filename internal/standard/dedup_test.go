package standard

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// metresNorth is how many degrees of latitude make m metres.
func metresNorth(m float64) float64 { return m / 111195 }

// placeAt is a place of the fake territory as Normalize returns it.
func placeAt(id, nom, adresse, insee string, lat, lon float64) cartonum.Place {
	return cartonum.Place{
		ID: id, Pivot: "00000000000000", Nom: nom, Adresse: adresse, CodeInsee: insee,
		Commune: "Lille", CodePostal: "59000", Latitude: lat, Longitude: lon, DateMaj: "2023-01-01",
		Provenance: cartonum.Provenance{SourceIDs: []string{id}, Precision: cartonum.PrecisionExact},
	}
}

func TestIsDuplicate(t *testing.T) {
	const lat, lon = 50.6333, 3.0622
	for _, tc := range []struct {
		name string
		a, b cartonum.Place
		want bool
	}{
		{
			name: "same place, one name contains the other",
			a:    placeAt("a", "Médiathèque", "4 rue du 11 Novembre", "62491", 50.6251, 2.7744),
			b:    placeAt("b", "Médiathèque de Laventie", "4 R DU 11 NOVEMBRE", "62491", 50.6251+metresNorth(30), 2.7744),
			want: true,
		},
		{
			name: "name in capitals without stop word",
			a:    placeAt("a", "CCAS de Roubaix", "20 avenue des Nations Unies", "59512", 50.69, 3.18),
			b:    placeAt("b", "CCAS ROUBAIX", "20 AV DES NATIONS UNIES", "59512", 50.69, 3.18),
			want: true,
		},
		{
			name: "abbreviated street type, no number",
			a:    placeAt("a", "Municipalité d'Annay", "PL ROGER SALENGRO", "59350", lat, lon),
			b:    placeAt("b", "Mairie - Municipalité d'Annay", "Place Roger Salengro", "59350", lat+metresNorth(10), lon),
			want: true,
		},
		{
			name: "same coordinates and texts",
			a:    placeAt("a", "Espace numérique", "1 rue A", "59350", lat, lon),
			b:    placeAt("b", "Espace numérique", "1 rue A", "59350", lat, lon),
			want: true,
		},
		{
			name: "leading zero in the house number",
			a:    placeAt("a", "Espace numérique", "04 rue de Paris", "59350", lat, lon),
			b:    placeAt("b", "Espace numérique", "4 rue de Paris", "59350", lat, lon),
			want: true,
		},
		{
			name: "different house numbers",
			a:    placeAt("a", "Médiathèque", "4 rue du 11 Novembre", "62491", 50.6251, 2.7744),
			b:    placeAt("b", "Médiathèque", "6 rue du 11 Novembre", "62491", 50.6251, 2.7744),
		},
		{
			name: "more than 50 m apart",
			a:    placeAt("a", "Médiathèque", "4 rue du 11 Novembre", "62491", 50.6251, 2.7744),
			b:    placeAt("b", "Médiathèque", "4 rue du 11 Novembre", "62491", 50.6251+metresNorth(60), 2.7744),
		},
		{
			name: "different communes",
			a:    placeAt("a", "Médiathèque", "4 rue du 11 Novembre", "62491", lat, lon),
			b:    placeAt("b", "Médiathèque", "4 rue du 11 Novembre", "59350", lat, lon),
		},
		{
			name: "different names",
			a:    placeAt("a", "France Services", "4 rue du 11 Novembre", "62491", 50.6251, 2.7744),
			b:    placeAt("b", "Médiathèque de Laventie", "4 rue du 11 Novembre", "62491", 50.6251, 2.7744),
		},
		{
			name: "different streets",
			a:    placeAt("a", "Espace numérique", "4 rue de Paris", "59350", lat, lon),
			b:    placeAt("b", "Espace numérique", "4 boulevard Victor Hugo", "59350", lat, lon),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsDuplicate(&tc.a, &tc.b); got != tc.want {
				t.Errorf("IsDuplicate = %v, want %v (%.1f m apart)", got, tc.want, Distance(tc.a.Latitude, tc.a.Longitude, tc.b.Latitude, tc.b.Longitude))
			}
			if got := IsDuplicate(&tc.b, &tc.a); got != tc.want {
				t.Errorf("IsDuplicate(b, a) = %v, want %v: not symmetric", got, tc.want)
			}
		})
	}
}

func TestDistance(t *testing.T) {
	// Lille Grand-Place to Roubaix Grand-Place: about 11.2 km.
	if d := Distance(50.6372, 3.0633, 50.6903, 3.1817); d < 10000 || d > 12500 {
		t.Errorf("Distance(Lille, Roubaix) = %.0f m, want about 10 km", d)
	}
	if d := Distance(50.6372, 3.0633, 50.6372+metresNorth(50), 3.0633); d < 49.9 || d > 50.1 {
		t.Errorf("Distance over 50 m north = %.2f m", d)
	}
	if d := Distance(50.6, 3.06, 50.6, 3.06); d != 0 {
		t.Errorf("Distance to itself = %v", d)
	}
}

func TestMerge(t *testing.T) {
	older := func() cartonum.Place {
		p := placeAt("a", "Médiathèque", "4 rue du 11 Novembre", "59350", 50.6333, 3.0622)
		p.Pivot = "21590350100017"
		p.Telephone = "+33320000000"
		p.Horaires = "Mo-Fr 09:00-12:00"
		p.ComplementAdresse = "1er étage"
		p.Services = []string{"Loisirs et créations numériques"}
		p.Frais = []string{"Payant"}
		p.Courriels = []string{"a@lille.fr"}
		p.Source = "conseiller-numerique"
		p.Provenance.Sources = []string{"conseiller-numerique"}
		p.Provenance.Repairs = []cartonum.Repair{{Field: "pivot", Message: "m1", Record: "a"}}
		return p
	}
	newer := func() cartonum.Place {
		p := placeAt("b", "Médiathèque de Laventie", "4 R DU 11 NOVEMBRE", "59350", 50.6334, 3.0622)
		p.DateMaj = "2024-06-01"
		p.Telephone = "+33320111111"
		p.Services = []string{"Aide aux démarches administratives", "Loisirs et créations numériques"}
		p.Frais = []string{"Gratuit"}
		p.Courriels = []string{"b@lille.fr", "a@lille.fr"}
		p.PriseRdv = "https://rdv.lille.fr"
		p.Source = "dora"
		p.Provenance.Sources = []string{"dora"}
		p.Provenance.Repairs = []cartonum.Repair{{Field: "telephone", Message: "m2", Record: "b"}}
		return p
	}

	t.Run("newest wins single values, empty never wins", func(t *testing.T) {
		p, r := older(), newer()
		merge(&p, &r)
		if p.ID != "a" || p.Nom != "Médiathèque de Laventie" || p.Adresse != "4 R DU 11 NOVEMBRE" || p.Telephone != "+33320111111" || p.DateMaj != "2024-06-01" {
			t.Errorf("single values not from the newest: %+v", p)
		}
		if p.Horaires != "Mo-Fr 09:00-12:00" || p.ComplementAdresse != "1er étage" {
			t.Errorf("an empty value won: horaires %q complement %q", p.Horaires, p.ComplementAdresse)
		}
		if p.PriseRdv != "https://rdv.lille.fr" || p.Source != "dora" {
			t.Errorf("prise_rdv %q source %q, want the newest", p.PriseRdv, p.Source)
		}
		if p.Latitude != 50.6334 {
			t.Errorf("latitude %v, want the newest location", p.Latitude)
		}
	})
	t.Run("older record only fills the gaps", func(t *testing.T) {
		p, r := newer(), older()
		merge(&p, &r)
		if p.Nom != "Médiathèque de Laventie" || p.Telephone != "+33320111111" || p.DateMaj != "2024-06-01" || p.Latitude != 50.6334 {
			t.Errorf("an older value won: %+v", p)
		}
		if p.Horaires != "Mo-Fr 09:00-12:00" || p.Pivot != "21590350100017" {
			t.Errorf("gaps not filled: horaires %q pivot %q", p.Horaires, p.Pivot)
		}
	})
	t.Run("lists unioned in vocabulary order", func(t *testing.T) {
		p, r := older(), newer()
		merge(&p, &r)
		for _, c := range []struct {
			name      string
			got, want []string
		}{
			{"services", p.Services, []string{"Aide aux démarches administratives", "Loisirs et créations numériques"}},
			{"frais", p.Frais, []string{"Gratuit", "Payant"}},
			{"courriels", p.Courriels, []string{"a@lille.fr", "b@lille.fr"}},
			{"source ids", p.Provenance.SourceIDs, []string{"a", "b"}},
			{"sources", p.Provenance.Sources, []string{"conseiller-numerique", "dora"}},
		} {
			if !slices.Equal(c.got, c.want) {
				t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
			}
		}
		if len(p.Provenance.Repairs) != 2 {
			t.Errorf("repairs %+v, want both records'", p.Provenance.Repairs)
		}
	})
	t.Run("every source id kept through merged places", func(t *testing.T) {
		p, r, s := older(), newer(), placeAt("c", "Médiathèque", "4 rue du 11 Novembre", "59350", 50.6333, 3.0622)
		s.Provenance.SourceIDs = []string{"c", "d"}
		merge(&r, &s)
		merge(&p, &r)
		if want := []string{"a", "b", "c", "d"}; !slices.Equal(p.Provenance.SourceIDs, want) {
			t.Errorf("source ids %q, want %q", p.Provenance.SourceIDs, want)
		}
	})
	t.Run("exact location beats commune precision", func(t *testing.T) {
		p, r := newer(), older()
		p.Provenance.Precision = cartonum.PrecisionCommune
		merge(&p, &r)
		if p.Latitude != 50.6333 || p.Provenance.Precision != cartonum.PrecisionExact {
			t.Errorf("location %v %q, want the older exact one", p.Latitude, p.Provenance.Precision)
		}
	})
	t.Run("inside the region beats outside", func(t *testing.T) {
		p, r := newer(), older()
		p.Provenance.OutsideRegion = true
		merge(&p, &r)
		if p.Latitude != 50.6333 || p.Provenance.OutsideRegion {
			t.Errorf("location %v outside=%v, want the older one inside", p.Latitude, p.Provenance.OutsideRegion)
		}
	})
	t.Run("unknown pivot never wins", func(t *testing.T) {
		p, r := older(), newer() // newer has the unknown pivot 00000000000000
		merge(&p, &r)
		if p.Pivot != "21590350100017" {
			t.Errorf("merging a newer record whose pivot is unknown (00000000000000) into a place with SIRET 21590350100017 gives %s; the unknown value must never win, as an empty value never does", p.Pivot)
		}
	})
}

// TestMergeIdempotent checks the property that merging a record that was
// already merged changes nothing, for generated pairs of places.
func TestMergeIdempotent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(vs ...string) string { return vs[rng.IntN(len(vs))] }
	sub := func(v *cartonum.Vocabulary) []string {
		var out []string
		for _, x := range v.Values {
			if rng.IntN(3) == 0 {
				out = append(out, x)
			}
		}
		return out
	}
	gen := func(id string) cartonum.Place {
		p := placeAt(id, pick("Médiathèque", "Espace numérique", ""), pick("1 rue A", ""), pick("59350", "59512"), 50.63+rng.Float64()/1000, 3.06)
		p.Pivot = pick("00000000000000", "21590350100017", "")
		p.Telephone = pick("", "+33320000000", "+33320111111")
		p.Horaires = pick("", "Mo-Fr 09:00-12:00", "lundi")
		p.Provenance.HorairesInvalid = p.Horaires == "lundi"
		p.DateMaj = pick("2022-01-01", "2023-06-01", "2024-01-01")
		p.Services = sub(cartonum.Services)
		p.Frais = sub(cartonum.Frais)
		p.ModalitesAccompagnement = sub(cartonum.ModalitesAccompagnement)
		p.Courriels = []string{pick("a@b.fr", "c@d.fr")}
		p.Provenance.Precision = cartonum.Precision(pick(string(cartonum.PrecisionExact), string(cartonum.PrecisionCommune)))
		p.Provenance.OutsideRegion = rng.IntN(4) == 0
		p.Provenance.Repairs = []cartonum.Repair{{Field: "pivot", Message: pick("m1", "m2"), Record: id}}
		return p
	}
	for i := range 500 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			p, r := gen("a"), gen("b")
			merge(&p, &r)
			once := fingerprint(&p)
			merge(&p, &r)
			if twice := fingerprint(&p); twice != once {
				t.Fatalf("merging the same record twice changed the place:\n%s\n%s", once, twice)
			}
			if !slices.Equal(p.Provenance.SourceIDs, []string{"a", "b"}) {
				t.Errorf("source ids %q", p.Provenance.SourceIDs)
			}
			for _, l := range []struct {
				v      *cartonum.Vocabulary
				values []string
			}{{cartonum.Services, p.Services}, {cartonum.Frais, p.Frais}, {cartonum.ModalitesAccompagnement, p.ModalitesAccompagnement}} {
				if !slices.Equal(l.values, order(l.v, l.values)) {
					t.Errorf("%s not in vocabulary order: %q", l.v.Field, l.values)
				}
			}
		})
	}
}

// TestIsDuplicateStreetNumber: similarAddresses compares house numbers
// only "when both have one"; a number in the street name ("rue du 11
// Novembre") is not a house number.
func TestIsDuplicateStreetNumber(t *testing.T) {
	a := placeAt("a", "Médiathèque de Laventie", "rue du 11 Novembre", "62491", 50.6251, 2.7744)
	b := placeAt("b", "Médiathèque de Laventie", "4 rue du 11 Novembre", "62491", 50.6251, 2.7744)
	if !IsDuplicate(&a, &b) {
		t.Error(`"rue du 11 Novembre" and "4 rue du 11 Novembre" (same name, commune and point) are not duplicates: the 11 of the street name is taken for a house number and compared with 4`)
	}
}

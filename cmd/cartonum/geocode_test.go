package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/standard"
)

// fakeBAN answers like api-adresse.data.gouv.fr/search/: a GeoJSON
// FeatureCollection, filtered by citycode. Lille's address is found inside
// Lille with a good score, Arras's with a poor one, and Amiens's "found" in
// Lille (outside the declared commune).
func fakeBAN(t *testing.T, queries *atomic.Int64) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries.Add(1)
		q, city := r.URL.Query().Get("q"), r.URL.Query().Get("citycode")
		feature := func(lon, lat, score float64, typ, label, citycode string) map[string]any {
			return map[string]any{"type": "Feature",
				"geometry":   map[string]any{"type": "Point", "coordinates": []float64{lon, lat}},
				"properties": map[string]any{"label": label, "score": score, "type": typ, "citycode": citycode}}
		}
		var fs []map[string]any
		switch {
		case strings.Contains(q, "Delesalle") && city == "59350":
			fs = append(fs, feature(3.0622, 50.6333, 0.87, "housenumber", "32 Rue Édouard Delesalle 59000 Lille", "59350"))
		case strings.Contains(q, "Inconnue") && city == "62041":
			fs = append(fs, feature(2.7775, 50.2910, 0.31, "street", "Rue Inconnue 62000 Arras", "62041"))
		case strings.Contains(q, "Piège"):
			fs = append(fs, feature(3.0622, 50.6333, 0.92, "housenumber", "4 Rue Piège 59000 Lille", "80021"))
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"type": "FeatureCollection", "features": fs})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestImportGeocoder imports places without coordinates with --geocoder
// pointing at a fake BAN on loopback: a good answer inside the declared
// commune places the place, a poor or misplaced one is refused, answers are
// cached so that the same import again asks nothing, and a geocoder that is
// down leaves the places in their commune without failing the import.
func TestImportGeocoder(t *testing.T) {
	var queries atomic.Int64
	ban := fakeBAN(t, &queries)
	db := filepath.Join(t.TempDir(), "geo.db")
	cfg := territoryConfig(t, db)
	cfg.Files = []string{filepath.Join("testdata", "geocode", "lieux.csv")}
	cfg.Geocoder = ban.URL + "/search/"
	cfg.GeocodeMin = standard.DefaultGeocodeMinScore
	doImport(t, cfg)
	if n := queries.Load(); n != 3 {
		t.Errorf("%d geocoder queries, want 3 (the three places without coordinates)", n)
	}
	_, snap := loadAll(t, db)
	place := func(id string) *cartonum.Place {
		p, ok := snap.Place(id)
		if !ok {
			t.Fatalf("place %s missing", id)
		}
		return p
	}
	hasRepair := func(p *cartonum.Place, text string) bool {
		for _, r := range p.Provenance.Repairs {
			if strings.Contains(r.Message, text) {
				return true
			}
		}
		return false
	}
	lille := place("g-lille")
	if lille.Provenance.Precision != cartonum.PrecisionExact || standard.Distance(lille.Latitude, lille.Longitude, 50.6333, 3.0622) > 1 ||
		!hasRepair(lille, "géocodé, score 0,87") {
		t.Errorf("g-lille not geocoded: %+v", lille)
	}
	arras := place("g-arras")
	if arras.Provenance.Precision != cartonum.PrecisionCommune || !hasRepair(arras, "score 0,31 inférieur au seuil") {
		t.Errorf("g-arras: a poor score must leave the place in its commune: %+v", arras)
	}
	amiens := place("g-amiens")
	if amiens.Provenance.Precision != cartonum.PrecisionCommune || amiens.CodeInsee != "80021" || !hasRepair(amiens, "hors de la commune déclarée") {
		t.Errorf("g-amiens: a result outside the declared commune must be refused: %+v", amiens)
	}
	if exact := place("g-exact"); exact.Latitude != 50.43 || exact.Longitude != 2.83 {
		t.Errorf("g-exact moved: %+v", exact)
	}

	t.Run("re-import uses the cache", func(t *testing.T) {
		before := queries.Load()
		rep := doImport(t, cfg)
		if n := queries.Load() - before; n != 0 {
			t.Errorf("%d geocoder queries on re-import, want 0", n)
		}
		if rep.Places.Created != 0 || rep.Places.Updated != 0 {
			t.Errorf("re-import changed places: %+v", rep.Places)
		}
	})

	t.Run("geocoder down", func(t *testing.T) {
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		cfg := cfg
		cfg.DB = filepath.Join(t.TempDir(), "down.db")
		cfg.Geocoder = down.URL + "/search/"
		doImport(t, cfg)
		_, snap := loadAll(t, cfg.DB)
		p, _ := snap.Place("g-lille")
		if p == nil || p.Provenance.Precision != cartonum.PrecisionCommune || !hasRepair(p, "géocodage impossible") {
			t.Errorf("with the geocoder down, g-lille: %+v", p)
		}
	})

	t.Run("without geocoder", func(t *testing.T) {
		cfg := cfg
		cfg.DB = filepath.Join(t.TempDir(), "none.db")
		cfg.Geocoder = ""
		doImport(t, cfg)
		_, snap := loadAll(t, cfg.DB)
		if p, _ := snap.Place("g-lille"); p == nil || p.Provenance.Precision != cartonum.PrecisionCommune {
			t.Errorf("without a geocoder, g-lille: %+v", p)
		}
	})
}

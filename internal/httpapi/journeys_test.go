package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

func newJourneysServer(t *testing.T, cfg Config) string {
	t.Helper()
	d := fixtureData()
	d.Places = append(d.Places, cartonum.Place{ID: "lieu-4", Nom: "COMMUNE D'ABBEVILLE", Commune: "Abbeville", CodeInsee: "80001",
		CodePostal: "80100", Adresse: "Place de l'Hôtel de Ville", Longitude: 2.40, Latitude: 49.91, DateMaj: "2024-01-01",
		Provenance: cartonum.Provenance{SourceIDs: []string{"lieu-4"}, Precision: cartonum.PrecisionCommune}})
	hs := httptest.NewServer(New(liveOf(t, d), cfg, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(hs.Close)
	return hs.URL
}

type journeyPage struct {
	Total    int `json:"total"`
	Features []struct {
		Properties siteSummary `json:"properties"`
	} `json:"features"`
	PlusProches []struct {
		ID         string      `json:"id"`
		Properties siteSummary `json:"properties"`
	} `json:"plus_proches"`
}

func getJSONT(t *testing.T, u string, v any) *http.Response {
	t.Helper()
	resp, body := do(t, "GET", u, nil, nil)
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: %v: %.300s", u, err, body)
	}
	return resp
}

// TestSitesPlusProches: nothing within the radius, plus_proches=k gives the
// k nearest places beyond it, flagged hors_rayon, filters respected; with
// places within the radius, none.
func TestSitesPlusProches(t *testing.T) {
	url := newJourneysServer(t, DefaultConfig())
	var p journeyPage
	// 2.30,50.10: about 22 km north of the Amiens places.
	if resp := getJSONT(t, url+"/api/sites?near=2.30,50.10&radius=10000&plus_proches=2", &p); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if p.Total != 0 || len(p.Features) != 0 || len(p.PlusProches) != 2 {
		t.Fatalf("page %+v", p)
	}
	for i, f := range p.PlusProches {
		if !f.Properties.HorsRayon || f.Properties.DistanceM == nil || *f.Properties.DistanceM < 10000 {
			t.Fatalf("plus_proches[%d] = %+v", i, f.Properties)
		}
	}
	if p.PlusProches[0].ID != "lieu-2" || *p.PlusProches[0].Properties.DistanceM > *p.PlusProches[1].Properties.DistanceM {
		t.Fatalf("order %s %s", p.PlusProches[0].ID, p.PlusProches[1].ID)
	}
	p = journeyPage{}
	getJSONT(t, url+"/api/sites?near=2.30,50.10&radius=10000&plus_proches=3&services="+neturl.QueryEscape("Aide aux démarches administratives"), &p)
	if len(p.PlusProches) != 2 || p.PlusProches[0].ID != "lieu-1" || p.PlusProches[1].ID != "lieu-3" {
		t.Fatalf("filtered: %+v", p.PlusProches)
	}
	p = journeyPage{}
	getJSONT(t, url+"/api/sites?near=2.30,49.90&radius=10000&plus_proches=3", &p)
	if p.Total == 0 || len(p.PlusProches) != 0 {
		t.Fatalf("within the radius: %+v", p)
	}
	for _, bad := range []string{"plus_proches=3", "near=2.3,49.9&plus_proches=-1", "near=2.3,49.9&plus_proches=99"} {
		resp, body := do(t, "GET", url+"/api/sites?"+bad, nil, nil)
		if resp.StatusCode != 400 || !strings.Contains(errorMessage(t, resp, body), "plus_proches") {
			t.Errorf("%s: %d %s", bad, resp.StatusCode, body)
		}
	}
	if resp, _ := do(t, "GET", url+"/api/export/sites.csv?near=2.3,49.9&plus_proches=2", nil, nil); resp.StatusCode != 400 {
		t.Errorf("export with plus_proches: %d", resp.StatusCode)
	}
}

// TestSitesApproxAndDisplayName: the place placed at its commune is sorted
// after the exact place close to it, and every summary has nom_affiche
// while nom stays the source's.
func TestSitesApproxAndDisplayName(t *testing.T) {
	url := newJourneysServer(t, DefaultConfig())
	var p journeyPage
	getJSONT(t, url+"/api/sites?near=2.40,49.91&radius=5000", &p)
	var ids []string
	for _, f := range p.Features {
		ids = append(ids, f.Properties.ID)
	}
	if len(ids) != 2 || ids[0] != "lieu-3" || ids[1] != "lieu-4" {
		t.Fatalf("order %v (the approximate lieu-4 stands on the point asked)", ids)
	}
	got := p.Features[1].Properties
	if got.Nom != "COMMUNE D'ABBEVILLE" || got.NomAffiche != "Commune d'Abbeville" || got.Precision != "commune" {
		t.Fatalf("lieu-4: %+v", got)
	}
	var detail struct {
		Properties struct {
			Nom        string `json:"nom"`
			NomAffiche string `json:"nom_affiche"`
		} `json:"properties"`
	}
	getJSONT(t, url+"/api/sites/lieu-4", &detail)
	if detail.Properties.Nom != "COMMUNE D'ABBEVILLE" || detail.Properties.NomAffiche != "Commune d'Abbeville" {
		t.Fatalf("detail %+v", detail.Properties)
	}
	_, csv := do(t, "GET", url+"/api/export/sites.csv", nil, nil)
	if !strings.Contains(string(csv), "COMMUNE D'ABBEVILLE") || strings.Contains(string(csv), "Commune d'Abbeville") {
		t.Fatal("the export must keep the source's name")
	}
}

// TestSearchForgives: typos find the commune, places are found by name, a
// street address without a geocoder is said to be unsupported.
func TestSearchForgives(t *testing.T) {
	url := newJourneysServer(t, DefaultConfig())
	type answer struct {
		Results []struct {
			Code string `json:"code"`
		} `json:"results"`
		Lieux []struct {
			ID         string `json:"id"`
			NomAffiche string `json:"nom_affiche"`
		} `json:"lieux"`
		Indisponible bool   `json:"adresse_indisponible"`
		Message      string `json:"message"`
	}
	var a answer
	getJSONT(t, url+"/api/search?q=abbevile", &a)
	if len(a.Results) == 0 || a.Results[0].Code != "80001" {
		t.Fatalf("abbevile: %+v", a)
	}
	a = answer{}
	getJSONT(t, url+"/api/search?q=amien", &a)
	if len(a.Results) == 0 || a.Results[0].Code != "80021" {
		t.Fatalf("amien: %+v", a)
	}
	a = answer{}
	getJSONT(t, url+"/api/search?q="+neturl.QueryEscape("médiathèque"), &a)
	if len(a.Lieux) != 1 || a.Lieux[0].ID != "lieu-1" || a.Indisponible {
		t.Fatalf("médiathèque: %+v", a)
	}
	a = answer{}
	getJSONT(t, url+"/api/search?q="+neturl.QueryEscape("12 rue de la République"), &a)
	if !a.Indisponible || !strings.Contains(a.Message, "adresse") {
		t.Fatalf("street: %+v", a)
	}
	cfg := DefaultConfig()
	cfg.GeocoderURL = "http://127.0.0.1:1/search/"
	a = answer{}
	getJSONT(t, newJourneysServer(t, cfg)+"/api/search?q="+neturl.QueryEscape("12 rue de la République"), &a)
	if a.Indisponible {
		t.Fatal("a geocoder is configured")
	}
	a = answer{}
	getJSONT(t, url+"/api/search?q=80100", &a)
	if a.Indisponible || len(a.Lieux) != 0 || len(a.Results) != 1 {
		t.Fatalf("postcode: %+v", a)
	}
}

func TestConfigDirections(t *testing.T) {
	var c struct {
		DirectionsURL string `json:"directions_url"`
	}
	getJSONT(t, newJourneysServer(t, DefaultConfig())+"/api/config", &c)
	if c.DirectionsURL != "https://www.openstreetmap.org/directions?to={lat},{lon}" {
		t.Fatalf("default %q", c.DirectionsURL)
	}
	cfg := DefaultConfig()
	cfg.DirectionsURL = "https://maps.example.fr/?to={lat},{lon}&q={nom}"
	getJSONT(t, newJourneysServer(t, cfg)+"/api/config", &c)
	if c.DirectionsURL != cfg.DirectionsURL {
		t.Fatalf("configured %q", c.DirectionsURL)
	}
}

func TestLooksLikeStreetAddress(t *testing.T) {
	for q, want := range map[string]bool{
		"12 rue de la Paix": true, "rue Victor Hugo": true, "3 bis avenue Foch": true, "place du marché": true,
		"Amiens": false, "80000": false, "Saint-Quentin": false, "Boulogne-sur-Mer": false, "Ruelle": false,
		"mediatheque": false, "2 Amiens": true,
	} {
		if got := looksLikeStreetAddress(q); got != want {
			t.Errorf("looksLikeStreetAddress(%q) = %v", q, got)
		}
	}
}

package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/index"
)

// fakeBAN answers like the Base Adresse Nationale API, on loopback.
func fakeBAN(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("q") {
		case "panne":
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		case "charabia":
			w.Write([]byte("{"))
			return
		}
		if r.URL.Query().Get("limit") != "3" {
			t.Errorf("limit %q not forwarded", r.URL.Query().Get("limit"))
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"type":"FeatureCollection","features":[
		 {"type":"Feature","geometry":{"type":"Point","coordinates":[2.2957,49.8941]},"properties":{"label":"12 Rue de la République 80000 Amiens","score":0.93,"type":"housenumber","citycode":"80021","postcode":"80000","city":"Amiens"}},
		 {"type":"Feature","geometry":{"type":"Point","coordinates":[999,1]},"properties":{"label":"bad point"}}]}`))
	}))
}

func TestGeocode(t *testing.T) {
	ban := fakeBAN(t)
	defer ban.Close()
	cfg := DefaultConfig()
	cfg.GeocoderURL = ban.URL + "/search/"
	srv := New(liveOf(t, index.Data{}), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	off := New(liveOf(t, index.Data{}), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	call := func(h http.Handler, q string) (int, []byte) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/geocode?"+q, nil))
		return w.Code, w.Body.Bytes()
	}
	code, body := call(srv, "q="+url.QueryEscape("12 rue de la République Amiens")+"&limit=3")
	var r struct {
		Results []geocodeResult
	}
	if code != 200 || json.Unmarshal(body, &r) != nil || len(r.Results) != 1 || r.Results[0].CodeInsee != "80021" || r.Results[0].Centre[0] != 2.2957 {
		t.Fatalf("%d %s", code, body)
	}
	cases := []struct {
		name string
		h    http.Handler
		q    string
		want int
	}{
		{"not configured", off, "q=12+rue+x", 404},
		{"too short", srv, "q=ab", 400},
		{"unknown parameter", srv, "q=12+rue+x&x=1", 400},
		{"geocoder down", srv, "q=panne&limit=3", 502},
		{"geocoder garbage", srv, "q=charabia&limit=3", 502},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if code, body := call(tc.h, tc.q); code != tc.want {
				t.Errorf("%d %s, want %d", code, body, tc.want)
			}
		})
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/api/config", nil))
	if w.Code != 200 || !json.Valid(w.Body.Bytes()) || !strings.Contains(w.Body.String(), `"geocoder":true`) {
		t.Fatalf("config %d %s", w.Code, w.Body)
	}
}

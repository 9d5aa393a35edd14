package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cartonum/cartonum/internal/index"
)

// pagesWithArchive stands for internal/webui's handler configured with
// --pmtiles-url.
type pagesWithArchive struct{ http.Handler }

func (pagesWithArchive) PMTilesURL() string { return "https://tuiles.example.org/region.pmtiles" }

// /api/config tells the web app the PMTiles archive of the territories
// when the server has one, and says nothing of it otherwise.
func TestConfigPMTilesURL(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	config := func(h http.Handler) map[string]any {
		t.Helper()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/config", nil))
		var c map[string]any
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &c) != nil {
			t.Fatalf("config %d %s", w.Code, w.Body)
		}
		return c
	}
	with := New(liveOf(t, index.Data{}), DefaultConfig(), quiet).WithPages(pagesWithArchive{http.NotFoundHandler()})
	if got := config(with)["pmtiles_url"]; got != "https://tuiles.example.org/region.pmtiles" {
		t.Errorf("pmtiles_url = %v", got)
	}
	without := New(liveOf(t, index.Data{}), DefaultConfig(), quiet).WithPages(http.NotFoundHandler())
	if got, ok := config(without)["pmtiles_url"]; ok {
		t.Errorf("pmtiles_url without an archive: %v", got)
	}
}

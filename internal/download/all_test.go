package download

import (
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"testing"
)

// TestFetchAll fetches every région: the communes come from one national
// request (no codeRegion), and the départements and EPCI are those of all
// the communes.
func TestFetchAll(t *testing.T) {
	fx := newFixture(t)
	var national struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	national.Type = "FeatureCollection"
	for _, r := range []string{"01", "32"} {
		var fc struct{ Features []json.RawMessage }
		if err := json.Unmarshal(readTestdata(t, "communes-"+r+".geojson"), &fc); err != nil {
			t.Fatal(err)
		}
		national.Features = append(national.Features, fc.Features...)
	}
	answer, err := json.Marshal(national)
	if err != nil {
		t.Fatal(err)
	}
	fx.set("communes", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Has("codeRegion") || q.Get("fields") != communeFields || q.Get("geometry") != "contour" {
			http.Error(w, "unexpected query "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
		w.Write(answer)
	})
	dest := t.TempDir()
	files, err := Fetch(t.Context(), fx.options(AllRegions, dest))
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if want := FileNames(dest, "all"); files != want {
		t.Errorf("Files = %+v, want %+v", files, want)
	}
	if got, _ := os.ReadFile(files.Communes); string(got) != string(answer) {
		t.Error("communes file is not the national answer as is")
	}
	var deps struct {
		Features []struct{ Properties map[string]string }
	}
	if err := json.Unmarshal(mustRead(t, files.Departements), &deps); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, f := range deps.Features {
		codes = append(codes, f.Properties["code"])
	}
	slices.Sort(codes)
	if want := []string{"02", "59", "971"}; !slices.Equal(codes, want) {
		t.Errorf("départements %v, want %v", codes, want)
	}
	var epci []struct{ Code string }
	if err := json.Unmarshal(mustRead(t, files.EPCI), &epci); err != nil {
		t.Fatal(err)
	}
	codes = codes[:0]
	for _, e := range epci {
		codes = append(codes, e.Code)
	}
	slices.Sort(codes)
	if want := []string{"200018653", "200068500", "200071785"}; !slices.Equal(codes, want) {
		t.Errorf("EPCI %v, want %v", codes, want)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

package download

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// serve returns a handler that answers body with the given status and
// content type.
func serve(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
}

// wantStatus matches a *StatusError with the given code.
func wantStatus(code int) func(error) bool {
	return func(err error) bool {
		var se *StatusError
		return errors.As(err, &se) && se.StatusCode == code
	}
}

// wantIs matches errors wrapping target.
func wantIs(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// wantKind matches cartonum errors of kind k.
func wantKind(k cartonum.ErrorKind) func(error) bool {
	return func(err error) bool { return cartonum.KindOf(err) == k }
}

func TestFetchErrors(t *testing.T) {
	const lieuxHeader = "id,pivot,nom,commune,code_postal,code_insee,adresse,date_maj\n"
	big := `{"type":"FeatureCollection","features":[` + strings.Repeat(" ", 4096) + `]}`

	tests := []struct {
		name     string
		region   string // "32" when empty, "" when "-"
		maxBytes int64
		setup    func(t *testing.T, fx *fixture, o *Options)
		want     func(error) bool
	}{
		// Options.
		{name: "region empty", region: "-", want: wantKind(cartonum.KindInvalid)},
		{name: "region one digit", region: "3", want: wantKind(cartonum.KindInvalid)},
		{name: "region is a département", region: "971", want: wantKind(cartonum.KindInvalid)},
		{name: "region letters", region: "HF", want: wantKind(cartonum.KindInvalid)},
		{
			name: "source not http",
			setup: func(t *testing.T, fx *fixture, o *Options) {
				o.Sources.Places = "ftp://example.org/lieux.csv"
			},
			want: wantKind(cartonum.KindInvalid),
		},
		{
			name:  "destination empty",
			setup: func(t *testing.T, fx *fixture, o *Options) { o.Dest = "" },
			want:  wantKind(cartonum.KindInvalid),
		},

		// Communes.
		{
			name:  "communes 404",
			setup: override("communes", serve(http.StatusNotFound, "application/json", `{"code":404}`)),
			want:  wantStatus(http.StatusNotFound),
		},
		{
			name:  "communes 503",
			setup: override("communes", serve(http.StatusServiceUnavailable, "text/plain", "busy")),
			want:  wantStatus(http.StatusServiceUnavailable),
		},
		{
			name:  "communes bad JSON",
			setup: override("communes", serve(http.StatusOK, "application/json", `{"type":"FeatureCollection","features":[{"type":"Feature",`)),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:  "communes not a FeatureCollection",
			setup: override("communes", serve(http.StatusOK, "application/json", `[{"code":"02001"}]`)),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:  "communes trailing garbage",
			setup: override("communes", serve(http.StatusOK, "application/json", `{"type":"FeatureCollection","features":[]} {}`)),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:   "communes empty collection",
			region: "84", // no fixture: the server answers an empty collection
			want:   wantIs(ErrInvalidData),
		},
		{
			name:  "communes empty body",
			setup: override("communes", serve(http.StatusOK, "application/json", "")),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:  "communes HTML page",
			setup: override("communes", serve(http.StatusOK, "text/html; charset=utf-8", "<html>maintenance</html>")),
			want:  wantIs(ErrInvalidData),
		},
		{
			name: "communes of another region",
			setup: override("communes", func(w http.ResponseWriter, r *http.Request) {
				w.Write(readTestdata(t, "communes-01.geojson"))
			}),
			want: wantIs(ErrInvalidData),
		},
		{
			name:  "communes point geometry",
			setup: override("communes", serve(http.StatusOK, "application/json", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"02001","nom":"A","codeDepartement":"02","codeRegion":"32"},"geometry":{"type":"Point","coordinates":[3,49]}}]}`)),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:     "communes oversize announced",
			maxBytes: 1024,
			setup: override("communes", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", strconv.Itoa(len(big)))
				w.Write([]byte(big))
			}),
			want: wantIs(ErrTooLarge),
		},
		{
			name:     "communes oversize streamed",
			maxBytes: 1024,
			setup: override("communes", func(w http.ResponseWriter, r *http.Request) {
				for chunk := range slices.Chunk([]byte(big), 512) {
					w.Write(chunk)
					w.(http.Flusher).Flush() // no Content-Length
				}
			}),
			want: wantIs(ErrTooLarge),
		},

		// Départements.
		{
			name:  "contours 500",
			setup: override("contours", serve(http.StatusInternalServerError, "", "oops")),
			want:  wantStatus(http.StatusInternalServerError),
		},
		{
			name:  "contours empty collection",
			setup: override("contours", serve(http.StatusOK, "application/geo+json", `{"type":"FeatureCollection","features":[]}`)),
			want:  wantIs(ErrInvalidData),
		},
		{
			name: "contours missing a département",
			setup: override("contours", serve(http.StatusOK, "application/geo+json", `{"type":"FeatureCollection","features":[
				{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[3,49],[4,49],[4,50],[3,49]]]},"properties":{"code":"02","nom":"Aisne"}}]}`)),
			want: wantIs(ErrInvalidData),
		},

		// EPCI.
		{
			name:  "npm metadata 404",
			setup: override("npm-meta", serve(http.StatusNotFound, "application/json", `{"error":"Not found"}`)),
			want:  wantStatus(http.StatusNotFound),
		},
		{
			name:  "npm metadata bad JSON",
			setup: override("npm-meta", serve(http.StatusOK, "application/json", `{"dist-tags":`)),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:  "npm metadata without latest",
			setup: override("npm-meta", serve(http.StatusOK, "application/json", `{"name":"@etalab/decoupage-administratif","dist-tags":{},"versions":{}}`)),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:  "npm latest not in versions",
			setup: override("npm-meta", serve(http.StatusOK, "application/json", `{"dist-tags":{"latest":"9.9.9"},"versions":{"1.0.0":{}}}`)),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:  "tarball 404",
			setup: override("tarball", serve(http.StatusNotFound, "text/plain", "not found")),
			want:  wantStatus(http.StatusNotFound),
		},
		{
			name: "tarball checksum mismatch",
			setup: override("tarball", func(w http.ResponseWriter, r *http.Request) {
				w.Write(buildTarball(t, map[string][]byte{"package/data/epci.json": []byte("[]")}))
			}),
			want: wantIs(ErrInvalidData),
		},
		{
			name: "tarball not gzip",
			setup: func(t *testing.T, fx *fixture, o *Options) {
				fx.setTarball([]byte("this is not a gzip stream"))
			},
			want: wantIs(ErrInvalidData),
		},
		{
			name: "tarball without epci.json",
			setup: func(t *testing.T, fx *fixture, o *Options) {
				fx.setTarball(buildTarball(t, map[string][]byte{"package/data/communes.json": []byte("[]")}))
			},
			want: wantIs(ErrInvalidData),
		},
		{
			name: "epci.json bad JSON",
			setup: func(t *testing.T, fx *fixture, o *Options) {
				fx.setTarball(buildTarball(t, map[string][]byte{"package/data/epci.json": []byte(`[{"code":`)}))
			},
			want: wantIs(ErrInvalidData),
		},
		{
			name: "no EPCI in region",
			setup: func(t *testing.T, fx *fixture, o *Options) {
				fx.setTarball(buildTarball(t, map[string][]byte{"package/data/epci.json": []byte(
					`[{"code":"200000001","nom":"CC Hors Région","type":"CC","populationMunicipale":1,"membres":[{"code":"51002"}]}]`)}))
			},
			want: wantIs(ErrInvalidData),
		},
		{
			name:     "epci.json oversize in tarball",
			maxBytes: 64 << 10,
			setup: func(t *testing.T, fx *fixture, o *Options) {
				fx.setTarball(buildTarball(t, map[string][]byte{"package/data/epci.json": []byte("[" + strings.Repeat(" ", 128<<10) + "]")}))
			},
			want: wantIs(ErrTooLarge),
		},

		// Places.
		{
			name:  "places 404",
			setup: override("places", serve(http.StatusNotFound, "text/html", "<html>404</html>")),
			want:  wantStatus(http.StatusNotFound),
		},
		{
			name:  "places HTML page",
			setup: override("places", serve(http.StatusOK, "text/html", "<!doctype html><title>data.gouv.fr</title>")),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:  "places missing columns",
			setup: override("places", serve(http.StatusOK, "text/csv", "id;nom;commune\n1;A;B\n")),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:  "places header only",
			setup: override("places", serve(http.StatusOK, "text/csv", lieuxHeader)),
			want:  wantIs(ErrInvalidData),
		},
		{
			name:  "places broken CSV",
			setup: override("places", serve(http.StatusOK, "text/csv", lieuxHeader+"1,2,\"unterminated\n")),
			want:  wantIs(ErrInvalidData),
		},

		// Time.
		{
			name: "deadline",
			setup: func(t *testing.T, fx *fixture, o *Options) {
				fx.set("places", func(w http.ResponseWriter, r *http.Request) {
					<-r.Context().Done() // never answers
				})
			},
			want: wantIs(context.DeadlineExceeded),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			dest := t.TempDir()
			// A file from an earlier run must survive a failed one.
			old := filepath.Join(dest, "communes-32.geojson")
			if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			region := tt.region
			switch region {
			case "":
				region = "32"
			case "-":
				region = ""
			}
			o := fx.options(region, dest)
			o.MaxBytes = tt.maxBytes
			if tt.setup != nil {
				tt.setup(t, fx, &o)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			defer cancel()
			if tt.name == "deadline" {
				ctx, cancel = context.WithTimeout(t.Context(), 100*time.Millisecond)
				defer cancel()
			}

			files, err := Fetch(ctx, o)
			if err == nil {
				t.Fatalf("Fetch = %+v, want an error", files)
			}
			t.Logf("error: %v", err)
			if !tt.want(err) {
				t.Errorf("Fetch error %v (%T) does not match", err, err)
			}
			if files != (Files{}) {
				t.Errorf("Fetch returned files %+v with an error", files)
			}
			if got := dirNames(t, dest); !slices.Equal(got, []string{"communes-32.geojson"}) {
				t.Errorf("destination holds %q after a failure, want only the earlier file", got)
			}
			if b, _ := os.ReadFile(old); string(b) != "old" {
				t.Errorf("earlier file changed to %.40q", b)
			}
		})
	}
}

// override returns a setup that replaces the fixture's route name with h.
func override(name string, h http.HandlerFunc) func(*testing.T, *fixture, *Options) {
	return func(t *testing.T, fx *fixture, o *Options) {
		fx.set(name, h)
	}
}

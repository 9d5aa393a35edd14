package download

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseChecksum(t *testing.T) {
	data := []byte("tarball")
	s512 := sha512.Sum512(data)
	s1 := sha1.Sum(data)
	sri512 := "sha512-" + base64.StdEncoding.EncodeToString(s512[:])
	sri1 := "sha1-" + base64.StdEncoding.EncodeToString(s1[:])
	hex1 := hex.EncodeToString(s1[:])

	tests := []struct {
		name      string
		integrity string
		shasum    string
		wantAlg   string // "" for no check
		wantErr   bool
	}{
		{name: "sha512", integrity: sri512, wantAlg: "sha512"},
		{name: "strongest of several", integrity: sri1 + " " + sri512, shasum: hex1, wantAlg: "sha512"},
		{name: "unknown algorithm skipped", integrity: "md5-AAAA " + sri1, wantAlg: "sha1"},
		{name: "shasum only", shasum: hex1, wantAlg: "sha1"},
		{name: "nothing", wantAlg: ""},
		{name: "bad base64", integrity: "sha512-!!!", wantErr: true},
		{name: "short digest", integrity: "sha512-AAAA", wantErr: true},
		{name: "bad shasum", shasum: "xyz", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseChecksum(tt.integrity, tt.shasum)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("parseChecksum = %+v, want an error", c)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.algorithm != tt.wantAlg {
				t.Fatalf("algorithm %q, want %q", c.algorithm, tt.wantAlg)
			}
			if h := c.newHash(); h != nil {
				h.Write(data)
				if !bytes.Equal(h.Sum(nil), c.digest) {
					t.Error("digest does not match the data")
				}
			}
		})
	}
}

func TestCountUnmarshal(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{in: `518`, want: 518},
		{in: `"518"`, want: 518},
		{in: `518.0`, want: 518},
		{in: `0`, want: 0},
		{in: `-1`, wantErr: true},
		{in: `1.5`, wantErr: true},
		{in: `"n/a"`, wantErr: true},
		{in: `true`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var c count
			err := json.Unmarshal([]byte(tt.in), &c)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Unmarshal(%s) error %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err == nil && int(c) != tt.want {
				t.Errorf("Unmarshal(%s) = %d, want %d", tt.in, c, tt.want)
			}
		})
	}
	var p struct{ P *count }
	if err := json.Unmarshal([]byte(`{"P":null}`), &p); err != nil || p.P != nil {
		t.Errorf("null population = %v, %v; want nil, nil", p.P, err)
	}
}

func TestPkgMemberUnmarshal(t *testing.T) {
	var ms []pkgMember
	in := `["02001", {"code":"02002","siren":"210200025","nom":"Achery","populationTotale":590,"populationMunicipale":584}, {"code":"02003"}]`
	if err := json.Unmarshal([]byte(in), &ms); err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 || ms[0].Code != "02001" || ms[1].Code != "02002" || ms[2].Code != "02003" {
		t.Fatalf("members %+v", ms)
	}
	if p, ok := ms[1].population(); !ok || p != 584 {
		t.Errorf("member population = %d, %v; want the municipal 584", p, ok)
	}
	if _, ok := ms[2].population(); ok {
		t.Error("member without population reports one")
	}
}

func TestReadFeatures(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int
		wantErr bool
	}{
		{name: "empty collection", in: `{"type":"FeatureCollection","features":[]}`, want: 0},
		{name: "features first, extra members", in: `{"features":[{"type":"Feature","properties":{},"geometry":null}],"crs":{"type":"name"},"type":"FeatureCollection"}`, want: 1},
		{name: "no type", in: `{"features":[]}`, wantErr: true},
		{name: "no features", in: `{"type":"FeatureCollection"}`, wantErr: true},
		{name: "feature of another type", in: `{"type":"FeatureCollection","features":[{"type":"Point"}]}`, wantErr: true},
		{name: "features twice", in: `{"type":"FeatureCollection","features":[],"features":[]}`, wantErr: true},
		{name: "array", in: `[]`, wantErr: true},
		{name: "truncated", in: `{"type":"FeatureCollection","features":[{"type":"Feature"}`, wantErr: true},
		{name: "empty", in: ``, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := readFeatures(strings.NewReader(tt.in), func(int, feature) error { return nil })
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidData) {
					t.Fatalf("readFeatures error %v, want ErrInvalidData", err)
				}
				return
			}
			if err != nil || n != tt.want {
				t.Fatalf("readFeatures = %d, %v; want %d, nil", n, err, tt.want)
			}
		})
	}
}

func TestPostcodeDepartement(t *testing.T) {
	for in, want := range map[string]string{
		"02300": "02", "2300": "02", "59000": "59", "97139": "971", " 62000 ": "62", "": "", "123": "",
	} {
		if got := postcodeDepartement(in); got != want {
			t.Errorf("postcodeDepartement(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzReadFeatures checks that the FeatureCollection reader, which sees
// untrusted downloads, never panics and never reports success on input that
// is not JSON.
func FuzzReadFeatures(f *testing.F) {
	for _, name := range []string{"communes-32.geojson", "communes-01.geojson", "departements-national.geojson"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte(`{"type":"FeatureCollection","features":[]}`))
	f.Add([]byte(`{"features":[{"type":"Feature"}],"type":"FeatureCollection"} x`))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := readFeatures(bytes.NewReader(b), func(i int, ft feature) error {
			_, _ = geometryType(ft.Geometry)
			return nil
		})
		if err == nil && !json.Valid(b) {
			t.Fatalf("readFeatures accepted invalid JSON (%d features)", n)
		}
		if err != nil && !errors.Is(err, ErrInvalidData) {
			t.Fatalf("readFeatures error %v does not wrap ErrInvalidData", err)
		}
	})
}

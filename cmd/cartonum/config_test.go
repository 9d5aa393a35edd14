package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestConfigEnvironment: environment values are read as the flags read
// them, and one that does not parse is an error naming the variable, never
// the default in disguise.
func TestConfigEnvironment(t *testing.T) {
	cases := []struct {
		name    string
		cmd     string
		env     map[string]string
		args    []string
		wantErr string // "" for success
		check   func(Config) bool
	}{
		{"valid duration", "serve", map[string]string{"CARTONUM_REQUEST_TIMEOUT": "45s"}, nil, "",
			func(c Config) bool { return c.RequestTimeout == 45*time.Second }},
		{"valid integer", "serve", map[string]string{"CARTONUM_WRITE_RATE": "7", "CARTONUM_TILE_CACHE_BYTES": "1024"}, nil, "",
			func(c Config) bool { return c.Limits.WriteRate == 7 && c.TileCacheBytes == 1024 }},
		{"answer cache", "serve", nil, []string{"--answer-cache-bytes", "1048576"}, "",
			func(c Config) bool { return c.AnswerCacheBytes == 1<<20 }},
		{"answer cache default", "serve", nil, nil, "",
			func(c Config) bool { return c.AnswerCacheBytes == 96<<20 }},
		{"bad duration", "serve", map[string]string{"CARTONUM_RELOAD_INTERVAL": "10"}, nil, "CARTONUM_RELOAD_INTERVAL", nil},
		{"bad integer", "serve", map[string]string{"CARTONUM_MAX_LIMIT": "mille"}, nil, "CARTONUM_MAX_LIMIT", nil},
		{"bad limit", "serve", map[string]string{"CARTONUM_SCENARIO_DAYS": "90j"}, nil, "CARTONUM_SCENARIO_DAYS", nil},
		{"bad bytes", "serve", map[string]string{"CARTONUM_MAX_BODY_BYTES": "1e9x"}, nil, "CARTONUM_MAX_BODY_BYTES", nil},
		{"flag given over a bad variable", "serve", map[string]string{"CARTONUM_REQUEST_TIMEOUT": "beaucoup"},
			[]string{"--request-timeout", "5s"}, "", func(c Config) bool { return c.RequestTimeout == 5*time.Second }},
		{"other command ignores serve variables", "import", map[string]string{"CARTONUM_REQUEST_TIMEOUT": "beaucoup"}, nil, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseConfig(tc.cmd, tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "variable d'environnement") {
					t.Fatalf("err = %v, want a French error naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil && !tc.check(c) {
				t.Errorf("config %+v", c)
			}
		})
	}
}

func TestDirectionsURLFlag(t *testing.T) {
	env := func(string) string { return "" }
	c, err := parseConfig("serve", []string{"--directions-url", "https://maps.example.fr/route?dest={lat},{lon}&n={nom}"}, env, io.Discard)
	if err != nil || c.DirectionsURL != "https://maps.example.fr/route?dest={lat},{lon}&n={nom}" {
		t.Fatalf("%+v %v", c.DirectionsURL, err)
	}
	for _, bad := range []string{"ftp://x/{lat},{lon}", "https://x/route", "javascript:alert({lat},{lon})"} {
		if _, err := parseConfig("serve", []string{"--directions-url", bad}, env, io.Discard); err == nil {
			t.Errorf("--directions-url %q accepted", bad)
		}
	}
}

// TestRegionSetting: --region and CARTONUM_REGION take one code, a list or
// all; an unknown code is an error naming the 18 codes.
func TestRegionSetting(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     string
		args    []string
		want    []string
		wantErr string
	}{
		{"default", "", nil, []string{"32"}, ""},
		{"one", "", []string{"--region", "28"}, []string{"28"}, ""},
		{"list", "", []string{"--region", "32,28"}, []string{"28", "32"}, ""},
		{"all", "", []string{"--region", "all"}, nil, ""},
		{"environment", "28, 32", nil, []string{"28", "32"}, ""},
		{"flag over environment", "all", []string{"--region", "11"}, []string{"11"}, ""},
		{"unknown code", "", []string{"--region", "28,99"}, nil, "--region : code de région « 99 » inconnu : un des 18 codes (01, 02, 03"},
		{"empty element", "", []string{"--region", "28,"}, nil, "région vide"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseConfig("import", tc.args, func(k string) string {
				if k == "CARTONUM_REGION" {
					return tc.env
				}
				return ""
			}, io.Discard)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.Regions, tc.want) || (tc.want == nil) != (c.Regions == nil) {
				t.Errorf("regions %#v, want %#v", c.Regions, tc.want)
			}
		})
	}
}

// TestTerritoryFilesRepeat: --communes, --epci and --departements repeat;
// the file of the environment stands until a flag gives files.
func TestTerritoryFilesRepeat(t *testing.T) {
	env := map[string]string{"CARTONUM_COMMUNES": "env.geojson", "CARTONUM_EPCI": "env.json"}
	c, err := parseConfig("import", []string{"--communes", "a.geojson", "--communes", "b.geojson", "--departements", "d.geojson", "lieux.csv"},
		func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Communes, []string{"a.geojson", "b.geojson"}) || !slices.Equal(c.EPCI, []string{"env.json"}) ||
		!slices.Equal(c.Departements, []string{"d.geojson"}) || !slices.Equal(c.Files, []string{"lieux.csv"}) {
		t.Errorf("communes %v, EPCI %v, départements %v, files %v", c.Communes, c.EPCI, c.Departements, c.Files)
	}
}

// TestCacheBytesNegative: a negative cache size is refused, not read as
// "no cache" or the default.
func TestCacheBytesNegative(t *testing.T) {
	for _, flag := range []string{"--answer-cache-bytes", "--tile-cache-bytes"} {
		_, err := parseConfig("serve", []string{flag, "-1"}, func(string) string { return "" }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("%s -1: %v, want an error naming it", flag, err)
		}
	}
}

package httpapi

import (
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	cases := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.8", true},
		{"gzip;q=0", false},
		{"identity", false},
		{"*", true},
		{"GZIP", true},
	}
	for _, tc := range cases {
		t.Run(tc.header, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Encoding", tc.header)
			if got := acceptsGzip(r); got != tc.want {
				t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
			}
		})
	}
}

func TestMatchETag(t *testing.T) {
	cases := []struct {
		header, etag string
		want         bool
	}{
		{`"abc"`, `"abc"`, true},
		{`"x", "abc"`, `"abc"`, true},
		{`W/"abc"`, `"abc"`, true},
		{`*`, `"abc"`, true},
		{`"abc-gz"`, `"abc"`, false},
		{``, `"abc"`, false},
	}
	for _, tc := range cases {
		if got := match(tc.header, tc.etag); got != tc.want {
			t.Errorf("match(%q, %q) = %v, want %v", tc.header, tc.etag, got, tc.want)
		}
	}
}

func TestTileLayers(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		fail bool
	}{
		{"communes", 1, false},
		{"departements,epci,communes,sites", 4, false},
		{"communes,communes", 0, true},
		{"roads", 0, true},
		{"", 0, true},
	}
	for _, tc := range cases {
		got, err := tileLayers(tc.in)
		if (err != nil) != tc.fail || len(got) != tc.n {
			t.Errorf("tileLayers(%q) = %v, %v", tc.in, got, err)
		}
	}
}

func TestParseParams(t *testing.T) {
	cases := []struct {
		query string
		fail  bool
	}{
		{"", false},
		{"threshold_min=30&speed_kmh=30&circuity=1.5", false},
		{"services=aide+aux+demarches+administratives&dispositifs=France+Services", false},
		{"threshold_min=0", true},
		{"threshold_min=abc", true},
		{"speed_kmh=500", true},
		{"circuity=NaN", true},
		{"services=nope", true},
		{"other=1", true},
	}
	for _, tc := range cases {
		v, _ := url.ParseQuery(tc.query)
		p, err := parseParams(v)
		if (err != nil) != tc.fail {
			t.Errorf("parseParams(%q): %v", tc.query, err)
		}
		if tc.query == "services=aide+aux+demarches+administratives&dispositifs=France+Services" &&
			(len(p.Services) != 1 || p.Services[0] != "Aide aux démarches administratives") {
			t.Errorf("services not canonical: %v", p.Services)
		}
	}
}

package standard

import (
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPhone(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		extra, ok      bool
	}{
		{name: "national with spaces", in: "03 27 99 60 50", want: "+33327996050", ok: true},
		{name: "already international", in: "+33327996050", want: "+33327996050", ok: true},
		{name: "international with spaces", in: "+33 3 27 99 60 50", want: "+33327996050", ok: true},
		{name: "00 prefix", in: "0033 3 27 99 60 50", want: "+33327996050", ok: true},
		{name: "trunk zero in parentheses", in: "+33 (0)3 27 99 60 50", want: "+33327996050", ok: true},
		{name: "trunk zero kept after +33", in: "+33 03 27 99 60 50", want: "+33327996050", ok: true},
		{name: "lost leading zero", in: "327996050", want: "+33327996050", ok: true},
		{name: "dots", in: "03.27.99.60.50", want: "+33327996050", ok: true},
		{name: "dashes", in: "03-27-99-60-50", want: "+33327996050", ok: true},
		{name: "mobile", in: "06 12 34 56 78", want: "+33612345678", ok: true},
		{name: "Guadeloupe landline", in: "0590 12 34 56", want: "+590590123456", ok: true},
		{name: "Guadeloupe mobile", in: "0690 12 34 56", want: "+590690123456", ok: true},
		{name: "Réunion", in: "0262 12 34 56", want: "+262262123456", ok: true},
		{name: "Martinique", in: "0596 12 34 56", want: "+596596123456", ok: true},
		{name: "Guyane", in: "0594 12 34 56", want: "+594594123456", ok: true},
		{name: "two numbers with slash", in: "03.21.00.00.00 / 06 00 00 00 00", want: "+33321000000", extra: true, ok: true},
		{name: "two numbers with ou", in: "03 21 00 00 00 ou 06 00 00 00 00", want: "+33321000000", extra: true, ok: true},
		{name: "first of two invalid", in: "12 / 03 21 00 00 00", want: "+33321000000", extra: true, ok: true},
		{name: "too short", in: "12"},
		{name: "empty", in: ""},
		{name: "blank", in: "   "},
		{name: "letters", in: "non communiqué"},
		{name: "foreign number", in: "+44 20 7946 0958"},
		{name: "too long", in: "03 27 99 60 50 12"},
		{name: "two invalid numbers", in: "12 / 34"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, extra, ok := phone(tc.in)
			if got != tc.want || extra != tc.extra || ok != tc.ok {
				t.Errorf("phone(%q) = %q, %v, %v; want %q, %v, %v", tc.in, got, extra, ok, tc.want, tc.extra, tc.ok)
			}
			if ok && !phonePattern.MatchString(got) {
				t.Errorf("phone(%q) = %q does not match the standard's pattern", tc.in, got)
			}
		})
	}
}

func TestPostcode(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		repaired, ok   bool
	}{
		{name: "valid", in: "59000", want: "59000", ok: true},
		{name: "lost leading zero", in: "2100", want: "02100", repaired: true, ok: true},
		{name: "space inside", in: "59 000", want: "59000", repaired: true, ok: true},
		{name: "spaces around are no repair", in: " 59000 ", want: "59000", ok: true},
		{name: "country prefix", in: "F-59000", want: "59000", repaired: true, ok: true},
		{name: "letters", in: "ABC"},
		{name: "empty", in: ""},
		{name: "six digits", in: "590000"},
		{name: "three digits", in: "590"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, repaired, ok := postcode(tc.in)
			if got != tc.want || repaired != tc.repaired || ok != tc.ok {
				t.Errorf("postcode(%q) = %q, %v, %v; want %q, %v, %v", tc.in, got, repaired, ok, tc.want, tc.repaired, tc.ok)
			}
		})
	}
}

func TestInseeCode(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		repaired, ok   bool
	}{
		{name: "valid", in: "59350", want: "59350", ok: true},
		{name: "lost leading zero", in: "2691", want: "02691", repaired: true, ok: true},
		{name: "Corsica upper case", in: "2A004", want: "2A004", ok: true},
		{name: "Corsica lower case", in: "2b033", want: "2B033", repaired: true, ok: true},
		{name: "spaces around", in: " 59350 ", want: "59350", repaired: true, ok: true},
		{name: "20 is not a département", in: "20004"},
		{name: "letters", in: "ABCDE"},
		{name: "too long", in: "593501"},
		{name: "empty", in: ""},
		{name: "postcode-like with letters", in: "2C004"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, repaired, ok := inseeCode(tc.in)
			if got != tc.want || repaired != tc.repaired || ok != tc.ok {
				t.Errorf("inseeCode(%q) = %q, %v, %v; want %q, %v, %v", tc.in, got, repaired, ok, tc.want, tc.repaired, tc.ok)
			}
		})
	}
}

func TestEmails(t *testing.T) {
	for _, tc := range []struct {
		name, in       string
		valid, invalid []string
	}{
		{name: "one", in: "contact@mairie-lille.fr", valid: []string{"contact@mairie-lille.fr"}},
		{name: "pipe", in: "a@b.fr|c@d.fr", valid: []string{"a@b.fr", "c@d.fr"}},
		{name: "semicolon and spaces", in: "a@b.fr ; c@d.fr", valid: []string{"a@b.fr", "c@d.fr"}},
		{name: "comma", in: "a@b.fr,c@d.fr", valid: []string{"a@b.fr", "c@d.fr"}},
		{name: "space", in: "a@b.fr c@d.fr", valid: []string{"a@b.fr", "c@d.fr"}},
		{name: "domain lower-cased, local part kept", in: "Contact.Mairie@Lille.FR", valid: []string{"Contact.Mairie@lille.fr"}},
		{name: "mailto and angle brackets", in: "mailto:a@b.fr|<c@d.fr>", valid: []string{"a@b.fr", "c@d.fr"}},
		{name: "invalid kept apart", in: "a@b.fr|pas-de-courriel|x@localhost|@d.fr", valid: []string{"a@b.fr"}, invalid: []string{"pas-de-courriel", "x@localhost", "@d.fr"}},
		{name: "empty", in: ""},
		{name: "separators only", in: " | ; , "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			valid, invalid := emails(tc.in)
			if !slices.Equal(valid, tc.valid) || !slices.Equal(invalid, tc.invalid) {
				t.Errorf("emails(%q) = %q, %q; want %q, %q", tc.in, valid, invalid, tc.valid, tc.invalid)
			}
		})
	}
}

func TestWebURL(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		repaired, ok   bool
	}{
		{name: "https", in: "https://www.lille.fr", want: "https://www.lille.fr", ok: true},
		{name: "http with path and query", in: "http://www.lille.fr/mediatheques?id=3", want: "http://www.lille.fr/mediatheques?id=3", ok: true},
		{name: "scheme added", in: "www.x.fr", want: "https://www.x.fr", repaired: true, ok: true},
		{name: "scheme added to host and path", in: "lille.fr/mediatheque", want: "https://lille.fr/mediatheque", repaired: true, ok: true},
		{name: "upper-case scheme", in: "HTTPS://www.lille.fr", want: "https://www.lille.fr", ok: true},
		{name: "spaces around", in: "  https://www.lille.fr ", want: "https://www.lille.fr", ok: true},
		{name: "javascript", in: "javascript:alert(1)"},
		{name: "javascript with slashes", in: "javascript://www.x.fr/%0Aalert(1)"},
		{name: "data", in: "data:text/html,<script>alert(1)</script>"},
		{name: "data base64", in: "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="},
		{name: "vbscript", in: "vbscript:msgbox(1)"},
		{name: "ftp", in: "ftp://ftp.lille.fr"},
		{name: "file", in: "file:///etc/passwd"},
		{name: "scheme only", in: "http://"},
		{name: "no dot in host", in: "https://localhost/"},
		{name: "double quote in host", in: `https://www.x.fr"onmouseover="alert(1)`},
		{name: "single quote in host", in: `https://www.x.fr'onmouseover='alert(1)`},
		{name: "angle brackets in host", in: "https://<script>alert(1)</script>.fr"},
		{name: "e-mail address", in: "contact@lille.fr"},
		{name: "words", in: "non renseigné"},
		{name: "empty", in: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, repaired, ok := webURL(tc.in)
			if got != tc.want || repaired != tc.repaired || ok != tc.ok {
				t.Errorf("webURL(%q) = %q, %v, %v; want %q, %v, %v", tc.in, got, repaired, ok, tc.want, tc.repaired, tc.ok)
			}
			if ok && strings.ContainsAny(got, "<>\"' ") {
				t.Errorf("webURL(%q) = %q holds characters that break out of an HTML attribute", tc.in, got)
			}
		})
	}
}

func TestURLs(t *testing.T) {
	valid, invalid, repaired := urls("https://www.laquincaillerie.tl/|www.facebook.com/laquincaillerie ; javascript:alert(1)")
	if want := []string{"https://www.laquincaillerie.tl/", "https://www.facebook.com/laquincaillerie"}; !slices.Equal(valid, want) {
		t.Errorf("valid = %q, want %q", valid, want)
	}
	if want := []string{"javascript:alert(1)"}; !slices.Equal(invalid, want) {
		t.Errorf("invalid = %q, want %q", invalid, want)
	}
	if !repaired {
		t.Errorf("repaired = false, want true (https:// added)")
	}
}

func TestDate(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		repaired, ok   bool
	}{
		{name: "ISO", in: "2022-05-02", want: "2022-05-02", ok: true},
		{name: "ISO with spaces", in: " 2022-05-02 ", want: "2022-05-02", ok: true},
		{name: "French", in: "02/05/2022", want: "2022-05-02", repaired: true, ok: true},
		{name: "French without zeros", in: "2/5/2022", want: "2022-05-02", repaired: true, ok: true},
		{name: "French with dashes", in: "02-05-2022", want: "2022-05-02", repaired: true, ok: true},
		{name: "French with dots", in: "02.05.2022", want: "2022-05-02", repaired: true, ok: true},
		{name: "year first with slashes", in: "2022/05/02", want: "2022-05-02", repaired: true, ok: true},
		{name: "RFC 3339", in: "2022-05-02T10:30:00+02:00", want: "2022-05-02", repaired: true, ok: true},
		{name: "RFC 3339 UTC nanoseconds", in: "2022-05-02T10:30:00.123456Z", want: "2022-05-02", repaired: true, ok: true},
		{name: "timestamp with space", in: "2022-05-02 10:30:00", want: "2022-05-02", repaired: true, ok: true},
		{name: "words", in: "hier"},
		{name: "year 1800", in: "1800-01-01"},
		{name: "French year 1800", in: "01/01/1800"},
		{name: "year 2200", in: "2200-01-01"},
		{name: "impossible day", in: "2022-02-30"},
		{name: "month 13", in: "2022-13-01"},
		{name: "empty", in: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, repaired, ok := date(tc.in)
			if got != tc.want || repaired != tc.repaired || ok != tc.ok {
				t.Errorf("date(%q) = %q, %v, %v; want %q, %v, %v", tc.in, got, repaired, ok, tc.want, tc.repaired, tc.ok)
			}
		})
	}
}

func TestParseCoord(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		want      float64
		comma, ok bool
	}{
		{name: "point", in: "50.6333", want: 50.6333, ok: true},
		{name: "decimal comma", in: "50,6333", want: 50.6333, comma: true, ok: true},
		{name: "negative with comma", in: "-1,55", want: -1.55, comma: true, ok: true},
		{name: "spaces", in: " 50.6333 ", want: 50.6333, ok: true},
		{name: "thousands spaces in Lambert-93", in: "704 000", want: 704000, ok: true},
		{name: "integer", in: "3", want: 3, ok: true},
		{name: "empty", in: ""},
		{name: "words", in: "inconnu"},
		{name: "two commas", in: "50,63,33"},
		{name: "comma and point", in: "1,234.5"},
		{name: "NaN", in: "NaN"},
		{name: "infinity", in: "+Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, comma, ok := parseCoord(tc.in)
			if got != tc.want || comma != tc.comma || ok != tc.ok {
				t.Errorf("parseCoord(%q) = %v, %v, %v; want %v, %v, %v", tc.in, got, comma, ok, tc.want, tc.comma, tc.ok)
			}
		})
	}
}

func TestLambert93ToWGS84(t *testing.T) {
	for _, tc := range []struct {
		name     string
		x, y     float64
		lon, lat float64
		tol      float64
	}{
		// The projection's origin: central meridian 3°E, latitude 46.5°N.
		{name: "IGN reference point", x: 700000, y: 6600000, lon: 3.0, lat: 46.5, tol: 1e-6},
		{name: "Lille Grand-Place", x: 704000, y: 7059000, lon: 3.06, lat: 50.637, tol: 0.01},
		// Brest, far west of the central meridian.
		{name: "Brest", x: 145700, y: 6838000, lon: -4.49, lat: 48.39, tol: 0.02},
		// Nice, east.
		{name: "Nice", x: 1044000, y: 6299000, lon: 7.26, lat: 43.70, tol: 0.02},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lon, lat := lambert93ToWGS84(tc.x, tc.y)
			if math.Abs(lon-tc.lon) > tc.tol || math.Abs(lat-tc.lat) > tc.tol {
				t.Errorf("lambert93ToWGS84(%v, %v) = (%v, %v), want (%v, %v) ± %v", tc.x, tc.y, lon, lat, tc.lon, tc.lat, tc.tol)
			}
		})
	}
}

func TestLooksLambert93(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b float64
		x, y float64
		ok   bool
	}{
		{name: "x then y", a: 704000, b: 7059000, x: 704000, y: 7059000, ok: true},
		{name: "y then x", a: 7059000, b: 704000, x: 704000, y: 7059000, ok: true},
		{name: "WGS84", a: 3.06, b: 50.63},
		{name: "WGS84 swapped", a: 50.63, b: 3.06},
		{name: "two eastings", a: 704000, b: 704000},
		{name: "Lambert II étendu", a: 651000, b: 2626000},
		{name: "zero", a: 0, b: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y, ok := looksLambert93(tc.a, tc.b)
			if x != tc.x || y != tc.y || ok != tc.ok {
				t.Errorf("looksLambert93(%v, %v) = %v, %v, %v; want %v, %v, %v", tc.a, tc.b, x, y, ok, tc.x, tc.y, tc.ok)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("Accompagnement aux démarches en ligne. ", 20)
	for _, tc := range []struct {
		name string
		in   string
		n    int
		want string
	}{
		{name: "short kept", in: "Ateliers", n: 280, want: "Ateliers"},
		{name: "exactly n runes kept", in: strings.Repeat("é", 280), n: 280, want: strings.Repeat("é", 280)},
		{name: "cut at a word", in: "Ateliers numériques gratuits", n: 20, want: "Ateliers numériques…"},
		{name: "one long word", in: strings.Repeat("é", 300), n: 280, want: strings.Repeat("é", 279) + "…"},
		{name: "space early is not used", in: "a " + strings.Repeat("b", 30), n: 10, want: "a " + strings.Repeat("b", 7) + "…"},
		{name: "one rune", in: "abc", n: 1, want: "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := truncate(tc.in, tc.n)
			if got != tc.want {
				t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
			}
			if n := utf8.RuneCountInString(got); n > tc.n {
				t.Errorf("truncate(…, %d) has %d runes", tc.n, n)
			}
		})
	}
	t.Run("resume limit", func(t *testing.T) {
		got := truncate(long, maxResume)
		if n := utf8.RuneCountInString(got); n > maxResume || !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
			t.Errorf("truncate(long, %d) = %q (%d runes)", maxResume, got, n)
		}
	})
}

func TestSplitList(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{name: "v1 pipes", in: "Jeunes|Seniors", want: []string{"Jeunes", "Seniors"}},
		{name: "v0 semicolons with spaces", in: "Jeunes ; Seniors;", want: []string{"Jeunes", "Seniors"}},
		{name: "inner spaces collapsed", in: "Aide  aux\ndémarches", want: []string{"Aide aux démarches"}},
		{name: "empty", in: "  "},
		{name: "separators only", in: "|;|"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := splitList(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("splitList(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

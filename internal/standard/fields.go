package standard

import (
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/cartonum/cartonum/internal/cartonum"
)

var (
	pivotPattern     = regexp.MustCompile(`^[a-zA-Z0-9]{9,14}$`)
	phonePattern     = regexp.MustCompile(`^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)\d{6,9}$`)
	nonDigits        = regexp.MustCompile(`\D+`)
	spaces           = regexp.MustCompile(`\s+`)
	listSeparators   = regexp.MustCompile(`\s*[|;]\s*`)
	contactSeparator = regexp.MustCompile(`[|;,\s]+`)
	urlSeparator     = regexp.MustCompile(`[|;\s]+`)
	phoneSeparators  = regexp.MustCompile(`\s*(?:/|\||;|,| ou | et )\s*`)
)

// clean trims s and collapses runs of white space (including newlines) in
// single-line fields.
func clean(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// splitList splits a multi-valued field on "|" (v1) and ";" (v0).
func splitList(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	var out []string
	for _, v := range listSeparators.Split(s, -1) {
		if v = clean(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// parseCoord reads a coordinate written with a decimal point or comma.
// It reports whether a comma was repaired.
func parseCoord(s string) (v float64, comma bool, ok bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, " ", ""))
	if s == "" {
		return 0, false, false
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
		comma = true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, comma, false
	}
	return v, comma, true
}

// postcode normalises a French postcode: digits only, a lost leading zero
// put back. ok is false when no 5-digit code can be made.
func postcode(s string) (code string, repaired bool, ok bool) {
	t := strings.TrimSpace(s)
	d := nonDigits.ReplaceAllString(t, "")
	switch {
	case len(d) == 5:
		return d, d != t, true
	case len(d) == 4:
		return "0" + d, true, true
	}
	return "", false, false
}

// inseeCode normalises a commune code: upper case (2A, 2B), a lost leading
// zero put back.
func inseeCode(s string) (code string, repaired bool, ok bool) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if len(t) == 4 && nonDigits.FindString(t) == "" {
		t = "0" + t
	}
	if !cartonum.ValidCommuneCode(t) {
		return "", false, false
	}
	return t, t != s, true
}

// overseasPrefixes map French national prefixes of the overseas
// territories to their international codes.
var overseasPrefixes = []struct{ national, country string }{
	{"0590", "+590"}, {"0690", "+590"}, {"0691", "+590"},
	{"0594", "+594"}, {"0694", "+594"},
	{"0596", "+596"}, {"0696", "+596"}, {"0697", "+596"},
	{"0262", "+262"}, {"0263", "+262"}, {"0692", "+262"}, {"0693", "+262"},
	{"0269", "+262"}, {"0639", "+262"},
}

// phone normalises a telephone number to the international form the
// standard requires (+33 then 9 digits, or an overseas code). When the
// field holds several numbers the first is kept and extra is true.
func phone(s string) (norm string, extra bool, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false, false
	}
	// Several numbers: "03 21 00 00 00 / 06 00 00 00 00".
	parts := phoneSeparators.Split(s, -1)
	if len(parts) > 1 {
		for _, p := range parts {
			if n, _, ok := phone(p); ok {
				return n, true, true
			}
		}
		return "", false, false
	}
	t := strings.ReplaceAll(s, "(0)", "")
	plus := strings.HasPrefix(strings.TrimSpace(t), "+")
	d := nonDigits.ReplaceAllString(t, "")
	switch {
	case plus:
		d = "+" + d
	case strings.HasPrefix(d, "00"):
		d = "+" + d[2:]
	case len(d) == 10 && d[0] == '0':
		for _, o := range overseasPrefixes {
			if strings.HasPrefix(d, o.national) {
				return o.country + d[1:], false, true
			}
		}
		d = "+33" + d[1:]
	case len(d) == 9 && d[0] != '0':
		d = "+33" + d
	}
	if strings.HasPrefix(d, "+330") && len(d) == 13 {
		d = "+33" + d[4:]
	}
	if !phonePattern.MatchString(d) {
		return "", false, false
	}
	return d, false, true
}

// emails splits and validates e-mail addresses; invalid ones are returned
// apart.
func emails(s string) (valid, invalid []string) {
	for _, e := range contactSeparator.Split(strings.TrimSpace(s), -1) {
		e = strings.Trim(e, "<>()\"'")
		if e == "" {
			continue
		}
		e = strings.TrimPrefix(strings.TrimPrefix(e, "mailto:"), "MAILTO:")
		a, err := mail.ParseAddress(e)
		if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
			invalid = append(invalid, e)
			continue
		}
		at := strings.LastIndex(e, "@")
		valid = append(valid, e[:at]+strings.ToLower(e[at:]))
	}
	return valid, invalid
}

// webURL normalises one web address: only http and https are accepted (no
// javascript:, data: or other schemes that could run in a page), a missing
// scheme is added. repaired reports that the scheme was added.
func webURL(s string) (u string, repaired bool, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false, false
	}
	if !strings.Contains(s, "://") {
		if strings.ContainsAny(s, ":@ ") || !strings.Contains(s, ".") {
			return "", false, false
		}
		s = "https://" + s
		repaired = true
	}
	p, err := url.Parse(s)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" ||
		!strings.Contains(p.Host, ".") || strings.ContainsFunc(p.Host, func(r rune) bool {
		return unicode.IsSpace(r) || r == '<' || r == '>' || r == '"' || r == '\''
	}) {
		return "", false, false
	}
	return p.String(), repaired, true
}

// urls splits a list of web addresses.
func urls(s string) (valid, invalid []string, repaired bool) {
	for _, u := range urlSeparator.Split(strings.TrimSpace(s), -1) {
		if u == "" {
			continue
		}
		n, r, ok := webURL(u)
		if !ok {
			invalid = append(invalid, u)
			continue
		}
		repaired = repaired || r
		valid = append(valid, n)
	}
	return valid, invalid, repaired
}

var dateLayouts = []string{
	"2006-01-02", "02/01/2006", "2/1/2006", "02-01-2006", "2006/01/02", "02.01.2006",
	time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04:05.000Z",
}

// date parses the update date in ISO form or the usual French and
// timestamp forms; it returns YYYY-MM-DD.
func date(s string) (iso string, repaired bool, ok bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() < 1990 || t.Year() > 2100 {
				return "", false, false
			}
			iso = t.Format("2006-01-02")
			return iso, iso != s, true
		}
	}
	return "", false, false
}

// Lambert-93 (RGF93 / EPSG:2154) constants, IGN's NTG_71 algorithms.
const (
	l93N  = 0.7256077650532670
	l93C  = 11754255.426096
	l93Xs = 700000.0
	l93Ys = 12655612.049876
	l93E  = 0.0818191910428158 // GRS80 first eccentricity
	l93L0 = 3 * math.Pi / 180  // central meridian 3°E
)

// lambert93ToWGS84 converts Lambert-93 metres to longitude and latitude in
// degrees (RGF93 and WGS84 coincide at this precision).
func lambert93ToWGS84(x, y float64) (lon, lat float64) {
	dx, dy := x-l93Xs, y-l93Ys
	r := math.Hypot(dx, dy)
	gamma := math.Atan(dx / -dy)
	lon = l93L0 + gamma/l93N
	latIso := -1 / l93N * math.Log(math.Abs(r/l93C))
	phi := 2*math.Atan(math.Exp(latIso)) - math.Pi/2
	for i := 0; i < 20; i++ {
		es := l93E * math.Sin(phi)
		next := 2*math.Atan(math.Pow((1+es)/(1-es), l93E/2)*math.Exp(latIso)) - math.Pi/2
		if math.Abs(next-phi) < 1e-12 {
			phi = next
			break
		}
		phi = next
	}
	return lon * 180 / math.Pi, phi * 180 / math.Pi
}

// looksLambert93 reports whether (a, b) are Lambert-93 metres in either
// order, and returns them as x (easting) and y (northing).
func looksLambert93(a, b float64) (x, y float64, ok bool) {
	isX := func(v float64) bool { return v > 50000 && v < 1300000 }
	isY := func(v float64) bool { return v > 6000000 && v < 7200000 }
	switch {
	case isX(a) && isY(b):
		return a, b, true
	case isX(b) && isY(a):
		return b, a, true
	}
	return 0, 0, false
}

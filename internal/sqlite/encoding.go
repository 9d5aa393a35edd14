package sqlite

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// List fields are stored as compact JSON arrays of strings. They are read
// and written for every place on every load and import, so the common case
// bypasses reflection: encodeStrings writes the array directly and
// decodeStrings parses arrays whose strings need no unescaping, falling back
// to encoding/json otherwise. Empty lists are stored as "[]" and read as nil.

// encodeStrings returns ss as a compact JSON array.
func encodeStrings(ss []string) string {
	if len(ss) == 0 {
		return "[]"
	}
	n := 2 + 3*len(ss)
	for _, s := range ss {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, s)
	}
	b.WriteByte(']')
	return b.String()
}

const hexDigits = "0123456789abcdef"

// writeJSONString writes s as a JSON string, escaping what JSON requires and
// replacing invalid UTF-8 with U+FFFD as encoding/json does.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// decodeStrings parses a JSON array of strings; an empty array gives nil.
func decodeStrings(b []byte) ([]string, error) {
	if len(b) == 0 || string(b) == "[]" {
		return nil, nil
	}
	if ss, ok := parsePlainStrings(b); ok {
		return ss, nil
	}
	var ss []string
	if err := json.Unmarshal(b, &ss); err != nil {
		return nil, fmt.Errorf("decode JSON list: %w", err)
	}
	if len(ss) == 0 {
		return nil, nil
	}
	return ss, nil
}

// parsePlainStrings parses the compact arrays encodeStrings writes when no
// string needs an escape, with a single allocation for all the strings. It
// reports false for anything else.
func parsePlainStrings(b []byte) ([]string, bool) {
	if len(b) < 4 || b[0] != '[' || b[len(b)-1] != ']' {
		return nil, false
	}
	n := 1
	for _, c := range b {
		switch {
		case c == ',':
			n++
		case c == '\\' || c < 0x20:
			return nil, false
		}
	}
	all := string(b)
	ss := make([]string, 0, n)
	for i := 1; ; {
		if all[i] != '"' {
			return nil, false
		}
		j := strings.IndexByte(all[i+1:], '"')
		if j < 0 {
			return nil, false
		}
		ss = append(ss, all[i+1:i+1+j])
		i += j + 2
		switch {
		case i == len(all)-1:
			return ss, true
		case all[i] == ',':
			i++
		default:
			return nil, false
		}
	}
}

// encodeRepairs returns rs as a JSON array.
func encodeRepairs(rs []cartonum.Repair) (string, error) {
	if len(rs) == 0 {
		return "[]", nil
	}
	buf, err := json.Marshal(rs)
	if err != nil {
		return "", fmt.Errorf("encode repairs: %w", err)
	}
	return string(buf), nil
}

// decodeRepairs parses a JSON array of repairs; an empty array gives nil.
func decodeRepairs(b []byte) ([]cartonum.Repair, error) {
	if len(b) == 0 || string(b) == "[]" {
		return nil, nil
	}
	var rs []cartonum.Repair
	if err := json.Unmarshal(b, &rs); err != nil {
		return nil, fmt.Errorf("decode repairs: %w", err)
	}
	return rs, nil
}

// encodeGeometry returns mp as WKB (little endian), nil when it is empty.
func encodeGeometry(mp orb.MultiPolygon) ([]byte, error) {
	if len(mp) == 0 {
		return nil, nil
	}
	buf, err := wkb.Marshal(mp)
	if err != nil {
		return nil, fmt.Errorf("encode geometry: %w", err)
	}
	return buf, nil
}

// decodeGeometry parses WKB written by encodeGeometry; a Polygon is promoted
// to a MultiPolygon, and an empty blob gives nil.
func decodeGeometry(b []byte) (orb.MultiPolygon, error) {
	if len(b) == 0 {
		return nil, nil
	}
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("decode geometry: %w", err)
	}
	switch g := g.(type) {
	case orb.MultiPolygon:
		return g, nil
	case orb.Polygon:
		return orb.MultiPolygon{g}, nil
	default:
		return nil, fmt.Errorf("decode geometry: got %s, want MultiPolygon", g.GeoJSONType())
	}
}

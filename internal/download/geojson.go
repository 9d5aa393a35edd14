package download

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// feature is one GeoJSON Feature with its members kept raw, so that large
// geometries are copied, not decoded.
type feature struct {
	Type       string          `json:"type"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties json.RawMessage `json:"properties"`
}

// geometryType returns the type of a raw GeoJSON geometry, "" for null.
func geometryType(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var g struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return "", err
	}
	return g.Type, nil
}

// readFeatures decodes a GeoJSON FeatureCollection from r one feature at a
// time, calling fn for each, so that a national file never sits whole in
// memory. It checks the collection's type, that it has a features array and
// that nothing follows it; it returns the number of features.
func readFeatures(r io.Reader, fn func(i int, f feature) error) (int, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return 0, invalidData("not a GeoJSON object: %v", err)
	}
	var (
		n            int
		typ          string
		sawFeatures  bool
		sawTypeField bool
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return n, invalidData("GeoJSON: %v", err)
		}
		key, ok := tok.(string)
		if !ok {
			return n, invalidData("GeoJSON: unexpected %v", tok)
		}
		switch key {
		case "type":
			if err := dec.Decode(&typ); err != nil {
				return n, invalidData("GeoJSON type: %v", err)
			}
			sawTypeField = true
		case "features":
			if sawFeatures {
				return n, invalidData("GeoJSON: features given twice")
			}
			sawFeatures = true
			if err := expectDelim(dec, '['); err != nil {
				return n, invalidData("GeoJSON features: %v", err)
			}
			for dec.More() {
				var f feature
				if err := dec.Decode(&f); err != nil {
					return n, invalidData("GeoJSON feature %d: %v", n, err)
				}
				if f.Type != "Feature" {
					return n, invalidData("GeoJSON feature %d: type %q, want Feature", n, f.Type)
				}
				if err := fn(n, f); err != nil {
					return n, err
				}
				n++
			}
			if err := expectDelim(dec, ']'); err != nil {
				return n, invalidData("GeoJSON features: %v", err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return n, invalidData("GeoJSON member %q: %v", key, err)
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return n, invalidData("GeoJSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return n, invalidData("GeoJSON: data after the FeatureCollection")
	}
	if !sawTypeField || typ != "FeatureCollection" {
		return n, invalidData("GeoJSON type %q, want FeatureCollection", typ)
	}
	if !sawFeatures {
		return n, invalidData("GeoJSON FeatureCollection without features")
	}
	return n, nil
}

// expectDelim reads the next token of dec and checks that it is d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return fmt.Errorf("got %v, want %q", tok, d)
	}
	return nil
}

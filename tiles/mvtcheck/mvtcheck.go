// Package mvtcheck validates Mapbox Vector Tiles against the rules of the
// MVT 2.1 specification, for tests of encoders.
//
// It reads the protobuf wire format with its own minimal reader and shares
// no code with any encoder or MVT library, so that an encoder's mistakes
// are not hidden by a decoder that makes the same ones. Validate lists
// every broken rule; Decode gives a readable form of a tile for golden
// files and debugging.
package mvtcheck

import (
	"fmt"
	"strings"
)

// Rules reported in Problem.Rule.
const (
	RuleLayerVersion   = "layer-version"        // layer version is not 2
	RuleLayerExtent    = "layer-extent"         // extent missing or not the expected one
	RuleLayerName      = "layer-name"           // layer name missing, empty or used twice
	RuleDuplicateKey   = "duplicate-key"        // a key appears twice in a layer
	RuleDuplicateValue = "duplicate-value"      // a value appears twice in a layer
	RuleValue          = "value"                // a value message sets no field or several
	RuleTags           = "tags"                 // odd number of tags or index out of range
	RuleFeatureID      = "feature-id"           // id missing or not unique in the layer
	RuleGeometryType   = "geometry-type"        // type missing or not POINT, LINESTRING, POLYGON
	RuleCommand        = "command"              // unknown, misplaced or missing command
	RuleMoveTo         = "moveto-count"         // MoveTo count 0, or not 1 for a line or ring
	RuleLineTo         = "lineto-count"         // LineTo count 0, or < 2 points in a ring
	RuleClosePath      = "closepath"            // ClosePath count not 1, or ring not closed
	RuleZeroLength     = "zero-length-lineto"   // LineTo with a (0,0) delta
	RuleRepeatedPoint  = "repeated-first-point" // ring's last point equals its first
	RuleParameters     = "parameters"           // missing or malformed parameter integers
	RuleWinding        = "winding"              // first ring of a polygon feature not positive
	RuleZeroArea       = "zero-area-ring"       // ring with zero area
	RuleCoordinates    = "coordinate-range"     // coordinate beyond the extent and buffer
)

// Problem is one broken rule.
type Problem struct {
	Layer   string // the layer's name, or "#i" for the i-th layer when it has none
	Feature int    // index of the feature in its layer, -1 for the layer itself
	Rule    string // one of the Rule constants
	Detail  string
}

func (p Problem) String() string {
	if p.Feature < 0 {
		return fmt.Sprintf("layer %s: %s: %s", p.Layer, p.Rule, p.Detail)
	}
	return fmt.Sprintf("layer %s feature %d: %s: %s", p.Layer, p.Feature, p.Rule, p.Detail)
}

// Validate decodes an uncompressed tile and returns every violation of the
// MVT 2.1 rules, with extent the expected layer extent and buffer how far
// beyond [0, extent] coordinates may go. A rule broken several times by
// one feature is reported once, with the number of times in its detail.
// Validate returns an error only when the bytes are not a protobuf
// message of the vector tile schema.
func Validate(tile []byte, extent, buffer int) ([]Problem, error) {
	t, err := readTile(tile)
	if err != nil {
		return nil, fmt.Errorf("mvtcheck: %w", err)
	}
	var probs []Problem
	names := make(map[string]bool)
	for li, l := range t.layers {
		name := l.name
		if name == "" {
			name = fmt.Sprintf("#%d", li)
		}
		add := func(feature int, rule, format string, args ...any) {
			probs = append(probs, Problem{Layer: name, Feature: feature, Rule: rule, Detail: fmt.Sprintf(format, args...)})
		}

		switch {
		case !l.hasName || l.name == "":
			add(-1, RuleLayerName, "layer %d has no name", li)
		case names[l.name]:
			add(-1, RuleLayerName, "name %q used by an earlier layer", l.name)
		}
		names[l.name] = true
		switch {
		case !l.hasVersion:
			add(-1, RuleLayerVersion, "version missing (defaults to 1), want 2")
		case l.version != 2:
			add(-1, RuleLayerVersion, "version %d, want 2", l.version)
		}
		switch {
		case !l.hasExtent:
			add(-1, RuleLayerExtent, "extent missing, want %d", extent)
		case l.extent != uint64(extent):
			add(-1, RuleLayerExtent, "extent %d, want %d", l.extent, extent)
		}
		keys := make(map[string]int, len(l.keys))
		for i, k := range l.keys {
			if j, dup := keys[k]; dup {
				add(-1, RuleDuplicateKey, "key %d %q repeats key %d", i, k, j)
				continue
			}
			keys[k] = i
		}
		values := make(map[valueKey]int, len(l.values))
		for i, v := range l.values {
			if v.fields != 1 {
				add(-1, RuleValue, "value %d sets %d fields, want 1", i, v.fields)
				continue
			}
			if j, dup := values[v.key]; dup {
				add(-1, RuleDuplicateValue, "value %d %v repeats value %d", i, v.value, j)
				continue
			}
			values[v.key] = i
		}

		lim := &bounds{min: int64(-buffer), max: int64(extent + buffer)}
		ids := make(map[uint64]int, len(l.features))
		for fi, f := range l.features {
			if !f.hasID {
				add(fi, RuleFeatureID, "no id")
			} else if j, dup := ids[f.id]; dup {
				add(fi, RuleFeatureID, "id %d already used by feature %d", f.id, j)
			} else {
				ids[f.id] = fi
			}

			if len(f.tags)%2 != 0 {
				add(fi, RuleTags, "odd number of tags (%d)", len(f.tags))
			}
			for i := 0; i+1 < len(f.tags); i += 2 {
				if f.tags[i] >= uint64(len(l.keys)) {
					add(fi, RuleTags, "key index %d out of range (%d keys)", f.tags[i], len(l.keys))
				}
				if f.tags[i+1] >= uint64(len(l.values)) {
					add(fi, RuleTags, "value index %d out of range (%d values)", f.tags[i+1], len(l.values))
				}
			}

			switch {
			case !f.hasType:
				add(fi, RuleGeometryType, "type missing")
				continue
			case f.typ < typePoint || f.typ > typePolygon:
				add(fi, RuleGeometryType, "type %d is not POINT, LINESTRING or POLYGON", f.typ)
				continue
			}
			if f.geometryCount > 1 {
				add(fi, RuleCommand, "geometry field repeated %d times", f.geometryCount)
			}
			g := walkGeometry(f.typ, f.geometry, lim)
			for _, is := range groupIssues(g.issues) {
				add(fi, is.rule, "%s", is.detail)
			}
		}
	}
	return probs, nil
}

// groupIssues merges the issues of one rule into one, keeping the first
// detail and counting the others, in the order rules first appear.
func groupIssues(issues []issue) []issue {
	if len(issues) <= 1 {
		return issues
	}
	var out []issue
	count := map[string]int{}
	for _, is := range issues {
		if count[is.rule] == 0 {
			out = append(out, is)
		}
		count[is.rule]++
	}
	for i := range out {
		if n := count[out[i].rule]; n > 1 {
			out[i].detail = fmt.Sprintf("%s (%d times in this feature)", out[i].detail, n)
		}
	}
	return out
}

// Summary formats problems one a line, for test failure messages.
func Summary(probs []Problem) string {
	var b strings.Builder
	for _, p := range probs {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	return b.String()
}

package mvtcheck

import (
	"fmt"
	"math"
)

// Geometry types and commands of the MVT specification.
const (
	typeUnknown    = 0
	typePoint      = 1
	typeLineString = 2
	typePolygon    = 3

	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7
)

// issue is a rule broken by a geometry.
type issue struct{ rule, detail string }

// geometry is a decoded command stream: the parts (points, lines or rings,
// rings not closed) in tile coordinates, and what is wrong with it. fatal
// is set when the stream could not be followed to its end.
type geometry struct {
	parts  [][][2]int64
	issues []issue
	fatal  bool
}

func (g *geometry) add(rule, format string, args ...any) {
	g.issues = append(g.issues, issue{rule, fmt.Sprintf(format, args...)})
}

// bounds are the coordinates a geometry may reach; a nil *bounds checks
// nothing.
type bounds struct{ min, max int64 }

// walkGeometry follows the command stream cmds of a feature of type typ.
func walkGeometry(typ uint64, cmds []uint64, lim *bounds) *geometry {
	g := &geometry{}
	if len(cmds) == 0 {
		g.add(RuleCommand, "empty geometry")
		return g
	}
	var (
		x, y     int64
		part     [][2]int64 // current line or ring
		open     bool       // a line or ring was started and not finished
		lineTos  int        // LineTo points of the current part
		moveTos  int        // MoveTo commands seen
		rings    int        // rings closed so far
		outRange int        // coordinates beyond the limits
	)
	finish := func() {
		if part != nil {
			g.parts = append(g.parts, part)
		}
		part = nil
	}
	for i := 0; i < len(cmds); {
		at := i
		c := cmds[i]
		i++
		if c > math.MaxUint32 {
			g.add(RuleParameters, "command integer %d at %d overflows uint32", c, at)
			g.fatal = true
			break
		}
		id, count := c&7, int(c>>3)
		if id != cmdMoveTo && id != cmdLineTo && id != cmdClosePath {
			g.add(RuleCommand, "unknown command id %d at %d", id, at)
			g.fatal = true
			break
		}
		nparams := 2 * count
		if id == cmdClosePath {
			nparams = 0
		}
		if len(cmds)-i < nparams {
			g.add(RuleParameters, "command at %d needs %d parameters, %d left", at, nparams, len(cmds)-i)
			g.fatal = true
			break
		}
		params := cmds[i : i+nparams]
		i += nparams

		switch id {
		case cmdMoveTo:
			if count == 0 {
				g.add(RuleMoveTo, "MoveTo with count 0 at %d", at)
			}
			switch typ {
			case typePoint:
				if moveTos > 0 {
					g.add(RuleCommand, "point geometry with more than one MoveTo (at %d)", at)
				}
			case typeLineString:
				if count > 1 {
					g.add(RuleMoveTo, "line MoveTo count %d at %d, want 1", count, at)
				}
				if open && lineTos == 0 {
					g.add(RuleLineTo, "line without LineTo before %d", at)
				}
			case typePolygon:
				if count > 1 {
					g.add(RuleMoveTo, "ring MoveTo count %d at %d, want 1", count, at)
				}
				if open {
					g.add(RuleClosePath, "ring not closed before MoveTo at %d", at)
				}
			}
			moveTos++
			for k := 0; k < count; k++ {
				if typ != typePoint || k == 0 {
					finish()
					part = [][2]int64{}
				}
				dx, dy, ok := delta(params[2*k:])
				if !ok {
					g.add(RuleParameters, "parameter of MoveTo at %d overflows uint32", at)
				}
				x, y = x+dx, y+dy
				outRange += lim.count(x, y)
				part = append(part, [2]int64{x, y})
			}
			open, lineTos = true, 0
		case cmdLineTo:
			if count == 0 {
				g.add(RuleLineTo, "LineTo with count 0 at %d", at)
			}
			if typ == typePoint {
				g.add(RuleCommand, "LineTo in a point geometry at %d", at)
			}
			if !open {
				g.add(RuleCommand, "LineTo without a MoveTo before it at %d", at)
			}
			for k := 0; k < count; k++ {
				dx, dy, ok := delta(params[2*k:])
				if !ok {
					g.add(RuleParameters, "parameter of LineTo at %d overflows uint32", at)
				}
				if dx == 0 && dy == 0 {
					g.add(RuleZeroLength, "LineTo point %d of the command at %d repeats the previous point (%d,%d)", k, at, x, y)
				}
				x, y = x+dx, y+dy
				outRange += lim.count(x, y)
				part = append(part, [2]int64{x, y})
			}
			lineTos += count
		case cmdClosePath:
			if count != 1 {
				g.add(RuleClosePath, "ClosePath count %d at %d, want 1", count, at)
			}
			if typ != typePolygon {
				g.add(RuleCommand, "ClosePath in a non-polygon geometry at %d", at)
				break
			}
			if !open {
				g.add(RuleClosePath, "ClosePath without an open ring at %d", at)
				break
			}
			rings++
			if lineTos < 2 {
				g.add(RuleLineTo, "ring %d has %d LineTo points, want at least 2", rings-1, lineTos)
			}
			if len(part) > 1 && part[0] == part[len(part)-1] {
				g.add(RuleRepeatedPoint, "ring %d ends on its first point (%d,%d) before ClosePath", rings-1, x, y)
			}
			switch a := area2(part); {
			case a == 0:
				g.add(RuleZeroArea, "ring %d has zero area", rings-1)
			case rings == 1 && a < 0:
				g.add(RuleWinding, "first ring has negative area %.1f: an exterior ring must be positive (clockwise, y down)", float64(a)/2)
			}
			open = false
			finish()
		}
	}
	if !g.fatal {
		switch {
		case typ == typeLineString && open && lineTos == 0:
			g.add(RuleLineTo, "line without LineTo at the end")
		case typ == typePolygon && open:
			g.add(RuleClosePath, "last ring not closed")
		}
	}
	finish()
	if outRange > 0 {
		g.add(RuleCoordinates, "%d coordinates outside [%d, %d]", outRange, lim.min, lim.max)
	}
	return g
}

// delta decodes a zigzag-encoded parameter pair.
func delta(p []uint64) (dx, dy int64, ok bool) {
	ok = p[0] <= math.MaxUint32 && p[1] <= math.MaxUint32
	return unzigzag(uint32(p[0])), unzigzag(uint32(p[1])), ok
}

func unzigzag(v uint32) int64 { return int64(int32(v>>1) ^ -int32(v&1)) }

// count returns 1 if (x, y) lies outside the bounds.
func (b *bounds) count(x, y int64) int {
	if b == nil || (x >= b.min && x <= b.max && y >= b.min && y <= b.max) {
		return 0
	}
	return 1
}

// area2 returns twice the signed area of a ring (implicitly closed), with
// the shoelace formula: positive for an exterior ring in MVT's y-down tile
// coordinates.
func area2(r [][2]int64) int64 {
	if len(r) < 3 {
		return 0
	}
	var s int64
	prev := r[len(r)-1]
	for _, p := range r {
		s += prev[0]*p[1] - p[0]*prev[1]
		prev = p
	}
	return s
}

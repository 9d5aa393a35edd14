// Package openinghours parses and evaluates OpenStreetMap opening_hours
// values, the format of the horaires field of the national standard of
// digital-inclusion places, such as "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00".
//
// It supports the subset that real data uses: weekday selectors (single
// days, ranges including wrapping ones such as Sa-Mo, and lists), lists of
// time ranges (an end at or before the start means past midnight, as in
// Fr 20:00-02:00), the states open, closed and off, 24/7, comments in double
// quotes, the normal rule separator ";" and the additional rule separator ","
// that precedes a day selector.
//
// Rules are evaluated as the OpenStreetMap specification says: a normal rule
// (after ";") that opens some days replaces everything earlier rules said
// about those days, including the part after midnight of an overnight range
// of the previous day; a rule with off or closed only closes the time ranges
// it names (the whole day when it names none); an additional rule (after
// ",") adds to earlier rules without replacing them.
//
// The selector PH matches the French public holidays given by Holiday: in
// "Mo-Fr 09:00-17:00; PH off" a place is closed on the lundi de Pâques, and
// "PH 10:00-12:00" opens it that morning only. A public holiday still is its
// weekday, so "Mo-Fr 09:00-17:00" alone stays open on it. The selector SH
// (school holidays) is accepted but, with no school calendar, never
// matches. Selectors of months, weeks, dates and years, variable times
// (sunrise), open ends (18:00+), fallback rules (||) and the unknown state
// (including a comment alone, as in `Sa "sur rendez-vous"`) are reported as
// errors wrapping ErrUnsupported; malformed values return errors wrapping
// ErrInvalid. Both are of type *Error, which says where the problem is.
//
// A comment with a time range, as in `Sa 14:00-18:00 "sur rendez-vous"`,
// leaves the range open and is reported with it by Week. Comments of closed
// rules are kept by String but not shown by Week.
//
// Parsing is lenient where meaning is clear: day names and keywords in any
// case (mo-fr, ph OFF), any whitespace including non-breaking spaces, en
// dashes, one-digit hours (9:00), empty rules (a trailing ";") and ends past
// 24:00 (22:00-26:00). A rule with days but no time, such as "Sa,Su", is
// open all day, as the specification says.
//
// Times are wall-clock times, and holidays dates, in the location of the
// time.Time passed to the evaluation methods: pass times in Europe/Paris
// (see Paris). A Schedule is immutable and safe for concurrent use.
package openinghours

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
	allDays        = 1<<7 - 1

	// maxInputLen bounds the work done on untrusted input; real values are a
	// few dozen bytes long.
	maxInputLen = 8192
	// maxSearch is how far ahead NextChange looks.
	maxSearch = 8 * 24 * time.Hour
)

// Error kinds, to be matched with errors.Is.
var (
	// ErrInvalid is wrapped by errors about values that are not valid
	// opening_hours syntax, such as "lundi 9h-12h" or "Mo-Fr 25:00-26:00".
	ErrInvalid = errors.New("invalid opening hours")
	// ErrUnsupported is wrapped by errors about valid opening_hours features
	// that this package does not evaluate, such as "Jan-Mar" or "||".
	ErrUnsupported = errors.New("unsupported opening hours")
)

// Error is the error returned by Parse. It tells where in the input the
// problem was found; Kind is ErrInvalid or ErrUnsupported.
type Error struct {
	Kind   error  // ErrInvalid or ErrUnsupported
	Offset int    // byte offset in the input
	Msg    string // what is wrong, in English
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("%v at offset %d: %s", e.Kind, e.Offset, e.Msg)
}

// Unwrap returns the kind, so that errors.Is(err, ErrInvalid) works.
func (e *Error) Unwrap() error { return e.Kind }

// Interval is a span of opening within one day, in minutes since midnight,
// for drawing a weekly table. End is greater than Start and may be 1440 (the
// end of the day). Comment is the comment of the rule that opened it, if any.
type Interval struct {
	Start, End int
	Comment    string
}

// Schedule is a parsed opening_hours value.
type Schedule struct {
	rules []rule
	// segs are the open spans of a week, in minutes since Monday 00:00,
	// sorted and disjoint; neighbours differ in comment.
	segs []seg
	// toggles are the minutes of the week at which the open state changes,
	// sorted; empty when the state never changes.
	toggles []int
	// hasPH says whether some rule selects public holidays: only then do
	// the evaluation methods look at the calendar.
	hasPH bool
}

type seg struct {
	start, end int
	comment    string
}

type rule struct {
	additive   bool // follows "," rather than ";"
	sel        selector
	times      []timeRange
	closed     bool // off or closed
	open       bool // the explicit state open was given
	comment    string
	hasComment bool
}

// selector is the day part of a rule. With no groups and all false it
// selects every day. Several groups (only "PH Mo-Fr" is allowed) intersect.
type selector struct {
	all    bool // 24/7
	groups []dayGroup
}

// dayGroup is a comma-separated list of days, day ranges and holidays.
type dayGroup struct {
	days     uint8 // bit 0 is Monday
	holidays uint8 // holidayPH | holidaySH
}

const (
	holidayPH = 1 << iota
	holidaySH
)

// timeRange is in minutes since the midnight of the selected day;
// end > start and end-start <= 1440, so end may be in the next day.
type timeRange struct{ start, end int }

// days returns the ordinary weekdays the selector matches.
func (s selector) days() uint8 {
	if s.all || len(s.groups) == 0 {
		return allDays
	}
	d := uint8(allDays)
	for _, g := range s.groups {
		d &= g.days
	}
	return d
}

// matches reports whether the selector matches a day, Monday being 0, that
// is a public holiday or not.
func (s selector) matches(day int, ph bool) bool {
	for _, g := range s.groups {
		if g.days&(1<<day) == 0 && (!ph || g.holidays&holidayPH == 0) {
			return false
		}
	}
	return true
}

// Parse parses an opening_hours value. The error, if any, is an *Error
// wrapping ErrInvalid or ErrUnsupported.
func Parse(s string) (*Schedule, error) {
	if len(s) > maxInputLen {
		return nil, &Error{Kind: ErrInvalid, Offset: maxInputLen, Msg: fmt.Sprintf("value longer than %d bytes", maxInputLen)}
	}
	p := parser{src: s}
	p.advance()
	var rules []rule
	additive := false
	for {
		if additive && (p.tok.kind == tEOF || p.tok.kind == tSemi) {
			return nil, p.unexpected("a rule after ','")
		}
		if p.tok.kind == tSemi { // empty rule, as in a trailing ";"
			p.advance()
			continue
		}
		if p.tok.kind == tEOF {
			break
		}
		r, err := p.parseRule(additive)
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
		additive = p.additiveNext
		p.additiveNext = false
		if additive {
			continue
		}
		switch p.tok.kind {
		case tSemi:
			p.advance()
		case tEOF:
		default:
			return nil, p.unexpected("';' or the end of the value")
		}
	}
	if len(rules) == 0 {
		return nil, &Error{Kind: ErrInvalid, Offset: 0, Msg: "empty value"}
	}
	sch := &Schedule{rules: rules}
	for _, r := range rules {
		for _, g := range r.sel.groups {
			if g.holidays&holidayPH != 0 {
				sch.hasPH = true
			}
		}
	}
	sch.evaluate()
	return sch, nil
}

// evaluate applies the rules in order to a week and records the result.
func (s *Schedule) evaluate() {
	var set segSet
	full := []timeRange{{0, minutesPerDay}}
	for _, r := range s.rules {
		days := r.sel.days()
		if days == 0 {
			continue
		}
		times := r.times
		if len(times) == 0 {
			times = full
		}
		for d := range 7 {
			if days&(1<<d) == 0 {
				continue
			}
			base := d * minutesPerDay
			if r.closed {
				for _, tr := range times {
					set.removeWrapped(base+tr.start, base+tr.end)
				}
				continue
			}
			if !r.additive {
				set.remove(base, base+minutesPerDay)
			}
		}
		if r.closed {
			continue
		}
		for d := range 7 {
			if days&(1<<d) == 0 {
				continue
			}
			base := d * minutesPerDay
			for _, tr := range times {
				set.addWrapped(base+tr.start, base+tr.end, r.comment)
			}
		}
	}
	s.segs = slices.Clip(set.segs)
	s.toggles = toggles(s.segs)
}

// evaluateDays applies the rules to two consecutive days, the first one
// being the weekday first (Monday 0), each a public holiday or not. It
// returns the open spans in minutes since the midnight that starts the
// first day, sorted and disjoint; the second day is complete, having the
// overnight ranges of the first.
func (s *Schedule) evaluateDays(first int, ph [2]bool) []seg {
	var set segSet
	full := []timeRange{{0, minutesPerDay}}
	for _, r := range s.rules {
		times := r.times
		if len(times) == 0 {
			times = full
		}
		var match [2]bool
		for i := range match {
			match[i] = r.sel.all || r.sel.matches((first+i)%7, ph[i])
			if !match[i] {
				continue
			}
			base := i * minutesPerDay
			switch {
			case r.closed:
				for _, tr := range times {
					set.remove(base+tr.start, base+tr.end)
				}
			case !r.additive:
				set.remove(base, base+minutesPerDay)
			}
		}
		if r.closed {
			continue
		}
		for i := range match {
			if match[i] {
				for _, tr := range times {
					set.add(i*minutesPerDay+tr.start, i*minutesPerDay+tr.end, r.comment)
				}
			}
		}
	}
	return set.segs
}

// toggles returns the minutes of the week at which the open state changes.
func toggles(segs []seg) []int {
	var spans [][2]int // open spans, ignoring comments
	for _, g := range segs {
		if n := len(spans); n > 0 && spans[n-1][1] == g.start {
			spans[n-1][1] = g.end
			continue
		}
		spans = append(spans, [2]int{g.start, g.end})
	}
	if len(spans) == 0 || (len(spans) == 1 && spans[0] == [2]int{0, minutesPerWeek}) {
		return nil
	}
	var out []int
	for _, sp := range spans {
		out = append(out, sp[0]%minutesPerWeek, sp[1]%minutesPerWeek)
	}
	// A span ending on Sunday at midnight and one starting on Monday at
	// midnight are one span across the week boundary: 0 appears twice.
	if spans[0][0] == 0 && spans[len(spans)-1][1] == minutesPerWeek {
		out = slices.DeleteFunc(out, func(m int) bool { return m == 0 })
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// segSet is a sorted set of disjoint spans of a week.
type segSet struct {
	segs, buf []seg
}

// remove removes [a, b) with 0 <= a <= b <= minutesPerWeek.
func (s *segSet) remove(a, b int) {
	out := s.buf[:0]
	for _, g := range s.segs {
		if g.end <= a || g.start >= b {
			out = append(out, g)
			continue
		}
		if g.start < a {
			out = append(out, seg{g.start, a, g.comment})
		}
		if g.end > b {
			out = append(out, seg{b, g.end, g.comment})
		}
	}
	s.segs, s.buf = out, s.segs
}

// add opens [a, b) with 0 <= a < b <= minutesPerWeek, with the comment c.
func (s *segSet) add(a, b int, c string) {
	s.remove(a, b)
	i := sort.Search(len(s.segs), func(i int) bool { return s.segs[i].start >= b })
	s.segs = slices.Insert(s.segs, i, seg{a, b, c})
	if i+1 < len(s.segs) && s.segs[i+1].start == b && s.segs[i+1].comment == c {
		s.segs[i].end = s.segs[i+1].end
		s.segs = slices.Delete(s.segs, i+1, i+2)
	}
	if i > 0 && s.segs[i-1].end == a && s.segs[i-1].comment == c {
		s.segs[i-1].end = s.segs[i].end
		s.segs = slices.Delete(s.segs, i, i+1)
	}
}

// addWrapped is add for a span that may go past the end of the week.
func (s *segSet) addWrapped(a, b int, c string) {
	if b <= minutesPerWeek {
		s.add(a, b, c)
		return
	}
	s.add(a, minutesPerWeek, c)
	s.add(0, b-minutesPerWeek, c)
}

// removeWrapped is remove for a span that may go past the end of the week.
func (s *segSet) removeWrapped(a, b int) {
	if b <= minutesPerWeek {
		s.remove(a, b)
		return
	}
	s.remove(a, minutesPerWeek)
	s.remove(0, b-minutesPerWeek)
}

// weekMinute returns the minute of the week of t's wall clock, Monday 00:00
// being 0.
func weekMinute(t time.Time) (day, minute int) {
	day = (int(t.Weekday()) + 6) % 7
	h, m, _ := t.Clock()
	return day, day*minutesPerDay + h*60 + m
}

// dayOf returns the open spans that decide the day of t and the minute of
// t's wall clock on the same scale: the day runs from that minute's
// midnight, dayStart, to dayStart+1440. Without a holiday on that day or
// the day before, they are the spans of the ordinary week.
func (s *Schedule) dayOf(t time.Time) (segs []seg, dayStart, minute int) {
	day, m := weekMinute(t)
	if !s.hasPH {
		return s.segs, day * minutesPerDay, m
	}
	ph := [2]bool{isHoliday(t, -1), isHoliday(t, 0)}
	if !ph[0] && !ph[1] {
		return s.segs, day * minutesPerDay, m
	}
	return s.evaluateDays((day+6)%7, ph), minutesPerDay, minutesPerDay + m - day*minutesPerDay
}

// OpenAt reports whether the schedule is open at t, read on the wall clock
// and calendar of t's location. A nil Schedule is always closed.
func (s *Schedule) OpenAt(t time.Time) bool {
	if s == nil {
		return false
	}
	segs, _, m := s.dayOf(t)
	i := sort.Search(len(segs), func(i int) bool { return segs[i].end > m })
	return i < len(segs) && segs[i].start <= m
}

// NextChange returns the first instant after t at which the schedule opens
// or closes, looking at most 8 days ahead. It returns false when the state
// does not change within that time, as with 24/7 or a schedule that is
// always closed. Across a daylight saving time change it follows the wall
// clock of t's location: a change may then happen at the instant the
// clocks jump.
func (s *Schedule) NextChange(t time.Time) (time.Time, bool) {
	if s == nil || (len(s.toggles) == 0 && !s.hasPH) {
		return time.Time{}, false
	}
	cur := s.OpenAt(t)
	limit := t.Add(maxSearch)
	x := t
	// Walk from boundary to boundary of the open spans, and midnight to
	// midnight, within periods of constant UTC offset: within one, the
	// wall clock runs with the instant.
	for range 1024 {
		_, end := x.ZoneBounds()
		segs, dayStart, m := s.dayOf(x)
		next := dayStart + minutesPerDay
		if i := sort.Search(len(segs), func(i int) bool { return segs[i].end > m }); i < len(segs) {
			b := segs[i].end
			if segs[i].start > m {
				b = segs[i].start
			}
			next = min(next, b)
		}
		c := x.Add(-time.Duration(x.Second())*time.Second - time.Duration(x.Nanosecond())).Add(time.Duration(next-m) * time.Minute)
		if !end.IsZero() && !c.Before(end) {
			// The offset changes first: the jump of the wall clock may
			// change the state by itself.
			c = end
		}
		if c.After(limit) {
			return time.Time{}, false
		}
		if s.OpenAt(c) != cur {
			return c, true
		}
		x = c
	}
	return time.Time{}, false
}

// Week returns the opening intervals of each day, index 0 being Monday, for
// drawing a weekly table. An overnight range is split between the two days.
// Rules that only apply on holidays are not shown.
func (s *Schedule) Week() [7][]Interval {
	var w [7][]Interval
	if s == nil {
		return w
	}
	for _, g := range s.segs {
		for d := g.start / minutesPerDay; d < 7 && d*minutesPerDay < g.end; d++ {
			base := d * minutesPerDay
			w[d] = append(w[d], Interval{
				Start:   max(g.start, base) - base,
				End:     min(g.end, base+minutesPerDay) - base,
				Comment: g.comment,
			})
		}
	}
	return w
}

// String returns the schedule in a normalised opening_hours form: two-letter
// day names, canonical day lists, HH:MM times, "off" for closed, a space
// between the parts of a rule and "; " between rules. Parsing it gives the
// same schedule.
func (s *Schedule) String() string {
	if s == nil {
		return ""
	}
	var b strings.Builder
	for i, r := range s.rules {
		if i > 0 {
			if r.additive {
				b.WriteString(", ")
			} else {
				b.WriteString("; ")
			}
		}
		r.format(&b)
	}
	return b.String()
}

var dayNames = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

func (r rule) format(b *strings.Builder) {
	var parts []string
	switch {
	case r.sel.all:
		parts = append(parts, "24/7")
	case len(r.sel.groups) > 0:
		gs := make([]string, len(r.sel.groups))
		for i, g := range r.sel.groups {
			gs[i] = g.format()
		}
		parts = append(parts, strings.Join(gs, " "))
	}
	if len(r.times) > 0 {
		ts := make([]string, len(r.times))
		for i, tr := range r.times {
			ts[i] = tr.format()
		}
		parts = append(parts, strings.Join(ts, ","))
	}
	switch {
	case r.closed:
		parts = append(parts, "off")
	case len(r.times) == 0 && !r.sel.all:
		parts = append(parts, "open")
	}
	if r.hasComment {
		parts = append(parts, `"`+r.comment+`"`)
	}
	b.WriteString(strings.Join(parts, " "))
}

func (g dayGroup) format() string {
	var items []string
	if g.holidays&holidayPH != 0 {
		items = append(items, "PH")
	}
	if g.holidays&holidaySH != 0 {
		items = append(items, "SH")
	}
	if g.days != 0 {
		items = append(items, formatDays(g.days))
	}
	return strings.Join(items, ",")
}

// formatDays writes a set of days as ranges of three days or more and lists
// otherwise.
func formatDays(days uint8) string {
	if days&allDays == allDays {
		return "Mo-Su"
	}
	type run struct{ from, n int }
	var runs []run
	for d := 0; d < 7; d++ {
		if days&(1<<d) == 0 {
			continue
		}
		if k := len(runs); k > 0 && runs[k-1].from+runs[k-1].n == d {
			runs[k-1].n++
			continue
		}
		runs = append(runs, run{d, 1})
	}
	// Join a run ending on Sunday to one starting on Monday, as in Sa-Mo,
	// unless both read well alone, as in Mo-We,Fr-Su.
	if k := len(runs); k > 1 && runs[0].from == 0 && runs[k-1].from+runs[k-1].n == 7 &&
		(runs[0].n < 3 || runs[k-1].n < 3) {
		runs[k-1].n += runs[0].n
		runs = runs[1:]
	}
	var items []string
	for _, r := range runs {
		switch {
		case r.n >= 3:
			items = append(items, dayNames[r.from]+"-"+dayNames[(r.from+r.n-1)%7])
		default:
			for i := range r.n {
				items = append(items, dayNames[(r.from+i)%7])
			}
		}
	}
	return strings.Join(items, ",")
}

func (tr timeRange) format() string {
	end := tr.end
	if end > minutesPerDay {
		end -= minutesPerDay
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", tr.start/60, tr.start%60, end/60, end%60)
}

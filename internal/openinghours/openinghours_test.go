package openinghours

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris for the daylight saving tests
)

// weekString renders Week compactly: "Mo 09:00-12:00; Sa 10:00-12:00 "c"".
func weekString(w [7][]Interval) string {
	var days []string
	for d, ivs := range w {
		if len(ivs) == 0 {
			continue
		}
		var parts []string
		for _, iv := range ivs {
			p := fmt.Sprintf("%02d:%02d-%02d:%02d", iv.Start/60, iv.Start%60, iv.End/60, iv.End%60)
			if iv.Comment != "" {
				p += fmt.Sprintf(" %q", iv.Comment)
			}
			parts = append(parts, p)
		}
		days = append(days, dayNames[d]+" "+strings.Join(parts, ","))
	}
	if len(days) == 0 {
		return "closed"
	}
	return strings.Join(days, "; ")
}

const (
	weekdays      = "Mo 09:00-12:00,14:00-18:30; Tu 09:00-12:00,14:00-18:30; We 09:00-12:00,14:00-18:30; Th 09:00-12:00,14:00-18:30; Fr 09:00-12:00,14:00-18:30"
	allWeek       = "Mo 00:00-24:00; Tu 00:00-24:00; We 00:00-24:00; Th 00:00-24:00; Fr 00:00-24:00; Sa 00:00-24:00; Su 00:00-24:00"
	nineToFive    = "Mo 09:00-17:00; Tu 09:00-17:00; We 09:00-17:00; Th 09:00-17:00; Fr 09:00-17:00"
	tenToNoonMoFr = "Mo 10:00-12:00; Tu 10:00-12:00; We 10:00-12:00; Th 10:00-12:00; Fr 10:00-12:00"
)

func TestParseValid(t *testing.T) {
	cases := []struct {
		name, in, str, week string
	}{
		{"weekdays and Saturday", "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
			"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00", weekdays + "; Sa 08:30-12:00"},
		{"later rule overrides a day", "Tu-Fr 14:00-17:00; We 10:00-12:00,14:00-17:00; Sa 10:00-12:00",
			"Tu-Fr 14:00-17:00; We 10:00-12:00,14:00-17:00; Sa 10:00-12:00",
			"Tu 14:00-17:00; We 10:00-12:00,14:00-17:00; Th 14:00-17:00; Fr 14:00-17:00; Sa 10:00-12:00"},
		{"day list", "Mo,We 09:00-12:00,13:45-17:30; Tu 09:00-12:00,15:30-17:30",
			"Mo,We 09:00-12:00,13:45-17:30; Tu 09:00-12:00,15:30-17:30",
			"Mo 09:00-12:00,13:45-17:30; Tu 09:00-12:00,15:30-17:30; We 09:00-12:00,13:45-17:30"},
		{"24/7", "24/7", "24/7", allWeek},
		{"all day every day", "Mo-Su 00:00-24:00", "Mo-Su 00:00-24:00", allWeek},
		{"public holidays off", "Mo-Fr 09:00-17:00; PH off", "Mo-Fr 09:00-17:00; PH off", nineToFive},
		{"off with a time", "Mo 10:00-12:00 off", "Mo 10:00-12:00 off", "closed"},
		{"comment", `Sa 14:00-18:00 "sur rendez-vous"`, `Sa 14:00-18:00 "sur rendez-vous"`, `Sa 14:00-18:00 "sur rendez-vous"`},
		{"day off", "Mo-Fr 08:00-12:00; We off", "Mo-Fr 08:00-12:00; We off",
			"Mo 08:00-12:00; Tu 08:00-12:00; Th 08:00-12:00; Fr 08:00-12:00"},
		{"past midnight", "Fr 20:00-02:00", "Fr 20:00-02:00", "Fr 20:00-24:00; Sa 00:00-02:00"},
		{"past midnight on Sunday", "Su 20:00-02:00", "Su 20:00-02:00", "Mo 00:00-02:00; Su 20:00-24:00"},
		{"end before start", "Mo-Fr 12:00-09:00", "Mo-Fr 12:00-09:00",
			"Mo 12:00-24:00; Tu 00:00-09:00,12:00-24:00; We 00:00-09:00,12:00-24:00; Th 00:00-09:00,12:00-24:00; Fr 00:00-09:00,12:00-24:00; Sa 00:00-09:00"},
		{"extended end hour", "Sa 22:00-26:00", "Sa 22:00-02:00", "Sa 22:00-24:00; Su 00:00-02:00"},
		{"start equals end is a full day", "Mo 12:00-12:00", "Mo 12:00-12:00", "Mo 12:00-24:00; Tu 00:00-12:00"},
		{"midnight to midnight", "Mo 00:00-00:00", "Mo 00:00-24:00", "Mo 00:00-24:00"},
		{"normal rule replaces the night before", "Fr 20:00-02:00; Sa 10:00-12:00",
			"Fr 20:00-02:00; Sa 10:00-12:00", "Fr 20:00-24:00; Sa 10:00-12:00"},
		{"additional rule keeps the night before", "Fr 20:00-02:00, Sa 10:00-12:00",
			"Fr 20:00-02:00, Sa 10:00-12:00", "Fr 20:00-24:00; Sa 00:00-02:00,10:00-12:00"},
		{"off keeps the rest of the day", "Mo-Fr 09:00-17:00; We 12:00-14:00 off",
			"Mo-Fr 09:00-17:00; We 12:00-14:00 off",
			"Mo 09:00-17:00; Tu 09:00-17:00; We 09:00-12:00,14:00-17:00; Th 09:00-17:00; Fr 09:00-17:00"},
		{"day off closes the night before", "Fr 20:00-02:00; Sa off", "Fr 20:00-02:00; Sa off", "Fr 20:00-24:00"},
		{"24/7 with a day off", "24/7; Su off", "24/7; Su off",
			"Mo 00:00-24:00; Tu 00:00-24:00; We 00:00-24:00; Th 00:00-24:00; Fr 00:00-24:00; Sa 00:00-24:00"},
		{"no day selector", "10:00-12:00", "10:00-12:00",
			tenToNoonMoFr + "; Sa 10:00-12:00; Su 10:00-12:00"},
		{"days without time", "Sa,Su", "Sa,Su open", "Sa 00:00-24:00; Su 00:00-24:00"},
		{"closed is off", "Mo-Fr 10:00-12:00; Fr closed", "Mo-Fr 10:00-12:00; Fr off",
			"Mo 10:00-12:00; Tu 10:00-12:00; We 10:00-12:00; Th 10:00-12:00"},
		{"open is implied", "Mo-Fr 10:00-12:00 open", "Mo-Fr 10:00-12:00", tenToNoonMoFr},
		{"lower case", "mo-fr 10:00-12:00; ph OFF", "Mo-Fr 10:00-12:00; PH off", tenToNoonMoFr},
		{"loose whitespace", "  Mo - Fr  10:00 - 12:00 ;Sa\t10:00-12:00 ;  ",
			"Mo-Fr 10:00-12:00; Sa 10:00-12:00", tenToNoonMoFr + "; Sa 10:00-12:00"},
		{"non-breaking spaces and en dashes", "Mo\u2013Fr\u00a010:00\u201312:00", "Mo-Fr 10:00-12:00", tenToNoonMoFr},
		{"one-digit hour", "Mo 9:00-12:00", "Mo 09:00-12:00", "Mo 09:00-12:00"},
		{"wrapping day range", "Sa-Mo 10:00-12:00", "Sa-Mo 10:00-12:00", "Mo 10:00-12:00; Sa 10:00-12:00; Su 10:00-12:00"},
		{"two ranges", "Mo-We,Fr-Su 10:00-12:00", "Mo-We,Fr-Su 10:00-12:00",
			"Mo 10:00-12:00; Tu 10:00-12:00; We 10:00-12:00; Fr 10:00-12:00; Sa 10:00-12:00; Su 10:00-12:00"},
		{"repeated days", "Tu,Mo,Mo 10:00-12:00", "Mo,Tu 10:00-12:00", "Mo 10:00-12:00; Tu 10:00-12:00"},
		{"holiday and day", "Sa,PH 10:00-12:00", "PH,Sa 10:00-12:00", "Sa 10:00-12:00"},
		{"school holidays on weekdays", "SH Mo-Fr 10:00-12:00", "SH Mo-Fr 10:00-12:00", "closed"},
		{"overlapping ranges", "Mo 10:00-12:00,11:00-13:00", "Mo 10:00-12:00,11:00-13:00", "Mo 10:00-13:00"},
		{"comments differ", `Mo 10:00-12:00 "a"; Mo 12:00-14:00 "b", Mo 10:00-11:00`,
			`Mo 10:00-12:00 "a"; Mo 12:00-14:00 "b", Mo 10:00-11:00`, `Mo 10:00-11:00,12:00-14:00 "b"`},
		{"additional rule comment", `Mo 10:00-12:00 "a", Tu 10:00-12:00 "b"`, `Mo 10:00-12:00 "a", Tu 10:00-12:00 "b"`,
			`Mo 10:00-12:00 "a"; Tu 10:00-12:00 "b"`},
		{"off with comment", `Mo-Fr 10:00-12:00; We off "fermé"`, `Mo-Fr 10:00-12:00; We off "fermé"`,
			"Mo 10:00-12:00; Tu 10:00-12:00; Th 10:00-12:00; Fr 10:00-12:00"},
		{"state only", "open", "open", allWeek},
		{"semicolon in a comment", `Mo 10:00-12:00 "a; b"`, `Mo 10:00-12:00 "a; b"`, `Mo 10:00-12:00 "a; b"`},
		{"empty rules", ";;Mo 10:00-12:00;;", "Mo 10:00-12:00", "Mo 10:00-12:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if got := s.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
			if got := weekString(s.Week()); got != tc.week {
				t.Errorf("Week() = %s\nwant        %s", got, tc.week)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name   string
		in     string
		kind   error
		offset int
	}{
		{"French", "lundi 9h-12h", ErrInvalid, 0},
		{"hour out of range", "Mo-Fr 25:00-26:00", ErrInvalid, 6},
		{"start at 24:00", "Mo-Fr 24:00-25:00", ErrInvalid, 6},
		{"end out of range", "Mo 10:00-49:00", ErrInvalid, 9},
		{"minutes out of range", "Mo-Fr 09:00-12:60", ErrInvalid, 15},
		{"one-digit minutes", "Mo 09:0-12:00", ErrInvalid, 6},
		{"h for colon", "Mo-Fr 9h-12h", ErrInvalid, 7},
		{"no colon", "Mo 0900-1200", ErrInvalid, 3},
		{"empty", "", ErrInvalid, 0},
		{"blank", "  ;; ", ErrInvalid, 0},
		{"missing comma between times", "Mo-Fr 09:00-12:00 14:00-18:00", ErrInvalid, 18},
		{"missing semicolon", "Mo-Fr 09:00-12:00 Sa 10:00-12:00", ErrInvalid, 18},
		{"unknown day", "Mo-Xy 10:00-12:00", ErrInvalid, 3},
		{"days without comma", "Mo Tu 10:00-12:00", ErrInvalid, 3},
		{"dangling dash", "Mo-", ErrInvalid, 3},
		{"dangling comma", "Mo 10:00-12:00,", ErrInvalid, 15},
		{"additional rule without day", "Mo 10:00-12:00, off", ErrInvalid, 16},
		{"single pipe", "Mo-Fr 09:00-12:00 | Sa", ErrInvalid, 18},
		{"unterminated comment", `Mo 10:00-12:00 "sur rendez-vous`, ErrInvalid, 15},
		{"two comments", `Mo 10:00-12:00 "a" "b"`, ErrInvalid, 19},
		{"two states", "Mo 10:00-12:00 open off", ErrInvalid, 20},
		{"24/8", "24/8", ErrInvalid, 3},
		{"time after 24/7", "24/7 10:00-12:00", ErrInvalid, 5},
		{"stray character", "Mo @ 10:00-12:00", ErrInvalid, 3},
		{"invalid UTF-8", "Mo \xff", ErrInvalid, 3},
		{"too long", strings.Repeat("Mo 10:00-12:00; ", 600), ErrInvalid, maxInputLen},
		{"months", "Jan-Mar Mo-Fr 10:00-12:00", ErrUnsupported, 0},
		{"month after rule", "Mo-Fr 09:00-12:00; Dec 25 off", ErrUnsupported, 19},
		{"month in day list", "Mo,Dec 25 off", ErrUnsupported, 3},
		{"weeks", "week 1-10 Mo 10:00-12:00", ErrUnsupported, 0},
		{"date", "2024 Dec 25 off", ErrUnsupported, 0},
		{"fallback", `Mo-Fr 09:00-12:00 || "sur rendez-vous"`, ErrUnsupported, 18},
		{"open end", "Mo-Fr 18:00+", ErrUnsupported, 11},
		{"sunrise", "Mo-Fr sunrise-sunset", ErrUnsupported, 6},
		{"nth weekday", "Th[1] 10:00-12:00", ErrUnsupported, 2},
		{"holiday offset", "PH +1 day off", ErrUnsupported, 3},
		{"time without end", "Mo 10:00", ErrUnsupported, 3},
		{"repeating", "Mo-Fr 10:00-16:00/01:00", ErrUnsupported, 17},
		{"comment only", `"sur rendez-vous"`, ErrUnsupported, 0},
		{"day and comment", `Mo-Fr 09:00-12:00; Sa "sur rendez-vous"`, ErrUnsupported, 19},
		{"unknown state", "Mo unknown", ErrUnsupported, 3},
		{"longer than a day", "Mo 01:00-48:00", ErrUnsupported, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want an error", tc.in, s)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("Parse(%q) error %q is not %v", tc.in, err, tc.kind)
			}
			other := ErrInvalid
			if tc.kind == ErrInvalid {
				other = ErrUnsupported
			}
			if errors.Is(err, other) {
				t.Errorf("Parse(%q) error %q is also %v", tc.in, err, other)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T is not *Error", tc.in, err)
			}
			if e.Offset != tc.offset {
				t.Errorf("Parse(%q) error %q at offset %d, want %d", tc.in, err, e.Offset, tc.offset)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	_, err := Parse("Mo-Fr 25:00-26:00")
	want := "invalid opening hours at offset 6: start hour 25 out of range 00-23"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

var paris = time.FixedZone("CET", 3600)

// at returns a time in the week of Monday 1 January 2024 (day 1 is Monday).
func at(day, h, m, s int) time.Time { return time.Date(2024, 1, day, h, m, s, 0, paris) }

func TestOpenAtNextChange(t *testing.T) {
	const usual = "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"
	never := time.Time{}
	cases := []struct {
		name     string
		schedule string
		t        time.Time
		open     bool
		next     time.Time // zero: no change
	}{
		{"before opening", usual, at(1, 8, 59, 59), false, at(1, 9, 0, 0)},
		{"at opening", usual, at(1, 9, 0, 0), true, at(1, 12, 0, 0)},
		{"before closing", usual, at(1, 11, 59, 59), true, at(1, 12, 0, 0)},
		{"at closing", usual, at(1, 12, 0, 0), false, at(1, 14, 0, 0)},
		{"Friday evening", usual, at(5, 18, 30, 0), false, at(6, 8, 30, 0)},
		{"Saturday noon", usual, at(6, 12, 0, 0), false, at(8, 9, 0, 0)},
		{"Sunday night", usual, at(7, 23, 59, 59), false, at(8, 9, 0, 0)},
		{"subsecond", usual, at(1, 11, 59, 59).Add(999 * time.Millisecond), true, at(1, 12, 0, 0)},
		{"overnight before", "Fr 20:00-02:00", at(5, 19, 0, 0), false, at(5, 20, 0, 0)},
		{"overnight after midnight", "Fr 20:00-02:00", at(6, 1, 59, 0), true, at(6, 2, 0, 0)},
		{"overnight ended", "Fr 20:00-02:00", at(6, 2, 0, 0), false, at(12, 20, 0, 0)},
		{"overnight across the week", "Su 20:00-02:00", at(8, 0, 30, 0), true, at(8, 2, 0, 0)},
		{"seam across the week", `Su 22:00-24:00 "a"; Mo 00:00-02:00 "b"`, at(7, 23, 0, 0), true, at(8, 2, 0, 0)},
		{"one full day", "Mo 00:00-24:00", at(7, 12, 0, 0), false, at(8, 0, 0, 0)},
		{"end of the full day", "Mo 00:00-24:00", at(8, 10, 0, 0), true, at(9, 0, 0, 0)},
		{"24/7", "24/7", at(3, 3, 0, 0), true, never},
		{"every day all day", "Mo-Su 00:00-24:00", at(3, 3, 0, 0), true, never},
		{"always closed", "PH off", at(3, 3, 0, 0), false, never},
		{"closed by off", "Mo 10:00-12:00 off", at(1, 11, 0, 0), false, never},
		{"all but Sunday", "24/7; Su off", at(6, 23, 59, 0), true, at(7, 0, 0, 0)},
		{"commented", `Sa 14:00-18:00 "sur rendez-vous"`, at(6, 15, 0, 0), true, at(6, 18, 0, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.schedule)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.OpenAt(tc.t); got != tc.open {
				t.Errorf("OpenAt(%v) = %v, want %v", tc.t, got, tc.open)
			}
			next, ok := s.NextChange(tc.t)
			if ok != !tc.next.IsZero() || !next.Equal(tc.next) {
				t.Errorf("NextChange(%v) = %v, %v; want %v", tc.t, next, ok, tc.next)
			}
		})
	}
}

func TestOpenAtUsesLocation(t *testing.T) {
	s, err := Parse("Mo 09:00-10:00")
	if err != nil {
		t.Fatal(err)
	}
	utc := time.Date(2024, 1, 1, 8, 30, 0, 0, time.UTC)
	if s.OpenAt(utc) {
		t.Errorf("OpenAt(%v) = true, want false", utc)
	}
	if !s.OpenAt(utc.In(paris)) {
		t.Errorf("OpenAt(%v) = false, want true", utc.In(paris))
	}
}

func TestNextChangeDaylightSaving(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(mo time.Month, d, h, m int) time.Time { return time.Date(2024, mo, d, h, m, 0, 0, time.UTC) }
	cases := []struct {
		name, schedule string
		t, want        time.Time
	}{
		// 31 March 2024: 02:00 CET becomes 03:00 CEST (01:00 UTC).
		{"opening after the jump", "Su 09:00-12:00", utc(3, 31, 0, 0), utc(3, 31, 7, 0)},
		{"opening skipped by the jump", "Su 02:30-05:00", utc(3, 31, 0, 0), utc(3, 31, 1, 0)},
		{"closing skipped by the jump", "Sa 22:00-02:30", utc(3, 30, 23, 0), utc(3, 31, 1, 0)},
		// 27 October 2024: 03:00 CEST becomes 02:00 CET (01:00 UTC).
		{"first of two 02:30", "Su 02:30-05:00", utc(10, 26, 22, 0), utc(10, 27, 0, 30)},
		{"closed again by the fold", "Su 02:30-05:00", utc(10, 27, 0, 45), utc(10, 27, 1, 0)},
		{"second 02:30", "Su 02:30-05:00", utc(10, 27, 1, 0), utc(10, 27, 1, 30)},
		{"closing after the fold", "Su 02:30-05:00", utc(10, 27, 1, 30), utc(10, 27, 4, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.schedule)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := s.NextChange(tc.t.In(loc))
			if !ok || !got.Equal(tc.want) {
				t.Errorf("NextChange(%v) = %v, %v; want %v", tc.t.In(loc), got, ok, tc.want.In(loc))
			}
			if ok && s.OpenAt(got) == s.OpenAt(tc.t.In(loc)) {
				t.Errorf("state at %v is the state at %v", got, tc.t.In(loc))
			}
		})
	}
}

func TestNilSchedule(t *testing.T) {
	var s *Schedule
	if s.OpenAt(at(1, 10, 0, 0)) {
		t.Error("nil schedule is open")
	}
	if _, ok := s.NextChange(at(1, 10, 0, 0)); ok {
		t.Error("nil schedule changes")
	}
	if s.String() != "" || !reflect.DeepEqual(s.Week(), [7][]Interval{}) {
		t.Error("nil schedule is not empty")
	}
}

var fuzzSeeds = []string{
	"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
	"Tu-Fr 14:00-17:00; We 10:00-12:00,14:00-17:00; Sa 10:00-12:00",
	"Mo,We 09:00-12:00,13:45-17:30; Tu 09:00-12:00,15:30-17:30",
	"24/7",
	"Mo-Su 00:00-24:00",
	"Mo-Fr 09:00-17:00; PH off",
	"Mo 10:00-12:00 off",
	`Sa 14:00-18:00 "sur rendez-vous"`,
	"Mo-Fr 08:00-12:00; We off",
	"Fr 20:00-02:00",
	"Fr 20:00-02:00, Sa 10:00-12:00",
	"Sa-Mo 10:00-12:00",
	"mo-fr 12:00-09:00",
	"SH Mo-Fr 10:00-12:00; PH,Sa off",
	"24/7; Su off",
	"Sa,Su",
	"lundi 9h-12h",
	"Mo-Fr 25:00-26:00",
	"Jan-Mar Mo 10:00-12:00",
	"week 1-10",
	"2024 Dec 25",
	`Mo-Fr 09:00-12:00 || "sur rendez-vous"`,
	"Mo-Fr 18:00+",
	"\"",
	"Mo\u2013Fr\u00a010:00\u201312:00",
	"\xff\xfe;,:-",
	"",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	probes := []time.Time{
		at(3, 12, 0, 0),
		in("2026-04-06", 8, 59),  // Easter Monday
		in("2027-03-28", 1, 59),  // Easter Sunday, the switch to summer time
		in("2026-10-24", 23, 30), // the night of the switch to winter time
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(in)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || (!errors.Is(err, ErrInvalid) && !errors.Is(err, ErrUnsupported)) {
				t.Fatalf("Parse(%q): error %v of unexpected kind", in, err)
			}
			if e.Offset < 0 || e.Offset > len(in) {
				t.Fatalf("Parse(%q): offset %d out of the input", in, e.Offset)
			}
			return
		}
		norm := s.String()
		s2, err := Parse(norm)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", in, norm, err)
		}
		if w1, w2 := s.Week(), s2.Week(); !reflect.DeepEqual(w1, w2) {
			t.Fatalf("Parse(%q) week %s\nre-parsed %q week %s", in, weekString(w1), norm, weekString(w2))
		}
		if got := s2.String(); got != norm {
			t.Fatalf("String not stable: %q then %q", norm, got)
		}
		for _, day := range s.Week() {
			for i, iv := range day {
				if iv.Start < 0 || iv.End > minutesPerDay || iv.Start >= iv.End || i > 0 && day[i-1].End > iv.Start {
					t.Fatalf("Parse(%q): bad intervals %v", in, day)
				}
			}
		}
		for _, probe := range probes {
			open := s.OpenAt(probe)
			if next, ok := s.NextChange(probe); ok {
				if !next.After(probe) || s.OpenAt(next) == open {
					t.Fatalf("Parse(%q): NextChange(%v) = %v, but OpenAt is %v at both", in, probe, next, open)
				}
				if before := next.Add(-time.Minute); before.After(probe) && s.OpenAt(before) != open {
					t.Fatalf("Parse(%q): NextChange(%v) = %v, but the state changed by %v", in, probe, next, before)
				}
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("Mo,We 09:00-12:00,13:45-17:30; Tu 09:00-12:00,15:30-17:30; Sa 10:00-12:00; PH off"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpenAt(b *testing.B) {
	s, err := Parse("Mo,We 09:00-12:00,13:45-17:30; Tu 09:00-12:00,15:30-17:30; Sa 10:00-12:00; PH off")
	if err != nil {
		b.Fatal(err)
	}
	t := at(3, 13, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		s.OpenAt(t)
	}
}

func BenchmarkNextChange(b *testing.B) {
	s, err := Parse("Mo,We 09:00-12:00,13:45-17:30; Tu 09:00-12:00,15:30-17:30; Sa 10:00-12:00; PH off")
	if err != nil {
		b.Fatal(err)
	}
	t := at(6, 13, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		s.NextChange(t)
	}
}

func BenchmarkOpenAtHoliday(b *testing.B) {
	s, err := Parse("Mo,We 09:00-12:00,13:45-17:30; Tu 09:00-12:00,15:30-17:30; Sa 10:00-12:00; PH off")
	if err != nil {
		b.Fatal(err)
	}
	t := in("2026-04-06", 10, 0) // Easter Monday
	b.ReportAllocs()
	for b.Loop() {
		s.OpenAt(t)
	}
}

func BenchmarkNextChangeHoliday(b *testing.B) {
	s, err := Parse("Mo,We 09:00-12:00,13:45-17:30; Tu 09:00-12:00,15:30-17:30; Sa 10:00-12:00; PH off")
	if err != nil {
		b.Fatal(err)
	}
	t := in("2026-04-04", 13, 0) // the Saturday before Easter Monday
	b.ReportAllocs()
	for b.Loop() {
		s.NextChange(t)
	}
}

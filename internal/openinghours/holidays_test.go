package openinghours

import (
	"fmt"
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	cases := []struct {
		year  int
		month time.Month
		day   int
	}{
		{2024, time.March, 31}, {2025, time.April, 20}, {2026, time.April, 5},
		{2027, time.March, 28}, {2038, time.April, 25}, {2285, time.March, 22},
	}
	for _, tc := range cases {
		if m, d := Easter(tc.year); m != tc.month || d != tc.day {
			t.Errorf("Easter(%d) = %v %d, want %v %d", tc.year, m, d, tc.month, tc.day)
		}
	}
}

func TestHoliday(t *testing.T) {
	cases := []struct {
		date string
		name string // empty: not a holiday
	}{
		{"2026-01-01", "jour de l’an"},
		{"2026-04-05", ""}, // Easter Sunday
		{"2026-04-06", "lundi de Pâques"},
		{"2026-05-01", "fête du Travail"},
		{"2026-05-08", "Victoire 1945"},
		{"2026-05-14", "Ascension"},
		{"2026-05-24", ""}, // Pentecost Sunday
		{"2026-05-25", "lundi de Pentecôte"},
		{"2026-07-14", "fête nationale"},
		{"2026-08-15", "Assomption"},
		{"2026-11-01", "Toussaint"},
		{"2026-11-11", "Armistice 1918"},
		{"2026-12-25", "Noël"},
		{"2026-12-26", ""}, // Alsace-Moselle only
		{"2026-04-03", ""}, // Good Friday, Alsace-Moselle only
		{"2027-03-28", ""},
		{"2027-03-29", "lundi de Pâques"},
		{"2027-05-06", "Ascension"},
		{"2027-05-13", ""},
		{"2027-05-17", "lundi de Pentecôte"},
		{"2027-04-06", ""}, // 2026's Easter Monday
	}
	for _, tc := range cases {
		t.Run(tc.date, func(t *testing.T) {
			d, err := time.Parse(time.DateOnly, tc.date)
			if err != nil {
				t.Fatal(err)
			}
			name, ok := Holiday(d.Date())
			if name != tc.name || ok != (tc.name != "") {
				t.Errorf("Holiday(%s) = %q, %v; want %q", tc.date, name, ok, tc.name)
			}
		})
	}
	for _, year := range []int{2026, 2027, 2028} {
		n := 0
		for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
			if _, ok := Holiday(d.Date()); ok {
				n++
			}
		}
		if n != 11 {
			t.Errorf("%d has %d public holidays, want 11", year, n)
		}
	}
}

// in returns a time on the Paris wall clock.
func in(date string, h, m int) time.Time {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, Paris())
}

func TestPublicHolidays(t *testing.T) {
	const weekdaysPHOff = "Mo-Fr 09:00-17:00; PH off"
	never := time.Time{}
	cases := []struct {
		name, schedule string
		t              time.Time
		open           bool
		next           time.Time // zero: no change within 8 days
	}{
		{"PH off on Easter Monday", weekdaysPHOff, in("2026-04-06", 10, 0), false, in("2026-04-07", 9, 0)},
		{"Friday before Easter Monday", weekdaysPHOff, in("2026-04-03", 17, 0), false, in("2026-04-07", 9, 0)},
		{"Good Friday is worked", weekdaysPHOff, in("2026-04-03", 10, 0), true, in("2026-04-03", 17, 0)},
		{"weekday rule alone stays open", "Mo-Fr 09:00-17:00", in("2026-04-06", 10, 0), true, in("2026-04-06", 17, 0)},
		{"Ascension Thursday", weekdaysPHOff, in("2026-05-13", 16, 0), true, in("2026-05-13", 17, 0)},
		{"Ascension Thursday evening", weekdaysPHOff, in("2026-05-13", 18, 0), false, in("2026-05-15", 9, 0)},
		{"Ascension 2027", weekdaysPHOff, in("2027-05-06", 10, 0), false, in("2027-05-07", 9, 0)},
		{"holiday hours", "Mo-Sa 09:00-18:00; PH 10:00-12:00", in("2026-07-14", 9, 30), false, in("2026-07-14", 10, 0)},
		{"holiday hours close", "Mo-Sa 09:00-18:00; PH 10:00-12:00", in("2026-07-14", 11, 0), true, in("2026-07-14", 12, 0)},
		{"holidays only", "PH 10:00-12:00", in("2026-05-01", 12, 0), false, in("2026-05-08", 10, 0)},
		{"holidays only, none soon", "PH 10:00-12:00", in("2026-06-01", 12, 0), false, never},
		{"holiday on a Saturday", "PH Mo-Fr 10:00-12:00", in("2026-08-15", 11, 0), false, never},
		{"holiday on a Friday", "PH Mo-Fr 10:00-12:00", in("2026-05-07", 11, 0), false, in("2026-05-08", 10, 0)},
		{"overnight into a holiday", "Mo-Su 20:00-02:00; PH off", in("2026-07-13", 23, 0), true, in("2026-07-14", 0, 0)},
		// off closes the holiday itself, not the night after it, as Su off
		// would in the ordinary week.
		{"night after a closed holiday", "Mo-Su 20:00-02:00; PH off", in("2026-07-15", 1, 0), true, in("2026-07-15", 2, 0)},
		{"closed holiday evening", "Mo-Su 20:00-02:00; PH off", in("2026-07-14", 21, 0), false, in("2026-07-15", 0, 0)},
		{"week end then holiday Monday", "Mo 09:00-12:00; PH off", in("2026-05-24", 10, 0), false, in("2026-06-01", 9, 0)},
		{"Sunday to Monday", "Mo 09:00-12:00", in("2026-12-06", 23, 59), false, in("2026-12-07", 9, 0)},
		{"New Year across the year", "Mo-Su 08:00-20:00; PH off", in("2026-12-31", 19, 0), true, in("2026-12-31", 20, 0)},
		{"New Year's Day", "Mo-Su 08:00-20:00; PH off", in("2026-12-31", 21, 0), false, in("2027-01-02", 8, 0)},
		{"school holidays never match", "Mo-Fr 09:00-17:00; SH off", in("2026-08-03", 10, 0), true, in("2026-08-03", 17, 0)},
		// 28 March 2027 is Easter Sunday and the switch to summer time; the
		// Monday is a holiday.
		{"Easter and summer time", "Mo-Fr 08:00-18:00; PH off", in("2027-03-28", 1, 30), false, in("2027-03-30", 8, 0)},
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

// TestNextChangeScan compares NextChange with a minute-by-minute scan of
// OpenAt, across holidays, daylight saving time and week ends.
func TestNextChangeScan(t *testing.T) {
	schedules := []string{
		"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; PH off",
		"Mo-Su 20:00-02:00; PH off",
		"Mo-Sa 09:00-18:00; PH 10:00-12:00",
		"PH Mo-Fr 02:00-03:00",
		"Su 01:30-02:30, Mo 00:00-24:00; PH 02:15-02:45",
		"24/7; PH off",
		"Su 22:00-24:00; Mo 00:00-02:00; PH 00:30-01:00 off",
	}
	starts := []time.Time{
		in("2027-03-27", 12, 0), // Easter week end and summer time
		in("2026-10-24", 23, 0), // winter time
		in("2026-05-07", 17, 13),
		in("2026-12-24", 0, 0),
		in("2026-08-14", 21, 59),
	}
	for _, src := range schedules {
		s, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, start := range starts {
			t.Run(fmt.Sprintf("%s/%s", src, start.Format(time.RFC3339)), func(t *testing.T) {
				cur := s.OpenAt(start)
				var want time.Time
				for x := start.Add(time.Minute); x.Sub(start) <= maxSearch; x = x.Add(time.Minute) {
					if s.OpenAt(x) != cur {
						want = x
						break
					}
				}
				got, ok := s.NextChange(start)
				if ok != !want.IsZero() || !got.Equal(want) {
					t.Errorf("NextChange = %v, %v; scan finds %v", got, ok, want)
				}
			})
		}
	}
}

func TestLabel(t *testing.T) {
	now := in("2026-04-03", 10, 0) // a Friday
	cases := []struct {
		st   Status
		want string
	}{
		{Status{Open: true, Next: in("2026-04-03", 18, 0)}, "Ouvert jusqu'à 18:00"},
		{Status{Open: true, Next: in("2026-04-04", 2, 0)}, "Ouvert jusqu'à demain 02:00"},
		{Status{Open: false, Next: in("2026-04-03", 14, 0)}, "Fermé — ouvre à 14:00"},
		{Status{Open: false, Next: in("2026-04-04", 9, 0)}, "Fermé — ouvre demain à 09:00"},
		{Status{Open: false, Next: in("2026-04-07", 9, 0)}, "Fermé — ouvre mardi à 09:00"},
		{Status{Open: false, Next: in("2026-04-10", 9, 30)}, "Fermé — ouvre vendredi 10 avril à 09:30"},
		{Status{Open: true}, "Ouvert 24 h sur 24"},
		{Status{Open: false}, "Fermé"},
		{Status{Open: false, Next: in("2026-04-06", 7, 0).UTC()}, "Fermé — ouvre lundi à 07:00"},
	}
	for _, tc := range cases {
		if got := tc.st.Label(now); got != tc.want {
			t.Errorf("Label(%+v) = %q, want %q", tc.st, got, tc.want)
		}
	}
}

func TestParisWithoutSystemZones(t *testing.T) {
	// time/tzdata is embedded: Paris is the real zone, with summer time.
	if _, off := in("2026-07-01", 12, 0).Zone(); off != 2*3600 {
		t.Errorf("summer offset = %d, want 7200", off)
	}
	if _, off := in("2026-01-01", 12, 0).Zone(); off != 3600 {
		t.Errorf("winter offset = %d, want 3600", off)
	}
}

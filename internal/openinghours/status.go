package openinghours

import (
	"fmt"
	"time"
)

// Status is the state of a schedule at an instant, as shown to people.
type Status struct {
	// Open says whether the place is open at the instant.
	Open bool
	// Next is the next opening or closing, zero when the state does not
	// change within eight days.
	Next time.Time
}

// StatusAt returns the state of the schedule at t and its next change, read
// on the wall clock and calendar of t's location.
func (s *Schedule) StatusAt(t time.Time) Status {
	st := Status{Open: s.OpenAt(t)}
	if next, ok := s.NextChange(t); ok {
		st.Next = next
	}
	return st
}

// DayNames are the French names of the days, Monday first, as Week
// indexes them.
var DayNames = [7]string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}

var monthNames = [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"}

// Label says the status in French, relative to now: "Ouvert jusqu'à 18:00",
// "Ouvert jusqu'à demain 02:00", "Fermé — ouvre lundi à 09:00", "Ouvert
// 24 h sur 24", "Fermé". Dates are read in now's location.
func (st Status) Label(now time.Time) string {
	if st.Next.IsZero() {
		if st.Open {
			return "Ouvert 24 h sur 24"
		}
		return "Fermé"
	}
	next := st.Next.In(now.Location())
	hm := next.Format("15:04")
	var when string // empty today
	y, m, d := now.Date()
	ny, nm, nd := next.Date()
	days := int(time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC).Sub(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	day := DayNames[(int(next.Weekday())+6)%7]
	switch {
	case days == 1:
		when = "demain"
	case days >= 7:
		when = fmt.Sprintf("%s %d %s", day, nd, monthNames[nm-1])
	case days > 1:
		when = day
	}
	if st.Open {
		if when == "" {
			return "Ouvert jusqu'à " + hm
		}
		return "Ouvert jusqu'à " + when + " " + hm
	}
	if when == "" {
		return "Fermé — ouvre à " + hm
	}
	return "Fermé — ouvre " + when + " à " + hm
}

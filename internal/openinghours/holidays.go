package openinghours

import "time"

// Holiday returns the name of the French public holiday falling on the
// given date, if there is one. It knows the eleven holidays of the whole
// country (Code du travail, article L3133-1): eight on fixed dates and three
// that follow Easter (lundi de Pâques, Ascension, lundi de Pentecôte). The
// extra days of Alsace-Moselle and of the overseas départements are not
// included. Out-of-range days are normalised as time.Date does.
func Holiday(year int, month time.Month, day int) (string, bool) {
	d := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	year, month, day = d.Date()
	switch {
	case month == time.January && day == 1:
		return "jour de l’an", true
	case month == time.May && day == 1:
		return "fête du Travail", true
	case month == time.May && day == 8:
		return "Victoire 1945", true
	case month == time.July && day == 14:
		return "fête nationale", true
	case month == time.August && day == 15:
		return "Assomption", true
	case month == time.November && day == 1:
		return "Toussaint", true
	case month == time.November && day == 11:
		return "Armistice 1918", true
	case month == time.December && day == 25:
		return "Noël", true
	case month < time.March || month > time.June:
		return "", false
	}
	em, ed := Easter(year)
	switch int(d.Sub(time.Date(year, em, ed, 0, 0, 0, 0, time.UTC)).Hours() / 24) {
	case 1:
		return "lundi de Pâques", true
	case 39:
		return "Ascension", true
	case 50:
		return "lundi de Pentecôte", true
	}
	return "", false
}

// isHoliday reports whether the date of t, on the wall clock of t's
// location, shifted by days, is a public holiday.
func isHoliday(t time.Time, days int) bool {
	y, m, d := t.Date()
	_, ok := Holiday(y, m, d+days)
	return ok
}

// Easter returns the date of Easter Sunday in the Gregorian calendar
// (anonymous Gregorian algorithm, also called Meeus/Jones/Butcher).
func Easter(year int) (time.Month, int) {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Month(month), day
}

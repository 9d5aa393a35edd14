package openinghours_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/cartonum/cartonum/internal/openinghours"
)

func Example() {
	s, err := openinghours.Parse("mo-fr 09:00-12:00,14:00-18:30; We off; Sa 10:00-12:00 \"sur rendez-vous\"")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s)

	paris := time.FixedZone("CET", 3600)
	now := time.Date(2024, 1, 5, 12, 15, 0, 0, paris) // a Friday
	next, _ := s.NextChange(now)
	fmt.Println("open:", s.OpenAt(now), "until", next.Format("Mon 15:04"))

	days := []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
	for day, intervals := range s.Week() {
		for _, iv := range intervals {
			fmt.Printf("%s %02dh%02d-%02dh%02d %q\n", days[day], iv.Start/60, iv.Start%60, iv.End/60, iv.End%60, iv.Comment)
		}
	}

	_, err = openinghours.Parse("Jan-Mar Mo-Fr 09:00-12:00")
	fmt.Println(errors.Is(err, openinghours.ErrUnsupported), err)
	_, err = openinghours.Parse("lundi 9h-12h")
	fmt.Println(errors.Is(err, openinghours.ErrInvalid), err)
	// Output:
	// Mo-Fr 09:00-12:00,14:00-18:30; We off; Sa 10:00-12:00 "sur rendez-vous"
	// open: false until Fri 14:00
	// lundi 09h00-12h00 ""
	// lundi 14h00-18h30 ""
	// mardi 09h00-12h00 ""
	// mardi 14h00-18h30 ""
	// jeudi 09h00-12h00 ""
	// jeudi 14h00-18h30 ""
	// vendredi 09h00-12h00 ""
	// vendredi 14h00-18h30 ""
	// samedi 10h00-12h00 "sur rendez-vous"
	// true unsupported opening hours at offset 0: month selectors such as "Jan" are not supported
	// true invalid opening hours at offset 0: unknown word "lundi" (days are Mo Tu We Th Fr Sa Su)
}

func ExampleSchedule_StatusAt() {
	s, err := openinghours.Parse("Mo-Fr 09:00-12:00,14:00-17:00; PH off")
	if err != nil {
		fmt.Println(err)
		return
	}
	paris := openinghours.Paris()
	for _, now := range []time.Time{
		time.Date(2026, 4, 3, 10, 0, 0, 0, paris), // Good Friday: worked
		time.Date(2026, 4, 3, 18, 0, 0, 0, paris), // the lundi de Pâques follows
		time.Date(2026, 4, 6, 10, 0, 0, 0, paris),
	} {
		st := s.StatusAt(now)
		fmt.Println(now.Format("Mon 2 Jan 15:04"), st.Open, st.Label(now))
	}
	name, _ := openinghours.Holiday(2026, time.April, 6)
	fmt.Println(name)
	// Output:
	// Fri 3 Apr 10:00 true Ouvert jusqu'à 12:00
	// Fri 3 Apr 18:00 false Fermé — ouvre mardi à 09:00
	// Mon 6 Apr 10:00 false Fermé — ouvre demain à 09:00
	// lundi de Pâques
}

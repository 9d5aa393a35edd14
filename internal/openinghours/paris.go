package openinghours

import (
	"fmt"
	"sync"
	"time"
	// The time zone database is embedded so that Paris works on hosts and
	// containers without tzdata (distroless, scratch, Windows).
	_ "time/tzdata"
)

var parisOnce = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		// Unreachable: time/tzdata embeds the zone.
		panic(fmt.Sprintf("openinghours: %v", err))
	}
	return loc
})

// Paris returns the Europe/Paris time zone, in which the opening hours of
// French places are written. It works without a system time zone
// database.
func Paris() *time.Location { return parisOnce() }

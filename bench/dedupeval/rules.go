package main

import (
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/standard"
)

// rule is one duplicate test to measure.
type rule struct {
	name string
	dup  func(a, b *cartonum.Place) bool
}

// tests are the duplicate tests measured: IsDuplicate alone, and the
// Matcher built from all the records of the file, as the import uses it.
func tests(all []cartonum.Place) []rule {
	m := standard.NewMatcher(all)
	return []rule{
		{"IsDuplicate", standard.IsDuplicate},
		{"Matcher (frequencies of all records)", m.IsDuplicate},
	}
}

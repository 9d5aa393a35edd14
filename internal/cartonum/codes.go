package cartonum

import "regexp"

// The patterns of French territory codes, the one definition every reader
// uses (the web app's copy, web/src/codes.ts, is compared with them by a
// test).
const (
	// CommuneCodePattern is an INSEE commune code (COG): two characters of
	// département (2A and 2B for Corsica, no 20) and three digits.
	CommuneCodePattern = `^([013-9]\d|2[AB1-9])\d{3}$`
	// DepartementCodePattern is a département code: two digits, 2A, 2B, or
	// three digits overseas (971…).
	DepartementCodePattern = `^(\d{2}|2[AB]|97\d)$`
	// SIRENPattern is the SIREN of an EPCI.
	SIRENPattern = `^\d{9}$`
)

var (
	communeCode     = regexp.MustCompile(CommuneCodePattern)
	departementCode = regexp.MustCompile(DepartementCodePattern)
	siren           = regexp.MustCompile(SIRENPattern)
)

// ValidCommuneCode reports whether s is an INSEE commune code.
func ValidCommuneCode(s string) bool { return communeCode.MatchString(s) }

// ValidDepartementCode reports whether s is a département code.
func ValidDepartementCode(s string) bool { return departementCode.MatchString(s) }

// ValidSIREN reports whether s is a SIREN (nine digits).
func ValidSIREN(s string) bool { return siren.MatchString(s) }

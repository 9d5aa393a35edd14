package cartonum

import (
	"os"
	"regexp"
	"testing"
)

// TestWebCodePatterns: the web app's copy of the code patterns
// (web/src/codes.ts) is the same as the Go ones.
func TestWebCodePatterns(t *testing.T) {
	src, err := os.ReadFile("../../web/src/codes.ts")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"COMMUNE_CODE": CommuneCodePattern, "DEPARTEMENT_CODE": DepartementCodePattern, "SIREN": SIRENPattern} {
		m := regexp.MustCompile(`export const ` + name + ` = /(.*)/;`).FindSubmatch(src)
		if m == nil {
			t.Errorf("%s not found in web/src/codes.ts", name)
			continue
		}
		if string(m[1]) != want {
			t.Errorf("%s = /%s/ in the web app, %s in Go", name, m[1], want)
		}
	}
}

func TestCodes(t *testing.T) {
	for _, tc := range []struct {
		code          string
		commune, dept bool
	}{
		{"59350", true, false}, {"2A004", true, false}, {"2B033", true, false}, {"20004", false, false},
		{"97105", true, false}, {"59", false, true}, {"2A", false, true}, {"971", false, true}, {"5935", false, false},
	} {
		if ValidCommuneCode(tc.code) != tc.commune || ValidDepartementCode(tc.code) != tc.dept {
			t.Errorf("%s: commune %v, département %v", tc.code, ValidCommuneCode(tc.code), ValidDepartementCode(tc.code))
		}
	}
	if !ValidSIREN("200093201") || ValidSIREN("20009320") {
		t.Error("SIREN")
	}
}

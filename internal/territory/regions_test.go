package territory

import (
	"slices"
	"testing"
)

func TestParseRegions(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{"32", []string{"32"}, false},
		{"32,28", []string{"28", "32"}, false},
		{" 28 , 32,28", []string{"28", "32"}, false},
		{"1,94", []string{"01", "94"}, false},
		{"all", nil, false},
		{"ALL", nil, false},
		{"", nil, true},
		{"33", nil, true},
		{"32,", nil, true},
		{"32;28", nil, true},
		{"<script>", nil, true},
	} {
		got, err := ParseRegions(tc.in)
		if (err != nil) != tc.err || !slices.Equal(got, tc.want) {
			t.Errorf("ParseRegions(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
	if len(RegionCodes()) != 18 || RegionName("32") != "Hauts-de-France" || RegionName("99") != "" {
		t.Errorf("region table: %v", RegionCodes())
	}
}

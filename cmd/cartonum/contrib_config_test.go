package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

// TestContributionFlags: the defaults of the contribution flags, their
// environment variables, and the refusal of a bad form key.
func TestContributionFlags(t *testing.T) {
	none := func(string) string { return "" }
	c, err := parseConfig("serve", nil, none, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.SourceName != "Cartonum" || c.MinFill != 3*time.Second || c.ProposalsPerHour != 10 || c.FormKey != "" {
		t.Errorf("defaults %q %v %d %q", c.SourceName, c.MinFill, c.ProposalsPerHour, c.FormKey)
	}
	env := map[string]string{"CARTONUM_SOURCE_NAME": "Région", "CARTONUM_MIN_FILL": "0s", "CARTONUM_PROPOSALS_PER_HOUR": "3",
		"CARTONUM_FORM_KEY": strings.Repeat("ab", 16)}
	c, err = parseConfig("serve", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := c.formKey(); c.SourceName != "Région" || c.MinFill != 0 || c.ProposalsPerHour != 3 || len(k) != 16 || err != nil {
		t.Errorf("from the environment: %+v %v", c, err)
	}
	for _, args := range [][]string{
		{"--form-key", "zz"}, {"--form-key", "abcd"}, {"--min-fill", "-1s"}, {"--proposals-per-hour", "-2"},
	} {
		if _, err := parseConfig("serve", args, none, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	if _, err := parseConfig("serve", nil, func(k string) string {
		if k == "CARTONUM_MIN_FILL" {
			return "trois"
		}
		return ""
	}, io.Discard); err == nil || !strings.Contains(err.Error(), "CARTONUM_MIN_FILL") {
		t.Errorf("bad CARTONUM_MIN_FILL: %v", err)
	}
}

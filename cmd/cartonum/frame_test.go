package main

import (
	"io"
	"strings"
	"testing"
)

func TestFrameAncestorsFlag(t *testing.T) {
	env := func(string) string { return "" }
	c, err := parseConfig("serve", []string{"--frame-ancestors", "https://www.amiens.fr https://*.somme.fr"}, env, io.Discard)
	if err != nil || c.FrameAncestors != "https://www.amiens.fr https://*.somme.fr" {
		t.Fatalf("got %q, %v", c.FrameAncestors, err)
	}
	c, err = parseConfig("serve", nil, func(k string) string {
		if k == "CARTONUM_FRAME_ANCESTORS" {
			return "*"
		}
		return ""
	}, io.Discard)
	if err != nil || c.FrameAncestors != "*" {
		t.Fatalf("environment: got %q, %v", c.FrameAncestors, err)
	}
	for _, bad := range []string{"'unsafe-inline'", "https://a.fr; script-src *", "https://a.fr/page"} {
		if _, err := parseConfig("serve", []string{"--frame-ancestors", bad}, env, io.Discard); err == nil || !strings.Contains(err.Error(), "--frame-ancestors") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

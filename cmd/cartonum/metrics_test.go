package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeMetricsAddr: with --metrics-addr the metrics are served on
// their own listener and leave the public address (404 there); without
// it they are on the public address.
func TestServeMetricsAddr(t *testing.T) {
	for _, separate := range []bool{true, false} {
		name := "on the public address"
		if separate {
			name = "with --metrics-addr"
		}
		t.Run(name, func(t *testing.T) {
			cfg := Config{DB: filepath.Join(t.TempDir(), "c.db"), Region: "32", Addr: "127.0.0.1:0"}
			if separate {
				cfg.MetricsAddr = "127.0.0.1:0"
			}
			m := NewMain(cfg, quietLogger())
			if err := m.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := m.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			}()
			base := "http://" + m.Addr()
			if resp, b := get(t, base+"/healthz"); resp.StatusCode != 200 {
				t.Fatalf("/healthz: %d %s", resp.StatusCode, b)
			}
			metricsURL := base + "/metrics"
			if separate {
				if m.MetricsAddr() == "" || m.MetricsAddr() == m.Addr() {
					t.Fatalf("metrics address %q, public %q", m.MetricsAddr(), m.Addr())
				}
				resp, b := get(t, base+"/metrics")
				if resp.StatusCode != 404 || strings.Contains(string(b), "cartonum_") {
					t.Errorf("public /metrics with --metrics-addr: %d %.200s", resp.StatusCode, b)
				}
				metricsURL = "http://" + m.MetricsAddr() + "/metrics"
				// The metrics listener serves nothing else.
				if resp, _ := get(t, "http://"+m.MetricsAddr()+"/healthz"); resp.StatusCode != 404 {
					t.Errorf("/healthz on the metrics address: %d", resp.StatusCode)
				}
			} else if m.MetricsAddr() != "" {
				t.Errorf("metrics address %q without --metrics-addr", m.MetricsAddr())
			}
			resp, b := get(t, metricsURL)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				t.Fatalf("%s: %d %s", metricsURL, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			for _, line := range []string{
				`cartonum_http_requests_total{code="200",method="GET",route="/healthz"} 1`,
				"cartonum_data_version 0",
				"cartonum_imports_total 0",
				"# TYPE cartonum_generation_build_seconds gauge",
				"# TYPE cartonum_tile_cache_hits_total counter",
				`cartonum_proposals_total{outcome="received"} 0`,
			} {
				if !strings.Contains(string(b), line+"\n") {
					t.Errorf("%s lacks %q", metricsURL, line)
				}
			}
		})
	}
}

func TestMetricsAddrFlag(t *testing.T) {
	env := func(k string) string {
		if k == "CARTONUM_METRICS_ADDR" {
			return "127.0.0.1:9100"
		}
		return ""
	}
	c, err := parseConfig("serve", nil, env, &strings.Builder{})
	if err != nil || c.MetricsAddr != "127.0.0.1:9100" {
		t.Fatalf("from the environment: %q %v", c.MetricsAddr, err)
	}
	c, err = parseConfig("serve", []string{"--metrics-addr", "localhost:9090"}, env, &strings.Builder{})
	if err != nil || c.MetricsAddr != "localhost:9090" {
		t.Fatalf("flag over the environment: %q %v", c.MetricsAddr, err)
	}
	c, err = parseConfig("serve", nil, func(string) string { return "" }, &strings.Builder{})
	if err != nil || c.MetricsAddr != "" {
		t.Fatalf("default: %q %v", c.MetricsAddr, err)
	}
}

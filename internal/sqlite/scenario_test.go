package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// TestScenarioStore: saves within the limits, refusals over them (nothing
// stored), and expiry, on a clock the test moves.
func TestScenarioStore(t *testing.T) {
	day := 24 * time.Hour
	type step struct {
		after  time.Duration // clock move before the save
		client string
		body   string
		quota  bool // the save is refused with a *QuotaError
	}
	cases := []struct {
		name   string
		limits ScenarioLimits
		steps  []step
		count  int // scenarios stored at the end
	}{
		{"no limits", ScenarioLimits{}, []step{{0, "a", "{}", false}, {0, "a", "{}", false}}, 2},
		{"per client within the window", ScenarioLimits{PerClient: 2, PerClientWindow: day}, []step{
			{0, "a", "{}", false}, {time.Hour, "a", "{}", false}, {time.Hour, "a", "{}", true},
			{0, "b", "{}", false}, {day - time.Hour, "a", "{}", false}, {0, "a", "{}", true},
		}, 4},
		{"in number", ScenarioLimits{MaxCount: 2}, []step{
			{0, "a", "{}", false}, {0, "b", "{}", false}, {0, "c", "{}", true},
		}, 2},
		{"in bytes", ScenarioLimits{MaxBytes: 10}, []step{
			{0, "a", "1234", false}, {0, "b", "1234", false}, {0, "c", "1234", true}, {0, "c", "12345678901", true},
		}, 2},
		{"expiry frees room", ScenarioLimits{MaxCount: 2, Retention: 10 * day}, []step{
			{0, "a", "{}", false}, {day, "a", "{}", false}, {day, "a", "{}", true},
			{9 * day, "a", "{}", false}, // the first has expired and is deleted
		}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			st := db.Scenarios(tc.limits)
			now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
			st.now = func() time.Time { return now }
			ctx := context.Background()
			for i, s := range tc.steps {
				now = now.Add(s.after)
				before, _, err := st.ScenarioCount(ctx)
				if err != nil {
					t.Fatal(err)
				}
				_, err = st.SaveScenario(ctx, s.client, "", []byte(s.body))
				var qe *QuotaError
				if s.quota != errors.As(err, &qe) || (!s.quota && err != nil) {
					t.Fatalf("step %d: %v, want quota %v", i+1, err, s.quota)
				}
				if s.quota {
					if after, _, _ := st.ScenarioCount(ctx); after != before {
						t.Fatalf("step %d refused but %d scenarios, %d before", i+1, after, before)
					}
					if qe.Message == "" || !qe.Quota() {
						t.Errorf("step %d: %+v", i+1, qe)
					}
				}
			}
			if n, _, _ := st.ScenarioCount(ctx); n != tc.count {
				t.Errorf("%d scenarios stored, want %d", n, tc.count)
			}
		})
	}
}

// TestScenarioExpiry: an expired scenario is no longer served, even before
// a save deletes it.
func TestScenarioExpiry(t *testing.T) {
	db := openTest(t)
	st := db.Scenarios(ScenarioLimits{Retention: 30 * 24 * time.Hour})
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	st.now = func() time.Time { return now }
	ctx := context.Background()
	id, err := st.SaveScenario(ctx, "a", "t", []byte(`{"x":1}`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		after time.Duration
		found bool
	}{{0, true}, {29 * 24 * time.Hour, true}, {31 * 24 * time.Hour, false}}
	for _, tc := range cases {
		now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC).Add(tc.after)
		body, err := st.Scenario(ctx, id)
		if tc.found && (err != nil || string(body) != `{"x":1}`) {
			t.Errorf("after %v: %q %v", tc.after, body, err)
		}
		if !tc.found && cartonum.KindOf(err) != cartonum.KindNotFound {
			t.Errorf("after %v: %q %v, want not found", tc.after, body, err)
		}
	}
}

package analysis

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// wholeMinutes is a Travel whose times are rounded to the minute, as a
// routing engine's often are: trips of exactly the threshold happen.
type wholeMinutes struct{ c Crowfly }

func (w wholeMinutes) Matrix(ctx context.Context, src, dst []orb.Point) (*Matrix, error) {
	mx, err := w.c.Matrix(ctx, src, dst)
	if err != nil {
		return nil, err
	}
	for _, row := range mx.Minutes {
		for j := range row {
			row[j] = math.Round(row[j])
		}
	}
	return mx, nil
}

// TestWhiteZoneAtThreshold: people exactly ThresholdMin from a site are
// served; the white zone starts past it. With whole-minute travel times a
// strict and a non-strict comparison give different answers.
func TestWhiteZoneAtThreshold(t *testing.T) {
	communes := []Commune{square("A", 0, 0, 10, 0), square("B", 10, 0, 10, 0), square("C", 20, 0, 10, 0)}
	// One km per minute: 20.3 km is 20 minutes, 21.2 km is 21.
	demand := fixedDemand{
		{Commune: 0, Point: eq(1, 0), Population: 100},
		{Commune: 1, Point: eq(20.3, 0), Population: 200},
		{Commune: 2, Point: eq(21.2, 0), Population: 400},
	}
	site := Site{ID: "S", Point: eq(0, 0)}
	p := kmParams() // threshold 20 minutes
	p.Travel = wholeMinutes{Crowfly{Circuity: 1, SpeedKmh: 60}}

	res := NewModel(communes, []Site{site}, demand).Compute(p)
	for i, want := range []float64{0, 0, 400} {
		if got := res.Communes[i].BeyondPopulation; got != want {
			t.Errorf("commune %s: %v people beyond %v min, want %v (minutes %v)", communes[i].Code, got, p.ThresholdMin, want, res.Communes[i].MeanMinutes)
		}
	}
	if got := res.Region.BeyondPopulation; got != 400 {
		t.Errorf("region: %v people beyond %v min, want 400", got, p.ThresholdMin)
	}

	// Siting: with the 21-minute commune gone, everyone is within the
	// threshold and there is nothing to propose.
	served := NewModel(communes[:2], []Site{site}, demand[:2])
	if got := served.Siting(p, SitingOptions{K: 2}); len(got) != 0 {
		t.Errorf("siting proposes %+v for people exactly %v min away", got, p.ThresholdMin)
	}
}

// betterFirst tells, for each ranked indicator, whether a higher value is
// better: more sites per inhabitant and more access rank first, longer
// trips and larger white zones last.
var betterFirst = map[string]bool{
	RankSitesPer10k: true,
	RankAccess:      true,
	RankMeanMinutes: false,
	RankBeyondShare: false,
}

func rankedValue(in *Indicators, key string) float64 {
	switch key {
	case RankSitesPer10k:
		return in.SitesPer10k
	case RankAccess:
		return in.Access
	case RankMeanMinutes:
		return in.MeanMinutes
	case RankBeyondShare:
		return in.BeyondShare
	}
	panic("unknown rank " + key)
}

// TestRankDirections checks every ranked indicator in both directions: of
// two populated territories of a level, the better value has the smaller
// rank (and the worse the larger), equal values share one.
func TestRankDirections(t *testing.T) {
	communes, sites := synthFrance(100, 25, 60, 7)
	models := []struct {
		name string
		m    *Model
	}{
		{"three squares", threeSquares()},
		{"synthetic", NewModel(communes, sites, Grid{CellMeters: 2000})},
	}
	for _, md := range models {
		res := md.m.Compute(kmParams())
		for key, higher := range betterFirst {
			t.Run(fmt.Sprintf("%s %s", md.name, key), func(t *testing.T) {
				pairs := 0
				for _, level := range [][]Indicators{res.Communes, res.EPCI} {
					for i := range level {
						for j := range level {
							a, b := &level[i], &level[j]
							if a.Population <= 0 || b.Population <= 0 {
								continue
							}
							if key == RankMeanMinutes && (a.MeanMinutes == 0 || b.MeanMinutes == 0) {
								continue // nobody reaches a site: ranked last
							}
							va, vb := rankedValue(a, key), rankedValue(b, key)
							better := va > vb
							if !higher {
								better = va < vb
							}
							switch {
							case va == vb && a.Rank[key] != b.Rank[key]:
								t.Errorf("%s and %s both at %v: ranks %d and %d", a.Code, b.Code, va, a.Rank[key], b.Rank[key])
							case better:
								pairs++
								if a.Rank[key] >= b.Rank[key] {
									t.Fatalf("%s (%v) ranks %d, %s (%v) ranks %d: the better value must rank first",
										a.Code, va, a.Rank[key], b.Code, vb, b.Rank[key])
								}
							}
						}
					}
				}
				if pairs == 0 {
					t.Fatal("no two territories differ: the test proves nothing")
				}
			})
		}
	}
}

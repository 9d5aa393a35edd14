package analysis

import (
	"context"
	"reflect"
	"testing"
)

// TestSeed: a seeded result is what Compute returns, without computing;
// Detail, Siting and the per-point work compute as before; a routed
// request is never seeded; a cancelled context is still an error.
func TestSeed(t *testing.T) {
	p := kmParams()
	want := threeSquares().Compute(p)

	m := threeSquares()
	// Results not of this model, or of other parameters, are refused.
	for name, bad := range map[string]func(r *Result){
		"one commune less":   func(r *Result) { r.Communes = r.Communes[1:] },
		"other commune":      func(r *Result) { r.Communes[1].Code = "X" },
		"no EPCI":            func(r *Result) { r.EPCI = nil },
		"other EPCI":         func(r *Result) { r.EPCI[0].Code = "X" },
		"a département less": func(r *Result) { r.Departements = r.Departements[:len(r.Departements)-1] },
		"regions":            func(r *Result) { r.Regions = append(r.Regions, r.Region) },
		"other total":        func(r *Result) { r.Region.Code = "99" },
		"other parameters":   func(r *Result) { r.Params.ThresholdMin++ },
	} {
		r := *want
		r.Communes = append([]Indicators(nil), want.Communes...)
		r.EPCI = append([]Indicators(nil), want.EPCI...)
		bad(&r)
		if m.Seed(p, &r) {
			t.Errorf("%s: seeded", name)
		}
	}
	if m.Compute(p) != nil && len(m.cache) != 1 {
		t.Fatal("a refused result answered")
	}
	m = threeSquares()
	seeded := &Result{}
	*seeded = *want
	if !m.Seed(p, seeded) {
		t.Fatal("crow-fly request not seeded")
	}
	if got := m.Compute(p); got != seeded {
		t.Fatal("Compute did not return the seeded result")
	}
	if got, err := m.ComputeContext(context.Background(), p); err != nil || got != seeded {
		t.Fatalf("ComputeContext: %v, %v", got == seeded, err)
	}
	if len(m.cache) != 0 {
		t.Fatal("a seeded result computed the request")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.ComputeContext(ctx, p); err == nil {
		t.Error("cancelled context: no error")
	}
	// Other parameters are computed.
	q := p
	q.ThresholdMin = p.ThresholdMin + 5
	if got := m.Compute(q); got == seeded || !reflect.DeepEqual(got, threeSquares().Compute(q)) {
		t.Error("other parameters: not computed as without a seed")
	}
	// What needs the per-point work computes it.
	d, ok := m.Detail(p, LevelRegion, "")
	dw, _ := threeSquares().Detail(p, LevelRegion, "")
	if !ok || !reflect.DeepEqual(d, dw) {
		t.Error("Detail differs with a seeded result")
	}
	if err := m.Warm(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if m.Compute(p) != seeded {
		t.Error("Warm replaced the seeded result")
	}

	routed := threeSquares()
	routed.UseTravel(newManhattan())
	if routed.Seed(p, seeded) {
		t.Error("a routed request was seeded")
	}
	if routed.Compute(p) == seeded {
		t.Error("routed request answered from a seed")
	}
}

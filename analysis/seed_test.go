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
	seeded := &Result{Params: want.Params, Communes: append([]Indicators(nil), want.Communes...), Region: want.Region}
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

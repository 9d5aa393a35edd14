package analysis

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// synthCells generates a synthetic 200 m gridded population over the
// communes: the centres of the 200 m cells inside each commune (the Grid
// lattice at 200 m), of which a share, drawn at random, is populated with a
// log-normal count of inhabitants (a fifth aged 65+, a seventh poor). The
// real Filosofi file populates about a fifth of the region's squares
// (≈ 150,000 of ≈ 800,000 in Hauts-de-France), clustered in towns; the
// number of cells, not their clustering, is what the benchmarks measure.
func synthCells(communes []Commune, share float64, seed uint64) []Cell {
	rng := rand.New(rand.NewPCG(seed, 7))
	var out []Cell
	g := Grid{CellMeters: 200}
	for i := range communes {
		for _, d := range g.Demand(communes[i : i+1]) {
			if rng.Float64() >= share {
				continue
			}
			pop := math.Max(1, math.Exp(2+1.2*rng.NormFloat64()))
			out = append(out, Cell{Commune: communes[i].Code, Point: d.Point, Population: pop, Elderly: pop / 5, Poor: pop / 7})
		}
	}
	return out
}

// BenchmarkComputeRegionGrid computes every indicator of region 32 over a
// synthetic 200 m grid of about 150,000 populated cells (the cache is
// bypassed: every iteration does the full work), for all inhabitants and
// for the 65+ profile, beside the same computation over the uniform 1 km
// grid in the same run (the ratio holds on a loaded machine). cpu-ms/op is
// the CPU time of an iteration, summed over the cores.
func BenchmarkComputeRegionGrid(b *testing.B) {
	r := loadRegion(b)
	cells := synthCells(r.communes, 0.19, 2026)
	for _, tc := range []struct {
		name    string
		demand  DemandSource
		profile string
	}{
		{"uniform-1km", Grid{}, ProfilePopulation},
		{"cells-200m", Cells{Cells: cells}, ProfilePopulation},
		{"cells-200m-65plus", Cells{Cells: cells}, ProfileElderly},
	} {
		b.Run(tc.name, func(b *testing.B) {
			before := heapMB()
			t0 := time.Now()
			m := NewModel(r.communes, r.sites, tc.demand)
			build := time.Since(t0)
			modelMB := heapMB() - before
			p := DefaultParams()
			p.Profile = tc.profile
			p = p.normalize()
			b.ReportAllocs()
			n, cpu0 := 0, cpuTime()
			for b.Loop() {
				m.run(p)
				n++
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(n), "cpu-ms/op")
			b.ReportMetric(float64(len(m.DemandPoints())), "points")
			b.ReportMetric(float64(build.Milliseconds()), "newmodel-ms")
			b.ReportMetric(modelMB, "model-MB")
		})
	}
}

// BenchmarkNationalGrid builds a model of 35,000 synthetic communes over a
// synthetic 200 m grid of about 2 million populated cells and 20,000
// sites, then computes every indicator; it reports both times and the
// memory of the model and of one result.
func BenchmarkNationalGrid(b *testing.B) {
	communes, sites := synthFrance(35000, 20000, 742, 2026)
	cells := synthCells(communes, 0.145, 2026)
	p := DefaultParams().normalize()
	var build, compute, buildCPU, computeCPU time.Duration
	var modelMB, stateMB float64
	var points int
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		before := heapMB()
		b.StartTimer()
		c0, t0 := cpuTime(), time.Now()
		m := NewModel(communes, sites, Cells{Cells: cells})
		c1, t1 := cpuTime(), time.Now()
		b.StopTimer()
		modelMB = heapMB() - before
		b.StartTimer()
		c2, t2 := cpuTime(), time.Now()
		st := m.run(p)
		c3, t3 := cpuTime(), time.Now()
		b.StopTimer()
		stateMB = heapMB() - before - modelMB
		points = len(m.DemandPoints())
		runtime.KeepAlive(st)
		b.StartTimer()
		build += t1.Sub(t0)
		compute += t3.Sub(t2)
		buildCPU += c1 - c0
		computeCPU += c3 - c2
		n++
	}
	b.ReportMetric(float64(buildCPU.Milliseconds())/float64(n), "newmodel-cpu-ms/op")
	b.ReportMetric(float64(computeCPU.Milliseconds())/float64(n), "compute-cpu-ms/op")
	b.ReportMetric(float64(len(cells)), "cells")
	b.ReportMetric(float64(points), "points")
	b.ReportMetric(float64(build.Milliseconds())/float64(n), "newmodel-ms/op")
	b.ReportMetric(float64(compute.Milliseconds())/float64(n), "compute-ms/op")
	b.ReportMetric(modelMB, "model-MB")
	b.ReportMetric(stateMB, "result-MB")
}

// TestSynthCellsRegionSize: the region's synthetic grid has about the
// 150,000 populated cells of the real one, and the model over it keeps
// every commune's legal population.
func TestSynthCellsRegionSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 150,000-cell model")
	}
	r := loadRegion(t)
	cells := synthCells(r.communes, 0.19, 2026)
	if n := len(cells); n < 130000 || n > 170000 {
		t.Fatalf("%d cells, want about 150,000", n)
	}
	m := NewModel(r.communes, r.sites, Cells{Cells: cells})
	want, got := 0.0, m.Compute(DefaultParams()).Region.Population
	for _, c := range r.communes {
		want += c.Population
	}
	if math.Abs(got-want) > 1e-6*want {
		t.Errorf("region population %v over the cells, want the legal %v", got, want)
	}
}

package analysis

import (
	"runtime"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// heapMB returns the live heap after a collection.
func heapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / (1 << 20)
}

// BenchmarkComputeRegion computes every indicator of region 32 (the cache
// is bypassed: every iteration does the full work).
func BenchmarkComputeRegion(b *testing.B) {
	r := loadRegion(b)
	before := heapMB()
	m := NewModel(r.communes, r.sites, Grid{})
	modelMB := heapMB() - before
	p := DefaultParams().normalize()
	st := m.run(p)
	stateMB := heapMB() - before - modelMB
	runtime.KeepAlive(st)
	b.ReportAllocs()
	for b.Loop() {
		m.run(p)
	}
	b.ReportMetric(modelMB, "model-MB")
	b.ReportMetric(stateMB, "result-MB")
	b.ReportMetric(float64(len(m.DemandPoints())), "points")
}

// BenchmarkNational builds a model of 35,000 synthetic communes (about
// 560,000 demand points) and 20,000 sites, then computes every indicator.
func BenchmarkNational(b *testing.B) {
	communes, sites := synthFrance(35000, 20000, 742, 2026)
	p := DefaultParams().normalize()
	var build, compute time.Duration
	var modelMB, stateMB, points float64
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		before := heapMB()
		b.StartTimer()
		t0 := time.Now()
		m := NewModel(communes, sites, Grid{})
		t1 := time.Now()
		b.StopTimer()
		modelMB = heapMB() - before
		b.StartTimer()
		t2 := time.Now()
		st := m.run(p)
		t3 := time.Now()
		b.StopTimer()
		stateMB = heapMB() - before - modelMB
		points = float64(len(m.DemandPoints()))
		runtime.KeepAlive(st)
		b.StartTimer()
		build += t1.Sub(t0)
		compute += t3.Sub(t2)
		n++
	}
	b.ReportMetric(float64(build.Milliseconds())/float64(n), "newmodel-ms/op")
	b.ReportMetric(float64(compute.Milliseconds())/float64(n), "compute-ms/op")
	b.ReportMetric(modelMB, "model-MB")
	b.ReportMetric(stateMB, "result-MB")
	b.ReportMetric(points, "points")
}

// BenchmarkScenarioOneSite adds one site in the region's biggest white
// zone, against a cached computation.
func BenchmarkScenarioOneSite(b *testing.B) {
	r := loadRegion(b)
	p := DefaultParams()
	plan := r.model.Siting(p, SitingOptions{K: 1})
	s := Scenario{Add: []Site{{ID: "new", Point: plan[0].Point}}}
	r.model.Scenario(p, s) // warm the cache
	b.ReportAllocs()
	for b.Loop() {
		r.model.Scenario(p, s)
	}
}

// BenchmarkScenarioRemoveCity removes a site in Lille, where many sites
// overlap.
func BenchmarkScenarioRemoveCity(b *testing.B) {
	r := loadRegion(b)
	p := DefaultParams()
	id := r.model.Points(p)[nearestPoint(r.model, orb.Point{3.0573, 50.6366})].Site
	s := Scenario{Remove: []string{id}}
	r.model.Scenario(p, s)
	b.ReportAllocs()
	for b.Loop() {
		r.model.Scenario(p, s)
	}
}

func nearestPoint(m *Model, p orb.Point) int {
	i, _ := m.ptree.nearest(toVec(p), nil)
	return int(i)
}

// BenchmarkSiting10 proposes 10 sites for region 32 among its demand
// points, against a cached computation.
func BenchmarkSiting10(b *testing.B) {
	r := loadRegion(b)
	p := DefaultParams()
	r.model.Compute(p)
	b.ReportAllocs()
	for b.Loop() {
		r.model.Siting(p, SitingOptions{K: 10})
	}
}

func BenchmarkNewModelRegion(b *testing.B) {
	r := loadRegion(b)
	b.ReportAllocs()
	for b.Loop() {
		NewModel(r.communes, r.sites, Grid{})
	}
}

func BenchmarkDetailRegion(b *testing.B) {
	r := loadRegion(b)
	p := DefaultParams()
	r.model.Compute(p)
	b.ReportAllocs()
	for b.Loop() {
		r.model.Detail(p, LevelRegion, "")
	}
}

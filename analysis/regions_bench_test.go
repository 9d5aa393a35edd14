package analysis

import (
	"fmt"
	"testing"
)

// BenchmarkNationalRegions computes every indicator of the 35,000
// synthetic communes of BenchmarkNational loaded as one region, then as 18
// regions (bands of communes by code): the second adds a row per region
// and their 90th percentiles, the cost of the national level.
func BenchmarkNationalRegions(b *testing.B) {
	communes, sites := synthFrance(35000, 20000, 742, 2026)
	for _, n := range []int{1, 18} {
		cs := append([]Commune(nil), communes...)
		for i := range cs {
			cs[i].Region = fmt.Sprintf("R%02d", i*n/len(cs))
		}
		m := NewModel(cs, sites, Grid{})
		p := DefaultParams().normalize()
		b.Run(fmt.Sprintf("regions=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st := m.run(p)
				if len(st.res.Regions) != n {
					b.Fatalf("%d region rows, want %d", len(st.res.Regions), n)
				}
			}
		})
	}
}

// Package grid reads INSEE's gridded population, the Filosofi squares of
// 200 m (the official CSV or GeoPackage), and assigns each populated square
// to the commune of the region that holds its centre, for cartonum
// import-grid.
//
// A square is named by its identifier, e.g. CRS3035RES200mN2029800E3780600:
// the projection (EPSG:3035, ETRS89-LAEA), the resolution, and the northing
// and easting of its lower-left corner; its centre is half a resolution
// north and east. The centre is converted to WGS84 with the closed-form
// inverse of the Lambert azimuthal equal-area projection on GRS80 (laea.go,
// checked against IOGP Guidance Note 7-2's example): the one projection the
// grid uses does not justify PROJ, which github.com/twpayne/go-proj would
// bring through cgo and a system library, and the formulas are exact to
// a millimetre over France.
//
// Reading is liberal, as files come from several vintages and tools:
// column names in any case, `,` or `;` separators, quoted values, decimal
// commas, a byte-order mark. Every row is accounted for: imported, outside
// the region (its centre in none of the region's communes), or rejected
// with its line number and the reason.
package grid

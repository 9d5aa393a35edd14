// Command postgisload prints the SQL that loads a communes GeoJSON file
// (geo.api.gouv.fr shape: properties code, nom, population) into a PostGIS
// table, for bench/postgis-compare.sh:
//
//	CREATE TABLE communes (code text PRIMARY KEY, nom text, population integer,
//	                       geom geometry(MultiPolygon, 3857));
//	INSERT INTO communes VALUES ('59350', 'Lille', 236710,
//	    ST_Transform(ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON('{...}'), 4326)), 3857));
//	...
//	CREATE INDEX ... USING gist (geom); ANALYZE communes;
//
// The geometries go in exactly as the file has them (no repair, no
// simplification), so PostGIS works on the same input as Cartonum.
//
// Usage:
//
//	go run ./bench/postgisload -communes ../shared/data/communes-32.geojson | psql ...
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	path := flag.String("communes", "", "communes GeoJSON FeatureCollection (required)")
	table := flag.String("table", "communes", "table to create")
	flag.Parse()
	if *path == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*path, *table, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "postgisload:", err)
		os.Exit(1)
	}
}

// feature is the part of a commune feature the benchmark loads.
type feature struct {
	Properties struct {
		Code       string `json:"code"`
		Nom        string `json:"nom"`
		Population *int   `json:"population"`
	} `json:"properties"`
	Geometry json.RawMessage `json:"geometry"`
}

func run(path, table string, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var fc struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}
	if err := json.NewDecoder(bufio.NewReader(f)).Decode(&fc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) == 0 {
		return fmt.Errorf("%s: not a FeatureCollection with features", path)
	}
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "\\set ON_ERROR_STOP on\nSET client_min_messages = warning;\nBEGIN;\nDROP TABLE IF EXISTS %[1]s;\n"+
		"CREATE TABLE %[1]s (code text PRIMARY KEY, nom text NOT NULL, population integer, geom geometry(MultiPolygon, 3857) NOT NULL);\n", table)
	for i, c := range fc.Features {
		p := c.Properties
		if p.Code == "" || len(c.Geometry) == 0 || string(c.Geometry) == "null" {
			return fmt.Errorf("%s: feature %d has no code or no geometry", path, i)
		}
		pop := "NULL"
		if p.Population != nil {
			pop = fmt.Sprint(*p.Population)
		}
		fmt.Fprintf(w, "INSERT INTO %s VALUES (%s, %s, %s, ST_Transform(ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)), 3857));\n",
			table, quote(p.Code), quote(p.Nom), pop, quote(string(c.Geometry)))
	}
	fmt.Fprintf(w, "CREATE INDEX %[1]s_geom ON %[1]s USING gist (geom);\nCOMMIT;\nANALYZE %[1]s;\n", table)
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// quote is a standard SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

package mvtcheck_test

import (
	"fmt"

	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

func ExampleValidate() {
	// A layer "l" (version 1, extent 4096) with one polygon feature whose
	// only ring is counter-clockwise on screen and has no id.
	tile := []byte{
		0x1a, 0x17, // layer, 23 bytes
		0x0a, 0x01, 'l', // name
		0x12, 0x0d, // feature, 13 bytes
		0x18, 0x03, // type POLYGON
		0x22, 0x09, // geometry, 9 integers
		0x09, 0x00, 0x00, // MoveTo(1) 0,0
		0x12, 0x00, 0x14, 0x14, 0x00, // LineTo(2) by (0,10) then (10,0)
		0x0f,             // ClosePath
		0x28, 0x80, 0x20, // extent 4096
		0x78, 0x01, // version 1
	}
	probs, err := mvtcheck.Validate(tile, 4096, 64)
	if err != nil {
		panic(err)
	}
	for _, p := range probs {
		fmt.Println(p.Feature, p.Rule)
	}
	// Output:
	// -1 layer-version
	// 0 feature-id
	// 0 winding
}

func ExampleDecode() {
	tile := []byte{
		0x1a, 0x13, // layer, 19 bytes
		0x0a, 0x01, 'l', // name
		0x12, 0x09, // feature, 9 bytes
		0x08, 0x2a, // id 42
		0x18, 0x01, // type POINT
		0x22, 0x03, 0x09, 0x32, 0x34, // MoveTo(1) 25,26
		0x28, 0x80, 0x20, // extent 4096
		0x78, 0x02, // version 2
	}
	dec, err := mvtcheck.Decode(tile)
	if err != nil {
		panic(err)
	}
	js, _ := dec.JSON()
	fmt.Print(string(js))
	// Output:
	// {"layers": [
	//   {"name": "l", "version": 2, "extent": 4096, "features": [
	//     {"id":42,"type":"Point","properties":{},"geometry":[[[25,26]]]}
	//   ]}
	// ]}
}

// decode.mjs reads vector tiles with @mapbox/vector-tile and pbf, the
// decoder of the Mapbox/MapLibre lineage, independently of the Go code, and
// prints what it sees as JSON: for each file its layers (name, version,
// extent, feature count) and each feature's id, type, the number of points
// of each part returned by loadGeometry() and, for polygons, the number of
// polygons classifyRings() finds.
//
//   node tiles/testdata/decode.mjs tiles/testdata/*.mvt
//
// The npm packages are loaded from web/node_modules (npm ci in web/), or
// from the node_modules of the directory named by CARTONUM_WEB_DIR. Any
// decoding error exits with status 1.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(process.env.CARTONUM_WEB_DIR || join(here, '..', '..', 'web'));
const require = createRequire(join(webDir, 'package.json'));

// Both packages are ES modules: resolve them from web/, then import them.
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);

async function main(files) {
    if (files.length === 0) {
        throw new Error('usage: node decode.mjs TILE.mvt...');
    }
    const {VectorTile, classifyRings} = await load('@mapbox/vector-tile');
    const {PbfReader} = await load('pbf');

    const out = [];
    for (const file of files) {
        const tile = new VectorTile(new PbfReader(readFileSync(file)));
        const layers = [];
        for (const layer of Object.values(tile.layers)) {
            const features = [];
            for (let i = 0; i < layer.length; i++) {
                const f = layer.feature(i);
                const geometry = f.loadGeometry();
                features.push({
                    id: f.id,
                    type: f.type,
                    parts: geometry.map((part) => part.length),
                    polygons: f.type === 3 ? classifyRings(geometry).length : 0,
                });
            }
            layers.push({
                name: layer.name,
                version: layer.version,
                extent: layer.extent,
                count: layer.length,
                features,
            });
        }
        out.push({file, layers});
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
}

main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`decode.mjs: ${err.stack || err}\n`);
    process.exit(1);
});

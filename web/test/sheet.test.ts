import {test} from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import {qrModules, qrPath} from '../src/sheet/qr.ts';
import {inView, offsetPx} from '../src/sheet/follow.ts';
import {boundsOf, embedExtra, isEmbedPath} from '../src/embed/embed.ts';

/** Rasterises QR modules (scale pixels per module) as RGBA for jsQR. */
function raster(modules: boolean[][], scale = 4): {data: Uint8ClampedArray; size: number} {
  const size = modules.length * scale;
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = modules[Math.floor(y / scale)]![Math.floor(x / scale)] ? 0 : 255;
      data.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  return {data, size};
}

test('the QR code of a short link decodes back to it', () => {
  const link = 'http://127.0.0.1:8080/carte?lieu=dora-3c0a7b2e-1f44-4a44-9a59-53d9a9c1b7c1';
  const m = qrModules(link);
  const {data, size} = raster(m);
  assert.equal(jsQR(data, size, size)?.data, link);
  // The quiet zone is white.
  assert.ok(m[0]!.every((v) => !v) && m.every((row) => !row[0]));
});

test('the SVG path draws exactly the dark modules', () => {
  const m = [
    [false, true, true],
    [true, false, true],
  ];
  assert.equal(qrPath(m), 'M1 0h2v1h-2zM0 1h1v1h-1zM2 1h1v1h-1z');
});

test('a place inside or outside the map view', () => {
  const view = {zoom: 12, lat: 49.894, lon: 2.2957};
  assert.deepEqual(offsetPx(view, 2.2957, 49.894), [0, 0]);
  const [dx, dy] = offsetPx(view, 2.31, 49.88);
  assert.ok(dx > 0 && dy > 0, 'east is right, south is down');
  assert.equal(inView(view, 800, 600, 2.31, 49.88), true);
  assert.equal(inView(view, 800, 600, 2.6, 49.88), false);
  assert.equal(inView(view, 800, 600, 2.2957, 50.2), false);
});

test('embed page: path, territory parameters, bounds', () => {
  assert.equal(isEmbedPath('/integration/carte'), true);
  assert.equal(isEmbedPath('/integration/carte/'), true);
  assert.equal(isEmbedPath('/carte'), false);
  assert.equal(embedExtra('?epci=248000531&rayon=5&departement=80'), 'epci=248000531&departement=80');
  assert.equal(embedExtra('?epci=12&departement=<script>'), '');
  assert.equal(embedExtra('?departement=2a'), 'departement=2A');
  assert.equal(boundsOf([]), null);
  const b = boundsOf([
    [2.3, 49.9],
    [2.1, 50.1],
  ])!;
  assert.ok(b[0] < 2.1 && b[1] < 49.9 && b[2] > 2.3 && b[3] > 50.1);
});

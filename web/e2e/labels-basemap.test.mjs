// End-to-end test of the `--basemap` path with a LOCAL style of the same
// shape as IGN's "Plan IGN" vector style (version 8, a glyphs server of its
// own, a vector source, background, fill, line and symbol layers whose
// text-font names its own stacks), served on loopback: no request leaves
// the machine.
//
// A small proxy on a free loopback port stands in for an online
// deployment: it forwards everything to the running server (CARTONUM_URL),
// writes the local style's URL into the page's base map tag (what
// `cartonum serve --basemap URL` does), and serves the style under /fond/
// with its glyph server (/fond/fonts/{fontstack}/{range}.pbf, the project's
// Noto Sans files under the base map's stack names) and, as its tiles, the
// project's territory tiles. Same origin, so the CSP needs no change here
// (the flag's CSP is tested in internal/webui).

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {join} from 'node:path';
import {RESULTS, baseURL, launch, mapReady} from './browser.mjs';
import {catchMaps} from './maps-hook.mjs';

const upstream = baseURL();
/** Where the binary serves its glyphs, under their content hash (read from
 * the page, which preloads the first range). */
let glyphsPath;
let proxy;
let origin;
let b;
const requests = [];
const fontRequests = [];

const REGULAR = 'Source Sans Pro Regular';
const BOLD = 'Source Sans Pro Bold';

function localStyle() {
  return {
    version: 8,
    name: 'Fond local (forme du style Plan IGN)',
    glyphs: `${origin}/fond/fonts/{fontstack}/{range}.pbf`,
    sources: {
      plan_ign: {type: 'vector', tiles: [`${origin}/tiles/departements,epci,communes/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 14, attribution: 'Fond local de test'},
    },
    layers: [
      {id: 'fond-fond', type: 'background', paint: {'background-color': '#f2efe9'}},
      {id: 'fond-communes', type: 'fill', source: 'plan_ign', 'source-layer': 'communes', paint: {'fill-color': '#ebe6dc', 'fill-outline-color': '#d4cfc4'}},
      {id: 'fond-limites', type: 'line', source: 'plan_ign', 'source-layer': 'departements', paint: {'line-color': '#a09a8e', 'line-width': 1}},
      {
        id: 'fond-toponymes',
        type: 'symbol',
        source: 'plan_ign',
        'source-layer': 'communes',
        minzoom: 8,
        layout: {'text-field': ['get', 'nom'], 'text-font': [REGULAR], 'text-size': 12},
        paint: {'text-color': '#5b4e3a', 'text-halo-color': '#ffffff', 'text-halo-width': 1},
      },
      {
        id: 'fond-departements',
        type: 'symbol',
        source: 'plan_ign',
        'source-layer': 'departements',
        maxzoom: 9,
        layout: {'text-field': ['get', 'nom'], 'text-font': [BOLD], 'text-size': 13},
        paint: {'text-color': '#5b4e3a'},
      },
    ],
  };
}

async function forward(req, res) {
  const headers = {...req.headers, 'accept-encoding': 'identity'};
  const up = await fetch(upstream + req.url, {method: req.method, headers, redirect: 'manual'});
  const out = {};
  up.headers.forEach((v, k) => {
    if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
  });
  let body = Buffer.from(await up.arrayBuffer());
  if ((up.headers.get('content-type') ?? '').startsWith('text/html')) {
    // As serve --basemap does (internal/webui injectBasemap): the style's
    // URL in the meta tag, and no preload of the project's glyphs.
    body = Buffer.from(
      body
        .toString('utf8')
        .replace('<meta name="cartonum-basemap" content="">', `<meta name="cartonum-basemap" content="${origin}/fond/style.json">`)
        .replace(/[ \t]*<link rel="preload" href="\/glyphs\/[^"]*"[^>]*>\r?\n?/g, ''),
    );
    delete out['etag'];
  }
  res.writeHead(up.status, out);
  res.end(body);
}

before(async () => {
  glyphsPath = /\/glyphs\/[0-9a-f]{10}(?=\/)/.exec(await (await fetch(upstream + '/carte')).text())?.[0];
  assert.ok(glyphsPath, 'chemin des glyphes absent de la page');
  proxy = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/fond/style.json') {
      res.writeHead(200, {'content-type': 'application/json'});
      res.end(JSON.stringify(localStyle()));
      return;
    }
    const m = /^\/fond\/fonts\/([^/]+)\/(\d+-\d+)\.pbf$/.exec(u.pathname);
    if (m) {
      const stack = decodeURIComponent(m[1]);
      fontRequests.push(stack);
      const own = stack.includes('Bold') ? 'Noto Sans Bold' : 'Noto Sans Regular';
      fetch(`${upstream}${glyphsPath}/${encodeURIComponent(own)}/${m[2]}.pbf`)
        .then(async (r) => {
          res.writeHead(r.status, {'content-type': 'application/x-protobuf'});
          res.end(Buffer.from(await r.arrayBuffer()));
        })
        .catch(() => res.writeHead(502).end());
      return;
    }
    forward(req, res).catch((e) => res.writeHead(502).end(String(e)));
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${proxy.address().port}`;
  b = await launch();
  await b.context.addInitScript(catchMaps);
  b.context.on('request', (r) => requests.push(r.url()));
});

after(async () => {
  await b?.close();
  await new Promise((r) => proxy?.close(r));
});

async function idle(page) {
  await mapReady(page);
  await page.waitForFunction(() => window.__cartes?.[0]?.loaded() && window.__cartes[0].areTilesLoaded(), null, {timeout: 30000});
  await page.evaluate(() => new Promise((r) => (window.__cartes[0].loaded() && !window.__cartes[0].isMoving() ? setTimeout(r, 400) : window.__cartes[0].once('idle', () => setTimeout(r, 400)))));
}

test('over a base map, the project labels use its fonts and leave commune names to it', async () => {
  const {page} = b;
  await page.goto(origin + '/carte?vue=10/49.894/2.296');
  await idle(page);
  const style = await page.evaluate(() => {
    const s = window.__cartes[0].getStyle();
    return {
      glyphs: s.glyphs,
      ids: s.layers.map((l) => l.id),
      fonts: Object.fromEntries(s.layers.filter((l) => l.layout?.['text-font']).map((l) => [l.id, l.layout['text-font'].join(',')])),
    };
  });
  // The base map's style, glyphs and layers, with the project's on top.
  assert.equal(style.glyphs, `${origin}/fond/fonts/{fontstack}/{range}.pbf`);
  assert.ok(style.ids.indexOf('fond-toponymes') < style.ids.indexOf('libelles-epci'), style.ids.join(' '));
  // No project commune names (the base map names the towns), the EPCI and
  // département names and the places' names in the base map's fonts.
  assert.ok(!style.ids.includes('libelles-communes'));
  assert.ok(!style.ids.includes('terre'), 'no land fill over the base map');
  for (const id of ['libelles-epci', 'libelles-departements', 'lieux-lieux']) assert.equal(style.fonts[id], REGULAR, id);
  // The base map's glyph server was asked only for its own stacks; the
  // project's glyphs were not needed.
  assert.ok(fontRequests.length > 0);
  for (const f of fontRequests) assert.ok(f === REGULAR || f === BOLD, f);
  assert.ok(!requests.some((u) => new URL(u).pathname.startsWith('/glyphs/')), 'glyphes du projet demandés');
  // Both label sets are drawn, in one collision index.
  const drawn = await page.evaluate(() => {
    const m = window.__cartes[0];
    const names = (l) => m.queryRenderedFeatures(undefined, {layers: [l]}).map((f) => f.properties.nom);
    return {base: names('fond-toponymes'), epci: names('libelles-epci')};
  });
  assert.ok(drawn.base.includes('Amiens'), drawn.base.join(', '));
  assert.ok(drawn.epci.length >= 1, 'aucun nom d’EPCI');
  // Every request stayed on loopback.
  for (const u of requests) {
    if (u.startsWith('data:') || u.startsWith('blob:')) continue;
    assert.equal(new URL(u).hostname, '127.0.0.1', u);
  }
  assert.deepEqual(b.problems.filter((p) => !/favicon/.test(p)), []);
  await page.screenshot({path: join(RESULTS, 'labels-fond-de-carte-z10.png')});
});

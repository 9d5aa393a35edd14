// End-to-end test of the map's labels in Chromium against a running server
// (CARTONUM_URL): the style draws names with the glyphs the binary serves
// (no request leaves loopback), commune names are thinned by zoom, place
// names appear when zoomed in. Screenshots in test-results/.
// The map objects are caught by a test-only hook (maps-hook.mjs).

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {RESULTS, baseURL, launch, mapReady} from './browser.mjs';
import {catchMaps} from './maps-hook.mjs';

const url = baseURL();
let b;
const requests = [];

before(async () => {
  b = await launch({viewport: {width: 1280, height: 800}});
  await b.context.addInitScript(catchMaps);
  b.context.on('request', (r) => requests.push(r.url()));
});

after(async () => {
  await b?.close();
});

const shot = (page, name) => page.screenshot({path: join(RESULTS, name)});

/** Waits for the map to be idle (tiles and glyphs loaded, labels placed). */
async function idle(page) {
  await mapReady(page);
  await page.waitForFunction(() => window.__cartes?.[0]?.loaded() && window.__cartes[0].areTilesLoaded(), null, {timeout: 30000});
  await page.evaluate(() => new Promise((r) => (window.__cartes[0].loaded() && !window.__cartes[0].isMoving() ? setTimeout(r, 400) : window.__cartes[0].once('idle', () => setTimeout(r, 400)))));
}

/** Names of the rendered features of a layer. */
function rendered(page, layer) {
  return page.evaluate((l) => window.__cartes[0].queryRenderedFeatures(undefined, {layers: [l]}).map((f) => f.properties.nom ?? f.properties.nom_affiche), layer);
}

test('the style has symbol layers drawn with the embedded glyphs', async () => {
  const {page} = b;
  await page.goto(url + '/carte?vue=10/49.894/2.296');
  await idle(page);
  const style = await page.evaluate(() => {
    const s = window.__cartes[0].getStyle();
    return {glyphs: s.glyphs, symbols: s.layers.filter((l) => l.type === 'symbol' && l.layout?.['text-field']).map((l) => ({id: l.id, font: l.layout['text-font']}))};
  });
  // Under the hash of their content, so that browsers keep them (immutable).
  assert.match(style.glyphs, new RegExp(`^${new URL(url).origin}/glyphs/[0-9a-f]{10}/\\{fontstack\\}/\\{range\\}\\.pbf$`));
  const ids = style.symbols.map((s) => s.id);
  for (const id of ['libelles-departements', 'libelles-epci', 'libelles-communes', 'lieux-lieux']) assert.ok(ids.includes(id), `${id} in ${ids}`);
  for (const s of style.symbols) assert.match(String(s.font), /^Noto Sans (Regular|Bold)$/);
  // Glyphs were asked for and served by the binary itself.
  const glyphs = requests.filter((u) => u.includes('/glyphs/'));
  assert.ok(glyphs.some((u) => /\/glyphs\/[0-9a-f]{10}\/Noto%20Sans%20Regular\/0-255\.pbf$/.test(u)), glyphs.join('\n'));
  for (const u of glyphs) {
    const res = await page.request.get(u);
    assert.equal(res.status(), 200, u);
    assert.ok((await res.body()).length > 1000, u);
    assert.equal(res.headers()['cache-control'], 'public, max-age=31536000, immutable', u);
    assert.equal(res.headers()['content-type'], 'application/x-protobuf', u);
    // A validator too: a revisit without the cache's freshness costs a 304.
    const again = await page.request.get(u, {headers: {'If-None-Match': res.headers()['etag']}});
    assert.equal(again.status(), 304, u);
  }
  // Nothing left loopback.
  for (const u of requests) {
    const h = new URL(u).hostname;
    assert.ok(u.startsWith('data:') || u.startsWith('blob:') || h === '127.0.0.1' || h === 'localhost', `requête externe : ${u}`);
  }
  assert.deepEqual(b.problems.filter((p) => !/favicon/.test(p)), []);
});

test('Amiens is named at zoom 10 near Amiens, larger than villages, with EPCI names', async () => {
  const {page} = b;
  await page.goto(url + '/carte?vue=10/49.894/2.296');
  await idle(page);
  const communes = await rendered(page, 'libelles-communes');
  assert.ok(communes.includes('Amiens'), communes.join(', '));
  // Thinned: a handful of names, not the hundreds of communes in view.
  assert.ok(communes.length >= 5 && communes.length < 150, `${communes.length} noms`);
  // Sized by population: Amiens is drawn larger than a village.
  const sizes = await page.evaluate(() => {
    const m = window.__cartes[0];
    const fs = m.queryRenderedFeatures(undefined, {layers: ['libelles-communes']});
    const size = (f) => f.layer.layout['text-size'];
    const a = fs.find((f) => f.properties.nom === 'Amiens');
    const small = fs.find((f) => Number(f.properties.population) < 2000);
    return {amiens: a && size(a), small: small && size(small)};
  });
  if (sizes.small !== undefined) assert.ok(sizes.amiens > sizes.small, JSON.stringify(sizes));
  const epci = await rendered(page, 'libelles-epci');
  assert.ok(epci.length >= 1 && epci.every((n) => /^(CA|CC|CU|Métropole|Communauté)/.test(n) || n.length > 3), epci.join(', '));
  await shot(page, 'labels-amiens-z10.png');
});

test('the whole region shows département names and only its largest towns', async () => {
  const {page} = b;
  await page.goto(url + '/carte?vue=7/50.0/2.8');
  await idle(page);
  await shot(page, 'labels-region-z7.png');
  // Pins and clusters keep their place; names fill the room left.
  const deps = await rendered(page, 'libelles-departements');
  assert.ok(deps.length >= 2, `départements : ${deps}`);
  for (const d of deps) assert.ok(['Somme', 'Nord', 'Pas-de-Calais', 'Aisne', 'Oise'].includes(d), d);
  // Only the largest towns (population rank ≤ 20 at zoom 7).
  const communes = await page.evaluate(() =>
    window.__cartes[0].queryRenderedFeatures(undefined, {layers: ['libelles-communes']}).map((f) => [f.properties.nom, f.properties.rang]),
  );
  assert.ok(communes.length >= 1 && communes.length <= 20, JSON.stringify(communes));
  for (const [nom, rang] of communes) assert.ok(rang <= 20, `${nom} (rang ${rang})`);
});

test('place names appear under their pins when zoomed in', async () => {
  const {page} = b;
  await page.goto(url + '/carte?vue=15/49.894/2.296');
  await idle(page);
  const names = await page.evaluate(() =>
    window.__cartes[0]
      .queryRenderedFeatures(undefined, {layers: ['lieux-lieux']})
      .map((f) => f.properties.nom_affiche ?? f.properties.nom),
  );
  assert.ok(names.length > 0, 'aucun lieu rendu');
  // The text is part of the symbol (text-field at this zoom, not empty).
  const field = await page.evaluate(() => {
    const m = window.__cartes[0];
    const f = m.queryRenderedFeatures(undefined, {layers: ['lieux-lieux']})[0];
    return f && m.getLayer('lieux-lieux').getLayoutProperty('text-field') !== undefined && f.properties.nom;
  });
  assert.ok(field);
  await shot(page, 'labels-lieux-z15.png');
});

test('on a phone, names are drawn too', async () => {
  const phone = await launch({viewport: {width: 390, height: 844}});
  try {
    await phone.context.addInitScript(catchMaps);
    await phone.page.goto(url + '/carte?vue=9/49.9/2.3');
    await idle(phone.page);
    const communes = await rendered(phone.page, 'libelles-communes');
    assert.ok(communes.includes('Amiens'), communes.join(', '));
    await shot(phone.page, 'labels-telephone-z9.png');
  } finally {
    await phone.close();
  }
});

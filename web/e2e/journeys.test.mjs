// End-to-end tests of the public map's journeys (issue 11) in a real
// Chromium against a running server (CARTONUM_URL) with the region's data:
// never a dead end (Grandvilliers), the radius fits the map, the position
// marker (centred above the bottom sheet on a phone), "Itinéraire" links on
// a phone and a desktop, approximate positions, typo-tolerant search,
// readable names and hours, the legend folds.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {inflateSync} from 'node:zlib';
import {baseURL, launch, listSettled, listTitle, mapReady, metres, RESULTS} from './browser.mjs';

const url = baseURL();
let b;

before(async () => {
  b = await launch();
});

after(async () => {
  await b?.close();
});

const shot = (page, name) => page.screenshot({path: join(RESULTS, name)});

/** Types a query in the search box and chooses the first suggestion. */
async function searchFirst(page, q) {
  const input = page.locator('#recherche-commune');
  await input.fill('');
  await input.click();
  await input.pressSequentially(q, {delay: 30});
  await page.waitForSelector('#suggestions [role="option"]');
  const first = (await page.locator('#suggestions [role="option"]').first().textContent())?.trim() ?? '';
  await input.press('ArrowDown');
  await input.press('Enter');
  return first;
}

/** The map's view from the URL (vue=zoom/lat/lon). */
async function view(page) {
  const v = new URL(page.url()).searchParams.get('vue') ?? '';
  const [zoom, lat, lon] = v.split('/').map(Number);
  return {zoom, lat, lon};
}

/** Waits until the map has stopped moving (vue unchanged for 600 ms). */
async function settledView(page) {
  let last = '';
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(300);
    const v = new URL(page.url()).searchParams.get('vue') ?? '';
    if (v && v === last) {
      await page.waitForTimeout(300);
      if ((new URL(page.url()).searchParams.get('vue') ?? '') === v) return view(page);
    }
    last = v;
  }
  return view(page);
}

/** Decodes a PNG screenshot (8-bit RGB or RGBA, not interlaced). */
function decodePNG(buf) {
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      channels = data[9] === 6 ? 4 : 3;
      assert.equal(data[8], 8, '8-bit PNG');
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const up = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (f === 1) v += a;
      else if (f === 2) v += up;
      else if (f === 3) v += (a + up) >> 1;
      else if (f === 4) {
        const p = a + up - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
      }
      out[y * stride + x] = v & 255;
    }
  }
  return {width, height, channels, px: (x, y) => [...out.subarray(y * stride + x * channels, y * stride + x * channels + 3)]};
}

/** The map element's pixels, without the legend drawn over it. */
async function mapPixels(page) {
  const box = await page.locator('#carte').boundingBox();
  const img = decodePNG(await page.screenshot({clip: box}));
  const scale = img.width / box.width;
  const lb = await page.locator('#legende').boundingBox();
  const inLegend = (x, y) =>
    lb && x / scale + box.x >= lb.x && x / scale + box.x <= lb.x + lb.width && y / scale + box.y >= lb.y && y / scale + box.y <= lb.y + lb.height;
  return {img, box, scale, inLegend};
}

/** The centroid of the pixels of the position marker (#0a76f6) in the map
 * element (legend aside), in CSS pixels relative to it, or null. */
async function markerCentroid(page) {
  const {img, box, scale, inLegend} = await mapPixels(page);
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (inLegend(x, y)) continue;
      const [r, g, bl] = img.px(x, y);
      if (Math.abs(r - 10) < 30 && Math.abs(g - 118) < 30 && Math.abs(bl - 246) < 30) {
        sx += x;
        sy += y;
        n++;
      }
    }
  }
  return n < 10 ? null : {x: sx / n / scale, y: sy / n / scale, n, width: box.width, height: box.height};
}

test('never a dead end: Grandvilliers lists its nearest places beyond 10 km', async () => {
  const {page} = b;
  await page.goto(url + '/carte');
  await mapReady(page);
  const first = await searchFirst(page, 'Grandvilliers');
  assert.match(first, /^Grandvilliers/);
  await page.waitForFunction(() => /Grandvilliers/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  await listSettled(page);
  assert.equal(await listTitle(page), 'Aucun lieu à moins de 10 km de Grandvilliers. Les plus proches :');
  const items = page.locator('#resultats .resultats__liste--proches li.lieu');
  assert.ok((await items.count()) >= 2, 'at least two nearest places');
  const d = (await page.locator('#resultats .resultats__liste--proches .lieu__distance').allTextContents()).map(metres);
  assert.ok(d[0] > 10000 && d[0] < 15000 && d[1] > 10000 && d[1] < 15000, `the two nearest at ${d[0]} and ${d[1]} m`);
  assert.deepEqual(d, [...d].sort((x, y) => x - y), 'nearest first');
  // Each opens its sheet like any listed place.
  await items.first().locator('.lieu__bouton').click();
  await page.waitForFunction(() => new URLSearchParams(location.search).has('lieu'));
  await page.goBack();
  // The map was fitted to show them: both within the view.
  await settledView(page);
  await shot(page, 'journeys-01-grandvilliers.png');
  // A filter no nearby place matches still gives the nearest that do.
  await page.goto(url + '/carte?commune=60286&dispositifs=France+Services');
  await page.waitForFunction(() => /Grandvilliers/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  await listSettled(page);
  const fs = page.locator('#resultats .resultats__liste--proches li.lieu');
  if ((await fs.count()) > 0) {
    assert.equal(await fs.locator('.badge-fs').count(), await fs.count(), 'the nearest respect the France Services filter');
  } else {
    assert.match(await listTitle(page), /^0 lieu/);
  }
});

test('changing the radius fits the map to the listed places, centred on the origin', async () => {
  const {page} = b;
  await page.goto(url + '/carte');
  await mapReady(page);
  await searchFirst(page, 'Amiens');
  await page.waitForFunction(() => /d'Amiens/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  await listSettled(page);
  const v10 = await settledView(page);
  await page.selectOption('#rayon', '20');
  await page.waitForFunction(() => /à moins de 20 km d'Amiens/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  await listSettled(page);
  const v20 = await settledView(page);
  assert.ok(v20.zoom < v10.zoom - 0.5, `zoomed out from ${v10.zoom} to ${v20.zoom}`);
  // Centred on Amiens' centre (the origin of the list).
  const origin = await page.evaluate(async () => (await (await fetch('/api/communes/80021?geometry=false')).json()).properties.centre);
  assert.ok(Math.abs(v20.lon - origin[0]) < 0.02 && Math.abs(v20.lat - origin[1]) < 0.02, `centre ${v20.lon},${v20.lat}`);
  // Every listed place lies within the view (Web Mercator, 512-px tiles).
  const box = await page.locator('#carte').boundingBox();
  const degPerPx = 360 / (512 * 2 ** v20.zoom);
  const halfW = (box.width / 2) * degPerPx;
  const halfH = (box.height / 2) * degPerPx * Math.cos((v20.lat * Math.PI) / 180);
  const places = await page.evaluate(async (o) => {
    const r = await fetch(`/api/sites?near=${o[0]},${o[1]}&radius=20000&limit=1000`);
    return (await r.json()).features.map((f) => f.geometry.coordinates);
  }, origin);
  assert.ok(places.length > 10);
  for (const [lon, lat] of places) {
    assert.ok(Math.abs(lon - v20.lon) <= halfW * 1.02 && Math.abs(lat - v20.lat) <= halfH * 1.02, `${lon},${lat} outside the view`);
  }
  await shot(page, 'journeys-02-rayon-20.png');
});

test('"Autour de moi" draws the position marker and the radius circle', async () => {
  const {page, context} = b;
  await context.grantPermissions(['geolocation'], {origin: url});
  await context.setGeolocation({latitude: 49.8942, longitude: 2.2957}); // Amiens
  await page.goto(url + '/carte');
  await mapReady(page);
  await page.click('#autour-de-moi');
  await page.waitForFunction(() => /de votre position/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  await listSettled(page);
  await settledView(page);
  await page.waitForSelector('#carte[data-origine="position"]');
  await mapReady(page);
  await page.waitForTimeout(500);
  await shot(page, 'journeys-03-position.png');
  const m = await markerCentroid(page);
  assert.ok(m, 'the position marker is drawn');
  assert.ok(Math.abs(m.x - m.width / 2) < 12 && Math.abs(m.y - m.height / 2) < 12, `marker at ${m.x},${m.y} of ${m.width}×${m.height}`);
  // Zoomed out, the dashed radius circle (#000091) runs 10 km around the
  // marker: many of the pixels of that ring are dark blue, few of a ring
  // half as wide.
  const before = await view(page);
  await page.locator('.maplibregl-ctrl-zoom-out').click();
  await page.waitForFunction((z) => Number((new URLSearchParams(location.search).get('vue') ?? '').split('/')[0]) <= z - 0.99, before.zoom);
  await page.locator('.maplibregl-ctrl-zoom-out').click();
  await page.waitForFunction((z) => Number((new URLSearchParams(location.search).get('vue') ?? '').split('/')[0]) <= z - 1.99, before.zoom);
  const v = await settledView(page);
  await mapReady(page);
  await page.waitForTimeout(400);
  const mc = await markerCentroid(page);
  const {img, scale} = await mapPixels(page);
  const pxPerMetre = (512 * 2 ** v.zoom) / (40075016.686 * Math.cos((v.lat * Math.PI) / 180));
  const ring = (r) => {
    let blue = 0;
    let seen = 0;
    for (let i = 0; i < 720; i++) {
      const a = (i / 720) * 2 * Math.PI;
      const x = Math.round((mc.x + r * Math.cos(a)) * scale);
      const y = Math.round((mc.y + r * Math.sin(a)) * scale);
      if (x < 0 || y < 0 || x >= img.width || y >= img.height) continue;
      seen++;
      let hit = false;
      for (let dy = -2; dy <= 2 && !hit; dy++) {
        for (let dx = -2; dx <= 2 && !hit; dx++) {
          const [rr, g, bb] = img.px(Math.min(img.width - 1, Math.max(0, x + dx)), Math.min(img.height - 1, Math.max(0, y + dy)));
          hit = rr < 90 && g < 90 && bb > 110 && bb - rr > 60;
        }
      }
      if (hit) blue++;
    }
    return seen ? blue / seen : 0;
  };
  const r = 10000 * pxPerMetre;
  const onCircle = ring(r);
  const inside = ring(r / 2);
  console.log(`# radius ring ${r.toFixed(0)} px: ${(onCircle * 100).toFixed(0)} % dark blue pixels, half ring ${(inside * 100).toFixed(0)} %`);
  assert.ok(onCircle > 0.35 && onCircle > inside * 2, `radius ring ${r.toFixed(0)} px: ${onCircle.toFixed(2)} dark blue, half ring ${inside.toFixed(2)}`);
  await context.clearPermissions();
});

test('on a phone the position is centred in the map above the bottom sheet; Itinéraire is a geo: link', async () => {
  const phone = await launch({viewport: {width: 390, height: 844}});
  try {
    const {page, context} = phone;
    await context.grantPermissions(['geolocation'], {origin: url});
    await context.setGeolocation({latitude: 49.8942, longitude: 2.2957});
    await page.goto(url + '/carte');
    await mapReady(page);
    // The legend starts folded on a phone and unfolds with its button.
    const legendButton = page.locator('.legende__bouton');
    assert.equal(await legendButton.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.isVisible('#legende-liste'), false);
    await legendButton.click();
    assert.equal(await legendButton.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.isVisible('#legende-liste'), true);
    await legendButton.click();
    await page.click('#autour-de-moi');
    await page.waitForFunction(() => /de votre position/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
    await listSettled(page);
    await settledView(page);
    await page.waitForTimeout(500);
    const m = await markerCentroid(page);
    assert.ok(m, 'the position marker is drawn');
    const mapTop = (await page.locator('#carte').boundingBox()).y;
    const panel = await page.locator('#panneau').boundingBox();
    const visibleBottom = panel.y - mapTop; // the sheet covers the map below
    assert.ok(Math.abs(m.x - m.width / 2) < 15, `horizontally centred: ${m.x} of ${m.width}`);
    assert.ok(Math.abs(m.y - visibleBottom / 2) < 25, `centred above the sheet: y ${m.y}, visible part 0–${visibleBottom}`);
    await page.screenshot({path: join(RESULTS, 'journeys-04-telephone-position.png')});
    const link = page.locator('#resultats li.lieu .lieu__itineraire').first();
    assert.match(await link.getAttribute('href'), /^geo:-?\d+\.\d+,-?\d+\.\d+/);
    assert.equal(await link.textContent(), 'Itinéraire');
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.close();
  }
});

test('on a desktop Itinéraire links to OpenStreetMap directions to the place', async () => {
  const {page} = b;
  await page.goto(url + '/carte?commune=80021');
  await mapReady(page);
  await page.waitForFunction(() => /d'Amiens/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  await settledView(page);
  await listSettled(page);
  const first = page.locator('#resultats li.lieu').first();
  const id = await first.locator('.lieu__bouton').getAttribute('data-id');
  const href = await first.locator('.lieu__itineraire').getAttribute('href');
  const place = await page.evaluate(async (i) => (await (await fetch(`/api/sites/${encodeURIComponent(i)}`)).json()).geometry.coordinates, id);
  assert.equal(href, `https://www.openstreetmap.org/directions?to=${place[1].toFixed(6)},${place[0].toFixed(6)}`);
  assert.equal(await first.locator('.lieu__itineraire').getAttribute('target'), '_blank');
  // The legend is open on a desktop and folds.
  const legendButton = page.locator('.legende__bouton');
  assert.equal(await legendButton.getAttribute('aria-expanded'), 'true');
  const legend = await page.locator('#legende-liste').textContent();
  for (const entry of ['France Services', 'Regroupement avec France Services', 'Position approximative', 'Votre position', 'Rayon de recherche']) {
    assert.ok(legend.includes(entry), `legend has « ${entry} »`);
  }
  await legendButton.click();
  assert.equal(await page.isVisible('#legende-liste'), false);
});

test('an approximate position is said, sorted after exact places, with its readable name', async () => {
  const {page} = b;
  // ADOMA_RS (Amiens) is placed at the commune's centre: it does not head
  // the list at "10 m".
  await page.goto(url + '/carte?commune=80021');
  await mapReady(page);
  await page.waitForFunction(() => /d'Amiens/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  await settledView(page);
  await listSettled(page);
  const approx = page.locator('#resultats li.lieu--approx').filter({hasText: 'Adoma RS'});
  await approx.waitFor();
  assert.equal(await page.locator('#resultats li.lieu').filter({hasText: 'ADOMA_RS'}).count(), 0, 'the raw name is not shown');
  assert.match(await approx.locator('.lieu__adresse').textContent(), /^Position approximative : dans la commune d'Amiens, adresse : 21 Rue d'Allonville$/);
  assert.equal(await approx.locator('.lieu__distance:not(.lieu__distance--approx)').count(), 0, 'no distance of "10 m"');
  const index = Number(await approx.getAttribute('data-index'));
  assert.ok(index > 0, 'not at the head of the list');
  await approx.scrollIntoViewIfNeeded();
  await shot(page, 'journeys-05-approximatif.png');
  // The API keeps the source's name, gives the display name.
  const p = await page.evaluate(async () => (await (await fetch('/api/search?q=adoma')).json()).lieux);
  assert.ok(p.some((x) => x.nom === 'ADOMA_RS' && x.nom_affiche === 'Adoma RS'));
});

test('unreadable hours: "Horaires à confirmer auprès du lieu", the raw text as a detail', async () => {
  const {page} = b;
  await page.goto(url + '/carte?commune=59295');
  await mapReady(page);
  await page.waitForFunction(() => /Hazebrouck/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  await listSettled(page);
  const item = page.locator('#resultats li.lieu').filter({hasText: "Commune d'Hazebrouck"});
  await item.waitFor();
  const details = item.locator('details.lieu__horaires');
  assert.equal((await details.locator('summary').textContent()).trim(), 'Horaires à confirmer auprès du lieu');
  assert.equal(await details.locator('.lieu__horaires-texte').isVisible(), false);
  await details.locator('summary').click();
  assert.match(await details.locator('.lieu__horaires-texte').textContent(), /Fr 08:00-14:00-17:00/);
  assert.equal(await item.locator('.lieu__meta').textContent().then((t) => /\d\d:\d\d/.test(t)), false, 'no raw syntax on the main line');
});

test('search that forgives: "abbevile" finds Abbeville; places by name; street search unavailable said', async () => {
  const {page} = b;
  await page.goto(url + '/carte');
  await mapReady(page);
  const first = await searchFirst(page, 'abbevile');
  assert.match(first, /^Abbeville \(80\)/);
  await page.waitForFunction(() => /d'Abbeville/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  assert.match(page.url(), /commune=80001/);
  for (const [q, want] of [
    ['amien', /^Amiens/],
    ['beauvai', /^Beauvais/],
  ]) {
    const input = page.locator('#recherche-commune');
    await input.fill('');
    await input.pressSequentially(q, {delay: 30});
    await page.waitForFunction((w) => document.querySelector('#suggestions [role="option"]')?.textContent?.startsWith(w), want.source.slice(1));
    assert.match((await page.locator('#suggestions [role="option"]').first().textContent()).trim(), want);
  }
  // A place by its name, in its own group; choosing it opens its sheet.
  const input = page.locator('#recherche-commune');
  await input.fill('');
  await input.pressSequentially('Adoma', {delay: 30});
  const group = page.locator('#suggestions [role="group"][aria-label="Lieux"]');
  await group.waitFor();
  const option = group.locator('[role="option"]').filter({hasText: 'Adoma RS'}).filter({hasText: 'Amiens'});
  await option.click();
  await page.waitForFunction(() => new URLSearchParams(location.search).has('lieu'));
  await shot(page, 'journeys-06-lieu-par-nom.png');
});

test('a street address without a geocoder says street search is not available', async () => {
  const x = await launch();
  try {
    const {page} = x;
    // This server has a geocoder; the page is told it has none.
    await page.route('**/api/config', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      await route.fulfill({response: res, json: {...body, geocoder: false}});
    });
    await page.goto(url + '/carte');
    await mapReady(page);
    const input = page.locator('#recherche-commune');
    await input.click();
    await input.pressSequentially('12 rue de la Paix', {delay: 20});
    await page.waitForFunction(() => /La recherche par adresse/.test(document.querySelector('#message-geoloc')?.textContent ?? ''));
    assert.match(await page.textContent('#message-geoloc'), /n'est pas disponible sur ce service/);
    await input.fill('');
    await input.pressSequentially('Amiens', {delay: 20});
    await page.waitForFunction(() => !/La recherche par adresse/.test(document.querySelector('#message-geoloc')?.textContent ?? ''));
    assert.deepEqual(x.problems, []);
  } finally {
    await x.close();
  }
});

test('readable names in the list, « de Doullens » in the title', async () => {
  const {page} = b;
  await page.goto(url + '/carte?commune=80253'); // Doullens
  await mapReady(page);
  await page.waitForFunction(() => /Doullens/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  await listSettled(page);
  assert.match(await listTitle(page), / de Doullens$/);
  const names = await page.locator('#resultats .lieu__bouton').allTextContents();
  assert.ok(names.includes('MDSI Doullens'), names.join(' | '));
  assert.ok(!names.some((n) => /^[A-Z0-9 '_-]{12,}$/.test(n)), `no name in capitals: ${names.join(' | ')}`);
});

test('no console error, failed request or CSP violation', () => {
  assert.deepEqual(b.problems, []);
});

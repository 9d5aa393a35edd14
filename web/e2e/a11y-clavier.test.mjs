// Keyboard access to the places: the map's pins are not focusable; the
// list is their announced equivalent (aria-describedby on the map region
// and on the list), and the map follows the place of the list that has
// the focus: highlighted, and brought into view when it was out of it.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {RESULTS, baseURL, launch, mapReady} from './browser.mjs';

const url = baseURL();
let b;

before(async () => {
  b = await launch();
});
after(async () => {
  await b?.close();
});

/** Offset in pixels of (lon, lat) from the centre of view (Web Mercator, 512 px tiles). */
function offset(view, lon, lat) {
  const size = 512 * 2 ** view.zoom;
  const x = (l) => ((l + 180) / 360) * size;
  const y = (f) => {
    const r = (f * Math.PI) / 180;
    return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * size;
  };
  return [x(lon) - x(view.lon), y(lat) - y(view.lat)];
}

async function view(page) {
  const [zoom, lat, lon] = (new URL(page.url()).searchParams.get('vue') ?? '').split('/').map(Number);
  return {zoom, lat, lon};
}

test('the map and the list say that the list is the map’s equivalent', async () => {
  const {page} = b;
  await page.goto(url + '/carte?commune=80021');
  await mapReady(page);
  const described = await page.evaluate(() => ({
    carte: document.getElementById(document.getElementById('carte').getAttribute('aria-describedby'))?.textContent,
    liste: document.getElementById(document.getElementById('resultats').getAttribute('aria-describedby'))?.textContent,
  }));
  assert.match(described.carte, /la liste des lieux.*en est l'équivalent/);
  assert.match(described.liste, /équivalent de la carte/);
});

test('Tab through the list: each focused place is highlighted and brought into view', async () => {
  const {page} = b;
  // Zoomed in on the town hall: most places of the 20 km list are out of view.
  await page.goto(url + '/carte?commune=80021&rayon=20&vue=15.5/49.8945/2.2955');
  await mapReady(page);
  await page.waitForSelector('#resultats li.lieu >> nth=8');
  await page.waitForSelector('#resultats:not([aria-busy])');
  await page.waitForTimeout(1500); // the list and the map settle
  // From the skip link "Liste des lieux" to the first place, by keyboard only.
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Liste des lieux') break;
  }
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('lieu__bouton')), true, 'the first place has the focus');
  const size = await page.evaluate(() => ({w: document.getElementById('carte').clientWidth, h: document.getElementById('carte').clientHeight}));
  let moves = 0;
  let previous = await view(page);
  for (let k = 0; k < 8; k++) {
    const id = await page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    assert.ok(id, `place ${k} focused`);
    const place = await (await fetch(`${url}/api/sites/${encodeURIComponent(id)}`)).json();
    const [lon, lat] = place.geometry.coordinates;
    // Highlighted in the list (and on the map, by the same store state).
    await page.waitForFunction((id) => document.querySelector(`#resultats li.est-survole button[data-id="${id}"]`), id);
    // In view once the map has moved.
    let inside = false;
    for (let t = 0; t < 40 && !inside; t++) {
      const v = await view(page);
      const [dx, dy] = offset(v, lon, lat);
      inside = Math.abs(dx) < size.w / 2 && Math.abs(dy) < size.h / 2 && !(await page.evaluate(() => document.querySelector('.maplibregl-map')?.classList.contains('maplibregl-moving')));
      if (!inside) await page.waitForTimeout(150);
    }
    assert.ok(inside, `place ${k} (${place.properties.nom}) brought into view`);
    const now = await view(page);
    if (now.lat !== previous.lat || now.lon !== previous.lon) moves++;
    previous = now;
    if (k === 3) await page.screenshot({path: join(RESULTS, 'a11y-clavier-carte-suit-la-liste.png')});
    // Tab to the next place (past the links of this one, e.g. « Itinéraire »).
    for (let t = 0; t < 6; t++) {
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => document.activeElement?.getAttribute('data-id'));
      if (next && next !== id) break;
      assert.ok(await page.evaluate(() => !!document.activeElement?.closest('#resultats li.lieu')), 'Tab stays in the list');
    }
  }
  assert.ok(moves >= 1, 'the map moved to follow the list');
});

test('no console error, failed request or CSP violation', () => {
  assert.deepEqual(b.problems, []);
});

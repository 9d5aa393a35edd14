// End-to-end tests of the dashboard's decisions made visible: a what-if
// recolours the communes and EPCI on the map, changes the portrait and the
// white cells, and undo gives everything back; the region's edge is said;
// the exports open in a French spreadsheet; the printed portrait fits two
// A4 pages with its map, legend and scale, from a narrow and a wide window.
// Against a running server (CARTONUM_URL) with the data of region 32.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {audit, baseURL, launch, RESULTS} from './browser.mjs';

const url = baseURL();
let b;

before(async () => {
  b = await launch();
});

after(async () => {
  await b?.close();
});

const shot = (page, name) => page.screenshot({path: join(RESULTS, name)});

async function boardReady(page, timeout = 30000) {
  await page.waitForSelector('#tdb-carte[data-etat="prete"]', {timeout});
  await page.waitForSelector('#page-tableau-de-bord[data-chargement="0"]', {timeout});
}

async function api(path) {
  const res = await fetch(url + path);
  assert.equal(res.status, 200, path);
  return res.json();
}

/** The territory under a pixel of the map (CSS pixels from its top left),
 * its feature state, and the colour the canvas shows there. */
async function probe(page, x, y) {
  return page.evaluate(
    ([x, y]) => {
      const el = document.getElementById('tdb-carte');
      const found = el.cartonumSonde(x, y);
      const gl = el.querySelector('canvas.maplibregl-canvas');
      const ratio = gl.width / gl.clientWidth;
      const c = document.createElement('canvas');
      c.width = gl.width;
      c.height = gl.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(gl, 0, 0);
      const [r, g, bl] = ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
      return {...found, rgb: `${r},${g},${bl}`};
    },
    [x, y],
  );
}

/** Waits for the map to have painted after a change (data-etat goes to
 * "rendu", then "prete" once idle). */
async function repainted(page) {
  await page.waitForTimeout(300);
  await boardReady(page);
}

test('what-if recolours the commune and its EPCI, the portrait and the white cells; undo and leaving the mode restore them', async () => {
  const {page} = b;
  // A commune wholly in the white zone, with its centre.
  const communes = (await api('/api/indicators?level=commune')).items;
  const white = communes.filter((c) => c.beyond_share > 0.999 && c.population > 300).sort((a, c) => c.population - a.population)[0];
  assert.ok(white, 'a commune wholly beyond 20 minutes');
  const info = await api(`/api/communes/${white.code}?geometry=false`);
  const [lon, lat] = info.properties.centre;
  await page.goto(`${url}/tableau-de-bord?mode=scenario&niveau=commune&indicateur=zone_blanche&zones=1&territoire=${white.code}&vue=12/${lat}/${lon}`);
  await boardReady(page);
  await page.waitForSelector('#tdb-carte[data-zones]');
  await page.waitForTimeout(500);
  const box = await page.locator('#tdb-carte').boundingBox();
  const cx = box.width / 2;
  const cy = box.height / 2;
  // A pixel of the commune away from the mark that the added place draws.
  let at = null;
  for (const [dx, dy] of [[0, 40], [40, 0], [-40, 0], [0, -40], [25, 25], [-25, -25]]) {
    const p = await probe(page, cx + dx, cy + dy);
    if (p.code === white.code) {
      at = [cx + dx, cy + dy];
      break;
    }
  }
  assert.ok(at, `a pixel of ${white.code} near the centre`);
  const before = await probe(page, ...at);
  assert.ok(Math.abs(before.state.v - white.beyond_share) < 1e-9, `state ${JSON.stringify(before.state)}`);
  const zonesBefore = Number(await page.getAttribute('#tdb-carte', 'data-zones'));
  assert.ok(zonesBefore > 0);
  const beyondBefore = Number(await page.getAttribute('#tdb-territoire [data-mesure="beyond_population"] .tdb-chiffre__valeur', 'data-valeur'));
  await shot(page, '40-scenario-avant.png');

  // One place at the centre of the map (the keyboard path).
  await page.click('#tdb-scenario [data-action="centre"]');
  await page.waitForSelector('#tdb-scenario-resultats[data-etat="pret"]');
  await page.waitForFunction(() => Number(document.getElementById('tdb-carte')?.dataset.recolorees) > 0);
  await page.waitForSelector('#tdb-carte[data-zones-scenario="1"]');
  await repainted(page);
  const changed = await probe(page, ...at);
  assert.equal(changed.code, white.code);
  assert.equal(changed.state.modifie, true);
  assert.ok(changed.state.v < before.state.v, `share ${before.state.v} → ${changed.state.v}`);
  assert.notEqual(changed.rgb, before.rgb, 'the commune is drawn in another colour');
  // The portrait: before → after.
  await page.waitForSelector('#tdb-territoire .tdb-chiffre__apres');
  const row = '#tdb-territoire [data-mesure="beyond_population"]';
  assert.equal(Number(await page.getAttribute(`${row} .tdb-chiffre__valeur`, 'data-valeur')), beyondBefore);
  const beyondAfter = Number(await page.getAttribute(`${row} .tdb-chiffre__apres`, 'data-valeur'));
  assert.ok(beyondAfter < beyondBefore, `${beyondBefore} → ${beyondAfter}`);
  assert.match(await page.textContent(`${row} .tdb-chiffre__valeur`), /→/);
  // Fewer white cells, and the legend says the territories recoloured.
  const zonesAfter = Number(await page.getAttribute('#tdb-carte', 'data-zones'));
  assert.ok(zonesAfter < zonesBefore, `${zonesBefore} → ${zonesAfter} white cells`);
  assert.match(await page.textContent('#tdb-legende'), /territoires? recolorés? par le scénario/);
  await shot(page, '41-scenario-apres.png');
  await audit(page, 'scénario, avant → après');

  // The EPCI level: the commune's EPCI is recoloured from its own delta.
  await page.click('label[for="tdb-niveau-epci"]');
  await page.waitForSelector('#tdb-carte[data-niveau="epci"]');
  await page.waitForFunction(() => Number(document.getElementById('tdb-carte')?.dataset.recolorees) > 0);
  await repainted(page);
  const epci = await probe(page, ...at);
  assert.equal(epci.level, 'epci');
  assert.equal(epci.state.modifie, true);
  const epciItem = (await api('/api/indicators?level=epci')).items.find((e) => e.code === epci.code);
  assert.ok(epci.state.v < epciItem.beyond_share, `EPCI ${epci.code}: ${epciItem.beyond_share} → ${epci.state.v}`);
  await page.click('label[for="tdb-niveau-commune"]');
  await page.waitForSelector('#tdb-carte[data-niveau="commune"]');
  await page.waitForFunction(() => Number(document.getElementById('tdb-carte')?.dataset.recolorees) > 0);
  await repainted(page);

  // The saved scenario downloads as a workbook named after it.
  await page.fill('#tdb-titre-scenario', 'Décisions e2e');
  await page.click('#tdb-enregistrer button[type="submit"]');
  await page.waitForSelector('#tdb-enregistrer .fr-alert--success a[data-format="xlsx"]');
  const href = await page.getAttribute('#tdb-enregistrer a[data-format="xlsx"]', 'href');
  const res = await page.request.get(url + href);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-disposition'], /^attachment; filename="scenario-\d+-20min-45kmh-detour1\.3-\d{4}-\d{2}-\d{2}\.xlsx"$/);
  assert.equal((await res.body()).subarray(0, 2).toString(), 'PK');

  // Undo: the figures, the colour and the white cells come back exactly.
  await page.click('#tdb-scenario [data-action="annuler-dernier"]');
  await page.waitForSelector('#tdb-carte[data-recolorees="0"]');
  await page.waitForSelector('#tdb-carte[data-zones-scenario="0"]');
  await repainted(page);
  const undone = await probe(page, ...at);
  assert.equal(undone.state.v, before.state.v);
  assert.equal(undone.state.modifie, false);
  assert.equal(undone.rgb, before.rgb);
  assert.equal(Number(await page.getAttribute('#tdb-carte', 'data-zones')), zonesBefore);
  assert.equal(await page.locator('#tdb-territoire .tdb-chiffre__apres').count(), 0);

  // Leaving the what-if mode restores them too.
  await page.click('#tdb-scenario [data-action="centre"]');
  await page.waitForFunction(() => Number(document.getElementById('tdb-carte')?.dataset.recolorees) > 0);
  await page.click('label[for="tdb-mode-exploration"]');
  await page.waitForSelector('#tdb-carte[data-recolorees="0"]');
  await repainted(page);
  const left = await probe(page, ...at);
  assert.equal(left.state.v, before.state.v);
  assert.equal(left.rgb, before.rgb);
  assert.equal(Number(await page.getAttribute('#tdb-carte', 'data-zones')), zonesBefore);
});

test('the region’s edge: the places beyond it counted are said in the legend and the portrait', async () => {
  const {page} = b;
  const health = await api('/healthz');
  const region = await api('/api/indicators?level=region');
  assert.equal(region.edge.places_outside_region, health.places_outside_region);
  await page.goto(`${url}/tableau-de-bord?zones=1`);
  await boardReady(page);
  const km = Math.ceil(region.edge.margin_km);
  const n = new Intl.NumberFormat('fr-FR').format(health.places_outside_region).replace(/\s/g, '\\s');
  const text = new RegExp(`${n}\\slieux hors région à moins de ${km}\\skm pris en compte`);
  await page.waitForSelector('#tdb-legende-bord');
  assert.match(await page.textContent('#tdb-legende-bord'), text);
  assert.match(await page.textContent('#tdb-territoire .tdb-bord'), text);
  // With places kept 30 km beyond the edge and a 11.5 km reach, no white
  // cell depends on missing data.
  assert.equal(region.edge.uncertain_within_km, 0);
  assert.equal(await page.getAttribute('#tdb-carte', 'data-zones-incertaines'), '0');
  assert.equal(await page.locator('#tdb-legende .tdb-legende__incertain').count(), 0);
  // A filter the neighbouring places do not all pass counts fewer.
  const fs = await api('/api/indicators?level=region&dispositifs=France+Services');
  assert.ok(fs.edge.places_outside_region < region.edge.places_outside_region);
  await shot(page, '42-bord-region.png');
  await audit(page, 'bord de la région, exports');
});

test('exports: Excel and spreadsheet CSV downloads with meaningful names', async () => {
  const {page} = b;
  await page.goto(`${url}/tableau-de-bord?seuil=30`);
  await boardReady(page);
  const day = /\d{4}-\d{2}-\d{2}/.source;
  const download = async (selector) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    const path = join(RESULTS, d.suggestedFilename());
    await d.saveAs(path);
    return {name: d.suggestedFilename(), body: readFileSync(path)};
  };
  const xlsx = await download('#tdb-exports a[data-export="indicateurs"][data-format="xlsx"]');
  assert.match(xlsx.name, new RegExp(`^indicateurs-epci-30min-45kmh-detour1\\.3-${day}\\.xlsx$`));
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK', 'a zip (Office Open XML) file');
  assert.ok(xlsx.body.includes('xl/worksheets/sheet2.xml'), 'two sheets: the table and the parameters');
  const csv = await download('#tdb-exports a[data-export="indicateurs"][data-format="csv-excel"]');
  assert.match(csv.name, new RegExp(`^indicateurs-epci-30min-45kmh-detour1\\.3-${day}-excel\\.csv$`));
  assert.deepEqual([...csv.body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
  const lines = csv.body.toString('utf8').slice(1).split(/\r?\n/);
  assert.match(lines[0], /^niveau;code;nom;population;/);
  assert.match(lines[1], /^epci;\d{9};[^;]+;\d+;\d+;\d+,\d{3};\d+,\d{2};/, "semicolons and decimal commas");
  const zones = await download('#tdb-exports a[data-export="zones"][data-format="xlsx"]');
  assert.match(zones.name, new RegExp(`^zones-blanches-30min-45kmh-detour1\\.3-${day}\\.xlsx$`));
  const places = await download('#tdb-exports a[data-export="lieux"]');
  assert.match(places.name, /\.csv$/);
});

/** Prints the portrait of an EPCI in a window of this width; returns the
 * PDF's page count. */
async function printAt(width, height, name) {
  const w = await launch({viewport: {width, height}});
  try {
    const {page} = w;
    await page.goto(`${url}/tableau-de-bord?territoire=200018083&zones=1`);
    await boardReady(page);
    await page.evaluate(() => {
      window.print = () => {};
    });
    await page.waitForSelector('#tdb-territoire [data-action="imprimer"]');
    await page.click('#tdb-territoire [data-action="imprimer"]');
    await page.waitForSelector('#impression .portrait img.portrait__carte', {state: 'attached', timeout: 30000});
    await page.emulateMedia({media: 'print'});
    // The map, its legend and its scale are printed (visible in print).
    for (const sel of ['#impression img.portrait__carte', '#impression .portrait__legende', '#impression .portrait__echelle-texte', '#impression .portrait__tableau']) {
      assert.ok(await page.locator(sel).isVisible(), `${sel} printed`);
    }
    assert.match(await page.textContent('#impression .portrait__legende'), /Légende — Temps moyen.*par EPCI/s);
    assert.match(await page.textContent('#impression .portrait__legende'), /Hachures : zone blanche/);
    assert.match((await page.textContent('#impression .portrait__echelle-texte')).replace(/\s/g, ' '), /^Échelle : \d+ (km|m)$/);
    const bar = await page.locator('#impression .portrait__echelle-barre').boundingBox();
    const img = await page.locator('#impression img.portrait__carte').boundingBox();
    assert.ok(bar.width > 0.05 * img.width && bar.width < 0.5 * img.width, `scale bar ${bar.width} of ${img.width}`);
    // The same picture whatever the window.
    const natural = await page.$eval('#impression img.portrait__carte', (i) => [i.naturalWidth, i.naturalHeight]);
    assert.ok(natural[0] >= 960 && natural[0] / natural[1] > 1.3 && natural[0] / natural[1] < 1.4, `picture ${natural}`);
    assert.equal(await page.locator('#impression .portrait svg.tdb-graphique__svg').count(), 3, 'three plots');
    const pdf = await page.pdf({format: 'A4', printBackground: true, preferCSSPageSize: true});
    writeFileSync(join(RESULTS, `${name}.pdf`), pdf);
    const raw = pdf.toString('latin1');
    const pages = (raw.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(Number(/\/Type\s*\/Pages[^>]*\/Count\s+(\d+)/.exec(raw)?.[1] ?? /\/Count\s+(\d+)/.exec(raw)?.[1]), pages, 'page objects and the page tree agree');
    for (const m of raw.matchAll(/\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/g)) {
      assert.ok(Math.abs(Number(m[1]) - 595.3) < 1 && Math.abs(Number(m[2]) - 841.9) < 1, `A4 portrait page: ${m[0]}`);
    }
    // The map of the dashboard is back as it was.
    await page.emulateMedia({media: 'screen'});
    const mapBox = await page.locator('#tdb-carte').boundingBox();
    assert.ok(mapBox.width <= width && mapBox.x >= 0, `map back in the page: ${JSON.stringify(mapBox)}`);
    // A picture of the printed layout: the A4 text width (186 mm). Printing
    // fired "afterprint", which closed the print area: open it again.
    await page.evaluate(() => document.body.classList.add('impression-active'));
    await page.emulateMedia({media: 'print'});
    await page.setViewportSize({width: 703, height: 1000});
    await page.screenshot({path: join(RESULTS, `${name}.png`), fullPage: true});
    assert.deepEqual(w.problems, []);
    return pages;
  } finally {
    await w.close();
  }
}

test('the printed portrait: A4, map with legend and scale, two pages at most, from a narrow and a wide window', async () => {
  const narrow = await printAt(400, 800, '43-portrait-etroit');
  assert.ok(narrow >= 1 && narrow <= 2, `${narrow} pages from a 400 px window`);
  const wide = await printAt(1400, 900, '44-portrait-large');
  assert.ok(wide >= 1 && wide <= 2, `${wide} pages from a 1400 px window`);
  console.log(`# portrait imprimé : ${narrow} pages (400 px), ${wide} pages (1400 px)`);
});

test('no console error, failed request or CSP violation', () => {
  assert.deepEqual(b.problems, []);
});

// End-to-end test of the planners' dashboard "Tableau de bord" in a real
// Chromium against a running server (CARTONUM_URL) with the region's data.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {RESULTS, baseURL, launch} from './browser.mjs';

const url = baseURL();
let b;

before(async () => {
  b = await launch();
});

after(async () => {
  await b?.close();
});

const shot = (page, name) => page.screenshot({path: join(RESULTS, name)});

/** Waits until the map has painted the figures of the current state. */
async function boardReady(page, timeout = 30000) {
  await page.waitForSelector('#tdb-carte[data-etat="prete"]', {timeout});
  await page.waitForSelector('#page-tableau-de-bord[data-chargement="0"]', {timeout});
}

async function api(path) {
  const res = await fetch(url + path);
  assert.equal(res.status, 200, path);
  return res.json();
}

/** Clicks the map at its centre (offset in pixels). */
async function clickMapCentre(page, dy = 0) {
  const box = await page.locator('#tdb-carte canvas').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2 + dy);
}

async function value(page, selector) {
  return Number(await page.getAttribute(selector, 'data-valeur'));
}

test('the dashboard loads: choropleth of the EPCI, legend, region figures', async () => {
  const {page} = b;
  await page.goto(url + '/tableau-de-bord');
  assert.match(await page.title(), /Tableau de bord/);
  await boardReady(page);
  assert.equal(await page.getAttribute('#tdb-legende', 'data-niveau'), 'epci');
  assert.match(await page.textContent('#tdb-legende-titre'), /Temps moyen/);
  const classes = page.locator('#tdb-legende .tdb-legende__classes li');
  assert.equal(await classes.count(), 6);
  const counts = (await page.locator('#tdb-legende .tdb-legende__nombre').allTextContents()).map((t) => Number(/\d+/.exec(t)[0]));
  assert.equal(counts.reduce((a, c) => a + c, 0), 92, 'the 92 EPCI are classed');
  assert.match(await page.textContent('#tdb-legende .tdb-legende__niveau'), /Par EPCI · 92 territoires/);
  const beyond = await value(page, '#tdb-region [data-mesure="beyond_population"] .tdb-chiffre__valeur');
  assert.ok(beyond > 0, `${beyond} people beyond 20 min`);
  // The portrait of the region, with its three plots, before any choice.
  await page.waitForSelector('#tdb-territoire figure.tdb-graphique');
  assert.match(await page.textContent('#tdb-territoire-titre'), /région/);
  // Ten least well served EPCI.
  assert.equal(await page.locator('#tdb-territoires tbody tr').count(), 10);
  await page.waitForTimeout(500);
  const m = await page.evaluate(() => {
    const entries = performance.getEntriesByType('resource');
    const pick = (re) => entries.filter((e) => re.test(e.name)).map((e) => ({name: e.name.replace(location.origin, ''), encoded: e.encodedBodySize, decoded: e.decodedBodySize}));
    return {scripts: pick(/\.m?js(\?|$)/), css: pick(/\.css(\?|$)/), api: pick(/\/api\//)};
  });
  writeFileSync(join(RESULTS, 'mesures-tableau.json'), JSON.stringify(m, null, 2));
  const chunk = m.scripts.find((s) => /tableau-/.test(s.name));
  assert.ok(chunk, 'the dashboard code is a chunk of its own');
  console.log(`# tableau de bord : module ${chunk.encoded} o compressés (${chunk.decoded} o)`);
  await shot(page, '11-tableau.png');
});

test('switching the indicator and the level changes the legend and the URL; back restores them', async () => {
  const {page} = b;
  await page.selectOption('#tdb-indicateur', 'zone_blanche');
  await page.waitForFunction(() => /indicateur=zone_blanche/.test(location.search));
  await page.waitForFunction(() => /zone blanche/.test(document.querySelector('#tdb-legende-titre')?.textContent ?? ''));
  assert.match(await page.textContent('#tdb-legende-titre'), /plus de 20\s*min/);
  assert.deepEqual(
    (await page.locator('#tdb-legende .tdb-legende__classes li > span:nth-child(2)').allTextContents()).map((t) => t.replace(/\s/g, ' ')),
    ['0 %', 'moins de 5 %', '5 à 10 %', '10 à 25 %', '25 à 50 %', '50 % et plus'],
  );
  await page.click('label[for="tdb-niveau-commune"]');
  await page.waitForFunction(() => /niveau=commune/.test(location.search));
  await page.waitForSelector('#tdb-legende[data-niveau="commune"]');
  assert.match((await page.textContent('#tdb-legende .tdb-legende__niveau')).replace(/\s/g, ' '), /Par commune · 3 782 territoires/);
  await boardReady(page);
  assert.equal(await page.getAttribute('#tdb-carte', 'data-niveau'), 'commune');
  await page.waitForTimeout(500);
  await shot(page, '12-communes-zone-blanche.png');
  await page.goBack();
  await page.waitForFunction(() => !/niveau=commune/.test(location.search));
  await page.waitForSelector('#tdb-legende[data-niveau="epci"]');
  assert.equal(await page.isChecked('#tdb-niveau-epci'), true);
  await page.goForward();
  await page.waitForSelector('#tdb-legende[data-niveau="commune"]');
  await page.click('label[for="tdb-niveau-epci"]');
  await page.waitForSelector('#tdb-legende[data-niveau="epci"]');
});

test('changing the threshold refetches: more people beyond 10 minutes than 20', async () => {
  const {page} = b;
  const sel = '#tdb-region [data-mesure="beyond_population"] .tdb-chiffre__valeur';
  const before20 = await value(page, sel);
  await page.fill('#tdb-seuil', '10');
  await page.press('#tdb-seuil', 'Enter');
  await page.waitForFunction(() => /seuil=10/.test(location.search));
  await page.waitForFunction(([s, v]) => Number(document.querySelector(s)?.getAttribute('data-valeur')) !== v, [sel, before20]);
  const after10 = await value(page, sel);
  assert.ok(after10 > before20, `${before20} → ${after10}`);
  await page.waitForFunction(() => /plus de 10\s*min/.test(document.querySelector('#tdb-legende-titre')?.textContent ?? ''));
  assert.match(await page.textContent('#tdb-region [data-mesure="beyond_population"] dt'), /plus de 10\s*min/);
  // An invalid value is refused with a message, and changes nothing.
  await page.fill('#tdb-seuil', '500');
  await page.press('#tdb-seuil', 'Enter');
  assert.equal(await page.isVisible('#tdb-seuil-erreur'), true);
  assert.equal(await page.getAttribute('#tdb-seuil', 'aria-invalid'), 'true');
  assert.match(page.url(), /seuil=10/);
  await page.click('#tdb-parametres [data-action="defaut"]');
  await page.waitForFunction(() => !/seuil=/.test(location.search));
  assert.equal(await page.inputValue('#tdb-seuil'), '20');
  await boardReady(page);
});

test('clicking a territory shows its portrait: figures, ranks, three plots with text alternatives', async () => {
  const {page} = b;
  const desvres = await api('/api/communes/62268?geometry=false'); // Desvres
  const [lon, lat] = desvres.properties.centre;
  await page.goto(`${url}/tableau-de-bord?vue=10/${lat}/${lon}`);
  await boardReady(page);
  await clickMapCentre(page);
  await page.waitForFunction(() => /territoire=200018083/.test(location.search));
  await page.waitForSelector('#tdb-territoire[data-code="200018083"]:not([aria-busy])');
  assert.equal((await page.textContent('#tdb-territoire-titre')).trim(), 'CC de Desvres-Samer');
  const ranks = await page.locator('#tdb-territoire .tdb-chiffre__rang').allTextContents();
  assert.ok(ranks.length >= 3);
  for (const r of ranks) assert.match(r.replace(/\s/g, ' '), /^Rang : \d+(er|e) sur 92 EPCI$/);
  const figures = page.locator('#tdb-territoire figure.tdb-graphique');
  assert.equal(await figures.count(), 3);
  for (let i = 0; i < 3; i++) {
    const svg = figures.nth(i).locator('svg');
    assert.equal(await svg.getAttribute('role'), 'img');
    const name = await page.evaluate((el) => document.getElementById(el.getAttribute('aria-labelledby'))?.textContent, await svg.elementHandle());
    const desc = await page.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby'))?.textContent, await svg.elementHandle());
    assert.ok(name && name.length > 10, `plot ${i} named`);
    assert.ok(desc && desc.length > 20, `plot ${i} described`);
    assert.ok((await figures.nth(i).locator('details table tbody tr').count()) >= 3, `plot ${i} has its data table`);
  }
  assert.equal(await figures.nth(0).locator('svg rect').count(), 13, '13 bins of 5 minutes');
  assert.match(await figures.nth(2).textContent(), /Pas-de-Calais/);
  // The selection is also a choice in the list, and the map outlines it.
  assert.equal(await page.inputValue('#tdb-choix-territoire'), '200018083');
  await page.waitForTimeout(600);
  await shot(page, '13-territoire.png');

  // The printable portrait: title, figures, plots, a picture of the map.
  await page.evaluate(() => {
    window.print = () => {};
  });
  await page.click('#tdb-territoire [data-action="imprimer"]');
  await page.waitForSelector('#impression .portrait img.portrait__carte', {state: 'attached'});
  const src = await page.getAttribute('#impression img.portrait__carte', 'src');
  assert.match(src, /^data:image\/png;base64,/);
  assert.ok(src.length > 20000, 'the map picture is not blank');
  assert.match(await page.textContent('#impression h1'), /CC de Desvres-Samer/);
  assert.match(await page.textContent('#impression'), /Seuil de la zone blanche : 20/);
  assert.equal(await page.locator('#impression figure svg').count(), 3);
  await page.emulateMedia({media: 'print'});
  await page.screenshot({path: join(RESULTS, '14-portrait-impression.png'), fullPage: true});
  await page.emulateMedia({media: 'screen'});
  await page.evaluate(() => document.body.classList.remove('impression-active'));

  // Keyboard: a territory chosen in the table; the focus goes to its portrait.
  const first = page.locator('#tdb-territoires tbody button').first();
  const name = (await first.textContent()).trim();
  await first.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelector('#tdb-territoire-titre')?.textContent === n, name);
  await page.waitForFunction(() => document.activeElement?.id === 'tdb-territoire-titre');
  await page.click('#tdb-territoire [data-action="region"]');
  await page.waitForFunction(() => !/territoire=/.test(location.search));
});

test('what-if: a place added in a white zone lowers the people beyond the threshold', async () => {
  const {page} = b;
  // The most populated white-zone cell (more than 20 minutes away), asked
  // of the API so that the test follows the data (places of the
  // neighbouring regions serve the border communes).
  const zones = await (await fetch(`${url}/api/whitezones`)).json();
  assert.ok(zones.features.length > 0, 'the region has white zones');
  const cell = zones.features.reduce((a, f) => (f.properties.population > a.properties.population ? f : a));
  const ring = cell.geometry.coordinates[0];
  const lon = (ring[0][0] + ring[2][0]) / 2;
  const lat = (ring[0][1] + ring[2][1]) / 2;
  await page.goto(`${url}/tableau-de-bord?mode=scenario&vue=11/${lat.toFixed(4)}/${lon.toFixed(4)}`);
  await boardReady(page);
  assert.equal(await page.isVisible('#tdb-scenario'), true);
  assert.equal(await page.isVisible('#tdb-viseur'), true);
  await clickMapCentre(page);
  await page.waitForFunction(() => /ajout=\d/.test(location.search));
  await page.waitForSelector('#tdb-scenario-resultats[data-etat="pret"]');
  const row = '#tdb-scenario-totaux tr[data-mesure="beyond_population"]';
  const before = await value(page, `${row} td:nth-of-type(1)`);
  const after1 = await value(page, `${row} td:nth-of-type(2)`);
  const delta = await value(page, `${row} td:nth-of-type(3)`);
  assert.ok(after1 < before, `${before} → ${after1}`);
  assert.ok(delta < 0);
  assert.ok(await value(page, '#tdb-scenario-totaux tr[data-mesure="mean_minutes"] td:nth-of-type(3)') < 0, 'mean time decreases');
  assert.ok((await page.locator('#tdb-scenario-communes tbody tr').count()) >= 1, 'communes most improved');
  assert.ok((await page.textContent('#tdb-scenario-communes')).includes(`(${cell.properties.commune})`), 'the white zone\'s commune is among the most improved');
  await page.waitForTimeout(400);
  await shot(page, '15-scenario.png');

  // Keyboard path: add at the centre of a moved map, then undo it.
  await page.locator('#tdb-carte canvas').focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(700);
  const key = await page.getAttribute('#tdb-scenario-resultats', 'data-cle');
  await page.click('#tdb-scenario [data-action="centre"]');
  assert.equal(await page.locator('#tdb-scenario .tdb-modification').count(), 2);
  await page.waitForFunction((k) => {
    const r = document.querySelector('#tdb-scenario-resultats');
    return r?.dataset.etat === 'pret' && r.dataset.cle !== k;
  }, key);
  const after2 = await value(page, `${row} td:nth-of-type(2)`);
  assert.ok(after2 <= after1, `${after1} → ${after2}`);
  await page.click('#tdb-scenario [data-action="annuler-dernier"]');
  assert.equal(await page.locator('#tdb-scenario .tdb-modification').count(), 1);
  await page.waitForFunction((v) => Number(document.querySelector('#tdb-scenario-totaux tr[data-mesure="beyond_population"] td:nth-of-type(2)')?.getAttribute('data-valeur')) === v, after1);

  // Saving the scenario.
  await page.fill('#tdb-titre-scenario', 'Essai e2e');
  await page.click('#tdb-enregistrer button[type="submit"]');
  await page.waitForSelector('#tdb-enregistrer .fr-alert--success');
  assert.match(await page.textContent('#tdb-enregistrer .fr-alert--success'), /Scénario n°\d+ enregistré/);
  await page.click('#tdb-scenario [data-action="effacer"]');
  assert.equal(await page.locator('#tdb-scenario .tdb-modification').count(), 0);
  await page.waitForFunction(() => !/ajout=/.test(location.search));
});

test('what-if: clicking an existing place removes it; the figures worsen or stay', async () => {
  const {page} = b;
  // A place standing alone, exactly located.
  const all = await api('/api/sites?limit=1000');
  const pts = all.features.map((f) => ({id: f.id, nom: f.properties.nom, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], precision: f.properties.precision}));
  const far = (a, c) => Math.abs(a.lon - c.lon) > 0.01 || Math.abs(a.lat - c.lat) > 0.006;
  const alone = pts.find((p) => p.precision !== 'commune' && pts.every((q) => q.id === p.id || far(p, q)));
  assert.ok(alone, 'a place alone');
  await page.goto(`${url}/tableau-de-bord?mode=scenario&vue=14/${alone.lat}/${alone.lon}`);
  await boardReady(page);
  await page.waitForTimeout(500);
  // The pin stands above its point.
  await clickMapCentre(page, -12);
  await page.waitForFunction(() => /retrait=/.test(location.search));
  assert.match(decodeURIComponent(page.url()), new RegExp(`retrait=${alone.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await page.waitForSelector('#tdb-scenario-resultats[data-etat="pret"]');
  assert.match(await page.textContent('#tdb-scenario .tdb-modifications'), /Lieu retiré/);
  const delta = await value(page, '#tdb-scenario-totaux tr[data-mesure="sites"] td:nth-of-type(3)');
  assert.equal(delta, -1);
  assert.ok(await value(page, '#tdb-scenario-totaux tr[data-mesure="beyond_population"] td:nth-of-type(3)') >= 0);
  await shot(page, '16-scenario-retrait.png');
});

test('siting with k = 3 draws three numbered proposals, which can be tried as a scenario', async () => {
  const {page} = b;
  await page.goto(`${url}/tableau-de-bord`);
  await boardReady(page);
  await page.click('label[for="tdb-mode-implantation"]');
  await page.waitForFunction(() => /mode=implantation/.test(location.search));
  assert.equal(await page.isVisible('#tdb-implantation'), true);
  await page.fill('#tdb-k', '3');
  await page.click('#tdb-implantation-formulaire button[type="submit"]');
  await page.waitForFunction(() => /k=3/.test(location.search));
  await page.waitForFunction(() => document.querySelectorAll('#tdb-propositions li').length === 3);
  const items = await page.locator('#tdb-propositions li').allTextContents();
  for (const t of items) assert.match(t.replace(/\s/g, ' '), /\+[\d ]+ habitants couverts · cumul \d+,\d %/);
  assert.match(await page.textContent('#tdb-implantation-resume'), /Avec 3 lieux de plus/);
  await boardReady(page);
  await page.waitForTimeout(500);
  await shot(page, '17-implantation.png');
  await page.click('#tdb-implantation [data-action="scenario"]');
  await page.waitForFunction(() => /mode=scenario/.test(location.search) && (location.search.match(/ajout=/g) ?? []).length === 3);
  await page.waitForSelector('#tdb-scenario-resultats[data-etat="pret"]');
  assert.ok(await value(page, '#tdb-scenario-totaux tr[data-mesure="beyond_population"] td:nth-of-type(3)') < 0);
  await page.click('#tdb-scenario [data-action="effacer"]');
});

test('exports: links built from the parameters, files served', async () => {
  const {page} = b;
  await page.goto(`${url}/tableau-de-bord?seuil=30&dispositifs=France+Services&niveau=departement`);
  await boardReady(page);
  const links = await page.locator('#tdb-exports a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(links.length, 11);
  const q = 'threshold_min=30&dispositifs=France\\+Services';
  assert.match(links[0], new RegExp(`^/api/indicators\\?${q}&level=departement&format=xlsx$`));
  assert.match(links[1], /format=csv-excel$/);
  assert.match(links[2], new RegExp(`^/api/indicators\\?${q}&level=departement&format=csv$`));
  assert.match(links[3], /format=geojson/);
  assert.match(links[4], new RegExp(`^/api/whitezones\\?${q}&format=xlsx$`));
  assert.match(links[5], new RegExp(`^/api/whitezones\\?${q}&format=csv-excel$`));
  assert.match(links[6], new RegExp(`^/api/whitezones\\?${q}$`));
  // The priorities: every row, the level and the analysis (weighted by fragility once).
  assert.match(links[7], new RegExp(`^/api/priorites\\?${q}&niveau=departement&format=xlsx$`));
  assert.match(links[8], new RegExp(`^/api/priorites\\?${q}&niveau=departement&format=csv-excel$`));
  assert.match(links[9], new RegExp(`^/api/priorites\\?${q}&niveau=departement&format=csv$`));
  assert.match(links[10], /^\/api\/export\/sites\.csv\?dispositifs=France\+Services$/);
  for (const href of links) {
    const res = await page.request.get(url + href);
    assert.equal(res.status(), 200, href);
    assert.match(res.headers()['content-disposition'] ?? '', /^attachment; filename="[a-z0-9.-]+\.(csv|xlsx|geojson)"$/, href);
  }
  const csv = await (await page.request.get(url + links[2])).text();
  assert.match(csv.split('\n')[1], /^departement,/);
  assert.match(csv.split('\n')[1], /,30\.0,45\.0,1\.30,,France Services\s*$/);
  // The places on the map follow the supply filter.
  assert.equal(await page.inputValue('#tdb-dispositifs'), 'France Services');
});

test('on a phone the map comes first, then the panel', async () => {
  const phone = await launch({viewport: {width: 390, height: 844}});
  try {
    const {page} = phone;
    await page.goto(`${url}/tableau-de-bord?indicateur=zone_blanche`);
    await boardReady(page);
    await page.waitForTimeout(600);
    await page.screenshot({path: join(RESULTS, '18-tableau-telephone.png')});
    const map = await page.locator('#tdb-carte').boundingBox();
    const params = await page.locator('#tdb-parametres').boundingBox();
    assert.ok(map.y < params.y, 'map above the parameters');
    assert.ok(map.width > 380);
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.close();
  }
});

test('no console error, failed request or CSP violation', () => {
  assert.deepEqual(b.problems, []);
});

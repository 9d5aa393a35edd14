// End-to-end test of a region the project has never seen, imported from the
// two files a user can get (communes and places, no EPCI or départements
// file): the synthetic region 28 of cmd/cartonum/testdata/region-28, whose
// EPCI and départements are derived from the communes at import. One EPCI
// (200099999) is unknown to the names table, so its code stands for its
// name. `make e2e` runs this file against a server on that region:
//
//   web/e2e/run-with-server.sh bin/cartonum data/e2e-synthetic.db e2e:synthetic

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {RESULTS, baseURL, launch, mapReady} from '../browser.mjs';

const url = baseURL();
let b;

before(async () => {
  b = await launch();
});

after(async () => {
  await b?.close();
});

async function boardReady(page, timeout = 30000) {
  await page.waitForSelector('#tdb-carte[data-etat="prete"]', {timeout});
  await page.waitForSelector('#page-tableau-de-bord[data-chargement="0"]', {timeout});
}

test('the server runs the synthetic region: 9 communes, 5 EPCI, 2 départements', async () => {
  const res = await fetch(`${url}/api/indicators?level=epci`);
  assert.equal(res.status, 200);
  const {items} = await res.json();
  assert.deepEqual(items.map((i) => i.code).sort(), ['200042604', '200065597', '200067205', '200099999', '241400555']);
  const deps = await (await fetch(`${url}/api/indicators?level=departement`)).json();
  assert.deepEqual(deps.items.map((i) => i.code).sort(), ['14', '50']);
});

test('the dashboard loads the EPCI indicators, named, the unknown one by its code', async () => {
  const {page} = b;
  await page.goto(`${url}/tableau-de-bord`);
  await boardReady(page);
  assert.equal(await page.getAttribute('#tdb-legende', 'data-niveau'), 'epci');
  const level = (await page.textContent('#tdb-legende .tdb-legende__niveau')).replace(/\s/g, ' ');
  assert.match(level, /Par EPCI · 5 territoires/);
  assert.doesNotMatch(await page.textContent('#tdb-legende'), /Chargement des indicateurs/);
  const options = await page.locator('#tdb-choix-territoire option').allTextContents();
  assert.ok(options.includes('CU Caen la Mer'), `options: ${options}`);
  assert.ok(options.includes('200099999'), `the unknown EPCI is shown by its code: ${options}`);
  // Its portrait opens too.
  await page.selectOption('#tdb-choix-territoire', '200099999');
  await page.waitForFunction(() => /200099999/.test(document.querySelector('#tdb-territoire-titre')?.textContent ?? ''));
  await boardReady(page);
  await page.screenshot({path: join(RESULTS, '30-region-synthetique-epci.png')});
});

test('the départements level is named from the names table', async () => {
  const {page} = b;
  await page.click('label[for="tdb-niveau-departement"]');
  await page.waitForSelector('#tdb-legende[data-niveau="departement"]');
  await boardReady(page);
  const options = await page.locator('#tdb-choix-territoire option').allTextContents();
  assert.ok(options.includes('Calvados') && options.includes('Manche'), `options: ${options}`);
  await page.screenshot({path: join(RESULTS, '31-region-synthetique-departements.png')});
});

test('the public map shows the region and its places', async () => {
  const {page} = b;
  await page.goto(`${url}/`);
  await mapReady(page);
  await page.screenshot({path: join(RESULTS, '32-region-synthetique-carte.png')});
});

test('no console error, failed request or CSP violation', () => {
  assert.deepEqual(b.problems, []);
});

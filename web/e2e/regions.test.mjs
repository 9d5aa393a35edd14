// The dashboard over two regions in one database (issue 13, "The whole
// country"): region 32 from the data mirror and the synthetic region 28 of
// cmd/cartonum/testdata/region-28, imported here with `--region 28,32` into
// a temporary database, served by a server started here. Checks the level
// selector's "Régions", the national total at the top of the page and of
// the breadcrumb, a region's portrait, the regions coloured on the map
// through their départements, and axe.
//
//   CARTONUM_BIN=bin/cartonum CARTONUM_DATA_MIRROR=/work/shared/data \
//     node --test e2e/regions.test.mjs          (run-with-server.sh sets the binary)

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {RESULTS, audit, launch, startServer} from './browser.mjs';
import {catchMaps} from './maps-hook.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = resolve(repo, process.env.CARTONUM_BIN ?? 'bin/cartonum');
// Region 32's files: the data mirror, or what `make data` downloaded.
const mirror = [process.env.CARTONUM_DATA_MIRROR ?? '../shared/data', 'data/cache/32']
  .map((d) => resolve(repo, d))
  .find((d) => existsSync(join(d, 'communes-32.geojson'))) ?? resolve(repo, '../shared/data');
const synthetic = join(repo, 'cmd', 'cartonum', 'testdata', 'region-28');

let tmp;
let server;
let url;
let b;

async function boardReady(page, timeout = 30000) {
  await page.waitForSelector('#tdb-carte[data-etat="prete"]', {timeout});
  await page.waitForSelector('#page-tableau-de-bord[data-chargement="0"]', {timeout});
}

const text = async (page, sel) => ((await page.textContent(sel)) ?? '').replace(/\s+/g, ' ').trim();

before(async () => {
  assert.ok(existsSync(bin), `${bin} absent (CARTONUM_BIN)`);
  assert.ok(existsSync(join(mirror, 'communes-32.geojson')), `region 32's files absent at ${mirror} (CARTONUM_DATA_MIRROR, or make data)`);
  tmp = mkdtempSync(join(tmpdir(), 'cartonum-regions-'));
  const db = join(tmp, 'cartonum-28,32.db');
  const r = spawnSync(
    bin,
    [
      'import', '--db', db, '--region', '28,32',
      '--communes', join(mirror, 'communes-32.geojson'), '--communes', join(synthetic, 'communes-28.geojson'),
      '--epci', join(mirror, 'epci-32.json'), '--departements', join(mirror, 'departements-32.geojson'),
      '--report', join(tmp, 'import.json'),
      join(mirror, 'lieux-32-v1.csv'), join(synthetic, 'lieux-28-v1.csv'),
    ],
    {encoding: 'utf8', maxBuffer: 1 << 26},
  );
  assert.equal(r.status, 0, `import --region 28,32:\n${r.stderr}\n${r.stdout}`);
  server = await startServer(bin, db);
  url = server.url;
  b = await launch();
  await b.context.addInitScript(catchMaps);
});

after(async () => {
  await b?.close();
  server?.proc.kill();
  if (tmp) rmSync(tmp, {recursive: true, force: true});
});

test('the server loads both regions: national top level, one row per region', async () => {
  const cfg = await (await fetch(`${url}/api/config`)).json();
  assert.deepEqual(cfg.top, {level: 'national', code: 'FR', name: 'Ensemble des régions'});
  assert.deepEqual(cfg.regions.map((r) => `${r.code} ${r.name}`), ['28 Normandie', '32 Hauts-de-France']);
  assert.deepEqual(cfg.regions[0].departements, ['14', '50']);
  const regions = await (await fetch(`${url}/api/indicators?level=region`)).json();
  assert.deepEqual(regions.items.map((i) => i.code), ['28', '32']);
  const total = (await (await fetch(`${url}/api/indicators?level=national`)).json()).items[0];
  assert.equal(Math.round(total.population), Math.round(regions.items[0].population + regions.items[1].population));
  assert.equal(total.sites, regions.items[0].sites + regions.items[1].sites);
});

test('the dashboard starts at the national total and offers the regions as a level', async () => {
  const {page} = b;
  await page.goto(`${url}/tableau-de-bord`);
  await boardReady(page);
  assert.equal(await text(page, '#tdb-region-titre'), 'Ensemble des régions');
  await page.waitForFunction(() => document.querySelector('#tdb-territoire-titre')?.textContent === 'Portrait : Ensemble des régions');
  assert.ok(await page.isVisible('label[for="tdb-niveau-region"]'), 'no "Régions" in the level selector');
  assert.equal(await text(page, 'label[for="tdb-niveau-region"]'), 'Régions');
  await page.click('label[for="tdb-niveau-region"]');
  await page.waitForSelector('#tdb-legende[data-niveau="region"]');
  await boardReady(page);
  assert.match(await text(page, '#tdb-legende .tdb-legende__niveau'), /Par région · 2 territoires/);
  assert.match(await text(page, '#tdb-legende-bord'), /hors des régions chargées/);
  const options = await page.locator('#tdb-choix-territoire option').allTextContents();
  assert.ok(options.includes('Normandie') && options.includes('Hauts-de-France'), `options: ${options}`);
  await audit(page, 'tableau de bord, niveau régions');
});

test('the map colours each region through its départements', async () => {
  const {page} = b;
  await page.waitForFunction(() => {
    const m = window.__cartes?.find((x) => x.getContainer().id === 'tdb-carte');
    return m?.loaded() && m.areTilesLoaded();
  }, null, {timeout: 30000});
  const probe = await page.evaluate(() => {
    const m = window.__cartes.find((x) => x.getContainer().id === 'tdb-carte');
    const el = document.querySelector('#tdb-carte');
    const at = (lon, lat) => {
      const p = m.project([lon, lat]);
      return el.cartonumSonde(p.x, p.y);
    };
    m.jumpTo({center: [1.2, 49.8], zoom: 6});
    return new Promise((done) => m.once('idle', () => done({caen: at(-0.75, 49.25), amiens: at(2.3, 49.9)})));
  });
  assert.equal(probe.caen?.level, 'region');
  assert.equal(probe.caen?.code, '28', `at Caen: ${JSON.stringify(probe.caen)}`);
  assert.equal(probe.amiens?.code, '32', `at Amiens: ${JSON.stringify(probe.amiens)}`);
  assert.equal(typeof probe.caen.state.v, 'number');
  await page.screenshot({path: join(RESULTS, '40-deux-regions-carte.png')});
});

test('choosing a region shows its portrait under the national total', async () => {
  const {page} = b;
  await page.selectOption('#tdb-choix-territoire', '28');
  await page.waitForFunction(() => document.querySelector('#tdb-territoire-titre')?.textContent === 'Normandie');
  await boardReady(page);
  assert.match(await text(page, '#tdb-territoire .tdb-sous-titre'), /^Région · code 28 · /);
  assert.match(await text(page, '#tdb-territoire'), /sur 2 régions/);
  // The back button names the top level.
  assert.equal(await text(page, '#tdb-territoire [data-action="region"]'), 'Ensemble des régions');
  assert.equal(await page.getAttribute('#tdb-territoire', 'data-code'), '28');
  await page.screenshot({path: join(RESULTS, '41-deux-regions-normandie.png')});
});

test('the breadcrumb of a commune starts at the national total, through its region and département', async () => {
  const {page} = b;
  await page.goto(`${url}/tableau-de-bord?niveau=commune&territoire=14118`);
  await boardReady(page);
  await page.waitForFunction(() => document.querySelector('#tdb-territoire-titre')?.textContent === 'Caen');
  const crumbs = (await page.locator('#tdb-territoire .tdb-ariane li').allTextContents()).map((t) => t.trim());
  assert.deepEqual(crumbs, ['Ensemble des régions', 'Normandie', 'Calvados', 'Caen']);
  await page.screenshot({path: join(RESULTS, '42-deux-regions-fil-ariane.png')});
  await audit(page, 'portrait d’une commune, deux régions');
  await page.click('#tdb-territoire .tdb-ariane button[data-code="28"]');
  await page.waitForFunction(() => document.querySelector('#tdb-territoire-titre')?.textContent === 'Normandie');
  assert.match(page.url(), /niveau=region&territoire=28/);
  await page.click('#tdb-territoire [data-action="region"]');
  await page.waitForFunction(() => document.querySelector('#tdb-territoire-titre')?.textContent === 'Portrait : Ensemble des régions');
});

test('a scenario recolours the region it changes, its effect measured on the national total', async () => {
  const {page} = b;
  await page.goto(`${url}/tableau-de-bord?mode=scenario&niveau=region&retrait=syn-caen-1&retrait=syn-caen-2&retrait=syn-caen-3`);
  await boardReady(page);
  await page.waitForFunction(() => Number(document.getElementById('tdb-carte')?.dataset.recolorees) > 0, null, {timeout: 30000});
  // Region 28 (its two départements' polygons) changed, not region 32.
  assert.equal(await page.getAttribute('#tdb-carte', 'data-recolorees'), '2');
  assert.match(await text(page, '#tdb-scenario'), /Effet sur l’ensemble : Ensemble des régions/);
  assert.match(await text(page, '#tdb-scenario-totaux caption'), /^Ensemble des régions : avant et après/);
  await page.screenshot({path: join(RESULTS, '43-deux-regions-scenario.png')});
});

test('no console error, failed request or CSP violation', () => {
  assert.deepEqual(b.problems, []);
});

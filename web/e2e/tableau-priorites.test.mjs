// End-to-end tests of the dashboard's fragility and priorities (issue 12)
// and of its map's labels (issue 11): threshold presets 20 and 30 minutes
// change the white-zone figures; the profile and "pondérer par la
// fragilité" re-request the indicators; the fragility choropleth; the
// priority table lists ranked rows with their inputs and exports; the
// dashboard's style draws the territories' names with the embedded glyphs.
//
// The test makes its own data: a consistent copy of the database
// (cartonum backup), a fragility file in the column layout of La MedNum's
// IRIS export generated over the region's communes (scores made up,
// deterministic), imported with cartonum import-fragility; then a server
// on that copy.
//
//   CARTONUM_BIN=bin/cartonum CARTONUM_DB=data/cartonum-32.db \
//     node --test e2e/tableau-priorites.test.mjs   (run-with-server.sh sets both)

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {RESULTS, audit, launch, startServer} from './browser.mjs';
import {catchMaps} from './maps-hook.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = resolve(repo, process.env.CARTONUM_BIN ?? 'bin/cartonum');
const srcDB = resolve(repo, process.env.CARTONUM_DB ?? 'data/cartonum-32.db');

let tmp;
let server;
let url;
let b;
let importOutput = '';
let fileRows = 0;

const shot = (page, name) => page.screenshot({path: join(RESULTS, name)});

function run(args) {
  const r = spawnSync(bin, args, {encoding: 'utf8', maxBuffer: 1 << 28});
  assert.equal(r.status, 0, `cartonum ${args.join(' ')} :\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** A deterministic score in [60, 200) from a code (FNV-1a). */
function score(code) {
  let h = 2166136261;
  for (const c of code) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return 60 + (h % 14000) / 100;
}

/** La MedNum's IRIS export layout: communes of 10,000 inhabitants or more
 * split into IRIS of about 2,500, the others one IRIS (code + 0000); plus
 * a row of Paris (outside the region) and a row with an empty score. */
function fragilityFile(communes) {
  const q = (v) => `"${String(v).replace(/"/g, '""')}"`;
  const dec = (x) => x.toFixed(1).replace('.', ',');
  const lines = [['Code Iris', 'Nom Com', 'Nom Iris', 'P16 Pop', 'SCORE GLOBAL region * ', 'GLOBAL ACCES region * ', 'GLOBAL COMPETENCES region * '].map(q).join(';')];
  for (const c of communes) {
    const n = c.population >= 10000 ? Math.round(c.population / 2500) : 1;
    for (let i = 0; i < n; i++) {
      const code = n === 1 ? `${c.code}0000` : `${c.code}${String(101 + i).padStart(4, '0')}`;
      const s = score(code);
      lines.push([code, c.name, n === 1 ? c.name : `${c.name} ${i + 1}`, Math.round(c.population / n), dec(s), dec(s * 0.9), dec(s * 1.1)].map(q).join(';'));
    }
  }
  lines.push(['751010101', 'Paris 1er Arrondissement', 'Saint-Germain-l’Auxerrois', 1700, '62,1', '60,0', '64,2'].map(q).join(';'));
  lines.push(['800210199', 'Amiens', 'IRIS sans score', 800, '', '', ''].map(q).join(';'));
  fileRows = lines.length - 1;
  return lines.join('\r\n') + '\r\n';
}


async function api(path) {
  const res = await fetch(url + path);
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return res.json();
}

async function boardReady(page, timeout = 60000) {
  await page.waitForSelector('#tdb-carte[data-etat="prete"]', {timeout});
  await page.waitForSelector('#page-tableau-de-bord[data-chargement="0"]', {timeout});
}

/** The region's figure of a measure, as the page shows it. */
async function regionFigure(page, field) {
  return Number(await page.getAttribute(`#tdb-region [data-mesure="${field}"] .tdb-chiffre__valeur`, 'data-valeur'));
}

before(async () => {
  assert.ok(existsSync(bin), `${bin} absent (CARTONUM_BIN)`);
  assert.ok(existsSync(srcDB), `${srcDB} absent (CARTONUM_DB)`);
  tmp = mkdtempSync(join(tmpdir(), 'cartonum-priorites-'));
  const db = join(tmp, 'cartonum.db');
  run(['backup', '--db', srcDB, '--out', db]);
  const communes = JSON.parse(run(['analyse', '--db', db, '--level', 'commune', '--format', 'json'])).items;
  const csv = join(tmp, 'ifn-iris.csv');
  writeFileSync(csv, fragilityFile(communes));
  importOutput = run(['import-fragility', csv, '--db', db, '--level', 'iris', '--code-col', 'Code Iris', '--score-col', 'SCORE GLOBAL region *', '--population-col', 'P16 Pop']);
  server = await startServer(bin, db);
  url = server.url;
  b = await launch({viewport: {width: 1280, height: 900}});
  await b.context.addInitScript(catchMaps);
});

after(async () => {
  await b?.close();
  server?.proc.kill();
  if (tmp) rmSync(tmp, {recursive: true, force: true});
});

test('import-fragility accounts for every row of the file', () => {
  const m = /(\d+) lignes : (\d+) importées, (\d+) hors région, (\d+) rejetées/.exec(importOutput);
  assert.ok(m, importOutput);
  const [rows, imported, outside, rejected] = m.slice(1).map(Number);
  assert.equal(rows, fileRows);
  assert.equal(outside, 1, 'Paris');
  assert.equal(rejected, 1, 'the empty score');
  assert.equal(imported, rows - 2);
  assert.match(importOutput, /score "" invalide/);
});

test('the 20 and 30 minute presets change the white-zone figures', async () => {
  const {page} = b;
  await page.goto(`${url}/tableau-de-bord?indicateur=zone_blanche`);
  await boardReady(page);
  assert.equal(await page.isChecked('#tdb-seuil-preset-20'), true, '20 min is the default');
  assert.match(await page.textContent('#tdb-seuils-aide'), /20 min : ce que mesure l’ANCT pour France Services ; 30 min : objectif officiel France Services/);
  const at20 = await regionFigure(page, 'beyond_population');
  const api20 = (await api('/api/indicators?level=region')).items[0].beyond_population;
  assert.equal(at20, api20);

  await page.click('label[for="tdb-seuil-preset-30"]');
  await page.waitForURL(/seuil=30/);
  await page.waitForFunction((v) => Number(document.querySelector('#tdb-region [data-mesure="beyond_population"] .tdb-chiffre__valeur')?.getAttribute('data-valeur')) !== v, at20);
  await boardReady(page);
  const at30 = await regionFigure(page, 'beyond_population');
  assert.equal(at30, (await api('/api/indicators?level=region&threshold_min=30')).items[0].beyond_population);
  assert.ok(at30 < at20, `fewer people beyond 30 min (${at30}) than beyond 20 min (${at20})`);
  assert.equal(await page.inputValue('#tdb-seuil'), '30');
  assert.match(await page.textContent('#tdb-legende'), /30\s*min/);
  await shot(page, '60-tableau-seuil-30.png');

  // Another value unchecks both presets; 20 again checks its own.
  await page.fill('#tdb-seuil', '25');
  await page.press('#tdb-seuil', 'Enter');
  await page.waitForURL(/seuil=25/);
  assert.equal(await page.isChecked('#tdb-seuil-preset-20'), false);
  assert.equal(await page.isChecked('#tdb-seuil-preset-30'), false);
  await page.click('label[for="tdb-seuil-preset-20"]');
  await page.waitForURL((u) => !u.search.includes('seuil='));
  await boardReady(page);
  assert.equal(await regionFigure(page, 'beyond_population'), at20);
});

test('"pondérer par la fragilité" and the profile re-request the indicators', async () => {
  const {page} = b;
  const asked = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/indicators')) asked.push(r.url());
  });
  await page.goto(`${url}/tableau-de-bord?indicateur=zone_blanche`);
  await boardReady(page);
  const plain = await regionFigure(page, 'beyond_population');
  await page.click('label[for="tdb-fragilite"]');
  await page.waitForURL(/fragilite=1/);
  await page.waitForFunction((v) => Number(document.querySelector('#tdb-region [data-mesure="beyond_population"] .tdb-chiffre__valeur')?.getAttribute('data-valeur')) !== v, plain);
  await boardReady(page);
  const weighted = (await api('/api/indicators?level=region&fragilite=1')).items[0].beyond_population;
  assert.equal(await regionFigure(page, 'beyond_population'), weighted);
  assert.ok(asked.some((u) => /[?&]fragilite=1/.test(u) && /level=epci/.test(u)), asked.join('\n'));

  // A profile is sent as profil; without the gridded population the
  // server may refuse it (then the page says so), and the default works
  // again afterwards.
  await page.selectOption('#tdb-profil', '65plus');
  await page.waitForURL(/profil=65plus/);
  await page.waitForFunction(() => document.getElementById('page-tableau-de-bord')?.dataset.chargement === '0');
  assert.ok(asked.some((u) => /[?&]profil=65plus/.test(u)), asked.join('\n'));
  const res = await fetch(`${url}/api/indicators?level=region&profil=65plus`);
  if (res.status !== 200) {
    assert.equal(res.status, 409, 'a profile without data is a conflict');
    await page.waitForSelector('#tdb-message .fr-alert--error');
  }
  await page.selectOption('#tdb-profil', 'population');
  await page.click('label[for="tdb-fragilite"]');
  await page.waitForURL((u) => !u.search.includes('profil=') && !u.search.includes('fragilite='));
  await boardReady(page);
  assert.equal(await regionFigure(page, 'beyond_population'), plain);
});

test('fragility choropleth: each commune coloured by its score, legend and portrait', async () => {
  const {page} = b;
  const communes = (await api('/api/indicators?level=commune')).items;
  const amiens = communes.find((c) => c.code === '80021');
  assert.ok(amiens.fragility > 0, 'Amiens has a score');
  const info = await api('/api/communes/80021?geometry=false');
  const [lon, lat] = info.properties.centre;
  await page.goto(`${url}/tableau-de-bord?niveau=commune&indicateur=fragilite&territoire=80021&vue=10/${lat}/${lon}`);
  await boardReady(page);
  await page.waitForSelector('#tdb-carte[data-indicateur="fragilite"]');
  assert.match(await page.textContent('#tdb-legende'), /fragilité numérique/);
  const box = await page.locator('#tdb-carte').boundingBox();
  const probe = await page.evaluate(([x, y]) => document.getElementById('tdb-carte').cartonumSonde(x, y), [box.width / 2, box.height / 2]);
  assert.ok(probe?.code, 'a commune at the centre');
  const item = communes.find((c) => c.code === probe.code);
  assert.equal(probe.state.v, item.fragility);
  // The portrait shows the score.
  await page.waitForSelector('#tdb-territoire [data-mesure="fragility"]');
  const shown = Number(await page.getAttribute('#tdb-territoire [data-mesure="fragility"] .tdb-chiffre__valeur', 'data-valeur'));
  assert.ok(Math.abs(shown - amiens.fragility) < 1e-9, `portrait ${shown}, API ${amiens.fragility}`);
  await shot(page, '61-tableau-fragilite.png');
});

test('the priority view lists ranked rows with their inputs, and exports them', async () => {
  const {page} = b;
  await page.goto(`${url}/tableau-de-bord?niveau=epci&seuil=30`);
  await boardReady(page);
  await page.click('#tdb-priorites-bouton');
  await page.waitForURL(/priorites=1/);
  await page.waitForSelector('#tdb-priorites[data-etat="pret"]');
  const rows = await page.$$eval('#tdb-priorites-table tbody tr', (trs) =>
    trs.map((tr) => ({
      code: tr.dataset.code,
      rank: Number(tr.dataset.rang),
      cells: [...tr.querySelectorAll('td[data-valeur]')].map((td) => Number(td.dataset.valeur)),
    })),
  );
  const ref = await api('/api/priorites?niveau=epci&threshold_min=30&limit=20');
  assert.equal(rows.length, Math.min(20, ref.total));
  assert.ok(rows.length > 1);
  rows.forEach((r, i) => {
    const [beyond, , factor, weighted] = r.cells;
    assert.equal(r.rank, i + 1);
    assert.equal(r.code, ref.items[i].code);
    assert.ok(Math.abs(weighted - beyond * factor) <= 1e-6 * Math.max(1, weighted), `row ${i + 1}: ${weighted} = ${beyond} × ${factor}`);
    if (i > 0) assert.ok(weighted <= rows[i - 1].cells[3], `row ${i + 1} ranked after a lower value`);
  });
  assert.match(await page.textContent('#tdb-priorites-note'), /Score moyen de la région/);
  await shot(page, '62-tableau-priorites.png');
  await audit(page, 'territoires prioritaires, préréglages, profil et fragilité');

  // The exports of the priorities, every row, with the parameters.
  const href = await page.getAttribute('#tdb-exports a[href*="/api/priorites"][href*="format=csv-excel"]', 'href');
  assert.match(href, /niveau=epci/);
  assert.match(href, /threshold_min=30/);
  const res = await fetch(new URL(href, url));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition') ?? '', /priorites-epci-30min/);
  const raw = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const text = raw.subarray(3).toString('utf8');
  assert.match(text, /^rang;niveau;code;nom;population;population_au_dela_seuil;fragilite;/);
  assert.equal(text.trim().split('\n').length, ref.total + 1);

  // A row opens its territory.
  await page.click(`#tdb-priorites-table button[data-code="${rows[0].code}"]`);
  await page.waitForURL(new RegExp(`territoire=${rows[0].code}`));
});

test('the dashboard map names the territories with the embedded glyphs', async () => {
  const {page} = b;
  const glyphs = [];
  page.on('response', (r) => {
    if (r.url().includes('/glyphs/')) glyphs.push({url: r.url(), status: r.status()});
  });
  await page.goto(`${url}/tableau-de-bord?niveau=commune&vue=10/49.894/2.296`);
  await boardReady(page);
  const style = await page.evaluate(() => {
    const m = window.__cartes.find((x) => x.getContainer().id === 'tdb-carte');
    const s = m.getStyle();
    return {
      glyphs: s.glyphs,
      symbols: s.layers.filter((l) => l.type === 'symbol' && l['source-layer'] === 'libelles').map((l) => l.id),
      tiles: s.sources.territoires?.tiles ?? Object.values(s.sources).flatMap((x) => x.tiles ?? []),
      rendered: m.queryRenderedFeatures({layers: s.layers.filter((l) => l['source-layer'] === 'libelles').map((l) => l.id)}).map((f) => f.properties.nom),
    };
  });
  assert.match(style.glyphs, /\/glyphs\/.*\{fontstack\}\/\{range\}\.pbf$/);
  assert.ok(style.symbols.includes('libelles-communes'), style.symbols.join(', '));
  assert.ok(style.tiles.some((t) => t.includes('libelles')), style.tiles.join('\n'));
  assert.ok(style.rendered.includes('Amiens'), `labels placed: ${style.rendered.slice(0, 20).join(', ')}`);
  assert.ok(glyphs.length > 0, 'glyphs requested');
  for (const g of glyphs) assert.equal(g.status, 200, g.url);
  await shot(page, '63-tableau-libelles.png');
});

// The embed page /integration/carte in an <iframe> of another site: two
// small loopback servers stand for other sites, 127.0.0.2 (allowed: the
// server runs with --frame-ancestors "http://127.0.0.2:*", see
// run-with-server.sh) and 127.0.0.3 (not allowed: the browser refuses the
// frame, CSP frame-ancestors). Every other page refuses any frame. The
// /integration page builds the <iframe> code.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {join} from 'node:path';
import {RESULTS, baseURL, launch} from './browser.mjs';
import {catchMaps} from './maps-hook.mjs';

const url = baseURL();
let b;
const hosts = {};

/** A site on host serving one page that frames `src` (a query ?src=). */
function site(host) {
  return new Promise((resolve) => {
    const srv = createServer((req, res) => {
      const src = new URL(req.url, 'http://x').searchParams.get('src') ?? '';
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="fr"><title>Site d'une commune</title><h1>Mairie de test</h1>` +
        `<iframe id="cadre" src="${src.replace(/"/g, '&quot;')}" title="Carte des lieux de médiation numérique (Cartonum)" width="900" height="600" style="border:0"></iframe></html>`);
    });
    srv.listen(0, host, () => resolve({srv, origin: `http://${host}:${srv.address().port}`}));
  });
}

before(async () => {
  hosts.allowed = await site('127.0.0.2');
  hosts.refused = await site('127.0.0.3');
  b = await launch({viewport: {width: 1000, height: 720}});
  await b.context.addInitScript(catchMaps);
});
after(async () => {
  await b?.close();
  for (const h of Object.values(hosts)) h.srv.close();
});

/** Opens the host page framing path; returns the page and the console. */
async function framed(host, path) {
  const page = await b.context.newPage();
  const messages = [];
  page.on('console', (m) => messages.push(m.text()));
  await page.goto(`${host.origin}/?src=${encodeURIComponent(url + path)}`);
  return {page, messages};
}

function embedFrame(page) {
  return page.frames().find((f) => f.url().startsWith(url + '/integration/carte'));
}

test('the server allows 127.0.0.2 to frame the embed page only', async () => {
  const res = await fetch(url + '/integration/carte?commune=80021');
  assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'self' http:\/\/127\.0\.0\.2:\*$/, 'start the server with --frame-ancestors "http://127.0.0.2:*" (run-with-server.sh does)');
  for (const path of ['/carte', '/tableau-de-bord', '/moderation', '/integration', '/accessibilite']) {
    const r = await fetch(url + path);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'$/, path);
  }
});

test('an allowed site shows the embed map: compact, filtered, with « Ouvrir dans Cartonum »', async () => {
  const path = '/integration/carte?commune=80021&rayon=5&dispositifs=France+Services';
  const {page} = await framed(hosts.allowed, path);
  let frame;
  await page.waitForFunction(() => true);
  for (let i = 0; i < 100 && !(frame = embedFrame(page)); i++) await page.waitForTimeout(100);
  assert.ok(frame, 'the frame loads the embed page');
  await frame.waitForSelector('#carte[data-etat="chargee"]', {timeout: 30000});
  await frame.waitForFunction(() => /Amiens/.test(document.querySelector('#resultats-titre')?.textContent ?? ''), null, {timeout: 15000});
  assert.equal(await frame.evaluate(() => document.body.classList.contains('integration')), true);
  assert.equal(await frame.isVisible('header.app-entete'), false, 'no site header');
  assert.equal(await frame.isVisible('footer.app-pied'), false, 'no site footer');
  // Only France Services places, within 5 km.
  const badges = await frame.locator('#resultats li.lieu').count();
  assert.ok(badges > 0);
  assert.equal(await frame.locator('#resultats li.lieu .badge-fs').count(), badges);
  assert.match(await frame.textContent('#resultats-titre'), /à moins de 5 km/);
  // The path stays the embed page's, and the link opens the full map in the same state.
  const inner = new URL(frame.url());
  assert.equal(inner.pathname, '/integration/carte');
  const open = frame.locator('#ouvrir-cartonum');
  assert.equal(await open.isVisible(), true);
  assert.equal(await open.getAttribute('target'), '_blank');
  const href = new URL(await open.getAttribute('href'));
  assert.equal(href.origin + href.pathname, url + '/carte');
  assert.equal(href.searchParams.get('commune'), '80021');
  assert.equal(href.searchParams.get('rayon'), '5');
  assert.deepEqual(href.searchParams.getAll('dispositifs'), ['France Services']);
  // A place's sheet opens inside the frame; its links leave the frame.
  await frame.click('#resultats .lieu__bouton >> nth=0');
  await frame.waitForSelector('#fiche-titre:not(:text("Chargement"))');
  assert.match(frame.url(), /^[^?]*\/integration\/carte\?.*lieu=/);
  assert.equal(await frame.evaluate(() => document.querySelector('base')?.target), '_blank');
  await page.waitForTimeout(500);
  await page.screenshot({path: join(RESULTS, 'integration-01-site-autorise.png')});
  await page.close();
});

test('a site not allowed is refused (CSP frame-ancestors), and no other page can be framed', async () => {
  const {page, messages} = await framed(hosts.refused, '/integration/carte?commune=80021');
  await page.waitForFunction(() => true);
  for (let i = 0; i < 100 && !messages.some((m) => /frame-ancestors/.test(m)); i++) await page.waitForTimeout(100);
  assert.ok(messages.some((m) => /frame-ancestors 'self' http:\/\/127\.0\.0\.2:\*/.test(m) && /blocked|Refused/.test(m)), messages.join('\n'));
  assert.equal(embedFrame(page), undefined, 'the embed page did not load in the frame');
  await page.screenshot({path: join(RESULTS, 'integration-02-site-refuse.png')});
  await page.close();

  const other = await framed(hosts.allowed, '/carte?commune=80021');
  for (let i = 0; i < 100 && !other.messages.some((m) => /frame-ancestors/.test(m)); i++) await other.page.waitForTimeout(100);
  assert.ok(other.messages.some((m) => /frame-ancestors 'none'/.test(m) && /blocked|Refused/.test(m)), other.messages.join('\n'));
  await other.page.close();
});

test('an EPCI: the embed map is framed on its places', async () => {
  const epci = '248000531'; // CA Amiens Métropole
  const places = await (await fetch(`${url}/api/sites?epci=${epci}&limit=1000`)).json();
  assert.ok(places.features.length > 1);
  const lons = places.features.map((f) => f.geometry.coordinates[0]);
  const lats = places.features.map((f) => f.geometry.coordinates[1]);
  const {page} = await framed(hosts.allowed, `/integration/carte?epci=${epci}`);
  let frame;
  for (let i = 0; i < 100 && !(frame = embedFrame(page)); i++) await page.waitForTimeout(100);
  await frame.waitForSelector('#carte[data-etat="chargee"]', {timeout: 30000});
  await frame.waitForFunction(
    ([w, s, e, n]) => {
      const v = new URLSearchParams(location.search).get('vue')?.split('/').map(Number);
      return v && v[0] >= 9 && v[1] > s && v[1] < n && v[2] > w && v[2] < e && /epci=248000531/.test(location.search);
    },
    [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
    {timeout: 15000},
  );
  await page.waitForTimeout(600);
  await page.screenshot({path: join(RESULTS, 'integration-03-epci.png')});
  await page.close();
});

/** The ids of the places of a territory, from the API. */
async function placesOf(param, code) {
  const r = await (await fetch(`${url}/api/sites?${param}=${code}&limit=1000`)).json();
  return new Set(r.features.map((f) => f.id));
}

/** The embed frame of a page framing path, once its map is loaded and
 * its list settled. */
async function loadedEmbed(path) {
  const {page} = await framed(hosts.allowed, path);
  let frame;
  for (let i = 0; i < 100 && !(frame = embedFrame(page)); i++) await page.waitForTimeout(100);
  await frame.waitForSelector('#carte[data-etat="chargee"]', {timeout: 30000});
  return {page, frame};
}

/** Ids of the places in the frame's list and of the places (not
 * clusters) in the map's tiles, and the tile URL of the places' source. */
async function shownPlaces(frame) {
  await frame.waitForFunction(() => document.querySelectorAll('#resultats button[data-id]').length > 0 && !document.querySelector('#resultats')?.hasAttribute('aria-busy'), null, {timeout: 20000});
  await frame.waitForFunction(() => window.__cartes?.[0]?.loaded(), null, {timeout: 20000});
  return frame.evaluate(() => {
    const m = window.__cartes[0];
    const tiled = m.querySourceFeatures('lieux', {sourceLayer: 'sites'}).filter((f) => !f.properties.point_count).map((f) => f.properties.id);
    return {
      list: [...document.querySelectorAll('#resultats button[data-id]')].map((b) => b.dataset.id),
      tiled,
      tiles: m.getStyle().sources.lieux.tiles[0],
    };
  });
}

test('a département: the embed page lists and draws only its places (list and tiles filtered, not only framed)', async () => {
  const dep = '60';
  const inDep = await placesOf('departement', dep);
  assert.ok(inDep.size > 5, `${inDep.size} lieux dans l'Oise`);
  const {page, frame} = await loadedEmbed(`/integration/carte?departement=${dep}`);
  await frame.waitForFunction(() => /departement=60/.test(location.search) && new URLSearchParams(location.search).has('vue'), null, {timeout: 15000});
  const shown = await shownPlaces(frame);
  assert.match(shown.tiles, /[?&]departement=60(&|$)/, shown.tiles);
  assert.ok(shown.list.length > 0);
  for (const id of shown.list) assert.ok(inDep.has(id), `lieu ${id} de la liste hors de l'Oise`);
  assert.ok(shown.tiled.length > 0, 'aucun lieu dans les tuiles');
  for (const id of shown.tiled) assert.ok(inDep.has(id), `lieu ${id} des tuiles hors de l'Oise`);
  // Not vacuous: the same view without the parameter shows places of the
  // neighbouring départements (the Oise borders the Somme and the Aisne).
  const bbox = await frame.evaluate(() => window.__cartes[0].getBounds().toArray().flat().map((x) => x.toFixed(5)).join(','));
  const all = await (await fetch(`${url}/api/sites?bbox=${bbox}&limit=1000`)).json();
  assert.ok(all.features.some((f) => !inDep.has(f.id)), 'la vue ne contient que des lieux de l\'Oise : test sans objet');
  await page.screenshot({path: join(RESULTS, 'integration-04-departement.png')});
  await page.close();
});

test('an EPCI: zoomed in, the list follows the map and stays within the EPCI', async () => {
  const epci = '248000531'; // CA Amiens Métropole
  const inEpci = await placesOf('epci', epci);
  const {page, frame} = await loadedEmbed(`/integration/carte?epci=${epci}&vue=11/49.894/2.296`);
  const shown = await shownPlaces(frame);
  assert.match(shown.tiles, /[?&]epci=248000531(&|$)/, shown.tiles);
  for (const id of shown.list) assert.ok(inEpci.has(id), `lieu ${id} de la liste hors de l'EPCI`);
  for (const id of shown.tiled) assert.ok(inEpci.has(id), `lieu ${id} des tuiles hors de l'EPCI`);
  assert.ok(shown.list.length > 0 && shown.tiled.length > 0);
  await page.close();
});

test('/integration builds the <iframe> code, whose preview loads', async () => {
  const page = await b.context.newPage();
  await page.goto(url + '/integration');
  assert.equal(await page.title(), 'Intégrer la carte sur votre site — Cartonum');
  assert.match(await page.textContent('#sites-autorises'), /Sites autorisés/);
  await page.click('label[for="niveau-commune"]');
  assert.equal(await page.isChecked('#niveau-commune'), true);
  await page.fill('#code', '80021');
  await page.selectOption('#rayon', '20');
  await page.click('label:has-text("France Services")');
  await page.fill('#hauteur', '500');
  await page.click('button[type="submit"]');
  await page.waitForSelector('#extrait');
  const snippet = await page.inputValue('#extrait');
  const src = /<iframe src="([^"]+)"/.exec(snippet)?.[1].replaceAll('&amp;', '&');
  assert.ok(src, snippet);
  const u = new URL(src);
  assert.equal(u.origin + u.pathname, url + '/integration/carte');
  assert.deepEqual([u.searchParams.get('commune'), u.searchParams.get('rayon'), u.searchParams.getAll('dispositifs')], ['80021', '20', ['France Services']]);
  assert.match(snippet, /title="Carte des lieux de médiation numérique \(Cartonum\)"/);
  assert.match(snippet, /height="500"/);
  const preview = page.frameLocator('iframe.statique__apercu');
  await preview.locator('#carte[data-etat="chargee"]').waitFor({timeout: 30000});
  await page.screenshot({path: join(RESULTS, 'integration-04-page.png'), fullPage: true});
  // A wrong code says so, and gives no code.
  await page.goto(url + '/integration?niveau=epci&code=123');
  assert.match(await page.textContent('[role="alert"]'), /Code d'EPCI invalide/);
  assert.equal(await page.locator('#extrait').count(), 0);
  await page.close();
});

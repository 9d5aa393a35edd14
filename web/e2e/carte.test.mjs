// End-to-end test of the public map "Trouver un lieu" in a real Chromium
// against a running server (CARTONUM_URL) with the region's data.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
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

async function distances(page) {
  // Places at their address (an approximate one, placed at its commune's
  // centre, is sorted as if at the commune's radius: journeys.test.mjs).
  const texts = await page.locator('#resultats .lieu__distance:not(.lieu__distance--approx)').allTextContents();
  return texts.map(metres);
}

test('skip links come first in the tab order', async () => {
  const {page} = b;
  await page.goto(url + '/carte');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Contenu');
  assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).position === 'static' || document.activeElement.getBoundingClientRect().height > 0), true);
});

test('the home page redirects to the map, which loads', async () => {
  const {page} = b;
  const res = await page.goto(url + '/');
  assert.equal(new URL(page.url()).pathname, '/carte');
  assert.equal(res.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.match(await page.title(), /Trouver un lieu/);
  await mapReady(page);
  await page.waitForTimeout(800);
  const m = await page.evaluate(() => {
    const entries = performance.getEntriesByType('resource');
    const nav = performance.getEntriesByType('navigation')[0];
    const kinds = {script: 0, css: 0, font: 0, other: 0};
    for (const e of entries) {
      const size = e.encodedBodySize || e.transferSize || 0;
      if (/\.m?js(\?|$)/.test(e.name)) kinds.script += size;
      else if (/\.css(\?|$)/.test(e.name)) kinds.css += size;
      else if (/\.woff2?(\?|$)/.test(e.name)) kinds.font += size;
      else kinds.other += size;
    }
    return {
      mapLoadMs: performance.getEntriesByName('carte-chargee')[0]?.startTime ?? null,
      domContentLoadedMs: nav?.domContentLoadedEventEnd ?? null,
      htmlBytes: nav?.encodedBodySize ?? null,
      bytes: kinds,
      resources: entries.map((e) => ({name: e.name.replace(location.origin, ''), encoded: e.encodedBodySize, decoded: e.decodedBodySize})),
    };
  });
  writeFileSync(join(RESULTS, 'mesures.json'), JSON.stringify(m, null, 2));
  console.log(`# carte chargée en ${Math.round(m.mapLoadMs)} ms ; JS ${m.bytes.script} o, CSS ${m.bytes.css} o, polices ${m.bytes.font} o (compressés)`);
  assert.ok(m.mapLoadMs > 0 && m.mapLoadMs < 20000);
  await shot(page, '01-carte.png');
});

test('searching "Amiens" with the keyboard lists places by distance', async () => {
  const {page} = b;
  const input = page.locator('#recherche-commune');
  assert.equal(await input.getAttribute('role'), 'combobox');
  await input.click();
  await input.pressSequentially('Amiens', {delay: 40});
  await page.waitForSelector('#suggestions [role="option"]');
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  await shot(page, '02-suggestions.png');
  await input.press('ArrowDown');
  const active = await input.getAttribute('aria-activedescendant');
  assert.ok(active, 'aria-activedescendant set by ArrowDown');
  assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
  assert.match((await page.locator(`#${active}`).textContent()) ?? '', /^Amiens/);
  await input.press('Enter');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  await page.waitForFunction(() => /Amiens/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  assert.match(await listTitle(page), /^\d+ lieux? à moins de 10 km d'Amiens$/);
  assert.match(page.url(), /commune=80021/);
  const d = await distances(page);
  assert.ok(d.length > 5, `${d.length} places listed`);
  assert.ok(d.every((x) => Number.isFinite(x)));
  assert.deepEqual(d, [...d].sort((x, y) => x - y), 'sorted by distance');
  await mapReady(page);
  await page.waitForTimeout(1000);
  await shot(page, '03-amiens.png');
});

test('the France Services filter changes the list, the map and the URL', async () => {
  const {page} = b;
  const before = Number((await listTitle(page)).split(' ')[0]);
  await page.click('#bouton-filtres');
  assert.equal(await page.getAttribute('#bouton-filtres', 'aria-expanded'), 'true');
  await page.click('label[for="filtre-fs"]');
  assert.equal(await page.isChecked('#filtre-fs'), true);
  await page.waitForFunction((n) => {
    const t = document.querySelector('#resultats-titre')?.textContent ?? '';
    return Number(t.split(' ')[0]) !== n;
  }, before);
  assert.match(page.url(), /dispositifs=France\+Services/);
  const after = Number((await listTitle(page)).split(' ')[0]);
  assert.ok(after > 0 && after < before, `${before} → ${after}`);
  const items = page.locator('#resultats li.lieu');
  assert.equal(await items.count(), after);
  assert.equal(await page.locator('#resultats li.lieu .badge-fs').count(), after, 'every place is a France Services');
  assert.match(await page.textContent('#bouton-filtres'), /Filtres \(1\)/);
  await mapReady(page);
  await page.click('#filtres [data-action="fermer"]');
  await page.waitForTimeout(800);
  await shot(page, '04-filtre-france-services.png');
});

test("a place's sheet shows its weekly hours", async () => {
  const {page} = b;
  const withHours = page.locator('#resultats li.lieu').filter({has: page.locator('.fr-badge--success, .fr-badge--error')}).first();
  const name = (await withHours.locator('.lieu__bouton').textContent()).trim();
  await withHours.locator('.lieu__bouton').click();
  await page.waitForFunction((n) => document.querySelector('#fiche-titre')?.textContent === n, name);
  assert.equal(await page.isVisible('#fiche'), true);
  assert.equal(await page.isVisible('#resultats'), false);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'fiche-titre', 'focus on the sheet title');
  assert.match(page.url(), /lieu=/);
  const rows = page.locator('#fiche table tbody tr');
  assert.equal(await rows.count(), 7);
  assert.deepEqual((await page.locator('#fiche table tbody th').allTextContents()).map((t) => t.replace(/\s*\(aujourd'hui\)/, '').trim()),
    ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche']);
  assert.match(await page.textContent('#fiche .fiche__statut'), /(Ouvert|Fermé)/);
  // The server's label: "Ouvert jusqu'à 18:00", "Fermé — ouvre lundi à 09:00".
  assert.match(await page.textContent('#fiche .fiche__statut'), /(jusqu'à|ouvre) /);
  assert.equal(await page.locator('#fiche [data-action="imprimer"]').count(), 1);
  assert.equal(await page.locator('#fiche [data-action="copier"]').count(), 1);
  await page.waitForTimeout(900);
  await shot(page, '05-fiche.png');
  await page.emulateMedia({media: 'print'});
  await page.evaluate(() => {
    window.print = () => {};
  });
  await page.click('#fiche [data-action="imprimer"]');
  await page.screenshot({path: join(RESULTS, '06-fiche-impression.png'), fullPage: true});
  await page.emulateMedia({media: 'screen'});
  await page.evaluate(() => document.body.classList.remove('impression-active'));
});

test('reloading the shared URL gives the same state; back closes the sheet', async () => {
  const {page, context} = b;
  const shared = page.url();
  const title = await page.textContent('#fiche-titre');
  const other = await context.newPage();
  await other.goto(shared);
  await mapReady(other);
  await other.waitForFunction((t) => document.querySelector('#fiche-titre')?.textContent === t, title);
  assert.equal(await other.inputValue('#recherche-commune'), 'Amiens');
  await other.click('#bouton-filtres');
  assert.equal(await other.isChecked('#filtre-fs'), true);
  assert.equal(new URL(other.url()).search, new URL(shared).search);
  await other.waitForTimeout(800);
  await other.screenshot({path: join(RESULTS, '07-lien-partage.png')});
  await other.close();

  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#fiche')?.hidden === true);
  assert.doesNotMatch(page.url(), /lieu=/);
  assert.equal(await page.isVisible('#resultats'), true);
  await page.goForward();
  await page.waitForFunction((t) => document.querySelector('#fiche-titre')?.textContent === t, title);
  await page.click('#fiche [data-action="fermer"]');
  await page.waitForFunction(() => document.querySelector('#fiche')?.hidden === true);
});

test('keyboard: Enter opens a sheet, Escape closes it and gives the focus back', async () => {
  const {page} = b;
  const button = page.locator('#resultats .lieu__bouton').nth(1);
  const name = (await button.textContent()).trim();
  await button.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelector('#fiche-titre')?.textContent === n, name);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'fiche-titre');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('#fiche')?.hidden === true);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), name);
  assert.doesNotMatch(page.url(), /lieu=/);
});

test('navigation to the dashboard and back keeps the map state', async () => {
  const {page} = b;
  const before = new URL(page.url()).search;
  await page.click('#navigation a[data-route="tableau-de-bord"]');
  assert.equal(new URL(page.url()).pathname, '/tableau-de-bord');
  assert.equal(await page.getAttribute('#navigation a[data-route="tableau-de-bord"]', 'aria-current'), 'page');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'titre-tableau');
  assert.match(await page.title(), /Tableau de bord/);
  await page.goBack();
  assert.equal(new URL(page.url()).pathname, '/carte');
  assert.equal(new URL(page.url()).search, before);
  assert.equal(await page.isVisible('#carte'), true);
});

test('geolocation refused shows a message', async () => {
  const {page, context} = b;
  await context.clearPermissions();
  await page.click('#autour-de-moi');
  await page.waitForSelector('#message-geoloc .fr-alert--error');
  assert.match(await page.textContent('#message-geoloc'), /position/);
});

test('geolocation granted lists places around the user', async () => {
  const {page, context} = b;
  await context.grantPermissions(['geolocation'], {origin: url});
  await context.setGeolocation({latitude: 50.6366, longitude: 3.0573}); // Lille
  await page.click('#autour-de-moi');
  await page.waitForFunction(() => /de votre position/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  assert.match(page.url(), /autour=50\.637,3\.057/);
  const d = await distances(page);
  assert.deepEqual(d, [...d].sort((x, y) => x - y));
});

test('filters applied in the browser: online booking, open now', async () => {
  const {page} = b;
  await page.selectOption('#rayon', '50');
  await page.waitForFunction(() => /à moins de 50 km/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  assert.match(page.url(), /rayon=50/);
  const all = Number((await listTitle(page)).split(' ')[0]);
  await page.click('#bouton-filtres');
  await page.click('label[for="filtre-rdv"]');
  await page.waitForFunction(() => /rdv=1/.test(location.search));
  await listSettled(page);
  await mapReady(page);
  const rdv = Number((await listTitle(page)).split(' ')[0]);
  assert.ok(rdv <= all, `${all} → ${rdv}`);
  await page.click('label[for="filtre-rdv"]');
  await page.click('label[for="filtre-ouvert"]');
  await page.waitForFunction(() => /ouvert=1/.test(location.search) && !/rdv=1/.test(location.search));
  await listSettled(page);
  await mapReady(page);
  const open = await page.locator('#resultats li.lieu').count();
  assert.equal(await page.locator('#resultats li.lieu .fr-badge--success').count(), open, 'every listed place is open now');
  await page.click('#filtres [data-action="effacer"]');
  await page.waitForFunction(() => !/ouvert=1/.test(location.search));
  await page.click('#filtres [data-action="fermer"]');
});

test('on a phone the list is a bottom sheet over the map', async () => {
  const phone = await launch({viewport: {width: 390, height: 844}});
  try {
    const {page} = phone;
    await page.goto(url + '/carte?commune=80021');
    await mapReady(page);
    await page.waitForFunction(() => /Amiens/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
    await page.waitForTimeout(800);
    await page.screenshot({path: join(RESULTS, '08-telephone.png')});
    await page.click('#poignee');
    assert.equal(await page.getAttribute('#poignee', 'aria-expanded'), 'true');
    await page.waitForTimeout(400);
    await page.screenshot({path: join(RESULTS, '09-telephone-liste.png')});
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.close();
  }
});

test('address search: suggestion, keyboard choice, list by distance, shared URL', async () => {
  const {page, context} = b;
  assert.match(await page.textContent('label[for="recherche-commune"]'), /^Adresse, commune ou code postal/);
  const input = page.locator('#recherche-commune');
  await input.fill('');
  await input.click();
  await input.pressSequentially('12 rue de la République Amiens', {delay: 20});
  const group = page.locator('#suggestions [role="group"][aria-label="Adresses"]');
  await group.waitFor();
  const address = group.locator('[role="option"]').first();
  assert.equal((await address.textContent())?.trim(), '12 Rue de la République 80000 Amiens');
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  assert.match(await page.textContent('#recherche-statut'), /adresses? proposées?/);
  await shot(page, '20-adresse-suggestions.png');
  // Keyboard: the address options follow the communes in the flat order.
  const options = page.locator('#suggestions [role="option"]');
  const n = await options.count();
  const target = await address.getAttribute('id');
  let active = null;
  for (let i = 0; i < n && active !== target; i++) {
    await input.press('ArrowDown');
    active = await input.getAttribute('aria-activedescendant');
    assert.equal(await page.locator('#suggestions [aria-selected="true"]').count(), 1, 'one selected option');
    assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
  }
  assert.equal(active, target, 'the address is reachable with ArrowDown');
  await input.press('Enter');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  await page.waitForFunction(() => /de 12 Rue de la République/.test(document.querySelector('#resultats-titre')?.textContent ?? ''));
  await listSettled(page);
  assert.match(await listTitle(page), /^\d+ lieux? à moins de \d+ km de 12 Rue de la République 80000 Amiens$/);
  const q = new URL(page.url()).searchParams;
  assert.equal(q.get('autour'), '49.8922,2.29751');
  assert.equal(q.get('adresse'), '12 Rue de la République 80000 Amiens');
  assert.equal(q.get('commune'), null);
  const d = await distances(page);
  assert.ok(d.length > 0, `${d.length} places listed`);
  assert.deepEqual(d, [...d].sort((x, y) => x - y), 'sorted by distance from the address');
  // Amiens' places are a few hundred metres to a few km from the address.
  assert.ok(d[0] < 3000, `nearest at ${d[0]} m`);
  // The map is fitted to the listed places, centred on the address.
  await page.waitForFunction(
    () => {
      const [, lat, lon] = (new URLSearchParams(location.search).get('vue') ?? '').split('/').map(Number);
      return Math.abs(lat - 49.8922) < 0.003 && Math.abs(lon - 2.29751) < 0.003;
    },
    null,
    {timeout: 15000},
  );
  await mapReady(page);
  await page.waitForTimeout(800);
  await shot(page, '21-adresse.png');

  // The shared link gives the same list and the address in the search box.
  const shared = page.url();
  const title = await listTitle(page);
  const other = await context.newPage();
  await other.goto(shared);
  await other.waitForFunction((t) => document.querySelector('#resultats-titre')?.textContent?.trim() === t, title);
  assert.equal(await other.inputValue('#recherche-commune'), '12 Rue de la République 80000 Amiens');
  assert.deepEqual(await distances(other), d);
  await other.close();
});

test('a failing geocoder shows a message and leaves commune search working', async () => {
  const x = await launch();
  try {
    const {page} = x;
    await page.goto(url + '/carte');
    await page.waitForFunction(() => /^Adresse/.test(document.querySelector('label[for="recherche-commune"]')?.textContent ?? ''));
    const input = page.locator('#recherche-commune');
    await input.click();
    await input.pressSequentially('Amiens panne', {delay: 20});
    await page.waitForSelector('#message-geoloc .fr-alert--error');
    assert.match(await page.textContent('#message-geoloc'), /recherche d'adresse est indisponible/);
    await input.fill('');
    await input.pressSequentially('Amiens', {delay: 20});
    await page.waitForSelector('#suggestions [role="option"]');
    await input.press('Enter');
    await page.waitForFunction(() => /d'Amiens$/.test(document.querySelector('#resultats-titre')?.textContent?.trim() ?? ''));
    assert.match(page.url(), /commune=80021/);
    // The only problem recorded is the geocoder's 502.
    assert.ok(x.problems.length > 0 && x.problems.every((p) => /502|geocode/.test(p)), x.problems.join('\n'));
  } finally {
    await x.close();
  }
});

test('no console error, failed request or CSP violation', () => {
  assert.deepEqual(b.problems, []);
});

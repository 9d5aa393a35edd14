// Accessibility of the pages the statement lists besides the map and the
// dashboard (a11y.test.mjs): /integration (with its code and preview),
// /accessibilite and the embed page: axe-core (WCAG 2.1 A and AA rules)
// finds nothing, the page reflows at 320 CSS pixels (zoom 400 % of a 1280
// window) without horizontal scrolling, keyboard paths, and the footer
// links to the statement from the map.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {audit, baseURL, launch, mapReady, RESULTS} from './browser.mjs';

const url = baseURL();
let b;

before(async () => {
  b = await launch();
});
after(async () => {
  await b?.close();
});

/** No horizontal scrolling at 320 CSS pixels wide. */
async function reflows(page, path, ready) {
  await page.setViewportSize({width: 320, height: 640});
  await page.goto(url + path);
  if (ready) await ready(page);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({path: join(RESULTS, `a11y-320-${path.replace(/\W+/g, '-').replace(/^-|-$/g, '')}.png`)});
  await page.setViewportSize({width: 1280, height: 800});
  assert.ok(over <= 0, `${path}: ${over} px of horizontal scrolling at 320 px`);
}

test('the accessibility statement: axe, content, reached from the map’s footer', async () => {
  const {page} = b;
  await page.goto(url + '/carte');
  const link = page.locator('footer[role="contentinfo"] a[href="/accessibilite"]');
  assert.equal(await link.textContent(), 'Accessibilité : partiellement conforme');
  await link.click();
  await page.waitForURL(url + '/accessibilite');
  assert.equal(await page.title(), "Déclaration d'accessibilité — Cartonum");
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  const text = await page.textContent('main');
  for (const want of ['RGAA', 'version 4.1', 'partiellement conforme', 'Pages testées', 'axe-core', 'clavier', '320 pixels', 'Défenseur des droits', 'Signaler un problème', 'lecteurs d\'écran']) {
    assert.ok(text.includes(want), want);
  }
  assert.equal(await page.getAttribute('footer a[href="/accessibilite"]', 'aria-current'), 'page');
  await audit(page, 'accessibilite');
  await page.screenshot({path: join(RESULTS, 'a11y-declaration.png'), fullPage: true});
  // Keyboard: the first Tab reaches the skip link to the content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Contenu');
});

test('/integration with its generated code and preview: axe', async () => {
  const {page} = b;
  await page.goto(url + '/integration?niveau=commune&code=80021&rayon=10&dispositifs=France+Services&hauteur=500#code');
  await page.frameLocator('iframe.statique__apercu').locator('#carte[data-etat="chargee"]').waitFor({timeout: 30000});
  await audit(page, 'integration');
  await page.goto(url + '/integration?niveau=epci&code=1');
  await audit(page, 'integration (erreur)');
});

test('the embed page: axe, on its list and on a sheet', async () => {
  const {page} = b;
  await page.goto(url + '/integration/carte?commune=80021&rayon=10');
  await mapReady(page);
  await page.waitForSelector('#resultats li.lieu');
  await audit(page, 'carte intégrée');
  await page.click('#resultats .lieu__bouton >> nth=0');
  await page.waitForSelector('#fiche-titre:not(:text("Chargement"))');
  await audit(page, 'carte intégrée, fiche');
});

test('reflow at 320 CSS pixels: statement, integration page, embed page, map', async () => {
  const {page} = b;
  await reflows(page, '/carte?commune=80021', (p) => mapReady(p));
  await reflows(page, '/accessibilite');
  await reflows(page, '/integration?niveau=commune&code=80021');
  await reflows(page, '/integration/carte?commune=80021', (p) => mapReady(p));
});

test('no console error, failed request or CSP violation', () => {
  assert.deepEqual(b.problems, []);
});

// Automated accessibility checks (axe-core, WCAG 2.1 A and AA rules) of the
// map page, the open filters and a place's sheet. axe cannot judge
// everything (focus order, wording): the keyboard paths are tested in
// carte.test.mjs.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {audit, baseURL, launch, mapReady} from './browser.mjs';

const url = baseURL();
let b;

before(async () => {
  b = await launch();
});
after(async () => {
  await b?.close();
});

test('map page with a list', async () => {
  const {page} = b;
  await page.goto(url + '/carte?commune=80021');
  await mapReady(page);
  await page.waitForSelector('#resultats li.lieu');
  await audit(page, 'liste');
});

test('filters open', async () => {
  const {page} = b;
  await page.click('#bouton-filtres');
  await page.click('#filtres .fr-accordion__btn >> nth=0');
  await audit(page, 'filtres');
  await page.click('#filtres [data-action="fermer"]');
});

test("a place's sheet", async () => {
  const {page} = b;
  await page.click('#resultats .lieu__bouton >> nth=0');
  await page.waitForSelector('#fiche-titre:not(:text("Chargement"))');
  await audit(page, 'fiche');
});

async function boardReady(page) {
  await page.waitForSelector('#tdb-carte[data-etat="prete"]', {timeout: 30000});
  await page.waitForSelector('#page-tableau-de-bord[data-chargement="0"]', {timeout: 30000});
}

test('dashboard page', async () => {
  const {page} = b;
  await page.goto(url + '/tableau-de-bord');
  await boardReady(page);
  await page.waitForSelector('#tdb-territoire figure');
  await audit(page, 'tableau de bord');
});

test('dashboard: a territory’s portrait, its data tables open', async () => {
  const {page} = b;
  await page.goto(url + '/tableau-de-bord?niveau=departement&territoire=80&indicateur=zone_blanche&zones=1&lieux=1');
  await boardReady(page);
  await page.waitForSelector('#tdb-territoire[data-code="80"]');
  await page.evaluate(() => document.querySelectorAll('#tdb-territoire details').forEach((d) => (d.open = true)));
  await audit(page, 'portrait');
});

test('dashboard: scenario and siting modes', async () => {
  const {page} = b;
  await page.goto(url + '/tableau-de-bord?mode=scenario&ajout=2.2458,49.1648');
  await boardReady(page);
  await page.waitForSelector('#tdb-scenario-resultats[data-etat="pret"]');
  await audit(page, 'scénario');
  await page.click('label[for="tdb-mode-implantation"]');
  await page.waitForFunction(() => document.querySelectorAll('#tdb-propositions li').length > 0);
  await audit(page, 'implantation');
});

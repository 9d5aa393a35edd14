// The orientation sheet someone takes home: /carte?lieu=ID (its short URL)
// opens the map centred on the place with its sheet; the printed sheet is
// one A4 page with a map drawn from the project's tiles, the week's hours
// (or "Horaires à confirmer auprès du lieu"), and a QR code that decodes
// to the short URL printed beside it.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import jsQR from 'jsqr';
import {RESULTS, baseURL, launch, mapReady} from './browser.mjs';

const url = baseURL();
let b;

before(async () => {
  b = await launch();
});
after(async () => {
  await b?.close();
});

async function api(path) {
  const res = await fetch(url + path);
  assert.equal(res.status, 200, path);
  return res.json();
}

async function allPlaces() {
  const out = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await api(`/api/sites?limit=1000&offset=${offset}`);
    out.push(...page.features);
    if (offset + 1000 >= page.total) return out;
  }
}

let places;
async function pick() {
  places ??= await allPlaces();
  const amiens = places.filter((f) => f.properties.code_postal?.startsWith('800') && f.properties.horaires_calcules?.valide && f.properties.telephone);
  const unreadable = places.filter((f) => f.properties.horaires && !f.properties.horaires_calcules?.valide);
  const weight = (p) => (p.services?.length ?? 0) * 2 + (p.modalites_acces?.length ?? 0) + (p.frais_a_charge?.length ?? 0) + (p.dispositif_programmes_nationaux?.length ?? 0) + (p.nom?.length ?? 0) / 20 + (p.adresse?.length ?? 0) / 20;
  const richest = [...places].sort((x, y) => weight(y.properties) - weight(x.properties))[0];
  assert.ok(amiens.length > 0 && unreadable.length > 0, 'the data has places in Amiens and places with unreadable hours');
  return {amiens: amiens[0], unreadable: unreadable[0], richest};
}

const shown = (p) => p.nom_affiche || p.nom;

/** Opens /carte?lieu=ID and waits for the sheet. */
async function openShortLink(page, f) {
  await page.goto(`${url}/carte?lieu=${encodeURIComponent(f.id)}`);
  await mapReady(page);
  await page.waitForFunction((n) => document.querySelector('#fiche-titre')?.textContent === n, shown(f.properties));
}

/** Prints the sheet (window.print stubbed), waits for its map, and returns
 * the PDF (A4) and what the page shows. */
async function printSheet(page, name) {
  await page.evaluate(() => {
    window.print = () => {
      document.documentElement.dataset['imprime'] = String(Number(document.documentElement.dataset['imprime'] ?? 0) + 1);
    };
  });
  await page.click('#fiche [data-action="imprimer"]');
  await page.waitForSelector('#impression[data-etat="prete"]', {state: 'attached', timeout: 20000});
  assert.equal(await page.evaluate(() => document.documentElement.dataset['imprime']), '1', 'window.print called once the sheet is ready');
  await page.emulateMedia({media: 'print'});
  await page.screenshot({path: join(RESULTS, `${name}.png`), fullPage: true});
  const pdf = await page.pdf({format: 'A4', printBackground: true});
  writeFileSync(join(RESULTS, `${name}.pdf`), pdf);
  await page.emulateMedia({media: 'screen'});
  return pdf;
}

/** Pages of a PDF made by Chromium (its page objects are not compressed). */
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** The QR code of the print area rasterised in the page, decoded by jsQR. */
async function decodeQR(page) {
  const img = await page.evaluate(async () => {
    const svg = document.querySelector('#impression svg.qr');
    const xml = new XMLSerializer().serializeToString(svg);
    const im = new Image();
    im.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
    await im.decode();
    const size = 400;
    const c = document.createElement('canvas');
    c.width = c.height = size;
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size, size);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(im, 0, 0, size, size);
    return {size, data: Array.from(ctx.getImageData(0, 0, size, size).data)};
  });
  return jsQR(Uint8ClampedArray.from(img.data), img.size, img.size)?.data ?? null;
}

/** Distinct colours of the sheet's map image (a blank map has one or two). */
async function mapColours(page) {
  return page.evaluate(async () => {
    const img = document.querySelector('#impression-carte img');
    if (!img) return 0;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
}

test('/carte?lieu=ID opens the map centred on the place, with its sheet', async () => {
  const {page} = b;
  const {amiens} = await pick();
  await openShortLink(page, amiens);
  assert.equal(await page.isVisible('#fiche'), true);
  const [lon, lat] = amiens.geometry.coordinates;
  await page.waitForFunction(
    ([lon, lat]) => {
      const v = new URLSearchParams(location.search).get('vue')?.split('/').map(Number);
      return v && v[0] >= 14 && Math.abs(v[1] - lat) < 0.002 && Math.abs(v[2] - lon) < 0.003;
    },
    [lon, lat],
    {timeout: 15000},
  );
  assert.match(page.url(), new RegExp(`lieu=${amiens.id}`));
  // « Copier le lien » copies the short URL.
  await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], {origin: url});
  await page.click('#fiche [data-action="copier"]');
  await page.waitForFunction(() => /copié/.test(document.querySelector('#fiche-message')?.textContent ?? ''));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${url}/carte?lieu=${encodeURIComponent(amiens.id)}`);
  await page.waitForTimeout(600);
  await page.screenshot({path: join(RESULTS, 'fiche-01-lien-court.png')});
});

test('the printed sheet: one A4 page, map, hours table, contacts, QR code of the short URL', async () => {
  const {page} = b;
  const {amiens} = await pick();
  const short = `${url}/carte?lieu=${encodeURIComponent(amiens.id)}`;
  const pdf = await printSheet(page, 'fiche-02-impression');
  assert.equal(pdfPages(pdf), 1, 'one page');
  const sheet = page.locator('#impression');
  assert.equal(await sheet.locator('h1').textContent(), shown(amiens.properties));
  assert.equal(await sheet.locator('.impression__horaires tbody tr').count(), 7);
  assert.match(await sheet.textContent(), /Téléphone : /);
  for (const s of amiens.properties.services) assert.match(await sheet.locator('.impression__services').textContent(), new RegExp(s.replace(/[()]/g, '.')));
  if (amiens.properties.dispositif_programmes_nationaux.includes('France Services')) assert.equal(await sheet.locator('.impression__etiquettes .est-fs').count(), 1);
  assert.equal((await sheet.locator('.impression__lien').textContent()).trim(), short);
  assert.equal(await decodeQR(page), short, 'the QR code decodes to the short URL');
  assert.ok((await mapColours(page)) > 4, 'the map image is drawn');
  assert.equal(await page.locator('.carte-impression-source').count(), 0, 'the off-screen map is removed');
});

test('unreadable hours: "Horaires à confirmer auprès du lieu" with the raw text, on screen and on paper', async () => {
  const {page} = b;
  const {unreadable} = await pick();
  await openShortLink(page, unreadable);
  assert.match(await page.textContent('#fiche'), /Horaires à confirmer auprès du lieu/);
  assert.ok((await page.textContent('#fiche')).includes(unreadable.properties.horaires));
  const pdf = await printSheet(page, 'fiche-03-horaires-a-confirmer');
  assert.equal(pdfPages(pdf), 1);
  assert.equal(await page.textContent('#impression .impression__a-confirmer'), 'Horaires à confirmer auprès du lieu');
  assert.ok((await page.textContent('#impression')).includes(unreadable.properties.horaires));
  assert.equal(await page.locator('#impression table').count(), 0);
});

test('the fullest sheet of the region still fits one A4 page', async () => {
  const {page} = b;
  const {richest} = await pick();
  await openShortLink(page, richest);
  const pdf = await printSheet(page, 'fiche-04-plus-longue');
  assert.equal(pdfPages(pdf), 1);
  assert.equal(await decodeQR(page), `${url}/carte?lieu=${encodeURIComponent(richest.id)}`);
});

test('no console error, failed request or CSP violation', () => {
  assert.deepEqual(b.problems, []);
});

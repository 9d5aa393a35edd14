// Records the requests the web app makes during realistic public-map
// sessions, for bench/replay.sh to replay with wrk: in Debian's Chromium
// (through web/e2e/browser.mjs), a resident in Amiens on a desktop and a
// social worker in Arras on a phone type a commune in the search box (one
// request per keystroke), choose it, open two places' sheets, zoom in and
// out, pan, and filter France Services. Every same-origin GET (TileJSON,
// tiles at mixed zooms with filters, /api/sites?near, /api/search, a place,
// glyphs, assets) is written, in order, one path per line, to the file
// given as the first argument. The browser's cache is disabled so that the
// list is what a session of first-time visitors asks for.
//
//   CARTONUM_URL=http://127.0.0.1:8080 node bench/replay/record.mjs paths.txt

import {writeFileSync} from 'node:fs';
import {baseURL, launch, listSettled, mapReady} from '../../web/e2e/browser.mjs';

const out = process.argv[2];
if (!out) throw new Error('usage: node bench/replay/record.mjs OUT');
const base = baseURL();
const paths = [];

async function session(b, {viewport, commune, wheel}) {
  const page = await b.context.newPage();
  await page.setViewportSize(viewport);
  const cdp = await b.context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', {cacheDisabled: true});
  page.on('request', (r) => {
    if (r.method() === 'GET' && r.url().startsWith(base)) paths.push(r.url().slice(base.length));
  });
  await page.goto(`${base}/carte`);
  await mapReady(page);
  const input = page.locator('#recherche-commune');
  await input.click();
  await input.pressSequentially(commune, {delay: 120});
  await page.waitForSelector('#suggestions [role="option"]');
  await input.press('ArrowDown');
  await input.press('Enter');
  await listSettled(page);
  await page.waitForTimeout(1500);
  const buttons = page.locator('#resultats li.lieu .lieu__bouton');
  for (let k = 0; k < Math.min(2, await buttons.count()); k++) {
    await buttons.nth(k).click();
    await page.waitForTimeout(800);
    await page.keyboard.press('Escape');
  }
  const box = await page.locator('#carte').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (const dy of wheel) {
    await page.mouse.wheel(0, dy);
    await page.waitForTimeout(700);
  }
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 60, {steps: 8});
  await page.mouse.up();
  await page.waitForTimeout(1000);
  const fs = page.locator('#filtre-fs');
  if (!(await fs.isVisible())) await page.locator('#filtres-bouton, [aria-controls="filtres"]').first().click().catch(() => {});
  await fs.check({force: true});
  await listSettled(page);
  await page.waitForTimeout(1500);
  await page.close();
}

const b = await launch();
try {
  await session(b, {viewport: {width: 1280, height: 800}, commune: 'amiens', wheel: [-300, -300, -300, 600, 600]});
  await session(b, {viewport: {width: 390, height: 844}, commune: 'arras', wheel: [-300, -300, 900]});
} finally {
  await b.close();
}
writeFileSync(out, paths.join('\n') + '\n');
const kinds = {};
for (const p of paths) {
  const k = p.startsWith('/tiles/') ? (p.endsWith('.json') || /^\/tiles\/[^/]*\.json/.test(p) ? 'tilejson' : 'tiles') : p.split('?')[0].replace(/\/[^/]*\d[^/]*$/, '/{id}');
  kinds[k] = (kinds[k] ?? 0) + 1;
}
console.log(`${paths.length} requests recorded in ${out}`);
for (const [k, n] of Object.entries(kinds).sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${k}`);

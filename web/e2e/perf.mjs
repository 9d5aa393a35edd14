// Page weight and time to a usable map on a throttled phone profile, run
// by hand against one or more running servers (not part of `npm run e2e`):
//
//   node web/e2e/perf.mjs [--runs 3] [--cpu 1] [--path /carte] [--repeat] NAME=URL [NAME=URL …]
//
// Each run opens a fresh Chromium context (empty cache; with --repeat, a
// returning visitor: a first, unmeasured visit fills the cache) with a phone
// viewport (390×844, device pixel ratio 2, touch), the network throttled by
// CDP Network.emulateNetworkConditions (1.6 Mbit/s down, 750 kbit/s up,
// 150 ms round trip: Lighthouse's "slow 4G") and, with --cpu N, the CPU
// slowed N times. It records, from the navigation's start:
//   load      MapLibre's "load" (style, sprites, first tiles: the map drawn)
//   usable    the first "idle" after it (every tile of the view loaded and
//             drawn, labels placed): the map with its labels usable
//   labels    when the first commune name is on screen (queryRenderedFeatures
//             on libelles-communes; "-" when the style has no such layer)
// and the bytes transferred (encoded, headers included) until "usable",
// by kind: JS (MapLibre's worker included), CSS, tiles (+ TileJSON),
// glyphs, other. The table gives the
// median of the runs.

import {chromium} from 'playwright-core';

const args = process.argv.slice(2);
let runs = 3;
let cpu = 1;
let path = '/carte';
let repeat = false;
const targets = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--cpu') cpu = Number(args[++i]);
  else if (args[i] === '--path') path = args[++i];
  else if (args[i] === '--repeat') repeat = true;
  else {
    const m = /^([^=]+)=(https?:\/\/.+)$/.exec(args[i]);
    if (!m) {
      console.error(`argument invalide : ${args[i]} (NOM=URL attendu)`);
      process.exit(2);
    }
    targets.push({name: m[1], url: m[2].replace(/\/+$/, '')});
  }
}
if (targets.length === 0) {
  console.error('usage : node web/e2e/perf.mjs [--runs 3] [--cpu 1] [--path /carte] [--repeat] NOM=URL …');
  process.exit(2);
}

/** Test hook (as in labels.test.mjs): records the maps and their timings. */
function hook() {
  window.__perf = {load: null, usable: null, labels: null};
  Object.defineProperty(Object.prototype, '_map', {
    configurable: true,
    set(v) {
      if (v && typeof v.queryRenderedFeatures === 'function' && !window.__perfMap) {
        window.__perfMap = v;
        v.once('load', () => {
          window.__perf.load = performance.now();
          v.once('idle', () => (window.__perf.usable = performance.now()));
        });
        const check = () => {
          if (window.__perf.labels !== null) return;
          if (!v.getLayer('libelles-communes')) return;
          if (v.queryRenderedFeatures(undefined, {layers: ['libelles-communes']}).length > 0) window.__perf.labels = performance.now();
        };
        let last = 0;
        v.on('render', () => {
          const t = performance.now();
          if (t - last > 50) {
            last = t;
            check();
          }
        });
        v.on('idle', check);
      }
      Object.defineProperty(this, '_map', {value: v, writable: true, configurable: true, enumerable: true});
    },
    get() {
      return undefined;
    },
  });
}

function kindOf(url, type) {
  if (/\/glyphs\//.test(url)) return 'glyphs';
  if (/\/tiles\//.test(url)) return 'tiles';
  if (type === 'Script' || /\.m?js(\?|$)/.test(url)) return 'js';
  if (type === 'Stylesheet' || /\.css(\?|$)/.test(url)) return 'css';
  return 'other';
}

/** A page of context on the phone profile (cache disabled unless --repeat). */
async function phonePage(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', {cacheDisabled: !repeat});
  await cdp.send('Network.emulateNetworkConditions', {offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8)});
  if (cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', {rate: cpu});
  return page;
}

const usable = (page) => page.waitForFunction(() => window.__perf?.usable !== null && window.__perf?.usable !== undefined, null, {timeout: 120_000, polling: 100});

async function once(browser, url) {
  const context = await browser.newContext({viewport: {width: 390, height: 844}, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR'});
  await context.addInitScript(hook);
  if (repeat) {
    // A returning visitor: a first visit fills the HTTP cache, the
    // measured one is a new page of the same browser profile.
    const first = await phonePage(context);
    await first.goto(url + path, {waitUntil: 'commit'});
    await usable(first);
    await first.waitForTimeout(1000);
    await first.close();
  }
  const page = await phonePage(context);
  // Requests of the page and of MapLibre's worker (tiles, glyphs), with
  // their transferred size (headers and encoded body) and end time.
  const done = [];
  context.on('requestfinished', async (req) => {
    const at = Date.now();
    try {
      const sz = await req.sizes();
      // The worker's script is reported with a body of 0 bytes (its
      // request belongs to the worker's target): its Content-Length, the
      // encoded size the server sent, counts instead.
      let body = sz.responseBodySize;
      if (body === 0) body = Number((await req.response())?.headers()['content-length'] ?? 0) || 0;
      done.push({url: req.url(), type: req.resourceType(), bytes: sz.responseHeadersSize + body, at});
    } catch {
      /* the context is closing */
    }
  });
  await page.goto(url + path, {waitUntil: 'commit'});
  await usable(page);
  const perf = await page.evaluate(() => window.__perf);
  // Labels may come a moment after the first idle (collision placement).
  if (perf.labels === null) {
    await page.waitForTimeout(1500);
    perf.labels = await page.evaluate(() => window.__perf.labels);
  }
  // Bytes until "usable" (both clocks in epoch milliseconds).
  const origin = await page.evaluate(() => performance.timeOrigin);
  await page.waitForTimeout(300);
  const bytes = {js: 0, css: 0, tiles: 0, glyphs: 0, other: 0};
  for (const r of done) {
    if (r.at - origin > perf.usable + 100) continue;
    bytes[kindOf(r.url, r.type === 'script' ? 'Script' : r.type === 'stylesheet' ? 'Stylesheet' : r.type)] += r.bytes;
  }
  await context.close();
  return {...perf, bytes};
}

const median = (xs) => {
  const v = xs.filter((x) => x !== null).sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
};
const s = (ms) => (ms === null ? '-' : (ms / 1000).toFixed(2) + ' s');
const kb = (n) => (n / 1024).toFixed(0) + ' KB';

const browser = await chromium.launch({executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic']});
const rows = [];
try {
  for (const t of targets) {
    const all = [];
    for (let i = 0; i < runs; i++) all.push(await once(browser, t.url));
    const med = (f) => median(all.map(f));
    const b = (k) => med((r) => r.bytes[k]);
    rows.push([
      t.name, s(med((r) => r.load)), s(med((r) => r.usable)), s(med((r) => r.labels)),
      kb(b('js')), kb(b('css')), kb(b('tiles')), kb(b('glyphs')), kb(b('other')),
      kb(med((r) => r.bytes.js + r.bytes.css + r.bytes.tiles + r.bytes.glyphs)), kb(med((r) => Object.values(r.bytes).reduce((x, y) => x + y, 0))),
    ]);
  }
} finally {
  await browser.close();
}
const head = ['build', 'load', 'usable', 'labels', 'JS', 'CSS', 'tiles', 'glyphs', 'other', 'JS+CSS+tiles+glyphs', 'total'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(`phone 390×844 @2x, 1.6 Mbit/s down, 150 ms RTT, CPU ×${cpu}, ${path}, median of ${runs} ${repeat ? 'repeat visits' : 'cold runs'}`);
console.log(line(head));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows) console.log(line(r));

// Starts Debian's Chromium through playwright-core (never a downloaded
// browser) with a fresh profile, and records what the page reports.

import {chromium} from 'playwright-core';
import {spawn} from 'node:child_process';
import assert from 'node:assert/strict';
import {mkdtempSync, mkdirSync, readFileSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');

export function baseURL() {
  const url = process.env.CARTONUM_URL;
  if (!url) throw new Error('CARTONUM_URL must name a running Cartonum server, e.g. http://127.0.0.1:8080');
  return url.replace(/\/+$/, '');
}

export async function launch({viewport = {width: 1280, height: 800}} = {}) {
  mkdirSync(RESULTS, {recursive: true});
  const profile = mkdtempSync(join(tmpdir(), 'cartonum-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  const problems = [];
  // CSP violations, as the page sees them (besides the console message).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const watch = (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
    page.on('requestfailed', (r) => {
      const err = r.failure()?.errorText ?? '';
      // Requests cancelled by the page itself (superseded searches, tiles
      // out of view) are not failures.
      if (!/ERR_ABORTED|NS_BINDING_ABORTED/.test(err)) problems.push(`request failed: ${r.url()} ${err}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, {recursive: true, force: true});
    },
  };
}

/** Waits until the map has loaded and is not refiltering. */
export async function mapReady(page, timeout = 30000) {
  await page.waitForSelector('#carte[data-etat="chargee"]', {timeout});
}

/** "850 m" or "3,4 km" → metres. */
export function metres(text) {
  const m = /([\d\s\u00a0\u202f]+(?:,\d+)?)\s*(k?m)/.exec(text);
  if (!m) return NaN;
  const n = Number(m[1].replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));
  return m[2] === 'km' ? n * 1000 : n;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.1 A and AA) on the page and fails the test on any
 * violation, named with what. The map canvas is drawn by WebGL; its
 * content is offered as the list of places. */
export async function audit(page, what) {
  await page.evaluate(axeSource);
  const res = await page.evaluate(() =>
    globalThis.axe.run({exclude: [['.maplibregl-canvas']]}, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}),
  );
  const problems = res.violations.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(problems, []);
}

/** The title of the list of places on /carte. */
export async function listTitle(page) {
  return (await page.locator('#resultats-titre').textContent())?.trim() ?? '';
}

/** Waits for the list of places to finish loading (it is aria-busy meanwhile). */
export async function listSettled(page) {
  await page.waitForSelector('#resultats:not([aria-busy])');
}

/** Starts `cartonum serve` (the binary bin) over the database db on a free
 * loopback port, with extra args; resolves to {proc, url} once it listens. */
export function startServer(bin, db, args = [], timeout = 60000) {
  return new Promise((done, fail) => {
    const p = spawn(bin, ['serve', '--db', db, '--addr', '127.0.0.1:0', '--reload-interval', '0', ...args], {env: {...process.env, CARTONUM_LOG_FORMAT: 'text'}});
    let log = '';
    const timer = setTimeout(() => fail(new Error(`le serveur n'a pas démarré :\n${log}`)), timeout);
    const read = (d) => {
      log += d;
      const m = /msg=serving addr=([0-9.:]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        p.stdout.off('data', read);
        p.stderr.off('data', read);
        done({proc: p, url: `http://${m[1]}`});
      }
    };
    p.stdout.on('data', read);
    p.stderr.on('data', read);
    p.on('exit', (code) => fail(new Error(`le serveur s'est arrêté (${code}) :\n${log}`)));
  });
}

// The web map reading the territories from a PMTiles archive (issue 13,
// "Tiles anywhere"): a server started here with --pmtiles-url pointing at
// an archive served from another loopback origin (CORS and HTTP Range, as a
// static host or an object storage would); Chromium draws the map with its
// labels from the archive through the npm pmtiles protocol and asks the
// server for no territory tile.
//
// The archive is written by `cartonum export-tiles` when the binary has it;
// otherwise by pmtilesArchive() below (PMTiles v3, the tiles the server
// answers, gzipped, ids from the pmtiles package's zxyToTileId).
//
//   CARTONUM_BIN=bin/cartonum CARTONUM_DB=data/cartonum-32.db \
//     node --test e2e/pmtiles.test.mjs          (run-with-server.sh sets both)

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {zxyToTileId} from 'pmtiles';
import {RESULTS, launch, mapReady, startServer} from './browser.mjs';
import {catchMaps} from './maps-hook.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = resolve(repo, process.env.CARTONUM_BIN ?? 'bin/cartonum');
const db = resolve(repo, process.env.CARTONUM_DB ?? 'data/cartonum-32.db');
const LAYERS = 'departements,epci,communes,libelles';
const MAXZOOM = 10;

let archive = Buffer.alloc(0);
let archiveSrv;
let archiveURL;
const archiveRequests = [];
let server;
let url;
let b;
let tmp;
let madeBy = '';

/** The archive's host: GET and HEAD with Range, CORS for any origin. */
function serveArchive() {
  return new Promise((done) => {
    const srv = createServer((req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Headers', 'Range, If-Match');
      res.setHeader('Access-Control-Expose-Headers', 'ETag, Content-Range, Content-Length');
      if (req.method === 'OPTIONS') return res.writeHead(204).end();
      archiveRequests.push({path: req.url, range: req.headers.range ?? null});
      if (req.url !== '/cartonum.pmtiles') return res.writeHead(404).end();
      res.setHeader('ETag', `"${archive.length}"`);
      res.setHeader('Accept-Ranges', 'bytes');
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      if (!m) return res.writeHead(200, {'Content-Length': archive.length}).end(archive);
      const start = Number(m[1]);
      const end = Math.min(m[2] ? Number(m[2]) : archive.length - 1, archive.length - 1);
      if (start >= archive.length) return res.writeHead(416, {'Content-Range': `bytes */${archive.length}`}).end();
      res.writeHead(206, {'Content-Range': `bytes ${start}-${end}/${archive.length}`, 'Content-Length': end - start + 1});
      res.end(archive.subarray(start, end + 1));
    });
    srv.listen(0, '127.0.0.1', () => done(srv));
  });
}


/** Tiles x, y of zoom z covering bounds [w, s, e, n]. */
function tilesOver([w, s, e, n], z) {
  const n2 = 2 ** z;
  const x = (lon) => Math.min(n2 - 1, Math.floor(((lon + 180) / 360) * n2));
  const y = (lat) => {
    const r = (lat * Math.PI) / 180;
    return Math.min(n2 - 1, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n2));
  };
  const out = [];
  for (let tx = x(w); tx <= x(e); tx++) for (let ty = y(n); ty <= y(s); ty++) out.push([tx, ty]);
  return out;
}

function varint(n, out) {
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

/** A PMTiles v3 archive of the server's tiles of LAYERS, zooms 0 to
 * MAXZOOM over the region (fallback when the binary has no export-tiles). */
async function pmtilesArchive(base) {
  const tj = await (await fetch(`${base}/tiles/${LAYERS}.json`)).json();
  const entries = [];
  for (let z = 0; z <= MAXZOOM; z++) {
    for (const [x, y] of tilesOver(tj.bounds, z)) {
      const res = await fetch(tj.tiles[0].replace('{z}', z).replace('{x}', x).replace('{y}', y));
      if (res.status === 204) continue;
      assert.equal(res.status, 200, `tuile ${z}/${x}/${y}`);
      entries.push({id: zxyToTileId(z, x, y), data: gzipSync(Buffer.from(await res.arrayBuffer()))});
    }
  }
  entries.sort((a, c) => a.id - c.id);
  let offset = 0;
  const dir = [];
  varint(entries.length, dir);
  let last = 0;
  for (const e of entries) {
    varint(e.id - last, dir);
    last = e.id;
  }
  for (let i = 0; i < entries.length; i++) varint(1, dir);
  for (const e of entries) varint(e.data.length, dir);
  for (let i = 0; i < entries.length; i++) {
    varint(i === 0 ? offset + 1 : 0, dir); // contiguous: 0 after the first
    offset += entries[i].data.length;
  }
  const root = Buffer.from(dir);
  const meta = Buffer.from(JSON.stringify({name: tj.name, attribution: tj.attribution, vector_layers: tj.vector_layers}));
  const data = Buffer.concat(entries.map((e) => e.data));
  const h = Buffer.alloc(127);
  h.write('PMTiles', 0, 'latin1');
  h.writeUInt8(3, 7);
  const u64 = (v, at) => h.writeBigUInt64LE(BigInt(v), at);
  u64(127, 8);
  u64(root.length, 16);
  u64(127 + root.length, 24);
  u64(meta.length, 32);
  u64(127 + root.length + meta.length, 40);
  u64(0, 48);
  u64(127 + root.length + meta.length, 56);
  u64(data.length, 64);
  u64(entries.length, 72);
  u64(entries.length, 80);
  u64(entries.length, 88);
  h.writeUInt8(1, 96); // clustered
  h.writeUInt8(1, 97); // directories and metadata not compressed
  h.writeUInt8(2, 98); // tiles gzipped
  h.writeUInt8(1, 99); // MVT
  h.writeUInt8(0, 100);
  h.writeUInt8(MAXZOOM, 101);
  const e7 = (v, at) => h.writeInt32LE(Math.round(v * 1e7), at);
  e7(tj.bounds[0], 102);
  e7(tj.bounds[1], 106);
  e7(tj.bounds[2], 110);
  e7(tj.bounds[3], 114);
  h.writeUInt8(7, 118);
  e7((tj.bounds[0] + tj.bounds[2]) / 2, 119);
  e7((tj.bounds[1] + tj.bounds[3]) / 2, 123);
  return Buffer.concat([h, root, meta, data]);
}

before(async () => {
  assert.ok(existsSync(bin), `${bin} absent (CARTONUM_BIN)`);
  assert.ok(existsSync(db), `${db} absent (CARTONUM_DB)`);
  tmp = mkdtempSync(join(tmpdir(), 'cartonum-pmtiles-'));
  archiveSrv = await serveArchive();
  archiveURL = `http://127.0.0.1:${archiveSrv.address().port}/cartonum.pmtiles`;
  server = await startServer(bin, db, ['--pmtiles-url', archiveURL], 30000);
  url = server.url;
  // The real export when the binary has it, else the test's writer.
  const out = join(tmp, 'cartonum.pmtiles');
  const help = spawnSync(bin, ['export-tiles', '-h'], {encoding: 'utf8'});
  const usage = `${help.stdout}${help.stderr}`;
  if (/^cartonum export-tiles/m.test(usage) && /-out\b/.test(usage) && /-layers\b/.test(usage)) {
    const args = ['export-tiles', '--db', db, '--out', out, '--layers', LAYERS];
    if (/-maxzoom\b/.test(usage)) args.push('--maxzoom', '12');
    const r = spawnSync(bin, args, {encoding: 'utf8'});
    assert.equal(r.status, 0, `export-tiles : ${r.stdout}${r.stderr}`);
    archive = readFileSync(out);
    madeBy = 'cartonum export-tiles';
  } else {
    archive = await pmtilesArchive(url);
    madeBy = 'pmtilesArchive() du test';
  }
  b = await launch({viewport: {width: 1280, height: 800}});
  await b.context.addInitScript(catchMaps);
});

after(async () => {
  await b?.close();
  server?.proc.kill();
  archiveSrv?.close();
  if (tmp) rmSync(tmp, {recursive: true, force: true});
});

test('/api/config names the archive', async (t) => {
  t.diagnostic(`archive écrite par ${madeBy} (${archive.length} octets)`);
  const c = await (await fetch(`${url}/api/config`)).json();
  assert.equal(c.pmtiles_url, archiveURL);
});

test('the map draws the territories and their names from the PMTiles archive, no territory tile from the server', async () => {
  const {page} = b;
  const serverTiles = [];
  page.on('request', (r) => {
    const p = new URL(r.url());
    if (p.origin === url && /^\/tiles\/[^/]+\/\d+\/\d+\/\d+\.(mvt|pbf)$/.test(p.pathname)) serverTiles.push(p.pathname);
  });
  archiveRequests.length = 0;
  await page.goto(`${url}/carte?vue=10/49.894/2.296`);
  await mapReady(page);
  await page.waitForFunction(() => window.__cartes?.[0]?.loaded() && window.__cartes[0].areTilesLoaded(), null, {timeout: 30000});
  await page.evaluate(() => new Promise((r) => window.__cartes[0].once('idle', r) && window.__cartes[0].triggerRepaint()));
  assert.equal(await page.getAttribute('#carte', 'data-tuiles'), 'pmtiles', `archive de ${madeBy} non lue`);
  const src = await page.evaluate(() => window.__cartes[0].getStyle().sources.territoires.tiles[0]);
  assert.equal(src, `pmtiles://${archiveURL}/{z}/{x}/{y}`);
  // Names and outlines drawn from the archive's tiles.
  const names = await page.evaluate(() => window.__cartes[0].queryRenderedFeatures(undefined, {layers: ['libelles-communes']}).map((f) => f.properties.nom));
  assert.ok(names.includes('Amiens'), names.join(', '));
  const outlines = await page.evaluate(() => window.__cartes[0].queryRenderedFeatures(undefined, {layers: ['communes-contours']}).length);
  assert.ok(outlines > 10, `${outlines} contours de communes`);
  // Read by ranges from the archive's host; the places still from the server.
  assert.ok(archiveRequests.filter((r) => r.range).length >= 2, JSON.stringify(archiveRequests));
  assert.ok(serverTiles.every((p) => p.startsWith('/tiles/sites/')), serverTiles.join('\n'));
  assert.ok(serverTiles.length > 0, 'aucune tuile des lieux');
  await page.screenshot({path: join(RESULTS, 'pmtiles-amiens-z10.png')});
  assert.deepEqual(b.problems.filter((p) => !/favicon/.test(p)), []);
});

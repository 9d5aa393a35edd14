// Builds the front end into dist/: the hashed JS entry and its chunks (the
// shared code, preloaded; the dashboard, loaded on demand), one hashed CSS
// file (DSFR core and components, MapLibre's stylesheet, the app's),
// MapLibre's worker, the icons the CSS uses, index.html, and a .gz and a
// .br beside every text file, the labels' glyphs (scripts/glyphs.mjs) under
// a content hash.
// Nothing is fetched from the network.
//
//   node scripts/build.mjs            production build
//   CARTONUM_DSFR_FONTS=1 node …      also ship the Marianne/Spectral fonts
//                                     (reserved to State services: see README)

import {build} from 'esbuild';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {brotliCompressSync, constants, gzipSync} from 'node:zlib';
import {writeGlyphs} from './glyphs.mjs';
import {MAPLIBRE_PREFIXES, purgeCSS, usedWords} from './purgecss.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const keep = new Set(['README.txt']);
const withFonts = process.env.CARTONUM_DSFR_FONTS === '1';

// 1. Clean dist/, keeping the committed placeholder.
mkdirSync(dist, {recursive: true});
for (const name of readdirSync(dist)) {
  if (!keep.has(name)) rmSync(join(dist, name), {recursive: true, force: true});
}
mkdirSync(join(dist, 'assets'), {recursive: true});

const hash = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 10);

// 2. MapLibre's worker, copied as is under a content-hashed name.
const workerSrc = readFileSync(join(root, 'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs'), 'utf8')
  .replace(/\n\/\/# sourceMappingURL=.*$/m, '');
const workerName = `assets/maplibre-gl-worker-${hash(workerSrc)}.mjs`;
writeFileSync(join(dist, workerName), workerSrc);

// 3. The labels' glyphs (SDF protobufs, Noto Sans), served from the
// binary under a hash of their content, /glyphs/<hash>/<stack>/<range>.pbf,
// so that the server lets browsers keep them for a year (immutable).
const glyphsTmp = join(dist, 'glyphs.tmp');
writeGlyphs(glyphsTmp);
const glyphsHash = (() => {
  const h = createHash('sha256');
  const files = [];
  const walkGlyphs = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walkGlyphs(p);
      else files.push(p);
    }
  };
  walkGlyphs(glyphsTmp);
  for (const f of files) h.update(relative(glyphsTmp, f).replaceAll('\\', '/')).update('\0').update(readFileSync(f));
  return h.digest('hex').slice(0, 10);
})();
const glyphsPath = `/glyphs/${glyphsHash}`;
mkdirSync(join(dist, 'glyphs'), {recursive: true});
renameSync(glyphsTmp, join(dist, 'glyphs', glyphsHash));

// 3b. DSFR fonts: the Marianne typeface is reserved to State services; by
// default the @font-face rules are dropped and the system font is used.
const dropFonts = {
  name: 'dsfr-fonts',
  setup(b) {
    if (withFonts) return;
    b.onLoad({filter: /@gouvfr[\\/]dsfr[\\/]dist[\\/]core[\\/]core\.min\.css$/}, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/@font-face\{[^}]*\}/g, ''),
      loader: 'css',
    }));
  },
};

// 4. The bundle.
const result = await build({
  entryPoints: {app: join(root, 'src/main.ts')},
  outdir: dist,
  entryNames: 'assets/[name]-[hash]',
  chunkNames: 'assets/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  bundle: true,
  // The dashboard is a chunk of its own, loaded when first shown.
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
  minify: true,
  legalComments: 'linked',
  metafile: true,
  loader: {'.svg': 'file', '.woff2': 'file', '.woff': 'file'},
  define: {__MAPLIBRE_WORKER__: JSON.stringify('/' + workerName), __GLYPHS__: JSON.stringify(glyphsPath)},
  plugins: [dropFonts],
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => relative(dist, join(process.cwd(), p)).replaceAll('\\', '/'));
const js = outputs.find((p) => /^assets\/app-.*\.js$/.test(p));
let css = outputs.find((p) => /^assets\/app-.*\.css$/.test(p));
if (!js || !css) throw new Error(`bundle incomplet : ${outputs.join(', ')}`);

// 4b. The stylesheet without the rules of classes no source uses
// (scripts/purgecss.mjs), renamed after its new content.
{
  const own = usedWords([
    {path: join(root, 'src'), ext: /\.(ts|html)$/},
    {path: join(root, '..', 'internal', 'webui'), ext: /\.go$/},
  ]);
  const words = new Set([...own, ...usedWords([{path: join(root, 'node_modules/maplibre-gl/dist/maplibre-gl.mjs')}])]);
  const before = readFileSync(join(dist, css), 'utf8');
  const purged = purgeCSS(before, words, own, MAPLIBRE_PREFIXES);
  const name = `assets/app-${hash(purged)}.css`;
  const legal = join(dist, css + '.LEGAL.txt');
  const text = purged.replaceAll(css.slice('assets/'.length) + '.LEGAL.txt', name.slice('assets/'.length) + '.LEGAL.txt');
  rmSync(join(dist, css));
  writeFileSync(join(dist, name), text);
  if (existsSync(legal)) renameSync(legal, join(dist, name + '.LEGAL.txt'));
  console.log(`CSS : ${(before.length / 1024).toFixed(0)} KiB → ${(text.length / 1024).toFixed(0)} KiB après purge des classes inutilisées`);
  css = name;
}

// 5. Favicon and index.html.
const favicon = readFileSync(join(root, 'src/favicon.svg'));
const faviconName = `assets/favicon-${hash(favicon)}.svg`;
writeFileSync(join(dist, faviconName), favicon);
// Chunks the entry imports statically are preloaded, so that splitting
// adds no round trip.
const jsOut = Object.entries(result.metafile.outputs).find(([p]) => relative(dist, join(process.cwd(), p)).replaceAll('\\', '/') === js)?.[1];
const preloads = (jsOut?.imports ?? [])
  .filter((i) => i.kind === 'import-statement')
  .map((i) => relative(dist, join(process.cwd(), i.path)).replaceAll('\\', '/'))
  .map((p) => `<link rel="modulepreload" href="/${p}">`)
  .join('\n  ');
const html = readFileSync(join(root, 'src/index.html'), 'utf8')
  .replace('{{PRELOAD}}', preloads)
  .replaceAll('{{GLYPHS}}', glyphsPath)
  .replaceAll('{{JS}}', '/' + js)
  .replaceAll('{{CSS}}', '/' + css)
  .replaceAll('{{FAVICON}}', '/' + faviconName);
writeFileSync(join(dist, 'index.html'), html);


// 7. Precompressed variants of the text files (and of the glyphs).
const textual = /\.(html|js|mjs|css|svg|json|txt|pbf)$/;
let report = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (textual.test(name) && !keep.has(name) && !name.endsWith('.LEGAL.txt')) {
      const raw = readFileSync(p);
      const gz = gzipSync(raw, {level: 9});
      const br = brotliCompressSync(raw, {params: {[constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length}});
      if (gz.length < raw.length) writeFileSync(p + '.gz', gz);
      if (br.length < raw.length) writeFileSync(p + '.br', br);
      report.push([relative(dist, p), raw.length, gz.length, br.length]);
    } else if (!name.endsWith('.gz') && !name.endsWith('.br')) {
      report.push([relative(dist, p), statSync(p).size, null, null]);
    }
  }
}
walk(dist);
report.sort((a, b) => b[1] - a[1]);
const kb = (n) => (n == null ? '' : (n / 1024).toFixed(1) + ' KiB');
console.log('dist/ (brut, gzip, brotli) :');
for (const [name, raw, gz, br] of report) console.log(`  ${name.padEnd(48)} ${kb(raw).padStart(11)} ${kb(gz).padStart(11)} ${kb(br).padStart(11)}`);
if (!existsSync(join(dist, 'README.txt'))) console.warn('attention : dist/README.txt (fichier versionné) est absent');

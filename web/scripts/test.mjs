// Unit tests: compile test/*.test.ts with esbuild, then run node's test runner.
import {build} from 'esbuild';
import {readdirSync, rmSync} from 'node:fs';
import {spawnSync} from 'node:child_process';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'node_modules', '.cache', 'cartonum-tests');
rmSync(out, {recursive: true, force: true});
const entries = readdirSync(join(root, 'test')).filter((f) => f.endsWith('.test.ts')).map((f) => join(root, 'test', f));
await build({entryPoints: entries, outdir: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', outExtension: {'.js': '.mjs'}, logLevel: 'warning'});
const files = readdirSync(out).filter((f) => f.endsWith('.test.mjs')).map((f) => join(out, f));
const r = spawnSync(process.execPath, ['--test', ...files], {stdio: 'inherit'});
process.exit(r.status ?? 1);

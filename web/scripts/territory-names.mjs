// Writes the names table of French territories that `cartonum import` embeds
// to name the EPCI and départements it derives from a communes file (when no
// EPCI or départements file is given). The source is the npm package
// @etalab/decoupage-administratif (Licence Ouverte 2.0), a devDependency, so
// the table is available offline once `npm ci` has run.
//
//   node web/scripts/territory-names.mjs OUT.json
//
// Shape (the same package always gives the same bytes):
//
//   {"source": "@etalab/decoupage-administratif 6.0.0",
//    "departements": {"01": "Ain", …},
//    "epci": {"200000172": {"nom": "CC Faucigny - Glières", "type": "CC", "population": 28363}, …}}
//
// The EPCI population is the package's populationMunicipale, as in the
// files `cartonum download` writes (commune populations are municipal too).

import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const out = process.argv[2];
if (!out) {
  console.error('usage: node territory-names.mjs OUT.json');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'node_modules', '@etalab', 'decoupage-administratif');
const read = (p) => JSON.parse(readFileSync(join(pkgDir, p), 'utf8'));

const pkg = read('package.json');
const departements = read('data/departements.json');
const epci = read('data/epci.json');

const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const table = {source: `${pkg.name} ${pkg.version}`, departements: {}, epci: {}};
for (const d of [...departements].sort(byCode)) {
  if (!d.code || !d.nom) throw new Error(`département without code or nom: ${JSON.stringify(d)}`);
  table.departements[d.code] = d.nom;
}
for (const e of [...epci].sort(byCode)) {
  if (!/^\d{9}$/.test(e.code ?? '') || !e.nom) throw new Error(`EPCI without SIREN or nom: ${JSON.stringify(e).slice(0, 200)}`);
  const population = e.populationMunicipale ?? e.population ?? e.populationTotale;
  table.epci[e.code] = {nom: e.nom, type: e.type ?? '', ...(Number.isInteger(population) ? {population} : {})};
}

mkdirSync(dirname(out), {recursive: true});
writeFileSync(`${out}.tmp`, JSON.stringify(table) + '\n');
renameSync(`${out}.tmp`, out);
console.log(`${out}: ${Object.keys(table.departements).length} départements, ${Object.keys(table.epci).length} EPCI (${table.source})`);

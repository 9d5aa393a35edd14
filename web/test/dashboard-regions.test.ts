import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {TerritoryDetail} from '../src/api.ts';
import {breadcrumb, figuresAfter, isTopLevel, rankBase, topName} from '../src/dashboard/territory.ts';
import {deltasOf, type ScenarioMapResult} from '../src/dashboard/scenariomap.ts';
import {decodeDash, encodeDash, tileLevel, validTerritory} from '../src/dashboard/state.ts';
import {outsideText, uncertainText} from '../src/dashboard/edge.ts';
import {METROPOLE, viewBounds} from '../src/map/bounds.ts';

const figures = {population: 0, sites: 0, sites_per_10k: 0, mean_minutes: 0, p90_minutes: 0, mean_km: 0, p90_km: 0, beyond_population: 0, beyond_share: 0, access: 0, fragility: 0};
const row = (level: string, code: string, name: string) => ({level, code, name, sites_per_10k: 1, mean_minutes: 2, beyond_share: 0.1});

function detail(level: string, code: string, name: string, compare: ReturnType<typeof row>[], regions?: number): TerritoryDetail {
  return {
    params: {} as TerritoryDetail['params'],
    detail: {...figures, level, code, name, rank: {}, histogram: [], coverage: []} as unknown as TerritoryDetail['detail'],
    compare: [row(level, code, name), ...compare],
    counts: {communes: 10, epci: 3, departements: 2, ...(regions === undefined ? {} : {regions})},
  };
}

const national = {level: 'national' as const, code: 'FR', name: 'Ensemble des régions'};

test('the level of regions is read from and written to the URL, drawn by the départements', () => {
  const s = decodeDash('niveau=region&territoire=28');
  assert.equal(s.niveau, 'region');
  assert.equal(s.territoire, '28');
  assert.equal(encodeDash(s), 'niveau=region&territoire=28');
  assert.equal(validTerritory('region', '280'), false);
  assert.equal(decodeDash('niveau=region&territoire=abc').territoire, null);
  assert.equal(tileLevel('region'), 'departement');
  assert.equal(tileLevel('epci'), 'epci');
});

test('the breadcrumb starts at the national total and goes down through the region and the département', () => {
  const d = detail('commune', '76540', 'Rouen', [row('departement', '76', 'Seine-Maritime'), row('region', '28', 'Normandie'), row('national', 'FR', 'Ensemble des régions')], 2);
  assert.deepEqual(
    breadcrumb(d, national).map((c) => `${c.level} ${c.name}`),
    ['national Ensemble des régions', 'region Normandie', 'departement Seine-Maritime', 'commune Rouen'],
  );
  assert.equal(isTopLevel(d), false);
  assert.deepEqual(rankBase(d), {total: 10, unit: 'communes'});
  // One region: the breadcrumb starts at the region.
  const one = detail('commune', '80021', 'Amiens', [row('departement', '80', 'Somme'), row('region', '32', 'Hauts-de-France')]);
  assert.deepEqual(
    breadcrumb(one, {level: 'region', code: '32', name: 'Hauts-de-France'}).map((c) => c.name),
    ['Hauts-de-France', 'Somme', 'Amiens'],
  );
});

test('a region is a territory among several, the top level only when alone', () => {
  const reg = detail('region', '28', 'Normandie', [row('national', 'FR', 'France')], 2);
  assert.equal(isTopLevel(reg), false);
  assert.deepEqual(rankBase(reg), {total: 2, unit: 'régions'});
  assert.equal(isTopLevel(detail('national', 'FR', 'France', [], 2)), true);
  assert.equal(isTopLevel(detail('region', '32', 'Hauts-de-France', [])), true);
  assert.equal(rankBase(detail('region', '32', 'Hauts-de-France', [])), undefined);
  assert.equal(topName(national), 'Ensemble des régions');
  assert.equal(topName({level: 'region', code: '32', name: 'Hauts-de-France'}), 'Région');
  assert.equal(topName(null), 'Région');
});

test('a scenario changes a region by its delta, the national total by its figures after', () => {
  const r = {
    before: {...figures, level: 'national', code: 'FR', name: 'France'},
    after: {...figures, level: 'national', code: 'FR', name: 'France', sites: 7},
    total: {},
    deltas: [],
    region_deltas: [{...figures, code: '28', name: 'Normandie', sites: -1, mean_minutes: 0.5}],
  } as unknown as ScenarioMapResult;
  assert.equal(deltasOf(r, 'region').length, 1);
  assert.equal(deltasOf(r, 'national').length, 0);
  const reg = detail('region', '28', 'Normandie', [], 2);
  reg.detail.sites = 3;
  assert.equal(figuresAfter(reg, r)?.sites, 2);
  assert.equal(figuresAfter(reg, r)?.mean_minutes, 0.5);
  assert.equal(figuresAfter(detail('national', 'FR', 'France', [], 2), r)?.sites, 7);
});

test('the edge of several regions is that of the loaded regions', () => {
  const e = {places_outside_region: 0, margin_km: 0, reach_km: 11, uncertain_within_km: 11.5};
  assert.match(outsideText(e), /^Aucun lieu hors région pris en compte/);
  assert.match(outsideText({...e, several: true}), /^Aucun lieu hors des régions chargées pris en compte/);
  assert.match(outsideText({...e, places_outside_region: 3, margin_km: 29.2, several: true}), /^3 lieux hors des régions chargées à moins de 30\s*km/);
  assert.match(uncertainText({...e, several: true}), /de la limite des régions chargées/);
});

test('a national database is framed on metropolitan France, a region on itself', () => {
  assert.deepEqual(viewBounds([-61.8, -21.4, 55.8, 51.1]), METROPOLE);
  assert.deepEqual(viewBounds([1.38, 48.83, 4.26, 51.09]), [1.38, 48.83, 4.26, 51.09]);
  assert.equal(viewBounds(undefined), undefined);
});

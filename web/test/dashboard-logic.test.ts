import {test} from 'node:test';
import assert from 'node:assert/strict';
import {requestKeys} from '../src/dashboard/loader.ts';
import {exportGroups, parametersText} from '../src/dashboard/exports.ts';
import {figuresAfter} from '../src/dashboard/territory.ts';
import type {ScenarioMapResult} from '../src/dashboard/scenariomap.ts';
import type {TerritoryDetail} from '../src/api.ts';
import {compact, niceMax} from '../src/dashboard/charts.ts';
import {decodeDash} from '../src/dashboard/state.ts';
import {boundsOf} from '../src/map/bounds.ts';

const nb = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

test('requests a state needs', () => {
  const k = requestKeys(decodeDash('seuil=30'));
  assert.equal(k.indicators, 'epci?threshold_min=30');
  assert.equal(k.region, 'region?threshold_min=30');
  assert.equal(k.detail, 'region?threshold_min=30');
  assert.equal(k.scenario, null, 'no scenario outside its mode');
  assert.equal(k.siting, null);
  assert.equal(requestKeys(decodeDash('niveau=commune&territoire=80021')).detail, 'commune/80021?');
  assert.equal(requestKeys(decodeDash('mode=scenario')).scenario, null, 'nothing to compute without changes');
  assert.match(requestKeys(decodeDash('mode=scenario&ajout=1.83,50.667')).scenario!, /"add":\[\{"lon":1\.83,"lat":50\.667/);
  assert.equal(requestKeys(decodeDash('mode=implantation&k=3')).siting, 'k=3');
  // The view is not part of any request.
  assert.deepEqual(requestKeys(decodeDash('vue=9/50/2')), requestKeys(decodeDash('')));
});

test('export links record the parameters, in every format', () => {
  const groups = exportGroups(decodeDash('niveau=commune&seuil=30&services=Aide+aux+d%C3%A9marches+administratives'));
  const svc = 'services=Aide+aux+d%C3%A9marches+administratives';
  assert.deepEqual(
    groups.flatMap((g) => g.links.map((l) => l.href)),
    [
      `/api/indicators?threshold_min=30&${svc}&level=commune&format=xlsx`,
      `/api/indicators?threshold_min=30&${svc}&level=commune&format=csv-excel`,
      `/api/indicators?threshold_min=30&${svc}&level=commune&format=csv`,
      `/api/indicators?threshold_min=30&${svc}&level=commune&format=geojson`,
      `/api/whitezones?threshold_min=30&${svc}&format=xlsx`,
      `/api/whitezones?threshold_min=30&${svc}&format=csv-excel`,
      `/api/whitezones?threshold_min=30&${svc}`,
      `/api/priorites?threshold_min=30&${svc}&niveau=commune&format=xlsx`,
      `/api/priorites?threshold_min=30&${svc}&niveau=commune&format=csv-excel`,
      `/api/priorites?threshold_min=30&${svc}&niveau=commune&format=csv`,
      `/api/export/sites.csv?${svc}`,
    ],
  );
  assert.equal(groups[0]!.title, 'Indicateurs par commune');
  assert.equal(groups[0]!.links[0]!.label, 'Excel');
  assert.equal(exportGroups(decodeDash('')).at(-1)!.links[0]!.href, '/api/export/sites.csv');
  assert.match(nb(parametersText(decodeDash('detour=1.5')).join(' | ')), /Seuil de la zone blanche : 20 minutes \| Vitesse : 45 km\/h ; détour : 1,50/);
});

test('chart axes', () => {
  assert.equal(niceMax(14136), 20000);
  assert.equal(niceMax(0.73 * 1.05), 1);
  assert.equal(niceMax(2.2), 2.5);
  assert.equal(niceMax(0), 1);
  assert.equal(nb(compact(950)), '950');
  assert.equal(nb(compact(5000)), '5,0 k');
  assert.equal(nb(compact(20000)), '20 k');
  assert.equal(nb(compact(2_345_678)), '2,3 M');
});

test('bounds of geometries', () => {
  assert.equal(boundsOf([]), null);
  assert.deepEqual(
    boundsOf([
      {type: 'Polygon', coordinates: [[[1, 2], [3, 2], [3, 5], [1, 2]]]},
      {type: 'MultiPolygon', coordinates: [[[[0, 4], [2, 6], [1, 4], [0, 4]]]]},
      {type: 'Point', coordinates: [4, 3]},
    ]),
    [0, 2, 4, 6],
  );
});

test('a territory after a scenario: its figures plus the delta of its level; the region from the answer', () => {
  const values = {population: 1000, sites: 2, sites_per_10k: 20, mean_minutes: 12, p90_minutes: 25, mean_km: 8, p90_km: 16, beyond_population: 300, beyond_share: 0.3, access: 1.5};
  const zero = {sites: 0, sites_per_10k: 0, mean_minutes: 0, p90_minutes: 0, mean_km: 0, p90_km: 0, beyond_population: 0, beyond_share: 0, access: 0};
  const detail = (level: string, code: string) =>
    ({params: {threshold_min: 20, speed_kmh: 45, circuity: 1.3}, detail: {...values, level, code, name: 'X', rank: {}, histogram: [], coverage: []}, compare: [], counts: {communes: 1, epci: 1, departements: 1}}) as TerritoryDetail;
  const r = {
    params: {threshold_min: 20, speed_kmh: 45, circuity: 1.3},
    before: {...values, level: 'region', code: '32', name: 'R', rank: {}},
    after: {...values, beyond_population: 100, level: 'region', code: '32', name: 'R', rank: {}},
    total: {...zero, beyond_population: -200},
    deltas: [{...zero, code: '80001', name: 'A', sites: 1, beyond_population: -200, beyond_share: -0.2, mean_minutes: -3}],
    epci_deltas: [{...zero, code: '248000531', name: 'E', beyond_population: -200, p90_minutes: -5}],
    departement_deltas: [],
  } as ScenarioMapResult;
  const c = figuresAfter(detail('commune', '80001'), r)!;
  assert.equal(c.sites, 3);
  assert.equal(c.beyond_population, 100);
  assert.ok(Math.abs(c.beyond_share - 0.1) < 1e-12);
  assert.equal(c.mean_minutes, 9);
  assert.equal(c.population, 1000);
  assert.equal(figuresAfter(detail('epci', '248000531'), r)!.p90_minutes, 20);
  assert.equal(figuresAfter(detail('commune', '80021'), r), null, 'unchanged commune');
  assert.equal(figuresAfter(detail('departement', '80'), r), null);
  assert.equal(figuresAfter(detail('region', '32'), r)!.beyond_population, 100);
});

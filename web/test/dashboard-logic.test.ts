import {test} from 'node:test';
import assert from 'node:assert/strict';
import {requestKeys} from '../src/dashboard/loader.ts';
import {exportGroups, parametersText} from '../src/dashboard/exports.ts';
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

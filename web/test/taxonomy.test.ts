import {test} from 'node:test';
import assert from 'node:assert/strict';
import {FACETS, FACET_FIELDS, FACET_PARAMS} from '../src/taxonomy.ts';
import {countFilters, decodeState, emptyFilters, emptyState, encodeState, facetParams} from '../src/urlstate.ts';

test('the extra columns are filter groups with French titles', () => {
  const equipements = FACETS.find((f) => f.param === 'equipements');
  const qualifications = FACETS.find((f) => f.param === 'qualifications');
  assert.equal(equipements?.label, 'Équipements');
  assert.equal(qualifications?.label, 'Qualifications');
  assert.ok(equipements.values.includes('Wifi'));
  assert.ok(qualifications.values.includes('PictoAccess'));
  assert.equal(FACET_FIELDS.equipements, 'equipements');
  assert.equal(FACET_FIELDS.qualifications, 'qualifications');
  assert.deepEqual(emptyFilters().equipements, []);
  assert.deepEqual(emptyFilters().qualifications, []);
});

test('every facet has a field, distinct parameters and values', () => {
  assert.equal(new Set(FACET_PARAMS).size, FACET_PARAMS.length);
  for (const f of FACETS) {
    assert.ok(FACET_FIELDS[f.param], f.param);
    assert.equal(new Set(f.values).size, f.values.length, f.param);
  }
});

test('equipment and qualification filters go to the URL and the API', () => {
  const s = emptyState();
  s.filters.equipements = ['Imprimante', 'Wifi'];
  s.filters.qualifications = ['Pass numérique (APTIC)'];
  const q = encodeState(s);
  assert.deepEqual(decodeState(q), s);
  assert.equal(countFilters(s.filters), 3);
  const api = facetParams(s.filters);
  assert.deepEqual(api.getAll('equipements'), ['Imprimante', 'Wifi']);
  assert.deepEqual(api.getAll('qualifications'), ['Pass numérique (APTIC)']);
  // Unknown values are dropped and the vocabulary's order kept.
  const d = decodeState('equipements=Wifi&equipements=Fablab&equipements=Imprimante&qualifications=PictoAccess');
  assert.deepEqual(d.filters.equipements, ['Imprimante', 'Wifi']);
  assert.deepEqual(d.filters.qualifications, ['PictoAccess']);
});

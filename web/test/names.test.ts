import {test} from 'node:test';
import assert from 'node:assert/strict';
import {getIndicators, named} from '../src/api.ts';

test('a territory without a name is shown by its code', () => {
  assert.equal(named({code: '200099999'}).name, '200099999');
  assert.equal(named({code: '14', name: ''}).name, '14');
  assert.equal(named({code: '14', name: null}).name, '14');
  assert.equal(named({code: '14', name: 'Calvados'}).name, 'Calvados');
});

test('indicators without names can be sorted and labelled (the dashboard no longer throws)', async () => {
  const real = globalThis.fetch;
  globalThis.fetch = async () =>
    new Response(JSON.stringify({params: {}, level: 'epci', data_version: 1, items: [{level: 'epci', code: '200099999'}, {level: 'epci', code: '200065597', name: 'CU Caen la Mer'}]}), {
      headers: {'Content-Type': 'application/json'},
    });
  try {
    const r = await getIndicators('epci', new URLSearchParams());
    const sorted = [...r.items].sort((a, b) => a.name.localeCompare(b.name, 'fr')).map((i) => i.name);
    assert.deepEqual(sorted, ['200099999', 'CU Caen la Mer']);
  } finally {
    globalThis.fetch = real;
  }
});

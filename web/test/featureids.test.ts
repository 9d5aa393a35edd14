import {test} from 'node:test';
import assert from 'node:assert/strict';
import {communeFeatureId, departementFeatureId, epciFeatureId, featureId} from '../src/map/featureids.ts';
import {communeFeatureId as fromStyle} from '../src/map/style.ts';

// The same cases as tiles.CommuneID's tests on the server.
test('commune ids equal the server’s CommuneID', () => {
  const cases: [string, number][] = [
    ['59350', 59350],
    ['80021', 80021],
    ['02691', 2691],
    ['01001', 1001],
    ['2A004', 20004],
    ['2B033', 120033],
    ['97411', 97411],
    ['00042', 100042],
    ['21231', 21231],
    ['00000', 100000],
  ];
  for (const [code, id] of cases) assert.equal(communeFeatureId(code), id, code);
  assert.equal(fromStyle('2B033'), 120033);
});

test('invalid commune codes give 0', () => {
  for (const code of ['', '5935', '593500', '20004', '2C004', '2a004', '3A004', 'A9350', 'AB123', '59 35', '5935x']) {
    assert.equal(communeFeatureId(code), 0, JSON.stringify(code));
  }
});

test('valid codes, and only they, get distinct non-zero ids (as TestCommuneIDUnique)', () => {
  const valid = /^([013-9]\d|2[AB1-9])\d{3}$/;
  const seen = new Map<number, string>();
  const chars = '0123456789AB';
  for (const a of chars) {
    for (const b of chars) {
      for (let n = 0; n < 1000; n++) {
        const code = `${a}${b}${String(n).padStart(3, '0')}`;
        const id = communeFeatureId(code);
        assert.equal(id !== 0, valid.test(code), code);
        if (id === 0) continue;
        assert.ok(id < 200000, code);
        assert.ok(!seen.has(id), `${code} and ${seen.get(id)} share ${id}`);
        seen.set(id, code);
      }
    }
  }
  assert.equal(seen.size, 101 * 1000);
});

test('département and EPCI ids', () => {
  assert.equal(departementFeatureId('02'), 2);
  assert.equal(departementFeatureId('59'), 59);
  assert.equal(departementFeatureId('2A'), 201);
  assert.equal(departementFeatureId('2b'), 202);
  assert.equal(departementFeatureId('974'), 974);
  assert.equal(epciFeatureId('200018083'), 200018083);
  assert.equal(epciFeatureId('24590041'), 0);
  assert.equal(featureId('commune', '2A004'), 20004);
  assert.equal(featureId('epci', '245900410'), 245900410);
  assert.equal(featureId('departement', '80'), 80);
});

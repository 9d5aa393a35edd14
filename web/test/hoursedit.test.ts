import {test} from 'node:test';
import assert from 'node:assert/strict';
import {checkHours, emptyHours, parseOpeningHours, toOpeningHours} from '../src/contrib/hoursedit.ts';

const TYPICAL = [
  'Mo-Fr 09:00-12:00,14:00-17:00',
  'Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off',
  'Tu,Th 14:00-18:00',
  'Mo,We,Fr 09:00-12:30',
  'Mo-We 08:30-12:00; Th,Fr 13:30-17:00',
  'Mo-Sa 10:00-19:00; PH off',
  '24/7',
  'Mo-Fr 09:00-17:00; Dec 25 off; PH off',
  'Mo-Fr 09:00-17:00; 2026 Aug 03-2026 Aug 21 off',
  'Mo-Fr 09:00-17:00; 2026 Dec 24 09:00-12:00',
  'Mo-Su 00:00-24:00; PH 10:00-12:00',
  '',
];

test('typical opening_hours strings round-trip through the editor', () => {
  for (const s of TYPICAL) {
    const r = parseOpeningHours(s);
    assert.ok(r.ok, `${s}: ${r.ok ? '' : r.error}`);
    if (!r.ok) continue;
    const expected = s === 'Mo-Su 00:00-24:00; PH 10:00-12:00' ? '24/7; PH 10:00-12:00' : s;
    assert.equal(toOpeningHours(r.state), expected, s);
    assert.deepEqual(checkHours(r.state), [], s);
    // state → string → state is the identity.
    const again = parseOpeningHours(toOpeningHours(r.state));
    assert.ok(again.ok);
    if (again.ok) assert.deepEqual(again.state, r.state, s);
  }
});

test('the editor state is written as grouped OSM rules', () => {
  const s = emptyHours();
  for (const d of [0, 1, 2, 3, 4]) s.days[d] = [{start: '09:00', end: '12:00'}, {start: '14:00', end: '17:00'}];
  s.days[2] = [{start: '09:00', end: '12:00'}];
  s.days[5] = [{start: '10:00', end: '12:00'}];
  s.ph = 'off';
  s.exceptions.push({from: '2026-12-24', to: '', ranges: []});
  assert.equal(toOpeningHours(s), 'Mo,Tu,Th,Fr 09:00-12:00,14:00-17:00; We 09:00-12:00; Sa 10:00-12:00; 2026 Dec 24 off; PH off');
  assert.equal(toOpeningHours(emptyHours()), '');
});

test('later rules override earlier ones, unpadded times are accepted', () => {
  const r = parseOpeningHours('Mo-Sa 9:00-18:00; We off; Su 10:00-12:00');
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.deepEqual(r.state.days[2], []);
  assert.deepEqual(r.state.days[0], [{start: '09:00', end: '18:00'}]);
  assert.equal(toOpeningHours(r.state), 'Mo,Tu,Th-Sa 09:00-18:00; Su 10:00-12:00');
});

test('strings the editor cannot read are refused with a reason', () => {
  for (const s of ['Mo-Fr 09:00-17:00 "sur rendez-vous"', 'sunrise-sunset', 'Mo-Fr 9h-12h', 'week 01-10 Mo 09:00-12:00']) {
    const r = parseOpeningHours(s);
    assert.equal(r.ok, false, s);
    if (!r.ok) assert.match(r.error, /«/);
  }
});

test('checkHours reports inverted, overlapping and incomplete ranges', () => {
  const s = emptyHours();
  s.days[0] = [{start: '12:00', end: '09:00'}];
  s.days[1] = [{start: '09:00', end: '12:00'}, {start: '11:00', end: '13:00'}];
  s.days[2] = [{start: '', end: '12:00'}];
  s.exceptions.push({from: '2026-08-10', to: '2026-08-01', ranges: []});
  const where = checkHours(s).map((p) => p.where);
  assert.deepEqual(where, ['0', '1', '2', 'exception:0']);
});

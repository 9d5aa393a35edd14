import {test} from 'node:test';
import assert from 'node:assert/strict';
import {formatDecimal, formatInt, formatMinutes, formatPercent, formatRank, formatSigned, ordinal} from '../src/format.ts';

const nb = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

test('decimals, French style', () => {
  assert.equal(formatDecimal(6.730521, 1), '6,7');
  assert.equal(nb(formatDecimal(1234.56, 1)), '1 234,6');
  assert.equal(formatDecimal(0.7342886, 2), '0,73');
  assert.equal(formatDecimal(-0.01, 1), '0,0', 'no "-0"');
  assert.equal(formatDecimal(NaN), '–');
  assert.equal(nb(formatInt(265503.47)), '265 503');
  assert.equal(formatInt(0.4), '0');
});

test('percentages and minutes', () => {
  assert.equal(nb(formatPercent(0.0443082)), '4,4 %');
  assert.equal(nb(formatPercent(1)), '100,0 %');
  assert.equal(nb(formatPercent(0.209, 0)), '21 %');
  assert.equal(nb(formatMinutes(17.512)), '17,5 min');
});

test('signed changes use a true minus sign', () => {
  assert.equal(nb(formatSigned(-6186.7)), '\u22126 187');
  assert.equal(formatSigned(1), '+1');
  assert.equal(formatSigned(0), '0');
  assert.equal(formatSigned(-0.0001, 2), '0,00');
  assert.equal(formatSigned(-0.0347, 2), '\u22120,03');
});

test('ranks', () => {
  assert.equal(ordinal(1), '1er');
  assert.equal(ordinal(2), '2e');
  assert.equal(formatRank(12, 92, 'EPCI'), '12e sur 92 EPCI');
  assert.equal(nb(formatRank(1, 3782, 'communes')), '1er sur 3 782 communes');
});

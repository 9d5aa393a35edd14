import {test} from 'node:test';
import assert from 'node:assert/strict';
import {COOL, WARM, ZERO, classCounts, classify, minutesScale, niceRound, pick, quantile, quantileScale, shareScale, stepExpression} from '../src/dashboard/legend.ts';
import {INDICATORS, worstFirst} from '../src/dashboard/indicators.ts';
import type {IndicatorItem} from '../src/api.ts';

const nb = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

test('minutes: fixed breaks 0–5–10–15–20–30+', () => {
  const s = minutesScale();
  assert.deepEqual(s.thresholds, [5, 10, 15, 20, 30]);
  assert.equal(s.colors.length, 6);
  assert.deepEqual(s.colors, [...WARM]);
  assert.deepEqual(s.labels.map(nb), ['moins de 5 min', '5 à 10 min', '10 à 15 min', '15 à 20 min', '20 à 30 min', '30 min et plus']);
  assert.equal(classify(0, s), 0);
  assert.equal(classify(4.99, s), 0);
  assert.equal(classify(5, s), 1, 'a break belongs to the class above (MapLibre step)');
  assert.equal(classify(19.9, s), 3);
  assert.equal(classify(20, s), 4);
  assert.equal(classify(95, s), 5);
  assert.equal(classify(null, s), -1);
  assert.equal(classify(NaN, s), -1);
});

test('shares: 0, then 5, 10, 25, 50 % and more', () => {
  const s = shareScale();
  assert.deepEqual(s.labels.map(nb), ['0 %', 'moins de 5 %', '5 à 10 %', '10 à 25 %', '25 à 50 %', '50 % et plus']);
  assert.equal(classify(0, s), 0);
  assert.equal(classify(0.0001, s), 1);
  assert.equal(classify(0.05, s), 2);
  assert.equal(classify(0.2094, s), 3);
  assert.equal(classify(0.5, s), 5);
  assert.equal(classify(1, s), 5);
  assert.deepEqual(classCounts([0, 0, 0.01, 0.07, 0.3, 0.9, 1], s), [2, 1, 1, 0, 1, 2]);
});

test('quantiles: zero is its own class, breaks are rounded and increasing', () => {
  const values = [0, 0, 0, 0, 0.12, 0.31, 0.45, 0.52, 0.7342, 0.81, 1.2, 1.9, 2.5, 3.49, 7.8];
  const s = quantileScale(values, {zeroLabel: 'aucun lieu'});
  assert.equal(s.thresholds[0], ZERO);
  assert.equal(s.labels[0], 'aucun lieu');
  assert.equal(s.colors.length, s.labels.length);
  assert.equal(s.thresholds.length + 1, s.labels.length);
  for (let i = 1; i < s.thresholds.length; i++) assert.ok(s.thresholds[i]! > s.thresholds[i - 1]!);
  for (const t of s.thresholds.slice(1)) assert.equal(t, niceRound(t));
  const counts = classCounts(values, s);
  assert.equal(counts[0], 4);
  assert.ok(counts.every((c) => c > 0), `every class holds values: ${counts}`);
  assert.match(nb(s.labels[1]!), /^moins de \d/);
  assert.match(nb(s.labels.at(-1)!), / et plus$/);
  assert.equal(counts.reduce((a, b) => a + b, 0), values.length);
});

test('quantiles without zeros, with few distinct values, or none', () => {
  const s = quantileScale([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], {classes: 5});
  assert.equal(s.labels.length, 5);
  assert.equal(classify(1, s), 0);
  assert.equal(classify(10, s), 4);
  const same = quantileScale([2, 2, 2, 2]);
  assert.deepEqual(same.thresholds, []);
  assert.equal(same.labels.length, 1);
  const zeros = quantileScale([0, 0], {zeroLabel: 'aucun'});
  assert.deepEqual(zeros.labels, ['aucun']);
  assert.equal(classify(0, zeros), 0);
  assert.equal(quantileScale([]).labels.length, 1);
});

test('rounding, quantiles and colour picks', () => {
  assert.equal(niceRound(0.7342), 0.73);
  assert.equal(niceRound(12.34), 12);
  assert.equal(niceRound(1234), 1200);
  assert.equal(niceRound(0.0456), 0.046);
  assert.equal(niceRound(0.3), 0.3);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([5], 0.3), 5);
  assert.deepEqual(pick(COOL, 3), [COOL[0], COOL[3], COOL[5]]);
  assert.deepEqual(pick(COOL, 6), [...COOL]);
  assert.equal(pick(COOL, 1).length, 1);
});

test('the MapLibre expression agrees with classify', () => {
  const s = minutesScale();
  const e = stepExpression(s);
  assert.equal(e[0], 'case');
  const step = e[2] as unknown[];
  assert.deepEqual(step.slice(0, 3), ['step', ['feature-state', 'v'], WARM[0]]);
  assert.deepEqual(step.slice(3), [5, WARM[1], 10, WARM[2], 15, WARM[3], 20, WARM[4], 30, WARM[5]]);
});

test('indicators: fields, ranks and worst first', () => {
  assert.equal(INDICATORS.temps_moyen.field, 'mean_minutes');
  assert.equal(INDICATORS.zone_blanche.rank, 'beyond_share');
  assert.equal(INDICATORS.temps_p90.rank, null);
  assert.match(nb(INDICATORS.zone_blanche.title(30)), /plus de 30 min/);
  const item = (name: string, mean: number, per10k: number) => ({name, code: name, level: 'epci', population: 1000, mean_minutes: mean, sites_per_10k: per10k, rank: {}}) as unknown as IndicatorItem;
  const items = [item('a', 3, 2), item('b', 12, 0), item('c', 7, 1)];
  assert.deepEqual(worstFirst(items, 'temps_moyen').map((i) => i.name), ['b', 'c', 'a']);
  assert.deepEqual(worstFirst(items, 'lieux_10000').map((i) => i.name), ['b', 'c', 'a']);
});

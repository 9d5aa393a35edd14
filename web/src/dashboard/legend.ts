// Classes of the choropleths: fixed breaks for travel times (0–5–10–15–20–30
// minutes and more) and for the share beyond the threshold (0, 5, 10, 25,
// 50 % and more), quantiles for the indicators without a natural scale
// (places per 10,000 inhabitants, E2SFCA accessibility), with zero as a
// class of its own. Colours are ColorBrewer sequential schemes, safe for
// colour-blind readers: yellow-orange-red where a high value is a problem
// (time, white zone), yellow-green-blue where a high value is good.
//
// Pure: no DOM, tested in test/legend.test.ts.

import {formatDecimal} from '../format.ts';

/** A classification: class i holds values v with thresholds[i-1] ≤ v <
 * thresholds[i] (MapLibre's "step"), so there is one more class than
 * thresholds. */
export interface Scale {
  thresholds: number[];
  colors: string[];
  labels: string[];
}

/** ColorBrewer YlOrRd (6 classes): high values are a problem. */
export const WARM = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'] as const;
/** ColorBrewer YlGnBu (6 classes): high values are good. */
export const COOL = ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#2c7fb8', '#253494'] as const;
/** Territories without a figure. */
export const NO_DATA = '#d8d8d8';

/** Below this a share counts as zero (the "0 %" class). */
export const ZERO = 1e-9;

const NBSP = '\u00a0';

/** The class of a value: how many thresholds are ≤ v (-1 for no value). */
export function classify(v: number | null | undefined, scale: Scale): number {
  if (v == null || !Number.isFinite(v)) return -1;
  let i = 0;
  while (i < scale.thresholds.length && scale.thresholds[i]! <= v) i++;
  return i;
}

/** How many values fall in each class. */
export function classCounts(values: number[], scale: Scale): number[] {
  const counts = scale.colors.map(() => 0);
  for (const v of values) {
    const c = classify(v, scale);
    if (c >= 0) counts[c]!++;
  }
  return counts;
}

/** n colours spread over a palette, light to dark. */
export function pick(palette: readonly string[], n: number): string[] {
  if (n <= 0) return [];
  if (n === 1) return [palette[Math.floor((palette.length - 1) / 2)]!];
  return Array.from({length: n}, (_, i) => palette[Math.round((i * (palette.length - 1)) / (n - 1))]!);
}

/** Travel times: fixed breaks in minutes. */
export function minutesScale(palette: readonly string[] = WARM): Scale {
  const t = [5, 10, 15, 20, 30];
  return {
    thresholds: t,
    colors: pick(palette, t.length + 1),
    labels: [`moins de 5${NBSP}min`, `5 à 10${NBSP}min`, `10 à 15${NBSP}min`, `15 à 20${NBSP}min`, `20 à 30${NBSP}min`, `30${NBSP}min et plus`],
  };
}

/** Shares (0–1): none, then fixed breaks in %. */
export function shareScale(palette: readonly string[] = WARM): Scale {
  return {
    thresholds: [ZERO, 0.05, 0.1, 0.25, 0.5],
    colors: pick(palette, 6),
    labels: [`0${NBSP}%`, `moins de 5${NBSP}%`, `5 à 10${NBSP}%`, `10 à 25${NBSP}%`, `25 à 50${NBSP}%`, `50${NBSP}% et plus`],
  };
}

/** The p-quantile (0–1) of sorted values, linearly interpolated. */
export function quantile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** x rounded to two significant digits (0.7342 → 0.73, 12.34 → 12). */
export function niceRound(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const e = Math.floor(Math.log10(Math.abs(x))) - 1;
  const p = 10 ** e;
  // Rounding through the power avoids 0.30000000000000004.
  return e < 0 ? Math.round(x / p) / 10 ** -e : Math.round(x / p) * p;
}

/** Decimals needed to print a value rounded by niceRound. */
function decimalsOf(x: number): number {
  if (x === 0) return 0;
  return Math.max(0, 1 - Math.floor(Math.log10(Math.abs(x))));
}

export interface QuantileOptions {
  /** Number of classes (zero included when there are zeros). */
  classes?: number;
  palette?: readonly string[];
  /** Label of the zero class. */
  zeroLabel?: string;
}

/** Quantile classes of the positive values, zero being a class of its own
 * when some values are zero; breaks rounded to two significant digits. */
export function quantileScale(values: number[], o: QuantileOptions = {}): Scale {
  const n = o.classes ?? 6;
  const palette = o.palette ?? COOL;
  const finite = values.filter((v) => Number.isFinite(v));
  const positives = finite.filter((v) => v > ZERO).sort((a, b) => a - b);
  const hasZero = finite.some((v) => v <= ZERO);
  const k = hasZero ? n - 1 : n;
  const breaks: number[] = [];
  for (let i = 1; i < k && positives.length > 0; i++) {
    const b = niceRound(quantile(positives, i / k));
    if (b > (breaks.at(-1) ?? ZERO) && b <= positives.at(-1)! && b > positives[0]!) breaks.push(b);
  }
  const thresholds = hasZero && positives.length > 0 ? [ZERO, ...breaks] : breaks;
  const digits = Math.max(0, ...breaks.map(decimalsOf));
  const fmt = (x: number) => formatDecimal(x, digits);
  const labels: string[] = [];
  if (hasZero) labels.push(o.zeroLabel ?? '0');
  if (positives.length > 0) {
    if (breaks.length === 0) labels.push(hasZero ? 'plus de 0' : 'toutes valeurs');
    else {
      labels.push(`moins de ${fmt(breaks[0]!)}`);
      for (let i = 1; i < breaks.length; i++) labels.push(`${fmt(breaks[i - 1]!)} à ${fmt(breaks[i]!)}`);
      labels.push(`${fmt(breaks.at(-1)!)} et plus`);
    }
  }
  if (labels.length === 0) labels.push('aucune valeur');
  return {thresholds, colors: pick(palette, labels.length), labels};
}

/** MapLibre paint expression colouring features by the feature state "v"
 * with a scale (grey without a value). */
export function stepExpression(scale: Scale, noData = NO_DATA): unknown[] {
  const step: unknown[] = ['step', ['feature-state', 'v'], scale.colors[0]];
  scale.thresholds.forEach((t, i) => step.push(t, scale.colors[i + 1]));
  return ['case', ['==', ['typeof', ['feature-state', 'v']], 'number'], step, noData];
}

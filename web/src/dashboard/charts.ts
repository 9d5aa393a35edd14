// The territory's plots, drawn as inline SVG: the distribution of travel
// times, the coverage curve and the places per 10,000 inhabitants beside
// the département and the region. Each plot is a figure whose SVG is an
// image named by the caption and described by a sentence, with its data in
// a table for screen readers and for whoever wants the numbers.

import type {Comparison, CoveragePoint, HistogramBin} from '../api.ts';
import {h, svg} from '../dom.ts';
import {formatDecimal, formatInt, formatPercent} from '../format.ts';

const NBSP = '\u00a0';
export const CHART_COLORS = {
  within: '#000091', // bleu France
  beyond: '#b34000', // terre battue, dark enough on white (5.3:1)
  area: '#e3e3fd',
  axis: '#666666',
  grid: '#dddddd',
  text: '#3a3a3a',
  marker: '#161616',
};

const W = 320;
const H = 180;
const M = {top: 14, right: 10, bottom: 30, left: 40};

/** Compact axis numbers: 950, 14 k, 2,3 M. */
export function compact(n: number): string {
  const a = Math.abs(n);
  if (a < 1000) return formatInt(n);
  if (a < 1e6) return `${formatDecimal(n / 1000, a < 10000 ? 1 : 0)}${NBSP}k`;
  return `${formatDecimal(n / 1e6, 1)}${NBSP}M`;
}

/** A "nice" upper bound for an axis (1, 2, 2.5, 5 × 10^n). */
export function niceMax(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

function figure(id: string, title: string, summary: string, chart: SVGSVGElement, table: HTMLElement, legend?: HTMLElement): HTMLElement {
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-labelledby', `${id}-titre`);
  chart.setAttribute('aria-describedby', `${id}-resume`);
  chart.setAttribute('focusable', 'false');
  return h(
    'figure',
    {class: 'tdb-graphique', id},
    h('figcaption', {class: 'tdb-graphique__titre', id: `${id}-titre`}, title),
    chart,
    legend,
    h('p', {class: 'tdb-graphique__resume', id: `${id}-resume`}, summary),
    h('details', {class: 'tdb-graphique__donnees'}, h('summary', {}, 'Données du graphique'), table),
  );
}

function dataTable(caption: string, head: string[], rows: string[][]): HTMLElement {
  return h(
    'div',
    {class: 'tdb-table'},
    h(
      'table',
      {},
      h('caption', {class: 'fr-sr-only'}, caption),
      h('thead', {}, h('tr', {}, head.map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', {scope: 'row'}, c) : h('td', {}, c)))))),
    ),
  );
}

function frame(): SVGSVGElement {
  return svg('svg', {viewBox: `0 0 ${W} ${H}`, class: 'tdb-graphique__svg', xmlns: 'http://www.w3.org/2000/svg'});
}

function text(x: number, y: number, s: string, attrs: Record<string, string | number> = {}): SVGTextElement {
  return svg('text', {x, y, 'font-size': 10, fill: CHART_COLORS.text, ...attrs}, s);
}

function yAxis(chart: SVGSVGElement, max: number, fmt: (v: number) => string): (v: number) => number {
  const plotH = H - M.top - M.bottom;
  const y = (v: number) => M.top + plotH - (v / max) * plotH;
  for (const f of [0, 0.5, 1]) {
    const v = max * f;
    chart.append(
      svg('line', {x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), stroke: f === 0 ? CHART_COLORS.axis : CHART_COLORS.grid, 'stroke-width': 1}),
      text(M.left - 4, y(v) + 3.5, fmt(v), {'text-anchor': 'end'}),
    );
  }
  return y;
}

function legendItems(items: {color: string; label: string}[]): HTMLElement {
  return h(
    'ul',
    {class: 'tdb-graphique__legende', 'aria-hidden': 'true'},
    items.map((i) => {
      const sw = h('span', {class: 'tdb-pastille'});
      sw.style.background = i.color;
      return h('li', {}, sw, i.label);
    }),
  );
}

function binLabel(b: HistogramBin): string {
  return b.to_min === 0 ? `${b.from_min}${NBSP}min et plus` : `${b.from_min} à ${b.to_min}${NBSP}min`;
}

/** Population by 5-minute bins of travel time; bins beyond the threshold
 * in the warm colour, the threshold as a dashed line. */
export function histogramChart(id: string, bins: HistogramBin[], seuil: number, beyondShare: number): HTMLElement {
  const chart = frame();
  const total = bins.reduce((a, b) => a + b.population, 0);
  const max = niceMax(Math.max(...bins.map((b) => b.population), 1));
  const y = yAxis(chart, max, compact);
  const plotW = W - M.left - M.right;
  const n = bins.length;
  const bw = plotW / n;
  const xOfMinutes = (m: number) => M.left + (Math.min(m, 60) / 5) * bw;
  bins.forEach((b, i) => {
    const beyond = b.from_min >= seuil;
    const top = y(b.population);
    chart.append(
      svg('rect', {
        x: M.left + i * bw + 1,
        y: top,
        width: Math.max(1, bw - 2),
        height: Math.max(0, y(0) - top),
        fill: beyond ? CHART_COLORS.beyond : CHART_COLORS.within,
      }),
    );
  });
  for (let m = 0; m <= 60; m += 10) chart.append(text(xOfMinutes(m), H - M.bottom + 12, m === 60 ? '60+' : String(m), {'text-anchor': 'middle'}));
  chart.append(text(W - M.right, H - 4, 'minutes', {'text-anchor': 'end'}));
  if (seuil <= 60) {
    const x = xOfMinutes(seuil);
    chart.append(
      svg('line', {x1: x, x2: x, y1: M.top - 6, y2: y(0), stroke: CHART_COLORS.marker, 'stroke-width': 1.5, 'stroke-dasharray': '4 3'}),
      text(x + 3, M.top - 4, `seuil ${formatDecimal(seuil, 0)}${NBSP}min`, {fill: CHART_COLORS.marker}),
    );
  }
  const peak = bins.reduce((a, b) => (b.population > a.population ? b : a), bins[0]!);
  const summary =
    total > 0
      ? `${formatPercent(1 - beyondShare, 0)} des habitants sont à moins de ${formatDecimal(seuil, 0)}${NBSP}min d'un lieu, ${formatPercent(beyondShare, 0)} au-delà. La tranche la plus peuplée est ${binLabel(peak)} (${formatInt(peak.population)} habitants).`
      : 'Aucun habitant.';
  const table = dataTable(
    'Habitants par temps de trajet',
    ['Temps de trajet', 'Habitants', 'Part'],
    bins.map((b) => [binLabel(b), formatInt(b.population), total > 0 ? formatPercent(b.population / total) : '–']),
  );
  const legend = legendItems([
    {color: CHART_COLORS.within, label: `moins de ${formatDecimal(seuil, 0)}${NBSP}min`},
    {color: CHART_COLORS.beyond, label: 'au-delà du seuil'},
  ]);
  return figure(id, 'Habitants par temps de trajet jusqu’au lieu le plus proche', summary, chart, table, legend);
}

/** Share of the population within t minutes of a place, t = 0…60. */
export function coverageChart(id: string, points: CoveragePoint[], seuil: number): HTMLElement {
  const chart = frame();
  const y = yAxis(chart, 1, (v) => formatPercent(v, 0));
  const plotW = W - M.left - M.right;
  const x = (m: number) => M.left + (m / 60) * plotW;
  const pts = points.map((p) => `${x(p.minutes).toFixed(1)},${y(p.share).toFixed(1)}`);
  if (points.length > 0) {
    chart.append(
      svg('polygon', {points: `${x(points[0]!.minutes)},${y(0)} ${pts.join(' ')} ${x(points.at(-1)!.minutes)},${y(0)}`, fill: CHART_COLORS.area}),
      svg('polyline', {points: pts.join(' '), fill: 'none', stroke: CHART_COLORS.within, 'stroke-width': 2}),
    );
  }
  for (let m = 0; m <= 60; m += 10) chart.append(text(x(m), H - M.bottom + 12, String(m), {'text-anchor': 'middle'}));
  chart.append(text(W - M.right, H - 4, 'minutes', {'text-anchor': 'end'}));
  const at = (m: number) => {
    const below = [...points].reverse().find((p) => p.minutes <= m);
    return below?.share ?? 0;
  };
  const atSeuil = at(Math.floor(seuil));
  if (seuil <= 60) {
    const sx = x(seuil);
    const sy = y(atSeuil);
    chart.append(
      svg('line', {x1: sx, x2: sx, y1: M.top, y2: y(0), stroke: CHART_COLORS.marker, 'stroke-width': 1.5, 'stroke-dasharray': '4 3'}),
      svg('circle', {cx: sx, cy: sy, r: 4, fill: CHART_COLORS.marker}),
      text(sx + (sx > W / 2 ? -6 : 6), Math.min(sy + 14, y(0) - 4), `${formatPercent(atSeuil, 0)} à ${formatDecimal(seuil, 0)}${NBSP}min`, {
        fill: CHART_COLORS.marker,
        'text-anchor': sx > W / 2 ? 'end' : 'start',
        'font-weight': 'bold',
      }),
    );
  }
  const reach = (share: number) => points.find((p) => p.share >= share)?.minutes;
  const half = reach(0.5);
  const most = reach(0.9);
  const summary = `${formatPercent(at(10), 0)} des habitants sont à moins de 10${NBSP}min d'un lieu, ${formatPercent(atSeuil, 0)} à moins de ${formatDecimal(seuil, 0)}${NBSP}min et ${formatPercent(at(30), 0)} à moins de 30${NBSP}min.${
    half !== undefined ? ` La moitié des habitants est à ${half}${NBSP}min au plus` : ''
  }${most !== undefined ? `, 90${NBSP}% à ${most}${NBSP}min au plus.` : half !== undefined ? '.' : ''}`;
  const table = dataTable(
    'Part des habitants à moins de t minutes',
    ['Minutes', 'Habitants', 'Part'],
    points.filter((p) => p.minutes % 5 === 0).map((p) => [`${p.minutes}${NBSP}min`, formatInt(p.population), formatPercent(p.share)]),
  );
  return figure(id, 'Part des habitants à moins de t minutes d’un lieu', summary, chart, table);
}

const LEVEL_LABEL: Record<string, string> = {commune: 'Commune', epci: 'EPCI', departement: 'Département', region: 'Région'};

/** The name of a row of the comparison: the total (the region when one is
 * loaded, the national total) by its name, the others with their level. */
function compareLabel(r: Comparison, withLevel: (name: string, level: string) => string): string {
  if (r.level === 'national') return r.name;
  if (r.level === 'region' && (!r.name || r.name === 'Région')) return 'Région';
  return withLevel(r.name, LEVEL_LABEL[r.level] ?? r.level);
}

/** Places per 10,000 inhabitants: the territory, its département, its
 * region, the whole loaded territory, as horizontal bars. */
export function comparisonChart(id: string, rows: Comparison[]): HTMLElement {
  const rowH = 40;
  const height = rows.length * rowH + 8;
  const chart = svg('svg', {viewBox: `0 0 ${W} ${height}`, class: 'tdb-graphique__svg', xmlns: 'http://www.w3.org/2000/svg'});
  const max = niceMax(Math.max(...rows.map((r) => r.sites_per_10k), 0.01) * 1.05);
  const left = 4;
  const barW = W - left - 50;
  rows.forEach((r, i) => {
    const top = i * rowH + 4;
    const w = (r.sites_per_10k / max) * barW;
    const label = compareLabel(r, (name, level) => `${level} : ${name}`);
    chart.append(
      text(left, top + 11, label.length > 58 ? `${label.slice(0, 56)}…` : label),
      svg('rect', {x: left, y: top + 16, width: Math.max(1, w), height: 16, fill: i === 0 ? CHART_COLORS.within : '#6a6af4'}),
      text(left + Math.max(1, w) + 4, top + 28, formatDecimal(r.sites_per_10k, 2), {'font-weight': i === 0 ? 'bold' : 'normal'}),
    );
  });
  const first = rows[0];
  const summary = first
    ? `${formatDecimal(first.sites_per_10k, 2)} lieux pour 10${NBSP}000 habitants${rows
        .slice(1)
        .map((r) => `, contre ${formatDecimal(r.sites_per_10k, 2)} ${r.level === 'national' ? `pour l’ensemble (${r.name})` : `dans ${r.level === 'departement' ? 'le département' : r.level === 'region' ? 'la région' : 'le territoire'}${r.name && r.name !== 'Région' ? ` (${r.name})` : ''}`}`)
        .join('')}.`
    : '';
  const table = dataTable(
    'Comparaison avec le département et la région',
    ['Territoire', 'Lieux pour 10 000 hab.', 'Temps moyen', 'Part au-delà du seuil'],
    rows.map((r) => [compareLabel(r, (name, level) => `${name} (${level})`), formatDecimal(r.sites_per_10k, 2), `${formatDecimal(r.mean_minutes, 1)}${NBSP}min`, formatPercent(r.beyond_share)]),
  );
  return figure(id, 'Lieux pour 10 000 habitants, comparés', summary, chart, table);
}
